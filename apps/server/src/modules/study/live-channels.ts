import crypto from 'node:crypto';
import { and, count, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { studyLiveChannels } from '../../db/schema/index.js';

/**
 * The live channels a learner has open, counted on every instance (issue 22): with instances behind a load
 * balancer a script could otherwise hold the cap's worth of sockets on each of them. A row per open socket in the
 * database; the instance holding it refreshes seen_at every `refreshMs` and deletes it on close. A row not seen for
 * three refreshes belongs to an instance that stopped without closing its sockets and no longer counts. Wall time,
 * not the application's clock: this is about processes being alive, which tests that move the clock do not change.
 */
export function createLiveChannels(deps: { db: Db; limit: number; refreshMs: number }) {
  const { db, limit, refreshMs } = deps;
  const instanceId = crypto.randomUUID();
  const staleBefore = () => new Date(Date.now() - 3 * refreshMs);

  return {
    /** Opens a channel for the learner: its id, or undefined when `limit` channels are open already. */
    async claim(accountId: string): Promise<string | undefined> {
      return db.transaction(async (tx) => {
        // One claim per learner at a time on every instance: two sockets opened at once cannot both see room.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`study-live:${accountId}`}))`);
        const [open] = await tx
          .select({ n: count() })
          .from(studyLiveChannels)
          .where(and(eq(studyLiveChannels.accountId, accountId), gt(studyLiveChannels.seenAt, staleBefore())));
        if ((open?.n ?? 0) >= limit) return undefined;
        const now = new Date();
        const [row] = await tx
          .insert(studyLiveChannels)
          .values({ accountId, instanceId, openedAt: now, seenAt: now })
          .returning({ id: studyLiveChannels.id });
        return row?.id;
      });
    },

    async release(id: string): Promise<void> {
      await db.delete(studyLiveChannels).where(eq(studyLiveChannels.id, id));
    },

    /** This instance's channels are still open; rows left stale by any instance are removed. */
    async refresh(): Promise<void> {
      await db
        .update(studyLiveChannels)
        .set({ seenAt: new Date() })
        .where(eq(studyLiveChannels.instanceId, instanceId));
      await db.delete(studyLiveChannels).where(lt(studyLiveChannels.seenAt, staleBefore()));
    },

    /** On shutdown: this instance's sockets are gone. */
    async releaseAll(): Promise<void> {
      await db.delete(studyLiveChannels).where(eq(studyLiveChannels.instanceId, instanceId));
    },
  };
}
export type LiveChannels = ReturnType<typeof createLiveChannels>;
