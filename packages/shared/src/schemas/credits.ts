import { z } from 'zod';

/** 单位中心 → 学时统计: which members to list. */
export const CREDIT_STAT_FILTERS = ['all', 'unmet', 'professional-short'] as const;
export const CREDIT_STAT_FILTER_LABELS: Record<(typeof CREDIT_STAT_FILTERS)[number], string> = {
  all: '全部人员',
  unmet: '未达标',
  'professional-short': '专业科目不足',
};

export const ZUnitCreditStatsQuery = z.object({
  year: z.coerce
    .number({ error: '年度应为数字' })
    .int('年度应为整数')
    .min(2000, '年度不能早于2000年')
    .max(2100, '年度不能晚于2100年'),
  filter: z.enum(CREDIT_STAT_FILTERS).default('all'),
  keyword: z
    .string()
    .trim()
    .max(40, '姓名关键词不能超过40个字')
    .refine((s) => !s.includes('\u0000'), '姓名关键词含有不允许的字符')
    .optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type TUnitCreditStatsQuery = z.infer<typeof ZUnitCreditStatsQuery>;

export const ZUnitCreditStat = z.object({
  memberId: z.string(),
  realName: z.string(),
  idNumberMasked: z.string(),
  hours: z.number().int(),
  publicHours: z.number().int(),
  professionalHours: z.number().int(),
  met: z.boolean(),
});
export type TUnitCreditStat = z.infer<typeof ZUnitCreditStat>;
export const ZUnitCreditStats = z.object({
  year: z.number().int(),
  items: z.array(ZUnitCreditStat),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Over every member of the year, whatever the filter. */
  summary: z.object({ members: z.number().int(), met: z.number().int(), unmet: z.number().int() }),
});
export type TUnitCreditStats = z.infer<typeof ZUnitCreditStats>;
