/**
 * 公需科目 purchase codes and the labels every screen shows for them. No zod here: a page that only shows an
 * order's or invoice's status imports this module and loads no validation code (the schemas re-export it).
 */

export const INVOICE_TITLE_TYPES = ['personal', 'unit'] as const;
export const INVOICE_TITLE_TYPE_LABELS = { personal: '个人', unit: '单位' } as const;

/** refunded: 退款 by the training centre (订单管理), enrolments removed. */
export const ORDER_STATUSES = ['pending', 'paid', 'expired', 'cancelled', 'refunded'] as const;
export type TOrderStatus = (typeof ORDER_STATUSES)[number];
export const ORDER_STATUS_LABELS: Record<TOrderStatus, string> = {
  pending: '待支付',
  paid: '已支付',
  expired: '已过期',
  cancelled: '已取消',
  refunded: '已退款',
};
export const ORDER_KINDS = ['individual', 'group', 'makeup'] as const;
export type TOrderKind = (typeof ORDER_KINDS)[number];
/** makeup: 补学 approved by the training centre — a 0-amount order written on approval, never sold. */
export const ORDER_KIND_LABELS = { individual: '个人购买', group: '团体购买', makeup: '补学开通' } as const;

export const PAYMENT_CHANNEL_KEYS = ['alipay', 'wechat', 'unionpay'] as const;
export type TPaymentChannel = (typeof PAYMENT_CHANNEL_KEYS)[number];
/** 支付方式 as every screen, the gateway's cashier and the 订单 export show it: the one table of these labels. */
export const PAYMENT_CHANNEL_LABELS: Record<TPaymentChannel, string> = {
  alipay: '支付宝',
  wechat: '微信支付',
  unionpay: '银联',
};
/** A stored channel code as shown; an unknown code as it is, none as ''. */
export const paymentChannelLabel = (channel: string | null | undefined): string =>
  channel ? (PAYMENT_CHANNEL_LABELS[channel as TPaymentChannel] ?? channel) : '';

export const INVOICE_STATUSES = ['pending', 'issued', 'failed', 'reversed'] as const;
export type TInvoiceStatus = (typeof INVOICE_STATUSES)[number];
/** An invoice's status as 我的发票, the order pages and 订单管理 show it. */
export const INVOICE_STATUS_LABELS: Record<TInvoiceStatus, string> = {
  pending: '开票中',
  issued: '已开具',
  failed: '开票失败',
  reversed: '已红冲',
};
