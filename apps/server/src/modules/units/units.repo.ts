import type { TReviewListQuery } from '@cpe/shared';
import { platformDayStart } from '@cpe/shared/platform-zone';
import { and, asc, desc, eq, gte, ilike, inArray, like, lt, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.js';
import { unitApplicationEvents, unitApplications, units, unitVersions } from '../../db/schema/index.js';
import { escapeLike } from '../../lib/like.js';

export type UnitRow = typeof units.$inferSelect;
export type UnitApplicationRow = typeof unitApplications.$inferSelect;
export type UnitApplicationEventRow = typeof unitApplicationEvents.$inferSelect;

const OPEN = ['draft', 'pending', 'rejected'];

/**
 * 包含 search: the GIN index on two-character pieces narrows the rows, ILIKE confirms the whole text.
 * A single character has no piece to look up and falls back to ILIKE alone.
 */
function contains(column: AnyPgColumn, grams: AnyPgColumn, text: string): SQL {
  const match = ilike(column, `%${escapeLike(text)}%`);
  return text.length >= 2 ? (and(sql`${grams} @> cpe_bigrams(${text})`, match) as SQL) : match;
}

export const COUNT_CAP = 10_000;

/** Whether anything beyond the scope and the status tab narrows the list. */
function hasSearch(f: ListFilter): boolean {
  return Boolean(
    f.applicantName || f.phoneHash || f.unitName || f.uscc || f.area || f.unitType || f.submittedFrom || f.submittedTo,
  );
}

export interface ListFilter extends Omit<TReviewListQuery, 'phone'> {
  /** null: every node (市人社局); otherwise only applications addressed to this node. */
  reviewerNodeId: string | null;
  phoneHash?: string;
}

function filterWhere(f: ListFilter, withStatus: boolean): SQL | undefined {
  const w: SQL[] = [sql`${unitApplications.status} <> 'draft'`];
  if (f.reviewerNodeId) w.push(eq(unitApplications.reviewerNodeId, f.reviewerNodeId));
  if (withStatus && f.status) w.push(eq(unitApplications.status, f.status));
  if (f.applicantName)
    w.push(contains(unitApplications.applicantName, unitApplications.applicantNameGrams, f.applicantName));
  if (f.phoneHash) w.push(eq(unitApplications.applicantPhoneHash, f.phoneHash));
  if (f.unitName) w.push(contains(unitApplications.unitName, unitApplications.unitNameGrams, f.unitName));
  if (f.uscc) w.push(like(unitApplications.uscc, `${escapeLike(f.uscc.toUpperCase())}%`));
  if (f.area) w.push(like(unitApplications.locatedArea, `${f.area}%`));
  if (f.unitType) w.push(eq(unitApplications.unitType, f.unitType));
  // Dates are China days: [from 00:00, to+1 00:00) in UTC+8.
  if (f.submittedFrom) w.push(gte(unitApplications.submittedAt, platformDayStart(f.submittedFrom)));
  if (f.submittedTo) w.push(lt(unitApplications.submittedAt, platformDayStart(f.submittedTo, 1)));
  return and(...w);
}

export function createUnitsRepo() {
  return {
    // ---- applications ----
    async insertApplication(ex: Executor, row: typeof unitApplications.$inferInsert) {
      return (await ex.insert(unitApplications).values(row).returning())[0] as UnitApplicationRow;
    },
    async updateApplication(ex: Executor, id: string, patch: Partial<typeof unitApplications.$inferInsert>) {
      return (
        await ex
          .update(unitApplications)
          .set({ ...patch, updatedAt: new Date() })
          .where(eq(unitApplications.id, id))
          .returning()
      )[0] as UnitApplicationRow;
    },
    async applicationById(ex: Executor, id: string) {
      return (await ex.select().from(unitApplications).where(eq(unitApplications.id, id)))[0];
    },
    async applicationForUpdate(ex: Executor, id: string) {
      return (await ex.select().from(unitApplications).where(eq(unitApplications.id, id)).for('update'))[0];
    },
    async openApplicationOf(ex: Executor, accountId: string) {
      return (
        await ex
          .select()
          .from(unitApplications)
          .where(and(eq(unitApplications.applicantAccountId, accountId), inArray(unitApplications.status, OPEN)))
      )[0];
    },
    async latestApplicationOf(ex: Executor, accountId: string) {
      return (
        await ex
          .select()
          .from(unitApplications)
          .where(eq(unitApplications.applicantAccountId, accountId))
          .orderBy(desc(unitApplications.updatedAt))
          .limit(1)
      )[0];
    },
    async deleteDraft(ex: Executor, id: string) {
      await ex.delete(unitApplications).where(and(eq(unitApplications.id, id), eq(unitApplications.status, 'draft')));
    },
    async openRegistrationByCode(ex: Executor, uscc: string, name: string) {
      return (
        await ex
          .select()
          .from(unitApplications)
          .where(
            and(
              eq(unitApplications.kind, 'register'),
              inArray(unitApplications.status, ['pending', 'rejected']),
              sql`(${unitApplications.uscc} = ${uscc} or lower(${unitApplications.unitName}) = lower(${name}))`,
            ),
          )
      )[0];
    },
    async openChangeOfUnit(ex: Executor, unitId: string) {
      return (
        await ex
          .select()
          .from(unitApplications)
          .where(and(eq(unitApplications.unitId, unitId), eq(unitApplications.status, 'pending')))
      )[0];
    },
    async list(ex: Executor, f: ListFilter) {
      const order = {
        submittedAt: asc(unitApplications.submittedAt),
        '-submittedAt': desc(unitApplications.submittedAt),
        unitName: asc(unitApplications.unitName),
        '-unitName': desc(unitApplications.unitName),
      }[f.sort];
      const rows = await ex
        .select()
        .from(unitApplications)
        .where(filterWhere(f, true))
        .orderBy(order, desc(unitApplications.id))
        .offset((f.page - 1) * f.pageSize)
        .limit(f.pageSize);
      const counts = { all: 0, pending: 0, rejected: 0, approved: 0 };
      let capped = false;
      const add = (status: string, n: number) => {
        if (status === 'draft') return;
        counts.all += n;
        if (status in counts) counts[status as 'pending' | 'rejected' | 'approved'] += n;
      };
      if (!hasSearch(f)) {
        // The tabs of an unfiltered list come from the counters kept by a trigger (migration 0006).
        const res = await ex.execute(sql`
          select status, sum(n)::int as n from unit_application_counts
          where ${f.reviewerNodeId ? sql`reviewer_node_id = ${f.reviewerNodeId}` : sql`true`}
          group by status`);
        for (const r of res.rows as Array<{ status: string; n: number }>) add(r.status, Number(r.n));
      } else {
        // A search counts at most COUNT_CAP matches; beyond that the tabs read "10000+".
        const res = await ex.execute(sql`
          select status, count(*)::int as n from (
            select ${unitApplications.status} as status from ${unitApplications} where ${filterWhere(f, false)} limit ${COUNT_CAP + 1}
          ) t group by status`);
        for (const r of res.rows as Array<{ status: string; n: number }>) add(r.status, Number(r.n));
        if (counts.all > COUNT_CAP) capped = true;
      }
      return { rows, counts, capped, total: f.status ? counts[f.status] : counts.all };
    },
    async listAll(ex: Executor, f: ListFilter, limit: number) {
      return ex
        .select()
        .from(unitApplications)
        .where(filterWhere(f, true))
        .orderBy(desc(unitApplications.submittedAt))
        .limit(limit);
    },
    async insertEvent(ex: Executor, row: typeof unitApplicationEvents.$inferInsert) {
      await ex.insert(unitApplicationEvents).values(row);
    },
    async events(ex: Executor, applicationId: string) {
      return ex
        .select()
        .from(unitApplicationEvents)
        .where(eq(unitApplicationEvents.applicationId, applicationId))
        .orderBy(asc(unitApplicationEvents.at), asc(unitApplicationEvents.round));
    },

    // ---- units ----
    async unitById(ex: Executor, id: string) {
      return (await ex.select().from(units).where(eq(units.id, id)))[0];
    },
    async unitByCodeOrName(ex: Executor, uscc: string | undefined, name: string | undefined) {
      const w: SQL[] = [];
      if (uscc) w.push(eq(units.uscc, uscc));
      if (name) w.push(sql`lower(${units.name}) = lower(${name})`);
      if (w.length === 0) return undefined;
      return (await ex.select().from(units).where(sql.join(w, sql` or `)))[0];
    },
    async unitOfAdmin(ex: Executor, accountId: string) {
      return (await ex.select().from(units).where(eq(units.adminAccountId, accountId)))[0];
    },
    async insertUnit(ex: Executor, row: typeof units.$inferInsert) {
      return (await ex.insert(units).values(row).returning())[0] as UnitRow;
    },
    async updateUnit(ex: Executor, id: string, patch: Partial<typeof units.$inferInsert>) {
      return (
        await ex
          .update(units)
          .set({ ...patch, updatedAt: new Date() })
          .where(eq(units.id, id))
          .returning()
      )[0] as UnitRow;
    },
    async insertVersion(ex: Executor, row: typeof unitVersions.$inferInsert) {
      await ex.insert(unitVersions).values(row);
    },
    async versions(ex: Executor, unitId: string) {
      return ex.select().from(unitVersions).where(eq(unitVersions.unitId, unitId)).orderBy(desc(unitVersions.version));
    },
  };
}
export type UnitsRepo = ReturnType<typeof createUnitsRepo>;
