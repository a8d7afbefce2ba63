import type { TInvoice, TInvoiceTitle } from '@cpe/shared';
import { platformYear } from '@cpe/shared/platform-zone';
import type { EInvoiceProvider, InvoiceBuyer, InvoiceLine } from '../../adapters/einvoice/einvoice.js';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { loggableMessage } from '../../lib/loggable-error.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { FilesService } from '../files/files.service.js';
import type { Jobs } from '../jobs/jobs.service.js';
import type { NotifyService } from '../notify/notify.service.js';
import type { InvoiceRow, OrderRow, PurchaseRepo } from './purchase.repo.js';

const DAY_MS = 86_400_000;
/** 申请开票成功15日内可修改发票1次. */
const MODIFY_WINDOW_MS = 15 * DAY_MS;
const ISSUE_ATTEMPTS = 8;

/** The calendar year in China (invoices follow the tax year there, not UTC). */

/**
 * 我的发票: blue invoices issued after payment (立即申请) or later (申请开票, same calendar year only), and
 * one modification within 15 days in the same year — a red-letter reversal plus a new blue invoice, both kept.
 * Issuing runs as a job with retries; the platform's idempotency key is our requestNo.
 */
export function createInvoicesService(deps: {
  db: Db;
  repo: PurchaseRepo;
  clock: Clock;
  audit: AuditRepo;
  jobs: Jobs;
  files: FilesService;
  provider: EInvoiceProvider;
  itemName: string;
  notify: NotifyService;
}) {
  const { db, repo, clock, audit, jobs, files, provider } = deps;

  async function linesOf(orderId: string): Promise<{ lines: InvoiceLine[]; total: number; remark: string }> {
    const o = (await repo.orderById(db, orderId)) as OrderRow;
    const plan = await repo.planById(db, o.planId);
    return {
      lines: [
        {
          name: `${deps.itemName}（${plan?.name ?? ''}）`,
          quantity: o.quantity,
          unitPriceFen: o.unitPriceFen,
          amountFen: o.amountFen,
        },
      ],
      total: o.amountFen,
      remark: `订单号：${o.orderNo}`,
    };
  }

  const buyerOf = (i: InvoiceRow): InvoiceBuyer => ({
    type: i.titleType as 'personal' | 'unit',
    title: i.title,
    taxNo: i.taxNo ?? undefined,
    email: i.email ?? undefined,
  });

  async function queue(tx: Executor, order: OrderRow, title: TInvoiceTitle, seq: number, relatesTo: string | null) {
    const inv = await repo.insertInvoice(tx, {
      orderId: order.id,
      kind: 'blue',
      status: 'pending',
      requestNo: `INV${order.orderNo}B${seq}`,
      titleType: title.titleType,
      title: title.title,
      taxNo: title.taxNo ?? null,
      email: title.email ?? null,
      amountFen: order.amountFen,
      relatesTo,
    });
    await jobs.enqueue(tx, 'invoice.issue', { invoiceId: inv.id }, undefined, ISSUE_ATTEMPTS);
    return inv;
  }

  /** Records a failed attempt on the invoice (shown as 开票失败 after the last one) and rethrows for the retry. */
  async function failed(inv: InvoiceRow, err: unknown): Promise<never> {
    const attempts = inv.attempts + 1;
    await repo.updateInvoice(db, inv.id, {
      attempts,
      lastError: loggableMessage(err).slice(0, 500),
      status: attempts >= ISSUE_ATTEMPTS ? 'failed' : inv.status,
    });
    throw err;
  }

  async function saveIssued(
    inv: InvoiceRow,
    issued: { invoiceNo: string; invoiceCode: string; checkCode: string; issuedAt: Date; pdf: Buffer },
  ) {
    const pdfFileId = await files.save(db, { data: issued.pdf, mime: 'application/pdf', purpose: 'invoice' });
    await db.transaction(async (tx) => {
      await repo.updateInvoice(tx, inv.id, {
        status: 'issued',
        invoiceNo: issued.invoiceNo,
        invoiceCode: issued.invoiceCode,
        checkCode: issued.checkCode,
        issuedAt: issued.issuedAt,
        pdfFileId,
        attempts: inv.attempts + 1,
        lastError: null,
      });
      if (inv.kind === 'red' && inv.relatesTo) await repo.updateInvoice(tx, inv.relatesTo, { status: 'reversed' });
      await audit.record(tx, {
        actorType: 'system',
        action: `invoice.${inv.kind === 'red' ? 'reverse' : 'issue'}`,
        targetType: 'invoice',
        targetId: inv.id,
        summary: { invoiceNo: issued.invoiceNo, orderId: inv.orderId, amountFen: inv.amountFen },
      });
      // The buyer waits for a blue invoice (after paying, or a modified title); a red one only cancels.
      if (inv.kind === 'blue') {
        const order = (await repo.orderById(tx, inv.orderId)) as OrderRow;
        await deps.notify.event(tx, {
          accountId: order.buyerAccountId,
          event: 'invoice-issued',
          params: { orderNo: order.orderNo, invoiceNo: issued.invoiceNo, invoiceTitle: inv.title },
          link: '/invoices',
        });
      }
    });
  }

  jobs.register('invoice.issue', async (payload) => {
    const inv = await repo.invoiceById(db, payload.invoiceId as string);
    if (!inv || inv.status === 'issued') return;
    const { lines, total, remark } = await linesOf(inv.orderId);
    const issued = await provider
      .issue({ requestNo: inv.requestNo, buyer: buyerOf(inv), lines, totalFen: total, remark })
      .catch((err) => failed(inv, err));
    await saveIssued(inv, issued);
  });

  /**
   * The red-letter invoice first; the replacement blue one (a modification) is queued only once the reversal is
   * issued. A refund's reversal has no replacement.
   */
  jobs.register('invoice.reverse', async (payload) => {
    const red = await repo.invoiceById(db, payload.invoiceId as string);
    if (!red?.relatesTo) return;
    if (red.status !== 'issued') {
      const blue = (await repo.invoiceById(db, red.relatesTo)) as InvoiceRow;
      const { lines, total } = await linesOf(red.orderId);
      const issued = await provider
        .reverse({
          requestNo: red.requestNo,
          invoiceNo: blue.invoiceNo as string,
          invoiceCode: blue.invoiceCode ?? '',
          buyer: buyerOf(blue),
          lines,
          totalFen: total,
          reason: (payload.reason as string | undefined) ?? '发票抬头修改',
        })
        .catch((err) => failed(red, err));
      await saveIssued(red, issued);
    }
    if (payload.replacementId)
      await jobs.enqueue(
        db,
        'invoice.issue',
        { invoiceId: payload.replacementId as string },
        undefined,
        ISSUE_ATTEMPTS,
      );
  });

  /** A red-letter invoice for `blue` (locked by the caller's transaction), issued by the same job as a modification's. */
  async function queueReversal(tx: Executor, blue: InvoiceRow, reason: string, replacementId?: string) {
    const red = await repo.insertInvoice(tx, {
      orderId: blue.orderId,
      kind: 'red',
      status: 'pending',
      requestNo: `${blue.requestNo}R`,
      titleType: blue.titleType,
      title: blue.title,
      taxNo: blue.taxNo,
      email: blue.email,
      amountFen: blue.amountFen,
      relatesTo: blue.id,
    });
    await jobs.enqueue(tx, 'invoice.reverse', { invoiceId: red.id, replacementId, reason }, undefined, ISSUE_ATTEMPTS);
    return red;
  }

  function modifyBlock(i: InvoiceRow, now: Date): string | null {
    if (i.kind !== 'blue' || i.status !== 'issued' || !i.issuedAt) return '发票开具成功后才能修改';
    if (i.relatesTo || i.modifications > 0) return '申请开票成功15日内可修改发票1次，本发票已修改过';
    if (now.getTime() - i.issuedAt.getTime() > MODIFY_WINDOW_MS) return '申请开票成功15日内可修改发票1次，已超过15日';
    if (platformYear(now) !== platformYear(i.issuedAt)) return '跨年不可修改发票';
    return null;
  }

  function view(row: { invoice: InvoiceRow; orderNo: string; planName: string }): TInvoice {
    const i = row.invoice;
    const block = modifyBlock(i, clock.now());
    return {
      id: i.id,
      orderId: i.orderId,
      orderNo: row.orderNo,
      planName: row.planName,
      kind: i.kind as 'blue' | 'red',
      status: i.status as TInvoice['status'],
      titleType: i.titleType as 'personal' | 'unit',
      title: i.title,
      taxNo: i.taxNo,
      email: i.email,
      amountFen: i.kind === 'red' ? -i.amountFen : i.amountFen,
      invoiceNo: i.invoiceNo,
      issuedAt: i.issuedAt?.toISOString() ?? null,
      canModify: block === null,
      modifyBlockedReason: i.kind === 'blue' && i.status === 'issued' ? block : null,
    };
  }

  async function ownInvoice(accountId: string, id: string) {
    const inv = await repo.invoiceById(db, id);
    const order = inv && (await repo.orderById(db, inv.orderId));
    if (!inv || !order) throw new AppError('NOT_FOUND', { message: '发票不存在' });
    if (order.buyerAccountId !== accountId) throw new AppError('ORDER_FORBIDDEN');
    return { inv, order };
  }

  return {
    /** In the paid transaction: 立即申请 queues the invoice with the title given at ordering. */
    async onPaid(tx: Executor, order: OrderRow) {
      if (order.invoiceMode === 'now' && order.invoiceTitle)
        await queue(tx, order, order.invoiceTitle as TInvoiceTitle, 1, null);
    },
    invoicesOf: (orderIds: string[]) => repo.invoicesOfOrders(db, orderIds),

    async mine(accountId: string) {
      return { items: (await repo.invoicesOfBuyer(db, accountId)).map(view) };
    },

    /** 申请开票 on a paid order (以后申请), in the year of payment only. */
    async request(accountId: string, orderId: string, title: TInvoiceTitle, meta: RequestMeta) {
      const now = clock.now();
      const inv = await db.transaction(async (tx) => {
        const order = await repo.orderForUpdate(tx, orderId);
        if (!order) throw new AppError('NOT_FOUND', { message: '订单不存在' });
        if (order.buyerAccountId !== accountId) throw new AppError('ORDER_FORBIDDEN');
        if (order.status !== 'paid' || !order.paidAt)
          throw new AppError('INVOICE_STATE', { message: '订单支付后才能申请开票' });
        const existing = (await repo.invoicesOfOrders(tx, [order.id])).find(
          (i) => i.kind === 'blue' && i.status !== 'failed',
        );
        if (existing) throw new AppError('INVOICE_STATE', { message: '该订单已申请开票' });
        if (platformYear(now) !== platformYear(order.paidAt)) throw new AppError('INVOICE_CROSS_YEAR');
        if (order.kind === 'group' && title.titleType !== 'unit')
          throw new AppError('VALIDATION_FAILED', {
            message: '团体购买的发票抬头须为单位',
            fields: { titleType: '团体购买的发票抬头须为单位' },
          });
        const count = (await repo.invoicesOfOrders(tx, [order.id])).length;
        const created = await queue(tx, order, title, count + 1, null);
        await audit.record(tx, {
          actorType: 'account',
          actorId: accountId,
          action: 'invoice.request',
          targetType: 'invoice',
          targetId: created.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: { orderId, titleType: title.titleType },
        });
        return created;
      });
      return inv.id;
    },

    /** 修改发票: once, within 15 days of issuance, never across a year end. */
    async modify(accountId: string, invoiceId: string, title: TInvoiceTitle, meta: RequestMeta) {
      const { order } = await ownInvoice(accountId, invoiceId);
      if (order.status !== 'paid') throw new AppError('INVOICE_STATE', { message: '订单已退款，发票不能修改' });
      if (order.kind === 'group' && title.titleType !== 'unit')
        throw new AppError('VALIDATION_FAILED', {
          message: '团体购买的发票抬头须为单位',
          fields: { titleType: '团体购买的发票抬头须为单位' },
        });
      const now = clock.now();
      return db.transaction(async (tx) => {
        const blue = (await repo.invoiceForUpdate(tx, invoiceId)) as InvoiceRow;
        const block = modifyBlock(blue, now);
        if (block === '跨年不可修改发票') throw new AppError('INVOICE_MODIFY_CROSS_YEAR');
        if (block) throw new AppError('INVOICE_MODIFY_LIMIT', { message: block });
        await repo.updateInvoice(tx, blue.id, { modifications: blue.modifications + 1 });
        const replacement = await repo.insertInvoice(tx, {
          orderId: order.id,
          kind: 'blue',
          status: 'pending',
          requestNo: `${blue.requestNo}M`,
          titleType: title.titleType,
          title: title.title,
          taxNo: title.taxNo ?? null,
          email: title.email ?? null,
          amountFen: blue.amountFen,
          relatesTo: blue.id,
        });
        const red = await queueReversal(tx, blue, '发票抬头修改', replacement.id);
        await audit.record(tx, {
          actorType: 'account',
          actorId: accountId,
          action: 'invoice.modify',
          targetType: 'invoice',
          targetId: blue.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: { redId: red.id, replacementId: replacement.id, from: blue.title, to: title.title },
        });
        return { ok: true as const };
      });
    },

    /**
     * 退款 (in the refund's transaction): the issued blue invoice is reversed by a red one. An invoice still being
     * issued or reversed is refused, so a red one never races its blue one; nothing issued, nothing to reverse.
     */
    async reverseForRefund(tx: Executor, orderId: string, reason: string): Promise<InvoiceRow | null> {
      const list = await repo.invoicesOfOrders(tx, [orderId]);
      if (list.some((i) => i.status === 'pending'))
        throw new AppError('ORDER_REFUND_STATE', { message: '该订单的发票正在开具或冲红，请稍后再退款' });
      const current = list.find((i) => i.kind === 'blue' && i.status === 'issued');
      if (!current) return null;
      const blue = (await repo.invoiceForUpdate(tx, current.id)) as InvoiceRow;
      return queueReversal(tx, blue, reason);
    },

    /** 发票查验 by number and check code: both must match an issued (or since reversed) invoice. */
    async verify(invoiceNo: string, checkCode: string) {
      const inv = await repo.invoiceByNumber(db, invoiceNo);
      const ok = Boolean(inv && inv.checkCode === checkCode && (inv.status === 'issued' || inv.status === 'reversed'));
      if (!inv || !ok)
        return {
          valid: false,
          invoiceNo,
          kind: null,
          status: null,
          issuedAt: null,
          amountFen: null,
          buyerMasked: null,
        };
      const t = inv.title;
      return {
        valid: true,
        invoiceNo,
        kind: inv.kind as 'blue' | 'red',
        status: inv.status as 'issued' | 'reversed',
        issuedAt: inv.issuedAt?.toISOString() ?? null,
        amountFen: inv.kind === 'red' ? -inv.amountFen : inv.amountFen,
        buyerMasked: t.length <= 2 ? `${t[0]}*` : `${t[0]}${'*'.repeat(t.length - 2)}${t[t.length - 1]}`,
      };
    },

    async pdf(accountId: string, invoiceId: string) {
      const { inv } = await ownInvoice(accountId, invoiceId);
      if (!inv.pdfFileId) throw new AppError('INVOICE_STATE', { message: '发票尚未开具' });
      return { ...(await files.read(inv.pdfFileId)), invoiceNo: inv.invoiceNo as string };
    },
  };
}
export type InvoicesService = ReturnType<typeof createInvoicesService>;
