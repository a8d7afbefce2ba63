/**
 * Alipay publishes no key pair with signed examples, so these tests generate their own keys and play Alipay:
 * they sign notifications and gateway answers with "Alipay's" key and check our requests with the app's public key.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlipayProvider, fenToYuan, yuanToFen } from './alipay.js';
import { type CreatePaymentInput, PaymentProviderError, PaymentSignatureError } from './payment.js';

const rsa = () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (k: crypto.KeyObject) =>
  k.export(k.type === 'private' ? { type: 'pkcs1', format: 'pem' } : { type: 'spki', format: 'pem' }).toString();

const app = rsa();
const alipay = rsa();
const stranger = rsa();
const APP_ID = '2021000000000001';

/** What both sides sign: the sorted fields as k=v joined with &, values as they are (not URL-encoded). */
const signString = (fields: Record<string, string>, without: string[]) =>
  Object.keys(fields)
    .filter((k) => !without.includes(k))
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
const rsa2 = (text: string, key: crypto.KeyObject) =>
  crypto.sign('sha256', Buffer.from(text, 'utf8'), key).toString('base64');
const verifiedByApp = (fields: Record<string, string>) =>
  crypto.verify(
    'sha256',
    Buffer.from(signString(fields, ['sign']), 'utf8'),
    app.publicKey,
    Buffer.from(fields.sign ?? '', 'base64'),
  );

const provider = (gateway?: string) =>
  createAlipayProvider({
    appId: APP_ID,
    privateKey: pem(app.privateKey),
    alipayPublicKey: pem(alipay.publicKey),
    gateway,
  });

const input = (over: Partial<CreatePaymentInput> = {}): CreatePaymentInput => ({
  outTradeNo: 'P20240301000001',
  amountFen: 123450,
  subject: '重庆市2023年专技人员继续教育公需科目培训',
  device: 'desktop',
  notifyUrl: 'https://px.example.cn/api/pay/notify/alipay',
  returnUrl: 'https://px.example.cn/pay/return?o=1&c=alipay',
  expiresAt: new Date('2024-03-01T04:30:00Z'),
  ...over,
});

describe('amounts', () => {
  it('writes fen as 元 with two decimals, exactly', () => {
    expect(fenToYuan(1)).toBe('0.01');
    expect(fenToYuan(29)).toBe('0.29');
    expect(fenToYuan(10000)).toBe('100.00');
    expect(fenToYuan(123450)).toBe('1234.50');
    expect(fenToYuan(900719925474099)).toBe('9007199254740.99');
    expect(() => fenToYuan(1.5)).toThrow(RangeError);
    expect(() => fenToYuan(-1)).toThrow(RangeError);
  });

  it('reads 元 as fen without floating point', () => {
    expect(yuanToFen('0.29')).toBe(29);
    expect(yuanToFen('0.01')).toBe(1);
    expect(yuanToFen('1234.50')).toBe(123450);
    expect(yuanToFen('1234.5')).toBe(123450);
    expect(yuanToFen('100')).toBe(10000);
    expect(yuanToFen('1.005')).toBeNull();
    expect(yuanToFen('-1.00')).toBeNull();
    expect(yuanToFen('')).toBeNull();
  });
});

describe('create', () => {
  it('desktop: an auto-submitting page.pay form whose fields the app key signed', async () => {
    const start = await provider().create(input({ subject: '公需科目 A&B=1/2' }));
    if (start.kind !== 'form') throw new Error(`expected a form, got ${start.kind}`);
    const action = /action="([^"]+)"/.exec(start.html)?.[1] as string;
    const url = new URL(action);
    expect(url.origin + url.pathname).toBe('https://openapi.alipay.com/gateway.do');
    const fields: Record<string, string> = Object.fromEntries(url.searchParams);
    for (const [, name, value] of start.html.matchAll(/name="([^"]+)" value="([^"]*)"/g)) {
      fields[name as string] = (value as string).replace(/&quot;/g, '"');
    }
    expect(start.html).toMatch(/\.submit\(\)/);
    expect(verifiedByApp(fields)).toBe(true);
    expect(fields).toMatchObject({
      app_id: APP_ID,
      method: 'alipay.trade.page.pay',
      sign_type: 'RSA2',
      charset: 'utf-8',
      notify_url: 'https://px.example.cn/api/pay/notify/alipay',
      return_url: 'https://px.example.cn/pay/return?o=1&c=alipay',
    });
    expect(JSON.parse(fields.biz_content as string)).toEqual({
      out_trade_no: 'P20240301000001',
      total_amount: '1234.50',
      subject: '公需科目 A B 1 2',
      product_code: 'FAST_INSTANT_TRADE_PAY',
      time_expire: '2024-03-01 12:30:00',
    });
    // Tampering with any field breaks the signature Alipay will check.
    expect(verifiedByApp({ ...fields, biz_content: (fields.biz_content as string).replace('1234.50', '0.01') })).toBe(
      false,
    );
  });

  it('mobile: a signed wap.pay link', async () => {
    const start = await provider().create(input({ device: 'mobile', amountFen: 1 }));
    if (start.kind !== 'redirect') throw new Error(`expected a redirect, got ${start.kind}`);
    const fields = Object.fromEntries(new URL(start.url).searchParams);
    expect(verifiedByApp(fields)).toBe(true);
    expect(fields.method).toBe('alipay.trade.wap.pay');
    expect(JSON.parse(fields.biz_content as string)).toMatchObject({
      total_amount: '0.01',
      product_code: 'QUICK_WAP_WAY',
      quit_url: 'https://px.example.cn/pay/return?o=1&c=alipay',
      time_expire: '2024-03-01 12:30:00',
    });
  });
});

describe('parseNotify', () => {
  /** An asynchronous notification as Alipay posts it (fields from the 异步通知 documentation). */
  const notification = (over: Record<string, string> = {}, key = alipay.privateKey) => {
    const fields: Record<string, string> = {
      gmt_create: '2024-03-01 12:20:01',
      charset: 'utf-8',
      gmt_payment: '2024-03-01 12:21:05',
      notify_time: '2024-03-01 12:21:06',
      subject: '公需科目 100% 学时',
      buyer_id: '2088102177846880',
      invoice_amount: '0.29',
      version: '1.0',
      notify_id: '2024030100222122105053831427283020',
      fund_bill_list: '[{"amount":"0.29","fundChannel":"ALIPAYACCOUNT"}]',
      notify_type: 'trade_status_sync',
      out_trade_no: 'P20240301000001',
      total_amount: '0.29',
      trade_status: 'TRADE_SUCCESS',
      trade_no: '2024030122001446881429003530',
      auth_app_id: APP_ID,
      receipt_amount: '0.29',
      point_amount: '0.00',
      app_id: APP_ID,
      buyer_pay_amount: '0.29',
      seller_id: '2088102176937471',
      ...over,
    };
    const sign = rsa2(signString(fields, ['sign', 'sign_type']), key);
    return { ...fields, sign_type: 'RSA2', sign };
  };
  const body = (fields: Record<string, string>) => ({
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    rawBody: Buffer.from(new URLSearchParams(fields).toString()),
  });

  it('reads a verified payment, amount exact in fen', async () => {
    expect(await provider().parseNotify(body(notification()))).toEqual({
      outTradeNo: 'P20240301000001',
      tradeNo: '2024030122001446881429003530',
      amountFen: 29,
      status: 'paid',
      paidAt: new Date('2024-03-01T04:21:05Z'),
    });
    const big = await provider().parseNotify(
      body(notification({ total_amount: '1234.50', trade_status: 'TRADE_FINISHED' })),
    );
    expect(big).toMatchObject({ amountFen: 123450, status: 'paid' });
  });

  it('reads a closed trade', async () => {
    const closed = await provider().parseNotify(body(notification({ trade_status: 'TRADE_CLOSED' })));
    expect(closed).toMatchObject({ status: 'closed', paidAt: null });
  });

  it('refuses what Alipay did not sign or did not send us', async () => {
    const good = notification();
    const refused = [
      { ...good, total_amount: '0.01' },
      { ...good, sign: `${good.sign.slice(0, -6)}AAAAA=` },
      { ...good, sign: '' },
      { ...good, sign_type: 'RSA' },
      notification({}, stranger.privateKey),
      notification({ app_id: '2021000000000002' }),
      notification({ trade_status: 'WAIT_BUYER_PAY' }),
    ];
    for (const fields of refused) {
      await expect(provider().parseNotify(body(fields))).rejects.toBeInstanceOf(PaymentSignatureError);
    }
    const twice = `${new URLSearchParams(good).toString()}&total_amount=0.01`;
    await expect(provider().parseNotify({ headers: {}, rawBody: Buffer.from(twice) })).rejects.toBeInstanceOf(
      PaymentSignatureError,
    );
  });

  it('acks in the words Alipay expects', () => {
    expect(provider().ack(true)).toEqual({ status: 200, contentType: 'text/plain', body: 'success' });
    expect(provider().ack(false)).toEqual({ status: 200, contentType: 'text/plain', body: 'fail' });
  });
});

describe('query and refund against a local gateway', () => {
  let server: http.Server;
  let gateway = '';
  const calls: { method: string; biz: Record<string, string>; signedByApp: boolean }[] = [];
  /** Answers per OpenAPI method: the xxx_response object, and who signs it. */
  let answers: Record<string, Record<string, string>> = {};
  let signer = alipay.privateKey;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => {
        raw += d;
      });
      req.on('end', () => {
        const fields: Record<string, string> = {
          ...Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams),
          ...Object.fromEntries(new URLSearchParams(raw)),
        };
        const method = fields.method as string;
        calls.push({ method, biz: JSON.parse(fields.biz_content ?? '{}'), signedByApp: verifiedByApp(fields) });
        const inner = JSON.stringify(answers[method] ?? { code: '40004', msg: 'Business Failed' });
        const key = `${method.replaceAll('.', '_')}_response`;
        res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
        res.end(`{"${key}":${inner},"sign":"${rsa2(inner, signer)}"}`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    gateway = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gateway.do`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const paid = {
    code: '10000',
    msg: 'Success',
    trade_no: '2024030122001446881429003530',
    out_trade_no: 'P20240301000001',
    trade_status: 'TRADE_SUCCESS',
    total_amount: '1234.50',
    send_pay_date: '2024-03-01 12:21:05',
  };

  it('queries with a signed request and trusts the signed answer', async () => {
    answers = { 'alipay.trade.query': paid };
    expect(await provider(gateway).query('P20240301000001')).toEqual({
      status: 'paid',
      amountFen: 123450,
      tradeNo: '2024030122001446881429003530',
      paidAt: new Date('2024-03-01T04:21:05Z'),
    });
    expect(calls.at(-1)).toEqual({
      method: 'alipay.trade.query',
      biz: { out_trade_no: 'P20240301000001' },
      signedByApp: true,
    });
  });

  it('maps the other trade states', async () => {
    const status = async (answer: Record<string, string>) => {
      answers = { 'alipay.trade.query': answer };
      return (await provider(gateway).query('P20240301000001')).status;
    };
    expect(await status({ ...paid, trade_status: 'WAIT_BUYER_PAY' })).toBe('unpaid');
    expect(await status({ ...paid, trade_status: 'TRADE_CLOSED' })).toBe('closed');
    expect(await status({ ...paid, trade_status: 'TRADE_FINISHED' })).toBe('paid');
    expect(
      await status({ code: '40004', msg: 'Business Failed', sub_code: 'ACQ.TRADE_NOT_EXIST', sub_msg: '交易不存在' }),
    ).toBe('unpaid');
  });

  it('turns refusals, forged answers and an unreachable gateway into PaymentProviderError', async () => {
    answers = {
      'alipay.trade.query': { code: '20000', msg: 'Service Currently Unavailable', sub_code: 'isp.unknow-error' },
    };
    await expect(provider(gateway).query('P1')).rejects.toBeInstanceOf(PaymentProviderError);
    answers = { 'alipay.trade.query': paid };
    signer = stranger.privateKey;
    try {
      await expect(provider(gateway).query('P1')).rejects.toBeInstanceOf(PaymentProviderError);
    } finally {
      signer = alipay.privateKey;
    }
    await expect(provider('http://127.0.0.1:1/gateway.do').query('P1')).rejects.toBeInstanceOf(PaymentProviderError);
  });

  const refund = {
    outTradeNo: 'P20240301000001',
    outRefundNo: 'R20240301000001',
    amountFen: 29,
    totalFen: 29,
    reason: '订单已过期',
  };

  it('refunds in 元 and reports success when the money moved', async () => {
    answers = { 'alipay.trade.refund': { code: '10000', msg: 'Success', fund_change: 'Y', refund_fee: '0.29' } };
    expect(await provider(gateway).refund(refund)).toEqual({ status: 'success', refundId: 'R20240301000001' });
    expect(calls.at(-1)).toEqual({
      method: 'alipay.trade.refund',
      biz: {
        out_trade_no: 'P20240301000001',
        refund_amount: '0.29',
        out_request_no: 'R20240301000001',
        refund_reason: '订单已过期',
      },
      signedByApp: true,
    });
  });

  it('asks the refund query when a repeated refund reports no fund change', async () => {
    answers = {
      'alipay.trade.refund': { code: '10000', msg: 'Success', fund_change: 'N' },
      'alipay.trade.fastpay.refund.query': { code: '10000', msg: 'Success', refund_status: 'REFUND_SUCCESS' },
    };
    expect(await provider(gateway).refund(refund)).toEqual({ status: 'success', refundId: 'R20240301000001' });
    expect(calls.at(-1)?.biz).toEqual({ out_trade_no: 'P20240301000001', out_request_no: 'R20240301000001' });
    answers['alipay.trade.fastpay.refund.query'] = { code: '10000', msg: 'Success' };
    expect((await provider(gateway).refund(refund)).status).toBe('processing');
    answers = { 'alipay.trade.refund': { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.TRADE_STATUS_ERROR' } };
    await expect(provider(gateway).refund(refund)).rejects.toBeInstanceOf(PaymentProviderError);
  });
});
