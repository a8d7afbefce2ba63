import {
  idDocumentKey,
  inferIdType,
  maskIdNumber,
  normalizeIdDocument,
  ORDER_KIND_LABELS,
  ORDER_STATUS_LABELS,
  type TAdminOrderQuery,
  type TOrderKind,
  type TOrderStatus,
} from '@cpe/shared';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { chinaDateTime, chinaDayStart } from '../../lib/format.js';
import { loadExcelJs } from '../../lib/lazy.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { AdminOrderFilter, OrderRow, PurchaseRepo } from './purchase.repo.js';

const EXPORT_LIMIT = 50_000;
const yuan = (fen: number) => Number((fen / 100).toFixed(2));

/**
 * 订单管理 for the training centre: every buyer's orders, what each payment attempt and notification did,
 * refunds and invoices. Read-only here; ID numbers are masked in lists and exports.
 */
export function createOrdersAdminService(deps: {
  db: Db;
  repo: PurchaseRepo;
  pii: Pii;
  clock: Clock;
  audit: AuditRepo;
}) {
  const { db, repo, pii, clock, audit } = deps;

  function filter(q: TAdminOrderQuery): AdminOrderFilter {
    const buyer = q.buyer?.trim();
    // A whole document number of any type recognisable by its shape (身份证, 居住证, 永居证); else a name.
    const idType = buyer ? inferIdType(buyer) : null;
    const id = buyer && idType ? normalizeIdDocument(buyer) : undefined;
    return {
      orderNo: q.orderNo,
      buyerName: buyer && !idType ? buyer : undefined,
      buyerId: id && idType ? { idType, hash: pii.lookupHash(idDocumentKey(idType, id)) } : undefined,
      planId: q.planId,
      kind: q.kind,
      status: q.status,
      createdFrom: q.createdFrom ? chinaDayStart(q.createdFrom) : undefined,
      createdBefore: q.createdTo ? chinaDayStart(q.createdTo, 1) : undefined,
      paymentException: q.paymentException,
    };
  }

  function item(
    r: { order: OrderRow; planName: string; buyerName: string; buyerIdEnc: string },
    exceptions: ReadonlySet<string>,
  ) {
    const o = r.order;
    const status = (o.status === 'pending' && clock.now() > o.expiresAt ? 'expired' : o.status) as TOrderStatus;
    return {
      id: o.id,
      orderNo: o.orderNo,
      kind: o.kind as TOrderKind,
      planId: o.planId,
      planName: r.planName,
      unitPriceFen: o.unitPriceFen,
      quantity: o.quantity,
      amountFen: o.amountFen,
      status,
      createdAt: o.createdAt.toISOString(),
      expiresAt: o.expiresAt.toISOString(),
      paidAt: o.paidAt?.toISOString() ?? null,
      channel: o.channel,
      invoiceMode: o.invoiceMode as 'now' | 'later',
      invoiceStatus: null,
      buyerName: r.buyerName,
      buyerIdMasked: maskIdNumber(pii.decrypt(r.buyerIdEnc)),
      paymentException: exceptions.has(o.id),
    };
  }

  const exceptionsOf = async (rows: Array<{ order: OrderRow }>) =>
    new Set(
      await repo.exceptionOrders(
        db,
        rows.map((r) => r.order.id),
      ),
    );

  return {
    async list(q: TAdminOrderQuery) {
      const { rows, total, paidFen } = await repo.adminOrders(db, filter(q), q.pageSize, (q.page - 1) * q.pageSize);
      const exceptions = await exceptionsOf(rows);
      // The alert counts every order waiting for an operator, whatever the filters show.
      const paymentExceptions = (await repo.exceptionOrders(db)).length;
      return {
        items: rows.map((r) => item(r, exceptions)),
        total,
        page: q.page,
        pageSize: q.pageSize,
        paidFen,
        paymentExceptions,
      };
    },

    async detail(id: string) {
      const row = (await repo.adminOrders(db, { id }, 1, 0)).rows[0];
      if (!row) throw new AppError('NOT_FOUND', { message: '订单不存在' });
      const payments = await repo.paymentsOfOrder(db, id);
      const notifications = await repo.notificationsOf(
        db,
        payments.map((p) => p.outTradeNo),
      );
      const refunds = await repo.refundsOfOrder(db, id);
      const refunded = new Set(refunds.map((r) => r.paymentId));
      const invoices = await repo.invoicesOfOrders(db, [id]);
      const enrolled = await repo.enrolledCount(db, id);
      return {
        order: item(row, await exceptionsOf([row])),
        enrolled,
        payments: payments.map((p) => ({
          outTradeNo: p.outTradeNo,
          channel: p.channel,
          provider: p.provider,
          amountFen: p.amountFen,
          status: p.status,
          receivedFen: p.receivedFen,
          refundable: p.status === 'exception' && !refunded.has(p.id),
          tradeNo: p.tradeNo,
          paidAt: p.paidAt?.toISOString() ?? null,
          createdAt: p.createdAt.toISOString(),
        })),
        notifications: notifications.map((n) => ({
          outTradeNo: n.outTradeNo,
          verified: n.verified,
          outcome: n.outcome,
          amountFen: n.amountFen,
          receivedAt: n.receivedAt.toISOString(),
        })),
        refunds: refunds.map((r) => ({
          outRefundNo: r.outRefundNo,
          amountFen: r.amountFen,
          reason: r.reason,
          status: r.status,
          createdAt: r.createdAt.toISOString(),
        })),
        invoices: invoices.map((i) => ({
          kind: i.kind,
          status: i.status,
          title: i.title,
          invoiceNo: i.invoiceNo,
          amountFen: i.kind === 'red' ? -i.amountFen : i.amountFen,
          issuedAt: i.issuedAt?.toISOString() ?? null,
          lastError: i.lastError,
        })),
      };
    },

    /** 导出: the filtered orders (amounts in 元), audited. */
    async export(staffId: string, q: TAdminOrderQuery, meta: RequestMeta): Promise<Buffer> {
      const { rows } = await repo.adminOrders(db, filter(q), EXPORT_LIMIT, 0);
      // The export has no 待处理 column: no need to look up 50,000 orders' payments.
      const exceptions = new Set<string>();
      const ExcelJS = await loadExcelJs();
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('订单');
      const cols: [string, number][] = [
        ['序号', 6],
        ['订单号', 24],
        ['学习计划', 36],
        ['购买方式', 10],
        ['购买人', 10],
        ['证件号码', 22],
        ['数量', 6],
        ['金额（元）', 12],
        ['状态', 8],
        ['支付方式', 10],
        ['下单时间', 20],
        ['支付时间', 20],
      ];
      ws.columns = cols.map(([header, width]) => ({ header, width }));
      ws.getRow(1).font = { bold: true };
      rows.forEach((r, i) => {
        const v = item(r, exceptions);
        ws.addRow([
          i + 1,
          v.orderNo,
          v.planName,
          ORDER_KIND_LABELS[v.kind],
          v.buyerName,
          v.buyerIdMasked,
          v.quantity,
          yuan(v.amountFen),
          ORDER_STATUS_LABELS[v.status],
          v.channel ?? '',
          chinaDateTime(r.order.createdAt),
          chinaDateTime(r.order.paidAt),
        ]);
      });
      ws.getColumn(2).numFmt = '@';
      ws.getColumn(8).numFmt = '0.00';
      await audit.record(db, {
        actorType: 'staff',
        actorId: staffId,
        action: 'orders.export',
        targetType: 'order',
        ip: meta.ip,
        userAgent: meta.userAgent,
        summary: { rows: rows.length, filter: { ...q, buyer: q.buyer ? '[REDACTED]' : undefined } },
      });
      return Buffer.from(await wb.xlsx.writeBuffer());
    },
  };
}
