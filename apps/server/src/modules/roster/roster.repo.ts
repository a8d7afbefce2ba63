import { and, asc, count, desc, eq, gt, gte, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { holdsIdDocument, type IdDocumentHash } from '../../db/id-documents.js';
import { accounts, rosterImports, rosterRows } from '../../db/schema/index.js';

export type RosterImportRow = typeof rosterImports.$inferSelect;
export type RosterRowRow = typeof rosterRows.$inferSelect;
export type NewRosterRow = Omit<typeof rosterRows.$inferInsert, 'importId'>;

/** Rows per INSERT statement: 10,000 rows × 12 parameters would pass PostgreSQL's 65,535-parameter limit. */
const INSERT_CHUNK = 1_000;

/**
 * 学员注册名单 storage. Creating the accounts is the point of the module, so this repo also inserts into
 * `accounts` (with the same unique indexes registration relies on) and reads the usernames it shows.
 */
export function createRosterRepo() {
  return {
    async insertImport(ex: Executor, row: typeof rosterImports.$inferInsert) {
      return (await ex.insert(rosterImports).values(row).returning())[0] as RosterImportRow;
    },
    async insertRows(ex: Executor, importId: string, rows: NewRosterRow[]) {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK)
        await ex.insert(rosterRows).values(rows.slice(i, i + INSERT_CHUNK).map((r) => ({ ...r, importId })));
    },
    async importById(ex: Executor, id: string) {
      return (await ex.select().from(rosterImports).where(eq(rosterImports.id, id)))[0];
    },
    /** `attention`: only imports with rows that failed since `since`, or stuck in importing since `stalledBefore`. */
    async listImports(
      ex: Executor,
      uploader: { type: string; id: string } | null,
      page: { limit: number; offset: number },
      attention?: { since: Date; stalledBefore: Date },
    ) {
      const where = and(
        uploader
          ? and(eq(rosterImports.uploaderType, uploader.type), eq(rosterImports.uploaderId, uploader.id))
          : undefined,
        attention
          ? or(
              and(gt(rosterImports.invalid, 0), gte(rosterImports.createdAt, attention.since)),
              and(eq(rosterImports.status, 'importing'), lt(rosterImports.updatedAt, attention.stalledBefore)),
            )
          : undefined,
      );
      const [items, [total]] = await Promise.all([
        ex
          .select()
          .from(rosterImports)
          .where(where)
          .orderBy(desc(rosterImports.createdAt))
          .limit(page.limit)
          .offset(page.offset),
        ex.select({ n: count() }).from(rosterImports).where(where),
      ]);
      return { items, total: total?.n ?? 0 };
    },
    /** Moves the import from one state to another; false when it was not in `from` (a concurrent request won). */
    async transition(ex: Executor, id: string, from: string, to: string) {
      const done = await ex
        .update(rosterImports)
        .set({ status: to, updatedAt: new Date() })
        .where(and(eq(rosterImports.id, id), eq(rosterImports.status, from)))
        .returning({ id: rosterImports.id });
      return done.length === 1;
    },
    async setNotifyEmail(ex: Executor, id: string, enc: string) {
      await ex.update(rosterImports).set({ notifyEmailEnc: enc }).where(eq(rosterImports.id, id));
    },
    async addCounts(ex: Executor, id: string, created: number, existing: number) {
      await ex
        .update(rosterImports)
        .set({
          createdCount: sql`${rosterImports.createdCount} + ${created}`,
          existingCount: sql`${rosterImports.existingCount} + ${existing}`,
          updatedAt: new Date(),
        })
        .where(eq(rosterImports.id, id));
    },
    async rowsPage(
      ex: Executor,
      importId: string,
      status: string | undefined,
      page: { limit: number; offset: number },
    ) {
      const where = and(eq(rosterRows.importId, importId), status ? eq(rosterRows.status, status) : undefined);
      const [items, [total]] = await Promise.all([
        ex
          .select({ row: rosterRows, username: accounts.username })
          .from(rosterRows)
          .leftJoin(accounts, eq(accounts.id, rosterRows.accountId))
          .where(where)
          .orderBy(asc(rosterRows.line))
          .limit(page.limit)
          .offset(page.offset),
        ex.select({ n: count() }).from(rosterRows).where(where),
      ]);
      return { items, total: total?.n ?? 0 };
    },
    async allRows(ex: Executor, importId: string) {
      return ex
        .select({ row: rosterRows, username: accounts.username })
        .from(rosterRows)
        .leftJoin(accounts, eq(accounts.id, rosterRows.accountId))
        .where(eq(rosterRows.importId, importId))
        .orderBy(asc(rosterRows.line));
    },
    /** Whether the import still has a row in this status (the 未通过 ones are deleted when their retention ends). */
    async hasRows(ex: Executor, importId: string, status: string) {
      const found = await ex
        .select({ id: rosterRows.id })
        .from(rosterRows)
        .where(and(eq(rosterRows.importId, importId), eq(rosterRows.status, status)))
        .limit(1);
      return found.length > 0;
    },
    /**
     * Deletes up to `limit` 未通过 rows of imports uploaded before `before`; returns how many. Rows another
     * transaction is deleting are skipped rather than waited for, so two instances share the work.
     */
    async deleteInvalidRowsBefore(ex: Executor, before: Date, limit: number) {
      const res = await ex.execute<{ n: number }>(sql`
        with gone as (
          delete from roster_rows where id in (
            select r.id from roster_rows r
            join roster_imports i on i.id = r.import_id
            where i.created_at < ${before.toISOString()}::timestamptz and i.invalid > 0 and r.status = 'invalid'
            limit ${limit}
            for update of r skip locked
          )
          returning 1
        )
        select count(*)::int as n from gone`);
      return Number(res.rows[0]?.n ?? 0);
    },
    /**
     * Marks the uploads still waiting for 确认导入 that were made before `before` as expired; returns how many. A plain
     * conditional update: 确认导入 moves the same row validated → importing, so whichever commits first wins and the
     * other changes nothing; a second instance doing the same finds nothing left.
     */
    async expireValidatedBefore(ex: Executor, before: Date, now: Date) {
      const done = await ex
        .update(rosterImports)
        .set({ status: 'expired', updatedAt: now })
        .where(and(eq(rosterImports.status, 'validated'), lt(rosterImports.createdAt, before)))
        .returning({ id: rosterImports.id });
      return done.length;
    },
    /**
     * Deletes up to `limit` rows still waiting for an account (`valid`) of expired uploads; returns how many. Such
     * an upload is never imported, so nothing reads them again; rows another transaction is deleting are skipped.
     */
    async deletePendingRowsOfExpired(ex: Executor, limit: number) {
      const res = await ex.execute<{ n: number }>(sql`
        with gone as (
          delete from roster_rows where id in (
            select r.id from roster_rows r
            join roster_imports i on i.id = r.import_id
            where i.status = 'expired' and r.status = 'valid'
            limit ${limit}
            for update of r skip locked
          )
          returning 1
        )
        select count(*)::int as n from gone`);
      return Number(res.rows[0]?.n ?? 0);
    },
    /** The next rows still waiting for an account, in file order. */
    async pendingRows(ex: Executor, importId: string, limit: number) {
      return ex
        .select()
        .from(rosterRows)
        .where(and(eq(rosterRows.importId, importId), eq(rosterRows.status, 'valid')))
        .orderBy(asc(rosterRows.line))
        .limit(limit);
    },
    /**
     * Accounts holding these documents, of whatever 证件类型 (any status: a document is registered once, whatever
     * its state).
     */
    async accountsByIdDocuments(ex: Executor, docs: readonly IdDocumentHash[]) {
      if (docs.length === 0) return [];
      return ex
        .select({ id: accounts.id, idType: accounts.idType, hash: accounts.idNumberHash, username: accounts.username })
        .from(accounts)
        .where(holdsIdDocument(docs));
    },
    /** Phone hashes among these that an active account already uses (accounts_phone_active_uq). */
    async boundPhoneHashes(ex: Executor, hashes: string[]) {
      if (hashes.length === 0) return new Set<string>();
      const rows = await ex
        .select({ hash: accounts.phoneHash })
        .from(accounts)
        .where(and(eq(accounts.status, 'active'), sql`${accounts.phoneHash} = any(${sql.param(hashes)}::text[])`));
      return new Set(rows.map((r) => r.hash as string));
    },
    /**
     * Inserts the accounts; an ID number registered meanwhile (by its owner, or by another import) is skipped by
     * the unique index rather than failing the batch. Returns the documents (type and hash) actually inserted.
     */
    async insertAccountsIgnoringExisting(ex: Executor, rows: Array<typeof accounts.$inferInsert>) {
      if (rows.length === 0) return [];
      return ex
        .insert(accounts)
        .values(rows)
        .onConflictDoNothing({ target: [accounts.idType, accounts.idNumberHash] })
        .returning({ id: accounts.id, idType: accounts.idType, hash: accounts.idNumberHash });
    },
    /**
     * One statement for a whole batch of row outcomes; only rows still `valid` change, so a second worker on
     * the same rows counts nothing twice. Returns how many became created and existing.
     */
    async settleRows(
      ex: Executor,
      outcomes: Array<{ id: string; status: 'created' | 'existing'; accountId: string; reason: string | null }>,
    ) {
      const res = await ex.execute<{ status: string }>(sql`
        update roster_rows r
        set status = v.status, account_id = v.account_id, reason = v.reason
        from unnest(
          ${sql.param(outcomes.map((o) => o.id))}::uuid[],
          ${sql.param(outcomes.map((o) => o.status))}::text[],
          ${sql.param(outcomes.map((o) => o.accountId))}::uuid[],
          ${sql.param(outcomes.map((o) => o.reason))}::text[]
        ) as v(id, status, account_id, reason)
        where r.id = v.id and r.status = 'valid'
        returning r.status`);
      const created = res.rows.filter((r) => r.status === 'created').length;
      return { created, existing: res.rows.length - created };
    },
  };
}
export type RosterRepo = ReturnType<typeof createRosterRepo>;
