import type { TApplicationReviewQuery } from '@cpe/shared';
import { platformDayStart } from '@cpe/shared/platform-zone';
import { and, asc, count, desc, eq, gte, ilike, isNotNull, isNull, like, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { applicationBatches, applicationEvents, applicationSequences, applications } from '../../db/schema/index.js';
import { escapeLike } from '../../lib/like.js';

export type ApplicationRow = typeof applications.$inferSelect;
export type ApplicationEventRow = typeof applicationEvents.$inferSelect;
export type BatchRow = typeof applicationBatches.$inferSelect;

type ReviewFilter = Omit<TApplicationReviewQuery, 'page' | 'pageSize' | 'sort'>;

/**
 * `scopeNode`: a 主管部门 or 区县人社局 sees the applications whose chain names it (null: 市人社局, everything).
 * `withStatus`: false for the tab counts, which are counted within every other filter.
 */
/** A filer's applications: a unit's, or a 区县人社局's (its organisation node). */
const filerIs = (f: { unitId?: string | null; orgNodeId?: string | null }) =>
  f.unitId ? eq(applications.unitId, f.unitId) : eq(applications.orgNodeId, f.orgNodeId as string);

function reviewWhere(q: ReviewFilter, withStatus: boolean, scopeNode: string | null) {
  const w: SQL[] = [eq(applications.type, q.type), sql`${applications.status} <> 'draft'`];
  if (scopeNode) w.push(sql`${applications.reviewNodes} @> array[${scopeNode}]::uuid[]`);
  if (q.year) w.push(eq(applications.year, q.year));
  if (withStatus && q.status) w.push(eq(applications.status, q.status));
  if (withStatus && q.stage) w.push(eq(applications.stage, q.stage));
  if (q.filerName) w.push(ilike(applications.filerName, `%${escapeLike(q.filerName)}%`));
  if (q.area) w.push(like(applications.filerArea, `${q.area}%`));
  if (q.submittedFrom) w.push(gte(applications.submittedAt, platformDayStart(q.submittedFrom)));
  if (q.submittedTo) w.push(lt(applications.submittedAt, platformDayStart(q.submittedTo, 1)));
  if (q.keyword) {
    const k = escapeLike(q.keyword);
    w.push(or(ilike(applications.projectName, `%${k}%`), like(applications.number, `%${k}%`)) as SQL);
  }
  return and(...w);
}

const SORTS = {
  '-submittedAt': [desc(applications.submittedAt), desc(applications.id)],
  submittedAt: [asc(applications.submittedAt), asc(applications.id)],
  number: [asc(applications.number)],
  '-number': [desc(applications.number)],
  '-subsidyFen': [sql`${applications.subsidyFen} desc nulls last`, desc(applications.id)],
} as const;

export function createApplicationsRepo() {
  return {
    // ---- batches ----
    async batches(ex: Executor, type?: string) {
      return ex
        .select()
        .from(applicationBatches)
        .where(type ? eq(applicationBatches.type, type) : undefined)
        .orderBy(desc(applicationBatches.year));
    },
    async batchById(ex: Executor, id: string) {
      return (await ex.select().from(applicationBatches).where(eq(applicationBatches.id, id)))[0];
    },
    async insertBatch(ex: Executor, row: typeof applicationBatches.$inferInsert) {
      return (await ex.insert(applicationBatches).values(row).returning())[0] as BatchRow;
    },
    async updateBatch(ex: Executor, id: string, patch: Partial<typeof applicationBatches.$inferInsert>) {
      return (
        await ex
          .update(applicationBatches)
          .set({ ...patch, updatedAt: new Date() })
          .where(eq(applicationBatches.id, id))
          .returning()
      )[0];
    },

    /**
     * The next `count` numbers of a sequence (the first is returned; the block is consecutive). The row stays
     * locked until the caller's transaction ends, so numbers are consecutive across callers too.
     */
    async nextSequence(ex: Executor, typeCode: string, year: number, count = 1): Promise<number> {
      const rows = await ex
        .insert(applicationSequences)
        .values({ typeCode, year, last: count })
        .onConflictDoUpdate({
          target: [applicationSequences.typeCode, applicationSequences.year],
          set: { last: sql`${applicationSequences.last} + ${count}` },
        })
        .returning({ last: applicationSequences.last });
      return (rows[0]?.last as number) - count + 1;
    },

    // ---- applications ----
    async insert(ex: Executor, row: typeof applications.$inferInsert) {
      return (await ex.insert(applications).values(row).returning())[0] as ApplicationRow;
    },
    async update(ex: Executor, id: string, patch: Partial<typeof applications.$inferInsert>) {
      return (
        await ex
          .update(applications)
          .set({ ...patch, updatedAt: new Date() })
          .where(eq(applications.id, id))
          .returning()
      )[0] as ApplicationRow;
    },
    /** Everything filed under an application (开班方案 under a 申报; 计划变化 and 结业 under a 开班方案). */
    async children(ex: Executor, parentId: string) {
      return ex
        .select()
        .from(applications)
        .where(eq(applications.parentId, parentId))
        .orderBy(asc(applications.createdAt));
    },
    /** A filer's approved applications of a type, newest first (the parents a follow-up is filed under). */
    async approvedOfFiler(ex: Executor, f: { unitId?: string; orgNodeId?: string; type: string }) {
      return ex
        .select()
        .from(applications)
        .where(and(filerIs(f), eq(applications.type, f.type), eq(applications.status, 'approved')))
        .orderBy(desc(applications.decidedAt))
        .limit(200);
    },
    /** The filer's never-saved draft of this type, under this parent and in this batch (see `savedAt`). */
    async untouchedDraft(
      ex: Executor,
      f: {
        unitId: string | null;
        orgNodeId: string | null;
        type: string;
        parentId: string | null;
        batchId: string | null;
      },
    ) {
      const [row] = await ex
        .select()
        .from(applications)
        .where(
          and(
            filerIs(f),
            eq(applications.type, f.type),
            eq(applications.status, 'draft'),
            isNull(applications.savedAt),
            f.parentId ? eq(applications.parentId, f.parentId) : isNull(applications.parentId),
            f.batchId ? eq(applications.batchId, f.batchId) : isNull(applications.batchId),
          ),
        )
        .orderBy(desc(applications.createdAt))
        .limit(1);
      return row;
    },
    async remove(ex: Executor, id: string) {
      await ex.delete(applications).where(eq(applications.id, id));
    },
    async byId(ex: Executor, id: string) {
      return (await ex.select().from(applications).where(eq(applications.id, id)))[0];
    },
    async forUpdate(ex: Executor, id: string) {
      return (await ex.select().from(applications).where(eq(applications.id, id)).for('update'))[0];
    },

    /** A filer's own list: by unit or by 区县人社局 node, newest first. */
    async listOfFiler(
      ex: Executor,
      f: { unitId?: string; orgNodeId?: string; type: string; status?: string },
      page: number,
      pageSize: number,
    ) {
      const w = and(
        filerIs(f),
        eq(applications.type, f.type),
        f.status ? eq(applications.status, f.status) : undefined,
        // Never-saved drafts are not the filer's work yet (applications.service `untouched`).
        or(ne(applications.status, 'draft'), isNotNull(applications.savedAt)),
      );
      const rows = await ex
        .select()
        .from(applications)
        .where(w)
        .orderBy(desc(applications.createdAt), desc(applications.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      const total = await ex.select({ n: count() }).from(applications).where(w);
      return { rows, total: Number(total[0]?.n ?? 0) };
    },

    async reviewList(ex: Executor, q: TApplicationReviewQuery, scopeNode: string | null) {
      const rows = await ex
        .select()
        .from(applications)
        .where(reviewWhere(q, true, scopeNode))
        .orderBy(...SORTS[q.sort])
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize);
      // Counted by stage (待主管部门审核 / 待区县人社局审核 / 待市人社局审核 …), with 待审核 (pending) as their sum.
      const byStage = await ex
        .select({ stage: applications.stage, n: count() })
        .from(applications)
        .where(reviewWhere(q, false, scopeNode))
        .groupBy(applications.stage);
      const counts: Record<string, number> = {};
      for (const r of byStage) {
        const stage = r.stage as string;
        counts[stage] = Number(r.n);
        if (stage.startsWith('pending-')) counts.pending = (counts.pending ?? 0) + Number(r.n);
      }
      const all = Object.entries(counts)
        .filter(([k]) => k !== 'pending')
        .reduce((a, [, n]) => a + n, 0);
      const total = q.stage ? (counts[q.stage] ?? 0) : q.status ? (counts[q.status] ?? 0) : all;
      return { rows, counts, total };
    },
    async reviewAll(ex: Executor, q: TApplicationReviewQuery, limit: number, scopeNode: string | null) {
      return ex
        .select()
        .from(applications)
        .where(reviewWhere(q, true, scopeNode))
        .orderBy(...SORTS[q.sort])
        .limit(limit);
    },

    async stats(ex: Executor, f: { type: string; year: number; status?: string }, by: 'area' | 'unitType') {
      const key = by === 'area' ? applications.filerArea : applications.filerUnitType;
      return ex
        .select({
          key,
          n: count(),
          estimated: sql<string>`coalesce(sum(${applications.estimatedFen}), 0)`,
          subsidy: sql<string>`coalesce(sum(${applications.subsidyFen}), 0)`,
        })
        .from(applications)
        .where(
          and(
            eq(applications.type, f.type),
            eq(applications.year, f.year),
            // 全部已提交: what is (or was) before the reviewer; drafts and 已撤回 are not.
            f.status ? eq(applications.status, f.status) : sql`${applications.status} not in ('draft', 'withdrawn')`,
          ),
        )
        .groupBy(key)
        .orderBy(key);
    },

    // ---- events ----
    async insertEvent(ex: Executor, row: typeof applicationEvents.$inferInsert) {
      await ex.insert(applicationEvents).values(row);
    },
    async events(ex: Executor, applicationId: string) {
      return ex
        .select()
        .from(applicationEvents)
        .where(eq(applicationEvents.applicationId, applicationId))
        .orderBy(asc(applicationEvents.at), asc(applicationEvents.round));
    },
  };
}
export type ApplicationsRepo = ReturnType<typeof createApplicationsRepo>;
