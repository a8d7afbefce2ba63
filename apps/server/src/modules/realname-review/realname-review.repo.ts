import { and, count, desc, eq, ilike, isNull, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { accounts, realnameReviews, staffAccounts } from '../../db/schema/index.js';
import { escapeLike } from '../../lib/like.js';

export type RealnameReviewRow = typeof realnameReviews.$inferSelect;

/** A review as staff list it: with the account's 用户账号, the decider's name and which submission it is. */
function items(ex: Executor) {
  const attempt = sql<number>`(select count(*)::int from ${realnameReviews} r2
    where r2.account_id = ${realnameReviews.accountId} and r2.submitted_at <= ${realnameReviews.submittedAt})`;
  return ex
    .select({ r: realnameReviews, username: accounts.username, decider: staffAccounts.displayName, attempt })
    .from(realnameReviews)
    .innerJoin(accounts, eq(accounts.id, realnameReviews.accountId))
    .leftJoin(staffAccounts, eq(staffAccounts.id, realnameReviews.decidedBy))
    .$dynamic();
}
export type RealnameReviewItemRow = Awaited<ReturnType<ReturnType<typeof items>['execute']>>[number];

export function createRealnameReviewRepo() {
  return {
    async insert(ex: Executor, row: typeof realnameReviews.$inferInsert) {
      return (await ex.insert(realnameReviews).values(row).returning())[0] as RealnameReviewRow;
    },
    async byId(ex: Executor, id: string) {
      return (await ex.select().from(realnameReviews).where(eq(realnameReviews.id, id)))[0];
    },
    async byIdForUpdate(ex: Executor, id: string) {
      return (await ex.select().from(realnameReviews).where(eq(realnameReviews.id, id)).for('update'))[0];
    },
    /** The account's latest review: what its 实名 status reads from while not verified. */
    async latestOf(ex: Executor, accountId: string) {
      return (
        await ex
          .select()
          .from(realnameReviews)
          .where(eq(realnameReviews.accountId, accountId))
          .orderBy(desc(realnameReviews.submittedAt))
          .limit(1)
      )[0];
    },
    /** A pending review of another account asking for the same document. */
    async pendingOfDocument(ex: Executor, idType: string, idNumberHash: string, exceptAccountId: string) {
      return (
        await ex
          .select({ id: realnameReviews.id })
          .from(realnameReviews)
          .where(
            and(
              eq(realnameReviews.status, 'pending'),
              eq(realnameReviews.idType, idType),
              eq(realnameReviews.idNumberHash, idNumberHash),
              ne(realnameReviews.accountId, exceptAccountId),
            ),
          )
          .limit(1)
      )[0];
    },
    async update(ex: Executor, id: string, patch: Partial<typeof realnameReviews.$inferInsert>) {
      await ex.update(realnameReviews).set(patch).where(eq(realnameReviews.id, id));
    },
    /** Newest first; `q` matches part of the submitted name. */
    async list(ex: Executor, opts: { status?: string; q?: string; offset: number; limit: number }) {
      const where = and(
        opts.status ? eq(realnameReviews.status, opts.status) : undefined,
        opts.q ? ilike(realnameReviews.realName, `%${escapeLike(opts.q)}%`) : undefined,
      );
      const [rows, total] = await Promise.all([
        items(ex)
          .where(where)
          .orderBy(desc(realnameReviews.submittedAt), desc(realnameReviews.id))
          .offset(opts.offset)
          .limit(opts.limit),
        ex.select({ n: count() }).from(realnameReviews).where(where),
      ]);
      return { rows, total: total[0]?.n ?? 0 };
    },
    async item(ex: Executor, id: string) {
      return (await items(ex).where(eq(realnameReviews.id, id)))[0];
    },
    /** Of these accounts, the ones whose 实名 is not verified. */
    async unverified(ex: Executor, accountIds: string[]): Promise<string[]> {
      if (accountIds.length === 0) return [];
      const rows = await ex
        .select({ id: accounts.id })
        .from(accounts)
        .where(and(sql`${accounts.id} = any(${sql.param(accountIds)}::uuid[])`, isNull(accounts.realNameVerifiedAt)));
      return rows.map((r) => r.id);
    },
  };
}
export type RealnameReviewRepo = ReturnType<typeof createRealnameReviewRepo>;
