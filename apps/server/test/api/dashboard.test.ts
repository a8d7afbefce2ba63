import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { unitAdmin } from '../applications-factories.js';
import { sliderToken } from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { LATER, learner, onSalePlan, registered, signIn, staffWith, startPayment } from '../purchase-factories.js';
import { nodeByName } from '../units-factories.js';

const LONG_SESSIONS = { SESSION_IDLE_MINUTES: '600', SESSION_ABSOLUTE_HOURS: '48' };

let env: TestEnv;
let planP: { id: string };
let planQ: { id: string };
const ids: Record<string, string> = {};

const exec = (q: ReturnType<typeof sql>) => env.ctx.db.execute(q);
const accountId = async (username: string) =>
  (
    (await exec(sql`select id::text as id from accounts where lower(username) = lower(${username})`)).rows[0] as {
      id: string;
    }
  ).id;

/** A reviewer (or other role) of a given bureau, signed in on the staff listener. */
async function staffAt(roles: Array<'reviewer' | 'recovery-handler'>, nodeName: string | null) {
  const username = `db${crypto.randomBytes(4).toString('hex')}`;
  await env.ctx.staff.ensure({
    username,
    password: 'Review@2026',
    displayName: '看板测试',
    roles,
    orgNodeId: nodeName ? await nodeByName(env, nodeName) : null,
  });
  const s = new Client(env.staffApp, 'cpe_staff_csrf');
  const res = await s.post('/api/sessions', {
    username,
    password: 'Review@2026',
    sliderToken: await sliderToken(s, new Client(env.publicApp)),
  });
  expect(res.statusCode, res.body).toBe(200);
  return s;
}

async function pay(c: Client, orderId: string) {
  const t = await startPayment(c, orderId);
  expect(await env.ctx.purchase.gateway.pay(t.tradeId)).toBe('paid');
  await env.ctx.jobs.runDue();
}

/** A unit administrator buys the plan for the given people (团体购买), paid through the gateway. */
async function groupOrder(admin: Client, planId: string, idNumbers: string[]) {
  const check = await admin.post('/api/group-checks', { planId, idNumbers: idNumbers.join('\n') });
  expect(check.statusCode, check.body).toBe(200);
  const order = await admin.post('/api/group-orders', { checkId: check.json().checkId, invoice: LATER });
  expect(order.statusCode, order.body).toBe(200);
  await pay(admin, order.json().id);
  return order.json().id as string;
}

/**
 * The facts, placed in June 2025 (China time) so nothing the test did "now" falls in the range:
 *   registrations 06-01: A1, A2, m1 (15:59:59Z = 23:59:59 China) · 06-02: m2 (16:00Z = 00:00 China), m3 · 06-03: i1, i2
 *   paid orders   06-01: U1 group (m1, m2) 240.00 · 06-02: i1 individual 120.00 · 06-03: U2 group (m3) 50.00
 *   enrolments    06-02: m1, m2, i1 (plan P), m3 (plan Q)
 *   completions   06-04 China: m1 (2025-06-03T16:30Z), i1
 */
beforeAll(async () => {
  env = await createTestEnv(LONG_SESSIONS);
  planP = await onSalePlan(env, { priceFen: 12_000 });
  planQ = await onSalePlan(env, { priceFen: 5_000 });
  const u1 = await unitAdmin(env, '500103');
  const u2 = await unitAdmin(env, '500104');
  await exec(sql`update units set unit_type = '事业单位' where name = ${u2.unitName}`);
  const [m1, m2, m3, i2] = await registered(env, 4);
  if (!m1 || !m2 || !m3 || !i2) throw new Error('people');
  const i1 = await learner(env);

  ids.u1Order = await groupOrder(u1.c, planP.id, [m1.idNumber, m2.idNumber]);
  ids.u2Order = await groupOrder(u2.c, planQ.id, [m3.idNumber]);
  const own = await i1.c.post('/api/orders', { planId: planP.id, invoice: LATER });
  expect(own.statusCode, own.body).toBe(200);
  ids.i1Order = own.json().id as string;
  await pay(i1.c, own.json().id);

  for (const [k, p] of Object.entries({ m1, m2, m3, i1: i1.p, i2 })) ids[k] = await accountId(p.username);
  const admins = (
    await exec(sql`select admin_account_id::text as id from units where name in (${u1.unitName}, ${u2.unitName})`)
  ).rows as Array<{ id: string }>;

  await exec(sql`update accounts set created_at = '2025-05-01T00:00:00Z'`);
  const setCreated = (id: string, at: string) =>
    exec(sql`update accounts set created_at = ${at}::timestamptz where id = ${id}`);
  for (const a of admins) await setCreated(a.id, '2025-06-01T02:00:00Z');
  await setCreated(ids.m1 as string, '2025-06-01T15:59:59Z');
  await setCreated(ids.m2 as string, '2025-06-01T16:00:00Z');
  await setCreated(ids.m3 as string, '2025-06-02T08:00:00Z');
  await setCreated(ids.i1 as string, '2025-06-03T01:00:00Z');
  await setCreated(ids.i2 as string, '2025-06-03T09:00:00Z');

  const setPaid = (id: string, at: string) =>
    exec(sql`update orders set paid_at = ${at}::timestamptz where id = ${id}`);
  await setPaid(ids.u1Order as string, '2025-06-01T15:59:59Z');
  await setPaid(ids.i1Order as string, '2025-06-01T16:00:00Z');
  await setPaid(ids.u2Order as string, '2025-06-03T10:00:00Z');
  await exec(sql`update enrollments set enrolled_at = '2025-06-02T02:00:00Z'`);

  const complete = async (account: string, at: string) => {
    const e = (await exec(sql`select id::text as id from enrollments where account_id = ${account}`)).rows[0] as {
      id: string;
    };
    await exec(sql`insert into enrollment_progress (enrollment_id, account_id, credited_hours, completed_at)
                   values (${e.id}, ${account}, 30, ${at}::timestamptz)
                   on conflict (enrollment_id) do update set completed_at = excluded.completed_at`);
  };
  await complete(ids.m1 as string, '2025-06-03T16:30:00Z');
  await complete(ids.i1 as string, '2025-06-04T03:00:00Z');
}, 120_000);

const RANGE = 'from=2025-06-01&to=2025-06-04';

describe('数据看板 figures', () => {
  it('counts and sums what happened, bucketed by China day across UTC midnight', async () => {
    const op = await staffWith(env, ['training-operator']);
    const res = await op.get(`/api/admin/dashboard?${RANGE}`);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.scope).toBeNull();
    expect(d.kpis).toEqual({
      registrations: 7,
      paidOrders: 3,
      salesFen: 41_000,
      enrollments: 4,
      completions: 2,
      completionRate: 0.5,
    });
    expect(d.days).toEqual([
      { day: '2025-06-01', registrations: 3, paidOrders: 1, salesFen: 24_000, enrollments: 0, completions: 0 },
      { day: '2025-06-02', registrations: 2, paidOrders: 1, salesFen: 12_000, enrollments: 4, completions: 0 },
      { day: '2025-06-03', registrations: 2, paidOrders: 1, salesFen: 5_000, enrollments: 0, completions: 0 },
      { day: '2025-06-04', registrations: 0, paidOrders: 0, salesFen: 0, enrollments: 0, completions: 2 },
    ]);
    expect(d.byPlan.map((g: { key: string }) => g.key)).toEqual([planP.id, planQ.id]);
    expect(d.byPlan[0]).toMatchObject({ enrollments: 3, completions: 2, completionRate: 0.6667 });
    expect(d.byPlan[1]).toMatchObject({ enrollments: 1, completions: 0, completionRate: 0 });
    expect(d.byDistrict).toEqual([
      { key: '500103', label: '渝中区人力资源和社会保障局', enrollments: 2, completions: 1, completionRate: 0.5 },
      { key: '500104', label: expect.stringContaining('大渡口区'), enrollments: 1, completions: 0, completionRate: 0 },
      { key: null, label: '未关联单位', enrollments: 1, completions: 1, completionRate: 1 },
    ]);
    expect(d.byUnitType).toEqual([
      { key: '企业', label: '企业', enrollments: 2, completions: 1, completionRate: 0.5 },
      { key: '事业单位', label: '事业单位', enrollments: 1, completions: 0, completionRate: 0 },
      { key: null, label: '未关联单位', enrollments: 1, completions: 1, completionRate: 1 },
    ]);
    expect(d.plans.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining([planP.id, planQ.id]));
  });

  it('narrows to one plan, and a range ending before the completions keeps the cohort rate', async () => {
    const op = await staffWith(env, ['sysadmin']);
    const p = (await op.get(`/api/admin/dashboard?${RANGE}&planId=${planP.id}`)).json();
    expect(p.kpis).toMatchObject({ registrations: 7, paidOrders: 2, salesFen: 36_000, enrollments: 3, completions: 2 });
    const early = (await op.get('/api/admin/dashboard?from=2025-06-01&to=2025-06-01')).json();
    expect(early.days).toHaveLength(1);
    // 23:59:59 China time is still 06-01; one second later is 06-02.
    expect(early.kpis).toMatchObject({ registrations: 3, paidOrders: 1, salesFen: 24_000, enrollments: 0 });
    const noCompletionsYet = (await op.get('/api/admin/dashboard?from=2025-06-02&to=2025-06-03')).json();
    expect(noCompletionsYet.kpis).toMatchObject({ enrollments: 4, completions: 0, completionRate: 0.5 });
    const empty = (await op.get('/api/admin/dashboard?from=2024-01-01&to=2024-12-31')).json();
    expect(empty.days).toHaveLength(366);
    expect(empty.kpis).toEqual({
      registrations: 0,
      paidOrders: 0,
      salesFen: 0,
      enrollments: 0,
      completions: 0,
      completionRate: null,
    });
    expect(empty.byDistrict).toEqual([]);
  });

  it('a 区县人社局 reviewer sees only people of units located in the district; 市人社局 sees all', async () => {
    const yz = await staffAt(['reviewer'], '渝中区人力资源和社会保障局');
    const d = (await yz.get(`/api/admin/dashboard?${RANGE}`)).json();
    expect(d.scope).toEqual({ areaCode: '500103', name: '渝中区人力资源和社会保障局' });
    expect(d.kpis).toEqual({
      registrations: 3,
      paidOrders: 1,
      salesFen: 24_000,
      enrollments: 2,
      completions: 1,
      completionRate: 0.5,
    });
    expect(d.byDistrict.map((g: { key: string }) => g.key)).toEqual(['500103']);
    const city = await staffAt(['reviewer'], '重庆市人力资源和社会保障局');
    expect((await city.get(`/api/admin/dashboard?${RANGE}`)).json().kpis.salesFen).toBe(41_000);
  });
});

describe('数据看板 permissions and input', () => {
  it('401 signed out, 403 for roles without statistics, not served on the public listener', async () => {
    expect((await new Client(env.staffApp, 'cpe_staff_csrf').get(`/api/admin/dashboard?${RANGE}`)).statusCode).toBe(
      401,
    );
    const handler = await staffAt(['recovery-handler'], '重庆市人力资源和社会保障局');
    const refused = await handler.get(`/api/admin/dashboard?${RANGE}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('DASHBOARD_FORBIDDEN');
    const noBureau = await staffAt(['reviewer'], null);
    expect((await noBureau.get(`/api/admin/dashboard?${RANGE}`)).json().code).toBe('DASHBOARD_FORBIDDEN');
    expect((await noBureau.get(`/api/admin/dashboard/export?${RANGE}`)).statusCode).toBe(403);
    const person = await signIn(env, (await registered(env, 1))[0] as never);
    expect((await person.c.get(`/api/admin/dashboard?${RANGE}`)).statusCode).toBe(404);
  });

  it('refuses bad ranges with the field named in Chinese', async () => {
    const op = await staffWith(env, ['training-operator']);
    const cases: Array<[string, string, string]> = [
      ['from=2025-06-05&to=2025-06-01', 'to', '结束日期不能早于开始日期'],
      ['from=2024-01-01&to=2025-01-01', 'to', '统计区间不能超过366天'],
      ['from=2025-13-01&to=2025-06-01', 'from', '开始日期格式应为YYYY-MM-DD'],
      ['from=2025-06-01', 'to', '结束日期格式应为YYYY-MM-DD'],
      [`${RANGE}&planId=abc`, 'planId', '学习计划无效'],
    ];
    for (const [query, field, message] of cases) {
      const res = await op.get(`/api/admin/dashboard?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
      expect(res.json().fields[field], query).toBe(message);
    }
  });

  it('exports the same figures as Excel and audits the export', async () => {
    const op = await staffWith(env, ['training-operator']);
    const res = await op.get(`/api/admin/dashboard/export?${RANGE}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain(
      '数据看板_2025-06-01_2025-06-04.xlsx',
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['概览', '每日数据', '按学习计划', '按区县', '按单位类型']);
    const overview = wb.getWorksheet('概览');
    expect(overview?.getCell('B6').value).toBe(3);
    expect(overview?.getCell('B7').value).toBe(410);
    expect(overview?.getCell('B10').value).toBe(0.5);
    const daily = wb.getWorksheet('每日数据');
    expect((daily?.getRow(2).values as unknown[] | undefined)?.slice(1)).toEqual([
      new Date('2025-06-01T00:00:00Z'),
      3,
      1,
      240,
      0,
      0,
    ]);
    expect(daily?.getCell('A2').numFmt).toBe('yyyy-mm-dd');
    expect(daily?.getCell('D2').numFmt).toBe('0.00');
    expect(overview?.getCell('B7').numFmt).toBe('0.00');
    expect(overview?.getCell('B10').numFmt).toBe('0.00%');
    // 生成时间: a date cell, China's wall clock.
    expect(overview?.getCell('A11').value).toBe('生成时间');
    expect(overview?.getCell('B11').value).toBeInstanceOf(Date);
    expect(overview?.getCell('B11').numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    const generated = (overview?.getCell('B11').value as Date | undefined)?.getTime() ?? 0;
    expect(Math.abs(generated - 8 * 3_600_000 - Date.now())).toBeLessThan(60_000);
    const audited = await exec(sql`select count(*)::int as n from audit_logs where action = 'dashboard.export'`);
    expect(Number((audited.rows[0] as { n: number }).n)).toBe(1);
  });
});
