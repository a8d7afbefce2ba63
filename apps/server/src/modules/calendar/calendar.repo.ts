import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { calendarDays } from '../../db/schema/index.js';

export type CalendarDayRow = typeof calendarDays.$inferSelect;

/** 工作日历: the days that differ from the weekly rule (a few dozen a year). */
export function createCalendarRepo() {
  return {
    all: (ex: Executor) => ex.select({ day: calendarDays.day, kind: calendarDays.kind }).from(calendarDays),
    ofYear: (ex: Executor, year: number) =>
      ex
        .select()
        .from(calendarDays)
        .where(and(gte(calendarDays.day, `${year}-01-01`), lte(calendarDays.day, `${year}-12-31`)))
        .orderBy(asc(calendarDays.day)),
    countOfYear: async (ex: Executor, year: number) => {
      const r = await ex
        .select({ n: sql<number>`count(*)::int` })
        .from(calendarDays)
        .where(and(gte(calendarDays.day, `${year}-01-01`), lte(calendarDays.day, `${year}-12-31`)));
      return Number(r[0]?.n ?? 0);
    },
    /** The years that have any day, in one query. */
    yearsWithDays: async (ex: Executor) => {
      const rows = await ex.selectDistinct({ year: sql<string>`left(${calendarDays.day}, 4)` }).from(calendarDays);
      return new Set(rows.map((r) => Number(r.year)));
    },
    byDay: async (ex: Executor, day: string) =>
      (await ex.select().from(calendarDays).where(eq(calendarDays.day, day)).for('update'))[0],
    upsert: async (
      ex: Executor,
      row: { day: string; kind: string; name: string; updatedBy: string | null; updatedAt: Date },
    ) =>
      (
        await ex
          .insert(calendarDays)
          .values(row)
          .onConflictDoUpdate({
            target: calendarDays.day,
            set: { kind: row.kind, name: row.name, updatedBy: row.updatedBy, updatedAt: row.updatedAt },
          })
          .returning()
      )[0] as CalendarDayRow,
    /** Adds the rows whose day is not there yet; returns how many were added. */
    insertMissing: async (ex: Executor, rows: Array<{ day: string; kind: string; name: string; updatedAt: Date }>) =>
      (await ex.insert(calendarDays).values(rows).onConflictDoNothing().returning({ day: calendarDays.day })).length,
    delete: async (ex: Executor, day: string) => {
      await ex.delete(calendarDays).where(eq(calendarDays.day, day));
    },
    /** Serialises seeding across instances starting together. */
    lockSeed: async (ex: Executor) => {
      await ex.execute(sql`select pg_advisory_xact_lock(hashtext('calendar-seed'))`);
    },
  };
}
export type CalendarRepo = ReturnType<typeof createCalendarRepo>;
