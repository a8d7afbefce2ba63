import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUnionpayProvider, unionpaySignString } from '../../src/adapters/payment/unionpay.js';
import { payments } from '../../src/db/schema/index.js';
import { BAD_NOTIFY_KEEP, BAD_NOTIFY_LIMIT } from '../../src/modules/purchase/orders.service.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import {
  drainJobs,
  LATER,
  learner,
  onSalePlan,
  payAndDeliver,
  staffWith,
  startPayment,
} from '../purchase-factories.js';

/** Rows of a read-only SQL query (for what a user cannot see through the API). */
async function rowsOf<T>(e: TestEnv, text: string): Promise<T[]> {
  return ((await e.ctx.db.execute(sql.raw(text))) as unknown as { rows: T[] }).rows;
}
const countOf = async (e: TestEnv, text: string) => Number((await rowsOf<{ n: number }>(e, text))[0]?.n ?? 0);

async function notifyFrom(e: TestEnv, channel: string, body: string, ip: string) {
  return e.publicApp.inject({
    method: 'POST',
    url: `/api/payments/notify/${channel}`,
    payload: body,
    remoteAddress: ip,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/** A local-gateway notification (the shape the demo gateway posts), signed by the gateway or not. */
const gatewayFields = (channel: string, outTradeNo: string, totalFen: number) => ({
  notify_id: crypto.randomUUID(),
  notify_time: new Date().toISOString(),
  channel,
  out_trade_no: outTradeNo,
  trade_no: `LG${Date.now()}${crypto.randomInt(1000)}`,
  total_fen: String(totalFen),
  trade_status: 'SUCCESS',
  paid_at: new Date().toISOString(),
});

async function outTradeNoOf(e: TestEnv, orderId: string) {
  const rows = await e.ctx.db.select().from(payments).where(eq(payments.orderId, orderId));
  return rows[0]?.outTradeNo as string;
}

describe('payment notifications on the local gateway', () => {
  let env: TestEnv;
  let planId: string;
  beforeAll(async () => {
    env = await createTestEnv({ SESSION_IDLE_MINUTES: '600' });
    planId = (await onSalePlan(env, { priceFen: 12_000 })).id;
  });

  async function pendingOrder(channel = 'alipay') {
    const { c } = await learner(env);
    const order = (await c.post('/api/orders', { planId, invoice: LATER })).json();
    const start = await startPayment(c, order.id, channel);
    return { c, orderId: order.id as string, tradeId: start.tradeId, outTradeNo: await outTradeNoOf(env, order.id) };
  }

  it('a flood of forged notifications is rate-limited per source and bounded in the logs', async () => {
    const { c, orderId, outTradeNo } = await pendingOrder();
    const attacker = '203.0.113.7';
    const forged = () => {
      const f = { ...gatewayFields('alipay', outTradeNo, 12_000), sign_type: 'RSA2' };
      return new URLSearchParams({ ...f, sign: crypto.randomBytes(256).toString('base64') }).toString();
    };
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await notifyFrom(env, 'alipay', forged(), attacker)).statusCode);
    expect(statuses.slice(0, BAD_NOTIFY_LIMIT.max).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(BAD_NOTIFY_LIMIT.max).every((s) => s === 429)).toBe(true);

    // Another address is not held back by the attacker's limit, and a genuine notice from the same address is.
    const other = await notifyFrom(env, 'alipay', forged(), '198.51.100.9');
    expect(other.statusCode).toBe(200);
    expect(other.body).toBe('fail');
    const genuine = new URLSearchParams(
      env.ctx.purchase.gateway.signed(gatewayFields('alipay', outTradeNo, 12_000)),
    ).toString();
    const ok = await notifyFrom(env, 'alipay', genuine, attacker);
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('success');
    expect((await c.get(`/api/orders/${orderId}`)).json().status).toBe('paid');

    const notices = `select count(*)::int as n from payment_notifications where source_ip = '${attacker}' and not verified`;
    expect(await countOf(env, notices)).toBe(BAD_NOTIFY_LIMIT.max);
    // One audit row per source and hour, however many arrive; the running count sits beside it.
    const auditRows = `select count(*)::int as n from audit_logs where action = 'payment.notify.rejected' and ip = '${attacker}'`;
    const [counted] = await rowsOf<{ count: number; limited: number }>(
      env,
      `select sum(count)::int as count, sum(limited)::int as limited from payment_notify_rejections where source_ip = '${attacker}'`,
    );
    const hours = await countOf(
      env,
      `select count(*)::int as n from payment_notify_rejections where source_ip = '${attacker}'`,
    );
    expect(await countOf(env, auditRows)).toBe(hours);
    expect(hours).toBeLessThanOrEqual(2);
    expect(counted).toEqual({ count: 60, limited: 60 - BAD_NOTIFY_LIMIT.max });

    // Window after window: the log keeps only the latest BAD_NOTIFY_KEEP of the address.
    for (let w = 0; w < 3; w++) {
      env.clock.advance(BAD_NOTIFY_LIMIT.windowMs + 1000);
      for (let i = 0; i < BAD_NOTIFY_LIMIT.max; i++)
        expect((await notifyFrom(env, 'alipay', forged(), attacker)).statusCode).toBe(200);
    }
    expect(await countOf(env, notices)).toBe(BAD_NOTIFY_KEEP);
    expect(await countOf(env, auditRows)).toBe(
      await countOf(env, `select count(*)::int as n from payment_notify_rejections where source_ip = '${attacker}'`),
    );
    expect(await countOf(env, auditRows)).toBeLessThanOrEqual(3);
  });

  it('a notice of another channel does not settle the payment', async () => {
    const { c, orderId, outTradeNo } = await pendingOrder('wechat');
    const gw = env.ctx.purchase.gateway;
    // Signed, for the 支付宝 endpoint, naming a 微信支付 attempt.
    const viaAlipay = new URLSearchParams(gw.signed(gatewayFields('alipay', outTradeNo, 12_000))).toString();
    const res = await notifyFrom(env, 'alipay', viaAlipay, '127.0.0.1');
    expect(res.body).toBe('fail');
    expect((await c.get(`/api/orders/${orderId}`)).json().status).toBe('pending');
    const outcomes = await rowsOf<{ outcome: string; channel: string }>(
      env,
      `select outcome, channel from payment_notifications where out_trade_no = '${outTradeNo}'`,
    );
    expect(outcomes).toEqual([{ outcome: 'wrong-channel', channel: 'alipay' }]);
    expect(
      await countOf(env, `select count(*)::int as n from audit_logs where action = 'payment.wrong-channel'`),
    ).toBeGreaterThanOrEqual(1);

    // Through its own channel it pays.
    const viaWechat = new URLSearchParams(gw.signed(gatewayFields('wechat', outTradeNo, 12_000))).toString();
    expect((await notifyFrom(env, 'wechat', viaWechat, '127.0.0.1')).body).toBe('success');
    expect((await c.get(`/api/orders/${orderId}`)).json().status).toBe('paid');
  });

  it('a signed notice with another amount puts the payment in 待处理, shown in 订单管理 and refunded from there', async () => {
    const { c, orderId, tradeId, outTradeNo } = await pendingOrder();
    const op = await staffWith(env, ['training-operator']);
    const before = (await op.get('/api/admin/orders')).json().paymentExceptions as number;
    // The attempt asked for 99.00 but the provider took 120.00 (the cashier's trade amount).
    await env.ctx.db.update(payments).set({ amountFen: 9_900 }).where(eq(payments.outTradeNo, outTradeNo));
    await payAndDeliver(env, tradeId);
    expect((await c.get(`/api/orders/${orderId}`)).json().status).toBe('pending');

    // 订单管理: the alert's count, the row's flag, the filter, and the payment in the detail.
    const list = (await op.get('/api/admin/orders')).json();
    expect(list.paymentExceptions).toBe(before + 1);
    expect(list.items.find((o: { id: string }) => o.id === orderId).paymentException).toBe(true);
    const only = (await op.get('/api/admin/orders?paymentException=true')).json();
    expect(only.items.map((o: { id: string }) => o.id)).toContain(orderId);
    expect(only.items.every((o: { paymentException: boolean }) => o.paymentException)).toBe(true);
    let detail = (await op.get(`/api/admin/orders/${orderId}`)).json();
    expect(detail.payments[0]).toMatchObject({
      status: 'exception',
      amountFen: 9_900,
      receivedFen: 12_000,
      refundable: true,
    });
    expect(detail.notifications.map((n: { outcome: string }) => n.outcome)).toContain('amount-mismatch');

    // Who may refund: only the training centre, with a reason.
    const url = `/api/admin/orders/${orderId}/payments/${outTradeNo}/refund`;
    expect((await new Client(env.staffApp, 'cpe_staff_csrf').post(url, { reason: '金额不符退款' })).statusCode).toBe(
      401,
    );
    const reviewer = await staffWith(env, ['reviewer']);
    expect((await reviewer.post(url, { reason: '金额不符退款' })).statusCode).toBe(403);
    const bad = await op.post(url, { reason: '' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('reason');
    const elsewhere = await op.post(`/api/admin/orders/${crypto.randomUUID()}/payments/${outTradeNo}/refund`, {
      reason: '金额不符退款',
    });
    expect(elsewhere.statusCode).toBe(404);

    const res = await op.post(url, { reason: '支付金额与订单不符，原路退回' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ amountFen: 12_000, refundStatus: 'pending' });
    expect((await op.post(url, { reason: '支付金额与订单不符，原路退回' })).statusCode).toBe(409);
    // Asked for: no longer waiting for an operator.
    expect((await op.get('/api/admin/orders')).json().paymentExceptions).toBe(before);

    await drainJobs(env);
    detail = (await op.get(`/api/admin/orders/${orderId}`)).json();
    expect(detail.payments[0]).toMatchObject({ status: 'refunded', refundable: false });
    expect(detail.refunds[0]).toMatchObject({ amountFen: 12_000, status: 'success' });
    expect((await env.ctx.purchase.gateway.query(outTradeNo)).status).toBe('refunded');
    expect((await c.get(`/api/orders/${orderId}`)).json().status).toBe('pending');
    expect(
      await countOf(env, `select count(*)::int as n from audit_logs where action = 'payment.exception.refund'`),
    ).toBe(1);
  });
});

describe('银联 退货 notices (txnType 04) on the payment-notice route', () => {
  const MER_ID = '777290058110048';
  const merchant = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const unionpay = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  let env: TestEnv;
  let planId: string;

  beforeAll(async () => {
    env = await createTestEnv(
      { SESSION_IDLE_MINUTES: '600' },
      {
        payments: {
          unionpay: createUnionpayProvider({
            merId: MER_ID,
            signCertId: '69629715588',
            privateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
            unionpayCert: unionpay.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
            refundNotifyUrl: 'http://localhost/api/payments/notify/unionpay',
          }),
        },
      },
    );
    planId = (await onSalePlan(env, { priceFen: 12_000 })).id;
  });

  /** A back-channel notice as UnionPay posts it: form fields signed over the SHA-256 hex of the sign string. */
  function notice(fields: Record<string, string>, key = unionpay.privateKey) {
    const all: Record<string, string> = {
      accessType: '0',
      bizType: '000201',
      currencyCode: '156',
      encoding: 'UTF-8',
      merId: MER_ID,
      respCode: '00',
      respMsg: '成功[0000000]',
      signMethod: '01',
      txnTime: '20260301122000',
      version: '5.1.0',
      ...fields,
    };
    const digest = crypto.createHash('sha256').update(unionpaySignString(all), 'utf8').digest('hex');
    const signature = crypto.sign('sha256', Buffer.from(digest, 'utf8'), key).toString('base64');
    return new URLSearchParams({ ...all, signature }).toString();
  }

  it('answers ok and records the refund’s outcome instead of a 500 with a bad-signature record', async () => {
    const { c } = await learner(env);
    const order = (await c.post('/api/orders', { planId, invoice: LATER })).json();
    const pay = await c.post(`/api/orders/${order.id}/payments`, { channel: 'unionpay', device: 'desktop' });
    expect(pay.statusCode, pay.body).toBe(200);
    const outTradeNo = await outTradeNoOf(env, order.id);
    const paid = notice({
      txnType: '01',
      txnSubType: '01',
      orderId: outTradeNo,
      queryId: '772603011221055012438',
      txnAmt: '12000',
      traceTime: '0301122105',
    });
    const r1 = await notifyFrom(env, 'unionpay', paid, '127.0.0.1');
    expect(r1.statusCode, r1.body).toBe(200);
    expect((await c.get(`/api/orders/${order.id}`)).json().status).toBe('paid');

    const op = await staffWith(env, ['training-operator']);
    const refund = await op.post(`/api/admin/orders/${order.id}/refund`, { reason: '学员申请退款' });
    expect(refund.statusCode, refund.body).toBe(200);
    const { outRefundNo } = refund.json();

    // Not signed by UnionPay: still refused, as any forgery.
    const forged = notice(
      { txnType: '04', txnSubType: '00', orderId: outRefundNo, queryId: '772603021221055019999', txnAmt: '12000' },
      merchant.privateKey,
    );
    expect((await notifyFrom(env, 'unionpay', forged, '127.0.0.1')).statusCode).toBe(500);

    const refunded = notice({
      txnType: '04',
      txnSubType: '00',
      orderId: outRefundNo,
      queryId: '772603021221055019999',
      txnAmt: '12000',
    });
    const r2 = await notifyFrom(env, 'unionpay', refunded, '127.0.0.1');
    expect(r2.statusCode).toBe(200);
    expect(r2.body).toBe('ok');
    // UnionPay retries until it hears ok: the retry is answered ok and changes nothing.
    expect((await notifyFrom(env, 'unionpay', refunded, '127.0.0.1')).body).toBe('ok');

    const detail = (await op.get(`/api/admin/orders/${order.id}`)).json();
    expect(detail.refunds[0]).toMatchObject({ outRefundNo, status: 'success' });
    expect(detail.payments[0].status).toBe('refunded');
    const outcomes = detail.notifications.map((n: { outcome: string; verified: boolean }) => [n.outcome, n.verified]);
    expect(outcomes).toContainEqual(['refund-success', true]);
    expect(outcomes).toContainEqual(['duplicate', true]);
    // The forged one is a rejection like any other: kept unverified under the number it claimed.
    expect(
      await countOf(
        env,
        `select count(*)::int as n from payment_notifications where out_trade_no = '${outRefundNo}' and outcome = 'bad-signature'`,
      ),
    ).toBe(1);

    // A refund we never asked for is heard (ok) and recorded, nothing else.
    const unknown = notice({ txnType: '04', txnSubType: '00', orderId: 'RX00000000000001', queryId: '1', txnAmt: '1' });
    expect((await notifyFrom(env, 'unionpay', unknown, '127.0.0.1')).body).toBe('ok');
    expect(
      await countOf(env, `select count(*)::int as n from payment_notifications where outcome = 'refund-unknown'`),
    ).toBe(1);
  });

  it('records a refund UnionPay reports as failed', async () => {
    const { c } = await learner(env);
    const order = (await c.post('/api/orders', { planId, invoice: LATER })).json();
    await c.post(`/api/orders/${order.id}/payments`, { channel: 'unionpay', device: 'desktop' });
    const outTradeNo = await outTradeNoOf(env, order.id);
    const paid = notice({
      txnType: '01',
      txnSubType: '01',
      orderId: outTradeNo,
      queryId: '7726030112210550',
      txnAmt: '12000',
    });
    expect((await notifyFrom(env, 'unionpay', paid, '127.0.0.1')).statusCode).toBe(200);
    const op = await staffWith(env, ['training-operator']);
    const { outRefundNo } = (await op.post(`/api/admin/orders/${order.id}/refund`, { reason: '学员申请退款' })).json();
    const failed = notice({
      txnType: '04',
      txnSubType: '00',
      orderId: outRefundNo,
      queryId: '7726030212210551',
      txnAmt: '12000',
      respCode: '01',
      respMsg: '交易失败',
    });
    expect((await notifyFrom(env, 'unionpay', failed, '127.0.0.1')).body).toBe('ok');
    const detail = (await op.get(`/api/admin/orders/${order.id}`)).json();
    expect(detail.refunds[0]).toMatchObject({ outRefundNo, status: 'failed' });
    expect(detail.payments[0].status).toBe('paid');
    expect(detail.notifications.map((n: { outcome: string }) => n.outcome)).toContain('refund-failed');
  });
});
