import { maskIdNumber, type TUnitCreditStats, type TUnitCreditStatsQuery } from '@cpe/shared';
import { platformDayStart, platformYear } from '@cpe/shared/platform-zone';
import {
  CREDIT_PROFESSIONAL_MIN,
  CREDIT_YEARLY_TARGET,
  type TCreditList,
  type TCreditYear,
} from '@cpe/shared/schemas/credits';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import { writeWorkbook } from '../../lib/xlsx-writer.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { NotifyService } from '../notify/notify.service.js';
import type { RateLimitService } from '../ratelimit/ratelimit.service.js';
import type { CreditClaimsRepo } from './credit-claims.repo.js';
import { entryViews } from './credit-views.js';
import type { CreditsRepo } from './credits.repo.js';

/** 学时档案: a person's 学时 per year from every source that feeds credit_entries. */
export function createCreditsService(deps: {
  db: Db;
  repo: CreditsRepo;
  /** Labels, evidence and history of entries (shared with the 学时登记 queues). */
  claims: CreditClaimsRepo;
  clock: Clock;
  /** The holder's ID number hash (entries wait under it for someone without an account yet). */
  holder: (accountId: string) => Promise<{ hash: string } | null>;
  pii: Pii;
  /** The approved unit the account administers, if any (单位中心 → 学时统计). */
  unitOfAdmin: (accountId: string) => Promise<{ id: string; name: string } | undefined>;
  notify: NotifyService;
  audit: AuditRepo;
  rateLimits: Pick<RateLimitService, 'consume'>;
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
        summary: { members: r.members, met: r.met, unmet: r.members - r.met, remindable: r.remindable },
      };
    },

    /**
     * 提醒未达标人员: a message (and SMS where the person has a phone) to every current member below the year's
     * target. Once a day per unit and year: a reminder is a nudge, not a stream.
     */
    async remind(adminId: string, year: number, meta: RequestMeta): Promise<{ sent: number }> {
      const r = await statsOf(adminId, { year, filter: 'unmet', page: 1, pageSize: 20 }, false);
      const to = r.rows.filter((m) => m.current === true);
      if (to.length === 0) return { sent: 0 };
      try {
        await deps.rateLimits.consume({ key: `credit-remind:${r.unit.id}:${year}`, max: 1, windowMs: 24 * 3600_000 });
      } catch (err) {
        if (err instanceof AppError && err.code === 'RATE_LIMITED')
          throw new AppError('CREDIT_REMINDER_LIMIT', { headers: err.headers });
        throw err;
      }
      await db.transaction(async (tx) => {
        for (const m of to)
          await deps.notify.event(tx, {
            accountId: m.account_id,
            event: 'credit-reminder',
            params: {
              unitName: r.unit.name,
              year: String(year),
              hours: String(Number(m.hours)),
              professionalHours: String(Number(m.professional_hours)),
            },
            link: '/credits',
          });
        await deps.audit.record(tx, {
          actorType: 'account',
          actorId: adminId,
          action: 'credit.remind',
          targetType: 'unit',
          targetId: r.unit.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: { year, sent: to.length },
        });
      });
      return { sent: to.length };
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

    /**
     * The person's entries (every status), newest year first, with each year's totals of the 已认定 ones and what is
     * still waiting; this year always listed. A negative 学时更正 can take a year's sum below 0 only on paper: shown as 0.
     */
    async recordOf(accountId: string): Promise<TCreditList> {
      const holder = await deps.holder(accountId);
      const rows = holder ? await repo.allOfHolder(db, holder.hash) : [];
      const years = new Map<number, TCreditYear>();
      const yearOf = (year: number) => {
        let y = years.get(year);
        if (!y) {
          y = { year, hours: 0, publicHours: 0, professionalHours: 0, met: false, pendingHours: 0 };
          years.set(year, y);
        }
        return y;
      };
      yearOf(platformYear(clock.now()));
      for (const r of rows) {
        const y = yearOf(r.year);
        if (r.status === 'pending-unit' || r.status === 'pending-bureau') y.pendingHours += r.hours;
        if (r.status !== 'confirmed') continue;
        if (r.category === 'professional') y.professionalHours += r.hours;
        else y.publicHours += r.hours;
      }
      for (const y of years.values()) {
        y.publicHours = Math.max(0, y.publicHours);
        y.professionalHours = Math.max(0, y.professionalHours);
        y.hours = y.publicHours + y.professionalHours;
        y.met = y.hours >= CREDIT_YEARLY_TARGET && y.professionalHours >= CREDIT_PROFESSIONAL_MIN;
      }
      return {
        items: await entryViews(db, deps.claims, rows),
        years: [...years.values()].sort((a, b) => b.year - a.year),
      };
    },
  };
}
export type CreditsService = ReturnType<typeof createCreditsService>;
