import { and, desc, eq, isNull, lt } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { smsCodes } from '../../db/schema/index.js';

export function createSmsRepo() {
  return {
    async latest(ex: Executor, phoneHash: string, purpose: string) {
      const rows = await ex
        .select()
        .from(smsCodes)
        .where(and(eq(smsCodes.phoneHash, phoneHash), eq(smsCodes.purpose, purpose)))
        .orderBy(desc(smsCodes.createdAt))
        .limit(1);
      return rows[0];
    },
    /** A new code replaces the earlier ones of the same phone and purpose. */
    async supersede(ex: Executor, phoneHash: string, purpose: string, now: Date) {
      await ex
        .update(smsCodes)
        .set({ usedAt: now })
        .where(and(eq(smsCodes.phoneHash, phoneHash), eq(smsCodes.purpose, purpose), isNull(smsCodes.usedAt)));
    },
    async insert(ex: Executor, row: typeof smsCodes.$inferInsert) {
      await ex.insert(smsCodes).values(row);
    },
    async setAttempts(ex: Executor, id: string, attempts: number, usedAt: Date | null) {
      await ex.update(smsCodes).set({ attempts, usedAt }).where(eq(smsCodes.id, id));
    },
    async remove(ex: Executor, id: string) {
      await ex.delete(smsCodes).where(eq(smsCodes.id, id));
    },
    async purgeExpired(ex: Executor, before: Date) {
      await ex.delete(smsCodes).where(lt(smsCodes.expiresAt, before));
    },
  };
}
export type SmsRepo = ReturnType<typeof createSmsRepo>;
