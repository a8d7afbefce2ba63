import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/** 学习计划 / 培训项目 of 公需科目, managed by the training centre. */
export const trainingPlans = pgTable('training_plans', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  year: integer('year').notNull(),
  priceFen: bigint('price_fen', { mode: 'number' }).notNull(),
  requiredHours: integer('required_hours').notNull(),
  saleFrom: ts('sale_from').notNull(),
  saleTo: ts('sale_to').notNull(),
  description: text('description').notNull().default(''),
  coverFileId: uuid('cover_file_id'),
  /** Course titles and 学时 until the learning module brings real courses: [{ title, hours }]. */
  courses: jsonb('courses').notNull().default([]),
  published: boolean('published').notNull().default(false),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * Orders: 个人购买 (one member, the buyer) or 团体购买 (the members a designee listed). Amounts in fen,
 * always computed on the server. States: pending → paid | expired | cancelled.
 */
export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderNo: text('order_no').notNull(),
    kind: text('kind').notNull(),
    planId: uuid('plan_id').notNull(),
    buyerAccountId: uuid('buyer_account_id').notNull(),
    unitPriceFen: bigint('unit_price_fen', { mode: 'number' }).notNull(),
    quantity: integer('quantity').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    status: text('status').notNull(),
    expiresAt: ts('expires_at').notNull(),
    paidAt: ts('paid_at'),
    closedAt: ts('closed_at'),
    channel: text('channel'),
    /** now (立即申请) or later (以后申请). */
    invoiceMode: text('invoice_mode').notNull(),
    /** The 发票抬头 asked for at ordering (立即申请): { type, title, taxNo?, email? }. */
    invoiceTitle: jsonb('invoice_title'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('orders_no_uq').on(t.orderNo),
    index('orders_buyer_idx').on(t.buyerAccountId, t.createdAt),
    index('orders_expiry_idx').on(t.expiresAt).where(sql`${t.status} = 'pending'`),
  ],
);

/**
 * Who an order is for. `active` while the order is pending or paid: one active row per person and plan
 * is what makes "already bought or in another open order" a unique-index fact rather than a race.
 */
export const orderMembers = pgTable(
  'order_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id').notNull(),
    planId: uuid('plan_id').notNull(),
    accountId: uuid('account_id').notNull(),
    /** The line number in the pasted list (团体购买), for the members page. */
    line: integer('line'),
    active: boolean('active').notNull().default(true),
  },
  (t) => [
    index('order_members_order_idx').on(t.orderId),
    // 学员管理 shows a person's orders as a listed member too: found by account, not by scanning every order's list.
    index('order_members_account_idx').on(t.accountId),
    uniqueIndex('order_members_active_uq').on(t.planId, t.accountId).where(sql`${t.active}`),
  ],
);

/** A person may study a plan: written in the transaction that marks the order paid. */
export const enrollments = pgTable(
  'enrollments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id').notNull(),
    planId: uuid('plan_id').notNull(),
    orderId: uuid('order_id').notNull(),
    enrolledAt: ts('enrolled_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('enrollments_uq').on(t.accountId, t.planId)],
);

/** One payment attempt (its own 商户订单号); an order may have several. */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id').notNull(),
    outTradeNo: text('out_trade_no').notNull(),
    channel: text('channel').notNull(),
    provider: text('provider').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    /**
     * created → paid | closed | exception; paid → refunded (late payment of an expired order); exception (待处理:
     * money received with another amount than asked) → refunded by 订单管理.
     */
    status: text('status').notNull(),
    /** What a signed notification said was paid, when it was not amountFen (status exception). */
    receivedFen: bigint('received_fen', { mode: 'number' }),
    tradeNo: text('trade_no'),
    paidAt: ts('paid_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('payments_out_trade_no_uq').on(t.outTradeNo), index('payments_order_idx').on(t.orderId)],
);

/** Every notification received, verified or not, and what was done with it. */
export const paymentNotifications = pgTable(
  'payment_notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channel: text('channel').notNull(),
    outTradeNo: text('out_trade_no'),
    tradeNo: text('trade_no'),
    amountFen: bigint('amount_fen', { mode: 'number' }),
    verified: boolean('verified').notNull(),
    /**
     * paid, duplicate, amount-mismatch, late-refund, unknown-trade, wrong-channel, bad-signature, closed;
     * refund-success / refund-failed / refund-unknown for a provider's refund notice.
     */
    outcome: text('outcome').notNull(),
    /** The address it came from; unverified ones are kept only for the last few per address. */
    sourceIp: text('source_ip'),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [
    index('payment_notifications_trade_idx').on(t.outTradeNo),
    index('payment_notifications_unverified_idx').on(t.sourceIp, t.receivedAt).where(sql`not ${t.verified}`),
  ],
);

/**
 * Notifications refused for their signature, counted per source address and hour: the audit log gets one row per
 * source-hour (it is append-only, so the running count lives here), however many arrive.
 */
export const paymentNotifyRejections = pgTable(
  'payment_notify_rejections',
  {
    sourceIp: text('source_ip').notNull(),
    hourStart: ts('hour_start').notNull(),
    count: integer('count').notNull().default(0),
    /** Refused by the rate limit without being recorded one by one. */
    limited: integer('limited').notNull().default(0),
    lastChannel: text('last_channel'),
    lastReason: text('last_reason'),
    lastAt: ts('last_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sourceIp, t.hourStart] })],
);

export const refunds = pgTable(
  'refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    paymentId: uuid('payment_id').notNull(),
    orderId: uuid('order_id').notNull(),
    outRefundNo: text('out_refund_no').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    reason: text('reason').notNull(),
    /** pending → success | failed (retried by the job). */
    status: text('status').notNull(),
    providerRefundId: text('provider_refund_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('refunds_out_refund_no_uq').on(t.outRefundNo), uniqueIndex('refunds_payment_uq').on(t.paymentId)],
);

/**
 * 电子发票: blue invoices and their red-letter reversals. A modification reverses the blue one (kept, status
 * reversed) and issues a new blue one that points back to it.
 */
export const invoices = pgTable(
  'invoices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id').notNull(),
    kind: text('kind').notNull(),
    /** pending → issued | failed; issued → reversed (blue, after a modification). */
    status: text('status').notNull(),
    requestNo: text('request_no').notNull(),
    titleType: text('title_type').notNull(),
    title: text('title').notNull(),
    taxNo: text('tax_no'),
    email: text('email'),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    invoiceNo: text('invoice_no'),
    invoiceCode: text('invoice_code'),
    checkCode: text('check_code'),
    issuedAt: ts('issued_at'),
    pdfFileId: uuid('pdf_file_id'),
    /** The blue invoice this one replaces (a modification) or reverses (red). */
    relatesTo: uuid('relates_to'),
    /** Modifications made from this invoice's chain (at most one). */
    modifications: integer('modifications').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('invoices_request_no_uq').on(t.requestNo),
    index('invoices_order_idx').on(t.orderId),
    index('invoices_no_idx').on(t.invoiceNo),
  ],
);

/** Background jobs (invoice issuing, refunds, order expiry, the local gateway's notifications). */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull().default({}),
    /** queued → done | failed (after maxAttempts). */
    status: text('status').notNull().default('queued'),
    runAt: ts('run_at').notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(8),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('jobs_due_idx').on(t.runAt).where(sql`${t.status} = 'queued'`)],
);

/** The local payment gateway's own books (demo mode and tests): what a real provider keeps on its side. */
export const gatewayTrades = pgTable(
  'gateway_trades',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channel: text('channel').notNull(),
    outTradeNo: text('out_trade_no').notNull(),
    tradeNo: text('trade_no').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    subject: text('subject').notNull(),
    notifyUrl: text('notify_url').notNull(),
    returnUrl: text('return_url').notNull(),
    /** unpaid → paid | closed; paid → refunded. */
    status: text('status').notNull(),
    refundedFen: bigint('refunded_fen', { mode: 'number' }).notNull().default(0),
    expiresAt: ts('expires_at').notNull(),
    paidAt: ts('paid_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('gateway_trades_out_trade_no_uq').on(t.outTradeNo)],
);

/**
 * 团体购买's check (立即购买): the pasted lines, which are valid (→ the order's members) and why the others
 * are not (→ 下载错误文件). Kept for a while so the designee can submit or download without re-pasting.
 */
export const groupChecks = pgTable(
  'group_checks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    planId: uuid('plan_id').notNull(),
    buyerAccountId: uuid('buyer_account_id').notNull(),
    /** [{ line, accountId }] */
    members: jsonb('members').notNull(),
    /** [{ line, reason }] in the order pasted: the refused lines, without what was on them. */
    errors: jsonb('errors').notNull(),
    /**
     * What was on those lines (ID numbers of other people, pasted), for 下载错误文件 only: a JSON array in the
     * order of `errors`, encrypted as one value (ctx.pii). Null for checks made before values were sealed
     * (migration 0019 dropped their plain values rather than keep them).
     */
    errorValuesEnc: text('error_values_enc'),
    valid: integer('valid').notNull(),
    invalid: integer('invalid').notNull(),
    orderId: uuid('order_id'),
    expiresAt: ts('expires_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('group_checks_buyer_idx').on(t.buyerAccountId, t.createdAt)],
);
