import { z } from 'zod';
import { ZCreditStatRow } from './credit-admin.js';

/** A dashboard covers at most this many China days (a leap year). */
export const DASHBOARD_MAX_DAYS = 366;

const DAY_MS = 86_400_000;
/** Whole days from `from` to `to` inclusive; both YYYY-MM-DD (calendar days, so no time zone matters). */
export const dashboardDays = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;

/** 数据看板 filter: a range of China days (inclusive) and, optionally, one 学习计划. */
export const ZDashboardQuery = z
  .object({
    from: z.iso.date('开始日期格式应为YYYY-MM-DD'),
    to: z.iso.date('结束日期格式应为YYYY-MM-DD'),
    planId: z.uuid('学习计划无效').optional(),
  })
  .superRefine((q, ctx) => {
    const days = dashboardDays(q.from, q.to);
    if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: '结束日期不能早于开始日期' });
    else if (days > DASHBOARD_MAX_DAYS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `统计区间不能超过${DASHBOARD_MAX_DAYS}天` });
  });
export type TDashboardQuery = z.infer<typeof ZDashboardQuery>;

const count = z.number().int();
/** completed / enrolled, 0–1 with four decimals; null when nobody enrolled. */
const rate = z.number().nullable();

export const ZDashboardGroup = z.object({
  /** District area code, unit type, or plan id; null = 未关联单位. */
  key: z.string().nullable(),
  label: z.string(),
  enrollments: count,
  completions: count,
  completionRate: rate,
});
export type TDashboardGroup = z.infer<typeof ZDashboardGroup>;

export const ZDashboardDay = z.object({
  /** China day, YYYY-MM-DD. */
  day: z.string(),
  registrations: count,
  paidOrders: count,
  salesFen: count,
  enrollments: count,
  completions: count,
});
export type TDashboardDay = z.infer<typeof ZDashboardDay>;

export const ZDashboard = z.object({
  from: z.string(),
  to: z.string(),
  planId: z.string().nullable(),
  /** The district the figures are limited to (区县人社局 staff), or null for every district. */
  scope: z.object({ areaCode: z.string(), name: z.string() }).nullable(),
  kpis: z.object({
    registrations: count,
    paidOrders: count,
    salesFen: count,
    enrollments: count,
    completions: count,
    /** Of the enrolments opened in the range, the share completed so far. */
    completionRate: rate,
  }),
  days: z.array(ZDashboardDay),
  byPlan: z.array(ZDashboardGroup),
  byDistrict: z.array(ZDashboardGroup),
  byUnitType: z.array(ZDashboardGroup),
  /**
   * 学时达标率 of the year the range ends in (学时统计's figures): the whole — the city, or the district of a 区县人社局 —
   * and per 区县. Rates are 0 (not null) where nobody is counted.
   */
  credits: z.object({
    year: z.number().int(),
    members: count,
    met: count,
    rate: z.number(),
    byDistrict: z.array(ZCreditStatRow),
  }),
  /** Every 学习计划, for the plan filter. */
  plans: z.array(z.object({ id: z.string(), name: z.string(), year: z.number().int() })),
  generatedAt: z.string(),
});
export type TDashboard = z.infer<typeof ZDashboard>;
