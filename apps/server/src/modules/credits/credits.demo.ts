import crypto from 'node:crypto';
import { platformDayStart } from '@cpe/shared/platform-zone';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accounts, unitMembers, units } from '../../db/schema/index.js';
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
