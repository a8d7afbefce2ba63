import { describe, expect, it } from 'vitest';
import { ZRegistrationIdentityRequest } from '../schemas/identity.js';
import {
  foreignNationalities,
  ID_TYPES,
  idDocumentBirthDate,
  idDocumentKey,
  idDocumentMessage,
  idDocumentSex,
  inferIdType,
  validateIdDocument,
} from './id-document.js';
import { idNumberCheckChar } from './id-number.js';
import { maskIdNumber } from './mask.js';

const withCheck = (first17: string) => first17 + idNumberCheckChar(first17);
const today = new Date('2026-12-07T00:00:00Z');

/** One valid number of each type that has one, built with the GB 11643 check character. */
const VALID = {
  idCard: withCheck('50010319850612241'),
  hkMacaoResidence: withCheck('81000019900101123'),
  taiwanResidence: withCheck('83000019880808456'),
  foreignPermanent: withCheck('93184019750315001'), // 9, 31 上海 受理, 840 美国, 1975-03-15
  passport: 'E12345678',
} as const;

describe('证件类型: each type accepts its own numbers', () => {
  it.each(ID_TYPES)('%s', (type) => {
    expect(validateIdDocument(type, VALID[type], today)).toBeNull();
    expect(validateIdDocument(type, VALID[type].toLowerCase(), today)).toBeNull();
  });
  it('accepts the 澳门 居住证 and an older 15-character 永居证 (alpha-3 + 12 digits)', () => {
    expect(validateIdDocument('hkMacaoResidence', withCheck('82000020000229002'), today)).toBeNull();
    expect(validateIdDocument('foreignPermanent', 'USA310075031500', today)).toBeNull();
  });
});

describe('证件类型: a number is recognised from its shape where it can be', () => {
  it('infers every 18-character type, and nothing for a passport', () => {
    for (const type of ['idCard', 'hkMacaoResidence', 'taiwanResidence', 'foreignPermanent'] as const)
      expect(inferIdType(VALID[type])).toBe(type);
    expect(inferIdType('USA310075031500')).toBe('foreignPermanent');
    expect(inferIdType(VALID.passport)).toBeNull();
  });
  it('a 居住证 number typed as 身份证 is told its type, not that its region code is wrong', () => {
    expect(validateIdDocument('idCard', VALID.hkMacaoResidence, today)).toBe('typeMismatch');
    expect(idDocumentMessage('idCard', 'typeMismatch', VALID.hkMacaoResidence)).toBe(
      '该号码是港澳居民居住证号码，请将证件类型选为“港澳居民居住证”',
    );
    expect(validateIdDocument('passport', VALID.idCard, today)).toBe('typeMismatch');
  });
});

describe('证件类型: each rule is checked with the type’s own message', () => {
  const cases: [(typeof ID_TYPES)[number], string, string, string][] = [
    [
      'hkMacaoResidence',
      withCheck('81000119900101123'),
      'region',
      '港澳居民居住证号码应以810000（香港）或820000（澳门）开头',
    ],
    ['hkMacaoResidence', withCheck('81000019901301123'), 'birthDate', '港澳居民居住证号码中的出生日期无效'],
    ['taiwanResidence', '830000198808084561', 'checkDigit', '台湾居民居住证号码校验位错误，请核对后重新输入'],
    ['taiwanResidence', '8300001988080845', 'length', '台湾居民居住证号码应为18位'],
    [
      'foreignPermanent',
      withCheck('99984019750315001'),
      'region',
      '外国人永久居留身份证号码应以9开头，第2-3位为受理地省级代码',
    ],
    ['foreignPermanent', withCheck('93115619750315001'), 'nationality', '外国人永久居留身份证号码中的国籍代码无效'],
    ['foreignPermanent', withCheck('93199919750315001'), 'nationality', '外国人永久居留身份证号码中的国籍代码无效'],
    ['foreignPermanent', 'CHN310075031500', 'nationality', '外国人永久居留身份证号码中的国籍代码无效'],
    ['foreignPermanent', 'US3310075031500', 'format', '旧版外国人永久居留身份证号码应为3位国籍字母代码加12位数字'],
    ['passport', 'E12', 'length', '护照号码应为5-17位字母或数字'],
    ['passport', 'E1234-678', 'format', '护照号码只能包含字母和数字'],
  ];
  it.each(cases)('%s %s → %s', (type, number, rule, message) => {
    expect(validateIdDocument(type, number, today)).toBe(rule);
    expect(idDocumentMessage(type, rule as never, number)).toBe(message);
  });
  it('a future birth date is refused for the 18-character types', () => {
    expect(validateIdDocument('taiwanResidence', withCheck('83000020991231001'), today)).toBe('birthDate');
  });
});

describe('证件类型: masking, sex, birth date and the key', () => {
  it('masks each type by its own rule', () => {
    expect(maskIdNumber(VALID.idCard)).toBe(`5****************${VALID.idCard.slice(-1)}`);
    expect(maskIdNumber(VALID.hkMacaoResidence)).toBe(`81***************${VALID.hkMacaoResidence.slice(-1)}`);
    expect(maskIdNumber('USA310075031500')).toBe('USA***********0');
    expect(maskIdNumber('E12345678')).toBe('E******78');
  });
  it('reads sex and birth date where the number carries them', () => {
    expect(idDocumentSex('foreignPermanent', VALID.foreignPermanent)).toBe('male');
    expect(idDocumentBirthDate('taiwanResidence', VALID.taiwanResidence)).toBe('1988-08-08');
    expect(idDocumentSex('passport', VALID.passport)).toBeNull();
  });
  it('a passport is keyed with its nationality: the same number from two countries is two people', () => {
    expect(idDocumentKey('passport', 'e12345678', 'USA')).not.toBe(idDocumentKey('passport', 'E12345678', 'DEU'));
    expect(idDocumentKey('idCard', ` ${VALID.idCard.toLowerCase()} `)).toBe(VALID.idCard);
  });
  it('offers foreign nationalities only, with Chinese names', () => {
    const list = foreignNationalities();
    const codes = new Set(list.map((c) => c.code));
    expect(codes.has('USA')).toBe(true);
    for (const c of ['CHN', 'HKG', 'MAC', 'TWN']) expect(codes.has(c)).toBe(false);
    expect(list.find((c) => c.code === 'USA')?.name).toBe('美国');
  });
  it('the shared schema asks a passport holder for the nationality', () => {
    const r = ZRegistrationIdentityRequest.safeParse({
      realName: 'John Smith',
      idType: 'passport',
      idNumber: 'E12345678',
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toContain('请选择护照签发国（国籍）');
    const ok = ZRegistrationIdentityRequest.safeParse({
      realName: 'John Smith',
      idType: 'passport',
      idNumber: 'e12345678',
      nationality: 'usa',
    });
    expect(ok.success && ok.data).toMatchObject({ idNumber: 'E12345678', nationality: 'USA' });
  });
});
