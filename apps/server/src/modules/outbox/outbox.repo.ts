import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { devOutbox } from '../../db/schema/index.js';

export type OutboxKind = 'sms' | 'image-captcha' | 'slider-captcha' | 'email';

export function createOutboxRepo() {
  return {
    async add(ex: Executor, item: { kind: OutboxKind; to: string; purpose?: string | null; code: string }) {
      await ex
        .insert(devOutbox)
        .values({ kind: item.kind, to: item.to, purpose: item.purpose ?? null, code: item.code });
    },
    async list(ex: Executor, filter: { kind?: string; to?: string }, limit = 50) {
      const where: SQL[] = [];
      if (filter.kind) where.push(eq(devOutbox.kind, filter.kind));
      if (filter.to) where.push(eq(devOutbox.to, filter.to));
      return ex
        .select()
        .from(devOutbox)
        .where(where.length ? and(...where) : undefined)
        .orderBy(desc(devOutbox.id))
        .limit(limit);
    },
  };
}
export type OutboxRepo = ReturnType<typeof createOutboxRepo>;

/** Demo mode writes codes here; outside demo mode nothing is written (and the route does not exist). */
export interface Outbox {
  record(item: { kind: OutboxKind; to: string; purpose?: string | null; code: string }, ex?: Executor): Promise<void>;
}
