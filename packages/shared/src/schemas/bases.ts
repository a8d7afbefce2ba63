import { z } from 'zod';
import { BASE_KIND_LABELS } from '../applications/bases.js';
import { isCountyCode } from '../areas/index.js';

/** 继续教育基地 / 工程师基地, designated by 市人社局's approval of a 基地申报 (see applications/bases.ts). */
export const BASE_KIND_VALUES = ['education', 'engineer'] as const;
export type TBaseKind = (typeof BASE_KIND_VALUES)[number];

/**
 * What 基地名单 shows: 有效 (within its period), 即将到期 (valid, ending within BASE_EXPIRY_REMINDER_DAYS), 已到期
 * (past 有效期至), 已撤销 (revoked by 市人社局). Only `revoked` is stored; the others are read from the dates.
 */
export const BASE_STATUSES = ['valid', 'expiring', 'expired', 'revoked'] as const;
export type TBaseStatus = (typeof BASE_STATUSES)[number];
export const BASE_STATUS_LABELS: Record<TBaseStatus, string> = {
  valid: '有效',
  expiring: '即将到期',
  expired: '已到期',
  revoked: '已撤销',
};
/** The console's 状态 filter: 有效 includes 即将到期. */
export const BASE_STATUS_FILTERS = ['valid', 'expired', 'revoked'] as const;
export type TBaseStatusFilter = (typeof BASE_STATUS_FILTERS)[number];

const zKind = z.enum(BASE_KIND_VALUES, { error: '基地类型应为继续教育基地或工程师基地' });
const zKeyword = z.string().trim().max(50, '关键词最多50个字符').optional();
const zArea = z
  .string()
  .trim()
  .refine((v) => v === '' || isCountyCode(v), '所在区县无效')
  .transform((v) => v || undefined)
  .optional();
const zPage = z.coerce.number('页码须为正整数').int('页码须为正整数').min(1, '页码须为正整数').default(1);

/** 继续教育基地名单 on the portal (no login). */
export const ZBasePublicQuery = z.object({
  kind: zKind.default('education'),
  /** 单位名称, 编号 or 专业领域 (contains). */
  keyword: zKeyword,
  area: zArea,
  page: zPage,
  pageSize: z.coerce.number().int().min(1).max(50, '每页最多50条').default(10),
});
export type TBasePublicQuery = z.infer<typeof ZBasePublicQuery>;

export const ZBasePublic = z.object({
  id: z.string(),
  kind: zKind,
  number: z.string(),
  unitName: z.string(),
  field: z.string(),
  areaCode: z.string(),
  /** 所在区县 (the county's name). */
  areaName: z.string(),
  /** China dates YYYY-MM-DD, both inclusive. */
  validFrom: z.string(),
  validTo: z.string(),
});
export type TBasePublic = z.infer<typeof ZBasePublic>;
export const ZBasePublicList = z.object({
  items: z.array(ZBasePublic),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type TBasePublicList = z.infer<typeof ZBasePublicList>;

/** 基地名单 in the console; a 区县人社局 reviewer's `area` is always its own district. */
export const ZBaseAdminQuery = z.object({
  kind: zKind.optional(),
  status: z.enum(BASE_STATUS_FILTERS, { error: '状态应为有效、已到期或已撤销' }).optional(),
  keyword: zKeyword,
  area: zArea,
  page: zPage,
  pageSize: z.coerce.number().int().min(1).max(100, '每页最多100条').default(20),
});
export type TBaseAdminQuery = z.infer<typeof ZBaseAdminQuery>;
export const ZBaseExportQuery = ZBaseAdminQuery.omit({ page: true, pageSize: true });
export type TBaseExportQuery = z.infer<typeof ZBaseExportQuery>;

export const ZBaseAdmin = ZBasePublic.extend({
  applicationId: z.string(),
  status: z.enum(BASE_STATUSES),
  revokedAt: z.string().nullable(),
  revokeReason: z.string().nullable(),
  remindedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type TBaseAdmin = z.infer<typeof ZBaseAdmin>;
export const ZBaseAdminList = z.object({
  items: z.array(ZBaseAdmin),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** The district a 区县人社局 reviewer is limited to; null for 市人社局 and the system administrator. */
  scope: z.object({ areaCode: z.string(), name: z.string() }).nullable(),
  /** 撤销 is 市人社局's (and the system administrator's). */
  canRevoke: z.boolean(),
});
export type TBaseAdminList = z.infer<typeof ZBaseAdminList>;

export const ZBaseRevokeRequest = z.object({
  reason: z.string({ error: '请填写撤销原因' }).trim().min(2, '撤销原因至少2个字').max(500, '撤销原因最多500个字'),
});
export type TBaseRevokeRequest = z.infer<typeof ZBaseRevokeRequest>;

export const baseKindLabel = (kind: string) => BASE_KIND_LABELS[kind as TBaseKind] ?? kind;
