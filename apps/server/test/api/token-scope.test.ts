import { describe, expect, it } from 'vitest';
import {
  basicBody,
  buildPerson,
  imageCaptcha,
  lastSmsCode,
  login,
  outbox,
  register,
  sendSms,
  sliderToken,
} from '../factories.js';
import { Client, createTestEnv } from '../harness.js';

/**
 * Issue 20 §4: a token is good only where it was made. Captchas, slider tokens and flow tokens carry their
 * listener and purpose; the CSRF token is derived from the session (or a signed pre-session) and changes at login
 * and logout.
 */
const env = await createTestEnv();
const portal = () => new Client(env.publicApp);
const staff = () => new Client(env.staffApp, 'cpe_staff_csrf');

async function staffAccount() {
  const username = `sc${Math.random().toString(36).slice(2, 10)}`;
  await env.ctx.staff.ensure({ username, password: 'Scope@2026', displayName: '测试', roles: ['sysadmin'] });
  return { username, password: 'Scope@2026' };
}

async function sliderId(c: Client): Promise<{ id: string; x: number }> {
  const res = await c.post('/api/captchas/slider');
  expect(res.statusCode).toBe(200);
  const { id } = res.json();
  const [item] = await outbox(portal(), `kind=slider-captcha&to=${encodeURIComponent(id)}`);
  return { id, x: Number(item?.code) };
}

describe('captcha and slider tokens are bound to their listener', () => {
  it('a slider solved on the portal does not open the staff login, and the reverse', async () => {
    const s = staff();
    const account = await staffAccount();
    const fromPortal = await sliderToken(portal());
    const refused = await s.post('/api/sessions', { ...account, sliderToken: fromPortal });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'TOKEN_WRONG_LISTENER',
      message: expect.stringContaining('门户网站与内网管理端不能混用'),
      fields: { sliderToken: expect.any(String) },
    });
    // The staff listener's own slider works for the same login.
    const ok = await s.post('/api/sessions', { ...account, sliderToken: await sliderToken(s, portal()) });
    expect(ok.statusCode, ok.body).toBe(200);

    const p = await register(portal());
    const c = portal();
    const fromStaff = await sliderToken(staff(), portal());
    const back = await c.post('/api/sessions', {
      loginType: 'person',
      identifier: p.username,
      password: p.password,
      sliderToken: fromStaff,
    });
    expect(back.statusCode).toBe(400);
    expect(back.json().code).toBe('TOKEN_WRONG_LISTENER');
  });

  it('a puzzle drawn on one listener cannot be solved on the other', async () => {
    const { id, x } = await sliderId(portal());
    const res = await staff().post(`/api/captchas/slider/${id}/verify`, { x });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('TOKEN_WRONG_LISTENER');
    // Refused before it was looked at: the puzzle is still good where it was drawn.
    expect((await portal().post(`/api/captchas/slider/${id}/verify`, { x })).statusCode).toBe(200);
  });

  it('a token whose scope was edited is one nobody issued', async () => {
    const token = await sliderToken(portal());
    const edited = token.replace(/^public\./, 'staff.');
    const res = await staff().post('/api/sessions', { ...(await staffAccount()), sliderToken: edited });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('SLIDER_EXPIRED');
  });
});

describe('tokens are bound to their purpose', () => {
  it('a slider puzzle id is not an image captcha, and an image captcha is not a slider', async () => {
    const c = portal();
    const { id } = await sliderId(c);
    const asImage = await c.post('/api/sms-codes', {
      phone: buildPerson().phone,
      purpose: 'register',
      captchaId: id,
      captchaCode: 'abcd',
    });
    expect(asImage.statusCode).toBe(400);
    expect(asImage.json()).toMatchObject({ code: 'TOKEN_WRONG_PURPOSE', fields: { captchaCode: expect.any(String) } });

    const { captchaId } = await imageCaptcha(c);
    const asSlider = await c.post(`/api/captchas/slider/${captchaId}/verify`, { x: 10 });
    expect(asSlider.statusCode).toBe(400);
    expect(asSlider.json().code).toBe('TOKEN_WRONG_PURPOSE');
  });

  it('a registration token does not drive a password reset', async () => {
    const c = portal();
    const p = buildPerson();
    expect((await sendSms(c, p.phone)).statusCode).toBe(200);
    const start = await c.post('/api/registrations', basicBody(p, await lastSmsCode(c, p.phone)));
    expect(start.statusCode, start.body).toBe(200);
    const res = await c.post('/api/password-resets/method', { token: start.json().token, method: 'phone' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('TOKEN_WRONG_PURPOSE');
    // Still good for what it was made for.
    expect((await c.post('/api/registrations/complete', { token: start.json().token })).statusCode).toBe(200);
  });
});

describe('CSRF token bound to the session', () => {
  const probe = (c: Client, token: string) =>
    c.request('POST', '/api/captchas/image', {}, { csrf: false, headers: { 'x-csrf-token': token } });

  it('changes at login: the token from before is refused, the new one works', async () => {
    const p = await register(portal());
    const c = portal();
    const before = await c.ensureCsrf();
    expect((await login(c, p.username, p.password)).statusCode).toBe(200);
    const after = c.cookies.get('cpe_csrf') as string;
    expect(after).not.toBe(before);
    expect((await c.get('/api/csrf')).json().token).toBe(after);

    const old = await probe(c, before);
    expect(old.statusCode).toBe(403);
    expect(old.json().code).toBe('CSRF_INVALID');
    expect((await probe(c, after)).statusCode).toBe(200);
  });

  it('a token planted from another session is refused', async () => {
    const [p1, p2] = [await register(portal()), await register(portal())];
    const a = portal();
    const b = portal();
    await login(a, p1.username, p1.password);
    await login(b, p2.username, p2.password);
    const aToken = a.cookies.get('cpe_csrf') as string;
    b.cookies.set('cpe_csrf', aToken);
    const res = await probe(b, aToken);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CSRF_INVALID');
    // The refusal hands back the session's own token, so the page's next try works.
    expect(b.cookies.get('cpe_csrf')).not.toBe(aToken);
    expect((await b.post('/api/captchas/image')).statusCode).toBe(200);
  });

  it('signed out, a pair the attacker picked is refused; the server-signed one works', async () => {
    const c = portal();
    c.cookies.set('cpe_csrf', 'chosen-by-attacker');
    expect((await probe(c, 'chosen-by-attacker')).statusCode).toBe(403);
    const issued = c.cookies.get('cpe_csrf') as string;
    expect(issued).not.toBe('chosen-by-attacker');
    expect((await probe(c, issued)).statusCode).toBe(200);
    // Header and the pre-session cookie must agree: another browser's signed token is not this one's.
    const other = await portal().ensureCsrf();
    expect((await probe(c, other)).statusCode).toBe(403);
  });

  it("one listener's token is refused on the other", async () => {
    const token = await portal().ensureCsrf();
    const s = staff();
    s.cookies.set('cpe_staff_csrf', token);
    expect((await probe(s, token)).statusCode).toBe(403);
  });

  it('changes at logout: the session token is spent, a new pre-session token is issued', async () => {
    const p = await register(portal());
    const c = portal();
    await login(c, p.username, p.password);
    const during = c.cookies.get('cpe_csrf') as string;
    expect((await c.del('/api/sessions/current')).statusCode).toBe(200);
    const after = c.cookies.get('cpe_csrf') as string;
    expect(after).not.toBe(during);
    expect((await probe(c, during)).statusCode).toBe(403);
    expect((await probe(c, c.cookies.get('cpe_csrf') as string)).statusCode).toBe(200);
  });

  it('staff login rotates the staff token too', async () => {
    const s = staff();
    const before = await s.ensureCsrf();
    const res = await s.post('/api/sessions', {
      ...(await staffAccount()),
      sliderToken: await sliderToken(s, portal()),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(s.cookies.get('cpe_staff_csrf')).not.toBe(before);
    expect((await probe(s, before)).statusCode).toBe(403);
    expect((await s.post('/api/captchas/image')).statusCode).toBe(200);
  });
});
