import { z } from 'zod';
import { ZCreditList } from './credits.js';

/**
 * 学时管理 on the console: 学时查询与更正 (find a person, read the record, add a 学时更正 with its reason) and
 * 学时统计 (达标率 of a year by 区县 or 单位类型, down to the units). Who sees what is decided on the server: the
 * training centre, the system administrator and 市人社局 see the whole city, a 区县人社局 reviewer its district.
 */

const noNul = (s: string) => !s.includes('\u0000');
const yearField = (label = '年度') =>
  z.coerce
    .number({ error: `${label}应为数字` })
    .int(`${label}应为整数`)
    .min(2000, `${label}不能早于2000年`)
    .max(2100, `${label}不能晚于2100年`);
const page = z.coerce.number({ error: '页码应为数字' }).int('页码应为整数').min(1, '页码至少为1').default(1);
const pageSize = z.coerce
  .number({ error: '每页条数应为数字' })
  .int('每页条数应为整数')
  .min(1, '每页条数至少为1')
  .max(100, '每页条数不能超过100')
  .default(20);

/** 学时查询: 姓名 contains, or a full 证件号码 / 手机号 matched exactly (by their keyed hashes, never stored plain). */
export const ZCreditPeopleQuery = z.object({
  keyword: z
    .string({ error: '请输入姓名、证件号码或手机号' })
    .trim()
    .min(1, '请输入姓名、证件号码或手机号')
    .max(40, '查询内容不能超过40个字')
    .refine(noNul, '查询内容含有不允许的字符'),
  page,
  pageSize,
});
export type TCreditPeopleQuery = z.infer<typeof ZCreditPeopleQuery>;

export const ZCreditPerson = z.object({
  accountId: z.string(),
  realName: z.string(),
  /** Always masked; the full number only through 学员管理's audited 查看完整信息 (pii-viewer). */
  idNumberMasked: z.string(),
  phoneMasked: z.string().nullable(),
  /** 工作单位: the current confirmed unit_members link. */
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
  /** The year of the totals below (this year, platform time). */
  year: z.number().int(),
  /** 已认定 学时 of `year`, each category counted as at least 0 (a negative 学时更正 never shows a year below 0). */
  hours: z.number().int(),
  publicHours: z.number().int(),
  professionalHours: z.number().int(),
  met: z.boolean(),
});
export type TCreditPerson = z.infer<typeof ZCreditPerson>;

export const ZCreditPeopleList = z.object({
  items: z.array(ZCreditPerson),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type TCreditPeopleList = z.infer<typeof ZCreditPeopleList>;

export const ZCreditPersonRecord = z.object({
  person: ZCreditPerson,
  record: ZCreditList,
  /** Whether the viewer may add a 学时更正 (系统管理员, 培训中心运营, 市人社局审核人员). */
  canCorrect: z.boolean(),
  /** Whether the viewer may open 学员管理 (where a pii-viewer reveals the full number). */
  canOpenLearner: z.boolean(),
});
export type TCreditPersonRecord = z.infer<typeof ZCreditPersonRecord>;

export const CREDIT_CORRECTION_MAX = 200;

/**
 * 学时更正: an entry of its own (source correction, 已认定), never an edit of another entry, so the record keeps
 * what was counted before and why it changed. A negative figure takes back an over-count.
 */
export const ZCreditCorrectionInput = z.object({
  year: yearField(),
  category: z.enum(['public', 'professional'], { error: '请选择类别（公需科目或专业科目）' }),
  form: z
    .string({ error: '请选择学习形式' })
    .trim()
    .min(1, '请选择学习形式')
    .max(20, '学习形式不能超过20个字')
    .refine(noNul, '学习形式含有不允许的字符'),
  hours: z.coerce
    .number({ error: '更正学时应为数字' })
    .int('更正学时应为整数')
    .min(-CREDIT_CORRECTION_MAX, `更正学时不能小于-${CREDIT_CORRECTION_MAX}`)
    .max(CREDIT_CORRECTION_MAX, `更正学时不能超过${CREDIT_CORRECTION_MAX}`)
    .refine((n) => n !== 0, '更正学时不能为0'),
  title: z
    .string({ error: '请填写项目名称' })
    .trim()
    .min(2, '项目名称至少2个字')
    .max(100, '项目名称不能超过100个字')
    .refine(noNul, '项目名称含有不允许的字符'),
  reason: z
    .string({ error: '请填写更正原因' })
    .trim()
    .min(2, '更正原因至少2个字')
    .max(200, '更正原因不能超过200个字')
    .refine(noNul, '更正原因含有不允许的字符'),
});
export type TCreditCorrectionInput = z.infer<typeof ZCreditCorrectionInput>;

// ---------------- 学时统计 ----------------

export const CREDIT_STATS_BY = ['district', 'unit-type'] as const;
export type TCreditStatsBy = (typeof CREDIT_STATS_BY)[number];
export const CREDIT_STATS_BY_LABELS: Record<TCreditStatsBy, string> = { district: '区县', 'unit-type': '单位类型' };

export const ZCreditStatsQuery = z.object({
  year: yearField(),
  by: z.enum(CREDIT_STATS_BY, { error: '统计方式应为区县或单位类型' }).default('district'),
});
export type TCreditStatsQuery = z.infer<typeof ZCreditStatsQuery>;

const count = z.number().int();
/** met / members, 0–1 with four decimals; 0 (never null) for a group without members. */
const rate = z.number();

export const ZCreditStatRow = z.object({
  /** Area code (区县) or the 单位类型 name. */
  key: z.string(),
  label: z.string(),
  members: count,
  met: count,
  unmet: count,
  rate,
});
export type TCreditStatRow = z.infer<typeof ZCreditStatRow>;

export const ZCreditStats = z.object({
  year: z.number().int(),
  by: z.enum(CREDIT_STATS_BY),
  /** The district the figures are limited to (区县人社局), or null for the whole city. */
  scope: z.object({ areaCode: z.string(), name: z.string() }).nullable(),
  rows: z.array(ZCreditStatRow),
  /**
   * The sum of the rows: each unit counts the people who belonged to it in the year, so one who moved during the
   * year counts in each of their units (as each unit's own 学时统计 counts them).
   */
  total: ZCreditStatRow.omit({ key: true, label: true }),
});
export type TCreditStats = z.infer<typeof ZCreditStats>;

export const CREDIT_UNIT_SORTS = ['rate:asc', 'rate:desc', 'members:desc', 'name:asc'] as const;
export type TCreditUnitSort = (typeof CREDIT_UNIT_SORTS)[number];
export const CREDIT_UNIT_SORT_LABELS: Record<TCreditUnitSort, string> = {
  'rate:asc': '达标率从低到高',
  'rate:desc': '达标率从高到低',
  'members:desc': '人数从多到少',
  'name:asc': '单位名称',
};

/** The units of one group (a 区县 or a 单位类型) with their members of the year. */
export const ZCreditUnitStatsQuery = z.object({
  year: yearField(),
  district: z
    .string()
    .regex(/^\d{6}$/, '区县代码应为6位数字')
    .optional(),
  unitType: z.string().trim().min(1, '请选择单位类型').max(30, '单位类型不能超过30个字').refine(noNul).optional(),
  sort: z.enum(CREDIT_UNIT_SORTS, { error: '排序方式无效' }).default('rate:asc'),
  page,
  pageSize,
});
export type TCreditUnitStatsQuery = z.infer<typeof ZCreditUnitStatsQuery>;

export const ZCreditUnitStat = z.object({
  unitId: z.string(),
  unitName: z.string(),
  districtLabel: z.string(),
  unitType: z.string(),
  members: count,
  met: count,
  unmet: count,
  rate,
});
export type TCreditUnitStat = z.infer<typeof ZCreditUnitStat>;

export const ZCreditUnitStats = z.object({
  year: z.number().int(),
  /** What the list is of: 渝中区 / 事业单位 / 全部单位. */
  groupLabel: z.string(),
  items: z.array(ZCreditUnitStat),
  total: count,
  page: count,
  pageSize: count,
});
export type TCreditUnitStats = z.infer<typeof ZCreditUnitStats>;
