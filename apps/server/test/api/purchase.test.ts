import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { idNumberCheckChar } from '@cpe/shared';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalEInvoice } from '../../src/adapters/einvoice/local-einvoice.js';
import { MIGRATIONS_DIR } from '../../src/db/client.js';
import { payments } from '../../src/db/schema/index.js';
import { buildPerson, type Person } from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { pdfText } from '../pdf-text.js';
import {
  drainJobs,
  LATER,
  learner,
  onSalePlan,
  payAndDeliver,
  registered,
  signIn,
  startPayment,
} from '../purchase-factories.js';

const DAY = 86_400_000;
let env: TestEnv;
let planId: string;

// Sessions must outlive the days and years the clock moves in these tests.
const LONG_SESSIONS = { SESSION_IDLE_MINUTES: String(400 * 24 * 60), SESSION_ABSOLUTE_HOURS: String(400 * 24) };

beforeAll(async () => {
  env = await createTestEnv(LONG_SESSIONS);
  planId = (await onSalePlan(env, { priceFen: 12_000 })).id;
});

/** A notification as the local gateway would send it, signed by it (or not). */
function notifyBody(fields: Record<string, string>, signer: (f: Record<string, string>) => Record<string, string>) {
  return new URLSearchParams(signer(fields)).toString();
}
async function postNotify(body: string) {
  return env.publicApp.inject({
    method: 'POST',
    url: '/api/payments/notify/alipay',
    payload: body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}
async function outTradeNoOf(orderId: string) {
  const rows = await env.ctx.db.select().from(payments).where(eq(payments.orderId, orderId));
  return rows[0]?.outTradeNo as string;
}
/** Rows of a read-only SQL query (for counts a user cannot see through the API). */
async function rowsOf<T>(e: TestEnv, text: string): Promise<T[]> {
  return ((await e.ctx.db.execute(sql.raw(text))) as unknown as { rows: T[] }).rows;
}
const paidFields = (outTradeNo: string, totalFen: number) => ({
  notify_id: crypto.randomUUID(),
  notify_time: new Date().toISOString(),
  channel: 'alipay',
  out_trade_no: outTradeNo,
  trade_no: `LG${Date.now()}`,
  total_fen: String(totalFen),
  trade_status: 'SUCCESS',
  paid_at: new Date().toISOString(),
});

describe('个人购买 → pay on the local gateway → enrolled → 电子发票', () => {
  it('takes the price from the server, pays once, enrols, issues the invoice', async () => {
    const { c, p } = await learner(env);
    const res = await c.post('/api/orders', {
      planId,
      priceFen: 1,
      amountFen: 1,
      invoice: { mode: 'now', title: { titleType: 'personal', title: p.realName, email: 'me@example.com' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const order = res.json();
    expect(order).toMatchObject({
      status: 'pending',
      amountFen: 12_000,
      unitPriceFen: 12_000,
      quantity: 1,
      kind: 'individual',
    });
    expect(order.actions).toMatchObject({ pay: true, cancel: true });
    // A second 提交订单 shows the same open order.
    expect((await c.post('/api/orders', { planId, invoice: LATER })).json().id).toBe(order.id);
    expect((await c.get(`/api/plans/${planId}/mine`)).json().mine).toEqual({
      enrolled: false,
      openOrderId: order.id,
      pendingInGroup: false,
    });

    const { tradeId, url } = await startPayment(c, order.id);
    expect(url.pathname).toMatch(/^\/pay-gateway\/cashier\//);
    // The return page proves nothing: before the payment, sync leaves the order pending.
    expect((await c.post(`/api/orders/${order.id}/sync`)).json().status).toBe('pending');
    await payAndDeliver(env, tradeId);
    // Duplicates arrive a little later and change nothing.
    await drainJobs(env, 5_000);

    const paid = (await c.get(`/api/orders/${order.id}`)).json();
    expect(paid).toMatchObject({ status: 'paid', channel: 'alipay', invoiceMode: 'now' });
    expect((await c.get(`/api/plans/${planId}/mine`)).json().mine).toEqual({
      enrolled: true,
      openOrderId: null,
      pendingInGroup: false,
    });
    const again = await c.post('/api/orders', { planId, invoice: LATER });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ALREADY_ENROLLED');
    const list = (
      await rowsOf<{ outcome: string }>(
        env,
        `select outcome from payment_notifications where out_trade_no = '${await outTradeNoOf(order.id)}'`,
      )
    ).map((r) => r.outcome);
    expect(list.filter((o) => o === 'paid')).toHaveLength(1);
    expect(list.filter((o) => o === 'duplicate').length).toBeGreaterThanOrEqual(1);

    await drainJobs(env);
    const invoices = (await c.get('/api/invoices')).json().items;
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({
      status: 'issued',
      titleType: 'personal',
      title: p.realName,
      amountFen: 12_000,
      canModify: true,
    });
    // The QR on the invoice leads to 发票查验: number and check code must both match.
    const code = (
      await rowsOf<{ check_code: string }>(env, `select check_code from invoices where id = '${invoices[0].id}'`)
    )[0]?.check_code;
    const verified = (
      await new Client(env.publicApp).get(`/api/invoice-verifications?no=${invoices[0].invoiceNo}&code=${code}`)
    ).json();
    expect(verified).toMatchObject({ valid: true, status: 'issued', amountFen: 12_000 });
    expect(verified.buyerMasked).not.toBe(p.realName);
    const wrong = (
      await new Client(env.publicApp).get(`/api/invoice-verifications?no=${invoices[0].invoiceNo}&code=AAAA0000`)
    ).json();
    expect(wrong.valid).toBe(false);
    const pdf = await c.get(`/api/invoices/${invoices[0].id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain(invoices[0].invoiceNo);
    expect(text).toContain(p.realName);
  });

  it('refuses a forged signature, a wrong amount, and applies a replay once', async () => {
    const { c } = await learner(env);
    const order = (await c.post('/api/orders', { planId, invoice: LATER })).json();
    await startPayment(c, order.id);
    const outTradeNo = await outTradeNoOf(order.id);

    // Signed with somebody else's key.
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = notifyBody(paidFields(outTradeNo, 12_000), (f) => {
      const unsigned = { ...f, sign_type: 'RSA2' };
      const text = Object.keys(unsigned)
        .filter((k) => k !== 'sign' && k !== 'sign_type')
        .sort()
        .map((k) => `${k}=${unsigned[k as keyof typeof unsigned]}`)
        .join('&');
      return { ...unsigned, sign: crypto.sign('sha256', Buffer.from(text), privateKey).toString('base64') };
    });
    const r1 = await postNotify(forged);
    expect(r1.body).toBe('fail');
    expect((await c.get(`/api/orders/${order.id}`)).json().status).toBe('pending');

    // Properly signed, but for one fen, on a second attempt: that attempt waits as 待处理 (refunded from 订单管理,
    // see payment-notify-abuse.test.ts) and the order stays unpaid.
    const gw = env.ctx.purchase.gateway;
    await startPayment(c, order.id);
    const attempts = await env.ctx.db.select().from(payments).where(eq(payments.orderId, order.id));
    const second = attempts.find((p) => p.outTradeNo !== outTradeNo)?.outTradeNo as string;
    const cheap = await postNotify(notifyBody(paidFields(second, 1), (f) => gw.signed(f)));
    expect(cheap.body).toBe('success');
    expect((await c.get(`/api/orders/${order.id}`)).json().status).toBe('pending');

    // The real one, then the same bytes again.
    const real = notifyBody(paidFields(outTradeNo, 12_000), (f) => gw.signed(f));
    expect((await postNotify(real)).body).toBe('success');
    expect((await postNotify(real)).body).toBe('success');
    expect((await c.get(`/api/orders/${order.id}`)).json().status).toBe('paid');
    const outcomes = (
      await rowsOf<{ outcome: string }>(
        env,
        `select outcome from payment_notifications where out_trade_no in ('${outTradeNo}', '${second}')`,
      )
    ).map((r) => r.outcome);
    // The forged one is kept beside the trade it named (unverified), for operators to see.
    expect(outcomes).toContain('bad-signature');
    expect(outcomes).toContain('amount-mismatch');
    expect(outcomes.filter((o) => o === 'paid')).toHaveLength(1);
    expect(outcomes).toContain('duplicate');
  });

  it('out of order: a late CLOSED after SUCCESS changes nothing; SUCCESS after CLOSED still pays', async () => {
    const gw = env.ctx.purchase.gateway;
    const closed = (no: string) => ({ ...paidFields(no, 12_000), trade_status: 'CLOSED', paid_at: '' });
    const a = await learner(env);
    const first = (await a.c.post('/api/orders', { planId, invoice: LATER })).json();
    await startPayment(a.c, first.id);
    const noA = await outTradeNoOf(first.id);
    expect((await postNotify(notifyBody(paidFields(noA, 12_000), (f) => gw.signed(f)))).body).toBe('success');
    expect((await postNotify(notifyBody(closed(noA), (f) => gw.signed(f)))).body).toBe('success');
    expect((await a.c.get(`/api/orders/${first.id}`)).json().status).toBe('paid');

    const b = await learner(env);
    const second = (await b.c.post('/api/orders', { planId, invoice: LATER })).json();
    await startPayment(b.c, second.id);
    const noB = await outTradeNoOf(second.id);
    expect((await postNotify(notifyBody(closed(noB), (f) => gw.signed(f)))).body).toBe('success');
    expect((await b.c.get(`/api/orders/${second.id}`)).json().status).toBe('pending');
    expect((await postNotify(notifyBody(paidFields(noB, 12_000), (f) => gw.signed(f)))).body).toBe('success');
    expect((await b.c.get(`/api/orders/${second.id}`)).json().status).toBe('paid');
  });

  it('20 parallel duplicate notifications mark the order paid once and enrol once', async () => {
    const { c } = await learner(env);
    const order = (
      await c.post('/api/orders', {
        planId,
        invoice: { mode: 'now', title: { titleType: 'personal', title: '并发测试' } },
      })
    ).json();
    await startPayment(c, order.id);
    const outTradeNo = await outTradeNoOf(order.id);
    const body = notifyBody(paidFields(outTradeNo, 12_000), (f) => env.ctx.purchase.gateway.signed(f));
    const answers = await Promise.all(Array.from({ length: 20 }, () => postNotify(body)));
    expect(answers.every((a) => a.body === 'success')).toBe(true);
    const counts = await rowsOf<{ enrolled: number; invoices: number; paid: number }>(
      env,
      `select
         (select count(*)::int from enrollments where order_id = '${order.id}') as enrolled,
         (select count(*)::int from invoices where order_id = '${order.id}') as invoices,
         (select count(*)::int from payment_notifications where out_trade_no = '${outTradeNo}' and outcome = 'paid') as paid`,
    );
    expect(counts[0]).toEqual({ enrolled: 1, invoices: 1, paid: 1 });
  });

  it('an unpaid order expires; it cannot be paid; a late payment is refunded automatically', async () => {
    const { c } = await learner(env);
    const order = (await c.post('/api/orders', { planId, invoice: LATER })).json();
    const { tradeId } = await startPayment(c, order.id);
    env.clock.advance(31 * 60_000);
    await env.ctx.purchase.orders.expireSweep();
    const expired = (await c.get(`/api/orders/${order.id}`)).json();
    expect(expired.status).toBe('expired');
    expect(expired.actions.pay).toBe(false);
    const pay = await c.post(`/api/orders/${order.id}/payments`, { channel: 'wechat', device: 'desktop' });
    expect(pay.statusCode).toBe(409);
    expect(pay.json().code).toBe('ORDER_STATE');

    // The provider still accepted the money (its close time is a few minutes later): refunded, recorded.
    await payAndDeliver(env, tradeId);
    await drainJobs(env);
    const refunds = await rowsOf<{ status: string; amount_fen: number }>(
      env,
      `select status, amount_fen::int as amount_fen from refunds where order_id = '${order.id}'`,
    );
    expect(refunds).toEqual([{ status: 'success', amount_fen: 12_000 }]);
    expect((await env.ctx.purchase.gateway.query(await outTradeNoOf(order.id))).status).toBe('refunded');
    expect((await c.get(`/api/orders/${order.id}`)).json().status).toBe('expired');
    expect((await c.get(`/api/plans/${planId}/mine`)).json().mine.enrolled).toBe(false);
    // The person may order again.
    expect((await c.post('/api/orders', { planId, invoice: LATER })).json().status).toBe('pending');
  });

  it('orders are private; writes need a login; a plan off sale cannot be bought', async () => {
    const a = await learner(env);
    const b = await learner(env);
    const order = (await a.c.post('/api/orders', { planId, invoice: LATER })).json();
    for (const res of [
      await b.c.get(`/api/orders/${order.id}`),
      await b.c.post(`/api/orders/${order.id}/payments`, { channel: 'alipay' }),
      await b.c.post(`/api/orders/${order.id}/cancel`),
    ])
      expect(res.statusCode).toBe(403);
    expect((await new Client(env.publicApp).post('/api/orders', { planId, invoice: LATER })).statusCode).toBe(401);
    expect((await new Client(env.publicApp).get('/api/orders')).statusCode).toBe(401);
    const cancelled = await a.c.post(`/api/orders/${order.id}/cancel`);
    expect(cancelled.json().status).toBe('cancelled');
    const unitTitle = await a.c.post('/api/orders', {
      planId,
      invoice: { mode: 'now', title: { titleType: 'unit', title: '重庆测试单位', taxNo: '91500103MA5U7Q2X84' } },
    });
    expect(unitTitle.statusCode).toBe(400);
    expect(unitTitle.json().fields['invoice.title.taxNo']).toContain('纳税人识别号');

    const current = (await env.ctx.purchase.plans.all()).items.find((x) => x.id === planId);
    const courseIds = current?.courses.map((c) => c.id);
    const offSale = await env.ctx.purchase.plans.update(
      crypto.randomUUID(),
      planId,
      {
        ...current,
        courseIds,
        published: true,
        saleFrom: new Date(env.clock.now().getTime() - 10 * DAY).toISOString(),
        saleTo: new Date(env.clock.now().getTime() - DAY).toISOString(),
      } as never,
      { ip: '127.0.0.1', userAgent: 'vitest' },
    );
    expect(offSale.onSale).toBe(false);
    const refused = await b.c.post('/api/orders', { planId, invoice: LATER });
    expect(refused.json().code).toBe('PLAN_NOT_ON_SALE');
    await env.ctx.purchase.plans.update(
      crypto.randomUUID(),
      planId,
      {
        ...offSale,
        courseIds,
        saleTo: new Date(env.clock.now().getTime() + 300 * DAY).toISOString(),
      } as never,
      { ip: '127.0.0.1', userAgent: 'vitest' },
    );
  });
});

describe('团体购买', () => {
  it('checks 12 pasted lines, explains the 3 bad ones in the error file, pays for 9 and enrols them', async () => {
    const e = await createTestEnv(LONG_SESSIONS);
    const plan = await onSalePlan(e, { priceFen: 12_000 });
    const designee = await learner(e);
    const members = await registered(e, 10);
    const [first, second, tenth] = [members[0], members[1], members[9]] as [Person, Person, Person];
    // One of them already bought the plan.
    const bought = await signIn(e, tenth);
    const own = (await bought.c.post('/api/orders', { planId: plan.id, invoice: LATER })).json();
    const t = await startPayment(bought.c, own.id);
    expect(await e.ctx.purchase.gateway.pay(t.tradeId)).toBe('paid');
    await e.ctx.jobs.runDue();

    const body17 = first.idNumber.slice(0, 17);
    const wrongCheck = `${body17}${idNumberCheckChar(body17) === '1' ? '2' : '1'}`;
    const unregistered = buildPerson().idNumber;
    const lines = [
      ...members.slice(0, 9).map((m, i) => (i === 0 ? ` ${m.idNumber.toLowerCase()} ` : m.idNumber)),
      wrongCheck,
      unregistered,
      tenth.idNumber,
    ];
    const check = await designee.c.post('/api/group-checks', { planId: plan.id, idNumbers: lines.join('\n') });
    expect(check.statusCode, check.body).toBe(200);
    const result = check.json();
    expect(result).toMatchObject({ valid: 9, invalid: 3, amountFen: 9 * 12_000 });
    expect(result.errors.map((x: { line: number }) => x.line)).toEqual([10, 11, 12]);
    expect(result.errors[0].reason).toContain('校验位');
    expect(result.errors[1].reason).toBe('该身份证号码未注册平台账号');
    expect(result.errors[2].reason).toBe('该学员已购买该学习计划');

    const xlsx = await designee.c.get(`/api/group-checks/${result.checkId}/errors.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const rows = (wb.worksheets[0]?.getSheetValues() ?? []).slice(2).map((r) => (r as unknown[]).slice(1, 4));
    expect(rows).toEqual([
      [10, wrongCheck, result.errors[0].reason],
      [11, unregistered, '该身份证号码未注册平台账号'],
      [12, tenth.idNumber, '该学员已购买该学习计划'],
    ]);
    // Other people's ID numbers rest encrypted: nothing of what was pasted is readable in the row.
    const [stored] = await rowsOf<Record<string, unknown>>(
      e,
      `select * from group_checks where id = '${result.checkId}'`,
    );
    for (const id of [wrongCheck, unregistered, tenth.idNumber, first.idNumber])
      expect(JSON.stringify(stored)).not.toContain(id.slice(0, 17));

    const personalTitle = await designee.c.post('/api/group-orders', {
      checkId: result.checkId,
      invoice: { mode: 'now', title: { titleType: 'personal', title: '张三' } },
    });
    expect(personalTitle.statusCode).toBe(400);
    const order = await designee.c.post('/api/group-orders', {
      checkId: result.checkId,
      invoice: {
        mode: 'now',
        title: { titleType: 'unit', title: '重庆渝中示例科技有限公司', taxNo: '91500103MA5U7Q2X83' },
      },
    });
    expect(order.statusCode, order.body).toBe(200);
    expect(order.json()).toMatchObject({ kind: 'group', quantity: 9, amountFen: 108_000 });
    // The check is used up; the same people cannot be put in another open order.
    expect((await designee.c.post('/api/group-orders', { checkId: result.checkId, invoice: LATER })).json().code).toBe(
      'GROUP_CHECK_EXPIRED',
    );
    const recheck = (
      await designee.c.post('/api/group-checks', { planId: plan.id, idNumbers: second.idNumber })
    ).json();
    expect(recheck.errors[0].reason).toBe('该学员已在其他待支付订单中');

    // A member sees the unit's pending order as theirs to wait for, never as theirs to pay or to be handed.
    const member = await signIn(e, second);
    expect((await member.c.get(`/api/plans/${plan.id}/mine`)).json().mine).toEqual({
      enrolled: false,
      openOrderId: null,
      pendingInGroup: true,
    });
    const attempt = await member.c.post('/api/orders', { planId: plan.id, invoice: LATER });
    expect(attempt.statusCode).toBe(409);
    expect(attempt.json().code).toBe('IN_GROUP_ORDER');

    const pay = await startPayment(designee.c, order.json().id, 'unionpay');
    expect(await e.ctx.purchase.gateway.pay(pay.tradeId)).toBe('paid');
    await e.ctx.jobs.runDue();
    await drainJobs(e);
    const membersPage = (await designee.c.get(`/api/orders/${order.json().id}/members?pageSize=50`)).json();
    expect(membersPage.total).toBe(9);
    expect(membersPage.items.every((m: { enrolled: boolean }) => m.enrolled)).toBe(true);
    expect(membersPage.items[0].idNumberMasked).toMatch(/\*/);
    const inv = (await designee.c.get('/api/invoices')).json().items[0];
    expect(inv).toMatchObject({ status: 'issued', titleType: 'unit', taxNo: '91500103MA5U7Q2X83', amountFen: 108_000 });
  });

  it('keeps the error file of a check made before values were encrypted, without the plain values', async () => {
    const { c } = await learner(env);
    const pasted = buildPerson().idNumber;
    const check = (await c.post('/api/group-checks', { planId, idNumbers: `\n${pasted}` })).json();
    expect(check.invalid).toBe(2);
    // The row as it was before migration 0019, then that migration's data step.
    await rowsOf(
      env,
      `update group_checks set error_values_enc = null, errors = '[{"line":1,"value":"","reason":"空行"},` +
        `{"line":2,"value":"${pasted}","reason":"该身份证号码未注册平台账号"}]' where id = '${check.checkId}'`,
    );
    const migration = fs.readFileSync(path.join(MIGRATIONS_DIR, '0019_group_checks_encrypted.sql'), 'utf8');
    for (const statement of migration.split('--> statement-breakpoint').slice(1)) await rowsOf(env, statement);
    const [stored] = await rowsOf<{ errors: unknown }>(
      env,
      `select errors from group_checks where id = '${check.checkId}'`,
    );
    expect(JSON.stringify(stored?.errors)).not.toContain(pasted);

    const xlsx = await c.get(`/api/group-checks/${check.checkId}/errors.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const rows = (wb.worksheets[0]?.getSheetValues() ?? []).slice(2).map((r) => (r as unknown[]).slice(1, 4));
    expect(rows.map((r) => [r[0], r[2]])).toEqual([
      [1, '空行'],
      [2, '该身份证号码未注册平台账号'],
    ]);
    expect(JSON.stringify(rows)).not.toContain(pasted);
  });

  it('refuses more than 10,000 lines', async () => {
    const { c } = await learner(env);
    const text = Array.from({ length: 10_001 }, () => '500103199001011232').join('\n');
    const res = await c.post('/api/group-checks', { planId, idNumbers: text });
    expect(res.json().code).toBe('GROUP_TOO_MANY');
  });
});

describe('我的发票 rules', () => {
  async function paidLater(e: TestEnv, plan: string) {
    const { c, p } = await learner(e);
    const order = (await c.post('/api/orders', { planId: plan, invoice: LATER })).json();
    const t = await startPayment(c, order.id);
    await payAndDeliver(e, t.tradeId);
    return { c, p, orderId: order.id as string };
  }

  it('申请开票 later, one modification within 15 days (red + new blue kept), the second refused', async () => {
    const { c, p, orderId } = await paidLater(env, planId);
    const orders = (await c.get('/api/orders?status=paid')).json().items;
    expect(orders[0].actions.requestInvoice).toBe(true);
    expect(
      (await c.post(`/api/orders/${orderId}/invoice`, { titleType: 'personal', title: p.realName })).statusCode,
    ).toBe(200);
    await drainJobs(env);
    const [blue] = (await c.get('/api/invoices')).json().items;
    expect(blue).toMatchObject({ status: 'issued', canModify: true });
    env.clock.advance(10 * DAY);
    const mod = await c.request('PUT', `/api/invoices/${blue.id}`, {
      titleType: 'unit',
      title: '重庆渝中示例科技有限公司',
      taxNo: '91500103MA5U7Q2X83',
    });
    expect(mod.statusCode, mod.body).toBe(200);
    await drainJobs(env);
    const after = (await c.get('/api/invoices')).json().items as Array<{
      id: string;
      kind: string;
      status: string;
      amountFen: number;
      canModify: boolean;
      modifyBlockedReason: string | null;
      title: string;
    }>;
    expect(after.map((i) => `${i.kind}:${i.status}`).sort()).toEqual(['blue:issued', 'blue:reversed', 'red:issued']);
    expect(after.find((i) => i.kind === 'red')?.amountFen).toBe(-12_000);
    const replacement = after.find((i) => i.kind === 'blue' && i.status === 'issued');
    expect(replacement).toMatchObject({ title: '重庆渝中示例科技有限公司', canModify: false });
    const second = await c.request('PUT', `/api/invoices/${replacement?.id}`, {
      titleType: 'personal',
      title: p.realName,
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('INVOICE_MODIFY_LIMIT');
  });

  it('the 16th day is too late', async () => {
    const { c, p, orderId } = await paidLater(env, planId);
    await c.post(`/api/orders/${orderId}/invoice`, { titleType: 'personal', title: p.realName });
    await drainJobs(env);
    const [inv] = (await c.get('/api/invoices')).json().items;
    env.clock.advance(16 * DAY);
    const res = await c.request('PUT', `/api/invoices/${inv.id}`, { titleType: 'personal', title: `${p.realName}改` });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toBe('申请开票成功15日内可修改发票1次，已超过15日');
  });

  it('no cross-year invoice, no cross-year modification', async () => {
    const e = await createTestEnv(LONG_SESSIONS);
    // Move to 28 December (China time) of this year, pay there, then cross into January.
    const now = e.clock.now();
    const year = new Date(now.getTime() + 8 * 3_600_000).getUTCFullYear();
    const dec28 = new Date(`${year}-12-28T10:00:00+08:00`).getTime();
    if (dec28 > now.getTime()) e.clock.advance(dec28 - now.getTime());
    const plan = await onSalePlan(e);
    const late = await paidLater(e, plan.id);
    const early = await paidLater(e, plan.id);
    await early.c.post(`/api/orders/${early.orderId}/invoice`, { titleType: 'personal', title: early.p.realName });
    await drainJobs(e);
    e.clock.advance(5 * DAY);
    const cross = await late.c.post(`/api/orders/${late.orderId}/invoice`, {
      titleType: 'personal',
      title: late.p.realName,
    });
    expect(cross.statusCode).toBe(409);
    expect(cross.json()).toMatchObject({
      code: 'INVOICE_CROSS_YEAR',
      message: '不能跨年补开发票，请在缴费当年申请发票',
    });
    const [inv] = (await early.c.get('/api/invoices')).json().items;
    expect(inv.canModify).toBe(false);
    const mod = await early.c.request('PUT', `/api/invoices/${inv.id}`, { titleType: 'personal', title: '新抬头' });
    expect(mod.json().code).toBe('INVOICE_MODIFY_CROSS_YEAR');
  });

  it('an e-invoice platform failure is retried by the job until it issues', async () => {
    const e = await createTestEnv(LONG_SESSIONS, {
      einvoice: createLocalEInvoice({
        sellerName: '重庆市人力资源开发服务中心',
        sellerTaxNo: '12500000MB1566913B',
        clock: { now: () => new Date() },
        verifyBaseUrl: 'http://localhost/invoice-verify',
        failNext: 2,
      }),
    });
    const plan = await onSalePlan(e);
    const { c, p, orderId } = await paidLater(e, plan.id);
    await c.post(`/api/orders/${orderId}/invoice`, { titleType: 'personal', title: p.realName });
    await e.ctx.jobs.runDue();
    expect((await c.get('/api/invoices')).json().items[0].status).toBe('pending');
    await drainJobs(e, 60_000);
    expect((await c.get('/api/invoices')).json().items[0].status).toBe('issued');
  });
});
