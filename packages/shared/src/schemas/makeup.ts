import { z } from 'zod';

/** 补学: the years before the current platform (2011–2022) whose 公需科目 can be studied again for free. */
export const MAKEUP_FIRST_YEAR = 2011;
export const MAKEUP_LAST_YEAR = 2022;
export const MAKEUP_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type TMakeupStatus = (typeof MAKEUP_STATUSES)[number];
export const MAKEUP_STATUS_LABELS: Record<TMakeupStatus, string> = {
  pending: '待审核',
  approved: '已通过',
  rejected: '未通过',
};
export const MAKEUP_EVIDENCE_LABELS = { receipt: '缴费凭证', pledge: '缴费承诺书' } as const;

const yearMessage = `补学年度应为${MAKEUP_FIRST_YEAR}—${MAKEUP_LAST_YEAR}年`;
export const zMakeupYear = z.coerce
  .number(yearMessage)
  .int(yearMessage)
  .min(MAKEUP_FIRST_YEAR, yearMessage)
  .max(MAKEUP_LAST_YEAR, yearMessage);

const zDate = (label: string) => z.iso.date(`${label}格式应为YYYY-MM-DD`);

/** One row of 附件3's table: 缴费年度, 订单编号, 付款人, 缴费时间, 缴费平台, plus its 缴费证明材料 (screenshot). */
export const ZMakeupReceiptRow = z.object({
  year: z.number('请填写缴费年度').int('缴费年度无效'),
  orderNo: z.string().trim().min(1, '请填写订单编号').max(64, '订单编号最多64个字符'),
  payer: z.string().trim().min(1, '请填写付款人').max(50, '付款人最多50个字符'),
  paidAt: zDate('缴费时间'),
  platform: z.string().trim().min(1, '请填写缴费平台').max(100, '缴费平台最多100个字符'),
  fileId: z.uuid('请上传缴费证明材料'),
});
export type TMakeupReceiptRow = z.infer<typeof ZMakeupReceiptRow>;

/** 缴费承诺书's blanks: 已于___年___月___日缴费 and 因___原因，无法提供缴费凭证. */
export const ZMakeupPledge = z.object({
  paidOn: zDate('缴费日期'),
  reason: z.string().trim().min(2, '请填写无法提供缴费凭证的原因').max(200, '原因最多200个字符'),
});
export type TMakeupPledge = z.infer<typeof ZMakeupPledge>;

export const ZMakeupRequestInput = z.discriminatedUnion('evidenceKind', [
  z.object({
    year: zMakeupYear,
    evidenceKind: z.literal('receipt'),
    rows: z.array(ZMakeupReceiptRow).min(1, '请至少填写一条缴费记录').max(20, '缴费记录最多20条'),
  }),
  z.object({
    year: zMakeupYear,
    evidenceKind: z.literal('pledge'),
    pledge: ZMakeupPledge,
    /** The signed 缴费承诺书 (scan or photo). */
    pledgeFileId: z.uuid('请上传签字后的缴费承诺书'),
  }),
]);
export type TMakeupRequestInput = z.infer<typeof ZMakeupRequestInput>;

export const ZMakeupRequest = z.object({
  id: z.string(),
  year: z.number().int(),
  evidenceKind: z.enum(['receipt', 'pledge']),
  rows: z.array(ZMakeupReceiptRow),
  pledge: ZMakeupPledge.nullable(),
  pledgeFileId: z.string().nullable(),
  status: z.enum(MAKEUP_STATUSES),
  /** 未通过's reason. */
  reason: z.string().nullable(),
  submittedAt: z.string(),
  /** 3 working days (Monday–Friday, China time) after submission. */
  dueAt: z.string(),
  decidedAt: z.string().nullable(),
  planId: z.string().nullable(),
  orderId: z.string().nullable(),
});
export type TMakeupRequest = z.infer<typeof ZMakeupRequest>;
export const ZMakeupRequestList = z.object({ items: z.array(ZMakeupRequest) });

export const ZMakeupEnrollmentList = z.object({
  items: z.array(
    z.object({
      year: z.number().int(),
      planId: z.string(),
      planName: z.string(),
      orderNo: z.string(),
      enrolledAt: z.string(),
    }),
  ),
});

export const ZMakeupPledgeQuery = z.object({ year: zMakeupYear });

// ---------------- operators (内网 补学审核) ----------------

export const ZAdminMakeupQuery = z.object({
  status: z.enum(MAKEUP_STATUSES).optional(),
  year: zMakeupYear.optional(),
  /** 姓名 (contains). */
  name: z.string().trim().max(30).optional(),
  /** Only pending requests past their 3-working-day due time. */
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  page: z.coerce.number().int().min(1, '页码须为正整数').default(1),
  pageSize: z.coerce.number().int().min(1).max(100, '每页最多100条').default(20),
});
export type TAdminMakeupQuery = z.infer<typeof ZAdminMakeupQuery>;

export const ZAdminMakeupRequest = ZMakeupRequest.extend({
  learnerName: z.string(),
  username: z.string(),
  idNumberMasked: z.string(),
  phoneMasked: z.string().nullable(),
  overdue: z.boolean(),
  decidedBy: z.string().nullable(),
});
export type TAdminMakeupRequest = z.infer<typeof ZAdminMakeupRequest>;
export const ZAdminMakeupList = z.object({
  items: z.array(ZAdminMakeupRequest),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const ZMakeupReject = z.object({
  reason: z.string().trim().min(2, '请填写驳回原因（至少2个字）').max(200, '驳回原因最多200个字符'),
});
