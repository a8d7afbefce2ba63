import crypto from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { creditEntries, creditEntryEvents } from '../../db/schema/index.js';
import { escapeLike } from '../../lib/like.js';

/** How 学时查询 asks: an exact keyed hash (证件号码 with its type, or 手机号), 姓名 contains, or one account. */
export type CreditPeopleFilter =
  | { idDocument: { idType: string; hash: string } }
  | { phoneHash: string }
  | { name: string }
  | { accountId: string };

/** A year in the platform's zone: [start, end). */
export interface YearRange {
  year: number;
  start: Date;
  end: Date;
}

/** The statistics' grouping column of units. */
export type CreditStatsDim = 'district' | 'unit-type';

/** Only units of one 区县 or of one 单位类型 (the drill-down), within the viewer's district if any. */
export interface CreditUnitGroup {
  scopeArea?: string;
  district?: string;
  unitType?: string;
}

export interface CreditPersonRow {
  id: string;
  real_name: string;
  id_number_enc: string;
  phone_enc: string | null;
  unit_id: string | null;
  unit_name: string | null;
  unit_area: string | null;
  public_hours: number;
  professional_hours: number;
}

export interface CreditGroupRow {
  key: string;
  members: number;
  met: number;
}

export interface CreditUnitRow {
  id: string;
  name: string;
  located_area: string;
  unit_type: string;
  members: number;
  met: number;
  rate: string | number;
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
/** met / members with four decimals; 0 for a group without members (never NULL, never a division by zero). */
const RATE = (met: SQL, members: SQL) =>
  sql`case when ${members} = 0 then 0 else round(${met}::numeric / ${members}, 4) end`;

function peopleWhere(f: CreditPeopleFilter): SQL {
  if ('idDocument' in f) return sql`a.id_type = ${f.idDocument.idType} and a.id_number_hash = ${f.idDocument.hash}`;
  if ('phoneHash' in f) return sql`a.phone_hash = ${f.phoneHash}`;
  if ('accountId' in f) return sql`a.id = ${f.accountId}`;
  const match = sql`a.real_name ilike ${`%${escapeLike(f.name)}%`}`;
  // Two characters and more: the GIN index of the name's two-character pieces (0034) narrows, ILIKE confirms.
  return f.name.length >= 2 ? sql`cpe_bigrams(a.real_name) @> cpe_bigrams(${f.name}) and ${match}` : match;
}

function unitFilter(g: CreditUnitGroup): SQL {
  const parts: SQL[] = [];
  if (g.scopeArea) parts.push(sql`u.located_area = ${g.scopeArea}`);
  if (g.district) parts.push(sql`u.located_area = ${g.district}`);
  if (g.unitType) parts.push(sql`u.unit_type = ${g.unitType}`);
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/**
 * Every unit's members in the year and how many of them 达标, computed from the source tables: who belonged to the
 * unit in the year as 单位中心 → 学时统计 counts them (credits.repo unitStatsQuery: the link began before the year
 * ended and had not ended before it began; each person once per unit), 达标 by credit_met over the person's
 * credit_year_totals (migration 0034). One pass over the links, accounts and the year's totals: what a year costs the
 * first time it is asked for; afterwards the triggers of 0034 keep credit_unit_years current.
 */
const unitYearsQuery = (y: YearRange) => sql`
  select um.unit_id, count(*)::int as members,
    count(*) filter (where credit_met(t.public_hours, t.professional_hours))::int as met
  from (
    select distinct m.unit_id, m.account_id from unit_members m
    where m.joined_at < ${ts(y.end)} and (m.left_at is null or m.left_at >= ${ts(y.start)})
  ) um
    join accounts a on a.id = um.account_id
    left join credit_year_totals t on t.id_hash = a.id_number_hash and t.year = ${y.year}
  group by um.unit_id`;

/**
 * 学时管理's reads across accounts, unit_members, units and credit_entries (a report has to), and its one write: a
 * 学时更正 entry with its event. Figures are aggregated in SQL: one row per group or unit, never one per person.
 */
export function createCreditAdminRepo() {
  return {
    /** One page of people with their current 工作单位 and the year's 已认定 学时. */
    async people(
      ex: Executor,
      f: CreditPeopleFilter,
      o: { scopeArea?: string; year: number; limit: number; offset: number },
    ) {
      const scope = o.scopeArea ? sql`and u.located_area = ${o.scopeArea}` : sql``;
      const joins = sql`
        from accounts a
          left join unit_members m on m.account_id = a.id and m.status = 'confirmed'
          left join units u on u.id = m.unit_id`;
      const where = sql`where ${peopleWhere(f)} ${scope}`;
      const rows = (
        await ex.execute(sql`
          select a.id::text as id, a.real_name, a.id_number_enc, a.phone_enc,
            u.id::text as unit_id, u.name as unit_name, u.located_area as unit_area,
            coalesce(t.public_hours, 0) as public_hours, coalesce(t.professional_hours, 0) as professional_hours
          ${joins}
          left join credit_year_totals t on t.id_hash = a.id_number_hash and t.year = ${o.year}
          ${where}
          order by a.real_name, a.id
          limit ${o.limit} offset ${o.offset}`)
      ).rows as unknown as CreditPersonRow[];
      const [n] = (await ex.execute(sql`select count(*)::int as n ${joins} ${where}`)).rows as Array<{ n: number }>;
      return { rows, total: Number(n?.n ?? 0) };
    },

    /** The person's ID number hash (entries are kept by it), or undefined when there is no such account. */
    async holderHash(ex: Executor, accountId: string) {
      const [r] = (await ex.execute(sql`select id_number_hash from accounts where id = ${accountId}`)).rows as Array<{
        id_number_hash: string;
      }>;
      return r?.id_number_hash;
    },

    /** A 学时更正: the entry (已认定 at once) and its history event, in the caller's transaction. */
    async addCorrection(
      ex: Executor,
      row: {
        idHash: string;
        year: number;
        category: string;
        form: string;
        title: string;
        hours: number;
        reason: string;
        actor: { id: string; name: string };
        at: Date;
      },
    ) {
      const [entry] = await ex
        .insert(creditEntries)
        .values({
          idHash: row.idHash,
          year: row.year,
          category: row.category,
          form: row.form,
          title: row.title,
          hours: row.hours,
          source: 'correction',
          sourceId: crypto.randomUUID(),
          status: 'confirmed',
          reason: row.reason,
          actedBy: row.actor.id,
          actedAt: row.at,
          createdAt: row.at,
          updatedAt: row.at,
        })
        .returning();
      if (!entry) throw new Error('credit correction not inserted');
      await ex.insert(creditEntryEvents).values({
        entryId: entry.id,
        action: 'correct',
        fromStatus: null,
        toStatus: 'confirmed',
        actorType: 'staff',
        actorId: row.actor.id,
        actorName: row.actor.name,
        reason: row.reason,
        at: row.at,
      });
      return entry;
    },

    /**
     * Makes sure credit_unit_years holds the year (migration 0034): the first time a year is asked for, its bounds are
     * recorded and every unit's figures computed in one pass, while writers of entries and links wait (SHARE lock), so
     * that none of their changes is missed or counted twice; afterwards the triggers keep it current. Call in a
     * transaction of its own.
     */
    async ensureYear(tx: Executor, y: YearRange) {
      const known = await tx.execute(sql`select 1 from credit_stat_years where year = ${y.year}`);
      if (known.rows.length > 0) return false;
      await tx.execute(sql`lock table credit_entries, unit_members in share mode`);
      const added = await tx.execute(
        sql`insert into credit_stat_years (year, starts_at, ends_at) values (${y.year}, ${ts(y.start)}, ${ts(y.end)})
            on conflict (year) do nothing returning year`,
      );
      if (added.rows.length === 0) return false;
      await tx.execute(
        sql`insert into credit_unit_years (year, unit_id, members, met) select ${y.year}, unit_id, members, met from (${unitYearsQuery(y)}) x`,
      );
      return true;
    },

    /** The same figures computed afresh, for checking what the triggers keep (tests). */
    async unitYearsComputed(ex: Executor, y: YearRange) {
      return (await ex.execute(unitYearsQuery(y))).rows as Array<{ unit_id: string; members: number; met: number }>;
    },

    /**
     * 学时统计 by 区县 (units.located_area) or 单位类型: the sums of the units' figures of the year (a person who moved
     * during the year counts in each of their units, as each unit counts them), read from credit_unit_years.
     */
    async groupStats(ex: Executor, y: YearRange, dim: CreditStatsDim, scopeArea?: string): Promise<CreditGroupRow[]> {
      const col = dim === 'district' ? sql`u.located_area` : sql`u.unit_type`;
      const res = await ex.execute(sql`
        select ${col} as key, sum(s.members)::int as members, sum(s.met)::int as met
        from credit_unit_years s join units u on u.id = s.unit_id
        where s.year = ${y.year} and ${unitFilter({ scopeArea })}
        group by 1`);
      return (res.rows as Array<{ key: string; members: number; met: number }>).map((r) => ({
        key: r.key,
        members: Number(r.members),
        met: Number(r.met),
      }));
    },

    /** The units of a group with their members of the year and 达标率, sorted and paged (units without members too). */
    async unitStats(
      ex: Executor,
      y: YearRange,
      g: CreditUnitGroup,
      o: { sort: 'rate:asc' | 'rate:desc' | 'members:desc' | 'name:asc'; limit?: number; offset?: number },
    ) {
      const order = {
        'rate:asc': sql`rate asc, members desc, u.name, u.id`,
        'rate:desc': sql`rate desc, members desc, u.name, u.id`,
        'members:desc': sql`members desc, u.name, u.id`,
        'name:asc': sql`u.name, u.id`,
      }[o.sort];
      const paging = o.limit !== undefined ? sql`limit ${o.limit} offset ${o.offset ?? 0}` : sql``;
      const rows = (
        await ex.execute(sql`
          select u.id::text as id, u.name, u.located_area, u.unit_type,
            coalesce(s.members, 0) as members, coalesce(s.met, 0) as met,
            ${RATE(sql`coalesce(s.met, 0)`, sql`coalesce(s.members, 0)`)} as rate
          from units u left join credit_unit_years s on s.year = ${y.year} and s.unit_id = u.id
          where ${unitFilter(g)}
          order by ${order}
          ${paging}`)
      ).rows as unknown as CreditUnitRow[];
      const [n] = (await ex.execute(sql`select count(*)::int as n from units u where ${unitFilter(g)}`)).rows as Array<{
        n: number;
      }>;
      return { rows, total: Number(n?.n ?? 0) };
    },

    /** Active district bureaus (the rows of 学时统计 by 区县, in the tree's order). */
    async districts(ex: Executor) {
      return (
        await ex.execute(
          sql`select area_code, name from org_nodes where kind = 'district' and area_code is not null and active
              order by sort, area_code`,
        )
      ).rows as Array<{ area_code: string; name: string }>;
    },

    async unitTypes(ex: Executor) {
      return (
        (await ex.execute(sql`select name from unit_types where active order by sort, id`)).rows as Array<{
          name: string;
        }>
      ).map((r) => r.name);
    },
  };
}
export type CreditAdminRepo = ReturnType<typeof createCreditAdminRepo>;
