import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { buildPerson, imageCaptcha, lastSmsCode, login, multipartFile, register, sliderToken } from '../factories.js';
import { Client, createTestEnv } from '../harness.js';

const env = await createTestEnv();
const client = () => new Client(env.publicApp);
const NEW_PASSWORD = 'N3w-Secret!';

/** Walks 确认账号 → 验证方式 → 安全验证 and returns the token for 重置密码. */
async function toPasswordStep(c: Client, identifier: string, phone: string) {
  const start = await c.post('/api/password-resets', { identifier, ...(await imageCaptcha(c)) });
  expect(start.statusCode, start.body).toBe(200);
  const method = await c.post('/api/password-resets/method', { token: start.json().token, method: 'phone' });
  expect(method.statusCode, method.body).toBe(200);
  const token = method.json().token;
  const sms = await c.post('/api/password-resets/sms', { token, ...(await imageCaptcha(c)) });
  expect(sms.statusCode, sms.body).toBe(200);
  const verify = await c.post('/api/password-resets/verify', { token, smsCode: await lastSmsCode(c, phone) });
  expect(verify.statusCode, verify.body).toBe(200);
  return { start: start.json(), method: method.json(), verify: verify.json() };
}

describe('忘记密码', () => {
  it('resets through the five steps; the old password stops working and all sessions end', async () => {
    const p = await register(client());
    const loggedIn = client();
    await login(loggedIn, p.username, p.password);
    expect((await loggedIn.get('/api/me')).statusCode).toBe(200);

    const c = client();
    const steps = await toPasswordStep(c, p.phone, p.phone);
    expect(steps.start).toMatchObject({
      step: 'method',
      phoneMasked: `${p.phone.slice(0, 3)}****${p.phone.slice(-4)}`,
      nameMasked: `${'*'.repeat(Array.from(p.realName).length - 1)}${Array.from(p.realName).pop()}`,
    });
    expect(JSON.stringify(steps.start)).not.toContain(p.idNumber);
    const done = await c.post('/api/password-resets/password', {
      token: steps.verify.token,
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(done.statusCode, done.body).toBe(200);

    expect((await loggedIn.get('/api/me')).statusCode).toBe(401);
    expect((await login(client(), p.username, p.password)).json().code).toBe('LOGIN_FAILED');
    expect((await login(client(), p.username, NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('finds the account by username or ID number too, and says when none exists', async () => {
    const p = await register(client());
    for (const identifier of [p.username, p.idNumber]) {
      const c = client();
      const res = await c.post('/api/password-resets', { identifier, ...(await imageCaptcha(c)) });
      expect(res.statusCode).toBe(200);
    }
    const c = client();
    const none = await c.post('/api/password-resets', { identifier: 'nobody_at_all', ...(await imageCaptcha(c)) });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ code: 'RESET_ACCOUNT_NOT_FOUND', fields: { identifier: expect.any(String) } });
  });

  it('step one needs the image captcha', async () => {
    const p = await register(client());
    const c = client();
    const cap = await imageCaptcha(c);
    const res = await c.post('/api/password-resets', {
      identifier: p.username,
      captchaId: cap.captchaId,
      captchaCode: 'xxxx',
    });
    expect(res.json().code).toBe('CAPTCHA_INVALID');
  });

  it('skipping a step by calling a later API fails', async () => {
    const p = await register(client());
    const c = client();
    const start = await c.post('/api/password-resets', { identifier: p.username, ...(await imageCaptcha(c)) });
    const token = start.json().token;
    const skipToVerify = await c.post('/api/password-resets/verify', { token, smsCode: '123456' });
    expect(skipToVerify.json().code).toBe('RESET_STEP_INVALID');
    const skipToSms = await c.post('/api/password-resets/sms', { token, ...(await imageCaptcha(c)) });
    expect(skipToSms.json().code).toBe('RESET_STEP_INVALID');
    const skipToPassword = await c.post('/api/password-resets/password', {
      token,
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(skipToPassword.json().code).toBe('RESET_STEP_INVALID');
    expect((await login(client(), p.username, p.password)).statusCode).toBe(200);
  });

  it('step tokens are single use and expire in 15 minutes', async () => {
    const p = await register(client());
    const c = client();
    const start = await c.post('/api/password-resets', { identifier: p.username, ...(await imageCaptcha(c)) });
    const token = start.json().token;
    expect((await c.post('/api/password-resets/method', { token, method: 'phone' })).statusCode).toBe(200);
    const reuse = await c.post('/api/password-resets/method', { token, method: 'phone' });
    expect(reuse.json().code).toBe('RESET_STEP_INVALID');

    const late = client();
    const s2 = await late.post('/api/password-resets', { identifier: p.username, ...(await imageCaptcha(late)) });
    env.clock.advance(15 * 60_000 + 1000);
    const expired = await late.post('/api/password-resets/method', { token: s2.json().token, method: 'phone' });
    expect(expired.json().code).toBe('RESET_STEP_INVALID');
  });

  it('the final token works once and the new password follows the rules', async () => {
    const p = await register(client());
    const c = client();
    const { verify } = await toPasswordStep(c, p.username, p.phone);
    const weak = await c.post('/api/password-resets/password', {
      token: verify.token,
      password: 'abcdefgh',
      confirmPassword: 'abcdefgh',
    });
    expect(weak.json().fields.password).toMatch(/任意三种/);
    const withName = `${p.username}A1!`;
    const named = await c.post('/api/password-resets/password', {
      token: verify.token,
      password: withName,
      confirmPassword: withName,
    });
    expect(named.json().fields.password).toMatch(/不能包含用户账号/);
    const same = await c.post('/api/password-resets/password', {
      token: verify.token,
      password: p.password,
      confirmPassword: p.password,
    });
    expect(same.json().code).toBe('PASSWORD_SAME_AS_OLD');
    const ok = await c.post('/api/password-resets/password', {
      token: verify.token,
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(ok.statusCode).toBe(200);
    const again = await c.post('/api/password-resets/password', {
      token: verify.token,
      password: 'An0ther-One!',
      confirmPassword: 'An0ther-One!',
    });
    expect(again.json().code).toBe('RESET_STEP_INVALID');
  });

  it('a reset also lifts a lock', async () => {
    const p = await register(client());
    for (let i = 0; i < 5; i++) await login(client(), p.username, 'Wrong-Passw0rd');
    expect((await login(client(), p.username, p.password)).json().code).toBe('ACCOUNT_LOCKED');
    const c = client();
    const { verify } = await toPasswordStep(c, p.username, p.phone);
    await c.post('/api/password-resets/password', {
      token: verify.token,
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect((await login(client(), p.username, NEW_PASSWORD)).statusCode).toBe(200);
  });
});

async function jpeg(withExif = true): Promise<Buffer> {
  const img = sharp({ create: { width: 64, height: 40, channels: 3, background: '#3366aa' } }).jpeg();
  return withExif ? img.withMetadata({ exif: { IFD0: { Make: 'SecretPhoneMaker' } } }).toBuffer() : img.toBuffer();
}

describe('通过人工找回', () => {
  const staffLogin = async () => {
    const s = new Client(env.staffApp, 'cpe_staff_csrf');
    await env.ctx.staff.ensure({
      username: 'handler',
      password: 'Handler@2026',
      displayName: '找回专员',
      roles: ['recovery-handler'],
    });
    const res = await s.post('/api/sessions', {
      username: 'handler',
      password: 'Handler@2026',
      sliderToken: await sliderToken(s, client()),
    });
    expect(res.statusCode, res.body).toBe(200);
    return s;
  };

  it('staff approve a request: the new phone is bound, the photo was stripped of metadata, both sides audited', async () => {
    const p = await register(client());
    const newPhone = buildPerson().phone;
    const c = client();
    const form = multipartFile(
      { realName: p.realName, idNumber: p.idNumber, newPhone, note: '原手机号已停用' },
      { name: 'photo', data: await jpeg(), filename: 'id.jpg', type: 'image/jpeg' },
    );
    const res = await c.request('POST', '/api/manual-recoveries', undefined, form);
    expect(res.statusCode, res.body).toBe(200);
    const dup = await c.request('POST', '/api/manual-recoveries', undefined, form);
    expect(dup.json().code).toBe('RECOVERY_DUPLICATE');

    const s = await staffLogin();
    const list = await s.get('/api/manual-recoveries?status=pending');
    const item = list.json().items.find((i: { id: string }) => i.id === res.json().id);
    expect(item).toMatchObject({ realName: p.realName, accountFound: true, status: 'pending' });
    expect(list.body).not.toContain(p.idNumber);
    expect(list.body).not.toContain(newPhone);

    const photo = await s.get(`/api/manual-recoveries/${item.id}/photo`);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect(photo.rawPayload.includes(Buffer.from('SecretPhoneMaker'))).toBe(false);

    const decided = await s.post(`/api/manual-recoveries/${item.id}/decision`, { decision: 'approve' });
    expect(decided.statusCode, decided.body).toBe(200);
    const twice = await s.post(`/api/manual-recoveries/${item.id}/decision`, { decision: 'reject', reason: 'x' });
    expect(twice.json().code).toBe('RECOVERY_NOT_PENDING');

    expect((await login(client(), newPhone, p.password)).statusCode).toBe(200);
    const actions = await env.ctx.db.execute(
      sql`select action from audit_logs where target_id = ${item.id} order by id`,
    );
    expect(actions.rows.map((r) => (r as { action: string }).action)).toEqual([
      'recovery.submit',
      'recovery.photo.view',
      'recovery.approve',
    ]);
  });

  it('rejecting needs a reason', async () => {
    const c = client();
    const p = buildPerson();
    const res = await c.request(
      'POST',
      '/api/manual-recoveries',
      undefined,
      multipartFile(
        { realName: p.realName, idNumber: p.idNumber, newPhone: p.phone },
        { name: 'photo', data: await jpeg(false), filename: 'a.jpg', type: 'image/jpeg' },
      ),
    );
    expect(res.statusCode, res.body).toBe(200);
    const s = await staffLogin();
    const noReason = await s.post(`/api/manual-recoveries/${res.json().id}/decision`, { decision: 'reject' });
    expect(noReason.json().fields.reason).toMatch(/处理意见/);
    const approveUnknown = await s.post(`/api/manual-recoveries/${res.json().id}/decision`, { decision: 'approve' });
    expect(approveUnknown.statusCode).toBe(400);
    const ok = await s.post(`/api/manual-recoveries/${res.json().id}/decision`, {
      decision: 'reject',
      reason: '照片不清晰',
    });
    expect(ok.statusCode).toBe(200);
  });

  it('refuses a file that is not an image whatever its name, an oversized one, and bad fields', async () => {
    const p = buildPerson();
    const fields = { realName: p.realName, idNumber: p.idNumber, newPhone: p.phone };
    const fake = await client().request(
      'POST',
      '/api/manual-recoveries',
      undefined,
      multipartFile(fields, {
        name: 'photo',
        data: Buffer.from('%PDF-1.4 not an image'),
        filename: 'id.jpg',
        type: 'image/jpeg',
      }),
    );
    expect(fake.statusCode).toBe(400);
    expect(fake.json()).toMatchObject({ code: 'UPLOAD_INVALID', fields: { photo: expect.stringMatching(/JPG、PNG/) } });
    const big = await client().request(
      'POST',
      '/api/manual-recoveries',
      undefined,
      multipartFile(fields, {
        name: 'photo',
        data: Buffer.alloc(5 * 1024 * 1024 + 10, 1),
        filename: 'big.png',
        type: 'image/png',
      }),
    );
    expect(big.statusCode).toBe(413);
    const badId = await client().request(
      'POST',
      '/api/manual-recoveries',
      undefined,
      multipartFile(
        { ...fields, idNumber: '123' },
        { name: 'photo', data: await jpeg(), filename: 'a.jpg', type: 'image/jpeg' },
      ),
    );
    expect(badId.json().fields.idNumber).toMatch(/18位/);
    const noPhoto = await client().request('POST', '/api/manual-recoveries', undefined, multipartFile(fields));
    expect(noPhoto.json().fields.photo).toMatch(/身份证照片/);
    const rows = await env.ctx.db.execute(
      sql`select count(*)::int as n from manual_recoveries where real_name = ${p.realName}`,
    );
    expect((rows.rows[0] as { n: number }).n).toBe(0);
  });
});
