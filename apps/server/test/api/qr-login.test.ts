import { describeUserAgent, QR_LOGIN_TTL_SECONDS } from '@cpe/shared';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accounts, auditLogs } from '../../src/db/schema/index.js';
import { login, register } from '../factories.js';
import { Client, createTestEnv } from '../harness.js';

const env = await createTestEnv();
const DESKTOP_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

/** A phone already signed in as a freshly registered person. */
async function signedInPhone() {
  const phone = new Client(env.publicApp);
  const person = await register(phone);
  expect((await login(phone, person.username, person.password)).statusCode).toBe(200);
  return { phone, person };
}

async function desktopTicket() {
  const desktop = new Client(env.publicApp);
  const res = await desktop.request('POST', '/api/qr-logins', {}, { headers: { 'user-agent': DESKTOP_UA } });
  expect(res.statusCode, res.body).toBe(200);
  const ticket = res.json() as { pollToken: string; scanPath: string; expiresAt: string };
  const code = ticket.scanPath.split('#')[1] as string;
  const poll = () => desktop.post('/api/qr-logins/poll', { pollToken: ticket.pollToken });
  return { desktop, ticket, code, poll };
}

describe('扫码登录', () => {
  it('desktop shows a 2-minute code; the signed-in phone sees who asks, confirms, and the desktop is signed in once', async () => {
    const { desktop, ticket, code, poll } = await desktopTicket();
    expect(ticket.scanPath).toMatch(/^\/qr-login#public\.qr-scan\./);
    const lifetime = new Date(ticket.expiresAt).getTime() - env.clock.now().getTime();
    expect(lifetime).toBeGreaterThan(QR_LOGIN_TTL_SECONDS * 1000 - 5000);
    expect(lifetime).toBeLessThanOrEqual(QR_LOGIN_TTL_SECONDS * 1000);
    expect((await poll()).json().status).toBe('pending');

    const { phone, person } = await signedInPhone();
    const scanned = await phone.post('/api/qr-logins/scan', { code });
    expect(scanned.statusCode, scanned.body).toBe(200);
    expect(scanned.json()).toMatchObject({ browser: describeUserAgent(DESKTOP_UA), ip: desktop.ip, place: '内网' });
    expect(scanned.json().browser).toBe('Chrome 131（Windows）');
    expect((await poll()).json().status).toBe('scanned');
    // The desktop is not signed in before the confirmation.
    expect((await desktop.get('/api/me')).statusCode).toBe(401);

    expect((await phone.post('/api/qr-logins/confirm', { code })).statusCode).toBe(200);
    const signedIn = await poll();
    expect(signedIn.json()).toMatchObject({ status: 'confirmed', me: { username: person.username } });
    const me = await desktop.get('/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().username).toBe(person.username);
    // A state change with the new session works (its CSRF token came with the cookie).
    expect((await desktop.del('/api/sessions/current')).statusCode).toBe(200);

    // Dead after one use: the next poll and the phone both hear so.
    expect((await poll()).json().status).toBe('expired');
    expect((await phone.post('/api/qr-logins/confirm', { code })).json().code).toBe('QR_LOGIN_EXPIRED');
  });

  it('取消 on the phone: the desktop hears 已取消 and is not signed in; the code is dead', async () => {
    const { desktop, code, poll } = await desktopTicket();
    const { phone } = await signedInPhone();
    await phone.post('/api/qr-logins/scan', { code });
    expect((await phone.post('/api/qr-logins/cancel', { code })).statusCode).toBe(200);
    const r = await poll();
    expect(r.json().status).toBe('cancelled');
    expect(r.json().me).toBeUndefined();
    expect((await desktop.get('/api/me')).statusCode).toBe(401);
    expect((await phone.post('/api/qr-logins/scan', { code })).json().code).toBe('QR_LOGIN_EXPIRED');
  });

  it('expires after 2 minutes: neither scan nor confirm works, the desktop is told to refresh', async () => {
    const { code, poll } = await desktopTicket();
    const { phone } = await signedInPhone();
    await phone.post('/api/qr-logins/scan', { code });
    env.clock.advance(QR_LOGIN_TTL_SECONDS * 1000 + 1);
    expect((await poll()).json().status).toBe('expired');
    const late = await phone.post('/api/qr-logins/confirm', { code });
    expect(late.statusCode).toBe(400);
    expect(late.json()).toMatchObject({
      code: 'QR_LOGIN_EXPIRED',
      message: '二维码已失效，请在电脑上刷新二维码后重新扫描',
    });
  });

  it('a phone that is not signed in is asked to log in; another account cannot take a scanned code', async () => {
    const { code } = await desktopTicket();
    const anonymous = new Client(env.publicApp);
    expect((await anonymous.post('/api/qr-logins/scan', { code })).statusCode).toBe(401);
    const first = await signedInPhone();
    await first.phone.post('/api/qr-logins/scan', { code });
    const second = await signedInPhone();
    const taken = await second.phone.post('/api/qr-logins/scan', { code });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('QR_LOGIN_TAKEN');
    expect((await second.phone.post('/api/qr-logins/confirm', { code })).json().code).toBe('QR_LOGIN_TAKEN');
    // Confirming without scanning first is refused too.
    const other = await desktopTicket();
    expect((await first.phone.post('/api/qr-logins/confirm', { code: other.code })).json().code).toBe(
      'QR_LOGIN_NOT_SCANNED',
    );
  });

  it('the two secrets are not interchangeable, and foreign tokens are refused as such', async () => {
    const { ticket, code, desktop } = await desktopTicket();
    const { phone } = await signedInPhone();
    // The QR's code cannot be polled (whoever sees the QR cannot collect the session) …
    const stolen = await new Client(env.publicApp).post('/api/qr-logins/poll', { pollToken: code });
    expect(stolen.json().code).toBe('TOKEN_WRONG_PURPOSE');
    // … and the poll token cannot be scanned.
    expect((await phone.post('/api/qr-logins/scan', { code: ticket.pollToken })).json().code).toBe(
      'TOKEN_WRONG_PURPOSE',
    );
    expect(
      (await desktop.post('/api/qr-logins/poll', { pollToken: 'public.qr-poll.nothing-like-this' })).json().code,
    ).toBe('QR_LOGIN_INVALID');
  });

  it('two polls racing for one confirmed ticket give exactly one session', async () => {
    const { code, poll } = await desktopTicket();
    const { phone } = await signedInPhone();
    await phone.post('/api/qr-logins/scan', { code });
    await phone.post('/api/qr-logins/confirm', { code });
    const results = await Promise.all([poll(), poll(), poll()]);
    expect(results.filter((r) => r.json().me).length).toBe(1);
  });

  it('the staff console has no 扫码登录', async () => {
    const staff = new Client(env.staffApp, 'cpe_staff_csrf');
    expect((await staff.post('/api/qr-logins')).statusCode).toBe(404);
  });

  it('audits the confirmation and the login with its method', async () => {
    const { code, poll } = await desktopTicket();
    const { phone, person } = await signedInPhone();
    await phone.post('/api/qr-logins/scan', { code });
    await phone.post('/api/qr-logins/confirm', { code });
    await poll();
    const [account] = await env.ctx.db.select().from(accounts).where(eq(accounts.username, person.username));
    const rows = await env.ctx.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.actorId, account?.id as string));
    const actions = rows.map((r) => `${r.action}:${JSON.stringify(r.summary)}`);
    expect(actions.some((a) => a.startsWith('qr-login.confirm'))).toBe(true);
    expect(actions.some((a) => a === 'public.login:{"method":"qr"}')).toBe(true);
  });
});
