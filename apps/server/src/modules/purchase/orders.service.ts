import crypto from 'node:crypto';
import {
  GROUP_MAX_LINES,
  type IdType,
  idDocumentKey,
  idNumberLabel,
  maskIdNumber,
  type TGroupCheckResult,
  type TInvoiceTitle,
  type TOrder,
  type TOrderKind,
  type TOrderStatus,
  untypedIdDocument,
} from '@cpe/shared';
import { platformStamp } from '@cpe/shared/platform-zone';
import {
  type NotifyRequest,
  type PaymentChannel,
  type PaymentDevice,
  type PaymentNotice,
  type PaymentProvider,
  PaymentProviderError,
  PaymentSignatureError,
  type RefundNotice,
} from '../../adapters/payment/payment.js';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { uniqueViolation } from '../../lib/pg-errors.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import { writeWorkbook } from '../../lib/xlsx-writer.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { Jobs } from '../jobs/jobs.service.js';
import type { RateLimitService } from '../ratelimit/ratelimit.service.js';
import type { PlansService } from './plans.service.js';
import type { InvoiceRow, OrderRow, PurchaseRepo } from './purchase.repo.js';

export interface OrdersDeps {
  db: Db;
  repo: PurchaseRepo;
  plans: PlansService;
  clock: Clock;
  pii: Pii;
  audit: AuditRepo;
  jobs: Jobs;
  rateLimits: RateLimitService;
  /** Configured channels; a channel without a provider is refused (PAYMENT_UNAVAILABLE). */
  providers: Partial<Record<PaymentChannel, PaymentProvider>>;
  /** The canonical public URL: the base of the notify URLs providers call (server to server). */
  publicUrl: () => string;
  orderExpiryMs: number;
  /** Called in the transaction that marks an order paid (立即申请 → the invoice is queued). */
  onPaid: (tx: Executor, order: OrderRow) => Promise<void>;
  invoicesOf: (orderIds: string[]) => Promise<InvoiceRow[]>;
  /** Of these accounts, those whose 实名 is not verified (人工实名审核 pending or refused): see `realnameGate`. */
  unverifiedAccounts: (accountIds: string[]) => Promise<Set<string>>;
}

const CHECK_TTL_MS = 60 * 60_000;
/**
 * A check is deleted this long after it expired: 下载错误文件 still reads it from a result left open on screen (only
 * 提交订单 is bound to the hour), and it holds the pasted ID numbers of other people, needed no longer than that.
 */
const CHECK_KEEP_MS = 24 * 60 * 60_000;
/** Checks deleted per statement by the purge: bounds the locks one statement holds. */
const CHECK_PURGE_BATCH = 500;
/** Providers close an attempt a little after the time we ask; a payment in that gap is refunded. */
const PROVIDER_GRACE_MS = 5 * 60_000;
/**
 * Notifications that fail their signature, per source address: past the limit they are answered 429 and only
 * counted; below it the latest few are kept in the notification log for operators. A provider's own notices
 * verify, so the limit never holds one back.
 */
export const BAD_NOTIFY_LIMIT = { max: 20, windowMs: 10 * 60_000 };
export const BAD_NOTIFY_KEEP = 50;
const HOUR_MS = 3_600_000;

const digits = (n: number) => String(crypto.randomInt(0, 10 ** n)).padStart(n, '0');

/**
 * 订单: 个人购买 and 团体购买, payment attempts and their notifications, expiry, late-payment refunds.
 * Rules that matter for money: the amount is computed here from the plan; an order becomes paid only from a
 * verified notification or a server-side query whose amount equals the attempt's; each notification is
 * applied once (the payment row is locked); paid and enrolled commit together.
 */
export function createOrdersService(deps: OrdersDeps) {
  const { db, repo, plans, clock, pii, audit, jobs } = deps;

  function actionsOf(o: OrderRow, invoice: InvoiceRow | undefined) {
    const now = clock.now();
    const pending = o.status === 'pending' && now <= o.expiresAt;
    return {
      pay: pending,
      cancel: pending,
      // After 开票失败 (retries exhausted) a new 申请开票 is allowed.
      requestInvoice: o.status === 'paid' && (!invoice || invoice.status === 'failed'),
      viewInvoice: Boolean(invoice && invoice.status !== 'failed'),
    };
  }

  /** The current blue invoice of an order (not the reversed one, not a red one). */
  const currentInvoice = (list: InvoiceRow[], orderId: string) =>
    list.find((i) => i.orderId === orderId && i.kind === 'blue' && i.status !== 'reversed');

  function view(o: OrderRow, planName: string, invoices: InvoiceRow[]): TOrder {
    const inv = currentInvoice(invoices, o.id);
    // A pending order past its time reads as expired even before the sweep has run.
    const status = (o.status === 'pending' && clock.now() > o.expiresAt ? 'expired' : o.status) as TOrderStatus;
    return {
      id: o.id,
      orderNo: o.orderNo,
      kind: o.kind as TOrderKind,
      planId: o.planId,
      planName,
      unitPriceFen: o.unitPriceFen,
      quantity: o.quantity,
      amountFen: o.amountFen,
      status,
      createdAt: o.createdAt.toISOString(),
      expiresAt: o.expiresAt.toISOString(),
      paidAt: o.paidAt?.toISOString() ?? null,
      channel: o.channel,
      invoiceMode: o.invoiceMode as 'now' | 'later',
      invoiceStatus: (inv?.status as 'pending' | 'issued' | 'failed' | undefined) ?? null,
      actions: actionsOf({ ...o, status }, inv),
    };
  }

  async function viewOne(o: OrderRow) {
    const plan = await repo.planById(db, o.planId);
    return view(o, plan?.name ?? '', await deps.invoicesOf([o.id]));
  }

  async function own(accountId: string, orderId: string) {
    const o = await repo.orderById(db, orderId);
    if (!o) throw new AppError('NOT_FOUND', { message: '订单不存在' });
    if (o.buyerAccountId !== accountId) throw new AppError('ORDER_FORBIDDEN');
    return o;
  }

  async function saleablePlan(planId: string) {
    const plan = await plans.get(planId, { publishedOnly: true });
    if (!plans.onSale(plan)) throw new AppError('PLAN_NOT_ON_SALE');
    return plan;
  }

  /**
   * 实名 gate: nobody is bought for before their 实名 is verified (a 护照 holder waits for staff's 人工实名审核).
   * 个人购买 refuses the buyer; 团体购买 drops the person's line with its reason. Removes such members from
   * `members` (in place) and hands each to `refuse`.
   */
  async function realnameGate<T extends { accountId: string }>(members: T[], refuse: (m: T) => void) {
    const unverified = await deps.unverifiedAccounts(members.map((m) => m.accountId));
    for (let i = members.length - 1; i >= 0; i--) {
      const m = members[i] as T;
      if (!unverified.has(m.accountId)) continue;
      members.splice(i, 1);
      refuse(m);
    }
  }

  const newOrderNo = () => `${platformStamp(clock.now())}${digits(6)}`;

  /** Marks the order closed (expired or cancelled) and frees its members for other orders. */
  async function close(tx: Executor, o: OrderRow, status: 'expired' | 'cancelled', actor: string | null) {
    await repo.updateOrder(tx, o.id, { status, closedAt: clock.now() });
    await repo.deactivateMembers(tx, o.id);
    await audit.record(tx, {
      actorType: actor ? 'account' : 'system',
      actorId: actor,
      action: `order.${status}`,
      targetType: 'order',
      targetId: o.id,
      summary: { orderNo: o.orderNo },
    });
  }

  /**
   * Applies a verified notice (from a notification or a query) once. Returns what happened, for the
   * notification log: paid, duplicate, amount-mismatch, late-refund, unknown-trade, closed.
   */
  async function applyNotice(
    via: { channel: PaymentChannel; provider: string },
    notice: PaymentNotice,
    source: 'notify' | 'query',
    sourceIp: string | null = null,
  ): Promise<string> {
    const { channel } = via;
    const now = clock.now();
    return db.transaction(async (tx) => {
      const pay = await repo.paymentForUpdate(tx, notice.outTradeNo);
      // Each outcome but duplicate and closed is audited as `payment.${outcome}`.
      let outcome:
        | 'unknown-trade'
        | 'wrong-channel'
        | 'closed'
        | 'duplicate'
        | 'amount-mismatch'
        | 'paid'
        | 'late-refund';
      if (!pay) outcome = 'unknown-trade';
      // Settled only by the channel (and provider) the attempt was made with: an 支付宝 notice never pays 微信.
      else if (pay.channel !== channel || pay.provider !== via.provider) outcome = 'wrong-channel';
      else if (notice.status === 'closed') {
        if (pay.status === 'created') await repo.updatePayment(tx, pay.id, { status: 'closed' });
        outcome = 'closed';
      } else if (pay.status === 'paid' || pay.status === 'refunded' || pay.status === 'exception')
        outcome = 'duplicate';
      else if (notice.amountFen !== pay.amountFen) {
        // Money was received, but not the amount asked: 待处理 for 订单管理 (its alert and the refund of it).
        await repo.updatePayment(tx, pay.id, {
          status: 'exception',
          receivedFen: notice.amountFen,
          tradeNo: notice.tradeNo,
          paidAt: notice.paidAt ?? now,
        });
        outcome = 'amount-mismatch';
      } else {
        await repo.updatePayment(tx, pay.id, { status: 'paid', tradeNo: notice.tradeNo, paidAt: notice.paidAt ?? now });
        const order = (await repo.orderForUpdate(tx, pay.orderId)) as OrderRow;
        if (order.status === 'pending' && now <= order.expiresAt) {
          const paid = await repo.updateOrder(tx, order.id, { status: 'paid', paidAt: now, channel: pay.channel });
          await repo.enrollMembers(tx, paid, now);
          await deps.onPaid(tx, paid);
          outcome = 'paid';
        } else {
          // Money for an order that can no longer be paid (expired, cancelled, or paid by another attempt).
          if (order.status === 'pending') await close(tx, order, 'expired', null);
          const refund = await repo.insertRefund(tx, {
            paymentId: pay.id,
            orderId: order.id,
            outRefundNo: `R${pay.outTradeNo}`.slice(0, 32),
            amountFen: pay.amountFen,
            reason: order.status === 'paid' ? '订单已由其他支付完成，重复支付退款' : '订单已过期或已取消，支付自动退款',
            status: 'pending',
          });
          if (refund) await jobs.enqueue(tx, 'payment.refund', { refundId: refund.id });
          outcome = 'late-refund';
        }
      }
      await repo.recordNotification(tx, {
        channel,
        outTradeNo: notice.outTradeNo,
        tradeNo: notice.tradeNo,
        amountFen: notice.amountFen,
        verified: true,
        outcome: source === 'query' ? `query:${outcome}` : outcome,
        sourceIp,
        receivedAt: now,
      });
      if (outcome !== 'duplicate' && outcome !== 'closed')
        await audit.record(tx, {
          actorType: 'system',
          action: `payment.${outcome}`,
          targetType: 'payment',
          targetId: pay?.id,
          summary: {
            channel,
            outTradeNo: notice.outTradeNo,
            amountFen: notice.amountFen,
            source,
            ...(pay && outcome === 'wrong-channel' ? { paymentChannel: pay.channel } : {}),
          },
        });
      return outcome;
    });
  }

  /** A verified refund notice (银联 退货): the refund's outcome, recorded once; it never touches a payment's amount. */
  async function applyRefundNotice(
    via: { channel: PaymentChannel; provider: string },
    notice: RefundNotice,
    sourceIp: string | null,
  ): Promise<string> {
    const now = clock.now();
    return db.transaction(async (tx) => {
      const refund = await repo.refundByOutRefundNo(tx, notice.outRefundNo);
      const pay = refund ? await repo.paymentById(tx, refund.paymentId) : undefined;
      let outcome: 'refund-unknown' | 'wrong-channel' | 'duplicate' | 'refund-success' | 'refund-failed';
      if (!refund || !pay) outcome = 'refund-unknown';
      else if (pay.channel !== via.channel || pay.provider !== via.provider) outcome = 'wrong-channel';
      else if (refund.status === 'success' || refund.status === 'failed') outcome = 'duplicate';
      else if (notice.status === 'success') {
        await repo.updateRefund(tx, refund.id, { status: 'success', providerRefundId: notice.refundId || null });
        await repo.updatePayment(tx, pay.id, { status: 'refunded' });
        outcome = 'refund-success';
      } else {
        await repo.updateRefund(tx, refund.id, { status: 'failed', providerRefundId: notice.refundId || null });
        outcome = 'refund-failed';
      }
      await repo.recordNotification(tx, {
        channel: via.channel,
        outTradeNo: pay?.outTradeNo ?? null,
        tradeNo: notice.refundId || null,
        amountFen: notice.amountFen,
        verified: true,
        outcome,
        sourceIp,
        receivedAt: now,
      });
      if (refund && outcome !== 'duplicate')
        await audit.record(tx, {
          actorType: 'system',
          action:
            outcome === 'refund-success'
              ? 'payment.refunded'
              : outcome === 'refund-failed'
                ? 'payment.refund-failed'
                : 'payment.wrong-channel',
          targetType: 'payment',
          targetId: pay?.id,
          summary: {
            channel: via.channel,
            outRefundNo: notice.outRefundNo,
            amountFen: notice.amountFen,
            source: 'notify',
          },
        });
      return outcome;
    });
  }

  /**
   * A notification that failed its signature: rate-limited per source address, kept in the notification log only
   * for the latest few of that address, and audited once per source and hour (with its running count beside it).
   */
  async function rejectNotification(channel: PaymentChannel, req: NotifyRequest, sourceIp: string, reason: string) {
    const now = clock.now();
    let limited: AppError | undefined;
    try {
      await deps.rateLimits.consume({ key: `payment-notify:bad:${sourceIp}`, ...BAD_NOTIFY_LIMIT });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      limited = err;
    }
    const hourStart = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
    await db.transaction(async (tx) => {
      const { first } = await repo.countRejection(tx, {
        sourceIp,
        hourStart,
        channel,
        reason: reason.slice(0, 200),
        limited: Boolean(limited),
        at: now,
      });
      if (first)
        await audit.record(tx, {
          actorType: 'anonymous',
          action: 'payment.notify.rejected',
          targetType: 'notify_source',
          targetId: `${sourceIp} ${hourStart.toISOString()}`,
          ip: sourceIp,
          // The hour's later rejections of this source are counted in payment_notify_rejections, not written here.
          summary: { channel, reason: reason.slice(0, 200), hourStart: hourStart.toISOString() },
        });
      if (limited) return;
      await repo.recordNotification(tx, {
        channel,
        outTradeNo: claimedTradeNo(req.rawBody),
        verified: false,
        outcome: 'bad-signature',
        sourceIp,
        receivedAt: now,
      });
      await repo.pruneUnverified(tx, sourceIp, BAD_NOTIFY_KEEP);
    });
    if (limited) throw limited;
  }

  async function refundJob(payload: Record<string, unknown>) {
    const refund = await repo.refundById(db, payload.refundId as string);
    if (refund?.status !== 'pending') return;
    const pay = await repo.paymentById(db, refund.paymentId);
    const provider = pay && deps.providers[pay.channel as PaymentChannel];
    if (!pay || !provider) throw new Error('payment or provider missing for refund');
    const res = await provider.refund({
      outTradeNo: pay.outTradeNo,
      outRefundNo: refund.outRefundNo,
      amountFen: refund.amountFen,
      // A 待处理 payment's total is what was actually paid.
      totalFen: pay.receivedFen ?? pay.amountFen,
      reason: refund.reason,
    });
    // 'processing' (UnionPay always, Alipay sometimes): accepted but not final; asking again must not refund twice.
    const done = res.status === 'success';
    await db.transaction(async (tx) => {
      // The provider's refund notice may have been quicker than this answer: its outcome stands.
      const current = await repo.refundByOutRefundNo(tx, refund.outRefundNo);
      if (current && current.status !== 'pending') return;
      await repo.updateRefund(tx, refund.id, {
        status: done ? 'success' : 'processing',
        providerRefundId: res.refundId,
      });
      if (done) await repo.updatePayment(tx, pay.id, { status: 'refunded' });
      await audit.record(tx, {
        actorType: 'system',
        action: done ? 'payment.refunded' : 'payment.refund-processing',
        targetType: 'payment',
        targetId: pay.id,
        summary: { outRefundNo: refund.outRefundNo, amountFen: refund.amountFen, reason: refund.reason },
      });
    });
  }

  async function expireSweep() {
    const due = await repo.overdue(db, clock.now(), 500);
    for (const { id } of due)
      await db.transaction(async (tx) => {
        const o = await repo.orderForUpdate(tx, id);
        if (o?.status === 'pending' && clock.now() > o.expiresAt) await close(tx, o, 'expired', null);
      });
  }

  jobs.register('payment.refund', refundJob);
  jobs.register('orders.expire', expireSweep);

  async function createOrder(
    accountId: string,
    input: {
      kind: 'individual' | 'group';
      planId: string;
      unitPriceFen: number;
      members: Array<{ accountId: string; line: number | null }>;
      invoice: { mode: 'now'; title: TInvoiceTitle } | { mode: 'later' };
      checkId?: string;
    },
    meta: RequestMeta,
  ) {
    const now = clock.now();
    try {
      return await db.transaction(async (tx) => {
        if (input.checkId) {
          const check = await repo.checkForUpdate(tx, input.checkId);
          if (!check || check.orderId) throw new AppError('GROUP_CHECK_EXPIRED');
        }
        const order = await repo.insertOrder(tx, {
          orderNo: newOrderNo(),
          kind: input.kind,
          planId: input.planId,
          buyerAccountId: accountId,
          unitPriceFen: input.unitPriceFen,
          quantity: input.members.length,
          amountFen: input.unitPriceFen * input.members.length,
          status: 'pending',
          expiresAt: new Date(now.getTime() + deps.orderExpiryMs),
          invoiceMode: input.invoice.mode,
          invoiceTitle: input.invoice.mode === 'now' ? input.invoice.title : null,
        });
        await repo.insertMembers(
          tx,
          input.members.map((m) => ({ orderId: order.id, planId: input.planId, accountId: m.accountId, line: m.line })),
        );
        if (input.checkId) await repo.markCheckUsed(tx, input.checkId, order.id);
        await audit.record(tx, {
          actorType: 'account',
          actorId: accountId,
          action: `order.create.${input.kind}`,
          targetType: 'order',
          targetId: order.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: {
            orderNo: order.orderNo,
            planId: input.planId,
            quantity: order.quantity,
            amountFen: order.amountFen,
          },
        });
        return order;
      });
    } catch (err) {
      // Someone in the list was bought or put in another open order between the check and now.
      if (uniqueViolation(err) === 'order_members_active_uq')
        throw input.kind === 'group' ? new AppError('GROUP_MEMBER_TAKEN') : new AppError('ALREADY_ENROLLED');
      throw err;
    }
  }

  return {
    view: viewOne,

    /** Where the signed-in person stands with a plan (the plan page's 立即购买 / 去支付 / 进入学习). */
    async standing(accountId: string, planId: string) {
      const enrolled = Boolean(await repo.enrolled(db, accountId, planId));
      const open = enrolled ? undefined : await repo.openOrderOf(db, accountId, planId);
      const live = open && clock.now() <= open.expiresAt ? open : undefined;
      const own = live?.buyerAccountId === accountId;
      return { enrolled, openOrderId: own && live ? live.id : null, pendingInGroup: Boolean(live && !own) };
    },

    /** 个人购买: one order per person and plan — a second attempt returns the open one. */
    async orderIndividual(
      accountId: string,
      input: { planId: string; invoice: { mode: 'now'; title: TInvoiceTitle } | { mode: 'later' } },
      meta: RequestMeta,
    ) {
      const plan = await saleablePlan(input.planId);
      await realnameGate([{ accountId }], () => {
        throw new AppError('REALNAME_REQUIRED');
      });
      if (await repo.enrolled(db, accountId, plan.id)) throw new AppError('ALREADY_ENROLLED');
      const open = await repo.openOrderOf(db, accountId, plan.id);
      // Somebody else's 团购 order holds the person: never hand it over, say who pays.
      if (open && open.buyerAccountId !== accountId && clock.now() <= open.expiresAt)
        throw new AppError('IN_GROUP_ORDER');
      if (open && clock.now() <= open.expiresAt) return viewOne(open);
      if (open) await db.transaction((tx) => close(tx, open, 'expired', null));
      const order = await createOrder(
        accountId,
        {
          kind: 'individual',
          planId: plan.id,
          unitPriceFen: plan.priceFen,
          members: [{ accountId, line: null }],
          invoice: input.invoice,
        },
        meta,
      );
      return viewOne(order);
    },

    /**
     * 团体购买 立即购买: every pasted line normalised (trimmed, x → X) and checked — format and check digit by the
     * rules of the 证件类型 its shape shows (身份证, 港澳/台湾居民居住证, 外国人永久居留身份证), repeated in the list,
     * registered, not bought and not in another open order. One query per rule for
     * the whole list, so 10,000 lines stay well under two seconds.
     */
    async groupCheck(accountId: string, input: { planId: string; idNumbers: string }): Promise<TGroupCheckResult> {
      const plan = await saleablePlan(input.planId);
      const lines = input.idNumbers.split(/\r?\n/);
      while (lines.length && lines[lines.length - 1]?.trim() === '') lines.pop();
      if (lines.length > GROUP_MAX_LINES) throw new AppError('GROUP_TOO_MANY');
      const errors: Array<{ line: number; value: string; reason: string }> = [];
      const candidates: Array<{ line: number; value: string; idType: IdType; hash: string }> = [];
      const seen = new Map<string, number>();
      const today = clock.now();
      lines.forEach((raw, i) => {
        const line = i + 1;
        const id = untypedIdDocument(raw, today);
        const value = id.number;
        if (value === '') {
          errors.push({ line, value: raw, reason: '空行' });
          return;
        }
        if (id.message) {
          errors.push({ line, value, reason: id.message });
          return;
        }
        const dup = seen.get(value);
        if (dup !== undefined) {
          errors.push({ line, value, reason: `与第${dup}行重复` });
          return;
        }
        seen.set(value, line);
        candidates.push({ line, value, idType: id.type, hash: pii.lookupHash(idDocumentKey(id.type, value)) });
      });
      const key = (idType: string, hash: string) => `${idType}:${hash}`;
      const found = new Map(
        (await repo.accountsByIdDocuments(db, candidates)).map((a) => [key(a.idType, a.hash), a.id]),
      );
      const registered = candidates.filter((c) => {
        if (found.has(key(c.idType, c.hash))) return true;
        errors.push({ line: c.line, value: c.value, reason: `该${idNumberLabel(c.idType)}未注册平台账号` });
        return false;
      });
      const taken = new Map(
        (
          await repo.takenMembers(
            db,
            plan.id,
            registered.map((c) => found.get(key(c.idType, c.hash)) as string),
          )
        ).map((t) => [t.accountId, t.status]),
      );
      const members: Array<{ line: number; accountId: string }> = [];
      for (const c of registered) {
        const id = found.get(key(c.idType, c.hash)) as string;
        const status = taken.get(id);
        if (status === 'paid') errors.push({ line: c.line, value: c.value, reason: '该学员已购买该学习计划' });
        else if (status) errors.push({ line: c.line, value: c.value, reason: '该学员已在其他待支付订单中' });
        else members.push({ line: c.line, accountId: id });
      }
      await realnameGate(members, (m) =>
        errors.push({
          line: m.line,
          value: registered.find((c) => c.line === m.line)?.value ?? '',
          reason: '该学员尚未通过实名认证',
        }),
      );
      errors.sort((a, b) => a.line - b.line);
      const expiresAt = new Date(clock.now().getTime() + CHECK_TTL_MS);
      const check = await repo.insertCheck(db, {
        planId: plan.id,
        buyerAccountId: accountId,
        members,
        // Other people's ID numbers rest encrypted, as everywhere else; the reasons are kept readable.
        errors: errors.map(({ line, reason }) => ({ line, reason })),
        errorValuesEnc: pii.encrypt(JSON.stringify(errors.map((e) => e.value))),
        valid: members.length,
        invalid: errors.length,
        expiresAt,
      });
      return {
        checkId: check.id,
        planId: plan.id,
        valid: members.length,
        invalid: errors.length,
        amountFen: members.length * plan.priceFen,
        errors: errors.slice(0, 200),
        expiresAt: expiresAt.toISOString(),
      };
    },

    /** 下载错误文件: every rejected line with its reason, in the order pasted. */
    async groupErrorsXlsx(accountId: string, checkId: string): Promise<Buffer> {
      const check = await repo.checkById(db, checkId);
      if (!check || check.buyerAccountId !== accountId)
        throw new AppError('NOT_FOUND', { message: '校验结果不存在或已过期删除，请重新提交身份证号码' });
      const values: string[] = check.errorValuesEnc ? JSON.parse(pii.decrypt(check.errorValuesEnc)) : [];
      return writeWorkbook([
        {
          name: '错误信息',
          columns: [
            { header: '行号', width: 8 },
            // Text format: an 18-digit number must not become 5.00103E+17 in Excel.
            { header: '证件号码', width: 24, kind: 'text' },
            { header: '错误原因', width: 36 },
          ],
          rows: (check.errors as Array<{ line: number; reason: string }>).map((e, i) => [
            e.line,
            values[i] ?? '',
            e.reason,
          ]),
        },
      ]);
    },

    /** 团体购买 提交订单: the valid lines of the check; a 单位 invoice title when invoicing now. */
    async orderGroup(
      accountId: string,
      input: { checkId: string; invoice: { mode: 'now'; title: TInvoiceTitle } | { mode: 'later' } },
      meta: RequestMeta,
    ) {
      const check = await repo.checkById(db, input.checkId);
      if (!check || check.buyerAccountId !== accountId || check.orderId || clock.now() > check.expiresAt)
        throw new AppError('GROUP_CHECK_EXPIRED');
      if (check.valid === 0) throw new AppError('GROUP_NO_VALID');
      if (input.invoice.mode === 'now' && input.invoice.title.titleType !== 'unit')
        throw new AppError('VALIDATION_FAILED', {
          message: '团体购买的发票抬头须为单位',
          fields: { 'invoice.title.titleType': '团体购买的发票抬头须为单位' },
        });
      const plan = await saleablePlan(check.planId);
      const order = await createOrder(
        accountId,
        {
          kind: 'group',
          planId: plan.id,
          unitPriceFen: plan.priceFen,
          members: (check.members as Array<{ line: number; accountId: string }>).map((m) => ({
            accountId: m.accountId,
            line: m.line,
          })),
          invoice: input.invoice,
          checkId: check.id,
        },
        meta,
      );
      return viewOne(order);
    },

    async list(accountId: string, q: { kind?: string; status?: string; page: number; pageSize: number }) {
      const { rows, total } = await repo.ordersOf(db, accountId, q, q.page, q.pageSize);
      const invoices = await deps.invoicesOf(rows.map((r) => r.order.id));
      return { items: rows.map((r) => view(r.order, r.planName, invoices)), total, page: q.page, pageSize: q.pageSize };
    },

    async get(accountId: string, orderId: string) {
      return viewOne(await own(accountId, orderId));
    },
    own,

    async members(accountId: string, orderId: string, page: number, pageSize: number) {
      await own(accountId, orderId);
      const { rows, total } = await repo.members(db, orderId, page, pageSize);
      return {
        items: rows.map((r) => ({
          line: r.line,
          realName: r.realName,
          idNumberMasked: maskIdNumber(pii.decrypt(r.idNumberEnc)),
          enrolled: r.enrolledOrder === orderId,
        })),
        total,
        page,
        pageSize,
      };
    },

    async cancel(accountId: string, orderId: string, meta: RequestMeta) {
      await own(accountId, orderId);
      await db.transaction(async (tx) => {
        const o = (await repo.orderForUpdate(tx, orderId)) as OrderRow;
        if (o.status !== 'pending') throw new AppError('ORDER_STATE', { message: '只能取消待支付的订单' });
        await close(tx, o, 'cancelled', accountId);
        void meta;
      });
      return viewOne((await repo.orderById(db, orderId)) as OrderRow);
    },

    /**
     * 去支付: a new attempt with its own 商户订单号; the provider tells the browser where to go. `returnOrigin` is the
     * public URL the payer is on (the route's `publicOrigin`): the provider sends the browser back there, where its
     * session cookie is; the notify URL stays on the canonical address.
     */
    async pay(
      accountId: string,
      orderId: string,
      input: { channel: PaymentChannel; device: PaymentDevice; openId?: string; returnOrigin: string },
      meta: RequestMeta,
    ) {
      const o = await own(accountId, orderId);
      if (o.status !== 'pending') throw new AppError('ORDER_STATE', { message: '订单不是待支付状态' });
      if (clock.now() > o.expiresAt) throw new AppError('ORDER_EXPIRED');
      const provider = deps.providers[input.channel];
      if (!provider) throw new AppError('PAYMENT_UNAVAILABLE');
      const plan = await repo.planById(db, o.planId);
      const outTradeNo = `P${o.orderNo}${digits(4)}`;
      await db.transaction(async (tx) => {
        await repo.insertPayment(tx, {
          orderId: o.id,
          outTradeNo,
          channel: input.channel,
          provider: provider.name,
          amountFen: o.amountFen,
          status: 'created',
        });
        await audit.record(tx, {
          actorType: 'account',
          actorId: accountId,
          action: 'payment.create',
          targetType: 'order',
          targetId: o.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: { outTradeNo, channel: input.channel, amountFen: o.amountFen },
        });
      });
      try {
        return await provider.create({
          outTradeNo,
          amountFen: o.amountFen,
          subject: plan?.name ?? '继续教育公需科目培训',
          device: input.device,
          notifyUrl: `${deps.publicUrl()}/api/payments/notify/${input.channel}`,
          returnUrl: `${input.returnOrigin}/orders/${o.id}/result`,
          expiresAt: new Date(o.expiresAt.getTime() + PROVIDER_GRACE_MS),
          clientIp: meta.ip ?? undefined,
          openId: input.openId,
        });
      } catch (err) {
        if (err instanceof PaymentProviderError) throw new AppError('PAYMENT_UNAVAILABLE');
        throw err;
      }
    },

    /** The provider's asynchronous notification: verified, applied once, acknowledged. */
    async notify(channel: PaymentChannel, req: NotifyRequest, sourceIp: string) {
      const provider = deps.providers[channel];
      if (!provider) throw new AppError('ROUTE_NOT_FOUND');
      let notice: PaymentNotice | RefundNotice;
      try {
        notice = await provider.parseNotify(req);
      } catch (err) {
        if (!(err instanceof PaymentSignatureError)) throw err;
        await rejectNotification(channel, req, sourceIp, err.message);
        return { ...provider.ack(false), outcome: 'bad-signature' };
      }
      const via = { channel, provider: provider.name };
      // A refund's outcome only needs to be heard: the provider stops retrying whatever we make of it.
      if (notice.type === 'refund') {
        const outcome = await applyRefundNotice(via, notice, sourceIp);
        return { ...provider.ack(true), outcome };
      }
      const outcome = await applyNotice(via, notice, 'notify', sourceIp);
      return { ...provider.ack(outcome !== 'unknown-trade' && outcome !== 'wrong-channel'), outcome };
    },

    /**
     * The return page asks: the server queries the provider for the order's open attempts (a notification
     * may be late or lost). The browser's arrival proves nothing by itself.
     */
    async sync(accountId: string, orderId: string) {
      const o = await own(accountId, orderId);
      if (o.status === 'pending')
        for (const p of await repo.paymentsOfOrder(db, o.id)) {
          if (p.status !== 'created') continue;
          const provider = deps.providers[p.channel as PaymentChannel];
          if (!provider) continue;
          const r = await provider.query(p.outTradeNo).catch(() => undefined);
          if (r?.status === 'paid' && r.amountFen !== undefined)
            await applyNotice(
              { channel: p.channel as PaymentChannel, provider: provider.name },
              {
                outTradeNo: p.outTradeNo,
                tradeNo: r.tradeNo ?? '',
                amountFen: r.amountFen,
                status: 'paid',
                paidAt: r.paidAt ?? null,
              },
              'query',
            );
        }
      return viewOne((await repo.orderById(db, orderId)) as OrderRow);
    },

    expireSweep,

    /**
     * The hourly purge (GROUP_CHECKS_PURGE_JOB): deletes checks a day past their expiry, used by an order or not (the
     * order keeps its own members). Idempotent, and safe beside another instance doing the same. Returns how many.
     */
    async purgeExpiredChecks(): Promise<number> {
      const before = new Date(clock.now().getTime() - CHECK_KEEP_MS);
      let purged = 0;
      for (;;) {
        const n = await repo.deleteChecksExpiredBefore(db, before, CHECK_PURGE_BATCH);
        purged += n;
        if (n < CHECK_PURGE_BATCH) return purged;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    },
  };
}
export type OrdersService = ReturnType<typeof createOrdersService>;

/**
 * The trade number an unverified notification claims (form bodies of 支付宝, 银联 and the demo gateway), kept
 * only so operators can see forged or broken notifications beside the order they name. Never trusted.
 */
function claimedTradeNo(raw: Buffer): string | null {
  const form = new URLSearchParams(raw.toString('utf8').slice(0, 8192));
  const value = form.get('out_trade_no') ?? form.get('orderId');
  return value && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : null;
}
