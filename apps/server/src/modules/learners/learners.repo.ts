import { and, asc, count, desc, eq, ilike, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import type { IdDocumentHash } from '../../db/id-documents.js';
import {
  accounts,
  certificates,
  chapterProgress,
  enrollmentProgress,
  enrollments,
  orderMembers,
  orders,
  studySessions,
  trainingPlans,
} from '../../db/schema/index.js';
import { escapeLike } from '../../lib/like.js';

export type LearnerSort = 'createdAt:desc' | 'createdAt:asc' | 'realName:asc';

/**
 * How a search is asked: exact keyed hashes for a full document number (with its type) or phone, otherwise a name or
 * username text; a document number that could also begin a username (old 永居证) asks for both.
 */
export type LearnerFilter =
  | { idDocument: IdDocumentHash; orUsername?: string }
  | { phoneHash: string }
  | { text: string }
  | Record<string, never>;

function where(f: LearnerFilter): SQL | undefined {
  if ('idDocument' in f) {
    const byDocument = and(eq(accounts.idType, f.idDocument.idType), eq(accounts.idNumberHash, f.idDocument.hash));
    return f.orUsername ? or(byDocument, ilike(accounts.username, `${escapeLike(f.orUsername)}%`)) : byDocument;
  }
  if ('phoneHash' in f) return eq(accounts.phoneHash, f.phoneHash);
  if ('text' in f) {
    const t = escapeLike(f.text);
    return or(ilike(accounts.realName, `%${t}%`), ilike(accounts.username, `${t}%`));
  }
  return undefined;
}

const ORDER_BY: Record<LearnerSort, SQL[]> = {
  'createdAt:desc': [desc(accounts.createdAt), desc(accounts.id)],
  'createdAt:asc': [asc(accounts.createdAt), asc(accounts.id)],
  'realName:asc': [asc(accounts.realName), asc(accounts.id)],
};

/**
 * Orders a person bought or is listed in (团体购买), counted once each, and their enrolments. Written out in SQL
 * with the outer row named explicitly: inside a subquery Drizzle would print the columns unqualified.
 */
const orderCountOf = sql<number>`(
  select count(*) from (
    select o.id from orders o where o.buyer_account_id = "accounts"."id"
    union
    select m.order_id from order_members m where m.account_id = "accounts"."id"
  ) as x)`.mapWith(Number);
const enrollmentCountOf = sql<number>`(
  select count(*) from enrollments e where e.account_id = "accounts"."id")`.mapWith(Number);

/**
 * 学员管理 reads: accounts with their orders, enrolments, study progress and certificates. The study tables are
 * read (and, for a refund, cleared) here directly: the learning module keeps them, this module only looks.
 */
export function createLearnersRepo() {
  return {
    async search(ex: Executor, f: LearnerFilter, sort: LearnerSort, limit: number, offset: number) {
      const w = where(f);
      const rows = await ex
        .select({ account: accounts, orderCount: orderCountOf, enrollmentCount: enrollmentCountOf })
        .from(accounts)
        .where(w)
        .orderBy(...ORDER_BY[sort])
        .limit(limit)
        .offset(offset);
      const total = await ex.select({ n: count() }).from(accounts).where(w);
      return { rows, total: Number(total[0]?.n ?? 0) };
    },

    async byId(ex: Executor, id: string) {
      return (
        await ex
          .select({ account: accounts, orderCount: orderCountOf, enrollmentCount: enrollmentCountOf })
          .from(accounts)
          .where(eq(accounts.id, id))
      )[0];
    },

    /** The person's orders as buyer and as a listed member, newest first. */
    async ordersOf(ex: Executor, accountId: string) {
      const memberOf = ex
        .select({ id: orderMembers.orderId })
        .from(orderMembers)
        .where(eq(orderMembers.accountId, accountId));
      return ex
        .select({ order: orders, planName: trainingPlans.name })
        .from(orders)
        .innerJoin(trainingPlans, eq(trainingPlans.id, orders.planId))
        .where(or(eq(orders.buyerAccountId, accountId), inArray(orders.id, memberOf)))
        .orderBy(desc(orders.createdAt), desc(orders.id))
        .limit(200);
    },

    async enrollmentsOf(ex: Executor, accountId: string) {
      return ex
        .select({
          enrollment: enrollments,
          planName: trainingPlans.name,
          year: trainingPlans.year,
          requiredHours: trainingPlans.requiredHours,
          orderNo: orders.orderNo,
          creditedHours: enrollmentProgress.creditedHours,
          completedAt: enrollmentProgress.completedAt,
        })
        .from(enrollments)
        .innerJoin(trainingPlans, eq(trainingPlans.id, enrollments.planId))
        .leftJoin(orders, eq(orders.id, enrollments.orderId))
        .leftJoin(enrollmentProgress, eq(enrollmentProgress.enrollmentId, enrollments.id))
        .where(eq(enrollments.accountId, accountId))
        .orderBy(desc(trainingPlans.year), desc(enrollments.enrolledAt));
    },

    certificatesOf: (ex: Executor, accountId: string) =>
      ex.select().from(certificates).where(eq(certificates.accountId, accountId)).orderBy(desc(certificates.issuedAt)),

    // ---- for a refund (in its transaction) ----

    /** The order's enrolments, locked, with whether study finished or a certificate exists for any of them. */
    async enrollmentsOfOrderForUpdate(ex: Executor, orderId: string) {
      const rows = await ex.select().from(enrollments).where(eq(enrollments.orderId, orderId)).for('update');
      const ids = rows.map((r) => r.id);
      if (ids.length === 0) return { ids, certificates: 0, completed: 0 };
      const [certs] = await ex.select({ n: count() }).from(certificates).where(inArray(certificates.enrollmentId, ids));
      const [done] = await ex
        .select({ n: count() })
        .from(enrollmentProgress)
        .where(
          and(
            inArray(enrollmentProgress.enrollmentId, ids),
            or(sql`${enrollmentProgress.completedAt} is not null`, eq(enrollmentProgress.certificateQueued, true)),
          ),
        );
      return { ids, certificates: Number(certs?.n ?? 0), completed: Number(done?.n ?? 0) };
    },

    /** Removes enrolments with their progress; open study sessions on them end (a heartbeat then finds nothing). */
    async removeEnrollments(ex: Executor, ids: string[], at: Date) {
      if (ids.length === 0) return 0;
      await ex
        .update(studySessions)
        .set({ endedAt: at, endReason: 'closed' })
        .where(and(inArray(studySessions.enrollmentId, ids), isNull(studySessions.endedAt)));
      await ex.delete(chapterProgress).where(inArray(chapterProgress.enrollmentId, ids));
      await ex.delete(enrollmentProgress).where(inArray(enrollmentProgress.enrollmentId, ids));
      const removed = await ex
        .delete(enrollments)
        .where(inArray(enrollments.id, ids))
        .returning({ id: enrollments.id });
      return removed.length;
    },
  };
}
export type LearnersRepo = ReturnType<typeof createLearnersRepo>;
