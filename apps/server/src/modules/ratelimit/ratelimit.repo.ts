import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';

/**
 * Fixed-window counters in PostgreSQL so every app instance shares them. One statement per hit:
 * a window that has passed restarts at 1.
 */
export function createRateLimitRepo() {
  return {
    async hit(ex: Executor, key: string, windowMs: number, now: Date): Promise<{ count: number; resetAt: Date }> {
      const res = await ex.execute(sql`
        insert into rate_limits (key, window_start, count) values (${key}, ${now.toISOString()}::timestamptz, 1)
        on conflict (key) do update set
          count = case when rate_limits.window_start + ${`${windowMs} milliseconds`}::interval <= ${now.toISOString()}::timestamptz
                       then 1 else rate_limits.count + 1 end,
          window_start = case when rate_limits.window_start + ${`${windowMs} milliseconds`}::interval <= ${now.toISOString()}::timestamptz
                       then ${now.toISOString()}::timestamptz else rate_limits.window_start end
        returning count, window_start`);
      const row = res.rows[0] as { count: number; window_start: string | Date };
      return { count: Number(row.count), resetAt: new Date(new Date(row.window_start).getTime() + windowMs) };
    },
    async peek(ex: Executor, key: string, windowMs: number, now: Date): Promise<number> {
      const res = await ex.execute(
        sql`select count from rate_limits where key = ${key} and window_start + ${`${windowMs} milliseconds`}::interval > ${now.toISOString()}::timestamptz`,
      );
      return Number((res.rows[0] as { count?: number } | undefined)?.count ?? 0);
    },
    async clear(ex: Executor, key: string): Promise<void> {
      await ex.execute(sql`delete from rate_limits where key = ${key}`);
    },
  };
}
export type RateLimitRepo = ReturnType<typeof createRateLimitRepo>;
