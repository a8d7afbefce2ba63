import { z } from 'zod';
import { ID_TYPES } from '../validators/id-document.js';
import { ORDER_KINDS, ORDER_STATUSES } from './purchase.js';

// ---------------- 学员管理 (console: training centre) ----------------

export const LEARNER_SORTS = ['createdAt:desc', 'createdAt:asc', 'realName:asc'] as const;
export const LEARNER_SORT_LABELS: Record<(typeof LEARNER_SORTS)[number], string> = {
  'createdAt:desc': '注册时间（新→旧）',
  'createdAt:asc': '注册时间（旧→新）',
  'realName:asc': '姓名',
};

/**
 * 学员查询: a full document number of any type recognisable by its shape (身份证, 港澳/台湾居民居住证, 外国人永久居留
 * 身份证) or an 11-digit phone is matched exactly (by its keyed hash, the only way the database can be asked);
 * anything else matches names (contains) and usernames (prefix).
 */
export const ZLearnerQuery = z.object({
  q: z.string({ error: '请输入姓名、证件号码或手机号' }).trim().max(50, '搜索内容最多50个字').optional(),
  page: z.coerce.number().int('页码须为正整数').min(1, '页码须为正整数').default(1),
  pageSize: z.coerce.number().int().min(1, '每页至少1条').max(100, '每页最多100条').default(20),
  sort: z.enum(LEARNER_SORTS, { error: '排序方式无效' }).default('createdAt:desc'),
});
export type TLearnerQuery = z.infer<typeof ZLearnerQuery>;

/** What lists and the profile show: ID number and phone always masked. */
export const ZLearnerSummary = z.object({
  id: z.string(),
  username: z.string(),
  realName: z.string(),
  idType: z.enum(ID_TYPES),
  idNumberMasked: z.string(),
  phoneMasked: z.string().nullable(),
  realNameVerified: z.boolean(),
  status: z.string(),
  /** 锁定: too many wrong passwords, until lockedUntil. */
  locked: z.boolean(),
  lockedUntil: z.string().nullable(),
  mustChangePassword: z.boolean(),
  createdAt: z.string(),
  orderCount: z.number().int(),
  enrollmentCount: z.number().int(),
});
export type TLearnerSummary = z.infer<typeof ZLearnerSummary>;

export const ZLearnerList = z.object({
  items: z.array(ZLearnerSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const ZLearnerDetail = z.object({
  profile: ZLearnerSummary.extend({
    realNameVerifiedAt: z.string().nullable(),
    passwordChangedAt: z.string(),
  }),
  /** Orders the person bought (buyer) or is listed in (团体购买 member). */
  orders: z.array(
    z.object({
      id: z.string(),
      orderNo: z.string(),
      kind: z.enum(ORDER_KINDS),
      planName: z.string(),
      amountFen: z.number().int(),
      status: z.enum(ORDER_STATUSES),
      role: z.enum(['buyer', 'member']),
      createdAt: z.string(),
      paidAt: z.string().nullable(),
    }),
  ),
  enrollments: z.array(
    z.object({
      id: z.string(),
      planId: z.string(),
      planName: z.string(),
      year: z.number().int(),
      orderNo: z.string().nullable(),
      enrolledAt: z.string(),
      creditedHours: z.number().int(),
      requiredHours: z.number().int(),
      completed: z.boolean(),
      completedAt: z.string().nullable(),
    }),
  ),
  certificates: z.array(
    z.object({
      certNo: z.string(),
      planName: z.string(),
      year: z.number().int(),
      hours: z.number().int(),
      issuedAt: z.string(),
      status: z.enum(['valid', 'revoked']),
    }),
  ),
});
export type TLearnerDetail = z.infer<typeof ZLearnerDetail>;

/** 查看完整信息: only for staff holding 查看完整身份信息 (pii-viewer); every reveal is audited. */
export const ZLearnerReveal = z.object({
  idNumber: z.string(),
  phone: z.string().nullable(),
});

/** 重置密码: the server picks the temporary password (the request carries nothing). */
export const ZLearnerResetResult = z.object({
  /** The SMS with the temporary password was queued to the person's phone. */
  smsSent: z.boolean(),
  phoneMasked: z.string().nullable(),
  /** Shown to the operator once, only when the person has no phone to send it to. */
  temporaryPassword: z.string().nullable(),
  sessionsEnded: z.number().int(),
});

export const ZLearnerUnlockResult = z.object({
  smsSent: z.boolean(),
  phoneMasked: z.string().nullable(),
});

// ---------------- 退款 (订单管理) ----------------

export const ZOrderRefundRequest = z.object({
  reason: z.string({ error: '请填写退款原因' }).trim().min(2, '退款原因至少2个字').max(200, '退款原因最多200个字'),
});
export type TOrderRefundRequest = z.infer<typeof ZOrderRefundRequest>;

export const ZOrderRefundResult = z.object({
  orderId: z.string(),
  status: z.literal('refunded'),
  outRefundNo: z.string(),
  amountFen: z.number().int(),
  /** pending until the payment channel confirms (the refund job). */
  refundStatus: z.string(),
  enrollmentsRemoved: z.number().int(),
  /** A red-letter invoice was queued to reverse the issued one. */
  invoiceReversed: z.boolean(),
});
