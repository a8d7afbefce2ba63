import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { RateLimitRepo } from './ratelimit.repo.js';

export interface Limit {
  /** e.g. `sms:ip:1.2.3.4` */
  key: string;
  max: number;
  windowMs: number;
}

export function createRateLimitService(deps: { db: Db; repo: RateLimitRepo; clock: Clock }) {
  const { db, repo, clock } = deps;
  return {
    /** Counts one hit and refuses (429, Retry-After) once the window's maximum is passed. */
    async consume(limit: Limit, code: 'RATE_LIMITED' | 'SMS_DAILY_LIMIT' = 'RATE_LIMITED'): Promise<void> {
      const now = clock.now();
      const { count, resetAt } = await repo.hit(db, limit.key, limit.windowMs, now);
      if (count > limit.max) {
        const retry = Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000));
        throw new AppError(code, { headers: { 'retry-after': String(retry) } });
      }
    },
    /** Refuses without counting: for limits counted only on failure (wrong passwords per IP). */
    async check(limit: Limit): Promise<void> {
      const count = await repo.peek(db, limit.key, limit.windowMs, clock.now());
      if (count >= limit.max) throw new AppError('RATE_LIMITED');
    },
    async count(limit: Limit): Promise<void> {
      await repo.hit(db, limit.key, limit.windowMs, clock.now());
    },
  };
}
export type RateLimitService = ReturnType<typeof createRateLimitService>;
