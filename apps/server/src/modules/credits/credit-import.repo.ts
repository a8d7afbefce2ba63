import { and, asc, count, desc, eq, gte, isNotNull, lt, lte, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { holdsIdDocument, type IdDocumentHash } from '../../db/id-documents.js';
import { accounts, bases, creditImports, creditStandards, orgNodes, units } from '../../db/schema/index.js';

export type CreditImportRow = typeof creditImports.$inferSelect;

/** One line that passed, as it becomes a credit_entries row. */
export interface ImportLine {
  idHash: string;
  year: number;
  category: string;
  form: string;
  title: string;
  hours: number;
  sourceId: string;
  endedOn: string;
  /** The account holding the ID number, if the person has registered (the 认定 queue shows their name). */
  accountId: string | null;
}

/** What every line of one import shares. */
export interface ImportCommon {
  status: string;
  unitId: string | null;
  recognizerNodeId: string | null;
  host: string | null;
  /** For an entry that arrives 已认定: who decided it, and when. */
  actedBy: string | null;
  actedAt: Date | null;
  actorType: 'staff' | 'account';
  actorId: string;
  actorName: string;
  now: Date;
}

/** Lines per statement: each is a handful of array parameters, so this only bounds the work between yields. */
const CHUNK = 2_000;

/** 学时批量导入's storage: the entries and their history in bulk, the record of each import. */
export function createCreditImportRepo() {
  return {
    /**
     * Adds the lines as source 'import' entries and, for each entry actually added, its 'import' history row — one
     * statement per chunk (unnest → insert … on conflict do nothing → insert the events from what was returned).
     * A line whose (source, source_id) exists already adds nothing. Returns how many entries were added.
     */
    async addEntries(ex: Executor, lines: ImportLine[], c: ImportCommon): Promise<number> {
      let added = 0;
      for (let i = 0; i < lines.length; i += CHUNK) {
        const part = lines.slice(i, i + CHUNK);
        const res = await ex.execute<{ n: number }>(sql`
          with v as (
            select * from unnest(
              ${sql.param(part.map((l) => l.idHash))}::text[],
              ${sql.param(part.map((l) => l.year))}::int[],
              ${sql.param(part.map((l) => l.category))}::text[],
              ${sql.param(part.map((l) => l.form))}::text[],
              ${sql.param(part.map((l) => l.title))}::text[],
              ${sql.param(part.map((l) => l.hours))}::int[],
              ${sql.param(part.map((l) => l.sourceId))}::uuid[],
              ${sql.param(part.map((l) => l.endedOn))}::text[],
              ${sql.param(part.map((l) => l.accountId))}::uuid[]
            ) as v(id_hash, year, category, form, title, hours, source_id, ended_on, account_id)
          ), ins as (
            insert into credit_entries (id_hash, year, category, form, title, hours, source, source_id, status,
              account_id, unit_id, recognizer_node_id, ended_on, host, acted_by, acted_at, created_at, updated_at)
            select v.id_hash, v.year, v.category, v.form, v.title, v.hours, 'import', v.source_id, ${c.status},
              v.account_id, ${c.unitId}::uuid, ${c.recognizerNodeId}::uuid, v.ended_on, ${c.host}, ${c.actedBy},
              ${c.actedAt?.toISOString() ?? null}::timestamptz, ${c.now.toISOString()}::timestamptz,
              ${c.now.toISOString()}::timestamptz
            from v
            on conflict (source, source_id) do nothing
            returning id, status
          ), ev as (
            insert into credit_entry_events (entry_id, action, from_status, to_status, actor_type, actor_id,
              actor_name, at)
            select ins.id, 'import', null, ins.status, ${c.actorType}, ${c.actorId}, ${c.actorName},
              ${c.now.toISOString()}::timestamptz
            from ins
            returning 1
          )
          select count(*)::int as n from ev`);
        added += Number(res.rows[0]?.n ?? 0);
        // PGlite answers one query at a time: let other requests in between chunks.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return added;
    },

    /** Accounts holding these documents (a line's name is checked against the registered one). */
    async holders(ex: Executor, docs: readonly IdDocumentHash[]) {
      if (docs.length === 0) return [];
      return ex
        .select({ id: accounts.id, idType: accounts.idType, hash: accounts.idNumberHash, realName: accounts.realName })
        .from(accounts)
        .where(holdsIdDocument(docs));
    },

    /** 学习形式 of the active 学时折算标准 (staff may add forms beyond CREDIT_FORMS). */
    async activeForms(ex: Executor): Promise<string[]> {
      const rows = await ex
        .selectDistinct({ form: creditStandards.form })
        .from(creditStandards)
        .where(eq(creditStandards.active, true));
      return rows.map((r) => r.form);
    },

    /** The unit's 继续教育基地 designation in force on `today` (YYYY-MM-DD), if any. */
    async validEducationBase(ex: Executor, unitId: string, today: string) {
      return (
        await ex
          .select({ id: bases.id, unitName: bases.unitName, areaCode: bases.areaCode, validTo: bases.validTo })
          .from(bases)
          .where(
            and(
              eq(bases.unitId, unitId),
              eq(bases.kind, 'education'),
              eq(bases.status, 'active'),
              lte(bases.validFrom, today),
              gte(bases.validTo, today),
            ),
          )
          .orderBy(desc(bases.validTo))
          .limit(1)
      )[0];
    },

    /** The 区县人社局 whose area is `areaCode` (active), if the organisation tree has one. */
    async districtNode(ex: Executor, areaCode: string) {
      return (
        await ex
          .select({ id: orgNodes.id, name: orgNodes.name })
          .from(orgNodes)
          .where(and(eq(orgNodes.kind, 'district'), eq(orgNodes.areaCode, areaCode), eq(orgNodes.active, true)))
      )[0];
    },

    async insertImport(ex: Executor, row: typeof creditImports.$inferInsert) {
      return (await ex.insert(creditImports).values(row).returning())[0] as CreditImportRow;
    },

    /**
     * Up to `limit` imports made before `before` that still have an error file, locked for the caller's
     * transaction; those another transaction holds are skipped (two instances purge different ones).
     */
    async lockExpiredErrorFiles(ex: Executor, before: Date, limit: number) {
      const rows = await ex
        .select({ id: creditImports.id, errorFileId: creditImports.errorFileId })
        .from(creditImports)
        .where(and(isNotNull(creditImports.errorFileId), lt(creditImports.createdAt, before)))
        .orderBy(asc(creditImports.createdAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      return rows as Array<{ id: string; errorFileId: string }>;
    },

    async clearErrorFile(ex: Executor, id: string) {
      await ex.update(creditImports).set({ errorFileId: null }).where(eq(creditImports.id, id));
    },

    async byId(ex: Executor, id: string) {
      return (
        await ex
          .select({ imp: creditImports, unitName: units.name })
          .from(creditImports)
          .leftJoin(units, eq(units.id, creditImports.unitId))
          .where(eq(creditImports.id, id))
      )[0];
    },

    /** Newest first; `unitId`: only that unit's imports (undefined: every import, the console's view). */
    async page(ex: Executor, unitId: string | undefined, page: { limit: number; offset: number }) {
      const where = unitId ? eq(creditImports.unitId, unitId) : undefined;
      const [items, [total]] = await Promise.all([
        ex
          .select({ imp: creditImports, unitName: units.name })
          .from(creditImports)
          .leftJoin(units, eq(units.id, creditImports.unitId))
          .where(where)
          .orderBy(desc(creditImports.createdAt), desc(creditImports.id))
          .limit(page.limit)
          .offset(page.offset),
        ex.select({ n: count() }).from(creditImports).where(where),
      ]);
      return { items, total: Number(total?.n ?? 0) };
    },
  };
}
export type CreditImportRepo = ReturnType<typeof createCreditImportRepo>;
