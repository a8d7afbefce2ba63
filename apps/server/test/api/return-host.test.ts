import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayTrades } from '../../src/db/schema/index.js';
import { DEMO_CA, ensureDemoCa } from '../../src/modules/sso/demo-ca.js';
import { buildPerson } from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { LATER, learner, onSalePlan, staffWith } from '../purchase-factories.js';
import { type Claims, ProviderBrowser, startOidcProvider } from '../sso-providers.js';

/**
 * Issue 22 §5: every return from a provider (a payment cashier, 微信网页授权, a 第三方登录 callback) lands on the
 * public URL the person came from when it is one of PUBLIC_URL's, else on the first — never on a host the request
 * names but the operator did not list. What other systems and printed documents name (notify URLs, the
 * certificate QR, the OpenID issuer) stays on the first.
 */
const A = 'http://cpe.example.test:3000';
const B = 'http://10.9.8.7:8080';
const HOSTILE = 'attacker.example';
const hostOf = (origin: string) => new URL(origin).host;

let env: TestEnv;
let planId: string;
/** The test OpenID provider's address (an outside host a 第三方登录 start may send the browser to). */
let idpOrigin = '';
let closeIdp = async () => {};
afterAll(() => closeIdp());

beforeAll(async () => {
  env = await createTestEnv({ PUBLIC_URL: `${A}/, ${B}`, SESSION_IDLE_MINUTES: '600' });
  planId = (await onSalePlan(env, { priceFen: 12_000 })).id;
});

/** A learner signed in at `host` (the Host header every request of theirs carries) with a pending order. */
async function learnerAt(host: string, e = env, plan = planId) {
  const { c, p } = await learner(e);
  c.host = host;
  const order = await c.post('/api/orders', { planId: plan, invoice: LATER });
  expect(order.statusCode, order.body).toBe(200);
  return { c, p, orderId: order.json().id as string };
}

/** 去支付 by 支付宝 on a desktop: the cashier's URL. */
async function payStart(c: Client, orderId: string, headers: Record<string, string> = {}) {
  const res = await c.request(
    'POST',
    `/api/orders/${orderId}/payments`,
    { channel: 'alipay', device: 'desktop' },
    {
      headers,
    },
  );
  expect(res.statusCode, res.body).toBe(200);
  return new URL(res.json().url as string);
}

const tradeOf = async (cashier: URL, e = env) => {
  const [t] = await e.ctx.db
    .select()
    .from(gatewayTrades)
    .where(eq(gatewayTrades.id, cashier.pathname.split('/').pop() as string));
  return t as typeof gatewayTrades.$inferSelect;
};

describe('PUBLIC_URL lists two origins', () => {
  it('keeps the first as the canonical address', () => {
    expect(env.ctx.config.publicUrl).toBe(A);
    expect(env.ctx.config.publicUrls).toEqual([A, B]);
  });
});

describe('the payment cashier sends the payer back to the host they paid from', () => {
  it('a payment started at B returns to B after 确认支付; the notify URL stays on A', async () => {
    const { c, orderId } = await learnerAt(hostOf(B));
    const cashier = await payStart(c, orderId);
    // The demo cashier stands in for 支付宝: an outside page, at the canonical address.
    expect(cashier.origin).toBe(A);
    const trade = await tradeOf(cashier);
    expect(trade.returnUrl).toBe(`${B}/orders/${orderId}/result`);
    expect(trade.notifyUrl).toBe(`${A}/api/payments/notify/alipay`);

    // The payer's browser on the cashier page (at A), pressing 确认支付.
    const payer = new Client(env.publicApp);
    payer.host = hostOf(A);
    const page = await payer.get(`${cashier.pathname}${cashier.search}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain(`form-action 'self' ${B}`);
    const view = await env.ctx.purchase.gateway.cashier(trade.id);
    const paid = await payer.request('POST', `${cashier.pathname}/pay`, undefined, {
      csrf: false,
      payload: new URLSearchParams({ token: view?.token as string }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(paid.statusCode).toBe(303);
    const back = new URL(paid.headers.location as string);
    expect(back.origin).toBe(B);
    expect(back.pathname).toBe(`/orders/${orderId}/result`);
    expect(back.searchParams.get('out_trade_no')).toBe(trade.outTradeNo);

    // Back at B, the result page asks; the notification (to A's notify route) has made the order paid.
    await env.ctx.jobs.runDue();
    const synced = await c.post(`/api/orders/${orderId}/sync`);
    expect(synced.statusCode, synced.body).toBe(200);
    expect(synced.json().status).toBe('paid');
  });

  it('at A, or at A named with its default port, returns to A', async () => {
    const { c, orderId } = await learnerAt(hostOf(A));
    expect((await tradeOf(await payStart(c, orderId))).returnUrl).toBe(`${A}/orders/${orderId}/result`);
    const { c: c2, orderId: o2 } = await learnerAt('CPE.example.test:3000');
    expect((await tradeOf(await payStart(c2, o2))).returnUrl).toBe(`${A}/orders/${o2}/result`);
  });

  it('a host not listed (or an X-Forwarded-Host without TRUST_PROXY) returns to the first, never to that host', async () => {
    const { c, orderId } = await learnerAt(HOSTILE);
    const trade = await tradeOf(await payStart(c, orderId));
    expect(trade.returnUrl).toBe(`${A}/orders/${orderId}/result`);
    expect(trade.notifyUrl).toBe(`${A}/api/payments/notify/alipay`);

    const { c: c2, orderId: o2 } = await learnerAt(HOSTILE);
    const forwarded = await tradeOf(
      await payStart(c2, o2, { 'x-forwarded-host': hostOf(B), 'x-forwarded-proto': 'https' }),
    );
    expect(forwarded.returnUrl).toBe(`${A}/orders/${o2}/result`);
  });
});

describe('behind a proxy the app trusts (TRUST_PROXY=true)', () => {
  let proxied: TestEnv;
  let plan: string;
  beforeAll(async () => {
    proxied = await createTestEnv({ PUBLIC_URL: `${A},${B}`, TRUST_PROXY: 'true' });
    plan = (await onSalePlan(proxied)).id;
  });

  it('the host is X-Forwarded-Host, matched against the list like Host', async () => {
    const behind = { host: 'lb.internal:80', 'x-forwarded-proto': 'http' };
    const { c, orderId } = await learnerAt('lb.internal:80', proxied, plan);
    const toB = await payStart(c, orderId, { ...behind, 'x-forwarded-host': hostOf(B) });
    expect((await tradeOf(toB, proxied)).returnUrl).toBe(`${B}/orders/${orderId}/result`);
    const { c: c2, orderId: o2 } = await learnerAt('lb.internal:80', proxied, plan);
    const hostile = await payStart(c2, o2, { ...behind, 'x-forwarded-host': HOSTILE });
    expect((await tradeOf(hostile, proxied)).returnUrl).toBe(`${A}/orders/${o2}/result`);
  });
});

describe('what other systems and printed documents name stays on the first public URL', () => {
  it('the certificate verification URL and the OpenID issuer do not follow the request host', async () => {
    expect(env.ctx.certificates.verifyUrl('GK2026000001')).toBe(`${A}/verify?no=GK2026000001`);
    const discovery = async (host: string) => {
      const c = new Client(env.publicApp);
      c.host = host;
      const res = await c.get('/oidc/.well-known/openid-configuration');
      expect(res.statusCode, res.body).toBe(200);
      return res;
    };
    const atB = await discovery(hostOf(B));
    expect(atB.json().issuer).toBe(`${A}/oidc`);
    // The endpoints are served at every public URL: at B they name B, where the person's portal session is.
    expect(atB.json().authorization_endpoint).toBe(`${B}/oidc/auth`);
    const hostile = await discovery(HOSTILE);
    expect(hostile.json().issuer).toBe(`${A}/oidc`);
    expect(hostile.json().authorization_endpoint).toBe(`${A}/oidc/auth`);
    expect(hostile.body).not.toContain(HOSTILE);
  });
});

describe('微信网页授权 (微信支付 inside WeChat) comes back to the host the person is on', () => {
  const follow = (c: Client, url: string) => {
    const u = new URL(url);
    const browser = new Client(env.publicApp);
    for (const [k, v] of c.cookies) browser.cookies.set(k, v);
    browser.host = u.host;
    return browser.get(`${u.pathname}${u.search}`);
  };

  it('started at B: the redirect_uri is B, the simulated WeChat accepts it and the callback at B binds the openid', async () => {
    const { c } = await learnerAt(hostOf(B));
    const start = await c.get(`/api/wechat/oauth?returnTo=${encodeURIComponent('/orders')}`);
    expect(start.statusCode).toBe(302);
    const authorize = new URL(start.headers.location as string);
    expect(authorize.origin).toBe(A);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${B}/api/wechat/oauth/callback`);

    const toUs = await follow(c, authorize.toString());
    expect(toUs.statusCode, toUs.body).toBe(302);
    const callback = new URL(toUs.headers.location as string);
    expect(callback.origin).toBe(B);
    const done = await c.get(`${callback.pathname}${callback.search}`);
    expect(done.statusCode, done.body).toBe(302);
    expect(done.headers.location).toBe('/orders?wxpay=1');
    expect((await c.get('/api/wechat/identity')).json()).toEqual({ available: true, bound: true });
  });

  it('started at a host not listed: the redirect_uri is the first public URL', async () => {
    const { c } = await learnerAt(HOSTILE);
    const start = await c.get('/api/wechat/oauth');
    const authorize = new URL(start.headers.location as string);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${A}/api/wechat/oauth/callback`);
  });
});

describe('第三方登录 (OpenID Connect) calls back to the host the login started at', () => {
  const newcomer = buildPerson();
  const accounts: Record<string, Claims> = { newcomer: { name: newcomer.realName, id_card: newcomer.idNumber } };
  const callbackAt = (origin: string) => `${origin}/api/sso/zwfw/callback`;
  let op: Awaited<ReturnType<typeof startOidcProvider>>;

  beforeAll(async () => {
    // The operator registered each public URL's callback with the provider.
    op = await startOidcProvider({
      clientId: 'cpe-portal',
      clientSecret: 'op-secret',
      redirectUri: [callbackAt(A), callbackAt(B)],
      accounts,
    });
    idpOrigin = op.issuer;
    closeIdp = op.close;
    const admin = await staffWith(env, ['sysadmin']);
    const added = await admin.post('/api/login-providers', {
      id: 'zwfw',
      name: '重庆市政务服务网',
      type: 'oidc',
      icon: 'gov',
      issuer: op.issuer,
      clientId: 'cpe-portal',
      clientSecret: 'op-secret',
      scopes: 'openid profile idcard',
      idNumberClaim: 'id_card',
      nameClaim: 'name',
      enabled: true,
      sortOrder: 10,
    });
    expect(added.statusCode, added.body).toBe(200);
  });

  it('started at B: redirect_uri B, the code exchanged with the same redirect_uri, the browser continues at B', async () => {
    const c = new Client(env.publicApp);
    c.host = hostOf(B);
    const start = await c.get('/api/sso/zwfw/start?redirect=%2Forders');
    expect(start.statusCode, start.body).toBe(302);
    const authorize = new URL(start.headers.location as string);
    expect(authorize.searchParams.get('redirect_uri')).toBe(callbackAt(B));
    const url = new URL(await new ProviderBrowser().untilBack(authorize.toString(), callbackAt(B)));
    const back = await c.get(`${url.pathname}${url.search}`);
    expect(back.statusCode).toBe(302);
    // The provider's verified identity has no account yet: registration, prefilled, at B (a path, this host).
    expect(back.headers.location).toBe('/register?sso=1');
    expect((await c.get('/api/sso/pending')).json()).toMatchObject({ mode: 'register', provider: { id: 'zwfw' } });
  });

  it('started at a host not listed: redirect_uri on the first public URL', async () => {
    const c = new Client(env.publicApp);
    c.host = HOSTILE;
    const start = await c.get('/api/sso/zwfw/start');
    expect(new URL(start.headers.location as string).searchParams.get('redirect_uri')).toBe(callbackAt(A));
  });
});

describe('CA 证书登录: a signing page of this portal opens on the host the login page is on', () => {
  beforeAll(async () => {
    const demo = await ensureDemoCa(
      env.dataDir,
      {
        person: { realName: '张三', idNumber: '500103199001011232' },
        unit: { name: '重庆渝中示例科技有限公司', uscc: '91500103MA5U7Q2X83' },
      },
      env.clock.now(),
    );
    await env.ctx.loginProviders.seedDemoCa(demo.ca.certificate);
  });

  const at = (host: string) => {
    const c = new Client(env.publicApp);
    c.host = host;
    return c;
  };
  const signerOf = async (c: Client) =>
    (await c.get('/api/login-providers')).json().items.find((p: { id: string }) => p.id === DEMO_CA.id)?.signerUrl;

  it('offers /ca-signer at B to a login page at B (same origin: the popup keeps its opener), at A otherwise', async () => {
    expect(await signerOf(at(hostOf(B)))).toBe(`${B}${DEMO_CA.signerPath}`);
    expect(await signerOf(at(hostOf(A)))).toBe(`${A}${DEMO_CA.signerPath}`);
    expect(await signerOf(at(HOSTILE))).toBe(`${A}${DEMO_CA.signerPath}`);
  });

  it('the challenge names the host the login page is on', async () => {
    const c = at(hostOf(B));
    const res = await c.post(`/api/ca/${DEMO_CA.id}/challenge`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().challenge).toMatch(new RegExp(`^CPE-CA-LOGIN ${hostOf(B).replace(/\./g, '\\.')} `));
    const hostile = await at(HOSTILE).post(`/api/ca/${DEMO_CA.id}/challenge`);
    expect(hostile.json().challenge).toMatch(/^CPE-CA-LOGIN cpe\.example\.test:3000 /);
  });
});

describe('a hostile Host on every public route', () => {
  const ZERO_ID = '00000000-0000-4000-8000-000000000000';

  it('never comes back in an answer; every redirect is a path, a listed public URL or the outside provider', async () => {
    const doc = (await env.publicApp.inject({ url: '/api/docs/json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const { c, orderId } = await learnerAt(HOSTILE);
    // The navigations of real round trips, with real ids; the routes read from the document get made-up ones.
    const calls: Array<['GET' | 'POST', string, unknown?]> = [
      ['POST', `/api/orders/${orderId}/payments`, { channel: 'alipay', device: 'desktop' }],
      ['POST', `/api/orders/${orderId}/payments`, { channel: 'wechat', device: 'mobile' }],
      ['POST', `/api/orders/${orderId}/payments`, { channel: 'unionpay', device: 'desktop' }],
      ['GET', '/api/wechat/oauth?returnTo=%2Forders'],
      ['GET', '/api/sso/zwfw/start?redirect=%2Fme'],
      ['POST', `/api/ca/${DEMO_CA.id}/challenge`],
      // The OpenID provider (not in the API document): its discovery and an authorisation request.
      ['GET', '/oidc/.well-known/openid-configuration'],
      [
        'GET',
        '/oidc/auth?client_id=unknown&response_type=code&scope=openid&redirect_uri=https%3A%2F%2Frp.example%2Fcb',
      ],
    ];
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!('get' in methods) || path.startsWith('/api/docs') || path.includes('/live')) continue;
      calls.push(['GET', path.replace(/\{[^}]+\}/g, ZERO_ID)]);
    }
    expect(calls.length).toBeGreaterThan(40);
    const allowed = new Set([...env.ctx.config.publicUrls, idpOrigin]);
    const wrong: string[] = [];
    let redirects = 0;
    for (const [method, path, body] of calls) {
      const res = await c.request(method, path, body);
      const location = res.headers.location as string | undefined;
      if (location) {
        redirects++;
        const relative = location.startsWith('/') && !location.startsWith('//');
        if (!relative && !allowed.has(new URL(location).origin)) wrong.push(`${method} ${path} → ${location}`);
      }
      if (`${JSON.stringify(res.headers)}${res.body}`.includes(HOSTILE)) wrong.push(`${method} ${path} names the host`);
      // A payment's answer names the cashier: its page carries the way back (link, form-action).
      const next = res.headers['content-type']?.toString().startsWith('application/json') ? res.json().url : undefined;
      if (typeof next === 'string' && next.startsWith(`${A}/pay-gateway/`)) {
        const page = await c.get(next.slice(A.length));
        if (`${JSON.stringify(page.headers)}${page.body}`.includes(HOSTILE)) wrong.push(`${next} names the host`);
      }
    }
    expect(wrong).toEqual([]);
    expect(redirects).toBeGreaterThanOrEqual(2);
  });
});
