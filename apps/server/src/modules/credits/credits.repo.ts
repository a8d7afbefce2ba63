import { CREDIT_PROFESSIONAL_MIN } from '@cpe/shared/schemas/credits';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { creditEntries, creditProofs } from '../../db/schema/index.js';
import { escapeLike } from '../../lib/like.js';

export type CreditEntryRow = typeof creditEntries.$inferSelect;
export type NewCreditEntryRow = typeof creditEntries.$inferInsert;

/** Where an entry came from; (source, sourceId) is unique, so a source that reports twice adds one entry. */
export const CREDIT_SOURCES = {
  /** A 公需科目 合格证书 (certificates): the plan's 学时, 公需科目, in the plan's year. */
  publicCertificate: 'gxkm-certificate',
  /** A 高研班结业证书 (seminars): the class's 学时, 专业科目. */
  seminarCompletion: 'seminar-completion',
} as const;

/** Rows per INSERT: well under PostgreSQL's parameter limit. */
const CHUNK = 400;

/** 学时档案's entries (table credit_entries), kept by the holder's ID number hash. */
export function createCreditsRepo() {
  return {
    async add(ex: Executor, rows: NewCreditEntryRow[]) {
      for (let i = 0; i < rows.length; i += CHUNK)
        await ex
          .insert(creditEntries)
          .values(rows.slice(i, i + CHUNK))
          .onConflictDoNothing({ target: [creditEntries.source, creditEntries.sourceId] });
    },
    /** The source was withdrawn (a revoked certificate): its entry no longer counts. */
    async revokeSource(ex: Executor, source: string, sourceId: string) {
      await ex
        .update(creditEntries)
        .set({ status: 'revoked' })
        .where(and(eq(creditEntries.source, source), eq(creditEntries.sourceId, sourceId)));
    },
    /** 单位中心 → 学时统计: one page (or every row, without `page`), the filtered count and the year's summary. */
    async unitStats(
      ex: Executor,
      q: {
        unitId: string;
        year: number;
        yearStart: Date;
        yearEnd: Date;
        filter: 'all' | 'unmet' | 'professional-short';
        keyword?: string;
        page?: { page: number; pageSize: number };
      },
    ) {
      const base = unitStatsQuery(q.unitId, q.year, q.yearStart, q.yearEnd);
      const filter =
        q.filter === 'unmet'
          ? sql`not met`
          : q.filter === 'professional-short'
            ? sql`professional_hours < ${CREDIT_PROFESSIONAL_MIN}`
            : sql`true`;
      const keyword = q.keyword ? sql` and real_name ilike ${`%${escapeLike(q.keyword)}%`}` : sql``;
      const paging = q.page ? sql` limit ${q.page.pageSize} offset ${(q.page.page - 1) * q.page.pageSize}` : sql``;
      // One pass: the page's rows carry the summary as window counts over every member of the year (the filter and
      // the search narrow the rows, not the counts). Only a page with no rows (nothing matches, or past the end) needs
      // the counts asked again.
      const rows = (
        await ex.execute(
          sql`with s as (${base}), c as (
                select s.*, (${filter}${keyword}) as hit,
                  count(*) filter (where ${filter}${keyword}) over () as filtered_count,
                  count(*) over () as members_count,
                  count(*) filter (where met) over () as met_count,
                  count(*) filter (where not met and current) over () as remindable_count
                from s)
              select * from c where hit order by met, hours, real_name, id${paging}`,
        )
      ).rows as Array<{
        id: string;
        account_id: string;
        current: boolean;
        real_name: string;
        id_number_enc: string;
        hours: number;
        public_hours: number;
        professional_hours: number;
        met: boolean;
        filtered_count: number | string;
        members_count: number | string;
        met_count: number | string;
        remindable_count: number | string;
      }>;
      const first = rows[0];
      const counts = first
        ? {
            filtered: Number(first.filtered_count),
            members: Number(first.members_count),
            met: Number(first.met_count),
            remindable: Number(first.remindable_count),
          }
        : ((
            await ex.execute(
              sql`with s as (${base}) select count(*) filter (where ${filter}${keyword})::int as filtered,
                    count(*)::int as members, count(*) filter (where met)::int as met,
                    count(*) filter (where not met and current)::int as remindable from s`,
            )
          ).rows[0] as { filtered: number; members: number; met: number; remindable: number } | undefined);
      return {
        rows,
        total: counts?.filtered ?? 0,
        members: counts?.members ?? 0,
        met: counts?.met ?? 0,
        remindable: counts?.remindable ?? 0,
      };
    },
    async confirmedOfHolder(ex: Executor, idHash: string) {
      return ex
        .select()
        .from(creditEntries)
        .where(and(eq(creditEntries.idHash, idHash), eq(creditEntries.status, 'confirmed')))
        .orderBy(desc(creditEntries.year), desc(creditEntries.createdAt), desc(creditEntries.id));
    },
    /** Every entry of the holder, whatever its status: the record shows pending and refused ones too. */
    async allOfHolder(ex: Executor, idHash: string) {
      return ex
        .select()
        .from(creditEntries)
        .where(eq(creditEntries.idHash, idHash))
        .orderBy(desc(creditEntries.year), desc(creditEntries.createdAt), desc(creditEntries.id));
    },
    proofs: {
      async byDigest(ex: Executor, accountId: string, yearFrom: number, yearTo: number, digest: string) {
        return (
          await ex
            .select()
            .from(creditProofs)
            .where(
              and(
                eq(creditProofs.accountId, accountId),
                eq(creditProofs.yearFrom, yearFrom),
                eq(creditProofs.yearTo, yearTo),
                eq(creditProofs.digest, digest),
              ),
            )
        )[0];
      },
      async insert(ex: Executor, row: typeof creditProofs.$inferInsert) {
        return (await ex.insert(creditProofs).values(row).onConflictDoNothing().returning())[0];
      },
      async setPdf(ex: Executor, id: string, fileId: string) {
        await ex.update(creditProofs).set({ pdfFileId: fileId }).where(eq(creditProofs.id, id));
      },
      async byNo(ex: Executor, certNo: string) {
        return (await ex.select().from(creditProofs).where(eq(creditProofs.certNo, certNo)))[0];
      },
    },
  };
}
export type CreditsRepo = ReturnType<typeof createCreditsRepo>;

/**
 * 单位中心 → 学时统计: the unit's members in `year` (confirmed before the year ended and not gone before it began),
 * each with the year's confirmed 学时 by category — 0, never NULL, for a member without entries.
 */
function unitStatsQuery(unitId: string, year: number, yearStart: Date, yearEnd: Date) {
  return sql`
    with members as (
      select distinct on (m.account_id) m.id, m.account_id, m.left_at, a.real_name, a.id_number_enc, a.id_number_hash
      from unit_members m join accounts a on a.id = m.account_id
      where m.unit_id = ${unitId} and m.joined_at is not null
        and m.joined_at < ${yearEnd.toISOString()}::timestamptz
        and (m.left_at is null or m.left_at >= ${yearStart.toISOString()}::timestamptz)
      order by m.account_id, m.joined_at desc
    ), totals as (
      -- Each member's year from credit_year_totals (kept by migration 0034's triggers; one key probe instead of the
      -- year's entries), each category counted as at least 0, as the record shows it.
      select mb.*,
        greatest(coalesce(t.public_hours, 0), 0)::int as public_hours,
        greatest(coalesce(t.professional_hours, 0), 0)::int as professional_hours
      from members mb
      left join credit_year_totals t on t.id_hash = mb.id_number_hash and t.year = ${year}
    )
    select id, account_id, (left_at is null) as current, real_name, id_number_enc, public_hours, professional_hours,
      (public_hours + professional_hours) as hours,
      credit_met(public_hours, professional_hours) as met
    from totals`;
}
