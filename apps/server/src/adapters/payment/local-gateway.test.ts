import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.js';
import { TestClock } from '../../lib/clock.js';
import { createJobs, type Jobs } from '../../modules/jobs/jobs.service.js';
import {
  type CreateTradeInput,
  createLocalGateway,
  fetchTransport,
  type GatewayTransport,
  type LocalGateway,
} from './local-gateway.js';
import { localGatewayRoutes } from './local-gateway.routes.js';
import { createLocalProvider } from './local-provider.js';
import { type PaymentNotice, PaymentProviderError, PaymentSignatureError } from './payment.js';

interface Delivery {
  url: string;
  body: string;
  headers: Record<string, string>;
}

let database: Database;
let dir: string;
let clock: TestClock;
let jobs: Jobs;
let gateway: LocalGateway;
let app: FastifyInstance;
const deliveries: Delivery[] = [];
/** What each notify URL answers; `success` unless a test says otherwise. */
const answers = new Map<string, () => { status: number; body: string }>();
const recording: GatewayTransport = async (url, body, headers) => {
  deliveries.push({ url, body, headers });
  return answers.get(url)?.() ?? { status: 200, body: 'success' };
};
const BASE = 'http://pay.test';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-gateway-'));
  database = await openDatabase({});
  await database.migrate();
  clock = new TestClock();
  jobs = createJobs({ db: database.db, clock });
  gateway = createLocalGateway({
    db: database.db,
    clock,
    jobs,
    keyFile: path.join(dir, 'gateway-keys.json'),
    baseUrl: `${BASE}/`,
    transport: recording,
  });
  app = Fastify();
  await app.register(localGatewayRoutes(gateway));
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
/** A fresh trade with its own notify URL, so each test sees only its own notifications. */
function tradeInput(over: Partial<CreateTradeInput> = {}): CreateTradeInput {
  seq++;
  return {
    channel: 'alipay',
    outTradeNo: `T${Date.now()}${seq}`,
    amountFen: 12800,
    subject: '重庆市2023年专技人员继续教育公需科目培训',
    notifyUrl: `http://merchant.test/notify/${seq}`,
    returnUrl: 'http://merchant.test/pay/return',
    expiresAt: new Date(clock.now().getTime() + 30 * 60_000),
    ...over,
  };
}
async function openTrade(over: Partial<CreateTradeInput> = {}) {
  const input = tradeInput(over);
  const url = await gateway.createTrade(input);
  const id = url.split('/').at(-1) as string;
  return { input, url, id };
}
const to = (url: string) => deliveries.filter((d) => d.url === url);
const notifyRequest = (d: Delivery) => ({ headers: d.headers, rawBody: Buffer.from(d.body) });
const cashierPost = (id: string, action: string, token?: string) =>
  app.inject({
    method: 'POST',
    url: `/pay-gateway/cashier/${id}/${action}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: token === undefined ? '' : new URLSearchParams({ token }).toString(),
  });
const tokenOf = async (id: string) => (await gateway.cashier(id))?.token as string;

describe('local gateway keys', () => {
  it('stores the key pair in the key file (0600) and reuses it after a restart', async () => {
    const file = path.join(dir, 'gateway-keys.json');
    const pem = gateway.publicKeyPem();
    expect(pem).toContain('BEGIN PUBLIC KEY');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).privateKeyPem).toContain('BEGIN PRIVATE KEY');
    const again = createLocalGateway({
      db: database.db,
      clock,
      jobs: createJobs({ db: database.db, clock }),
      keyFile: file,
      baseUrl: BASE,
      transport: recording,
    });
    expect(again.publicKeyPem()).toBe(pem);
    expect(again.verify(gateway.signed({ a: '1', b: '' }))).toBe(true);
  });
});

describe('createTrade', () => {
  it('returns the cashier URL and is idempotent on the same outTradeNo and amount', async () => {
    const { input, url, id } = await openTrade();
    expect(url).toMatch(/^http:\/\/pay\.test\/pay-gateway\/cashier\/[0-9a-f-]{36}$/);
    expect(await gateway.createTrade(input)).toBe(url);
    const view = await gateway.cashier(id);
    expect(view?.trade.tradeNo).toMatch(/^LG\d{8}\d{12}$/);
    expect(view?.status).toBe('unpaid');
  });

  it('refuses the same outTradeNo with another amount, and bad input', async () => {
    const { input } = await openTrade();
    await expect(gateway.createTrade({ ...input, amountFen: 100 })).rejects.toBeInstanceOf(PaymentProviderError);
    await expect(gateway.createTrade(tradeInput({ amountFen: 0 }))).rejects.toBeInstanceOf(PaymentProviderError);
    await expect(gateway.createTrade(tradeInput({ returnUrl: 'javascript:alert(1)' }))).rejects.toBeInstanceOf(
      PaymentProviderError,
    );
  });
});

describe('cashier page', () => {
  it('shows the channel, the amount in yuan and an escaped subject', async () => {
    const { id, input } = await openTrade({ subject: '公需科目<script>alert("x")</script>' });
    const res = await app.inject({ method: 'GET', url: `/pay-gateway/cashier/${id}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toMatch(/script-src 'nonce-[^']+'/);
    expect(res.body).toContain('<html lang="zh-CN">');
    expect(res.body).toContain('支付宝');
    expect(res.body).toContain('#1677ff');
    expect(res.body).toContain('演示收银台（非真实支付）');
    expect(res.body).toContain('¥128.00');
    expect(res.body).toContain(input.outTradeNo);
    expect(res.body).toContain('公需科目&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(res.body).not.toContain('<script>alert');
    for (const b of ['确认支付', '取消支付', '模拟支付失败']) expect(res.body).toContain(b);
    expect(res.body).toMatch(/data-seconds="1(799|800)">(29:59|30:00)</);
  });

  it('uses the channel colours and exact fen arithmetic', async () => {
    const wechat = await openTrade({ channel: 'wechat', amountFen: 7 });
    const page = (await app.inject({ method: 'GET', url: `/pay-gateway/cashier/${wechat.id}` })).body;
    expect(page).toContain('微信支付');
    expect(page).toContain('#07c160');
    expect(page).toContain('¥0.07');
    const unionpay = await openTrade({ channel: 'unionpay', amountFen: 100_000_001 });
    const page2 = (await app.inject({ method: 'GET', url: `/pay-gateway/cashier/${unionpay.id}` })).body;
    expect(page2).toContain('银联');
    expect(page2).toContain('#d7000f');
    expect(page2).toContain('¥1000000.01');
  });

  it('answers 404 for an unknown trade', async () => {
    for (const id of [crypto.randomUUID(), 'not-a-uuid']) {
      const res = await app.inject({ method: 'GET', url: `/pay-gateway/cashier/${id}` });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect((await cashierPost(id, 'pay', 'x')).statusCode).toBe(404);
    }
  });

  it('refuses a cashier action without the trade token (403)', async () => {
    const { id } = await openTrade();
    const other = await openTrade();
    expect((await cashierPost(id, 'pay')).statusCode).toBe(403);
    expect((await cashierPost(id, 'pay', 'forged')).statusCode).toBe(403);
    expect((await cashierPost(id, 'cancel', await tokenOf(other.id))).statusCode).toBe(403);
    expect((await gateway.cashier(id))?.status).toBe('unpaid');
  });

  it('模拟支付失败 leaves the trade unpaid and the page asks to retry', async () => {
    const { id } = await openTrade();
    const res = await cashierPost(id, 'fail', await tokenOf(id));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/pay-gateway/cashier/${id}?failed=1`);
    const page = await app.inject({ method: 'GET', url: res.headers.location as string });
    expect(page.body).toContain('支付失败，请重试');
    expect(page.body).toContain('确认支付');
    expect((await gateway.cashier(id))?.status).toBe('unpaid');
  });
});

describe('notifications', () => {
  it('pay redirects to the merchant and sends a signed SUCCESS notification that parseNotify accepts', async () => {
    const { id, input } = await openTrade();
    const res = await cashierPost(id, 'pay', await tokenOf(id));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`http://merchant.test/pay/return?out_trade_no=${input.outTradeNo}`);
    await jobs.runDue();
    const [d] = to(input.notifyUrl);
    expect(d?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    const fields = Object.fromEntries(new URLSearchParams(d?.body));
    expect(Object.keys(fields).sort()).toEqual(
      [
        'channel',
        'notify_id',
        'notify_time',
        'out_trade_no',
        'paid_at',
        'sign',
        'sign_type',
        'total_fen',
        'trade_no',
        'trade_status',
      ].sort(),
    );
    expect(fields.sign_type).toBe('RSA2');

    const provider = createLocalProvider(gateway, 'alipay');
    const notice = (await provider.parseNotify(notifyRequest(d as Delivery))) as PaymentNotice;
    expect(notice).toMatchObject({ outTradeNo: input.outTradeNo, amountFen: 12800, status: 'paid' });
    expect(notice.tradeNo).toMatch(/^LG/);
    expect(notice.paidAt?.getTime()).toBeCloseTo(clock.now().getTime(), -4);

    const tampered = new URLSearchParams(d?.body);
    tampered.set('total_fen', '1');
    await expect(
      provider.parseNotify({ headers: {}, rawBody: Buffer.from(tampered.toString()) }),
    ).rejects.toBeInstanceOf(PaymentSignatureError);
    tampered.set('total_fen', '12800');
    tampered.delete('sign');
    await expect(
      provider.parseNotify({ headers: {}, rawBody: Buffer.from(tampered.toString()) }),
    ).rejects.toBeInstanceOf(PaymentSignatureError);
    await expect(
      createLocalProvider(gateway, 'wechat').parseNotify(notifyRequest(d as Delivery)),
    ).rejects.toBeInstanceOf(PaymentSignatureError);
    expect(provider.ack(true)).toEqual({ status: 200, contentType: 'text/plain', body: 'success' });
    expect(provider.ack(false).body).toBe('fail');

    const page = await app.inject({ method: 'GET', url: `/pay-gateway/cashier/${id}` });
    expect(page.body).toContain('支付成功');
    expect(page.body).toContain('返回商户');
    expect(page.body).not.toContain('确认支付');
  });

  it('sends a duplicate a little later, with the same notify_id', async () => {
    const { id, input } = await openTrade();
    expect(await gateway.pay(id)).toBe('paid');
    await jobs.runDue();
    expect(to(input.notifyUrl)).toHaveLength(1);
    clock.advance(2_500);
    await jobs.runDue();
    const both = to(input.notifyUrl).map((d) => new URLSearchParams(d.body));
    expect(both).toHaveLength(2);
    expect(both[0]?.get('notify_id')).toBe(both[1]?.get('notify_id'));
    for (const d of to(input.notifyUrl))
      expect(gateway.verify(Object.fromEntries(new URLSearchParams(d.body)))).toBe(true);
  });

  it('retries later when the receiver does not answer success', async () => {
    const { id, input } = await openTrade();
    answers.set(input.notifyUrl, () => ({ status: 200, body: 'fail' }));
    await gateway.pay(id);
    clock.advance(2_500);
    await jobs.runDue();
    expect(to(input.notifyUrl)).toHaveLength(2);
    await jobs.runDue();
    expect(to(input.notifyUrl)).toHaveLength(2);
    answers.set(input.notifyUrl, () => {
      throw new Error('connection refused');
    });
    clock.advance(6_000);
    await jobs.runDue();
    expect(to(input.notifyUrl)).toHaveLength(4);
    answers.delete(input.notifyUrl);
    clock.advance(16_000);
    await jobs.runDue();
    expect(to(input.notifyUrl)).toHaveLength(6);
    clock.advance(60_000);
    await jobs.runDue();
    expect(to(input.notifyUrl)).toHaveLength(6);
  });

  it('cancel closes the trade and sends CLOSED', async () => {
    const { id, input } = await openTrade({ returnUrl: 'http://merchant.test/pay/return?from=cashier' });
    const res = await cashierPost(id, 'cancel', await tokenOf(id));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`http://merchant.test/pay/return?from=cashier&out_trade_no=${input.outTradeNo}`);
    await jobs.runDue();
    const notice = await createLocalProvider(gateway, 'alipay').parseNotify(
      notifyRequest(to(input.notifyUrl)[0] as Delivery),
    );
    expect(notice).toMatchObject({ status: 'closed', paidAt: null, amountFen: 12800 });
    expect(await gateway.pay(id)).toBe('refused');
    expect(await gateway.cancel(id)).toBe('closed');
    clock.advance(2_500);
    await jobs.runDue();
    expect(to(input.notifyUrl)).toHaveLength(2);
    expect((await gateway.query(input.outTradeNo)).status).toBe('closed');
  });

  it('refuses to pay after expiresAt: the trade reads closed and CLOSED is sent', async () => {
    const { id, input } = await openTrade({ expiresAt: new Date(clock.now().getTime() + 60_000) });
    clock.advance(61_000);
    expect((await gateway.query(input.outTradeNo)).status).toBe('closed');
    const res = await cashierPost(id, 'pay', await tokenOf(id));
    expect(res.headers.location).toBe(`/pay-gateway/cashier/${id}`);
    expect((await gateway.query(input.outTradeNo)).status).toBe('closed');
    await jobs.runDue();
    expect(new URLSearchParams(to(input.notifyUrl)[0]?.body).get('trade_status')).toBe('CLOSED');
    const page = await app.inject({ method: 'GET', url: `/pay-gateway/cashier/${id}` });
    expect(page.body).toContain('交易已关闭');
  });
});

describe('query and refund', () => {
  it('query reports the trade; the provider reads an unknown trade as unpaid', async () => {
    const { id, input } = await openTrade();
    const provider = createLocalProvider(gateway, 'alipay');
    expect(await provider.query(input.outTradeNo)).toMatchObject({ status: 'unpaid', amountFen: 12800 });
    await gateway.pay(id);
    const q = await provider.query(input.outTradeNo);
    expect(q.status).toBe('paid');
    expect(q.tradeNo).toMatch(/^LG/);
    expect(q.paidAt).toBeInstanceOf(Date);
    expect(await provider.query('NOSUCHTRADE1')).toEqual({ status: 'unpaid' });
  });

  it('refunds within what was paid, idempotent per outRefundNo', async () => {
    const { id, input } = await openTrade();
    const provider = createLocalProvider(gateway, 'alipay');
    const refund = (outRefundNo: string, amountFen: number) =>
      provider.refund({ outTradeNo: input.outTradeNo, outRefundNo, amountFen, totalFen: 12800, reason: '订单已过期' });
    await expect(refund('R1', 100)).rejects.toBeInstanceOf(PaymentProviderError);
    await gateway.pay(id);
    await expect(refund('R1', 12801)).rejects.toBeInstanceOf(PaymentProviderError);
    const part = await refund('R1', 800);
    expect(part).toEqual({ status: 'success', refundId: expect.stringMatching(/^LR/) });
    expect((await gateway.query(input.outTradeNo)).status).toBe('paid');
    await expect(refund('R2', 12001)).rejects.toBeInstanceOf(PaymentProviderError);
    const rest = await refund('R2', 12000);
    expect((await gateway.query(input.outTradeNo)).status).toBe('refunded');
    expect(await refund('R2', 12000)).toEqual(rest);
    expect(await refund('R1', 800)).toEqual(part);
    await expect(refund('R1', 900)).rejects.toBeInstanceOf(PaymentProviderError);
    await expect(refund('R3', 1)).rejects.toBeInstanceOf(PaymentProviderError);
    expect((await gateway.query(input.outTradeNo)).refundedFen).toBe(12800);

    // After a restart only the total is known: a repeat still succeeds, with the same refund id.
    const restarted = createLocalGateway({
      db: database.db,
      clock,
      jobs: createJobs({ db: database.db, clock }),
      keyFile: path.join(dir, 'gateway-keys.json'),
      baseUrl: BASE,
      transport: recording,
    });
    const repeat = { outTradeNo: input.outTradeNo, outRefundNo: 'R2', amountFen: 12000, reason: '订单已过期' };
    expect(await restarted.refund(repeat)).toEqual(rest);
    await expect(restarted.refund({ ...repeat, outRefundNo: 'R9', amountFen: 12801 })).rejects.toBeInstanceOf(
      PaymentProviderError,
    );
  });
});

describe('provider-facing HTTP API', () => {
  it('answers signed JSON to the merchant and 401 to anyone else', async () => {
    const { id, input } = await openTrade();
    await gateway.pay(id);
    const post = (url: string, body: object, key = gateway.merchantKey()) =>
      app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}` }, payload: body });

    const denied = await post('/pay-gateway/api/query', { out_trade_no: input.outTradeNo }, 'wrong');
    expect(denied.statusCode).toBe(401);

    const q = await post('/pay-gateway/api/query', { out_trade_no: input.outTradeNo });
    expect(q.statusCode).toBe(200);
    expect(q.headers['cache-control']).toBe('no-store');
    const qBody = q.json() as Record<string, string>;
    expect(qBody).toMatchObject({ code: 'SUCCESS', trade_status: 'PAID', total_fen: '12800' });
    expect(gateway.verify(qBody)).toBe(true);
    expect(gateway.verify({ ...qBody, trade_status: 'UNPAID' })).toBe(false);

    const r = await post('/pay-gateway/api/refund', {
      out_trade_no: input.outTradeNo,
      out_refund_no: 'API1',
      amount_fen: 12800,
      reason: '测试',
    });
    expect(r.statusCode).toBe(200);
    expect(gateway.verify(r.json())).toBe(true);
    expect(r.json()).toMatchObject({ code: 'SUCCESS', refund_fen: '12800' });

    const missing = await post('/pay-gateway/api/query', { out_trade_no: 'NOSUCHTRADE2' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'TRADE_NOT_EXIST' });
    expect(gateway.verify(missing.json())).toBe(true);
    const invalid = await post('/pay-gateway/api/refund', { out_trade_no: input.outTradeNo });
    expect(invalid.statusCode).toBe(400);
  });
});

describe('fetchTransport', () => {
  it('posts the body and returns what the receiver answered', async () => {
    let got = '';
    const server = http.createServer((req, res) => {
      req.on('data', (c) => {
        got += c;
      });
      req.on('end', () => res.end('success'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
    try {
      expect(await fetchTransport(url, 'a=1', { 'content-type': 'application/x-www-form-urlencoded' })).toEqual({
        status: 200,
        body: 'success',
      });
      expect(got).toBe('a=1');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
