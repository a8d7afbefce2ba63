import {
  addWorkingDaysAtIn,
  addWorkingDaysIn,
  isCalendarDay,
  isWorkingDayIn,
  type TCalendarDay,
  type TCalendarDayInput,
  type TCalendarDayKind,
  type TSpecialDays,
  weekdayOf,
  workingDaysBetweenIn,
} from '@cpe/shared';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { CalendarDayRow, CalendarRepo } from './calendar.repo.js';
import { OFFICIAL_ARRANGEMENTS } from './official-holidays.js';

/**
 * How long this instance trusts its copy of the special days. A change made here refreshes the copy at once;
 * other instances behind the load balancer see it within this time.
 */
export const CALENDAR_CACHE_TTL_MS = 60_000;

function checkDay(day: string, field = 'day') {
  if (!isCalendarDay(day)) throw fieldError('VALIDATION_FAILED', field, '日期无效，应为 YYYY-MM-DD 格式的真实日期');
}

/**
 * 工作日历: China's public holidays and 调休, kept by staff, and the one place every deadline counts working days
 * ("3个工作日内办结", "结业后15个工作日内上报"). Dates are China dates, 'YYYY-MM-DD'.
 */
export function createCalendarService(deps: { db: Db; repo: CalendarRepo; clock: Clock; audit: AuditRepo }) {
  const { db, repo, clock, audit } = deps;

  // The whole table in memory: a few dozen rows a year.
  let cached: { days: TSpecialDays; at: number } | undefined;
  let pending: Promise<TSpecialDays> | undefined;
  // Bumped by every change here, so a load that started before the change cannot install the old list after it.
  let generation = 0;

  function invalidate() {
    generation++;
    cached = undefined;
    pending = undefined;
  }

  /** `ex`: the caller's transaction — a miss then reads through it (PGlite has one connection) without caching. */
  async function specialDays(ex?: Executor): Promise<TSpecialDays> {
    const now = clock.now().getTime();
    if (cached && now - cached.at < CALENDAR_CACHE_TTL_MS && now >= cached.at) return cached.days;
    if (ex) return new Map((await repo.all(ex)).map((r) => [r.day, r.kind as TCalendarDayKind]));
    if (!pending) {
      const gen = generation;
      const load = repo
        .all(db)
        .then((rows) => {
          const days: TSpecialDays = new Map(rows.map((r) => [r.day, r.kind as TCalendarDayKind]));
          if (gen === generation) cached = { days, at: now };
          return days;
        })
        .finally(() => {
          if (pending === load) pending = undefined;
        });
      pending = load;
    }
    return pending;
  }

  const view = (r: CalendarDayRow): TCalendarDay => ({
    day: r.day,
    weekday: weekdayOf(r.day),
    kind: r.kind as TCalendarDayKind,
    name: r.name,
    updatedAt: r.updatedAt.toISOString(),
  });

  return {
    specialDays,

    async isWorkingDay(day: string): Promise<boolean> {
      checkDay(day);
      return isWorkingDayIn(await specialDays(), day);
    },

    /** The date n working days after `day` (n = 0: `day` itself; negative n: before). */
    async addWorkingDays(day: string, n: number, ex?: Executor): Promise<string> {
      checkDay(day);
      return addWorkingDaysIn(await specialDays(ex), day, n);
    },

    /** Working days in (from, to]; negative when `to` is earlier. */
    async workingDaysBetween(from: string, to: string): Promise<number> {
      checkDay(from, 'from');
      checkDay(to, 'to');
      return workingDaysBetweenIn(await specialDays(), from, to);
    },

    /** The same wall-clock time, n working days after the instant's date (platform's time zone). */
    async addWorkingDaysAt(instant: Date, n: number): Promise<Date> {
      return addWorkingDaysAtIn(await specialDays(), instant, n);
    },

    async list(year: number): Promise<{ year: number; items: TCalendarDay[] }> {
      return { year, items: (await repo.ofYear(db, year)).map(view) };
    },

    async setDay(staffId: string, day: string, input: TCalendarDayInput, meta: RequestMeta): Promise<TCalendarDay> {
      checkDay(day);
      const weekday = weekdayOf(day);
      // A weekday already is a working day: listing it as 班 would only hide a mistake (the wrong date).
      if (input.kind === 'workday' && weekday !== 0 && weekday !== 6)
        throw fieldError('VALIDATION_FAILED', 'kind', '周一至周五本就是工作日，只有周六、周日可以设为调休上班（班）');
      const row = await db.transaction(async (tx) => {
        const before = await repo.byDay(tx, day);
        const saved = await repo.upsert(tx, { day, ...input, updatedBy: staffId, updatedAt: clock.now() });
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staffId,
          action: 'calendar.day.set',
          targetType: 'calendar_day',
          targetId: day,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: {
            day,
            kind: saved.kind,
            name: saved.name,
            before: before ? { kind: before.kind, name: before.name } : null,
          },
        });
        return saved;
      });
      invalidate();
      return view(row);
    },

    async deleteDay(staffId: string, day: string, meta: RequestMeta): Promise<void> {
      checkDay(day);
      await db.transaction(async (tx) => {
        const before = await repo.byDay(tx, day);
        if (!before) throw new AppError('NOT_FOUND', { message: `工作日历中没有${day}` });
        await repo.delete(tx, day);
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staffId,
          action: 'calendar.day.delete',
          targetType: 'calendar_day',
          targetId: day,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: { day, kind: before.kind, name: before.name },
        });
      });
      invalidate();
    },

    /**
     * Puts in the official arrangements this build knows (2026), each year once: a year that already has any day
     * is left as staff keep it, so a day they deleted does not come back at the next start. Returns days added.
     */
    async ensureSeeded(): Promise<number> {
      let added = 0;
      // Every start after the first finds every year there: one query for all of them, no transaction and no lock
      // per year. (The count under the lock stays, for instances starting together on a year not seeded yet.)
      const seeded = await repo.yearsWithDays(db);
      for (const [year, days] of OFFICIAL_ARRANGEMENTS) {
        if (seeded.has(year)) continue;
        added += await db.transaction(async (tx) => {
          await repo.lockSeed(tx);
          if ((await repo.countOfYear(tx, year)) > 0) return 0;
          const n = await repo.insertMissing(
            tx,
            days.map((d) => ({ ...d, updatedAt: clock.now() })),
          );
          await audit.record(tx, {
            actorType: 'system',
            action: 'calendar.seed',
            targetType: 'calendar_day',
            summary: { year, days: n },
          });
          return n;
        });
      }
      if (added > 0) invalidate();
      return added;
    },
  };
}
export type CalendarService = ReturnType<typeof createCalendarService>;
