import { and, count, desc, eq, ilike, lt, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { accounts, enrollments, makeupRequests, orderMembers, orders, trainingPlans } from '../../db/schema/index.js';
import { escapeLike } from '../../lib/like.js';

export type MakeupRow = typeof makeupRequests.$inferSelect;

export interface AdminMakeupFilter {
  status?: string;
  year?: number;
  name?: string;
  /** Pending and past due at this instant. */
  overdueAt?: Date;
}

const first = <T>(rows: T[]): T | undefined => rows[0];

function adminWhere(f: AdminMakeupFilter): SQL | undefined {
  return and(
    f.status ? eq(makeupRequests.status, f.status) : undefined,
    f.year ? eq(makeupRequests.year, f.year) : undefined,
    f.name ? ilike(accounts.realName, `%${escapeLike(f.name)}%`) : undefined,
    f.overdueAt ? and(eq(makeupRequests.status, 'pending'), lt(makeupRequests.dueAt, f.overdueAt)) : undefined,
  );
}

/** 补学 requests, the past-year plans they unlock and the learner's makeup enrollments. */
export function createMakeupRepo() {
  const learner = {
    realName: accounts.realName,
    username: accounts.username,
    idNumberEnc: accounts.idNumberEnc,
    phoneEnc: accounts.phoneEnc,
  };
  return {
    insert: async (ex: Executor, row: typeof makeupRequests.$inferInsert) =>
      (await ex.insert(makeupRequests).values(row).returning())[0] as MakeupRow,
    byId: async (ex: Executor, id: string) =>
      first(await ex.select().from(makeupRequests).where(eq(makeupRequests.id, id))),
    forUpdate: async (ex: Executor, id: string) =>
      first(await ex.select().from(makeupRequests).where(eq(makeupRequests.id, id)).for('update')),
    update: async (ex: Executor, id: string, patch: Partial<typeof makeupRequests.$inferInsert>) =>
      (await ex.update(makeupRequests).set(patch).where(eq(makeupRequests.id, id)).returning())[0] as MakeupRow,
    mine: (ex: Executor, accountId: string) =>
      ex
        .select()
        .from(makeupRequests)
        .where(eq(makeupRequests.accountId, accountId))
        .orderBy(desc(makeupRequests.submittedAt), desc(makeupRequests.id)),
    /** One request with the learner's name and (encrypted) numbers, for the console. */
    adminById: async (ex: Executor, id: string) =>
      first(
        await ex
          .select({ request: makeupRequests, ...learner })
          .from(makeupRequests)
          .innerJoin(accounts, eq(accounts.id, makeupRequests.accountId))
          .where(eq(makeupRequests.id, id)),
      ),
    adminList: async (ex: Executor, f: AdminMakeupFilter, limit: number, offset: number) => {
      const w = adminWhere(f);
      const rows = await ex
        .select({ request: makeupRequests, ...learner })
        .from(makeupRequests)
        .innerJoin(accounts, eq(accounts.id, makeupRequests.accountId))
        .where(w)
        .orderBy(desc(makeupRequests.submittedAt), desc(makeupRequests.id))
        .limit(limit)
        .offset(offset);
      const total = await ex
        .select({ n: count() })
        .from(makeupRequests)
        .innerJoin(accounts, eq(accounts.id, makeupRequests.accountId))
        .where(w);
      return { rows, total: Number(total[0]?.n ?? 0) };
    },
    /** Serialises approvals of the same year, so the past-year plan is created once. */
    lockYear: async (ex: Executor, year: number) => {
      await ex.execute(sql`select pg_advisory_xact_lock(hashtext('makeup-plan'), ${year})`);
    },
    /** That year's plan: the oldest one with the year (a published one the centre made wins over ours). */
    planOfYear: async (ex: Executor, year: number) =>
      first(
        await ex
          .select()
          .from(trainingPlans)
          .where(eq(trainingPlans.year, year))
          .orderBy(desc(trainingPlans.published), trainingPlans.createdAt)
          .limit(1),
      ),
    /** The order's one member and the enrollment; either may already exist (a plan bought before): kept as is. */
    enrol: async (ex: Executor, input: { orderId: string; planId: string; accountId: string; at: Date }) => {
      await ex
        .insert(orderMembers)
        .values({ orderId: input.orderId, planId: input.planId, accountId: input.accountId, active: true })
        .onConflictDoNothing();
      await ex
        .insert(enrollments)
        .values({ accountId: input.accountId, planId: input.planId, orderId: input.orderId, enrolledAt: input.at })
        .onConflictDoNothing();
    },
    /** 已开通补学: the person's enrollments that came from a makeup order. */
    enrollmentsOf: (ex: Executor, accountId: string) =>
      ex
        .select({
          year: trainingPlans.year,
          planId: trainingPlans.id,
          planName: trainingPlans.name,
          orderNo: orders.orderNo,
          enrolledAt: enrollments.enrolledAt,
        })
        .from(enrollments)
        .innerJoin(orders, eq(orders.id, enrollments.orderId))
        .innerJoin(trainingPlans, eq(trainingPlans.id, enrollments.planId))
        .where(and(eq(enrollments.accountId, accountId), eq(orders.kind, 'makeup')))
        .orderBy(desc(trainingPlans.year)),
  };
}
export type MakeupRepo = ReturnType<typeof createMakeupRepo>;
