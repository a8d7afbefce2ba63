import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { accounts, certificates, chapterProgress, enrollmentProgress } from '../../src/db/schema/index.js';
import { buildPerson, login, multipartFile, outbox, sliderToken } from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { drainJobs, LATER, learner, onSalePlan, payAndDeliver, startPayment } from '../purchase-factories.js';
import { png } from '../units-factories.js';

let env: TestEnv;
let planId: string;

beforeAll(async () => {
  env = await createTestEnv();
  planId = (await onSalePlan(env, { priceFen: 12_000 })).id;
});

type Role = 'sysadmin' | 'reviewer' | 'training-operator' | 'pii-viewer' | 'recovery-handler';

/** A staff member with these roles, signed in on the console. */
async function staff(roles: Role[]) {
  const username = `st${crypto.randomBytes(4).toString('hex')}`;
  await env.ctx.staff.ensure({ username, password: 'Train@2026', displayName: '培训中心', roles });
  const s = new Client(env.staffApp, 'cpe_staff_csrf');
  const res = await s.post('/api/sessions', {
    username,
    password: 'Train@2026',
    sliderToken: await sliderToken(s, new Client(env.publicApp)),
  });
  expect(res.statusCode, res.body).toBe(200);
  return { s, id: res.json().id as string };
}

async function accountOf(username: string) {
  const [a] = await env.ctx.db.select().from(accounts).where(eq(accounts.username, username));
  return a as typeof accounts.$inferSelect;
}

async function auditRows(action: string, targetId: string) {
  const res = await env.ctx.db.execute(
    sql`select actor_type, actor_id, ip, summary from audit_logs where action = ${action} and target_id = ${targetId}`,
  );
  return (res as unknown as { rows: Array<{ actor_type: string; actor_id: string; ip: string; summary: object }> })
    .rows;
}

/** A paid 个人购买 of the plan (invoice now or later); jobs drained so the invoice is issued. */
async function paidOrder(c: Client, invoice: object = LATER) {
  const res = await c.post('/api/orders', { planId, invoice });
  expect(res.statusCode, res.body).toBe(200);
  const order = res.json();
  const { tradeId } = await startPayment(c, order.id);
  await payAndDeliver(env, tradeId);
  await drainJobs(env);
  return order as { id: string; orderNo: string };
}

describe('学员管理: search, masking, permissions', () => {
  let a: Awaited<ReturnType<typeof learner>>;
  let op: Client;

  beforeAll(async () => {
    a = await learner(env, buildPerson({ realName: '欧阳明月' }));
    await learner(env, buildPerson({ realName: '欧阳清风' }));
    op = (await staff(['training-operator'])).s;
  });

  it('finds people by name (contains), by full ID number and by phone (exact); masked in every answer', async () => {
    const byName = await op.get(`/api/admin/learners?q=${encodeURIComponent('欧阳')}`);
    expect(byName.statusCode, byName.body).toBe(200);
    expect(byName.json().total).toBe(2);
    expect(
      byName
        .json()
        .items.map((i: { realName: string }) => i.realName)
        .sort(),
    ).toEqual(['欧阳明月', '欧阳清风']);
    const contains = await op.get(`/api/admin/learners?q=${encodeURIComponent('明月')}`);
    expect(contains.json().items.map((i: { username: string }) => i.username)).toEqual([a.p.username]);

    const byId = await op.get(`/api/admin/learners?q=${a.p.idNumber.toLowerCase()}`);
    expect(byId.json()).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    const item = byId.json().items[0];
    expect(item).toMatchObject({
      username: a.p.username,
      realName: '欧阳明月',
      idNumberMasked: `${a.p.idNumber[0]}${'*'.repeat(16)}${a.p.idNumber.slice(-1)}`,
      phoneMasked: `${a.p.phone.slice(0, 3)}****${a.p.phone.slice(-4)}`,
      realNameVerified: true,
      locked: false,
      orderCount: 0,
      enrollmentCount: 0,
    });
    for (const res of [byName, contains, byId]) {
      expect(res.body).not.toContain(a.p.idNumber);
      expect(res.body).not.toContain(a.p.phone);
    }

    const byPhone = await op.get(`/api/admin/learners?q=${encodeURIComponent(` ${a.p.phone} `)}`);
    expect(byPhone.json().items.map((i: { id: string }) => i.id)).toEqual([item.id]);
    // A part of an ID number or phone matches nothing: only whole numbers are looked up (by keyed hash).
    expect((await op.get(`/api/admin/learners?q=${a.p.idNumber.slice(0, 12)}`)).json().total).toBe(0);
    expect((await op.get(`/api/admin/learners?q=${a.p.phone.slice(0, 7)}`)).json().total).toBe(0);

    const detail = await op.get(`/api/admin/learners/${item.id}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json().profile).toMatchObject({ id: item.id, idNumberMasked: item.idNumberMasked });
    expect(detail.json()).toMatchObject({ orders: [], enrollments: [], certificates: [] });
    expect(detail.body).not.toContain(a.p.idNumber);
    expect(detail.body).not.toContain(a.p.phone);
    // 学时档案: the same record the person sees (this year listed, nothing yet); an unknown id is 404.
    const credits = await op.get(`/api/admin/learners/${item.id}/credits`);
    expect(credits.statusCode, credits.body).toBe(200);
    expect(credits.json()).toEqual((await a.c.get('/api/my/credits')).json());
    expect((await op.get(`/api/admin/learners/${crypto.randomUUID()}/credits`)).statusCode).toBe(404);
  });

  it('pages, sorts and refuses bad queries with the field named; injection strings are plain text', async () => {
    const page = await op.get('/api/admin/learners?pageSize=1&page=2&sort=createdAt:asc');
    expect(page.json()).toMatchObject({ page: 2, pageSize: 1 });
    expect(page.json().items).toHaveLength(1);
    expect(page.json().total).toBeGreaterThanOrEqual(2);

    for (const q of ["' or 1=1 --", '%', '_', '\\', "欧阳%' union select * from accounts --", '%%__']) {
      const res = await op.get(`/api/admin/learners?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(200);
      expect(res.json().total, q).toBe(0);
    }
    const long = await op.get(`/api/admin/learners?q=${'张'.repeat(51)}`);
    expect(long.statusCode).toBe(400);
    expect(long.json().fields.q).toBe('搜索内容最多50个字');
    expect((await op.get('/api/admin/learners?sort=password:asc')).json().fields.sort).toBe('排序方式无效');
    expect((await op.get('/api/admin/learners?page=0')).statusCode).toBe(400);
    expect((await op.get('/api/admin/learners?pageSize=101')).statusCode).toBe(400);
    expect((await op.get('/api/admin/learners/not-a-uuid')).statusCode).toBe(400);
    const missing = await op.get(`/api/admin/learners/${crypto.randomUUID()}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe('学员不存在');
  });

  it('查看完整信息: 403 without 查看完整身份信息; with it the numbers, an audit row, a limit per staff member', async () => {
    const { id } = (await op.get(`/api/admin/learners?q=${a.p.idNumber}`)).json().items[0];
    const denied = await op.post(`/api/admin/learners/${id}/reveal`);
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'PII_REVEAL_FORBIDDEN' });
    expect(denied.body).not.toContain(a.p.idNumber);
    // A sysadmin without the role is refused too; the role alone (no 学员管理) does not open the console's pages.
    const admin = (await staff(['sysadmin'])).s;
    expect((await admin.post(`/api/admin/learners/${id}/reveal`)).statusCode).toBe(403);
    const viewerOnly = (await staff(['pii-viewer'])).s;
    expect((await viewerOnly.post(`/api/admin/learners/${id}/reveal`)).json().code).toBe('FORBIDDEN');
    expect(await auditRows('learner.reveal', id)).toEqual([]);

    const viewer = await staff(['training-operator', 'pii-viewer']);
    const res = await viewer.s.post(`/api/admin/learners/${id}/reveal`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ idNumber: a.p.idNumber, phone: a.p.phone });
    const rows = await auditRows('learner.reveal', id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_type: 'staff', actor_id: viewer.id, ip: viewer.s.ip });
    expect(JSON.stringify(rows[0])).not.toContain(a.p.idNumber);
    // Lists stay masked for the pii-viewer as well.
    expect((await viewer.s.get(`/api/admin/learners/${id}`)).body).not.toContain(a.p.idNumber);

    for (let i = 1; i < 30; i++) expect((await viewer.s.post(`/api/admin/learners/${id}/reveal`)).statusCode).toBe(200);
    const limited = await viewer.s.post(`/api/admin/learners/${id}/reveal`);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(await auditRows('learner.reveal', id)).toHaveLength(30);
    // Another staff member has a limit of their own.
    const other = (await staff(['training-operator', 'pii-viewer'])).s;
    expect((await other.post(`/api/admin/learners/${id}/reveal`)).statusCode).toBe(200);
  });

  it('refuses reviewers on every route, learners and anonymous callers; the portal has no such routes', async () => {
    const { id } = (await op.get(`/api/admin/learners?q=${a.p.idNumber}`)).json().items[0];
    const order = crypto.randomUUID();
    const reviewer = (await staff(['reviewer', 'recovery-handler'])).s;
    const calls = (c: Client) => [
      c.get('/api/admin/learners'),
      c.get(`/api/admin/learners/${id}`),
      c.get(`/api/admin/learners/${id}/credits`),
      c.post(`/api/admin/learners/${id}/reveal`),
      c.post(`/api/admin/learners/${id}/reset-password`),
      c.post(`/api/admin/learners/${id}/unlock`),
      c.post(`/api/admin/orders/${order}/refund`, { reason: '测试退款' }),
    ];
    for (const res of await Promise.all(calls(reviewer))) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
    // The learner's portal cookies mean nothing on the staff listener.
    const asLearner = new Client(env.staffApp, 'cpe_staff_csrf');
    for (const [k, v] of a.c.cookies) asLearner.cookies.set(k, v);
    for (const res of await Promise.all(calls(asLearner))) expect(res.statusCode).toBe(401);
    for (const res of await Promise.all(calls(new Client(env.staffApp, 'cpe_staff_csrf'))))
      expect(res.statusCode).toBe(401);
    expect((await a.c.get('/api/admin/learners')).statusCode).toBe(404);
    expect((await a.c.post(`/api/admin/learners/${id}/reveal`)).statusCode).toBe(404);
    expect((await a.c.get(`/api/admin/learners/${id}`)).body).not.toContain(a.p.idNumber);
  });

  it('offers 查看完整身份信息 in staff management (five roles at most)', async () => {
    const admin = (await staff(['sysadmin'])).s;
    const res = await admin.post('/api/staff-accounts', {
      username: `pv${crypto.randomBytes(3).toString('hex')}`,
      password: 'Train@2026',
      displayName: '王查看',
      roles: ['training-operator', 'pii-viewer'],
      orgNodeId: null,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().roles).toEqual(['training-operator', 'pii-viewer']);
  });
});

describe('重置密码 and 解除锁定', () => {
  it('a temporary password by SMS: the old one fails, sessions end, the new one works and must be changed', async () => {
    const { c, p } = await learner(env);
    const op = await staff(['training-operator']);
    const { id } = await accountOf(p.username);
    expect((await c.get('/api/me')).statusCode).toBe(200);

    const res = await op.s.post(`/api/admin/learners/${id}/reset-password`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      smsSent: true,
      phoneMasked: `${p.phone.slice(0, 3)}****${p.phone.slice(-4)}`,
      temporaryPassword: null,
      sessionsEnded: 1,
    });
    expect((await c.get('/api/me')).statusCode).toBe(401);

    await env.ctx.jobs.runDue();
    const sms = (await outbox(new Client(env.publicApp), `kind=sms&to=${p.phone}`)).find(
      (m) => m.purpose === 'password-reset-by-staff',
    );
    expect(sms?.code).toMatch(
      new RegExp(`^${p.realName}您好，您的继续教育平台登录密码已由管理员重置为\\S{10}，请尽快登录并修改密码。$`),
    );
    const temp = sms?.code.match(/重置为(\S{10})，/)?.[1] ?? '';
    expect(temp).toMatch(/[A-Z]/);
    expect(temp).toMatch(/[a-z]/);
    expect(temp).toMatch(/\d/);
    // The notice travelled through the jobs table: neither the password nor the phone is readable there.
    const payloads = await env.ctx.db.execute<{ p: string }>(
      sql`select payload::text as p from jobs where kind = 'notify.sms'`,
    );
    expect(payloads.rows.length).toBeGreaterThan(0);
    for (const r of payloads.rows) {
      expect(r.p).not.toContain(temp);
      expect(r.p).not.toContain(p.phone);
    }

    expect((await login(new Client(env.publicApp), p.username, p.password)).statusCode).toBe(401);
    const fresh = new Client(env.publicApp);
    expect((await login(fresh, p.username, temp)).statusCode).toBe(200);
    expect((await fresh.get('/api/me')).json().mustChangePassword).toBe(true);
    expect((await fresh.get('/api/orders')).json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    const changed = await fresh.post('/api/me/password', {
      oldPassword: temp,
      password: 'Neww0rd!x',
      confirmPassword: 'Neww0rd!x',
    });
    expect(changed.statusCode, changed.body).toBe(200);

    const rows = await auditRows('learner.password.reset', id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: op.id, summary: { sessionsEnded: 1, smsSent: true } });
    expect(JSON.stringify(rows)).not.toContain(temp);
  });

  it('without a phone the temporary password is shown to the operator once', async () => {
    const { p } = await learner(env);
    const { id } = await accountOf(p.username);
    await env.ctx.db.update(accounts).set({ phoneEnc: null, phoneHash: null }).where(eq(accounts.id, id));
    const op = (await staff(['sysadmin'])).s;
    const res = await op.post(`/api/admin/learners/${id}/reset-password`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ smsSent: false, phoneMasked: null });
    const temp = res.json().temporaryPassword as string;
    expect(temp).toHaveLength(10);
    expect((await login(new Client(env.publicApp), p.username, temp)).statusCode).toBe(200);
  });

  it('解除锁定 after five wrong passwords: SMS, audited; an unlocked account is refused', async () => {
    const p = buildPerson();
    await learner(env, p);
    const c = new Client(env.publicApp);
    for (let i = 0; i < 5; i++) await login(c, p.username, 'Wrong0ne!x');
    const locked = await login(c, p.username, p.password);
    expect(locked.statusCode).toBe(423);
    const op = await staff(['training-operator']);
    const { id } = await accountOf(p.username);
    const listed = (await op.s.get(`/api/admin/learners?q=${p.idNumber}`)).json().items[0];
    expect(listed).toMatchObject({ id, locked: true });
    expect(listed.lockedUntil).not.toBeNull();

    const res = await op.s.post(`/api/admin/learners/${id}/unlock`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ smsSent: true });
    expect((await login(c, p.username, p.password)).statusCode).toBe(200);
    await env.ctx.jobs.runDue();
    const sms = (await outbox(new Client(env.publicApp), `kind=sms&to=${p.phone}`)).find(
      (m) => m.purpose === 'account-unlocked',
    );
    expect(sms?.code).toBe(`${p.realName}您好，您的继续教育平台账号已解除锁定，可以重新登录。`);
    expect(await auditRows('learner.unlock', id)).toHaveLength(1);

    const again = await op.s.post(`/api/admin/learners/${id}/unlock`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'LEARNER_NOT_LOCKED', message: '该账号未被锁定，无需解除' });
  });
});

describe('退款 (订单管理)', () => {
  it('refunds a paid order: refunded, enrolment and progress gone, money back, red invoice, may buy again', async () => {
    const { c, p } = await learner(env);
    const order = await paidOrder(c, {
      mode: 'now',
      title: { titleType: 'personal', title: p.realName, email: 'me@example.com' },
    });
    const op = await staff(['training-operator']);
    const { id: accountId } = await accountOf(p.username);
    expect((await op.s.get(`/api/admin/learners?q=${p.idNumber}`)).json().items[0]).toMatchObject({
      orderCount: 1,
      enrollmentCount: 1,
    });
    const before = (await op.s.get(`/api/admin/learners/${accountId}`)).json();
    expect(before.orders).toMatchObject([{ id: order.id, status: 'paid', role: 'buyer', amountFen: 12_000 }]);
    expect(before.enrollments).toMatchObject([{ planId, creditedHours: 0, requiredHours: 30, completed: false }]);
    const enrollmentId = before.enrollments[0].id as string;
    // Some study already credited (the learning module's rows): they go with the enrolment.
    await env.ctx.db.insert(enrollmentProgress).values({ enrollmentId, accountId, creditedHours: 6 }).execute();
    await env.ctx.db
      .insert(chapterProgress)
      .values({ enrollmentId, accountId, chapterId: crypto.randomUUID(), creditedSeconds: 900 })
      .execute();
    expect((await op.s.get(`/api/admin/learners/${accountId}`)).json().enrollments[0].creditedHours).toBe(6);
    const issued = (await op.s.get(`/api/admin/orders/${order.id}`)).json().invoices;
    expect(issued).toMatchObject([{ kind: 'blue', status: 'issued' }]);

    const res = await op.s.post(`/api/admin/orders/${order.id}/refund`, { reason: '  学员申请退款  ' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      orderId: order.id,
      status: 'refunded',
      amountFen: 12_000,
      refundStatus: 'pending',
      enrollmentsRemoved: 1,
      invoiceReversed: true,
    });

    let detail = (await op.s.get(`/api/admin/orders/${order.id}`)).json();
    expect(detail.order.status).toBe('refunded');
    expect(detail.enrolled).toBe(0);
    expect(detail.refunds).toMatchObject([{ amountFen: 12_000, reason: '学员申请退款', status: 'pending' }]);
    await drainJobs(env);
    detail = (await op.s.get(`/api/admin/orders/${order.id}`)).json();
    expect(detail.refunds).toMatchObject([{ status: 'success' }]);
    expect(detail.payments[0].status).toBe('refunded');
    const outTradeNo = detail.payments[0].outTradeNo as string;
    expect((await env.ctx.purchase.gateway.query(outTradeNo)).status).toBe('refunded');
    expect(
      detail.invoices
        .map((i: { kind: string; status: string; amountFen: number }) => [i.kind, i.status, i.amountFen])
        .sort(),
    ).toEqual([
      ['blue', 'reversed', 12_000],
      ['red', 'issued', -12_000],
    ]);

    const progress = await env.ctx.db
      .select()
      .from(enrollmentProgress)
      .where(eq(enrollmentProgress.enrollmentId, enrollmentId));
    const chapters = await env.ctx.db
      .select()
      .from(chapterProgress)
      .where(eq(chapterProgress.enrollmentId, enrollmentId));
    expect([progress.length, chapters.length]).toEqual([0, 0]);
    expect((await op.s.get(`/api/admin/learners?q=${p.phone}`)).json().items[0]).toMatchObject({
      orderCount: 1,
      enrollmentCount: 0,
    });
    const after = (await op.s.get(`/api/admin/learners/${accountId}`)).json();
    expect(after.enrollments).toEqual([]);
    expect(after.orders).toMatchObject([{ id: order.id, status: 'refunded' }]);
    expect(
      (await op.s.get(`/api/admin/orders?status=refunded`)).json().items.map((o: { id: string }) => o.id),
    ).toContain(order.id);

    const audit = await auditRows('order.refund', order.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: op.id, summary: { reason: '学员申请退款', amountFen: 12_000 } });

    // The learner's view: refunded, the invoice cannot be modified; the plan can be bought again.
    const mine = (await c.get('/api/orders')).json().items.find((o: { id: string }) => o.id === order.id);
    expect(mine).toMatchObject({ status: 'refunded', actions: { pay: false, cancel: false, requestInvoice: false } });
    const again = await c.post('/api/orders', { planId, invoice: LATER });
    expect(again.statusCode, again.body).toBe(200);

    const twice = await op.s.post(`/api/admin/orders/${order.id}/refund`, { reason: '重复退款' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'ORDER_REFUND_STATE', message: '该订单已退款，不能重复退款' });
  });

  it('refuses unpaid orders, bad reasons, unknown orders, 补学 orders and orders with a certificate', async () => {
    const op = (await staff(['training-operator'])).s;
    const { c, p } = await learner(env);
    const pending = (await c.post('/api/orders', { planId, invoice: LATER })).json();
    const unpaid = await op.post(`/api/admin/orders/${pending.id}/refund`, { reason: '学员申请退款' });
    expect(unpaid.statusCode).toBe(409);
    expect(unpaid.json().message).toBe('只有已支付的订单可以退款');

    for (const [body, message] of [
      [{}, '请填写退款原因'],
      [{ reason: ' 退 ' }, '退款原因至少2个字'],
      [{ reason: '退'.repeat(201) }, '退款原因最多200个字'],
      [{ reason: 12 }, '请填写退款原因'],
    ] as const) {
      const res = await op.post(`/api/admin/orders/${pending.id}/refund`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().fields.reason).toBe(message);
    }
    expect(
      (await op.post(`/api/admin/orders/${crypto.randomUUID()}/refund`, { reason: '学员申请退款' })).statusCode,
    ).toBe(404);
    expect((await op.post('/api/admin/orders/x/refund', { reason: '学员申请退款' })).statusCode).toBe(400);

    // A certificate issued for the enrolment: the order stays as it is.
    await c.post(`/api/orders/${pending.id}/cancel`);
    const paid = await paidOrder(c);
    const { id: accountId } = await accountOf(p.username);
    const [enr] = (await op.get(`/api/admin/learners/${accountId}`)).json().enrollments;
    await env.ctx.db
      .insert(certificates)
      .values({
        certNo: `T${crypto.randomBytes(6).toString('hex')}`,
        enrollmentId: enr.id,
        accountId,
        planId,
        holderName: p.realName,
        idNumberMasked: '5****************1',
        planName: enr.planName,
        year: enr.year,
        hours: 30,
        issuedAt: env.clock.now(),
      })
      .execute();
    const withCert = await op.post(`/api/admin/orders/${paid.id}/refund`, { reason: '学员申请退款' });
    expect(withCert.statusCode).toBe(409);
    expect(withCert.json().message).toBe('已有学员获得合格证书，该订单不能退款');
    expect((await op.get(`/api/admin/orders/${paid.id}`)).json().order.status).toBe('paid');
    expect((await op.get(`/api/admin/learners/${accountId}`)).json().certificates).toMatchObject([
      { status: 'valid', hours: 30 },
    ]);

    // 补学开通: approved for free, never paid, nothing to refund.
    const m = await learner(env);
    const up = await m.c.request(
      'POST',
      '/api/makeup/files',
      undefined,
      multipartFile({}, { data: await png(320, 200), filename: '缴费截图.png', type: 'image/png' }),
    );
    const made = await m.c.post('/api/makeup/requests', {
      year: 2019,
      evidenceKind: 'receipt',
      rows: [
        {
          year: 2019,
          orderNo: 'CQ2019000123',
          payer: m.p.realName,
          paidAt: '2019-05-20',
          platform: '重庆市专业技术人员继续教育网',
          fileId: up.json().id,
        },
      ],
    });
    expect(made.statusCode, made.body).toBe(200);
    expect((await op.post(`/api/admin/makeup/requests/${made.json().id}/approve`, {})).statusCode).toBe(200);
    const makeup = (await op.get('/api/admin/orders?kind=makeup'))
      .json()
      .items.find((o: { buyerName: string }) => o.buyerName === m.p.realName);
    expect(makeup).toMatchObject({ status: 'paid', amountFen: 0 });
    const refused = await op.post(`/api/admin/orders/${makeup.id}/refund`, { reason: '学员申请退款' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toBe('补学开通等未实际支付的订单不能退款');
  });

  it('an invoice still being issued blocks the refund until it is issued', async () => {
    const { c, p } = await learner(env);
    const order = await paidOrder(c);
    // 申请开票 (以后申请) queues the invoice; its job has not run yet.
    const asked = await c.post(`/api/orders/${order.id}/invoice`, { titleType: 'personal', title: p.realName });
    expect(asked.statusCode, asked.body).toBe(200);
    const op = (await staff(['training-operator'])).s;
    expect((await op.get(`/api/admin/orders/${order.id}`)).json().invoices).toMatchObject([
      { kind: 'blue', status: 'pending' },
    ]);
    const blocked = await op.post(`/api/admin/orders/${order.id}/refund`, { reason: '学员申请退款' });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().message).toBe('该订单的发票正在开具或冲红，请稍后再退款');
    expect((await op.get(`/api/admin/orders/${order.id}`)).json().order.status).toBe('paid');
    await drainJobs(env);
    const ok = await op.post(`/api/admin/orders/${order.id}/refund`, { reason: '学员申请退款' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().invoiceReversed).toBe(true);
  });
});
