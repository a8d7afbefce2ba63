import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { accounts, creditEntries, creditEntryEvents, creditStandards, files, units } from '../../db/schema/index.js';
import { escapeLike } from '../../lib/like.js';
import type { CreditEntryRow } from './credits.repo.js';

export type CreditEventRow = typeof creditEntryEvents.$inferSelect;
export type NewCreditEventRow = typeof creditEntryEvents.$inferInsert;
export type CreditStandardRow = typeof creditStandards.$inferSelect;

/** Who looks at a queue: a unit's administrator (its 待单位确认), or a bureau (its 待认定; null node = every node). */
export type CreditQueueScope = { kind: 'unit'; unitId: string } | { kind: 'bureau'; nodeId: string | null };

/** The history actions that are a queue's decisions. */
const DECISIONS = {
  unit: ['unit-confirm', 'unit-return'],
  bureau: ['recognise', 'bureau-return'],
} as const;

/** 学时登记 (source claim), their history, and the 学时折算标准 they are computed by. */
export function createCreditClaimsRepo() {
  return {
    async insert(ex: Executor, row: typeof creditEntries.$inferInsert) {
      const [r] = await ex.insert(creditEntries).values(row).returning();
      return r as CreditEntryRow;
    },
    async byId(ex: Executor, id: string) {
      return (await ex.select().from(creditEntries).where(eq(creditEntries.id, id)))[0];
    },
    async forUpdate(ex: Executor, id: string) {
      return (await ex.select().from(creditEntries).where(eq(creditEntries.id, id)).for('update'))[0];
    },
    async update(ex: Executor, id: string, patch: Partial<typeof creditEntries.$inferInsert>) {
      const [r] = await ex.update(creditEntries).set(patch).where(eq(creditEntries.id, id)).returning();
      return r as CreditEntryRow;
    },
    async addEvents(ex: Executor, rows: NewCreditEventRow[]) {
      if (rows.length > 0) await ex.insert(creditEntryEvents).values(rows);
    },
    async eventsOf(ex: Executor, entryIds: string[]) {
      if (entryIds.length === 0) return [];
      return ex
        .select()
        .from(creditEntryEvents)
        .where(inArray(creditEntryEvents.entryId, entryIds))
        .orderBy(asc(creditEntryEvents.at), asc(creditEntryEvents.id));
    },
    async filesMeta(ex: Executor, ids: string[]) {
      if (ids.length === 0) return [];
      return ex
        .select({
          id: files.id,
          name: files.originalName,
          mime: files.mime,
          ownerAccountId: files.ownerAccountId,
          purpose: files.purpose,
        })
        .from(files)
        .where(inArray(files.id, ids));
    },
    /** 学时 of a form the person's claims already hold in a year (pending or recognised): the yearly cap counts them. */
    async usedByForm(ex: Executor, idHash: string, year: number, exceptId?: string) {
      const rows = await ex
        .select({ form: creditEntries.form, hours: sql<number>`coalesce(sum(${creditEntries.hours}), 0)::int` })
        .from(creditEntries)
        .where(
          and(
            eq(creditEntries.idHash, idHash),
            eq(creditEntries.year, year),
            eq(creditEntries.source, 'claim'),
            inArray(creditEntries.status, ['pending-unit', 'pending-bureau', 'confirmed']),
            exceptId ? sql`${creditEntries.id} <> ${exceptId}` : sql`true`,
          ),
        )
        .groupBy(creditEntries.form);
      return new Map(rows.map((r) => [r.form, Number(r.hours)]));
    },

    /** A queue page with the filer's name and unit, the filtered count, and the count still waiting. */
    async queue(
      ex: Executor,
      scope: CreditQueueScope,
      q: { status: 'pending' | 'done' | 'all'; keyword?: string; year?: number; page: number; pageSize: number },
    ) {
      const own =
        scope.kind === 'unit'
          ? eq(creditEntries.unitId, scope.unitId)
          : scope.nodeId === null
            ? sql`true`
            : eq(creditEntries.recognizerNodeId, scope.nodeId);
      const waiting = scope.kind === 'unit' ? 'pending-unit' : 'pending-bureau';
      // What this level has decided: the entry's history holds its decision (automatic feeds never reach a queue).
      const decidedBy = DECISIONS[scope.kind];
      const isWaiting = eq(creditEntries.status, waiting);
      const wasDecided = sql`exists (select 1 from credit_entry_events e where e.entry_id = ${creditEntries.id}
        and e.action in (${sql.join(
          decidedBy.map((a) => sql`${a}`),
          sql`, `,
        )}))`;
      const statusFilter =
        q.status === 'pending' ? isWaiting : q.status === 'done' ? wasDecided : sql`(${isWaiting} or ${wasDecided})`;
      const keyword = q.keyword
        ? sql`(${accounts.realName} ilike ${`%${escapeLike(q.keyword)}%`} or ${creditEntries.title} ilike ${`%${escapeLike(q.keyword)}%`})`
        : sql`true`;
      const year = q.year ? eq(creditEntries.year, q.year) : sql`true`;
      const where = and(own, statusFilter, keyword, year);
      const rows = await ex
        .select({
          entry: creditEntries,
          realName: accounts.realName,
          idNumberEnc: accounts.idNumberEnc,
          unitName: units.name,
        })
        .from(creditEntries)
        .leftJoin(accounts, eq(accounts.idNumberHash, creditEntries.idHash))
        .leftJoin(units, eq(units.id, creditEntries.unitId))
        .where(where)
        .orderBy(
          sql`case when ${creditEntries.status} = ${waiting} then 0 else 1 end`,
          sql`case when ${creditEntries.status} = ${waiting} then ${creditEntries.updatedAt} end asc`,
          sql`${creditEntries.updatedAt} desc`,
          asc(creditEntries.id),
        )
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize);
      const [count] = await ex
        .select({ n: sql<number>`count(*)::int` })
        .from(creditEntries)
        .leftJoin(accounts, eq(accounts.idNumberHash, creditEntries.idHash))
        .where(where);
      const [pending] = await ex
        .select({ n: sql<number>`count(*)::int` })
        .from(creditEntries)
        .where(and(own, isWaiting));
      return { rows, total: Number(count?.n ?? 0), pending: Number(pending?.n ?? 0) };
    },

    /** 待单位确认 of a unit: the 单位中心 menu's badge. */
    async unitPendingCount(ex: Executor, unitId: string) {
      const [r] = await ex
        .select({ n: sql<number>`count(*)::int` })
        .from(creditEntries)
        .where(and(eq(creditEntries.unitId, unitId), eq(creditEntries.status, 'pending-unit')));
      return Number(r?.n ?? 0);
    },
    async queueItem(ex: Executor, id: string) {
      return (
        await ex
          .select({
            entry: creditEntries,
            realName: accounts.realName,
            idNumberEnc: accounts.idNumberEnc,
            unitName: units.name,
          })
          .from(creditEntries)
          .leftJoin(accounts, eq(accounts.idNumberHash, creditEntries.idHash))
          .leftJoin(units, eq(units.id, creditEntries.unitId))
          .where(eq(creditEntries.id, id))
      )[0];
    },

    standards: {
      async list(ex: Executor, onlyActive: boolean) {
        return ex
          .select()
          .from(creditStandards)
          .where(onlyActive ? eq(creditStandards.active, true) : sql`true`)
          .orderBy(asc(creditStandards.sort), asc(creditStandards.form), asc(creditStandards.level));
      },
      async byId(ex: Executor, id: string) {
        return (await ex.select().from(creditStandards).where(eq(creditStandards.id, id)))[0];
      },
      async insert(ex: Executor, row: typeof creditStandards.$inferInsert) {
        const [r] = await ex.insert(creditStandards).values(row).returning();
        return r as CreditStandardRow;
      },
      async update(ex: Executor, id: string, patch: Partial<typeof creditStandards.$inferInsert>) {
        const [r] = await ex.update(creditStandards).set(patch).where(eq(creditStandards.id, id)).returning();
        return r;
      },
    },
  };
}
export type CreditClaimsRepo = ReturnType<typeof createCreditClaimsRepo>;
