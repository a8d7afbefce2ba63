/**
 * WeChat Pay publishes no private key to reproduce its examples with, so these tests generate their own merchant
 * and platform keys and play WeChat: a local HTTP server checks our Authorization signatures with the merchant
 * public key and signs its answers with the platform key; notifications are sealed and signed the same way.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CreatePaymentInput, type NotifyRequest, PaymentProviderError, PaymentSignatureError } from './payment.js';
import { createWechatProvider, type WechatConfig } from './wechat.js';
import { createWechatOauth, WechatOauthError } from './wechat-oauth.js';

const rsa = () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (k: crypto.KeyObject) =>
  k.export(k.type === 'private' ? { type: 'pkcs8', format: 'pem' } : { type: 'spki', format: 'pem' }).toString();

const merchant = rsa();
const platform = rsa();
const stranger = rsa();
const MCH_ID = '1900009191';
const APP_ID = 'wxd678efh567hg6787';
const API_V3_KEY = 'a7cde1ef4b2c4a9d9f0e1d2c3b4a5f60';
const MERCHANT_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
const PLATFORM_SERIAL = 'PUB_KEY_ID_0114232134912410000000000000';
const NOW = new Date('2024-03-01T04:21:30Z');

const lines = (...parts: string[]) => parts.map((p) => `${p}\n`).join('');
const sha256rsa = (text: string, key: crypto.KeyObject) =>
  crypto.sign('sha256', Buffer.from(text), key).toString('base64');

/** The Wechatpay-* headers WeChat puts on what it signs. */
function wechatHeaders(body: string, opts: { key?: crypto.KeyObject; serial?: string; at?: Date } = {}) {
  const timestamp = String(Math.floor((opts.at ?? NOW).getTime() / 1000));
  const nonce = crypto.randomBytes(16).toString('hex');
  return {
    'wechatpay-serial': opts.serial ?? PLATFORM_SERIAL,
    'wechatpay-timestamp': timestamp,
    'wechatpay-nonce': nonce,
    'wechatpay-signature': sha256rsa(lines(timestamp, nonce, body), opts.key ?? platform.privateKey),
    'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
  };
}

const provider = (over: Partial<WechatConfig> = {}) =>
  createWechatProvider({
    mchId: MCH_ID,
    appId: APP_ID,
    apiV3Key: API_V3_KEY,
    serialNo: MERCHANT_SERIAL,
    privateKey: pem(merchant.privateKey),
    platformCerts: { [PLATFORM_SERIAL]: pem(platform.publicKey) },
    now: () => NOW,
    ...over,
  });

describe('parseNotify', () => {
  const transaction = (over: Record<string, unknown> = {}) => ({
    mchid: MCH_ID,
    appid: APP_ID,
    out_trade_no: 'P20240301000001',
    transaction_id: '4200002145202403011234567890',
    trade_type: 'NATIVE',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'OTHERS',
    attach: '',
    success_time: '2024-03-01T12:21:05+08:00',
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    amount: { total: 29, payer_total: 29, currency: 'CNY', payer_currency: 'CNY' },
    ...over,
  });

  /** Seals a transaction as WeChat does: AES-256-GCM, the 16-byte tag appended to the ciphertext. */
  function seal(plain: object, key = API_V3_KEY, spoilTag = false) {
    const nonce = crypto.randomBytes(6).toString('hex');
    const cipher = crypto.createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(nonce));
    cipher.setAAD(Buffer.from('transaction'));
    const sealed = Buffer.concat([cipher.update(JSON.stringify(plain)), cipher.final(), cipher.getAuthTag()]);
    if (spoilTag) sealed[sealed.length - 1] = (sealed[sealed.length - 1] as number) ^ 1;
    return {
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: sealed.toString('base64'),
      associated_data: 'transaction',
      nonce,
    };
  }

  function notification(
    opts: { tx?: object; resource?: object; event?: string; sign?: Parameters<typeof wechatHeaders>[1] } = {},
  ): NotifyRequest {
    const body = JSON.stringify({
      id: 'EV-2018022511223320873',
      create_time: '2024-03-01T12:21:06+08:00',
      resource_type: 'encrypt-resource',
      event_type: opts.event ?? 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: opts.resource ?? seal(opts.tx ?? transaction()),
    });
    return {
      headers: { ...wechatHeaders(body, opts.sign), 'content-type': 'application/json' },
      rawBody: Buffer.from(body),
    };
  }

  it('verifies, decrypts and reads a payment, amount exact in fen', async () => {
    expect(await provider().parseNotify(notification())).toEqual({
      outTradeNo: 'P20240301000001',
      tradeNo: '4200002145202403011234567890',
      amountFen: 29,
      status: 'paid',
      paidAt: new Date('2024-03-01T04:21:05Z'),
    });
    const big = await provider().parseNotify(notification({ tx: transaction({ amount: { total: 123450 } }) }));
    expect(big.amountFen).toBe(123450);
  });

  it('reads a closed transaction', async () => {
    const closed = await provider().parseNotify(notification({ tx: transaction({ trade_state: 'CLOSED' }) }));
    expect(closed).toMatchObject({ status: 'closed', paidAt: null });
  });

  it('accepts a timestamp within five minutes of our clock', async () => {
    const at = new Date(NOW.getTime() - 4 * 60_000);
    await expect(provider().parseNotify(notification({ sign: { at } }))).resolves.toMatchObject({ status: 'paid' });
  });

  it('refuses what WeChat did not sign, seal or send us', async () => {
    const good = notification();
    const tampered = {
      ...good,
      rawBody: Buffer.from(good.rawBody.toString().replace('TRANSACTION.SUCCESS', 'TRANSACTION.SUCCESS ')),
    };
    const badSignature = {
      ...good,
      headers: { ...good.headers, 'wechatpay-signature': sha256rsa('x', platform.privateKey) },
    };
    const noSignature = { ...good, headers: { ...good.headers, 'wechatpay-signature': undefined } };
    const refused: NotifyRequest[] = [
      tampered,
      badSignature,
      noSignature,
      notification({ sign: { key: stranger.privateKey } }),
      notification({ sign: { serial: 'PUB_KEY_ID_UNKNOWN', key: stranger.privateKey } }),
      notification({ sign: { at: new Date(NOW.getTime() - 6 * 60_000) } }),
      notification({ sign: { at: new Date(NOW.getTime() + 6 * 60_000) } }),
      notification({ resource: seal(transaction(), API_V3_KEY, true) }),
      notification({ resource: seal(transaction(), 'b'.repeat(32)) }),
      notification({ tx: transaction({ mchid: '1900000000' }) }),
      notification({ tx: transaction({ appid: 'wx0000000000000000' }) }),
      notification({ tx: transaction({ trade_state: 'NOTPAY' }) }),
      notification({ event: 'REFUND.SUCCESS' }),
    ];
    for (const req of refused) {
      await expect(provider().parseNotify(req)).rejects.toBeInstanceOf(PaymentSignatureError);
    }
  });

  it('acks in the JSON WeChat expects', () => {
    expect(provider().ack(true)).toEqual({
      status: 200,
      contentType: 'application/json',
      body: '{"code":"SUCCESS","message":"成功"}',
    });
    expect(provider().ack(false)).toEqual({
      status: 500,
      contentType: 'application/json',
      body: '{"code":"FAIL","message":"失败"}',
    });
  });
});

describe('APIv3 calls against a local WeChat', () => {
  let server: http.Server;
  let baseUrl = '';
  const requests: { method: string; url: string; body: Record<string, unknown>; authorized: boolean }[] = [];
  /** Per "METHOD path": status and JSON body; how the answer is signed. */
  let routes: Record<string, { status: number; body: object }> = {};
  let signing: Parameters<typeof wechatHeaders>[1] = {};

  /** Checks a request's Authorization header the way WeChat does; returns why it fails, or null. */
  function checkAuthorization(req: http.IncomingMessage, body: string): string | null {
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('WECHATPAY2-SHA256-RSA2048 ')) return 'scheme';
    const p = Object.fromEntries([...auth.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (p.mchid !== MCH_ID || p.serial_no !== MERCHANT_SERIAL) return 'mchid/serial';
    if (Math.abs(Number(p.timestamp) * 1000 - NOW.getTime()) > 5 * 60_000) return 'timestamp';
    const message = lines(req.method ?? '', req.url ?? '', p.timestamp ?? '', p.nonce_str ?? '', body);
    const ok = crypto.verify(
      'sha256',
      Buffer.from(message),
      merchant.publicKey,
      Buffer.from(p.signature ?? '', 'base64'),
    );
    return ok ? null : 'signature';
  }

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => {
        raw += d;
      });
      req.on('end', () => {
        const problem = checkAuthorization(req, raw);
        requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          body: raw ? JSON.parse(raw) : {},
          authorized: problem === null,
        });
        const route = problem
          ? { status: 401, body: { code: 'SIGN_ERROR', message: `签名错误 (${problem})` } }
          : (routes[`${req.method} ${req.url?.split('?')[0]}`] ?? {
              status: 404,
              body: { code: 'NOT_FOUND', message: '' },
            });
        const text = JSON.stringify(route.body);
        res.writeHead(route.status, { 'content-type': 'application/json', ...wechatHeaders(text, signing) });
        res.end(text);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const input = (over: Partial<CreatePaymentInput> = {}): CreatePaymentInput => ({
    outTradeNo: 'P20240301000001',
    amountFen: 123450,
    subject: '重庆市2023年专技人员继续教育公需科目培训',
    device: 'desktop',
    notifyUrl: 'https://px.example.cn/api/pay/notify/wechat',
    returnUrl: 'https://px.example.cn/pay/return?o=1',
    expiresAt: new Date('2024-03-01T04:30:00Z'),
    ...over,
  });
  const order = {
    appid: APP_ID,
    mchid: MCH_ID,
    description: '重庆市2023年专技人员继续教育公需科目培训',
    out_trade_no: 'P20240301000001',
    time_expire: '2024-03-01T12:30:00+08:00',
    notify_url: 'https://px.example.cn/api/pay/notify/wechat',
    amount: { total: 123450, currency: 'CNY' },
  };

  it('desktop: a signed Native order, answered with the QR code link', async () => {
    routes = {
      'POST /v3/pay/transactions/native': { status: 200, body: { code_url: 'weixin://wxpay/bizpayurl?pr=p4lpSuKzz' } },
    };
    expect(await provider({ baseUrl }).create(input())).toEqual({
      kind: 'qr',
      codeUrl: 'weixin://wxpay/bizpayurl?pr=p4lpSuKzz',
    });
    expect(requests.at(-1)).toEqual({
      method: 'POST',
      url: '/v3/pay/transactions/native',
      body: order,
      authorized: true,
    });
  });

  it('inside WeChat: a JSAPI order and WeixinJSBridge parameters signed with the merchant key', async () => {
    routes = {
      'POST /v3/pay/transactions/jsapi': { status: 200, body: { prepay_id: 'wx201410272009395522657a690389285100' } },
    };
    const start = await provider({ baseUrl }).create(
      input({ device: 'mobile', openId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }),
    );
    if (start.kind !== 'jsapi') throw new Error(`expected jsapi, got ${start.kind}`);
    const p = start.params;
    expect(p).toMatchObject({
      appId: APP_ID,
      package: 'prepay_id=wx201410272009395522657a690389285100',
      signType: 'RSA',
    });
    expect(p.timeStamp).toBe(String(NOW.getTime() / 1000));
    const message = lines(p.appId as string, p.timeStamp as string, p.nonceStr as string, p.package as string);
    expect(
      crypto.verify('sha256', Buffer.from(message), merchant.publicKey, Buffer.from(p.paySign as string, 'base64')),
    ).toBe(true);
    expect(requests.at(-1)?.body).toEqual({ ...order, payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } });
    expect(requests.at(-1)).toMatchObject({ url: '/v3/pay/transactions/jsapi', authorized: true });
    // A prepay answer not signed by WeChat is never turned into bridge parameters.
    signing = { key: stranger.privateKey };
    try {
      await expect(provider({ baseUrl }).create(input({ device: 'mobile', openId: 'o1' }))).rejects.toBeInstanceOf(
        PaymentProviderError,
      );
    } finally {
      signing = {};
    }
  });

  it('mobile browser: an H5 order with the payer IP, sending the payer back to our return page', async () => {
    const h5 =
      'https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx2016121516420242444321ca0631331346&package=1405458241';
    routes = { 'POST /v3/pay/transactions/h5': { status: 200, body: { h5_url: h5 } } };
    expect(await provider({ baseUrl }).create(input({ device: 'mobile', clientIp: '14.23.150.211' }))).toEqual({
      kind: 'redirect',
      url: `${h5}&redirect_url=https%3A%2F%2Fpx.example.cn%2Fpay%2Freturn%3Fo%3D1`,
    });
    expect(requests.at(-1)?.body).toEqual({
      ...order,
      scene_info: { payer_client_ip: '14.23.150.211', h5_info: { type: 'Wap' } },
    });
    expect(requests.at(-1)).toMatchObject({ url: '/v3/pay/transactions/h5', authorized: true });
    // WeChat refuses H5 for a merchant without it (NO_AUTH): no URL to send the payer to.
    routes = {
      'POST /v3/pay/transactions/h5': { status: 403, body: { code: 'NO_AUTH', message: '商户无此接口权限' } },
    };
    await expect(provider({ baseUrl }).create(input({ device: 'mobile', clientIp: '14.23.150.211' }))).rejects.toThrow(
      /NO_AUTH/,
    );
    await expect(provider({ baseUrl }).create(input({ device: 'mobile' }))).rejects.toThrow(/clientIp/);
  });

  it('queries by out_trade_no and maps the trade states', async () => {
    const path = 'GET /v3/pay/transactions/out-trade-no/P20240301000001';
    const answer = {
      mchid: MCH_ID,
      appid: APP_ID,
      out_trade_no: 'P20240301000001',
      transaction_id: '4200002145202403011234567890',
      trade_state: 'SUCCESS',
      success_time: '2024-03-01T12:21:05+08:00',
      amount: { total: 123450, payer_total: 123450, currency: 'CNY', payer_currency: 'CNY' },
    };
    routes = { [path]: { status: 200, body: answer } };
    expect(await provider({ baseUrl }).query('P20240301000001')).toEqual({
      status: 'paid',
      amountFen: 123450,
      tradeNo: '4200002145202403011234567890',
      paidAt: new Date('2024-03-01T04:21:05Z'),
    });
    expect(requests.at(-1)).toMatchObject({
      url: `/v3/pay/transactions/out-trade-no/P20240301000001?mchid=${MCH_ID}`,
      authorized: true,
    });
    const status = async (trade_state: string) => {
      routes = { [path]: { status: 200, body: { ...answer, trade_state } } };
      return (await provider({ baseUrl }).query('P20240301000001')).status;
    };
    expect(await status('NOTPAY')).toBe('unpaid');
    expect(await status('USERPAYING')).toBe('unpaid');
    expect(await status('CLOSED')).toBe('closed');
    expect(await status('PAYERROR')).toBe('closed');
    expect(await status('REFUND')).toBe('refunded');
    routes = { [path]: { status: 404, body: { code: 'ORDER_NOT_EXIST', message: '订单不存在' } } };
    expect((await provider({ baseUrl }).query('P20240301000001')).status).toBe('unpaid');
  });

  it('refunds and reports the refund state', async () => {
    const refund = {
      outTradeNo: 'P20240301000001',
      outRefundNo: 'R20240301000001',
      amountFen: 29,
      totalFen: 29,
      reason: '订单已过期',
    };
    routes = {
      'POST /v3/refund/domestic/refunds': {
        status: 200,
        body: { refund_id: '50000000382019052709732678859', status: 'SUCCESS' },
      },
    };
    expect(await provider({ baseUrl }).refund(refund)).toEqual({
      status: 'success',
      refundId: '50000000382019052709732678859',
    });
    expect(requests.at(-1)?.authorized).toBe(true);
    expect(requests.at(-1)?.body).toEqual({
      out_trade_no: 'P20240301000001',
      out_refund_no: 'R20240301000001',
      reason: '订单已过期',
      amount: { refund: 29, total: 29, currency: 'CNY' },
    });
    routes['POST /v3/refund/domestic/refunds'] = { status: 200, body: { refund_id: '5000', status: 'PROCESSING' } };
    expect(await provider({ baseUrl }).refund(refund)).toEqual({ status: 'processing', refundId: '5000' });
    routes['POST /v3/refund/domestic/refunds'] = { status: 200, body: { refund_id: '5000', status: 'ABNORMAL' } };
    await expect(provider({ baseUrl }).refund(refund)).rejects.toBeInstanceOf(PaymentProviderError);
    routes['POST /v3/refund/domestic/refunds'] = {
      status: 403,
      body: { code: 'NOT_ENOUGH', message: '基本账户余额不足' },
    };
    await expect(provider({ baseUrl }).refund(refund)).rejects.toBeInstanceOf(PaymentProviderError);
  });

  it('turns refusals, forged answers and an unreachable API into PaymentProviderError', async () => {
    routes = {
      'POST /v3/pay/transactions/native': { status: 200, body: { code_url: 'weixin://wxpay/bizpayurl?pr=forged' } },
    };
    const attempts: [string, Parameters<typeof wechatHeaders>[1], Partial<WechatConfig>][] = [
      ['answer signed by a stranger', { key: stranger.privateKey }, {}],
      ['answer from an unknown serial', { serial: 'PUB_KEY_ID_OTHER', key: stranger.privateKey }, {}],
      ['stale answer', { at: new Date(NOW.getTime() - 10 * 60_000) }, {}],
      ['request signed with the wrong merchant key', {}, { privateKey: pem(stranger.privateKey) }],
      ['API down', {}, { baseUrl: 'http://127.0.0.1:1' }],
    ];
    for (const [why, sign, over] of attempts) {
      signing = sign;
      try {
        await expect(provider({ baseUrl, ...over }).create(input()), why).rejects.toBeInstanceOf(PaymentProviderError);
      } finally {
        signing = {};
      }
    }
    // The wrong merchant key was caught by our stand-in for WeChat, not by chance.
    expect(requests.at(-1)?.authorized).toBe(false);
  });

  it('refuses an APIv3 key that is not 32 bytes', () => {
    expect(() => provider({ apiV3Key: 'short' })).toThrow(/32 bytes/);
  });
});

describe('微信网页授权 (openid for JSAPI) against a local api.weixin.qq.com', () => {
  let server: http.Server;
  let apiBaseUrl = '';
  const seen: URL[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://local');
      seen.push(url);
      const code = url.searchParams.get('code');
      const ok =
        url.pathname === '/sns/oauth2/access_token' &&
        url.searchParams.get('appid') === APP_ID &&
        url.searchParams.get('secret') === 'mp-secret' &&
        url.searchParams.get('grant_type') === 'authorization_code';
      const body = !ok
        ? { errcode: 40125, errmsg: 'invalid appsecret' }
        : code === 'good'
          ? {
              access_token: 'at',
              expires_in: 7200,
              refresh_token: 'rt',
              openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
              scope: 'snsapi_base',
            }
          : code === 'used'
            ? { errcode: 40163, errmsg: 'code been used' }
            : { errcode: 40029, errmsg: 'invalid code' };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    apiBaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const oauth = (secret = 'mp-secret', api = apiBaseUrl) =>
    createWechatOauth({ appId: APP_ID, appSecret: secret, apiBaseUrl: api });

  it('sends the browser to snsapi_base with our callback and state, in the order WeChat wants', () => {
    expect(oauth().authorizeUrl('https://px.example.cn/api/wechat/oauth/callback', 'n0nce')).toBe(
      `https://open.weixin.qq.com/connect/oauth2/authorize?appid=${APP_ID}&redirect_uri=https%3A%2F%2Fpx.example.cn%2Fapi%2Fwechat%2Foauth%2Fcallback&response_type=code&scope=snsapi_base&state=n0nce#wechat_redirect`,
    );
  });

  it("trades a code for the openid; a bad or used code is the person's to retry, the rest the provider's", async () => {
    expect(await oauth().openIdOf('good')).toBe('oUpF8uMuAJO_M2pxb1Q9zNjWeS6o');
    expect(seen.at(-1)?.searchParams.get('code')).toBe('good');
    await expect(oauth().openIdOf('used')).rejects.toBeInstanceOf(WechatOauthError);
    await expect(oauth().openIdOf('nonsense')).rejects.toBeInstanceOf(WechatOauthError);
    await expect(oauth('wrong-secret').openIdOf('good')).rejects.toBeInstanceOf(PaymentProviderError);
    await expect(oauth('mp-secret', 'http://127.0.0.1:1').openIdOf('good')).rejects.toBeInstanceOf(
      PaymentProviderError,
    );
  });
});
