import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildPerson, imageCaptcha, lastSmsCode, login, register, sliderToken } from '../factories.js';
import { Client, createTestEnv } from '../harness.js';

const env = await createTestEnv();
const client = () => new Client(env.publicApp);
const staffClient = () => new Client(env.staffApp, 'cpe_staff_csrf');

async function loggedIn() {
  const p = await register(client());
  const c = client();
  expect((await login(c, p.username, p.password)).statusCode).toBe(200);
  return { p, c };
}

describe('个人中心', () => {
  it('changing the password ends every session, this one too', async () => {
    const { p, c } = await loggedIn();
    const other = client();
    await login(other, p.username, p.password);
    const wrongOld = await c.post('/api/me/password', {
      oldPassword: 'Nope-1234',
      password: 'N3w-Secret!',
      confirmPassword: 'N3w-Secret!',
    });
    expect(wrongOld.json()).toMatchObject({ code: 'OLD_PASSWORD_WRONG', fields: { oldPassword: '原密码错误' } });
    const ok = await c.post('/api/me/password', {
      oldPassword: p.password,
      password: 'N3w-Secret!',
      confirmPassword: 'N3w-Secret!',
    });
    expect(ok.statusCode).toBe(200);
    expect((await c.get('/api/me')).statusCode).toBe(401);
    expect((await other.get('/api/me')).statusCode).toBe(401);
    expect((await login(client(), p.username, 'N3w-Secret!')).statusCode).toBe(200);
  });

  it('changes the phone with a code sent to the new phone', async () => {
    const { p, c } = await loggedIn();
    const newPhone = buildPerson().phone;
    const send = await c.post('/api/sms-codes', {
      phone: newPhone,
      purpose: 'change-phone',
      ...(await imageCaptcha(c)),
    });
    expect(send.statusCode).toBe(200);
    const wrongPurpose = await c.post('/api/me/phone', { phone: p.phone, smsCode: await lastSmsCode(c, newPhone) });
    expect(wrongPurpose.json().code).toBe('SMS_CODE_EXPIRED');
    const res = await c.post('/api/me/phone', { phone: newPhone, smsCode: await lastSmsCode(c, newPhone) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().phoneMasked).toBe(`${newPhone.slice(0, 3)}****${newPhone.slice(-4)}`);
    expect((await login(client(), newPhone, p.password)).statusCode).toBe(200);
    expect((await login(client(), p.phone, p.password)).statusCode).toBe(401);
  });

  it('refuses a phone bound to another account', async () => {
    const { c } = await loggedIn();
    const other = await register(client());
    await env.clock.advance(61_000);
    await c.post('/api/sms-codes', { phone: other.phone, purpose: 'change-phone', ...(await imageCaptcha(c)) });
    const res = await c.post('/api/me/phone', { phone: other.phone, smsCode: await lastSmsCode(c, other.phone) });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('PHONE_TAKEN');
  });

  it('has no way to change the ID number', async () => {
    const { p, c } = await loggedIn();
    const other = buildPerson().idNumber;
    for (const [method, url] of [
      ['PUT', '/api/me'],
      ['PATCH', '/api/me'],
      ['POST', '/api/me'],
      ['POST', '/api/me/id-number'],
    ] as const) {
      const res = await c.request(method, url, { idNumber: other });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    const me = await c.get('/api/me');
    expect(me.json().idNumberMasked).toBe(`${p.idNumber[0]}${'*'.repeat(16)}${p.idNumber[17]}`);
  });

  it('protected routes answer 401 without a session', async () => {
    for (const [method, url] of [
      ['GET', '/api/me'],
      ['POST', '/api/me/password'],
      ['POST', '/api/me/phone'],
      ['DELETE', '/api/sessions/current'],
    ] as const) {
      const res = await client().request(method, url, method === 'GET' ? undefined : {});
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
  });
});

describe('内网 staff login', () => {
  it('a staff account logs in on the staff listener only; a public account cannot', async () => {
    await env.ctx.staff.ensure({ username: 'ops1', password: 'Ops@20261', displayName: '运维', roles: ['sysadmin'] });
    const s = staffClient();
    const res = await s.post('/api/sessions', {
      username: 'ops1',
      password: 'Ops@20261',
      sliderToken: await sliderToken(s, client()),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/cpe_staff_sid=/);
    expect((await s.get('/api/me')).json()).toMatchObject({ username: 'ops1', roles: ['sysadmin'] });

    // The staff session cookie means nothing on the public listener, and vice versa.
    const onPublic = client();
    onPublic.cookies.set('cpe_sid', s.cookies.get('cpe_staff_sid') as string);
    expect((await onPublic.get('/api/me')).statusCode).toBe(401);

    const { p } = await loggedIn();
    const asStaff = staffClient();
    const denied = await asStaff.post('/api/sessions', {
      username: p.username,
      password: p.password,
      sliderToken: await sliderToken(asStaff, client()),
    });
    expect(denied.statusCode).toBe(401);
    expect(denied.json().code).toBe('LOGIN_FAILED');
  });

  it('staff lock out after 5 wrong passwords', async () => {
    await env.ctx.staff.ensure({ username: 'ops2', password: 'Ops@20262', displayName: '运维2', roles: ['sysadmin'] });
    for (let i = 0; i < 5; i++) {
      const s = staffClient();
      await s.post('/api/sessions', {
        username: 'ops2',
        password: 'Wrong-1234',
        sliderToken: await sliderToken(s, client()),
      });
    }
    const s = staffClient();
    const res = await s.post('/api/sessions', {
      username: 'ops2',
      password: 'Ops@20262',
      sliderToken: await sliderToken(s, client()),
    });
    expect(res.json().code).toBe('ACCOUNT_LOCKED');
  });

  it('the recovery queue needs a staff session and the right role', async () => {
    expect((await staffClient().get('/api/manual-recoveries')).statusCode).toBe(401);
    await env.ctx.staff.ensure({ username: 'norole', password: 'Norole@2026', displayName: '无权限', roles: [] });
    const s = staffClient();
    await s.post('/api/sessions', {
      username: 'norole',
      password: 'Norole@2026',
      sliderToken: await sliderToken(s, client()),
    });
    const res = await s.get('/api/manual-recoveries');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
    const bad = await s.get('/api/manual-recoveries?page=0');
    expect([400, 403]).toContain(bad.statusCode);
  });

  it('a page query out of range is a 400 naming the field', async () => {
    await env.ctx.staff.ensure({ username: 'ops3', password: 'Ops@20263', displayName: '运维3', roles: ['sysadmin'] });
    const s = staffClient();
    await s.post('/api/sessions', {
      username: 'ops3',
      password: 'Ops@20263',
      sliderToken: await sliderToken(s, client()),
    });
    const res = await s.get('/api/manual-recoveries?pageSize=1000');
    expect(res.statusCode).toBe(400);
    expect(res.json().fields.pageSize).toBeTruthy();
    const ok = await s.get('/api/manual-recoveries');
    expect(ok.json()).toMatchObject({ page: 1, pageSize: 20 });
  });
});

describe('less travelled errors', () => {
  it('a disabled staff account gets ACCOUNT_DISABLED with the right password', async () => {
    await env.ctx.staff.ensure({
      username: 'gone1',
      password: 'Gone@2026x',
      displayName: '停用人员',
      roles: ['reviewer'],
    });
    await env.ctx.db.execute(sql`update staff_accounts set status = 'disabled' where username = 'gone1'`);
    const s = staffClient();
    const res = await s.post('/api/sessions', {
      username: 'gone1',
      password: 'Gone@2026x',
      sliderToken: await sliderToken(s, client()),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('ACCOUNT_DISABLED');
  });

  it('an account without a phone is sent to 人工找回 at the method step', async () => {
    const p = await register(client());
    await env.ctx.db.execute(
      sql`update accounts set phone_hash = null, phone_enc = null where username = ${p.username}`,
    );
    const c = client();
    const start = await c.post('/api/password-resets', { identifier: p.username, ...(await imageCaptcha(c)) });
    expect(start.json().phoneMasked).toBeNull();
    const method = await c.post('/api/password-resets/method', { token: start.json().token, method: 'phone' });
    expect(method.json().code).toBe('RESET_NO_PHONE');
  });

  it('a manual recovery must be a multipart form', async () => {
    const res = await client().post('/api/manual-recoveries', { realName: '张三' });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('readyz answers 503 NOT_READY when the database is gone', async () => {
    const broken = await createTestEnv();
    await broken.ctx.database.close();
    const res = await broken.publicApp.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('NOT_READY');
  });
});
