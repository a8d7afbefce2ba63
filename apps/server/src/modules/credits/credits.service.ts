import { maskIdNumber, type TUnitCreditStats, type TUnitCreditStatsQuery } from '@cpe/shared';
import { platformDayStart, platformYear } from '@cpe/shared/platform-zone';
import {
  CREDIT_CATEGORY_LABELS,
  CREDIT_PROFESSIONAL_MIN,
  CREDIT_YEARLY_TARGET,
  type TCreditList,
  type TCreditYear,
} from '@cpe/shared/schemas/seminars';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Pii } from '../../lib/pii.js';
import { writeWorkbook } from '../../lib/xlsx-writer.js';
import type { CreditsRepo } from './credits.repo.js';

/** 学时档案: a person's 学时 per year from every source that feeds credit_entries. */
export function createCreditsService(deps: {
  db: Db;
  repo: CreditsRepo;
  clock: Clock;
  /** The holder's ID number hash (entries wait under it for someone without an account yet). */
  holder: (accountId: string) => Promise<{ hash: string } | null>;
  pii: Pii;
  /** The approved unit the account administers, if any (单位中心 → 学时统计). */
  unitOfAdmin: (accountId: string) => Promise<{ id: string; name: string } | undefined>;
}) {
  const { db, repo, clock, pii } = deps;

  async function statsOf(adminId: string, q: TUnitCreditStatsQuery, paged: boolean) {
    const unit = await deps.unitOfAdmin(adminId);
    if (!unit) throw new AppError('MEMBER_FORBIDDEN', { message: '仅审核通过的单位管理员可以查看本单位学时统计' });
    const result = await repo.unitStats(db, {
      unitId: unit.id,
      year: q.year,
      yearStart: platformDayStart(`${q.year}-01-01`),
      yearEnd: platformDayStart(`${q.year + 1}-01-01`),
      filter: q.filter,
      keyword: q.keyword || undefined,
      page: paged ? { page: q.page, pageSize: q.pageSize } : undefined,
    });
    return { unit, ...result };
  }
  const statView = (r: Awaited<ReturnType<typeof statsOf>>['rows'][number]) => ({
    memberId: r.id,
    realName: r.real_name,
    idNumberMasked: maskIdNumber(pii.decrypt(r.id_number_enc)),
    hours: Number(r.hours),
    publicHours: Number(r.public_hours),
    professionalHours: Number(r.professional_hours),
    met: r.met === true,
  });
  return {
    /** 单位中心 → 学时统计: the unit's members of the year with their totals, 达标 or not. */
    async unitStats(adminId: string, q: TUnitCreditStatsQuery): Promise<TUnitCreditStats> {
      const r = await statsOf(adminId, q, true);
      return {
        year: q.year,
        items: r.rows.map(statView),
        total: r.total,
        page: q.page,
        pageSize: q.pageSize,
        summary: { members: r.members, met: r.met, unmet: r.members - r.met },
      };
    },

    /** The same list (every row of the filter) as Excel. */
    async unitStatsXlsx(adminId: string, q: TUnitCreditStatsQuery): Promise<{ filename: string; data: Buffer }> {
      const r = await statsOf(adminId, q, false);
      const data = await writeWorkbook([
        {
          name: `${q.year}年度学时统计`,
          columns: [
            { header: '姓名', width: 14 },
            { header: '证件号码', width: 24, kind: 'text' },
            { header: '总学时', width: 10, kind: 'number' },
            { header: '公需科目', width: 10, kind: 'number' },
            { header: '专业科目', width: 10, kind: 'number' },
            { header: '是否达标', width: 10 },
          ],
          rows: r.rows
            .map(statView)
            .map((s) => [
              s.realName,
              s.idNumberMasked,
              s.hours,
              s.publicHours,
              s.professionalHours,
              s.met ? '达标' : '未达标',
            ]),
        },
      ]);
      return { filename: `${r.unit.name}${q.year}年度学时统计.xlsx`, data };
    },

    /** The person's confirmed entries, newest year first, with each year's totals; this year always listed. */
    async recordOf(accountId: string): Promise<TCreditList> {
      const holder = await deps.holder(accountId);
      const rows = holder ? await repo.confirmedOfHolder(db, holder.hash) : [];
      const years = new Map<number, TCreditYear>();
      const yearOf = (year: number) => {
        let y = years.get(year);
        if (!y) {
          y = { year, hours: 0, publicHours: 0, professionalHours: 0, met: false };
          years.set(year, y);
        }
        return y;
      };
      yearOf(platformYear(clock.now()));
      for (const r of rows) {
        const y = yearOf(r.year);
        y.hours += r.hours;
        if (r.category === 'professional') y.professionalHours += r.hours;
        else y.publicHours += r.hours;
      }
      for (const y of years.values())
        y.met = y.hours >= CREDIT_YEARLY_TARGET && y.professionalHours >= CREDIT_PROFESSIONAL_MIN;
      return {
        items: rows.map((r) => ({
          id: r.id,
          year: r.year,
          category: r.category as 'public' | 'professional',
          categoryLabel: CREDIT_CATEGORY_LABELS[r.category as 'public' | 'professional'] ?? r.category,
          form: r.form,
          title: r.title,
          hours: r.hours,
          createdAt: r.createdAt.toISOString(),
        })),
        years: [...years.values()].sort((a, b) => b.year - a.year),
      };
    },
  };
}
export type CreditsService = ReturnType<typeof createCreditsService>;
