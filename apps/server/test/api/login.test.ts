import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_UNIT_USCC, seedDemoData } from '../../src/seed.js';
import { login, outbox, register, sliderToken } from '../factories.js';
import { Client, createTestEnv } from '../harness.js';

const env = await createTestEnv({ LOGIN_FAILURES_PER_IP: '12' });
const client = () => new Client(env.publicApp);

async function sliderChallenge(c: Client) {
  const res = await c.post('/api/captchas/slider');
  const body = res.json();
  const [item] = await outbox(c, `kind=slider-captcha&to=${body.id}`);
  return { ...body, x: Number(item?.code) };
}

describe('滑块验证 (slider)', () => {
  it('draws a puzzle: background, piece and its row', async () => {
    const ch = await sliderChallenge(client());
    expect(ch.background).toMatch(/^data:image\/png;base64,/);
    expect(ch.piece).toMatch(/^data:image\/png;base64,/);
    expect(ch).toMatchObject({ width: 320, height: 160, pieceSize: 50 });
    expect(ch.x).toBeGreaterThan(0);
  });

  it('accepts within ±5 px, and its token works once', async () => {
    const c = client();
    const ch = await sliderChallenge(c);
    const ok = await c.post(`/api/captchas/slider/${ch.id}/verify`, { x: ch.x + 5 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().expiresInSeconds).toBe(120);
    const twice = await c.post(`/api/captchas/slider/${ch.id}/verify`, { x: ch.x });
    expect(twice.json().code).toBe('SLIDER_EXPIRED');
    const p = await register(client());
    const first = await c.post('/api/sessions', {
      loginType: 'person',
      identifier: p.username,
      password: p.password,
      sliderToken: ok.json().token,
    });
    expect(first.statusCode).toBe(200);
    const reuse = await c.post('/api/sessions', {
      loginType: 'person',
      identifier: p.username,
      password: p.password,
      sliderToken: ok.json().token,
    });
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json().code).toBe('SLIDER_EXPIRED');
  });

  it('refuses 6 px off; five misses spend the puzzle', async () => {
    const c = client();
    const ch = await sliderChallenge(c);
    for (let i = 0; i < 4; i++) {
      const miss = await c.post(`/api/captchas/slider/${ch.id}/verify`, { x: ch.x - 6 });
      expect(miss.json().code).toBe('SLIDER_MISMATCH');
    }
    const fifth = await c.post(`/api/captchas/slider/${ch.id}/verify`, { x: ch.x + 30 });
    expect(fifth.json().code).toBe('SLIDER_TOO_MANY_FAILURES');
    const right = await c.post(`/api/captchas/slider/${ch.id}/verify`, { x: ch.x });
    expect(right.json().code).toBe('SLIDER_EXPIRED');
  });

  it('a token is valid 2 minutes', async () => {
    const c = client();
    const p = await register(client());
    const token = await sliderToken(c);
    env.clock.advance(121_000);
    const res = await c.post('/api/sessions', {
      loginType: 'person',
      identifier: p.username,
      password: p.password,
      sliderToken: token,
    });
    expect(res.json().code).toBe('SLIDER_EXPIRED');
  });

  it('login without a slider token is refused with the field named', async () => {
    const res = await client().post('/api/sessions', { loginType: 'person', identifier: 'abcd', password: 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields.sliderToken).toBe('请向右滑动完成验证');
  });
});

describe('登录 (个人用户)', () => {
  it('gives the same answer for an unknown user and a wrong password', async () => {
    const p = await register(client());
    const unknown = await login(client(), 'nobody_here', p.password);
    const wrong = await login(client(), p.username, 'Wrong-Passw0rd');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual({ code: 'LOGIN_FAILED', message: '用户名或密码错误' });
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('sets an HttpOnly SameSite=Lax session cookie and /api/me answers with masked data', async () => {
    const p = await register(client());
    const c = client();
    const res = await login(c, p.username, p.password);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/cpe_sid=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // only in production
    const me = await c.get('/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: p.username, realName: p.realName, realNameVerified: true });
    expect(me.body).not.toContain(p.idNumber);
    expect(me.body).not.toContain(p.phone);
    expect(me.json().phoneMasked).toBe(`${p.phone.slice(0, 3)}****${p.phone.slice(-4)}`);
  });

  it('locks after 5 wrong passwords within 15 minutes, says for how long, and unlocks after 15 minutes', async () => {
    const p = await register(client());
    for (let i = 0; i < 4; i++)
      expect((await login(client(), p.username, 'Wrong-Passw0rd')).json().code).toBe('LOGIN_FAILED');
    const fifth = await login(client(), p.username, 'Wrong-Passw0rd');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().code).toBe('ACCOUNT_LOCKED');
    expect(fifth.json().message).toMatch(/15分钟/);
    const right = await login(client(), p.username, p.password);
    expect(right.json().code).toBe('ACCOUNT_LOCKED');
    env.clock.advance(10 * 60_000);
    expect((await login(client(), p.username, p.password)).json().message).toMatch(/5分钟/);
    env.clock.advance(5 * 60_000 + 1000);
    expect((await login(client(), p.username, p.password)).statusCode).toBe(200);
    const audit = await env.ctx.db.execute(
      sql`select count(*)::int as n from audit_logs where action = 'public.login.locked'`,
    );
    expect((audit.rows[0] as { n: number }).n).toBeGreaterThanOrEqual(1);
  });

  it('limits wrong passwords per IP across accounts', async () => {
    const c = client();
    for (let i = 0; i < 12; i++) {
      const res = await login(c, `nobody${i}x`, 'Wrong-Passw0rd');
      expect(res.json().code).toBe('LOGIN_FAILED');
    }
    const blocked = await login(c, 'nobodyy', 'Wrong-Passw0rd');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('RATE_LIMITED');
  });

  it('法人用户 logs in with the unit code and its administrator password; anything else is 用户名或密码错误', async () => {
    const legal = async (uscc: string, password: string) => {
      const c = client();
      return c.post('/api/sessions', { loginType: 'legal', uscc, password, sliderToken: await sliderToken(c) });
    };
    await seedDemoData(env.ctx);
    const ok = await legal(DEMO_UNIT_USCC.toLowerCase(), DEMO_ACCOUNTS.unitAdmin.password);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().username).toBe(DEMO_ACCOUNTS.unitAdmin.username);
    expect((await legal(DEMO_UNIT_USCC, 'Wrong-Passw0rd')).json()).toEqual({
      code: 'LOGIN_FAILED',
      message: '用户名或密码错误',
    });
    expect((await legal('91350100M000100Y43', DEMO_ACCOUNTS.unitAdmin.password)).json().code).toBe('LOGIN_FAILED');
  });

  it('shows only the configured 第三方登录 under the form: in demo mode the 微信 stand-in and the 演示 CA (sso.test.ts and ca-login.test.ts have the rest)', async () => {
    await seedDemoData(env.ctx);
    const res = await client().get('/api/login-providers');
    expect(res.json()).toEqual({
      items: [
        { id: 'wechat', name: '微信', icon: 'wechat', type: 'wechat', signerUrl: null },
        {
          id: 'ca-demo',
          name: 'CA 证书',
          icon: 'ca',
          type: 'ca',
          signerUrl: `${env.ctx.config.publicUrl}/ca-signer`,
        },
      ],
    });
    // The 演示证书 the demo signing page holds: 张三's and 王五's unit's, issued by the CA the provider trusts.
    const demo = (await client().get('/api/dev/ca/certificates')).json();
    expect(demo.items.map((i: { label: string }) => i.label)).toEqual([
      `${DEMO_ACCOUNTS.learner.realName}（个人证书）`,
      '重庆渝中示例科技有限公司（法人证书）',
    ]);
    expect(JSON.stringify(demo)).not.toContain('"ca"');
  });
});

describe('sessions', () => {
  it('401 without a session', async () => {
    const res = await client().get('/api/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('UNAUTHENTICATED');
  });

  it('expires after 30 idle minutes, but not while in use', async () => {
    const p = await register(client());
    const c = client();
    await login(c, p.username, p.password);
    for (let i = 0; i < 4; i++) {
      env.clock.advance(20 * 60_000);
      expect((await c.get('/api/me')).statusCode).toBe(200);
    }
    env.clock.advance(31 * 60_000);
    const res = await c.get('/api/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('SESSION_EXPIRED');
  });

  it('ends after 12 hours however active', async () => {
    const p = await register(client());
    const c = client();
    await login(c, p.username, p.password);
    for (let minutes = 25; minutes <= 700; minutes += 25) {
      env.clock.advance(25 * 60_000);
      expect((await c.get('/api/me')).statusCode, `after ${minutes} minutes`).toBe(200);
    }
    env.clock.advance(25 * 60_000);
    const res = await c.get('/api/me');
    expect(res.json().code).toBe('SESSION_EXPIRED');
  });

  it('logout ends the session at once', async () => {
    const p = await register(client());
    const c = client();
    await login(c, p.username, p.password);
    const token = c.cookies.get('cpe_sid') as string;
    expect((await c.del('/api/sessions/current')).statusCode).toBe(200);
    const reuse = new Client(env.publicApp);
    reuse.cookies.set('cpe_sid', token);
    expect((await reuse.get('/api/me')).statusCode).toBe(401);
  });
});
