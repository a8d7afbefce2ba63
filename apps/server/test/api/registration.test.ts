import { idNumberCheckChar } from '@cpe/shared';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  basicBody,
  buildPerson,
  imageCaptcha,
  lastSmsCode,
  login,
  outbox,
  randomIdNumber,
  register,
  sendSms,
} from '../factories.js';
import { Client, createTestEnv } from '../harness.js';

const env = await createTestEnv({ REALNAME_DENY_LIST: '110105194912310011' });
const client = () => new Client(env.publicApp);

async function accountCount(): Promise<number> {
  const r = await env.ctx.db.execute(sql`select count(*)::int as n from accounts`);
  return (r.rows[0] as { n: number }).n;
}

/** Step 1 with a fresh SMS code; returns the response. */
async function startWith(c: Client, overrides: Record<string, unknown>, p = buildPerson()) {
  await sendSms(c, p.phone);
  return c.post('/api/registrations', { ...basicBody(p, await lastSmsCode(c, p.phone)), ...overrides });
}

describe('新用户注册', () => {
  it('creates the account only after 实名认证, then the person can log in by account, phone and ID number', async () => {
    const c = client();
    // An ID number ending in X, typed in lower case at login below.
    let idNumber = randomIdNumber();
    while (!idNumber.endsWith('X')) idNumber = randomIdNumber();
    const p = buildPerson({ idNumber });
    const before = await accountCount();
    await sendSms(c, p.phone);
    const step1 = await c.post('/api/registrations', basicBody(p, await lastSmsCode(c, p.phone)));
    expect(step1.statusCode, step1.body).toBe(200);
    expect(step1.json().idNumberMasked).toMatch(/^\d\*{16}[\dX]$/);
    expect(step1.json().phoneMasked).toBe(`${p.phone.slice(0, 3)}****${p.phone.slice(-4)}`);
    expect(step1.json()).toMatchObject({ idType: 'idCard', verification: 'online' });
    expect(await accountCount()).toBe(before);
    const done = await c.post('/api/registrations/complete', { token: step1.json().token });
    expect(done.json()).toEqual({ username: p.username });
    expect(await accountCount()).toBe(before + 1);

    for (const identifier of [p.username, p.username.toUpperCase(), p.phone, p.idNumber.toLowerCase()]) {
      const res = await login(client(), identifier, p.password);
      expect(res.statusCode, `${identifier}: ${res.body}`).toBe(200);
      expect(res.json().username).toBe(p.username);
    }
    // The flow is spent: completing again creates nothing.
    const again = await c.post('/api/registrations/complete', { token: step1.json().token });
    expect(again.json().code).toBe('REGISTRATION_EXPIRED');
    const audit = await env.ctx.db.execute(
      sql`select count(*)::int as n from audit_logs where action = 'account.register'`,
    );
    expect((audit.rows[0] as { n: number }).n).toBeGreaterThanOrEqual(1);
  });

  it('stores ID number and phone encrypted, never in clear', async () => {
    const p = await register(client());
    const rows = await env.ctx.db.execute(sql`select * from accounts where username = ${p.username}`);
    const text = JSON.stringify(rows.rows);
    expect(text).not.toContain(p.idNumber);
    expect(text).not.toContain(p.phone);
  });

  it('refuses a taken account regardless of case', async () => {
    const p = await register(client());
    const res = await startWith(client(), { username: p.username.toUpperCase() });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'USERNAME_TAKEN', fields: { username: expect.any(String) } });
  });

  it('refuses an ID number already registered', async () => {
    const p = await register(client());
    const res = await startWith(client(), { idNumber: p.idNumber });
    expect(res.json()).toMatchObject({ code: 'ID_NUMBER_TAKEN', fields: { idNumber: expect.any(String) } });
  });

  it('refuses a phone bound to an active account, but only after the code proves the phone', async () => {
    const p = await register(client());
    env.clock.advance(61_000);
    const other = buildPerson({ phone: p.phone });
    const res = await startWith(client(), {}, other);
    expect(res.json()).toMatchObject({ code: 'PHONE_TAKEN', fields: { phone: expect.any(String) } });
    const wrongCode = await client().post('/api/registrations', basicBody(buildPerson({ phone: p.phone }), '000000'));
    expect(['SMS_CODE_INVALID', 'SMS_CODE_EXPIRED']).toContain(wrongCode.json().code);
  });

  it.each([
    ['username', { username: 'ab' }, /用户账号/],
    ['username', { username: '1abcd' }, /字母开头/],
    ['password', { password: 'abcdefgh', confirmPassword: 'abcdefgh' }, /任意三种/],
    ['password', { password: 'Ab1!', confirmPassword: 'Ab1!' }, /8-20/],
    ['confirmPassword', { confirmPassword: 'Different1!' }, /不一致/],
    ['realName', { realName: 'A' }, /用户姓名/],
    ['idNumber', { idNumber: '110105194912310021' }, /校验位/],
    ['idNumber', { idNumber: `00010519491231002${idNumberCheckChar('00010519491231002')}` }, /地区码/],
    // A 9 first is the 2023 外国人永久居留身份证: the message names the type to choose.
    ['idNumber', { idNumber: `99010519491231002${idNumberCheckChar('99010519491231002')}` }, /外国人永久居留身份证/],
    ['idNumber', { idNumber: '111111199901101514' }, /地区码不存在/],
    // A well-shaped county code never published in GB/T 2260, born 2010: only the server's full set refuses it.
    ['idNumber', { idNumber: `50019920100101123${idNumberCheckChar('50019920100101123')}` }, /地区码不存在/],
    ['idNumber', { idNumber: `11010520991231002${idNumberCheckChar('11010520991231002')}` }, /出生日期/],
    ['idNumber', { idNumber: '11010519491231002' }, /18位/],
    ['phone', { phone: '12345' }, /手机号/],
    ['smsCode', { smsCode: '12ab' }, /6位数字/],
    ['agree', { agree: false }, /注册协议/],
    ['idType', { idType: 'visa' }, /证件类型/],
    ['nationality', { idType: 'passport', idNumber: 'E12345678' }, /国籍/],
    ['nationality', { idType: 'passport', idNumber: 'E12345678', nationality: 'CHN' }, /国籍/],
  ])('rejects a bad %s with a message naming it', async (field, overrides, message) => {
    const before = await accountCount();
    const res = await client().post('/api/registrations', { ...basicBody(buildPerson(), '123456'), ...overrides });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
    expect(res.json().fields[field]).toMatch(message);
    expect(await accountCount()).toBe(before);
  });

  it('refuses a password containing the account name', async () => {
    const p = buildPerson();
    const res = await client().post('/api/registrations', {
      ...basicBody(p, '123456'),
      password: `${p.username}A1!`,
      confirmPassword: `${p.username}A1!`,
    });
    expect(res.json().fields.password).toMatch(/不能包含用户账号/);
  });

  it('a failed 实名认证 keeps the data; correcting the ID number then succeeds', async () => {
    const c = client();
    const p = buildPerson({ idNumber: '110105194912310011' });
    const step1 = await startWith(c, {}, p);
    expect(step1.statusCode).toBe(200);
    const fail = await c.post('/api/registrations/complete', { token: step1.json().token });
    expect(fail.statusCode).toBe(400);
    expect(fail.json().code).toBe('REALNAME_FAILED');
    expect(fail.json().message).toMatch(/请核对姓名和身份证号码/);
    const fixed = buildPerson().idNumber;
    const update = await c.post('/api/registrations/identity', {
      token: step1.json().token,
      realName: p.realName,
      idType: 'idCard',
      idNumber: fixed,
    });
    expect(update.statusCode, update.body).toBe(200);
    expect(update.json().username).toBe(p.username);
    const done = await c.post('/api/registrations/complete', { token: step1.json().token });
    expect(done.statusCode, done.body).toBe(200);
    expect((await login(client(), fixed, p.password)).statusCode).toBe(200);
  });

  it('an unavailable 实名认证 service says so and creates nothing', async () => {
    const down = await createTestEnv({ REALNAME_FAIL_MODE: 'unavailable' });
    const c = new Client(down.publicApp);
    const p = buildPerson();
    await sendSms(c, p.phone);
    const step1 = await c.post('/api/registrations', basicBody(p, await lastSmsCode(c, p.phone)));
    const res = await c.post('/api/registrations/complete', { token: step1.json().token });
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('REALNAME_UNAVAILABLE');
    const n = await down.ctx.db.execute(sql`select count(*)::int as n from accounts`);
    expect((n.rows[0] as { n: number }).n).toBe(0);
  });

  it('the registration flow expires after 30 minutes', async () => {
    const c = client();
    const step1 = await startWith(c, {});
    env.clock.advance(31 * 60_000);
    const res = await c.post('/api/registrations/complete', { token: step1.json().token });
    expect(res.json().code).toBe('REGISTRATION_EXPIRED');
  });
});

describe('短信验证码', () => {
  it('needs a correct image captcha, which is single use', async () => {
    const c = client();
    const phone = buildPerson().phone;
    const captcha = await imageCaptcha(c);
    const wrong = await c.post('/api/sms-codes', {
      phone,
      purpose: 'register',
      captchaId: captcha.captchaId,
      captchaCode: 'zzzz',
    });
    expect(wrong.json()).toMatchObject({ code: 'CAPTCHA_INVALID', fields: { captchaCode: expect.any(String) } });
    // The same captcha, now with the right answer, is spent.
    const reuse = await c.post('/api/sms-codes', { phone, purpose: 'register', ...captcha });
    expect(reuse.json().code).toBe('CAPTCHA_EXPIRED');
    const fresh = await c.post('/api/sms-codes', { phone, purpose: 'register', ...(await imageCaptcha(c)) });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json()).toEqual({ resendAfterSeconds: 60, expiresInSeconds: 300 });
    const again = await c.post('/api/sms-codes', { phone, purpose: 'register', ...(await imageCaptcha(c)) });
    expect(again.json().code).toBe('SMS_RESEND_TOO_SOON');
  });

  it('an image captcha expires after 5 minutes; answers are case-insensitive', async () => {
    const c = client();
    const phone = buildPerson().phone;
    const old = await imageCaptcha(c);
    env.clock.advance(5 * 60_000 + 1000);
    const res = await c.post('/api/sms-codes', { phone, purpose: 'register', ...old });
    expect(res.json().code).toBe('CAPTCHA_EXPIRED');
    const cap = await imageCaptcha(c);
    const ok = await c.post('/api/sms-codes', {
      phone,
      purpose: 'register',
      ...cap,
      captchaCode: cap.captchaCode.toUpperCase(),
    });
    expect(ok.statusCode).toBe(200);
  });

  it('waits 60 s before a resend and allows 10 a day per phone', async () => {
    const c = client();
    const phone = buildPerson().phone;
    expect((await sendSms(c, phone)).statusCode).toBe(200);
    const soon = await sendSms(c, phone);
    expect(soon.statusCode).toBe(429);
    expect(soon.json().code).toBe('SMS_RESEND_TOO_SOON');
    expect(Number(soon.headers['retry-after'])).toBeGreaterThan(0);
    for (let i = 2; i <= 10; i++) {
      env.clock.advance(61_000);
      const res = await sendSms(new Client(env.publicApp), phone);
      expect(res.statusCode, `send ${i}: ${res.body}`).toBe(200);
    }
    env.clock.advance(61_000);
    const eleventh = await sendSms(client(), phone);
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.json().code).toBe('SMS_DAILY_LIMIT');
  });

  it('limits sends per IP', async () => {
    const limited = await createTestEnv({ SMS_HOURLY_LIMIT_PER_IP: '3' });
    const c = new Client(limited.publicApp);
    for (let i = 0; i < 3; i++) expect((await sendSms(c, buildPerson().phone)).statusCode).toBe(200);
    const res = await sendSms(c, buildPerson().phone);
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('RATE_LIMITED');
  });

  it('limits registration attempts per IP (REGISTRATIONS_HOURLY_LIMIT_PER_IP)', async () => {
    const limited = await createTestEnv({ REGISTRATIONS_HOURLY_LIMIT_PER_IP: '2' });
    const c = new Client(limited.publicApp);
    // Each attempt counts, a refused one too: a wrong SMS code is how someone probes.
    for (let i = 0; i < 2; i++) {
      const res = await c.post('/api/registrations', basicBody(buildPerson(), '000000'));
      expect(res.statusCode).toBe(400);
    }
    const res = await c.post('/api/registrations', basicBody(buildPerson(), '000000'));
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('RATE_LIMITED');
    expect(res.headers['retry-after']).toBeDefined();
  });

  it('answers the same for a registered and an unregistered phone', async () => {
    const p = await register(client());
    env.clock.advance(61_000);
    const registered = await sendSms(client(), p.phone);
    const fresh = await sendSms(client(), buildPerson().phone);
    expect(registered.statusCode).toBe(fresh.statusCode);
    expect(registered.json()).toEqual(fresh.json());
  });

  it('a code dies after 5 wrong tries and after use', async () => {
    const c = client();
    const p = buildPerson();
    await sendSms(c, p.phone);
    const code = await lastSmsCode(c, p.phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) {
      const res = await c.post('/api/registrations', basicBody(p, wrong));
      expect(res.json().code).toBe('SMS_CODE_INVALID');
    }
    const fifth = await c.post('/api/registrations', basicBody(p, wrong));
    expect(fifth.json().code).toBe('SMS_CODE_EXPIRED');
    const right = await c.post('/api/registrations', basicBody(p, code));
    expect(right.json().code).toBe('SMS_CODE_EXPIRED');
  });

  it('a code expires after 5 minutes and is bound to its phone and purpose', async () => {
    const c = client();
    const p = buildPerson();
    await sendSms(c, p.phone);
    const code = await lastSmsCode(c, p.phone);
    const otherPhone = await c.post('/api/registrations', basicBody({ ...p, phone: buildPerson().phone }, code));
    expect(otherPhone.json().code).toBe('SMS_CODE_EXPIRED');
    env.clock.advance(5 * 60_000 + 1000);
    const late = await c.post('/api/registrations', basicBody(p, code));
    expect(late.json().code).toBe('SMS_CODE_EXPIRED');
  });

  it('a refused delivery says so and leaves no usable code', async () => {
    const failing = await createTestEnv({ SMS_LOCAL_FAIL_PHONES: '13900000000' });
    const c = new Client(failing.publicApp);
    const res = await sendSms(c, '13900000000');
    expect(res.statusCode).toBe(502);
    expect(res.json().code).toBe('SMS_SEND_FAILED');
    expect(await outbox(c, 'kind=sms&to=13900000000')).toHaveLength(0);
    // No 60-second wait is imposed by a send that never happened.
    expect((await sendSms(c, '13900000000')).json().code).toBe('SMS_SEND_FAILED');
  });
});
