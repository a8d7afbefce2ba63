import { z } from 'zod';
import {
  INVOICE_STATUSES,
  INVOICE_TITLE_TYPES,
  ORDER_KINDS,
  ORDER_STATUSES,
  PAYMENT_CHANNEL_KEYS,
} from '../labels/purchase.js';
import { normalizeUscc, validateUscc } from '../validators/uscc.js';
import { ZPlanCourseRef } from './courses.js';

// The codes and their labels live in a module without zod (pages that only show a status load no validation code).
export * from '../labels/purchase.js';

const zPage = z.coerce.number().int().min(1, '页码须为正整数').default(1);
const zPageSize = z.coerce.number().int().min(1).max(100, '每页最多100条').default(20);

// ---------------- plans (学习计划 / 培训项目) ----------------

export const ZPlanInput = z
  .object({
    name: z.string({ error: '请输入计划名称' }).trim().min(4, '计划名称至少4个字').max(100, '计划名称不能超过100个字'),
    year: z.coerce.number().int('年度应为整数').min(2000, '年度无效').max(2100, '年度无效'),
    priceFen: z
      .number({ error: '请输入价格' })
      .int('价格应以分为单位的整数')
      .min(0, '价格不能为负数')
      .max(100_000_00, '价格不能超过100000元'),
    requiredHours: z
      .number({ error: '请输入要求学时' })
      .int()
      .min(1, '要求学时至少为1')
      .max(500, '要求学时不能超过500'),
    saleFrom: z.iso.datetime({ offset: true, error: '请选择开售时间' }),
    saleTo: z.iso.datetime({ offset: true, error: '请选择停售时间' }),
    description: z.string().trim().max(5000, '说明不能超过5000个字').default(''),
    coverFileId: z.uuid('封面图片无效').nullable().default(null),
    /** Catalogue courses in the order learners see them (课程管理); 发布 needs their 学时 to reach 要求学时. */
    courseIds: z
      .array(z.uuid('课程无效'))
      .max(200, '课程最多200门')
      .refine((ids) => new Set(ids).size === ids.length, '同一课程不能重复添加')
      .default([]),
    published: z.boolean().default(false),
  })
  .refine((v) => new Date(v.saleTo) > new Date(v.saleFrom), { path: ['saleTo'], message: '停售时间应晚于开售时间' });
export type TPlanInput = z.infer<typeof ZPlanInput>;

export const ZPlan = z.object({
  id: z.string(),
  name: z.string(),
  year: z.number().int(),
  priceFen: z.number().int(),
  requiredHours: z.number().int(),
  saleFrom: z.string(),
  saleTo: z.string(),
  description: z.string(),
  coverFileId: z.string().nullable(),
  courses: z.array(ZPlanCourseRef),
  /** Sum of the courses' 学时. */
  totalHours: z.number().int(),
  published: z.boolean(),
  /** Published and within the sale period now. */
  onSale: z.boolean(),
  createdAt: z.string(),
});
export type TPlan = z.infer<typeof ZPlan>;
export const ZPlanList = z.object({ items: z.array(ZPlan), total: z.number().int() });

/** The portal's plan page: the plan and where the signed-in person stands with it. */
export const ZPlanForMe = ZPlan.extend({
  mine: z
    .object({
      enrolled: z.boolean(),
      /** The person's own pending order of this plan (去支付). */
      openOrderId: z.string().nullable(),
      /** Listed in somebody else's pending 团购 order: their buyer pays, not them. */
      pendingInGroup: z.boolean(),
    })
    .nullable(),
});

// ---------------- invoices requested with an order ----------------

const TAX_NO_MESSAGES: Record<string, string> = {
  required: '单位抬头请输入纳税人识别号',
  length: '纳税人识别号应为18位统一社会信用代码',
  format: '纳税人识别号只能包含数字和大写字母（不含I、O、Z、S、V）',
  checkChar: '纳税人识别号校验位错误，请与单位财务人员核对',
};

/** 发票抬头: 个人 (the name) or 单位 (name + 纳税人识别号 = a valid USCC). */
export const ZInvoiceTitle = z
  .object({
    titleType: z.enum(INVOICE_TITLE_TYPES, { error: '请选择抬头类型' }),
    title: z.string({ error: '请输入发票抬头' }).trim().min(2, '请输入发票抬头').max(100, '发票抬头不能超过100个字'),
    taxNo: z.string().trim().max(20).optional(),
    email: z
      .string()
      .trim()
      .max(100)
      .refine((v) => v === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), '电子邮箱格式不正确')
      .optional(),
  })
  .transform((v) => ({ ...v, taxNo: v.taxNo ? normalizeUscc(v.taxNo) : undefined, email: v.email || undefined }))
  .superRefine((v, ctx) => {
    if (v.titleType !== 'unit') return;
    if (!v.taxNo) {
      ctx.addIssue({ code: 'custom', path: ['taxNo'], message: '单位抬头请输入纳税人识别号' });
      return;
    }
    const err = validateUscc(v.taxNo);
    if (err)
      ctx.addIssue({
        code: 'custom',
        path: ['taxNo'],
        message: TAX_NO_MESSAGES[err] as string,
      });
  });
export type TInvoiceTitle = z.output<typeof ZInvoiceTitle>;

export const ZInvoiceChoice = z.discriminatedUnion(
  'mode',
  [z.object({ mode: z.literal('now'), title: ZInvoiceTitle }), z.object({ mode: z.literal('later') })],
  { error: '请选择发票：立即申请或以后申请' },
);

// ---------------- orders ----------------

/** 个人购买: the price comes from the plan on the server; a body carrying a price is ignored. */
export const ZIndividualOrderRequest = z.object({
  planId: z.uuid('学习计划无效'),
  invoice: ZInvoiceChoice,
});

/** 团体购买, step 1 (立即购买): the pasted ID numbers are checked line by line. */
export const ZGroupCheckRequest = z.object({
  planId: z.uuid('学习计划无效'),
  idNumbers: z.string({ error: '请输入身份证号码' }).max(400_000, '最多10000个身份证号码'),
});
export const GROUP_MAX_LINES = 10_000;

export const ZGroupCheckResult = z.object({
  checkId: z.string(),
  planId: z.string(),
  valid: z.number().int(),
  invalid: z.number().int(),
  amountFen: z.number().int(),
  /** The first rejected lines (the error file has them all). */
  errors: z.array(z.object({ line: z.number().int(), value: z.string(), reason: z.string() })),
  expiresAt: z.string(),
});
export type TGroupCheckResult = z.infer<typeof ZGroupCheckResult>;

/** 团体购买, step 2 (提交订单): the valid lines of a check become the order. */
export const ZGroupOrderRequest = z.object({
  checkId: z.uuid('校验结果无效，请重新提交身份证号码'),
  invoice: ZInvoiceChoice,
});

export const ZOrderActions = z.object({
  pay: z.boolean(),
  cancel: z.boolean(),
  requestInvoice: z.boolean(),
  viewInvoice: z.boolean(),
});

export const ZOrder = z.object({
  id: z.string(),
  orderNo: z.string(),
  kind: z.enum(ORDER_KINDS),
  planId: z.string(),
  planName: z.string(),
  unitPriceFen: z.number().int(),
  quantity: z.number().int(),
  amountFen: z.number().int(),
  status: z.enum(ORDER_STATUSES),
  createdAt: z.string(),
  expiresAt: z.string(),
  paidAt: z.string().nullable(),
  channel: z.string().nullable(),
  invoiceMode: z.enum(['now', 'later']),
  /** The current (blue, not reversed) invoice's status, if any. */
  invoiceStatus: z.enum(['pending', 'issued', 'failed']).nullable(),
  actions: ZOrderActions,
});
export type TOrder = z.infer<typeof ZOrder>;
export const ZOrderList = z.object({
  items: z.array(ZOrder),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export const ZOrderListQuery = z.object({
  kind: z.enum(ORDER_KINDS).optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  page: zPage,
  pageSize: zPageSize,
});

/** 团购订单: the members and whether each is enrolled. */
export const ZOrderMembers = z.object({
  items: z.array(
    z.object({
      line: z.number().int().nullable(),
      realName: z.string(),
      idNumberMasked: z.string(),
      enrolled: z.boolean(),
    }),
  ),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

// ---------------- payment ----------------

export const ZPayRequest = z.object({
  channel: z.enum(PAYMENT_CHANNEL_KEYS, { error: '请选择支付方式' }),
  /** wechat: a page inside the WeChat app (微信支付 becomes JSAPI there). */
  device: z.enum(['desktop', 'mobile', 'wechat']).default('desktop'),
});
export const ZPayStart = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('redirect'), url: z.string() }),
  z.object({ kind: z.literal('form'), html: z.string() }),
  z.object({ kind: z.literal('qr'), codeUrl: z.string() }),
  z.object({ kind: z.literal('jsapi'), params: z.record(z.string(), z.string()) }),
]);

// ---------------- invoices (我的发票) ----------------

export const ZInvoice = z.object({
  id: z.string(),
  orderId: z.string(),
  orderNo: z.string(),
  planName: z.string(),
  kind: z.enum(['blue', 'red']),
  status: z.enum(INVOICE_STATUSES),
  titleType: z.enum(INVOICE_TITLE_TYPES),
  title: z.string(),
  taxNo: z.string().nullable(),
  email: z.string().nullable(),
  amountFen: z.number().int(),
  invoiceNo: z.string().nullable(),
  issuedAt: z.string().nullable(),
  /** 修改 allowed now (once, within 15 days, same calendar year). */
  canModify: z.boolean(),
  /** Why 修改 is not allowed, when it is not. */
  modifyBlockedReason: z.string().nullable(),
});
export type TInvoice = z.infer<typeof ZInvoice>;
export const ZInvoiceList = z.object({ items: z.array(ZInvoice) });

/** 发票查验: what anyone holding the invoice (or its QR) may confirm; the buyer's name is masked. */
export const ZInvoiceVerification = z.object({
  valid: z.boolean(),
  invoiceNo: z.string(),
  kind: z.enum(['blue', 'red']).nullable(),
  status: z.enum(['issued', 'reversed']).nullable(),
  issuedAt: z.string().nullable(),
  amountFen: z.number().int().nullable(),
  buyerMasked: z.string().nullable(),
});

// ---------------- operators (内网 订单管理) ----------------

export const ZAdminOrderQuery = z.object({
  orderNo: z.string().trim().max(32).optional(),
  /** 购买人 name (contains) or the exact ID number. */
  buyer: z.string().trim().max(30).optional(),
  planId: z.uuid('学习计划无效').optional(),
  kind: z.enum(ORDER_KINDS).optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  createdFrom: z.iso.date('下单日期格式应为YYYY-MM-DD').optional(),
  createdTo: z.iso.date('下单日期格式应为YYYY-MM-DD').optional(),
  /** Only orders with a 待处理 payment (paid with another amount than asked, not yet refunded). */
  paymentException: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  page: zPage,
  pageSize: zPageSize,
});
export type TAdminOrderQuery = z.infer<typeof ZAdminOrderQuery>;

export const ZAdminOrder = ZOrder.omit({ actions: true }).extend({
  buyerName: z.string(),
  buyerIdMasked: z.string(),
  /** A payment of this order is 待处理 (amount not as asked) and not yet refunded. */
  paymentException: z.boolean(),
});
export const ZAdminOrderList = z.object({
  items: z.array(ZAdminOrder),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Sum of amountFen of the paid orders matching the filters. */
  paidFen: z.number().int(),
  /** Orders (all, not only the filtered ones) with a 待处理 payment: 订单管理's alert. */
  paymentExceptions: z.number().int(),
});

export const ZAdminOrderDetail = z.object({
  order: ZAdminOrder,
  enrolled: z.number().int(),
  payments: z.array(
    z.object({
      outTradeNo: z.string(),
      channel: z.string(),
      provider: z.string(),
      amountFen: z.number().int(),
      /** created, paid, closed, refunded, exception (待处理). */
      status: z.string(),
      /** What was actually paid, when it was not amountFen (exception). */
      receivedFen: z.number().int().nullable(),
      /** 待处理 and not yet refunded: 订单管理 offers 退款 of this payment. */
      refundable: z.boolean(),
      tradeNo: z.string().nullable(),
      paidAt: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  notifications: z.array(
    z.object({
      outTradeNo: z.string().nullable(),
      verified: z.boolean(),
      outcome: z.string(),
      amountFen: z.number().int().nullable(),
      receivedAt: z.string(),
    }),
  ),
  refunds: z.array(
    z.object({
      outRefundNo: z.string(),
      amountFen: z.number().int(),
      reason: z.string(),
      status: z.string(),
      createdAt: z.string(),
    }),
  ),
  invoices: z.array(
    z.object({
      kind: z.string(),
      status: z.string(),
      title: z.string(),
      invoiceNo: z.string().nullable(),
      amountFen: z.number().int(),
      issuedAt: z.string().nullable(),
      lastError: z.string().nullable(),
    }),
  ),
});

/** 退款 of a 待处理 payment (paid with another amount than asked): the whole amount received goes back. */
export const ZPaymentExceptionRefundResult = z.object({
  outRefundNo: z.string(),
  amountFen: z.number().int(),
  refundStatus: z.string(),
});
export type TPaymentExceptionRefundResult = z.infer<typeof ZPaymentExceptionRefundResult>;
