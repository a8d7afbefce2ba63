import { z } from 'zod';
import { CREDIT_ENTRY_STATUSES } from './credits.js';

/**
 * 学时批量导入 (issue 19 §2): an Excel file of finished training, one line per person and project. The 培训中心
 * imports into 学时档案 as 已认定; a 继续教育基地 imports its own classes as 待认定 (the district's 人社局 recognises
 * them). Lines that fail stay out and come back as an error file with the reason on each line.
 */
export const CREDIT_IMPORT_MAX_ROWS = 10_000;
export const CREDIT_IMPORT_MAX_BYTES = 5 * 1024 * 1024;
export const CREDIT_IMPORT_MAX_HOURS = 200;
/** The template's columns, in order; the reader finds them by these labels, wherever they stand. */
export const CREDIT_IMPORT_COLUMNS = [
  '姓名',
  '身份证号码',
  '项目名称',
  '类别',
  '学习形式',
  '学时',
  '结束日期',
] as const;
export const CREDIT_IMPORT_TEMPLATE_FILENAME = '学时批量导入模板.xlsx';

export const ZCreditImportQuery = z.object({
  page: z.coerce.number({ error: '页码应为数字' }).int('页码应为整数').min(1, '页码须为正整数').default(1),
  pageSize: z.coerce.number({ error: '每页条数应为数字' }).int().min(1).max(100, '每页最多100条').default(20),
});
export type TCreditImportQuery = z.infer<typeof ZCreditImportQuery>;

/** One import as its result and the history show it. */
export const ZCreditImport = z.object({
  id: z.string(),
  filename: z.string(),
  /** Lines read (non-empty rows under the header). */
  rows: z.number().int(),
  /** Entries added by this file. */
  imported: z.number().int(),
  /** Lines already in 学时档案 (the same file, or the same line, imported before). */
  duplicates: z.number().int(),
  /** Lines refused, listed in the error file with their reasons. */
  errors: z.number().int(),
  /** Where the error file is downloaded (null when every line passed, or once the file was deleted). */
  errorFileUrl: z.string().nullable(),
  /**
   * The error file existed and was deleted when its retention ran out: it held the refused lines as typed, full
   * 身份证号码 included, which are not kept longer than the sender needs to correct them.
   */
  errorFileExpired: z.boolean(),
  /** What the imported entries became: 已认定 (培训中心) or 待认定 (a base's import). */
  entryStatus: z.enum(CREDIT_ENTRY_STATUSES),
  entryStatusLabel: z.string(),
  actorName: z.string(),
  /** The base that imported it; null for the 培训中心. */
  unitName: z.string().nullable(),
  createdAt: z.string(),
});
export type TCreditImport = z.infer<typeof ZCreditImport>;

/** What the page and the refused download say once an error file was deleted. */
export const errorFileExpiredMessage = (days: number) => `错误文件已超过保存期限（${days}天）被删除`;

export const ZCreditImportList = z.object({
  items: z.array(ZCreditImport),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Whether this user may upload now (单位中心: only a base in its 有效期); the reason when not. */
  canImport: z.boolean(),
  notAllowedReason: z.string().nullable(),
  /** How many days after an import its error file is kept (IMPORT_ERROR_FILE_DAYS), said before anyone uploads. */
  errorFileDays: z.number().int(),
});
export type TCreditImportList = z.infer<typeof ZCreditImportList>;
