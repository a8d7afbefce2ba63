import { beforeAll, describe, expect, it } from 'vitest';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { LATER, learner, onSalePlan } from '../purchase-factories.js';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const IN_WECHAT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN';

let env: TestEnv;
let planId: string;

beforeAll(async () => {
  env = await createTestEnv({ SESSION_IDLE_MINUTES: '600' });
  planId = (await onSalePlan(env, { priceFen: 12_000 })).id;
});

async function newOrder(c: Client) {
  const res = await c.post('/api/orders', { planId, invoice: LATER });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().id as string;
}

const pay = (c: Client, orderId: string, body: object, ua: string) =>
  c.request('POST', `/api/orders/${orderId}/payments`, body, { headers: { 'user-agent': ua } });

/** Follows one redirect on the public listener (the gateway's pages live there too), as the phone's browser would. */
async function follow(c: Client, location: string, ua = IN_WECHAT) {
  const u = new URL(location, env.ctx.config.publicUrl);
  return c.request('GET', `${u.pathname}${u.search}`, undefined, { headers: { 'user-agent': ua } });
}

/** The gateway's cashier pays the trade and its signed notifications are delivered to our notify route. */
async function payOnCashier(url: string) {
  const tradeId = new URL(url).pathname.split('/').pop() as string;
  expect(await env.ctx.purchase.gateway.pay(tradeId)).toBe('paid');
  await env.ctx.jobs.runDue();
}

describe('微信支付 on a phone', () => {
  it('a phone browser gets an H5 payment (with the payer IP) that the gateway notification completes', async () => {
    const { c } = await learner(env);
    const orderId = await newOrder(c);
    const res = await pay(c, orderId, { channel: 'wechat', device: 'mobile' }, IPHONE);
    expect(res.statusCode, res.body).toBe(200);
    const start = res.json();
    expect(start.kind).toBe('redirect');
    expect(new URL(start.url).searchParams.get('scene')).toBe('h5');
    const page = await follow(c, start.url, IPHONE);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('手机网页支付');
    expect(page.body).toContain('¥120.00');

    await payOnCashier(start.url);
    const order = (await c.get(`/api/orders/${orderId}`)).json();
    expect(order.status).toBe('paid');
    expect(order.channel).toBe('wechat');
  });

  it('inside WeChat: 微信网页授权 first, then a JSAPI payment on the simulated in-app pay sheet', async () => {
    const { c } = await learner(env);
    const orderId = await newOrder(c);
    const refused = await pay(c, orderId, { channel: 'wechat', device: 'wechat' }, IN_WECHAT);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('WECHAT_OAUTH_REQUIRED');
    expect((await c.get('/api/wechat/identity')).json()).toEqual({ available: true, bound: false });

    const back = `/gxkm/orders/${orderId}`;
    const toWechat = await c.get(`/api/wechat/oauth?returnTo=${encodeURIComponent(back)}`);
    expect(toWechat.statusCode).toBe(302);
    const authorize = new URL(toWechat.headers.location as string);
    expect(authorize.pathname).toBe('/pay-gateway/wechat/oauth2/authorize');
    expect(authorize.searchParams.get('scope')).toBe('snsapi_base');
    const toUs = await follow(c, authorize.toString());
    expect(toUs.statusCode).toBe(302);
    const callback = new URL(toUs.headers.location as string);
    expect(callback.pathname).toBe('/api/wechat/oauth/callback');
    expect(callback.searchParams.get('state')).toBe(authorize.searchParams.get('state'));
    const done = await follow(c, callback.toString());
    expect(done.statusCode).toBe(302);
    expect(done.headers.location).toBe(`${back}?wxpay=1`);
    expect((await c.get('/api/wechat/identity')).json()).toEqual({ available: true, bound: true });
    // A WeChat code is good for one exchange only.
    expect((await follow(c, callback.toString())).json().code).toBe('WECHAT_OAUTH_FAILED');

    const res = await pay(c, orderId, { channel: 'wechat', device: 'wechat' }, IN_WECHAT);
    expect(res.statusCode, res.body).toBe(200);
    const start = res.json();
    expect(new URL(start.url).searchParams.get('scene')).toBe('jsapi');
    expect((await follow(c, start.url)).body).toContain('微信内支付（模拟）');
    await payOnCashier(start.url);
    expect((await c.get(`/api/orders/${orderId}`)).json().status).toBe('paid');
  });

  it('refuses a forged state, an openid cookie carried to another account, and returns only to our own pages', async () => {
    const a = await learner(env);
    const b = await learner(env);
    const start = await a.c.get('/api/wechat/oauth?returnTo=//evil.example.com/x');
    const toUs = await follow(a.c, start.headers.location as string);
    const callback = new URL(toUs.headers.location as string);

    const forged = new URL(callback);
    forged.searchParams.set('state', 'someone-elses-state');
    const bad = await follow(a.c, forged.toString());
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('WECHAT_OAUTH_FAILED');
    // The state cookie belongs to a's account: b cannot finish a's round trip.
    b.c.cookies.set('cpe_wx_state', a.c.cookies.get('cpe_wx_state') as string);
    expect((await follow(b.c, callback.toString())).json().code).toBe('WECHAT_OAUTH_FAILED');

    const ok = await follow(a.c, callback.toString());
    expect(ok.headers.location).toBe('/orders?wxpay=1');
    b.c.cookies.set('cpe_wx_openid', a.c.cookies.get('cpe_wx_openid') as string);
    expect((await b.c.get('/api/wechat/identity')).json().bound).toBe(false);
    const orderB = await newOrder(b.c);
    expect((await pay(b.c, orderB, { channel: 'wechat', device: 'wechat' }, IN_WECHAT)).json().code).toBe(
      'WECHAT_OAUTH_REQUIRED',
    );
    expect((await b.c.get('/api/wechat/oauth')).statusCode).toBe(302);
    expect((await new Client(env.publicApp).get('/api/wechat/identity')).statusCode).toBe(401);
  });

  it('the simulated WeChat refuses a foreign appid or a redirect outside our domain, like WeChat', async () => {
    const { c } = await learner(env);
    const start = new URL((await c.get('/api/wechat/oauth')).headers.location as string);
    const other = new URL(start);
    other.searchParams.set('redirect_uri', 'https://evil.example.com/api/wechat/oauth/callback');
    const res = await follow(c, other.toString());
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('10003');
    const appid = new URL(start);
    appid.searchParams.set('appid', 'wx-someone-else');
    expect((await follow(c, appid.toString())).body).toContain('40013');
  });
});
