import { and, eq, lt } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { qrLogins } from '../../db/schema/index.js';

export type QrLoginRow = typeof qrLogins.$inferSelect;

export function createQrLoginRepo() {
  return {
    async insert(ex: Executor, row: typeof qrLogins.$inferInsert) {
      return (await ex.insert(qrLogins).values(row).returning())[0] as QrLoginRow;
    },
    /** Plain reads: every change goes through `transition`, whose condition on the status is the lock. */
    async byPollHash(ex: Executor, hash: string) {
      return (await ex.select().from(qrLogins).where(eq(qrLogins.pollHash, hash)))[0];
    },
    async byScanHash(ex: Executor, hash: string) {
      return (await ex.select().from(qrLogins).where(eq(qrLogins.scanHash, hash)))[0];
    },
    /** Moves a row on only from the expected status; false when someone else moved it first. */
    async transition(ex: Executor, id: string, from: string, patch: Partial<typeof qrLogins.$inferInsert>) {
      const rows = await ex
        .update(qrLogins)
        .set(patch)
        .where(and(eq(qrLogins.id, id), eq(qrLogins.status, from)))
        .returning({ id: qrLogins.id });
      return rows.length === 1;
    },
    async deleteExpiredBefore(ex: Executor, before: Date) {
      const rows = await ex.delete(qrLogins).where(lt(qrLogins.expiresAt, before)).returning({ id: qrLogins.id });
      return rows.length;
    },
  };
}
export type QrLoginRepo = ReturnType<typeof createQrLoginRepo>;
