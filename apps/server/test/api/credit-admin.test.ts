import crypto from 'node:crypto';
import { platformDayStart, platformYear } from '@cpe/shared/platform-zone';
import { CREDIT_PROFESSIONAL_MIN, CREDIT_YEARLY_TARGET } from '@cpe/shared/schemas/credits';
import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { accounts, auditLogs, creditEntries, unitMembers, units } from '../../src/db/schema/index.js';
import { createCreditAdminRepo } from '../../src/modules/credits/credit-admin.repo.js';
import { unitAdmin } from '../applications-factories.js';
import { buildPerson, sliderToken } from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { learner, staffWith } from '../purchase-factories.js';

/**
 * 学时管理 on the console (issue 19 §4): 学时查询 (masked, by name / full ID number / phone), the record, 学时更正
 * (who may, reason required, audited, counted), 学时统计 by 区县 and 单位类型 with 0 — never NULL — for groups and
 * members without entries, a 区县人社局 limited to its district, and the Excel exports.
 */
let env: TestEnv;
let year: number;
let unitA: { id: string; name: string };
let unitB: { id: string; name: string };
let unitC: { id: string; name: string };
type Someone = Awaited<ReturnType<typeof learner>> & { id: string; hash: string };
/** met: 30 公需 + 60 专业 this year, at unit A (渝中区, 企业). */
let met: Someone;
/** short: 50 专业 this year, at unit B (大渡口区, 事业单位). */
let short: Someone;
/** none: at unit A, nothing recorded. */
let none: Someone;
/** free: no 工作单位. */
let free: Someone;

const idOf = async (username: string) => {
  const [a] = await env.ctx.db.select().from(accounts).where(eq(accounts.username, username));
  if (!a) throw new Error(username);
  return { id: a.id, hash: a.idNumberHash };
};
const person = async (realName?: string): Promise<Someone> => {
  const p = await learner(env, buildPerson(realName ? { realName } : {}));
  return { ...p, ...(await idOf(p.p.username)) };
};
const unitOf = async (name: string) => {
  const [u] = await env.ctx.db.select({ id: units.id, name: units.name }).from(units).where(eq(units.name, name));
  if (!u) throw new Error(name);
  return u;
};
/** A 工作单位 link as 单位中心 leaves it: confirmed (current) or left, with its dates. */
const link = (accountId: string, unitId: string, joinedAt: Date, leftAt: Date | null = null) =>
  env.ctx.db.insert(unitMembers).values({
    accountId,
    unitId,
    status: leftAt ? 'left' : 'confirmed',
    requestedAt: joinedAt,
    decidedAt: joinedAt,
    joinedAt,
    leftAt,
  });
const entry = (idHash: string, y: number, category: 'public' | 'professional', hours: number, status = 'confirmed') =>
  env.ctx.db.insert(creditEntries).values({
    idHash,
    year: y,
    category,
    form: category === 'public' ? '网络学习' : '面授培训',
    title: '测试学时',
    hours,
    source: 'import',
    sourceId: crypto.randomUUID(),
    status,
  });

/** A staff member of a bureau (by org node kind, or 渝中区/大渡口区 by area code), signed in. */
async function staffAt(roles: Array<'reviewer' | 'recovery-handler' | 'training-operator'>, node: 'city' | string) {
  const nodes = await env.ctx.org.all();
  const n = node === 'city' ? nodes.find((x) => x.kind === 'city') : nodes.find((x) => x.areaCode === node);
  const username = `ca${crypto.randomBytes(4).toString('hex')}`;
  await env.ctx.staff.ensure({
    username,
    password: 'Review@2026',
    displayName: '学时管理测试',
    roles,
    orgNodeId: n?.id,
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

beforeAll(async () => {
  env = await createTestEnv();
  year = platformYear(env.clock.now());
  const a = await unitAdmin(env, '500103');
  const b = await unitAdmin(env, '500104');
  const c = await unitAdmin(env, '500103');
  unitA = await unitOf(a.unitName);
  unitB = await unitOf(b.unitName);
  unitC = await unitOf(c.unitName);
  await env.ctx.db.update(units).set({ unitType: '事业单位' }).where(eq(units.id, unitB.id));
  const lastYear = platformDayStart(`${year - 1}-03-01`);
  met = await person('司马学时');
  short = await person('欧阳学时');
  none = await person('诸葛学时');
  free = await person('上官学时');
  await link(met.id, unitA.id, lastYear);
  await link(short.id, unitB.id, lastYear);
  await link(none.id, unitA.id, lastYear);
  await entry(met.hash, year, 'public', 30);
  await entry(met.hash, year, 'professional', 60);
  // Last year's and a pending entry do not count this year.
  await entry(met.hash, year - 1, 'professional', 90);
  await entry(short.hash, year, 'professional', 50);
  await entry(short.hash, year, 'public', 80, 'pending-bureau');
}, 180_000);

describe('学时查询', () => {
  it('signed out 401; a role without 学时管理 403; a keyword is required (field named)', async () => {
    expect((await new Client(env.staffApp).get('/api/admin/credits/people?keyword=学时')).statusCode).toBe(401);
    const handler = await staffAt(['recovery-handler'], 'city');
    const refused = await handler.get('/api/admin/credits/people?keyword=学时');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('CREDIT_ADMIN_FORBIDDEN');
    const op = await staffWith(env, ['training-operator']);
    const empty = await op.get('/api/admin/credits/people?keyword=');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().fields.keyword).toBeTruthy();
    expect((await op.get(`/api/admin/credits/people?keyword=${'长'.repeat(41)}`)).statusCode).toBe(400);
  });

  it('by name contains, full ID number or phone; numbers masked; 工作单位 and this year’s 已认定 totals', async () => {
    const op = await staffWith(env, ['training-operator']);
    const byName = await op.get(`/api/admin/credits/people?keyword=${encodeURIComponent('学时')}`);
    expect(byName.statusCode, byName.body).toBe(200);
    const found = byName.json();
    expect(found.total).toBe(4);
    const row = found.items.find((r: { accountId: string }) => r.accountId === met.id);
    expect(row).toEqual({
      accountId: met.id,
      realName: '司马学时',
      idNumberMasked: `${met.p.idNumber.slice(0, 1)}${'*'.repeat(16)}${met.p.idNumber.slice(-1)}`,
      phoneMasked: `${met.p.phone.slice(0, 3)}****${met.p.phone.slice(-4)}`,
      unitId: unitA.id,
      unitName: unitA.name,
      year,
      hours: 90,
      publicHours: 30,
      professionalHours: 60,
      met: true,
    });
    // No full number anywhere in the answer.
    for (const s of [met, short, none, free]) {
      expect(byName.body).not.toContain(s.p.idNumber);
      expect(byName.body).not.toContain(s.p.phone);
    }
    expect(found.items.find((r: { accountId: string }) => r.accountId === free.id)).toMatchObject({
      unitName: null,
      hours: 0,
      met: false,
    });
    // The pending 80 公需 is not counted.
    expect(found.items.find((r: { accountId: string }) => r.accountId === short.id)).toMatchObject({
      hours: 50,
      publicHours: 0,
    });

    const byId = (await op.get(`/api/admin/credits/people?keyword=${short.p.idNumber.toLowerCase()}`)).json();
    expect(byId.items.map((r: { accountId: string }) => r.accountId)).toEqual([short.id]);
    const byPhone = (await op.get(`/api/admin/credits/people?keyword=${none.p.phone}`)).json();
    expect(byPhone.items.map((r: { accountId: string }) => r.accountId)).toEqual([none.id]);
    // A LIKE wildcard is text, not a pattern.
    expect((await op.get('/api/admin/credits/people?keyword=%25')).json().total).toBe(0);
    const paged = (
      await op.get(`/api/admin/credits/people?keyword=${encodeURIComponent('学时')}&pageSize=2&page=2`)
    ).json();
    expect(paged).toMatchObject({ total: 4, page: 2, pageSize: 2 });
    expect(paged.items).toHaveLength(2);
  });

  it('the record: the person (masked) with the 学时档案; unknown 404, bad id 400', async () => {
    const op = await staffWith(env, ['sysadmin']);
    const res = await op.get(`/api/admin/credits/people/${met.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.person).toMatchObject({ accountId: met.id, unitName: unitA.name, hours: 90 });
    expect(r.canCorrect).toBe(true);
    expect(r.canOpenLearner).toBe(true);
    expect(r.record.years.find((y: { year: number }) => y.year === year)).toMatchObject({ hours: 90, met: true });
    expect(r.record.years.find((y: { year: number }) => y.year === year - 1)).toMatchObject({ hours: 90 });
    expect(res.body).not.toContain(met.p.idNumber);
    expect((await op.get(`/api/admin/credits/people/${crypto.randomUUID()}`)).json().code).toBe(
      'CREDIT_PERSON_NOT_FOUND',
    );
    expect((await op.get('/api/admin/credits/people/x')).statusCode).toBe(400);
  });

  it('a 区县人社局 reviewer finds only people whose current unit is in its district', async () => {
    const yuzhong = await staffAt(['reviewer'], '500103');
    const list = (await yuzhong.get(`/api/admin/credits/people?keyword=${encodeURIComponent('学时')}`)).json();
    expect(list.items.map((r: { accountId: string }) => r.accountId).sort()).toEqual([met.id, none.id].sort());
    const own = (await yuzhong.get(`/api/admin/credits/people/${met.id}`)).json();
    expect(own.canCorrect).toBe(false);
    expect(own.canOpenLearner).toBe(false);
    const other = await yuzhong.get(`/api/admin/credits/people/${short.id}`);
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('CREDIT_PERSON_OUT_OF_SCOPE');
    expect((await yuzhong.get(`/api/admin/credits/people/${free.id}`)).statusCode).toBe(403);
  });
});

describe('学时更正', () => {
  const body = {
    year: 0,
    category: 'professional',
    form: '面授培训',
    hours: 10,
    title: '漏记的面授培训',
    reason: '单位补交培训证明',
  };

  it('系统管理员, 培训中心运营 and 市人社局 may; a 区县人社局 or another role 403; reason and hours checked', async () => {
    const b = { ...body, year };
    const yuzhong = await staffAt(['reviewer'], '500103');
    const d = await yuzhong.post(`/api/admin/credits/people/${met.id}/corrections`, b);
    expect(d.statusCode).toBe(403);
    expect(d.json().code).toBe('CREDIT_CORRECT_FORBIDDEN');
    const handler = await staffAt(['recovery-handler'], 'city');
    expect((await handler.post(`/api/admin/credits/people/${met.id}/corrections`, b)).statusCode).toBe(403);
    const anon = new Client(env.staffApp, 'cpe_staff_csrf');
    expect((await anon.post(`/api/admin/credits/people/${met.id}/corrections`, b)).statusCode).toBe(401);

    const city = await staffAt(['reviewer'], 'city');
    const noReason = await city.post(`/api/admin/credits/people/${free.id}/corrections`, { ...b, reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields.reason).toBeTruthy();
    const oneChar = await city.post(`/api/admin/credits/people/${free.id}/corrections`, { ...b, reason: '错' });
    expect(oneChar.json().fields.reason).toBe('更正原因至少2个字');
    for (const hours of [0, 201, -201, 1.5]) {
      const bad = await city.post(`/api/admin/credits/people/${free.id}/corrections`, { ...b, hours });
      expect(bad.statusCode, String(hours)).toBe(400);
      expect(bad.json().fields.hours).toBeTruthy();
    }
    const future = await city.post(`/api/admin/credits/people/${free.id}/corrections`, { ...b, year: year + 1 });
    expect(future.json().fields.year).toBe('更正年度不能晚于今年');
    const noCategory = await city.post(`/api/admin/credits/people/${free.id}/corrections`, { ...b, category: 'x' });
    expect(noCategory.json().fields.category).toBeTruthy();
    const unknown = await city.post(`/api/admin/credits/people/${crypto.randomUUID()}/corrections`, b);
    expect(unknown.statusCode).toBe(404);

    for (const who of [city, await staffWith(env, ['training-operator']), await staffWith(env, ['sysadmin'])]) {
      const ok = await who.post(`/api/admin/credits/people/${free.id}/corrections`, { ...b, hours: 20 });
      expect(ok.statusCode, ok.body).toBe(200);
    }
    const after = (await city.get(`/api/admin/credits/people/${free.id}`)).json();
    expect(after.person).toMatchObject({ hours: 60, professionalHours: 60 });
  });

  it('adds a 已认定 entry with its reason and history, counted in the totals, audited in one go', async () => {
    const op = await staffWith(env, ['training-operator']);
    const res = await op.post(`/api/admin/credits/people/${short.id}/corrections`, {
      ...body,
      year,
      hours: 40,
      title: '年度考核折算学时',
    });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.person).toMatchObject({ hours: 90, professionalHours: 90, met: true });
    expect(r.record.years.find((y: { year: number }) => y.year === year)).toMatchObject({
      hours: 90,
      professionalHours: 90,
      met: true,
    });
    const item = r.record.items.find((i: { title: string }) => i.title === '年度考核折算学时');
    expect(item).toMatchObject({
      hours: 40,
      status: 'confirmed',
      source: 'correction',
      sourceLabel: '学时更正',
      reason: '单位补交培训证明',
    });
    expect(item.events).toEqual([
      expect.objectContaining({
        action: 'correct',
        actionLabel: '学时更正',
        reason: '单位补交培训证明',
        toStatus: 'confirmed',
      }),
    ]);
    const [row] = await env.ctx.db.select().from(creditEntries).where(eq(creditEntries.id, item.id));
    expect(row).toMatchObject({ source: 'correction', status: 'confirmed', reason: '单位补交培训证明' });
    expect(row?.actedBy).toBeTruthy();
    expect(row?.actedAt).toBeTruthy();
    const [audit] = await env.ctx.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.action, 'credit.correct'), eq(auditLogs.targetId, item.id)));
    expect(audit?.summary).toMatchObject({ accountId: short.id, year, hours: 40, reason: '单位补交培训证明' });

    // A negative figure takes an over-count back; the stored sum may go below 0 (screens show 0).
    const back = await op.post(`/api/admin/credits/people/${short.id}/corrections`, {
      ...body,
      year,
      hours: -40,
      title: '撤回重复计入的学时',
      reason: '与高研班学时重复',
    });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().person).toMatchObject({ hours: 50, met: false });
    const list = (await op.get(`/api/admin/credits/people?keyword=${short.p.phone}`)).json();
    expect(list.items[0]).toMatchObject({ hours: 50, professionalHours: 50 });

    // More taken back than was counted (60 专业): the entry stays as recorded, the year never reads below 0.
    const over = await op.post(`/api/admin/credits/people/${free.id}/corrections`, {
      ...body,
      year,
      hours: -80,
      title: '撤回误记学时',
      reason: '误记他人学时',
    });
    expect(over.statusCode, over.body).toBe(200);
    expect(over.json().person).toMatchObject({ hours: 0, professionalHours: 0, publicHours: 0, met: false });
    expect(over.json().record.years.find((y: { year: number }) => y.year === year)).toMatchObject({
      hours: 0,
      professionalHours: 0,
    });
    expect(over.json().record.items.find((i: { title: string }) => i.title === '撤回误记学时').hours).toBe(-80);
  });
});

describe('学时统计', () => {
  it('a year nobody was a member: every 区县 listed with 0 and rate 0, never null', async () => {
    const op = await staffWith(env, ['training-operator']);
    const res = await op.get('/api/admin/credits/stats?year=2001&by=district');
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.scope).toBeNull();
    expect(s.rows.length).toBeGreaterThanOrEqual(38);
    for (const r of s.rows) expect(r).toMatchObject({ members: 0, met: 0, unmet: 0, rate: 0 });
    expect(s.total).toEqual({ members: 0, met: 0, unmet: 0, rate: 0 });
    const types = (await op.get('/api/admin/credits/stats?year=2001&by=unit-type')).json();
    expect(types.rows.map((r: { key: string }) => r.key)).toContain('企业');
    expect(types.total.rate).toBe(0);
    const units = (await op.get('/api/admin/credits/stats/units?year=2001&district=500103')).json();
    expect(units.items.length).toBeGreaterThanOrEqual(2);
    for (const u of units.items) expect(u).toMatchObject({ members: 0, met: 0, rate: 0 });
  });

  it('this year by 区县 and 单位类型: members without entries count as 0; drill-down sorted by rate', async () => {
    const op = await staffWith(env, ['sysadmin']);
    const s = (await op.get(`/api/admin/credits/stats?year=${year}`)).json();
    expect(s.by).toBe('district');
    const yz = s.rows.find((r: { key: string }) => r.key === '500103');
    const ddk = s.rows.find((r: { key: string }) => r.key === '500104');
    // 渝中区: met (达标) and none (nothing recorded) at unit A.
    expect(yz).toEqual({ key: '500103', label: '渝中区', members: 2, met: 1, unmet: 1, rate: 0.5 });
    expect(ddk).toMatchObject({ label: '大渡口区', members: 1 });
    expect(s.total.members).toBe(3);
    expect(s.total.met).toBe(yz.met + ddk.met);
    const byType = (await op.get(`/api/admin/credits/stats?year=${year}&by=unit-type`)).json();
    expect(byType.rows.find((r: { key: string }) => r.key === '企业')).toMatchObject({ members: 2, met: 1 });
    expect(byType.rows.find((r: { key: string }) => r.key === '事业单位')).toMatchObject({ members: 1 });

    const drill = (await op.get(`/api/admin/credits/stats/units?year=${year}&district=500103&sort=rate:desc`)).json();
    expect(drill.groupLabel).toBe('渝中区');
    expect(drill.items[0]).toMatchObject({ unitId: unitA.id, members: 2, met: 1, unmet: 1, rate: 0.5 });
    expect(drill.items.find((u: { unitId: string }) => u.unitId === unitC.id)).toMatchObject({ members: 0, rate: 0 });
    const asc = (await op.get(`/api/admin/credits/stats/units?year=${year}&district=500103`)).json();
    expect(asc.items.at(-1).unitId).toBe(unitA.id);
    const typed = (
      await op.get(`/api/admin/credits/stats/units?year=${year}&unitType=${encodeURIComponent('事业单位')}`)
    ).json();
    expect(typed.items.map((u: { unitId: string }) => u.unitId)).toEqual([unitB.id]);
    expect((await op.get(`/api/admin/credits/stats?year=1999`)).json().fields.year).toBeTruthy();
    expect((await op.get(`/api/admin/credits/stats?year=${year}&by=x`)).json().fields.by).toBeTruthy();
    expect(
      (await op.get(`/api/admin/credits/stats/units?year=${year}&district=5001`)).json().fields.district,
    ).toBeTruthy();
  });

  it('members of the year: joined before it ended, not gone before it began', async () => {
    const op = await staffWith(env, ['training-operator']);
    const before = (await op.get(`/api/admin/credits/stats/units?year=${year}&district=500103`)).json();
    const countOf = (r: typeof before) => r.items.find((u: { unitId: string }) => u.unitId === unitC.id).members;
    expect(countOf(before)).toBe(0);
    const gone = await person();
    const late = await person();
    const stayed = await person();
    await link(gone.id, unitC.id, platformDayStart(`${year - 2}-01-01`), platformDayStart(`${year - 1}-12-31`));
    await link(stayed.id, unitC.id, platformDayStart(`${year - 2}-01-01`), platformDayStart(`${year}-01-05`));
    await link(late.id, unitC.id, platformDayStart(`${year + 1}-01-01`));
    const after = (await op.get(`/api/admin/credits/stats/units?year=${year}&district=500103`)).json();
    expect(countOf(after)).toBe(1);
    const lastYear = (await op.get(`/api/admin/credits/stats/units?year=${year - 1}&district=500103`)).json();
    expect(countOf(lastYear)).toBe(2);
  });

  it('the figures the triggers keep equal a fresh computation after every kind of change', async () => {
    const op = await staffWith(env, ['training-operator']);
    // Both years kept before the changes, so the triggers (not the first computation) carry them.
    expect((await op.get(`/api/admin/credits/stats?year=${year - 1}`)).statusCode).toBe(200);
    expect((await op.get(`/api/admin/credits/stats?year=${year}`)).statusCode).toBe(200);
    const [p1, p2, p3] = [await person(), await person(), await person()];
    const jan = platformDayStart(`${year}-01-10`);
    // Links: a join, a move during the year (left A, joined B), a link deleted, a date corrected.
    await link(p1.id, unitA.id, platformDayStart(`${year - 1}-05-01`));
    await link(p2.id, unitA.id, platformDayStart(`${year - 1}-05-01`), jan);
    await link(p2.id, unitB.id, jan);
    await link(p3.id, unitC.id, jan);
    await env.ctx.db.delete(unitMembers).where(and(eq(unitMembers.accountId, p3.id), eq(unitMembers.unitId, unitC.id)));
    await link(p3.id, unitC.id, platformDayStart(`${year + 1}-02-01`));
    await env.ctx.db
      .update(unitMembers)
      .set({ joinedAt: platformDayStart(`${year}-03-01`) })
      .where(eq(unitMembers.accountId, p3.id));
    // Entries: 达标 reached, lost by a revocation, reached again by an edit, a deleted one, a year ago.
    await entry(p1.hash, year, 'public', 30);
    await entry(p1.hash, year, 'professional', 60);
    await env.ctx.db
      .update(creditEntries)
      .set({ status: 'revoked' })
      .where(and(eq(creditEntries.idHash, p1.hash), eq(creditEntries.category, 'public')));
    await entry(p2.hash, year, 'professional', 95);
    await env.ctx.db
      .update(creditEntries)
      .set({ hours: 50 })
      .where(and(eq(creditEntries.idHash, p2.hash), eq(creditEntries.year, year)));
    await env.ctx.db
      .update(creditEntries)
      .set({ hours: 100 })
      .where(and(eq(creditEntries.idHash, p2.hash), eq(creditEntries.year, year)));
    await entry(p3.hash, year - 1, 'professional', 90);
    await entry(p3.hash, year, 'professional', 90, 'pending-bureau');
    await env.ctx.db
      .update(creditEntries)
      .set({ status: 'confirmed' })
      .where(and(eq(creditEntries.idHash, p3.hash), eq(creditEntries.year, year)));
    await env.ctx.db
      .delete(creditEntries)
      .where(and(eq(creditEntries.idHash, p3.hash), eq(creditEntries.year, year - 1)));
    // A 学时更正 through the API, and an account whose document changed (its entries are another person's now).
    await op.post(`/api/admin/credits/people/${p1.id}/corrections`, {
      year,
      category: 'public',
      form: '其他',
      hours: 30,
      title: '补记公需科目',
      reason: '证书补录',
    });
    const corrected = `corrected-${crypto.randomUUID()}`;
    await entry(corrected, year, 'professional', 40);
    await env.ctx.db.update(accounts).set({ idNumberHash: corrected }).where(eq(accounts.id, p1.id));
    await env.ctx.db.update(accounts).set({ idNumberHash: p1.hash }).where(eq(accounts.id, p1.id));
    await env.ctx.db.update(accounts).set({ idNumberHash: corrected }).where(eq(accounts.id, p1.id));

    const repo = createCreditAdminRepo();
    for (const y of [year - 1, year]) {
      const range = { year: y, start: platformDayStart(`${y}-01-01`), end: platformDayStart(`${y + 1}-01-01`) };
      const kept = (
        await env.ctx.db.execute(
          sql`select unit_id::text as unit_id, members, met from credit_unit_years where year = ${y} and members > 0`,
        )
      ).rows as Array<{ unit_id: string; members: number; met: number }>;
      const fresh = await repo.unitYearsComputed(env.ctx.db, range);
      const byUnit = (rows: typeof kept) =>
        Object.fromEntries(rows.map((r) => [String(r.unit_id), [Number(r.members), Number(r.met)]]));
      expect(byUnit(kept), String(y)).toEqual(byUnit(fresh));
    }
    const drift = await env.ctx.db.execute(sql`
      select count(*)::int as n from credit_year_totals t full join (
        select id_hash, year, coalesce(sum(hours) filter (where category <> 'professional'), 0) as p,
          coalesce(sum(hours) filter (where category = 'professional'), 0) as q
        from credit_entries where status = 'confirmed' group by 1, 2
      ) e on e.id_hash = t.id_hash and e.year = t.year
      where coalesce(t.public_hours, 0) <> coalesce(e.p, 0) or coalesce(t.professional_hours, 0) <> coalesce(e.q, 0)`);
    expect((drift.rows[0] as { n: number }).n).toBe(0);
    // p2 moved during the year: counted in both units, as each unit counts its people.
    const a = (await op.get(`/api/admin/credits/stats/units?year=${year}&district=500103&pageSize=100`)).json();
    const b = (await op.get(`/api/admin/credits/stats/units?year=${year}&district=500104&pageSize=100`)).json();
    const countIn = (r: { items: Array<{ unitId: string; members: number }> }, id: string) =>
      r.items.find((u) => u.unitId === id)?.members;
    const unitCenter = async (unitId: string) =>
      Number(
        (
          (
            await env.ctx.db.execute(
              sql`select count(distinct account_id)::int as n from unit_members where unit_id = ${unitId}
                  and joined_at < ${platformDayStart(`${year + 1}-01-01`).toISOString()}::timestamptz
                  and (left_at is null or left_at >= ${platformDayStart(`${year}-01-01`).toISOString()}::timestamptz)`,
            )
          ).rows[0] as { n: number }
        ).n,
      );
    expect(countIn(a, unitA.id)).toBe(await unitCenter(unitA.id));
    expect(countIn(b, unitB.id)).toBe(await unitCenter(unitB.id));
  });

  it('credit_met in SQL is the shared rule (90 in all, 专业科目 60, no category below 0)', async () => {
    const cases: Array<[number, number]> = [
      [30, 60],
      [29, 60],
      [31, 59],
      [0, 90],
      [-20, 100],
      [100, -10],
      [0, 0],
    ];
    for (const [pub, pro] of cases) {
      const r = await env.ctx.db.execute(sql`select credit_met(${pub}::int, ${pro}::int) as m`);
      const p = Math.max(0, pub);
      const q = Math.max(0, pro);
      expect((r.rows[0] as { m: boolean }).m, `${pub}+${pro}`).toBe(
        p + q >= CREDIT_YEARLY_TARGET && q >= CREDIT_PROFESSIONAL_MIN,
      );
    }
    const op = await staffWith(env, ['training-operator']);
    const future = await op.get(`/api/admin/credits/stats?year=${year + 1}`);
    expect(future.statusCode).toBe(400);
    expect(future.json().fields.year).toBe('年度不能晚于今年');
  });

  it('a 区县人社局 sees its district only: one row, the others’ drill-down 403; signed out 401', async () => {
    const yuzhong = await staffAt(['reviewer'], '500103');
    const s = (await yuzhong.get(`/api/admin/credits/stats?year=${year}`)).json();
    expect(s.scope).toMatchObject({ areaCode: '500103' });
    expect(s.rows.map((r: { key: string }) => r.key)).toEqual(['500103']);
    const types = (await yuzhong.get(`/api/admin/credits/stats?year=${year}&by=unit-type`)).json();
    expect(types.rows.find((r: { key: string }) => r.key === '事业单位')).toMatchObject({ members: 0 });
    const other = await yuzhong.get(`/api/admin/credits/stats/units?year=${year}&district=500104`);
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('CREDIT_STATS_SCOPE');
    const mine = (await yuzhong.get(`/api/admin/credits/stats/units?year=${year}`)).json();
    expect(mine.items.map((u: { unitId: string }) => u.unitId)).not.toContain(unitB.id);
    expect((await yuzhong.get(`/api/admin/credits/stats/export?year=${year}&by=district`)).statusCode).toBe(200);
    expect((await new Client(env.staffApp).get(`/api/admin/credits/stats?year=${year}`)).statusCode).toBe(401);
    const handler = await staffAt(['recovery-handler'], 'city');
    expect((await handler.get(`/api/admin/credits/stats?year=${year}`)).statusCode).toBe(403);
  });

  it('exports open as Excel workbooks with the rows, the whole and percentages; audited', async () => {
    const op = await staffWith(env, ['training-operator']);
    const res = await op.get(`/api/admin/credits/stats/export?year=${year}&by=district`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws?.getRow(1).values).toEqual([undefined, '区县', '人数', '达标人数', '未达标人数', '达标率']);
    const rows = (ws?.getSheetValues() ?? []).filter(Boolean) as unknown[][];
    const yz = (await op.get(`/api/admin/credits/stats?year=${year}`))
      .json()
      .rows.find((r: { key: string }) => r.key === '500103');
    expect(rows.find((r) => r[1] === yz.label)?.slice(2)).toEqual([yz.members, yz.met, yz.unmet, yz.rate]);
    expect(rows.at(-1)?.[1]).toBe('全市合计');
    expect(ws?.getCell(2, 5).numFmt).toBe('0.00%');

    const units = await op.get(`/api/admin/credits/stats/units/export?year=${year}&district=500103`);
    expect(units.statusCode).toBe(200);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(units.rawPayload as unknown as ArrayBuffer);
    const names = (wb2.worksheets[0]?.getColumn(1).values ?? []).slice(2);
    expect(names).toEqual(expect.arrayContaining([unitA.name, unitC.name]));
    const exported = await env.ctx.db.select().from(auditLogs).where(eq(auditLogs.action, 'credit.stats.export'));
    expect(exported.length).toBeGreaterThanOrEqual(2);
  });

  it('数据看板 shows the year’s 达标率 for the city and per 区县', async () => {
    const op = await staffWith(env, ['training-operator']);
    const res = await op.get(`/api/admin/dashboard?from=${year}-01-01&to=${year}-01-31`);
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json().credits;
    expect(c.year).toBe(year);
    expect(c.members).toBeGreaterThanOrEqual(3);
    expect(c.byDistrict.find((r: { key: string }) => r.key === '500104')).toMatchObject({ label: '大渡口区' });
    const yuzhong = await staffAt(['reviewer'], '500103');
    const own = (await yuzhong.get(`/api/admin/dashboard?from=${year}-01-01&to=${year}-01-31`)).json().credits;
    expect(own.byDistrict.map((r: { key: string }) => r.key)).toEqual(['500103']);
  });
});
