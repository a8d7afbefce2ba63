/**
 * Payment port: 支付宝, 微信支付 and 银联 behind one interface, plus the local gateway used in demo mode and tests.
 * The order is marked paid only from `parseNotify` (a verified asynchronous notification) or `query` (a
 * server-side question to the provider) — never from the browser's return page.
 */
export const PAYMENT_CHANNELS = ['alipay', 'wechat', 'unionpay'] as const;
export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number];

export type PaymentDevice = 'desktop' | 'mobile';

export interface CreatePaymentInput {
  /** Our id of this attempt (商户订单号); one per attempt, never reused. 6–32 characters [A-Za-z0-9]. */
  outTradeNo: string;
  amountFen: number;
  /** Shown by the provider, e.g. 重庆市2023年专技人员继续教育公需科目培训. */
  subject: string;
  device: PaymentDevice;
  /** Where the provider posts the asynchronous notification. */
  notifyUrl: string;
  /** Where the provider sends the browser back (only a page that asks our server; it proves nothing). */
  returnUrl: string;
  /** The provider closes the attempt at this time. */
  expiresAt: Date;
  clientIp?: string;
  /** WeChat JSAPI (inside WeChat) only. */
  openId?: string;
}

/** What the browser does next. */
export type PaymentStart =
  | { kind: 'redirect'; url: string }
  /** An auto-submitting HTML form (Alipay page pay, UnionPay gateway). */
  | { kind: 'form'; html: string }
  /** A QR code for the payer's phone (WeChat Native). */
  | { kind: 'qr'; codeUrl: string }
  /** Parameters for WeixinJSBridge (WeChat JSAPI). */
  | { kind: 'jsapi'; params: Record<string, string> };

/** A verified notification, in our terms. */
export interface PaymentNotice {
  type?: 'payment';
  outTradeNo: string;
  /** The provider's transaction id. */
  tradeNo: string;
  amountFen: number;
  /** paid: money received; closed: the attempt ended without payment. */
  status: 'paid' | 'closed';
  paidAt: Date | null;
}

/**
 * A verified notice about one of our refunds (银联 posts 退货 results to the same backUrl as payments); it settles
 * no payment, it only tells how the refund ended.
 */
export interface RefundNotice {
  type: 'refund';
  outRefundNo: string;
  /** The provider's id of the refund. */
  refundId: string;
  amountFen: number;
  status: 'success' | 'failed';
}

export interface NotifyRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received (signatures cover the raw bytes). */
  rawBody: Buffer;
}

export interface PaymentQueryResult {
  status: 'paid' | 'unpaid' | 'closed' | 'refunded';
  amountFen?: number;
  tradeNo?: string;
  paidAt?: Date;
}

export interface RefundInput {
  outTradeNo: string;
  outRefundNo: string;
  amountFen: number;
  totalFen: number;
  reason: string;
}

/** A notification whose signature or content does not check out. */
export class PaymentSignatureError extends Error {}
/** The provider refused or could not be reached; the caller may retry. */
export class PaymentProviderError extends Error {}

export interface PaymentProvider {
  readonly channel: PaymentChannel;
  /** 'local' for the demo gateway, else the provider's name (shown in logs and the audit trail). */
  readonly name: string;
  create(input: CreatePaymentInput): Promise<PaymentStart>;
  /** Verifies the signature (and decrypts, for WeChat) and returns the notice; throws PaymentSignatureError. */
  parseNotify(req: NotifyRequest): Promise<PaymentNotice | RefundNotice>;
  /** The body the provider expects back, so it stops retrying (ok) or retries later (not ok). */
  ack(ok: boolean): { status: number; contentType: string; body: string };
  query(outTradeNo: string): Promise<PaymentQueryResult>;
  refund(input: RefundInput): Promise<{ status: 'success' | 'processing'; refundId: string }>;
}
