import { describe, expect, it } from 'vitest';
import { zIdNumber } from '../schemas/identity.js';
import { normalizePhone, PHONE_RE, REAL_NAME_RE, USERNAME_RE, validatePassword } from './account.js';
import { ID_NUMBER_MESSAGES, idNumberCheckChar, normalizeIdNumber, validateIdNumber } from './id-number.js';
import { maskIdNumber, maskName, maskPhone } from './mask.js';

/** Builds a number whose check character is right, so a test of another rule proves that rule. */
const withCheck = (first17: string) => first17 + idNumberCheckChar(first17);

describe('身份证号码 (GB 11643)', () => {
  it('accepts the standard vector, also with a lower-case x', () => {
    expect(validateIdNumber('11010519491231002X')).toBeNull();
    expect(validateIdNumber('11010519491231002x')).toBeNull();
    expect(normalizeIdNumber(' 11010519491231002x ')).toBe('11010519491231002X');
  });
  it('accepts the standard example born in 1880 (no county-code history check)', () => {
    expect(validateIdNumber('440524188001010014')).toBeNull();
  });
  it('rejects a wrong check digit', () => {
    expect(validateIdNumber('110105194912310021')).toBe('checkDigit');
  });
  it('rejects a future birth date, with a correct check digit', () => {
    const future = withCheck('11010520991231002');
    expect(validateIdNumber(future, new Date('2026-11-23T00:00:00Z'))).toBe('birthDate');
  });
  it('rejects an impossible date such as 19490230', () => {
    expect(validateIdNumber(withCheck('11010519490230002'))).toBe('birthDate');
  });
  it('rejects province code 99, with a correct check digit', () => {
    expect(validateIdNumber(withCheck('99010519491231002'))).toBe('province');
  });
  it('rejects a 17-character number', () => {
    expect(validateIdNumber('11010519491231002')).toBe('length');
  });
  it('rejects letters inside', () => {
    expect(validateIdNumber('1101051949123100AX')).toBe('format');
  });
  it('has its own message for each rule', () => {
    const messages = new Set(Object.values(ID_NUMBER_MESSAGES));
    expect(messages.size).toBe(Object.keys(ID_NUMBER_MESSAGES).length);
  });
  it('is exposed through the shared zod schema with the message', () => {
    const r = zIdNumber.safeParse('110105194912310021');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(ID_NUMBER_MESSAGES.checkDigit);
  });
});

describe('用户账号, 登录密码, 用户姓名, 手机号', () => {
  it('account: a letter first, 4-30 letters, digits or _', () => {
    expect(USERNAME_RE.test('zhang_san1')).toBe(true);
    expect(USERNAME_RE.test('abc')).toBe(false);
    expect(USERNAME_RE.test('1abc')).toBe(false);
    expect(USERNAME_RE.test('a'.repeat(31))).toBe(false);
    expect(USERNAME_RE.test('ab-cd')).toBe(false);
  });
  it('password: 8-20, three classes, not containing the account', () => {
    expect(validatePassword('Abcdef12')).toBeNull();
    expect(validatePassword('abcdef1!')).toBeNull();
    expect(validatePassword('Ab1!')).toBe('length');
    expect(validatePassword('A'.repeat(10) + 'a'.repeat(11))).toBe('length');
    expect(validatePassword('abcdefgh1')).toBe('classes');
    expect(validatePassword('Zhangsan1!', 'zhangsan')).toBe('containsUsername');
    expect(validatePassword('Abc def12')).toBe('whitespace');
  });
  it('real name: Chinese, letters and the middle dot', () => {
    expect(REAL_NAME_RE.test('张三')).toBe(true);
    expect(REAL_NAME_RE.test('买买提·艾力')).toBe(true);
    expect(REAL_NAME_RE.test('张')).toBe(false);
    expect(REAL_NAME_RE.test('张三1')).toBe(false);
    expect(REAL_NAME_RE.test('·张三')).toBe(false);
  });
  it('real name: a foreigner’s name as the document prints it, words separated once', () => {
    for (const ok of ['John Smith', "Jean-Luc O'Brien", 'José Müller', 'LEE MIN HO'])
      expect(REAL_NAME_RE.test(ok)).toBe(true);
    for (const bad of ['John  Smith', ' John', 'John Smith ', 'John 张', 'R2 D2', 'A'.repeat(61)])
      expect(REAL_NAME_RE.test(bad)).toBe(false);
  });
  it('phone: strips spaces and +86', () => {
    expect(normalizePhone('+86 150 0000 5655')).toBe('15000005655');
    expect(PHONE_RE.test('15000005655')).toBe(true);
    expect(PHONE_RE.test('12000005655')).toBe(false);
  });
  it('masks as the seed shows', () => {
    expect(maskPhone('15012345655')).toBe('150****5655');
    expect(maskName('张飞')).toBe('*飞');
    expect(maskName('诸葛亮')).toBe('**亮');
    expect(maskIdNumber('11010519491231002X')).toBe('1****************X');
  });
});
