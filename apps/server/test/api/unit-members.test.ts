import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLogs, creditEntries, messages, unitMembers } from '../../src/db/schema/index.js';
import { unitAdmin } from '../applications-factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { drainJobs, LATER, learner, onSalePlan, registered, signIn, startPayment } from '../purchase-factories.js';

/**
 * 工作单位 (issue 19 §1): a person asks to join an approved unit, its administrator confirms or declines in 单位中心 →
 * 单位人员 and may 移出; the person may withdraw or leave. Every transition allowed and refused, scope (another
 * unit's administrator gets 404/403), one current unit and one pending request, audit and messages.
 */
let env: TestEnv;
let unitA: Awaited<ReturnType<typeof unitAdmin>>;
let unitB: Awaited<ReturnType<typeof unitAdmin>>;
let unitAId: string;
let unitBId: string;
beforeAll(async () => {
  env = await createTestEnv();
  unitA = await unitAdmin(env);
  unitB = await unitAdmin(env, '500104');
  const find = async (keyword: string) => {
    const p = await learner(env);
    const res = await p.c.get(`/api/work-units?keyword=${encodeURIComponent(keyword)}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Array<{ id: string; name: string; uscc: string; locatedAreaLabel: string }>;
  };
  unitAId = (await find(unitA.unitName)).find((u) => u.name === unitA.unitName)?.id as string;
  unitBId = (await find(unitB.uscc.slice(0, 12))).find((u) => u.uscc === unitB.uscc)?.id as string;
  expect(unitAId).toBeTruthy();
  expect(unitBId).toBeTruthy();
});

const pendingOf = async (admin: Client) => (await admin.get('/api/unit-center/members?status=pending')).json();

describe('工作单位', () => {
  it('search needs 2 characters and a session; finds by name or code, never an unapproved unit', async () => {
    const p = await learner(env);
    expect((await p.c.get('/api/work-units?keyword=a')).statusCode).toBe(400);
    expect((await p.c.get('/api/work-units?keyword=%00%00')).statusCode).toBe(400);
    expect((await new Client(env.publicApp).get(`/api/work-units?keyword=${unitA.unitName}`)).statusCode).toBe(401);
    const byCode = (await p.c.get(`/api/work-units?keyword=${unitA.uscc.toLowerCase()}`)).json().items;
    expect(byCode.map((u: { id: string }) => u.id)).toEqual([unitAId]);
    expect((await p.c.get('/api/work-units?keyword=%25%25')).json().items).toEqual([]);
  });

  it('request → confirm → the person’s current unit; a second pending request and a duplicate are refused', async () => {
    const p = await learner(env);
    const empty = (await p.c.get('/api/me/work-unit')).json();
    expect(empty).toEqual({ current: null, pending: null, history: [] });
    const asked = await p.c.post('/api/me/work-unit/requests', { unitId: unitAId });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json().pending).toMatchObject({
      unitName: unitA.unitName,
      status: 'pending',
      statusLabel: '待单位确认',
    });
    const again = await p.c.post('/api/me/work-unit/requests', { unitId: unitBId });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('MEMBER_PENDING_EXISTS');
    expect((await p.c.post('/api/me/work-unit/requests', { unitId: 'x' })).statusCode).toBe(400);

    // The other unit's administrator neither sees nor decides it.
    const pending = await pendingOf(unitA.c);
    const row = pending.items.find((m: { realName: string }) => m.realName === p.p.realName);
    expect(row).toMatchObject({ status: 'pending', sourceLabel: '本人申请' });
    expect(row.idNumberMasked).not.toBe(p.p.idNumber);
    expect(pending.pendingCount).toBeGreaterThanOrEqual(1);
    // 单位中心's menu shows the same number.
    expect((await unitA.c.get('/api/unit-center/pending')).json().members).toBe(pending.pendingCount);
    expect((await p.c.get('/api/unit-center/pending')).json()).toEqual({ members: 0, creditClaims: 0 });
    expect((await pendingOf(unitB.c)).items.some((m: { id: string }) => m.id === row.id)).toBe(false);
    const foreign = await unitB.c.post(`/api/unit-center/members/${row.id}/confirm`, {});
    expect(foreign.statusCode).toBe(404);
    // A person who administers no unit.
    expect((await p.c.get('/api/unit-center/members')).statusCode).toBe(403);
    expect((await p.c.post(`/api/unit-center/members/${row.id}/confirm`, {})).statusCode).toBe(403);

    const ok = await unitA.c.post(`/api/unit-center/members/${row.id}/confirm`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await unitA.c.post(`/api/unit-center/members/${row.id}/confirm`, {})).json().code).toBe('MEMBER_STATE');
    const mine = (await p.c.get('/api/me/work-unit')).json();
    expect(mine.current).toMatchObject({ unitId: unitAId, status: 'confirmed' });
    expect(mine.current.joinedAt).toBeTruthy();
    expect(mine.pending).toBeNull();
    const dup = await p.c.post('/api/me/work-unit/requests', { unitId: unitAId });
    expect(dup.json().code).toBe('MEMBER_ALREADY');
    const confirmed = (await unitA.c.get('/api/unit-center/members?status=confirmed')).json();
    expect(confirmed.items.map((m: { id: string }) => m.id)).toContain(row.id);

    const [audit] = await env.ctx.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.action, 'unit-member.confirm'), eq(auditLogs.targetId, row.id)));
    expect(audit).toBeTruthy();
    const [msg] = await env.ctx.db
      .select()
      .from(messages)
      .where(eq(messages.accountId, audit?.summary ? (audit.summary as { accountId: string }).accountId : ''));
    expect(msg).toBeTruthy();
  });

  it('moving: confirming a request to another unit ends the link to the first at that moment', async () => {
    const p = await learner(env);
    await p.c.post('/api/me/work-unit/requests', { unitId: unitAId });
    const a = (await pendingOf(unitA.c)).items.find((m: { realName: string }) => m.realName === p.p.realName);
    expect((await unitA.c.post(`/api/unit-center/members/${a.id}/confirm`, {})).statusCode).toBe(200);
    await p.c.post('/api/me/work-unit/requests', { unitId: unitBId });
    const b = (await pendingOf(unitB.c)).items.find((m: { realName: string }) => m.realName === p.p.realName);
    expect((await unitB.c.post(`/api/unit-center/members/${b.id}/confirm`, {})).statusCode).toBe(200);
    const mine = (await p.c.get('/api/me/work-unit')).json();
    expect(mine.current).toMatchObject({ unitId: unitBId });
    expect(mine.history).toEqual([expect.objectContaining({ unitId: unitAId, status: 'left', statusLabel: '已离开' })]);
    const rows = await env.ctx.db.select().from(unitMembers).where(eq(unitMembers.id, a.id));
    expect(rows[0]?.leftAt).toBeTruthy();
  });

  it('decline and remove need a reason the person then reads; cancel and leave are the person’s', async () => {
    const p = await learner(env);
    await p.c.post('/api/me/work-unit/requests', { unitId: unitAId });
    // 撤回 while pending; then nothing to withdraw.
    expect((await p.c.post('/api/me/work-unit/cancel', {})).json().history[0]).toMatchObject({ status: 'cancelled' });
    expect((await p.c.post('/api/me/work-unit/cancel', {})).json().code).toBe('MEMBER_STATE');

    await p.c.post('/api/me/work-unit/requests', { unitId: unitAId });
    const row = (await pendingOf(unitA.c)).items.find((m: { realName: string }) => m.realName === p.p.realName);
    const noReason = await unitA.c.post(`/api/unit-center/members/${row.id}/decline`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields.reason).toBeTruthy();
    expect((await unitA.c.post(`/api/unit-center/members/${row.id}/decline`, { reason: '错' })).statusCode).toBe(400);
    const declined = await unitA.c.post(`/api/unit-center/members/${row.id}/decline`, { reason: '非本单位职工' });
    expect(declined.statusCode, declined.body).toBe(200);
    expect((await p.c.get('/api/me/work-unit')).json().history[0]).toMatchObject({
      status: 'declined',
      reason: '非本单位职工',
    });
    // A declined request cannot be removed or confirmed.
    expect((await unitA.c.post(`/api/unit-center/members/${row.id}/confirm`, {})).json().code).toBe('MEMBER_STATE');

    await p.c.post('/api/me/work-unit/requests', { unitId: unitAId });
    const again = (await pendingOf(unitA.c)).items.find((m: { realName: string }) => m.realName === p.p.realName);
    await unitA.c.post(`/api/unit-center/members/${again.id}/confirm`, {});
    // Removing a pending-only action is refused; removing a member works with a reason.
    const removed = await unitA.c.post(`/api/unit-center/members/${again.id}/remove`, { reason: '已调离本单位' });
    expect(removed.statusCode, removed.body).toBe(200);
    const mine = (await p.c.get('/api/me/work-unit')).json();
    expect(mine.current).toBeNull();
    expect(mine.history[0]).toMatchObject({ status: 'left', reason: '已调离本单位' });
    const left = (await unitA.c.get('/api/unit-center/members?status=left')).json();
    expect(left.items.map((m: { id: string }) => m.id)).toContain(again.id);

    // Leaving by oneself.
    await p.c.post('/api/me/work-unit/requests', { unitId: unitBId });
    const b = (await pendingOf(unitB.c)).items.find((m: { realName: string }) => m.realName === p.p.realName);
    await unitB.c.post(`/api/unit-center/members/${b.id}/confirm`, {});
    const out = await p.c.post('/api/me/work-unit/leave', {});
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json().current).toBeNull();
    expect((await p.c.post('/api/me/work-unit/leave', {})).json().code).toBe('MEMBER_STATE');
  });

  it('two requests at the same moment: one is kept', async () => {
    const p = await learner(env);
    const both = await Promise.all([
      p.c.post('/api/me/work-unit/requests', { unitId: unitAId }),
      p.c.post('/api/me/work-unit/requests', { unitId: unitBId }),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await p.c.get('/api/me/work-unit')).json().pending).toBeTruthy();
  });
});

describe('单位中心 → 学时统计', () => {
  it('lists the year’s members with totals (0 without entries), filters, exports; only for the unit’s admin', async () => {
    const year = 2025;
    const people = [await learner(env), await learner(env), await learner(env)];
    for (const p of people) {
      await p.c.post('/api/me/work-unit/requests', { unitId: unitBId });
      const row = (await pendingOf(unitB.c)).items.find((m: { realName: string }) => m.realName === p.p.realName);
      expect((await unitB.c.post(`/api/unit-center/members/${row.id}/confirm`, {})).statusCode).toBe(200);
    }
    // Members since before the year: joined on 2024-12-01.
    await env.ctx.db.execute(
      sql`update unit_members set joined_at = '2024-12-01T00:00:00Z' where unit_id = ${unitBId} and status = 'confirmed'`,
    );
    const hashOf = async (username: string) =>
      (
        (await env.ctx.db.execute(sql`select id_number_hash as h from accounts where username = ${username}`))
          .rows[0] as { h: string }
      ).h;
    const add = async (username: string, category: 'public' | 'professional', hours: number, status = 'confirmed') =>
      env.ctx.db.insert(creditEntries).values({
        idHash: await hashOf(username),
        year,
        category,
        form: '面授培训',
        title: '测试',
        hours,
        source: 'import',
        sourceId: crypto.randomUUID(),
        status,
      });
    const [met, short, none] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
    await add(met.p.username, 'public', 30);
    await add(met.p.username, 'professional', 60);
    await add(short.p.username, 'public', 30);
    await add(short.p.username, 'professional', 70);
    await add(short.p.username, 'professional', 500, 'revoked');
    await add(none.p.username, 'public', 10);
    await env.ctx.db.execute(sql`update credit_entries set year = 2024 where hours = 10`);

    const stats = await unitB.c.get(`/api/unit-center/credit-stats?year=${year}`);
    expect(stats.statusCode, stats.body).toBe(200);
    const byName = (items: Array<{ realName: string }>, p: (typeof people)[0]) =>
      items.find((i) => i.realName === p.p.realName);
    const all = stats.json();
    expect(byName(all.items, met)).toMatchObject({ hours: 90, publicHours: 30, professionalHours: 60, met: true });
    expect(byName(all.items, short)).toMatchObject({ hours: 100, publicHours: 30, professionalHours: 70, met: true });
    expect(byName(all.items, none)).toMatchObject({ hours: 0, publicHours: 0, professionalHours: 0, met: false });
    expect(all.summary.members).toBe(all.total);

    await env.ctx.db.execute(sql`update credit_entries set hours = 50 where hours = 70`);
    const unmet = (await unitB.c.get(`/api/unit-center/credit-stats?year=${year}&filter=unmet`)).json();
    expect(unmet.items.map((i: { realName: string }) => i.realName)).toEqual(
      expect.arrayContaining([short.p.realName, none.p.realName]),
    );
    expect(byName(unmet.items, met)).toBeUndefined();
    const profShort = (
      await unitB.c.get(`/api/unit-center/credit-stats?year=${year}&filter=professional-short`)
    ).json();
    expect(byName(profShort.items, short)).toMatchObject({ professionalHours: 50, met: false });
    const named = (
      await unitB.c.get(`/api/unit-center/credit-stats?year=${year}&keyword=${encodeURIComponent(met.p.realName)}`)
    ).json();
    expect(named.items.map((i: { realName: string }) => i.realName)).toEqual([met.p.realName]);
    // The summary is over every member whatever the filter or the page — also when the page itself is empty.
    expect(named.summary).toEqual(unmet.summary);
    expect(named.total).toBe(1);
    for (const empty of [`keyword=${encodeURIComponent('没有这个人')}`, `page=${unmet.total + 1}&filter=unmet`]) {
      const none = (await unitB.c.get(`/api/unit-center/credit-stats?year=${year}&${empty}`)).json();
      expect(none.items, empty).toEqual([]);
      expect(none.summary, empty).toEqual(unmet.summary);
    }
    expect(unmet.summary.members - unmet.summary.met).toBe(unmet.total);
    // Members who joined after the year are not in it.
    const before = (await unitB.c.get('/api/unit-center/credit-stats?year=2023')).json();
    expect(before.total).toBe(0);

    const file = await unitB.c.get(`/api/unit-center/credit-stats/export?year=${year}&filter=unmet`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toMatch(/spreadsheetml/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const ws = book.worksheets[0] as ExcelJS.Worksheet;
    expect(ws.getRow(1).values).toEqual([undefined, '姓名', '证件号码', '总学时', '公需科目', '专业科目', '是否达标']);
    expect(ws.rowCount - 1).toBe(unmet.total);

    for (const bad of ['year=abc', 'year=1999', `year=${year}&filter=x`, `year=${year}&pageSize=1000`])
      expect((await unitB.c.get(`/api/unit-center/credit-stats?${bad}`)).statusCode, bad).toBe(400);
    expect((await met.c.get(`/api/unit-center/credit-stats?year=${year}`)).statusCode).toBe(403);
    expect((await new Client(env.publicApp).get(`/api/unit-center/credit-stats?year=${year}`)).statusCode).toBe(401);
    // Another unit sees none of them.
    const other = (await unitA.c.get(`/api/unit-center/credit-stats?year=${year}`)).json();
    expect(byName(other.items, met)).toBeUndefined();
  });
});

describe('proposed by a 团体购买', () => {
  it('a unit administrator’s paid group order proposes its members, pending; a person’s own unit is kept', async () => {
    const plan = await onSalePlan(env, { priceFen: 5_000 });
    const [free, settled] = await registered(env, 2);
    // One of them already belongs to unit B: the purchase must not move them.
    const s = await signIn(env, settled as NonNullable<typeof settled>);
    expect((await s.c.post('/api/me/work-unit/requests', { unitId: unitBId })).statusCode).toBe(200);
    const pendingB = (await pendingOf(unitB.c)).items.find(
      (m: { realName: string }) => m.realName === settled?.realName,
    );
    expect((await unitB.c.post(`/api/unit-center/members/${pendingB.id}/confirm`, {})).statusCode).toBe(200);

    const check = await unitA.c.post('/api/group-checks', {
      planId: plan.id,
      idNumbers: [free?.idNumber, settled?.idNumber].join('\n'),
    });
    expect(check.statusCode, check.body).toBe(200);
    const order = await unitA.c.post('/api/group-orders', { checkId: check.json().checkId, invoice: LATER });
    expect(order.statusCode, order.body).toBe(200);
    // Nothing is proposed before the order is paid.
    const named = async () =>
      (await pendingOf(unitA.c)).items.filter((m: { realName: string }) =>
        [free?.realName, settled?.realName].includes(m.realName),
      );
    expect(await named()).toEqual([]);
    const t = await startPayment(unitA.c, order.json().id);
    expect(await env.ctx.purchase.gateway.pay(t.tradeId)).toBe('paid');
    await drainJobs(env);
    const proposed = await named();
    expect(proposed).toEqual([expect.objectContaining({ realName: free?.realName, sourceLabel: '团体购买' })]);
    expect(
      (await signIn(env, settled as NonNullable<typeof settled>).then((x) => x.c.get('/api/me/work-unit'))).json()
        .current.unitId,
    ).toBe(unitBId);
  });
});
