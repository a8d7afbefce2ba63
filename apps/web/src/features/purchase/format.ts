import { INVOICE_STATUS_LABELS } from '@cpe/shared/labels/purchase';
import { formatDateTime } from '../../shared/format';
import type { Invoice, Order } from './types';

/**
 * 金额: integer 分 shown as ¥ with two decimals. Integer arithmetic only — 12000 / 100 in floating point is
 * harmless, but sums and products of fen must never pass through a float on the way to the screen.
 */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}¥${yuan}.${cents}`;
}

export const ORDER_STATUS_COLORS: Record<Order['status'], string> = {
  pending: 'orange',
  paid: 'green',
  expired: 'default',
  cancelled: 'default',
  refunded: 'purple',
};

export const INVOICE_STATUS_COLORS: Record<Invoice['status'], string> = {
  pending: 'processing',
  issued: 'success',
  failed: 'error',
  reversed: 'default',
};

/** The order's invoice in one phrase (开票状态). */
export function orderInvoiceLabel(o: Order): string {
  if (o.invoiceStatus) return INVOICE_STATUS_LABELS[o.invoiceStatus];
  if (o.status !== 'paid') return o.invoiceMode === 'now' ? '支付后开具' : '以后申请';
  return '未申请';
}

/** 销售期 as two dates (the times are the day's edges and would only clutter a card). */
export function formatSalePeriod(from: string, to: string): string {
  return `${formatDateTime(from).slice(0, 10)} 至 ${formatDateTime(to).slice(0, 10)}`;
}

/** Time left as 时:分:秒 (or 分:秒 under an hour). */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}
