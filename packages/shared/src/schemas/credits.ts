import { z } from 'zod';

/**
 * 学时档案 (table credit_entries): a person's continuing-education entries per year. 《专业技术人员继续教育规定》: at
 * least 90 学时 a year, of which 专业科目 generally at least two thirds (60), so 公需科目 about 30. A year is 达标
 * when both hold. Only 已认定 (confirmed) entries count.
 */
export const CREDIT_YEARLY_TARGET = 90;
export const CREDIT_PROFESSIONAL_MIN = 60;

export const CREDIT_CATEGORY_LABELS = { public: '公需科目', professional: '专业科目' } as const;
export type TCreditCategory = keyof typeof CREDIT_CATEGORY_LABELS;

/** 学习形式 as the automatic sources and the default 学时折算标准 name them; staff may add forms in the standards. */
export const CREDIT_FORMS = ['网络学习', '面授培训', '高级研修', '学术会议', '进修访学', '论文论著', '其他'] as const;

export const CREDIT_ENTRY_STATUSES = [
  'pending-unit',
  'pending-bureau',
  'confirmed',
  'rejected',
  'withdrawn',
  'revoked',
] as const;
export type TCreditEntryStatus = (typeof CREDIT_ENTRY_STATUSES)[number];
export const CREDIT_ENTRY_STATUS_LABELS: Record<TCreditEntryStatus, string> = {
  'pending-unit': '待单位确认',
  'pending-bureau': '待认定',
  confirmed: '已认定',
  rejected: '不予认定',
  withdrawn: '已撤回',
  revoked: '已撤销',
};

/**
 * Who may move an entry where. The person: withdraw while pending, resubmit a 退回 (rejected) one; the unit's
 * administrator: confirm or return (→ 不予认定 with the reason) a 待单位确认 one; the bureau: recognise or return a
 * 待认定 one; staff: revoke a confirmed one (with a reason). Automatic feeds enter as confirmed.
 */
export const CREDIT_ENTRY_TRANSITIONS = {
  withdraw: { 'pending-unit': 'withdrawn', 'pending-bureau': 'withdrawn' },
  resubmit: { rejected: 'pending-unit', withdrawn: 'pending-unit' },
  'unit-confirm': { 'pending-unit': 'pending-bureau' },
  'unit-return': { 'pending-unit': 'rejected' },
  recognise: { 'pending-bureau': 'confirmed' },
  'bureau-return': { 'pending-bureau': 'rejected' },
  revoke: { confirmed: 'revoked' },
} as const satisfies Record<string, Partial<Record<TCreditEntryStatus, TCreditEntryStatus>>>;
export type TCreditEntryAction = keyof typeof CREDIT_ENTRY_TRANSITIONS;
export const CREDIT_ENTRY_ACTION_LABELS: Record<TCreditEntryAction | 'file' | 'import' | 'correct' | 'feed', string> = {
  file: '提交学时登记',
  withdraw: '撤回',
  resubmit: '修改后重新提交',
  'unit-confirm': '单位确认',
  'unit-return': '单位退回',
  recognise: '认定',
  'bureau-return': '退回（不予认定）',
  revoke: '撤销',
  import: '批量导入',
  correct: '学时更正',
  feed: '自动记入',
};

/** The next status, or undefined when the action is not allowed from `from`. */
export function creditEntryNext(action: TCreditEntryAction, from: string): TCreditEntryStatus | undefined {
  return (CREDIT_ENTRY_TRANSITIONS[action] as Partial<Record<string, TCreditEntryStatus>>)[from];
}

export const CREDIT_SOURCE_LABELS: Record<string, string> = {
  'gxkm-certificate': '公需科目合格证书',
  'seminar-completion': '高研班结业',
  claim: '学时登记',
  import: '批量导入',
  makeup: '补学',
  correction: '学时更正',
};

const noNul = (_label: string) => (s: string) => !s.includes('\u0000');
const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(min, min <= 1 ? `请填写${label}` : `${label}至少${min}个字`)
    .max(max, `${label}不能超过${max}个字`)
    .refine(noNul(label), `${label}含有不允许的字符`);
const day = (label: string) =>
  z
    .string({ error: `请选择${label}` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label}格式应为YYYY-MM-DD`)
    .refine(
      (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
      `${label}不是有效日期`,
    );
export const zCreditReason = text('原因', 2, 200);

/** One 学时折算标准 (table credit_standards). */
export const CREDIT_BASIS_LABELS = { day: '按天折算', item: '按项计算' } as const;
export const ZCreditStandardInput = z.object({
  form: text('学习形式', 1, 20),
  level: z.string().trim().max(20, '级别不能超过20个字').refine(noNul('级别'), '级别含有不允许的字符').default(''),
  category: z.enum(['public', 'professional'], { error: '请选择类别' }).default('professional'),
  basis: z.enum(['day', 'item'], { error: '请选择折算方式' }),
  hours: z.coerce
    .number({ error: '学时应为数字' })
    .int('学时应为整数')
    .min(1, '学时至少为1')
    .max(200, '学时不能超过200'),
  yearlyCap: z.coerce
    .number({ error: '年度上限应为数字' })
    .int('年度上限应为整数')
    .min(1, '年度上限至少为1')
    .max(500, '年度上限不能超过500')
    .nullable()
    .default(null),
  active: z.boolean().default(true),
  sort: z.coerce.number().int().min(0).max(999).default(0),
});
export type TCreditStandardInput = z.infer<typeof ZCreditStandardInput>;
export const ZCreditStandard = ZCreditStandardInput.extend({
  id: z.string(),
  label: z.string(),
  updatedAt: z.string(),
  /** For the signed-in person (学时登记): what this form has already used of its cap in the year asked. */
  usedThisYear: z.number().int().optional(),
});
export type TCreditStandard = z.infer<typeof ZCreditStandard>;
export const ZCreditStandardList = z.object({ items: z.array(ZCreditStandard) });

/** Days from start to end, both counted; 0 when the range is reversed or a date is missing. */
export function creditDays(startedOn: string, endedOn: string): number {
  const a = Date.parse(`${startedOn}T00:00:00Z`);
  const b = Date.parse(`${endedOn}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b) || b < a) return 0;
  return Math.round((b - a) / 86_400_000) + 1;
}

/**
 * The most a 学时登记 may claim under a standard: per day × days (or the fixed figure), no more than what is left of
 * the form's yearly cap. The person may claim less, never more.
 */
export function creditMaxHours(
  standard: Pick<TCreditStandard, 'basis' | 'hours' | 'yearlyCap'>,
  startedOn: string,
  endedOn: string,
  usedThisYear = 0,
): number {
  const computed = standard.basis === 'day' ? standard.hours * creditDays(startedOn, endedOn) : standard.hours;
  const left = standard.yearlyCap === null ? computed : Math.max(0, standard.yearlyCap - usedThisYear);
  return Math.min(computed, left);
}

/** 学时登记 as the person files it. The year is the year of 结束日期. */
export const ZCreditClaimInput = z
  .object({
    standardId: z.uuid('请选择学习形式'),
    title: text('项目名称', 2, 100),
    host: text('主办单位', 2, 100),
    startedOn: day('开始日期'),
    endedOn: day('结束日期'),
    content: text('学习内容', 5, 1000),
    hours: z.coerce
      .number({ error: '学时应为数字' })
      .int('学时应为整数')
      .min(1, '学时至少为1')
      .max(500, '学时不能超过500'),
    evidenceFileIds: z
      .array(z.uuid('证明材料无效，请重新上传'), { error: '请上传证明材料' })
      .min(1, '请上传至少1份证明材料（证书、通知或照片）')
      .max(9, '证明材料最多9份'),
  })
  .refine((v) => v.endedOn >= v.startedOn, { path: ['endedOn'], message: '结束日期不能早于开始日期' });
export type TCreditClaimInput = z.infer<typeof ZCreditClaimInput>;

export const ZCreditEvent = z.object({
  action: z.string(),
  actionLabel: z.string(),
  toStatus: z.string(),
  actorName: z.string(),
  reason: z.string().nullable(),
  at: z.string(),
});
export type TCreditEvent = z.infer<typeof ZCreditEvent>;

export const ZCreditEntry = z.object({
  id: z.string(),
  year: z.number().int(),
  category: z.enum(['public', 'professional']),
  categoryLabel: z.string(),
  form: z.string(),
  title: z.string(),
  hours: z.number().int(),
  createdAt: z.string(),
  status: z.enum(CREDIT_ENTRY_STATUSES),
  statusLabel: z.string(),
  source: z.string(),
  sourceLabel: z.string(),
  reason: z.string().nullable(),
  startedOn: z.string().nullable(),
  endedOn: z.string().nullable(),
  host: z.string().nullable(),
  content: z.string().nullable(),
  standardId: z.string().nullable(),
  evidence: z.array(z.object({ id: z.string(), name: z.string().nullable(), mime: z.string() })),
  events: z.array(ZCreditEvent),
});
export type TCreditEntry = z.infer<typeof ZCreditEntry>;

/** One year of the record: totals of the confirmed (已认定) entries. */
export const ZCreditYear = z.object({
  year: z.number().int(),
  hours: z.number().int(),
  publicHours: z.number().int(),
  professionalHours: z.number().int(),
  /** hours ≥ 90 and professionalHours ≥ 60. */
  met: z.boolean(),
  /** 学时登记 of the year still waiting (待单位确认 or 待认定). */
  pendingHours: z.number().int(),
});
export type TCreditYear = z.infer<typeof ZCreditYear>;
export const ZCreditList = z.object({
  /** Every entry of the person (any status), newest year first. */
  items: z.array(ZCreditEntry),
  /** 学时 per year, newest first; this year is always listed (with 0 when nothing is recorded yet). */
  years: z.array(ZCreditYear),
});
export type TCreditList = z.infer<typeof ZCreditList>;

/** 单位中心 → 学时审核 and the bureau's 认定 queue. */
export const ZCreditReviewQuery = z.object({
  status: z.enum(['pending', 'done', 'all']).default('pending'),
  keyword: z
    .string()
    .trim()
    .max(40, '关键词不能超过40个字')
    .refine((s) => !s.includes('\u0000'), '关键词含有不允许的字符')
    .optional(),
  year: z.coerce
    .number({ error: '年度应为数字' })
    .int()
    .min(2000, '年度不能早于2000年')
    .max(2100, '年度不能晚于2100年')
    .optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type TCreditReviewQuery = z.infer<typeof ZCreditReviewQuery>;
export const ZCreditReviewItem = ZCreditEntry.extend({
  holderName: z.string(),
  idNumberMasked: z.string(),
  unitName: z.string().nullable(),
  /** What the 学时折算标准 allowed when filed. */
  standardHours: z.number().int().nullable(),
});
export type TCreditReviewItem = z.infer<typeof ZCreditReviewItem>;
export const ZCreditReviewList = z.object({
  items: z.array(ZCreditReviewItem),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  pending: z.number().int(),
});
export type TCreditReviewList = z.infer<typeof ZCreditReviewList>;
export const ZCreditReturn = z.object({ reason: zCreditReason });

/** 学时证明 for a year or a range of years. */
export const ZCreditProofQuery = z
  .object({
    yearFrom: z.coerce
      .number({ error: '起始年度应为数字' })
      .int()
      .min(2000, '年度不能早于2000年')
      .max(2100, '年度不能晚于2100年'),
    yearTo: z.coerce
      .number({ error: '截止年度应为数字' })
      .int()
      .min(2000, '年度不能早于2000年')
      .max(2100, '年度不能晚于2100年'),
  })
  .refine((v) => v.yearTo >= v.yearFrom, { path: ['yearTo'], message: '截止年度不能早于起始年度' })
  .refine((v) => v.yearTo - v.yearFrom < 3, { path: ['yearTo'], message: '一份学时证明最多包含连续3个年度' });
export type TCreditProofQuery = z.infer<typeof ZCreditProofQuery>;

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
  /**
   * Over every member of the year, whatever the filter. `remindable`: the 未达标 who are still members today — the
   * ones 提醒未达标人员 reaches (someone who left during the year counts in the year but is no longer the unit's to remind).
   */
  summary: z.object({
    members: z.number().int(),
    met: z.number().int(),
    unmet: z.number().int(),
    remindable: z.number().int(),
  }),
});
export type TUnitCreditStats = z.infer<typeof ZUnitCreditStats>;

/** 单位中心 → 学时统计 → 提醒未达标人员. */
export const ZCreditRemind = z.object({
  year: z.coerce
    .number({ error: '年度应为数字' })
    .int('年度应为整数')
    .min(2000, '年度不能早于2000年')
    .max(2100, '年度不能晚于2100年'),
});
export const ZCreditRemindResult = z.object({ sent: z.number().int() });
