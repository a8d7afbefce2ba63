import type { TOrderRefundRequest } from '@cpe/shared';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { Jobs } from '../jobs/jobs.service.js';
import type { LearnersRepo } from '../learners/learners.repo.js';
import type { InvoicesService } from './invoices.service.js';
import type { PurchaseRepo } from './purchase.repo.js';

const refused = (message: string) => new AppError('ORDER_REFUND_STATE', { message });

/**
 * 退款 by the training centre (订单管理): a paid order goes back whole. In one transaction the order becomes
 * refunded, its enrolments and their progress go, its members are freed to buy again, the refund is queued for the
 * payment channel (the same job as a late payment's) and an issued invoice is reversed with a red one.
 */
export function createRefundsAdminService(deps: {
  db: Db;
  repo: PurchaseRepo;
  study: Pick<LearnersRepo, 'enrollmentsOfOrderForUpdate' | 'removeEnrollments'>;
  invoices: Pick<InvoicesService, 'reverseForRefund'>;
  jobs: Jobs;
  audit: AuditRepo;
  clock: Clock;
}) {
  const { db, repo, study, invoices, jobs, audit, clock } = deps;

  return {
    /**
     * 退款 of a 待处理 payment: money received with another amount than the order's. The order is not paid and
     * nobody was enrolled, so only that payment goes back, whole (what was received), through its own channel.
     */
    async refundException(
      staffId: string,
      orderId: string,
      outTradeNo: string,
      input: TOrderRefundRequest,
      meta: RequestMeta,
    ) {
      return db.transaction(async (tx) => {
        const order = await repo.orderForUpdate(tx, orderId);
        const payment = order ? await repo.paymentForUpdate(tx, outTradeNo) : undefined;
        if (!order || !payment || payment.orderId !== order.id)
          throw new AppError('NOT_FOUND', { message: '支付记录不存在' });
        if (payment.status !== 'exception') throw refused('只有待处理（金额不符）的支付可以这样退款');
        const amountFen = payment.receivedFen ?? payment.amountFen;
        const refund = await repo.insertRefund(tx, {
          paymentId: payment.id,
          orderId: order.id,
          outRefundNo: `R${payment.outTradeNo}`.slice(0, 32),
          amountFen,
          reason: input.reason,
          status: 'pending',
        });
        if (!refund) throw refused('该笔支付已在退款中');
        await jobs.enqueue(tx, 'payment.refund', { refundId: refund.id });
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staffId,
          action: 'payment.exception.refund',
          targetType: 'payment',
          targetId: payment.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: {
            orderNo: order.orderNo,
            outTradeNo: payment.outTradeNo,
            amountFen,
            expectedFen: payment.amountFen,
            reason: input.reason,
            outRefundNo: refund.outRefundNo,
          },
        });
        return { outRefundNo: refund.outRefundNo, amountFen: refund.amountFen, refundStatus: refund.status };
      });
    },

    async refund(staffId: string, orderId: string, input: TOrderRefundRequest, meta: RequestMeta) {
      return db.transaction(async (tx) => {
        const order = await repo.orderForUpdate(tx, orderId);
        if (!order) throw new AppError('NOT_FOUND', { message: '订单不存在' });
        if (order.status === 'refunded') throw refused('该订单已退款，不能重复退款');
        if (order.status !== 'paid') throw refused('只有已支付的订单可以退款');
        if (order.kind === 'makeup' || order.amountFen <= 0) throw refused('补学开通等未实际支付的订单不能退款');
        // The attempt that paid the order: a duplicate payment already has its own refund.
        const refundedPayments = new Set((await repo.refundsOfOrder(tx, order.id)).map((r) => r.paymentId));
        const payment = (await repo.paymentsOfOrder(tx, order.id))
          .filter((p) => p.status === 'paid' && !refundedPayments.has(p.id))
          .sort((a, b) => (a.paidAt?.getTime() ?? 0) - (b.paidAt?.getTime() ?? 0))[0];
        if (!payment) throw refused('未找到该订单的支付记录，不能退款');
        const enrolled = await study.enrollmentsOfOrderForUpdate(tx, order.id);
        if (enrolled.certificates > 0) throw refused('已有学员获得合格证书，该订单不能退款');
        if (enrolled.completed > 0) throw refused('已有学员完成学习，合格证书正在生成，该订单不能退款');

        const now = clock.now();
        await repo.updateOrder(tx, order.id, { status: 'refunded', closedAt: now });
        const enrollmentsRemoved = await study.removeEnrollments(tx, enrolled.ids, now);
        await repo.deactivateMembers(tx, order.id);
        const refund = await repo.insertRefund(tx, {
          paymentId: payment.id,
          orderId: order.id,
          outRefundNo: `R${payment.outTradeNo}`.slice(0, 32),
          amountFen: payment.amountFen,
          reason: input.reason,
          status: 'pending',
        });
        if (!refund) throw refused('该笔支付已在退款中');
        await jobs.enqueue(tx, 'payment.refund', { refundId: refund.id });
        const red = await invoices.reverseForRefund(tx, order.id, '订单退款');
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staffId,
          action: 'order.refund',
          targetType: 'order',
          targetId: order.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: {
            orderNo: order.orderNo,
            amountFen: payment.amountFen,
            reason: input.reason,
            outRefundNo: refund.outRefundNo,
            enrollmentsRemoved,
            redInvoiceId: red?.id ?? null,
          },
        });
        return {
          orderId: order.id,
          status: 'refunded' as const,
          outRefundNo: refund.outRefundNo,
          amountFen: refund.amountFen,
          refundStatus: refund.status,
          enrollmentsRemoved,
          invoiceReversed: Boolean(red),
        };
      });
    },
  };
}
export type RefundsAdminService = ReturnType<typeof createRefundsAdminService>;
