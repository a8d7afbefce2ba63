import { platformTimeZone } from '@cpe/shared/platform-zone';
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';

export interface DashboardFilter {
  /** [from, before): the start of the first China day and of the day after the last. */
  from: Date;
  before: Date;
  planId?: string;
  /** Only people whose unit is located in this district (区县人社局 staff). */
  areaCode?: string;
}

export interface DayCount {
  day: string;
  n: number;
  fen?: number;
}

export interface GroupCount {
  /** plan | district | unitType */
  dim: 'plan' | 'district' | 'unitType';
  key: string | null;
  enrollments: number;
  completions: number;
}

/**
 * Which unit a person belongs to, for the by-district and by-unit-type figures. Accounts carry no unit and
 * their ID number is stored encrypted, so the link comes from what the platform knows, strongest first:
 * the person administers the unit; a 学员注册名单 of the unit created or matched the person; the unit's
 * administrator bought a 团体购买 order that includes the person. Everyone else is 未关联单位.
 */
const PERSON_UNIT = sql`person_unit as (
  select distinct on (account_id) account_id, unit_id from (
    select admin_account_id as account_id, id as unit_id, 1 as pri from units where admin_account_id is not null
    union all
    select rr.account_id, ri.unit_id, 2 from roster_rows rr join roster_imports ri on ri.id = rr.import_id
      where rr.account_id is not null and ri.unit_id is not null
    union all
    select om.account_id, u.id, 3 from order_members om
      join orders o on o.id = om.order_id
      join units u on u.admin_account_id = o.buyer_account_id
      where o.kind = 'group' and o.status = 'paid'
  ) links order by account_id, pri
)`;

/** The day of an instant in the platform's zone (PLATFORM_TIME_ZONE), as YYYY-MM-DD. */
const PLATFORM_DAY = (col: SQL) => sql`((${col}) at time zone ${platformTimeZone()}::text)::date::text`;
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * Aggregates for 数据看板, all in SQL: one row per China day or per group, never one per person. Read-only
 * across the purchase, study, identity, units and roster tables (a report has to), writing nothing.
 */
export function createDashboardRepo() {
  /** `person` is the column holding the account id; with a district the person must be linked to a unit there. */
  const scoped = (f: DashboardFilter, person: SQL) =>
    f.areaCode
      ? sql`exists (select 1 from person_unit pu join units su on su.id = pu.unit_id
                    where pu.account_id = ${person} and su.located_area = ${f.areaCode})`
      : sql`true`;
  const withUnits = (f: DashboardFilter) => (f.areaCode ? sql`with ${PERSON_UNIT}` : sql``);
  const plan = (f: DashboardFilter, col: SQL) => (f.planId ? sql`${col} = ${f.planId}` : sql`true`);

  async function days(ex: Executor, q: SQL): Promise<DayCount[]> {
    const res = await ex.execute(q);
    return (res.rows as Array<{ day: string; n: number | string; fen?: number | string | null }>).map((r) => ({
      day: String(r.day),
      n: Number(r.n),
      ...(r.fen !== undefined ? { fen: Number(r.fen ?? 0) } : {}),
    }));
  }

  return {
    /** New accounts (注册) per China day; a plan does not narrow registrations. */
    registrationsByDay(ex: Executor, f: DashboardFilter) {
      return days(
        ex,
        sql`${withUnits(f)} select ${PLATFORM_DAY(sql`a.created_at`)} as day, count(*)::int as n from accounts a
            where a.created_at >= ${ts(f.from)} and a.created_at < ${ts(f.before)} and ${scoped(f, sql`a.id`)}
            group by 1`,
      );
    },

    /** Paid orders and their amount per China day of payment; 补学 openings (0 元, never sold) are left out. */
    salesByDay(ex: Executor, f: DashboardFilter) {
      return days(
        ex,
        sql`${withUnits(f)} select ${PLATFORM_DAY(sql`o.paid_at`)} as day, count(*)::int as n, sum(o.amount_fen)::bigint as fen
            from orders o
            where o.status = 'paid' and o.kind <> 'makeup' and o.paid_at >= ${ts(f.from)} and o.paid_at < ${ts(f.before)}
              and ${plan(f, sql`o.plan_id`)} and ${scoped(f, sql`o.buyer_account_id`)}
            group by 1`,
      );
    },

    enrollmentsByDay(ex: Executor, f: DashboardFilter) {
      return days(
        ex,
        sql`${withUnits(f)} select ${PLATFORM_DAY(sql`e.enrolled_at`)} as day, count(*)::int as n from enrollments e
            where e.enrolled_at >= ${ts(f.from)} and e.enrolled_at < ${ts(f.before)}
              and ${plan(f, sql`e.plan_id`)} and ${scoped(f, sql`e.account_id`)}
            group by 1`,
      );
    },

    completionsByDay(ex: Executor, f: DashboardFilter) {
      return days(
        ex,
        sql`${withUnits(f)} select ${PLATFORM_DAY(sql`p.completed_at`)} as day, count(*)::int as n
            from enrollment_progress p join enrollments e on e.id = p.enrollment_id
            where p.completed_at >= ${ts(f.from)} and p.completed_at < ${ts(f.before)}
              and ${plan(f, sql`e.plan_id`)} and ${scoped(f, sql`e.account_id`)}
            group by 1`,
      );
    },

    /**
     * The enrolments opened in the range and how many of them are completed by now, by plan, by the
     * district the person's unit is located in and by its unit type — one scan with grouping sets.
     */
    async cohortGroups(ex: Executor, f: DashboardFilter): Promise<GroupCount[]> {
      const res = await ex.execute(sql`
        with ${PERSON_UNIT}
        select grouping(e.plan_id) as g_plan, grouping(u.located_area) as g_area,
               e.plan_id::text as plan_id, u.located_area as area, u.unit_type as unit_type,
               count(*)::int as enrollments, count(p.completed_at)::int as completions
        from enrollments e
          left join enrollment_progress p on p.enrollment_id = e.id
          left join person_unit pu on pu.account_id = e.account_id
          left join units u on u.id = pu.unit_id
        where e.enrolled_at >= ${ts(f.from)} and e.enrolled_at < ${ts(f.before)}
          and ${plan(f, sql`e.plan_id`)} and ${f.areaCode ? sql`u.located_area = ${f.areaCode}` : sql`true`}
        group by grouping sets ((e.plan_id), (u.located_area), (u.unit_type))`);
      return (
        res.rows as Array<{
          g_plan: number;
          g_area: number;
          plan_id: string | null;
          area: string | null;
          unit_type: string | null;
          enrollments: number;
          completions: number;
        }>
      ).map((r) => {
        const dim = Number(r.g_plan) === 0 ? 'plan' : Number(r.g_area) === 0 ? 'district' : 'unitType';
        return {
          dim,
          key: dim === 'plan' ? r.plan_id : dim === 'district' ? r.area : r.unit_type,
          enrollments: Number(r.enrollments),
          completions: Number(r.completions),
        };
      });
    },

    async plans(ex: Executor) {
      const res = await ex.execute(
        sql`select id::text as id, name, year from training_plans order by year desc, created_at desc`,
      );
      return (res.rows as Array<{ id: string; name: string; year: number }>).map((r) => ({
        id: r.id,
        name: r.name,
        year: Number(r.year),
      }));
    },

    async districtNames(ex: Executor): Promise<Map<string, string>> {
      const res = await ex.execute(
        sql`select area_code, name from org_nodes where kind = 'district' and area_code is not null`,
      );
      return new Map((res.rows as Array<{ area_code: string; name: string }>).map((r) => [r.area_code, r.name]));
    },
  };
}
export type DashboardRepo = ReturnType<typeof createDashboardRepo>;
