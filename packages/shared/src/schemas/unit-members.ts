import { z } from 'zod';

/** 工作单位 links (table unit_members): who belongs to which approved unit. */
export const UNIT_MEMBER_STATUSES = ['pending', 'confirmed', 'declined', 'cancelled', 'left'] as const;
export type TUnitMemberStatus = (typeof UNIT_MEMBER_STATUSES)[number];
export const UNIT_MEMBER_STATUS_LABELS: Record<TUnitMemberStatus, string> = {
  pending: '待单位确认',
  confirmed: '已确认',
  declined: '单位已拒绝',
  cancelled: '已撤回',
  left: '已离开',
};

/** Who may do what, from which status (the person: cancel, leave; the unit's administrator: confirm, decline, remove). */
export const UNIT_MEMBER_TRANSITIONS = {
  confirm: { pending: 'confirmed' },
  decline: { pending: 'declined' },
  cancel: { pending: 'cancelled' },
  remove: { confirmed: 'left' },
  leave: { confirmed: 'left' },
} as const satisfies Record<string, Partial<Record<TUnitMemberStatus, TUnitMemberStatus>>>;
export type TUnitMemberAction = keyof typeof UNIT_MEMBER_TRANSITIONS;

export const UNIT_MEMBER_SOURCE_LABELS = {
  self: '本人申请',
  roster: '学员注册名单',
  'group-order': '团体购买',
} as const;

const reason = z
  .string({ error: '请填写原因' })
  .trim()
  .min(2, '原因至少2个字')
  .max(200, '原因不能超过200个字')
  .refine((s) => !s.includes('\u0000'), '原因含有不允许的字符');

/** 个人中心 → 工作单位: search approved units by name or 统一社会信用代码. */
export const ZWorkUnitSearchQuery = z.object({
  keyword: z
    .string()
    .trim()
    .min(2, '请输入至少2个字的单位名称或统一社会信用代码')
    .max(60, '关键词不能超过60个字')
    .refine((s) => !s.includes('\u0000'), '关键词含有不允许的字符'),
});
export const ZWorkUnitOption = z.object({
  id: z.string(),
  name: z.string(),
  uscc: z.string(),
  locatedAreaLabel: z.string(),
});
export type TWorkUnitOption = z.infer<typeof ZWorkUnitOption>;
export const ZWorkUnitSearchResult = z.object({ items: z.array(ZWorkUnitOption) });

export const ZWorkUnitRequest = z.object({ unitId: z.uuid('请选择单位') });

export const ZWorkUnitLink = z.object({
  id: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  status: z.enum(UNIT_MEMBER_STATUSES),
  statusLabel: z.string(),
  source: z.string(),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  joinedAt: z.string().nullable(),
  leftAt: z.string().nullable(),
  reason: z.string().nullable(),
});
export type TWorkUnitLink = z.infer<typeof ZWorkUnitLink>;
/** The person's current unit, the request waiting, and every link before (newest first). */
export const ZMyWorkUnit = z.object({
  current: ZWorkUnitLink.nullable(),
  pending: ZWorkUnitLink.nullable(),
  history: z.array(ZWorkUnitLink),
});
export type TMyWorkUnit = z.infer<typeof ZMyWorkUnit>;

/** 单位中心 → 单位人员. */
export const ZUnitMemberQuery = z.object({
  status: z.enum(['pending', 'confirmed', 'left']).default('confirmed'),
  keyword: z.string().trim().max(40, '关键词不能超过40个字').optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export const ZUnitMember = z.object({
  id: z.string(),
  realName: z.string(),
  idNumberMasked: z.string(),
  phoneMasked: z.string(),
  status: z.enum(UNIT_MEMBER_STATUSES),
  statusLabel: z.string(),
  source: z.string(),
  sourceLabel: z.string(),
  requestedAt: z.string(),
  joinedAt: z.string().nullable(),
  leftAt: z.string().nullable(),
  reason: z.string().nullable(),
});
export type TUnitMember = z.infer<typeof ZUnitMember>;
export const ZUnitMemberList = z.object({
  items: z.array(ZUnitMember),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Requests waiting, whatever the tab (the tab's badge). */
  pendingCount: z.number().int(),
});
export type TUnitMemberList = z.infer<typeof ZUnitMemberList>;
export const ZUnitMemberDecision = z.object({ reason: reason.optional() });
export const ZUnitMemberReason = z.object({ reason });
