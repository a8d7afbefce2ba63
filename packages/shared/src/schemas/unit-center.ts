import { z } from 'zod';
import { ZUnitDraft } from './units.js';

/**
 * 单位中心's menu, in the seed's order. `departmentOnly` items are shown only to 主管部门.
 */
export const UNIT_CENTER_MENU = [
  { key: 'plan-changes', label: '计划变化情况上报', departmentOnly: false },
  { key: 'engineer-base-review', label: '工程师基地审核', departmentOnly: true },
  { key: 'education-base-apply', label: '继续教育基地申报', departmentOnly: false },
  { key: 'education-base-review', label: '继续教育基地审核', departmentOnly: true },
  { key: 'class-plans', label: '开班方案上报', departmentOnly: false },
  { key: 'completions', label: '结业上报', departmentOnly: false },
  { key: 'unit-info', label: '单位信息修改', departmentOnly: false },
  { key: 'members', label: '单位人员', departmentOnly: false },
  { key: 'credit-stats', label: '学时统计', departmentOnly: false },
  { key: 'credit-claims', label: '学时审核', departmentOnly: false },
  { key: 'credit-imports', label: '学时批量导入', departmentOnly: false },
  // Only where 主管部门 认定 学时 (CREDIT_RECOGNITION_BY=department).
  { key: 'credit-recognition', label: '学时认定', departmentOnly: true },
  { key: 'roster', label: '学员注册名单', departmentOnly: false },
  { key: 'engineer-base-apply', label: '工程师基地申报', departmentOnly: false },
  { key: 'advanced-seminars', label: '市级高级研修项目申报', departmentOnly: false },
  { key: 'unit-reviews', label: '单位注册审核', departmentOnly: true },
] as const;

export const ZUnitCenter = z.object({
  unit: z.object({
    id: z.string(),
    category: z.enum(['unit', 'department']),
    name: z.string(),
    uscc: z.string(),
    unitType: z.string(),
    locatedAreaLabel: z.string(),
    address: z.string(),
    reviewerName: z.string(),
    version: z.number().int(),
    approvedAt: z.string(),
  }),
  /** The full data in force, to prefill 单位信息修改. */
  data: ZUnitDraft,
  menu: z.array(z.object({ key: z.string(), label: z.string() })),
  pendingChange: z.boolean(),
});

/** What waits for the unit's administrator: the numbers on 单位中心's menu. */
export const ZUnitCenterPending = z.object({ members: z.number().int(), creditClaims: z.number().int() });
export type TUnitCenterPending = z.infer<typeof ZUnitCenterPending>;
