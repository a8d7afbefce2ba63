import crypto from 'node:crypto';
import { platformDayStart } from '@cpe/shared/platform-zone';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accounts, creditEntries, unitMembers, units } from '../../db/schema/index.js';
import type { CreditClaimsService } from './credit-claims.service.js';
import { createCreditsRepo } from './credits.repo.js';

/** A stable id per demo entry, so a second seed adds nothing ((source, source_id) is unique). */
const demoId = (key: string) => {
  const h = crypto.createHash('sha256').update(`cpe-demo-credit:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * 学时档案's demo (issue 19 §6): 张三 works at 王五's unit (confirmed), last year's record is complete (公需科目 30 +
 * 专业科目 60) and this year's is short. The entries stand for what the 培训中心 imported (批量导入): the demo has no
 * last-year plan to have studied. Returns how many entries were added (0 when already there).
 */
export async function seedDemoCredits(
  db: Db,
  opts: { username: string; unitName: string; year: number; now: Date },
): Promise<number> {
  const [person] = await db
    .select({ id: accounts.id, hash: accounts.idNumberHash })
    .from(accounts)
    .where(eq(sql`lower(${accounts.username})`, opts.username.toLowerCase()));
  const [unit] = await db.select({ id: units.id }).from(units).where(eq(units.name, opts.unitName));
  if (!person || !unit) return 0;
  const [linked] = await db
    .select({ id: unitMembers.id })
    .from(unitMembers)
    .where(eq(unitMembers.accountId, person.id));
  // Working there since March of last year, so both years are read under the unit.
  const since = platformDayStart(`${opts.year - 1}-03-01`);
  if (!linked)
    await db.insert(unitMembers).values({
      accountId: person.id,
      unitId: unit.id,
      status: 'confirmed',
      source: 'self',
      requestedAt: since,
      decidedAt: since,
      joinedAt: since,
    });
  const last = opts.year - 1;
  const entries: Array<[string, number, 'public' | 'professional', string, string, number]> = [
    ['public-last', last, 'public', '网络学习', `重庆市${last}年专技人员继续教育公需科目培训`, 30],
    ['seminar-last', last, 'professional', '高级研修', '新材料产业创新发展高级研修班', 24],
    ['conference-last', last, 'professional', '学术会议', '西部智能制造学术年会', 16],
    ['training-last', last, 'professional', '面授培训', '工业软件应用专题培训', 20],
    ['training-this', opts.year, 'professional', '面授培训', '智能制造产线数字化改造专题培训', 24],
  ];
  const before = await db.execute(sql`select count(*)::int as n from credit_entries where id_hash = ${person.hash}`);
  await createCreditsRepo().add(
    db,
    entries.map(([key, year, category, form, title, hours]) => ({
      idHash: person.hash,
      year,
      category,
      form,
      title,
      hours,
      source: 'import',
      sourceId: demoId(`${opts.username}:${key}:${year}`),
      createdAt: opts.now,
    })),
  );
  const after = await db.execute(sql`select count(*)::int as n from credit_entries where id_hash = ${person.hash}`);
  return Number((after.rows[0] as { n: number }).n) - Number((before.rows[0] as { n: number }).n);
}

/**
 * The demo's 学时登记 waiting for 王五 (issue 19 §6): 张三 attended a two-day 学术会议 this year and filed it with a
 * photo; it sits in 单位中心 → 学时审核 until 王五 confirms. Filed through the service, as a person would. Returns
 * whether it was filed (false when 张三 has filed it before, or is not a confirmed member).
 */
export async function seedDemoClaim(
  db: Db,
  claims: CreditClaimsService,
  opts: { username: string; today: string; photo: () => Promise<Buffer> },
): Promise<boolean> {
  const title = '西部建筑科技创新学术年会';
  const [person] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(eq(sql`lower(${accounts.username})`, opts.username.toLowerCase()));
  if (!person) return false;
  const [filed] = await db
    .select({ id: creditEntries.id })
    .from(creditEntries)
    .where(and(eq(creditEntries.accountId, person.id), eq(creditEntries.title, title)));
  if (filed) return false;
  const conference = (await claims.standardsFor(person.id, Number(opts.today.slice(0, 4)))).items.find(
    (s) => s.form === '学术会议' && !s.level,
  );
  if (!conference) return false;
  // Two days ending yesterday, kept inside this year (on 1 January: today only).
  const end = opts.today.endsWith('-01-01') ? opts.today : shiftDay(opts.today, -1);
  const start = end.endsWith('-01-01') ? end : shiftDay(end, -1);
  const photo = await claims.upload(person.id, {
    data: await opts.photo(),
    mime: 'image/png',
    name: '年会签到及现场照片.png',
  });
  await claims.submit(
    person.id,
    {
      standardId: conference.id,
      title,
      host: '重庆市土木建筑学会',
      startedOn: start,
      endedOn: end,
      content: '参加大会主题报告“智能建造与绿色低碳”及装配式建筑分论坛交流，提交会议交流论文一篇。',
      hours: conference.basis === 'day' ? Math.min(16, conference.hours * 2) : conference.hours,
      evidenceFileIds: [photo.id],
    },
    { ip: '127.0.0.1', userAgent: 'demo-seed' },
  );
  return true;
}

const shiftDay = (day: string, by: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + by * 86_400_000).toISOString().slice(0, 10);
