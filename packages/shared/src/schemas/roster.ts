import { z } from 'zod';

/** 学员注册名单: upload, validation result, import progress and the per-row table. */

export const ROSTER_MAX_ROWS = 10_000;

/**
 * validated → importing → done; validated → expired when not imported within IMPORT_ERROR_FILE_DAYS of the upload
 * (its 通过 rows, people's ID numbers and phones waiting for accounts, are then deleted).
 */
export const ZRosterImportStatus = z.enum(['validated', 'importing', 'done', 'expired']);
export const ZRosterRowStatus = z.enum(['valid', 'invalid', 'created', 'existing']);
export type TRosterRowStatus = z.infer<typeof ZRosterRowStatus>;
/** A row's 结果 as the result tabs, the table and the 导入结果 report show it. */
export const ROSTER_ROW_STATUS_LABELS: Record<TRosterRowStatus, string> = {
  valid: '通过',
  invalid: '未通过',
  existing: '已注册',
  created: '已创建',
};

/** The template's header block (区县, 联系人, 单位全称, 联系电话) as the sender filled it in. */
export const ZRosterHeader = z.object({
  district: z.string(),
  contact: z.string(),
  unitName: z.string(),
  phone: z.string(),
});
export type TRosterHeader = z.infer<typeof ZRosterHeader>;

export const ZRosterSummary = z.object({
  id: z.string(),
  status: ZRosterImportStatus,
  fileName: z.string(),
  header: ZRosterHeader,
  total: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  createdCount: z.number().int(),
  existingCount: z.number().int(),
  /** (createdCount + existingCount) / valid, 0…1; 1 once done or when nothing was valid. */
  progress: z.number(),
  createdAt: z.string(),
});
export type TRosterSummary = z.infer<typeof ZRosterSummary>;

export const ZRosterList = z.object({ items: z.array(ZRosterSummary), total: z.number().int() });

export const ZRosterRow = z.object({
  line: z.number().int(),
  name: z.string(),
  idNumberMasked: z.string(),
  status: ZRosterRowStatus,
  reason: z.string().nullable(),
  /** The account's 用户名 for created and already registered people. */
  username: z.string().nullable(),
});

export const ZRosterDetail = ZRosterSummary.extend({
  /**
   * The 未通过 rows were deleted when their retention ran out: they held the ID numbers and phones as typed, which
   * are not kept longer than the sender needs to correct them. The counts stay.
   */
  invalidRowsExpired: z.boolean(),
  /**
   * How many days after the upload the 未通过 rows are kept (IMPORT_ERROR_FILE_DAYS), and how long an upload may wait
   * for 确认导入 before it is 已过期.
   */
  invalidRowsDays: z.number().int(),
  rows: z.array(ZRosterRow),
  rowsTotal: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type TRosterDetail = z.infer<typeof ZRosterDetail>;

/** What the page says once the 未通过 rows of an upload were deleted. */
export const invalidRowsExpiredMessage = (days: number) => `未通过校验的行已超过保存期限（${days}天）被删除`;

/** What the page and the refused 确认导入 say of an upload not imported in time (ROSTER_EXPIRED). */
export const rosterExpiredMessage = (days: number) =>
  `该名单上传后${days}天内未确认导入，已过期，通过校验的行已删除，不能再导入；如需导入，请重新上传名单`;

export const ZRosterDetailQuery = z.object({
  page: z.coerce.number().int().min(1, '页码须为正整数').default(1),
  pageSize: z.coerce.number().int().min(1).max(500, '每页最多500条').default(50),
  status: ZRosterRowStatus.optional(),
});
export type TRosterDetailQuery = z.infer<typeof ZRosterDetailQuery>;

/** 确认导入: optionally an e-mail address that receives the "import done" notice with the counts. */
export const ZRosterStartImport = z.object({
  notifyEmail: z
    .string()
    .trim()
    .max(100, '通知邮箱不能超过100个字符')
    .refine((v) => v === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), '通知邮箱格式不正确')
    .optional()
    .transform((v) => v || undefined),
});
export type TRosterStartImport = z.infer<typeof ZRosterStartImport>;
