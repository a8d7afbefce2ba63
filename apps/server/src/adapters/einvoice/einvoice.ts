/**
 * 电子发票 port: a provincial e-invoice platform issues blue invoices and red-letter reversals (红字发票).
 * The local implementation renders a real-looking PDF with a unique number and a QR code.
 */
export interface InvoiceBuyer {
  /** 个人 or 单位. */
  type: 'personal' | 'unit';
  /** 发票抬头: the person's name or the unit's name. */
  title: string;
  /** 纳税人识别号 (a USCC) for 单位. */
  taxNo?: string;
  email?: string;
}

export interface InvoiceLine {
  /** e.g. *教育服务*继续教育培训费 */
  name: string;
  quantity: number;
  unitPriceFen: number;
  amountFen: number;
}

export interface IssueInvoiceInput {
  /** Our idempotency key: issuing twice with the same requestNo returns the same invoice. */
  requestNo: string;
  buyer: InvoiceBuyer;
  lines: InvoiceLine[];
  totalFen: number;
  /** 备注, e.g. the order number. */
  remark?: string;
}

export interface IssuedInvoice {
  invoiceNo: string;
  invoiceCode: string;
  checkCode: string;
  issuedAt: Date;
  pdf: Buffer;
}

export interface ReverseInvoiceInput {
  requestNo: string;
  /** The blue invoice being reversed. */
  invoiceNo: string;
  invoiceCode: string;
  buyer: InvoiceBuyer;
  lines: InvoiceLine[];
  totalFen: number;
  reason: string;
}

/** The platform refused or could not be reached; the job retries. */
export class InvoiceProviderError extends Error {}

export interface EInvoiceProvider {
  readonly name: string;
  issue(input: IssueInvoiceInput): Promise<IssuedInvoice>;
  /** Issues the red-letter invoice (negative amounts) that cancels a blue one. */
  reverse(input: ReverseInvoiceInput): Promise<IssuedInvoice>;
}
