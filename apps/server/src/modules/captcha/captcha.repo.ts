import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { captchas, sliderTokens } from '../../db/schema/index.js';

export function createCaptchaRepo() {
  return {
    async insert(ex: Executor, row: { id: string; kind: 'image' | 'slider'; answer: string; expiresAt: Date }) {
      await ex.insert(captchas).values(row);
    },
    /** Marks the captcha used in the same statement that reads it: two requests can never both use it. */
    async take(ex: Executor, id: string, kind: 'image' | 'slider', now: Date) {
      const rows = await ex
        .update(captchas)
        .set({ usedAt: now })
        .where(and(eq(captchas.id, id), eq(captchas.kind, kind), isNull(captchas.usedAt)))
        .returning();
      return rows[0];
    },
    async findForUpdate(ex: Executor, id: string, kind: 'image' | 'slider') {
      const rows = await ex
        .select()
        .from(captchas)
        .where(and(eq(captchas.id, id), eq(captchas.kind, kind)))
        .for('update');
      return rows[0];
    },
    async recordFailure(ex: Executor, id: string, failures: number, usedAt: Date | null) {
      await ex.update(captchas).set({ failures, usedAt }).where(eq(captchas.id, id));
    },
    async markUsed(ex: Executor, id: string, now: Date) {
      await ex.update(captchas).set({ usedAt: now }).where(eq(captchas.id, id));
    },
    async insertSliderToken(ex: Executor, id: string, expiresAt: Date) {
      await ex.insert(sliderTokens).values({ id, expiresAt });
    },
    async takeSliderToken(ex: Executor, id: string, now: Date) {
      const rows = await ex
        .update(sliderTokens)
        .set({ usedAt: now })
        .where(and(eq(sliderTokens.id, id), isNull(sliderTokens.usedAt), sql`${sliderTokens.expiresAt} > ${now}`))
        .returning();
      return rows[0];
    },
    async purgeExpired(ex: Executor, before: Date) {
      await ex.delete(captchas).where(lt(captchas.expiresAt, before));
      await ex.delete(sliderTokens).where(or(lt(sliderTokens.expiresAt, before)));
    },
  };
}
export type CaptchaRepo = ReturnType<typeof createCaptchaRepo>;
