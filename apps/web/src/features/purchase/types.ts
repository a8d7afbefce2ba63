import type {
  TGroupCheckResult,
  TInvoice,
  TInvoiceTitle,
  TOrder,
  TOrderStatus,
  TPaymentChannel,
  TPlan,
  ZInvoiceChoice,
  ZInvoiceTitle,
  ZOrderList,
  ZOrderMembers,
  ZPayStart,
  ZPlanForMe,
} from '@cpe/shared/schemas/purchase';
import type { z } from 'zod';

/** The response types are the shared zod schemas' outputs: one source with the server. */
export type Plan = TPlan;
export type PlanForMe = z.infer<typeof ZPlanForMe>;
export type PlanStanding = NonNullable<PlanForMe['mine']>;
export type PlanList = { items: Plan[]; total: number };

export type Order = TOrder;
export type OrderStatus = TOrderStatus;
export type OrderKind = Order['kind'];
export type OrderList = z.infer<typeof ZOrderList>;
export type OrderMembers = z.infer<typeof ZOrderMembers>;
export type OrderMember = OrderMembers['items'][number];
export type OrderListQuery = { kind: OrderKind; status?: OrderStatus; page: number; pageSize: number };

export type GroupCheck = TGroupCheckResult;
export type PayStart = z.infer<typeof ZPayStart>;
export type PaymentChannel = TPaymentChannel;

export type Invoice = TInvoice;
/** What the client sends as 发票抬头 (the server trims, normalises the 纳税人识别号 and validates again). */
export type InvoiceTitleInput = z.input<typeof ZInvoiceTitle>;
export type InvoiceTitle = TInvoiceTitle;
export type InvoiceChoice = z.input<typeof ZInvoiceChoice>;

export type Ok = { ok: true };
