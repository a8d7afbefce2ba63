import {
  idDocumentKey,
  inferIdType,
  maskIdNumber,
  normalizeIdDocument,
  ORDER_KIND_LABELS,
  ORDER_STATUS_LABELS,
  paymentChannelLabel,
  type TAdminOrderQuery,
  type TOrderKind,
  type TOrderStatus,
} from '@cpe/shared';
import { platformDayStart } from '@cpe/shared/platform-zone';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import { writeWorkbook } from '../../lib/xlsx-writer.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { AdminOrderFilter, OrderRow, PurchaseRepo } from './purchase.repo.js';

const EXPORT_LIMIT = 50_000;

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
      createdFrom: q.createdFrom ? platformDayStart(q.createdFrom) : undefined,
      createdBefore: q.createdTo ? platformDayStart(q.createdTo, 1) : undefined,
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
      const data = await writeWorkbook([
        {
          name: '订单',
          columns: [
            { header: '序号', width: 6 },
            { header: '订单号', width: 24, kind: 'text' },
            { header: '学习计划', width: 36 },
            { header: '购买方式', width: 10 },
            { header: '购买人', width: 10 },
            { header: '证件号码', width: 22 },
            { header: '数量', width: 6 },
            { header: '金额（元）', width: 12, kind: 'money' },
            { header: '状态', width: 8 },
            { header: '支付方式', width: 10 },
            { header: '下单时间', width: 20, kind: 'datetime' },
            { header: '支付时间', width: 20, kind: 'datetime' },
          ],
          rows: rows.map((r, i) => {
            const v = item(r, exceptions);
            return [
              i + 1,
              v.orderNo,
              v.planName,
              ORDER_KIND_LABELS[v.kind],
              v.buyerName,
              v.buyerIdMasked,
              v.quantity,
              v.amountFen,
              ORDER_STATUS_LABELS[v.status],
              paymentChannelLabel(v.channel),
              r.order.createdAt,
              r.order.paidAt,
            ];
          }),
        },
      ]);
      await audit.record(db, {
        actorType: 'staff',
        actorId: staffId,
        action: 'orders.export',
        targetType: 'order',
        ip: meta.ip,
        userAgent: meta.userAgent,
        summary: { rows: rows.length, filter: { ...q, buyer: q.buyer ? '[REDACTED]' : undefined } },
      });
      return data;
    },
  };
}
