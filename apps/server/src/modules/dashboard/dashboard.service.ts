import {
  areaLabel,
  type TCreditStatRow,
  type TDashboard,
  type TDashboardGroup,
  type TDashboardQuery,
} from '@cpe/shared';
import { platformDayStart } from '@cpe/shared/platform-zone';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import { typed, writeWorkbook, type XlsxSheet } from '../../lib/xlsx-writer.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { DashboardFilter, DashboardRepo, DayCount, GroupCount } from './dashboard.repo.js';

/** Who may look, and at what: every district, or one district's units. */
export interface DashboardViewer {
  staffId: string;
  scope: { areaCode: string; name: string } | null;
}

interface StaffLike {
  id: string;
  roles: string[];
  orgNodeId: string | null;
}
interface OrgNodeLike {
  kind: string;
  name: string;
  areaCode: string | null;
}

export const UNLINKED_LABEL = '未关联单位';

const rate = (done: number, of: number) => (of > 0 ? Math.round((done / of) * 10_000) / 10_000 : null);

/** Every China day from `from` to `to` inclusive (YYYY-MM-DD), so the charts show quiet days as 0. */
function dayList(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * 数据看板 (statistics for the training centre and the bureaus). Permissions, decided here once:
 * 培训中心运营 and 系统管理员 see everything; a 审核员 of 市人社局 sees everything read-only; a 审核员 of a
 * 区县人社局 sees only people linked to units located in that district (registrations, sales, enrolments
 * and completions alike); anyone else — and a 区县人社局 account without a reviewer role — is refused.
 */
export function createDashboardService(deps: {
  db: Db;
  repo: DashboardRepo;
  clock: Clock;
  audit: AuditRepo;
  staff: { load(id: string): Promise<StaffLike> };
  org: { byId(id: string): Promise<OrgNodeLike | undefined> };
  /** 学时统计 by 区县 for a year (credit-admin.service), limited to the viewer's district if any. */
  creditRates: (
    year: number,
    scope: { areaCode: string; name: string } | null,
  ) => Promise<{ year: number; rows: TCreditStatRow[]; total: { members: number; met: number; rate: number } }>;
}) {
  const { db, repo, clock, audit } = deps;

  async function viewer(staffId: string): Promise<DashboardViewer> {
    const staff = await deps.staff.load(staffId);
    if (staff.roles.includes('sysadmin') || staff.roles.includes('training-operator')) return { staffId, scope: null };
    if (staff.roles.includes('reviewer')) {
      const node = staff.orgNodeId ? await deps.org.byId(staff.orgNodeId) : undefined;
      if (node?.kind === 'city') return { staffId, scope: null };
      if (node?.kind === 'district' && node.areaCode)
        return { staffId, scope: { areaCode: node.areaCode, name: node.name } };
    }
    throw new AppError('DASHBOARD_FORBIDDEN');
  }

  async function figures(staffId: string, q: TDashboardQuery): Promise<TDashboard> {
    const { scope } = await viewer(staffId);
    const f: DashboardFilter = {
      from: platformDayStart(q.from),
      before: platformDayStart(q.to, 1),
      planId: q.planId,
      areaCode: scope?.areaCode,
    };
    // One at a time: PGlite serves one query at a time anyway, and a pool is better left to other requests.
    const registrations = await repo.registrationsByDay(db, f);
    const sales = await repo.salesByDay(db, f);
    const enrollments = await repo.enrollmentsByDay(db, f);
    const completions = await repo.completionsByDay(db, f);
    const groups = await repo.cohortGroups(db, f);
    const plans = await repo.plans(db);
    const districts = await repo.districtNames(db);
    // The year the range ends in: a range across New Year reads as the year it reaches.
    const credits = await deps.creditRates(Number(q.to.slice(0, 4)), scope);

    const index = (rows: DayCount[]) => new Map(rows.map((r) => [r.day, r]));
    const reg = index(registrations);
    const sal = index(sales);
    const enr = index(enrollments);
    const com = index(completions);
    const days = dayList(q.from, q.to).map((day) => ({
      day,
      registrations: reg.get(day)?.n ?? 0,
      paidOrders: sal.get(day)?.n ?? 0,
      salesFen: sal.get(day)?.fen ?? 0,
      enrollments: enr.get(day)?.n ?? 0,
      completions: com.get(day)?.n ?? 0,
    }));
    const sum = (k: 'registrations' | 'paidOrders' | 'salesFen' | 'enrollments' | 'completions') =>
      days.reduce((s, d) => s + d[k], 0);

    const planNames = new Map(plans.map((p) => [p.id, p.name]));
    const group = (dim: GroupCount['dim'], label: (key: string | null) => string): TDashboardGroup[] =>
      groups
        .filter((g) => g.dim === dim)
        .map((g) => ({
          key: g.key,
          label: label(g.key),
          enrollments: g.enrollments,
          completions: g.completions,
          completionRate: rate(g.completions, g.enrollments),
        }))
        // Largest first; 未关联单位 last so the linked groups read together.
        .sort((a, b) => Number(a.key === null) - Number(b.key === null) || b.enrollments - a.enrollments);
    const byPlan = group('plan', (k) => (k && planNames.get(k)) || '未知计划');
    const cohort = byPlan.reduce((s, g) => s + g.enrollments, 0);
    const cohortDone = byPlan.reduce((s, g) => s + g.completions, 0);

    return {
      from: q.from,
      to: q.to,
      planId: q.planId ?? null,
      scope,
      kpis: {
        registrations: sum('registrations'),
        paidOrders: sum('paidOrders'),
        salesFen: sum('salesFen'),
        enrollments: sum('enrollments'),
        completions: sum('completions'),
        completionRate: rate(cohortDone, cohort),
      },
      days,
      byPlan,
      byDistrict: group('district', (k) => (k ? (districts.get(k) ?? areaLabel(k)) || k : UNLINKED_LABEL)),
      byUnitType: group('unitType', (k) => k ?? UNLINKED_LABEL),
      credits: {
        year: credits.year,
        members: credits.total.members,
        met: credits.total.met,
        rate: credits.total.rate,
        byDistrict: credits.rows,
      },
      plans,
      generatedAt: clock.now().toISOString(),
    };
  }

  return {
    viewer,
    figures,

    /** The same figures as an Excel workbook: one sheet per block of the page; audited like every export. */
    async export(staffId: string, q: TDashboardQuery, meta: RequestMeta): Promise<{ filename: string; data: Buffer }> {
      const d = await figures(staffId, q);
      const pct = (r: number | null) => (r === null ? '' : r);
      const planName = d.planId ? (d.plans.find((p) => p.id === d.planId)?.name ?? '') : '全部学习计划';
      const groupSheet = (name: string, first: string, rows: TDashboardGroup[]): XlsxSheet => ({
        name,
        columns: [
          { header: first, width: 36 },
          { header: '开通学习人数', width: 14 },
          { header: '完成学习人数', width: 14 },
          { header: '完成率', width: 10, kind: 'percent' },
        ],
        rows: rows.map((g) => [g.label, g.enrollments, g.completions, pct(g.completionRate)]),
      });
      const data = await writeWorkbook([
        {
          name: '概览',
          columns: [
            { header: '项目', width: 24 },
            { header: '数值', width: 40 },
          ],
          rows: [
            ['统计区间', `${d.from} 至 ${d.to}`],
            ['学习计划', planName],
            ['统计范围', d.scope ? d.scope.name : '全市'],
            ['注册人数', d.kpis.registrations],
            ['支付订单数', d.kpis.paidOrders],
            ['销售额（元）', typed(d.kpis.salesFen, 'money')],
            ['开通学习人数', d.kpis.enrollments],
            ['完成学习人数', d.kpis.completions],
            ['完成率', typed(pct(d.kpis.completionRate), 'percent')],
            ['生成时间', typed(new Date(d.generatedAt), 'datetime')],
          ],
        },
        {
          name: '每日数据',
          columns: [
            { header: '日期', width: 12, kind: 'date' },
            { header: '注册人数', width: 10 },
            { header: '支付订单数', width: 12 },
            { header: '销售额（元）', width: 14, kind: 'money' },
            { header: '开通学习人数', width: 14 },
            { header: '完成学习人数', width: 14 },
          ],
          rows: d.days.map((x) => [x.day, x.registrations, x.paidOrders, x.salesFen, x.enrollments, x.completions]),
        },
        groupSheet('按学习计划', '学习计划', d.byPlan),
        groupSheet('按区县', '区县', d.byDistrict),
        groupSheet('按单位类型', '单位类型', d.byUnitType),
      ]);
      await audit.record(db, {
        actorType: 'staff',
        actorId: staffId,
        action: 'dashboard.export',
        targetType: 'dashboard',
        ip: meta.ip,
        userAgent: meta.userAgent,
        summary: { from: d.from, to: d.to, planId: d.planId, scope: d.scope?.areaCode ?? null },
      });
      return { filename: `数据看板_${d.from}_${d.to}.xlsx`, data };
    },
  };
}
export type DashboardService = ReturnType<typeof createDashboardService>;
