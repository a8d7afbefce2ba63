import { and, count, desc, eq, gte, ilike, inArray, like, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { holdsIdDocument, type IdDocumentHash } from '../../db/id-documents.js';
import {
  accounts,
  enrollments,
  groupChecks,
  invoices,
  orderMembers,
  orders,
  paymentNotifications,
  paymentNotifyRejections,
  payments,
  refunds,
  trainingPlans,
} from '../../db/schema/index.js';
import { escapeLike } from '../../lib/like.js';

export type PlanRow = typeof trainingPlans.$inferSelect;
export type OrderRow = typeof orders.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;
export type InvoiceRow = typeof invoices.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;
export type GroupCheckRow = typeof groupChecks.$inferSelect;

const first = <T>(rows: T[]): T | undefined => rows[0];

export interface AdminOrderFilter {
  id?: string;
  orderNo?: string;
  buyerName?: string;
  /** The buyer's document, typed in full in the 购买人 field (any 证件类型 recognisable by its shape). */
  buyerId?: IdDocumentHash;
  planId?: string;
  kind?: string;
  status?: string;
  createdFrom?: Date;
  createdBefore?: Date;
  paymentException?: boolean;
}

/** A payment in 待处理 (amount not as asked) whose refund has not been asked for yet. */
const openException = sql`${payments.status} = 'exception' and not exists (
  select 1 from ${refunds} where ${refunds.paymentId} = ${payments.id})`;

function adminWhere(f: AdminOrderFilter) {
  return and(
    f.id ? eq(orders.id, f.id) : undefined,
    f.orderNo ? like(orders.orderNo, `${escapeLike(f.orderNo)}%`) : undefined,
    f.buyerName ? ilike(accounts.realName, `%${escapeLike(f.buyerName)}%`) : undefined,
    f.buyerId ? holdsIdDocument([f.buyerId]) : undefined,
    f.planId ? eq(orders.planId, f.planId) : undefined,
    f.kind ? eq(orders.kind, f.kind) : undefined,
    f.status ? eq(orders.status, f.status) : undefined,
    f.createdFrom ? gte(orders.createdAt, f.createdFrom) : undefined,
    f.createdBefore ? lt(orders.createdAt, f.createdBefore) : undefined,
    f.paymentException
      ? sql`exists (select 1 from ${payments} where ${payments.orderId} = ${orders.id} and ${openException})`
      : undefined,
  );
}

export function createPurchaseRepo() {
  return {
    // ---- plans ----
    plans: (ex: Executor, onlyPublished: boolean) =>
      ex
        .select()
        .from(trainingPlans)
        .where(onlyPublished ? eq(trainingPlans.published, true) : undefined)
        .orderBy(desc(trainingPlans.year), desc(trainingPlans.createdAt)),
    planById: async (ex: Executor, id: string) =>
      first(await ex.select().from(trainingPlans).where(eq(trainingPlans.id, id))),
    insertPlan: async (ex: Executor, row: typeof trainingPlans.$inferInsert) =>
      (await ex.insert(trainingPlans).values(row).returning())[0] as PlanRow,
    updatePlan: async (ex: Executor, id: string, patch: Partial<typeof trainingPlans.$inferInsert>) =>
      first(
        await ex
          .update(trainingPlans)
          .set({ ...patch, updatedAt: new Date() })
          .where(eq(trainingPlans.id, id))
          .returning(),
      ),

    // ---- people ----
    /** Active accounts holding these documents (type and lookup hash), in one query for a whole pasted list. */
    accountsByIdDocuments: (ex: Executor, docs: readonly IdDocumentHash[]) =>
      docs.length === 0
        ? Promise.resolve([] as Array<{ id: string; idType: string; hash: string }>)
        : ex
            .select({ id: accounts.id, idType: accounts.idType, hash: accounts.idNumberHash })
            .from(accounts)
            .where(and(eq(accounts.status, 'active'), holdsIdDocument(docs))),
    /** Of these accounts, who already has an active (pending or paid) order of the plan, and whether it is paid. */
    takenMembers: (ex: Executor, planId: string, accountIds: string[]) =>
      accountIds.length === 0
        ? Promise.resolve([] as Array<{ accountId: string; status: string }>)
        : ex
            .select({ accountId: orderMembers.accountId, status: orders.status })
            .from(orderMembers)
            .innerJoin(orders, eq(orders.id, orderMembers.orderId))
            .where(
              and(
                eq(orderMembers.planId, planId),
                eq(orderMembers.active, true),
                sql`${orderMembers.accountId} = any(${sql.param(accountIds)}::uuid[])`,
              ),
            ),
    enrolled: async (ex: Executor, accountId: string, planId: string) =>
      first(
        await ex
          .select()
          .from(enrollments)
          .where(and(eq(enrollments.accountId, accountId), eq(enrollments.planId, planId))),
      ),
    openOrderOf: async (ex: Executor, accountId: string, planId: string) =>
      first(
        await ex
          .select({ order: orders })
          .from(orderMembers)
          .innerJoin(orders, eq(orders.id, orderMembers.orderId))
          .where(
            and(
              eq(orderMembers.planId, planId),
              eq(orderMembers.accountId, accountId),
              eq(orderMembers.active, true),
              eq(orders.status, 'pending'),
            ),
          ),
      )?.order,

    // ---- group checks ----
    insertCheck: async (ex: Executor, row: typeof groupChecks.$inferInsert) =>
      (await ex.insert(groupChecks).values(row).returning())[0] as GroupCheckRow,
    checkById: async (ex: Executor, id: string) =>
      first(await ex.select().from(groupChecks).where(eq(groupChecks.id, id))),
    checkForUpdate: async (ex: Executor, id: string) =>
      first(await ex.select().from(groupChecks).where(eq(groupChecks.id, id)).for('update')),
    markCheckUsed: (ex: Executor, id: string, orderId: string) =>
      ex.update(groupChecks).set({ orderId }).where(eq(groupChecks.id, id)),
    /**
     * Deletes up to `limit` checks that expired before `before`; returns how many. Rows another transaction holds
     * are skipped rather than waited for, so two instances share the work and neither blocks an order being placed.
     */
    deleteChecksExpiredBefore: async (ex: Executor, before: Date, limit: number) => {
      const res = await ex.execute<{ n: number }>(sql`
        with gone as (
          delete from group_checks where id in (
            select id from group_checks
            where expires_at < ${before.toISOString()}::timestamptz
            limit ${limit}
            for update skip locked
          )
          returning 1
        )
        select count(*)::int as n from gone`);
      return Number(res.rows[0]?.n ?? 0);
    },

    // ---- orders ----
    insertOrder: async (ex: Executor, row: typeof orders.$inferInsert) =>
      (await ex.insert(orders).values(row).returning())[0] as OrderRow,
    insertMembers: async (ex: Executor, rows: Array<typeof orderMembers.$inferInsert>) => {
      // In slices: one statement per 1,000 rows keeps the parameter count well under PostgreSQL's limit.
      for (let i = 0; i < rows.length; i += 1000) await ex.insert(orderMembers).values(rows.slice(i, i + 1000));
    },
    orderById: async (ex: Executor, id: string) => first(await ex.select().from(orders).where(eq(orders.id, id))),
    orderForUpdate: async (ex: Executor, id: string) =>
      first(await ex.select().from(orders).where(eq(orders.id, id)).for('update')),
    updateOrder: async (ex: Executor, id: string, patch: Partial<typeof orders.$inferInsert>) =>
      (
        await ex
          .update(orders)
          .set({ ...patch, updatedAt: new Date() })
          .where(eq(orders.id, id))
          .returning()
      )[0] as OrderRow,
    deactivateMembers: (ex: Executor, orderId: string) =>
      ex.update(orderMembers).set({ active: false }).where(eq(orderMembers.orderId, orderId)),
    ordersOf: async (
      ex: Executor,
      buyer: string,
      f: { kind?: string; status?: string },
      page: number,
      pageSize: number,
    ) => {
      const w = and(
        eq(orders.buyerAccountId, buyer),
        f.kind ? eq(orders.kind, f.kind) : undefined,
        f.status ? eq(orders.status, f.status) : undefined,
      );
      const rows = await ex
        .select({ order: orders, planName: trainingPlans.name })
        .from(orders)
        .innerJoin(trainingPlans, eq(trainingPlans.id, orders.planId))
        .where(w)
        .orderBy(desc(orders.createdAt))
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      const total = await ex.select({ n: count() }).from(orders).where(w);
      return { rows, total: Number(total[0]?.n ?? 0) };
    },
    members: async (ex: Executor, orderId: string, page: number, pageSize: number) => {
      const rows = await ex
        .select({
          line: orderMembers.line,
          accountId: orderMembers.accountId,
          realName: accounts.realName,
          idNumberEnc: accounts.idNumberEnc,
          enrolledOrder: enrollments.orderId,
        })
        .from(orderMembers)
        .innerJoin(accounts, eq(accounts.id, orderMembers.accountId))
        .leftJoin(
          enrollments,
          and(eq(enrollments.accountId, orderMembers.accountId), eq(enrollments.planId, orderMembers.planId)),
        )
        .where(eq(orderMembers.orderId, orderId))
        .orderBy(orderMembers.line)
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      const total = await ex.select({ n: count() }).from(orderMembers).where(eq(orderMembers.orderId, orderId));
      return { rows, total: Number(total[0]?.n ?? 0) };
    },
    /** Enrols every active member of the order (the paid transaction). */
    enrollMembers: async (ex: Executor, order: OrderRow, at: Date) => {
      await ex.execute(sql`
        insert into ${enrollments} (account_id, plan_id, order_id, enrolled_at)
        select ${orderMembers.accountId}, ${orderMembers.planId}, ${order.id}, ${at}
        from ${orderMembers}
        where ${orderMembers.orderId} = ${order.id} and ${orderMembers.active}
        on conflict (account_id, plan_id) do nothing`);
    },
    enrolledCount: async (ex: Executor, orderId: string) =>
      Number((await ex.select({ n: count() }).from(enrollments).where(eq(enrollments.orderId, orderId)))[0]?.n ?? 0),
    /** Pending orders past their time, oldest first. */
    overdue: (ex: Executor, now: Date, limit: number) =>
      ex
        .select({ id: orders.id })
        .from(orders)
        .where(and(eq(orders.status, 'pending'), lt(orders.expiresAt, now)))
        .limit(limit),

    /** 订单管理: every buyer's orders with the buyer and plan, newest first. */
    adminOrders: async (ex: Executor, f: AdminOrderFilter, limit: number, offset: number) => {
      const w = adminWhere(f);
      const rows = await ex
        .select({
          order: orders,
          planName: trainingPlans.name,
          buyerName: accounts.realName,
          buyerIdEnc: accounts.idNumberEnc,
        })
        .from(orders)
        .innerJoin(trainingPlans, eq(trainingPlans.id, orders.planId))
        .innerJoin(accounts, eq(accounts.id, orders.buyerAccountId))
        .where(w)
        .orderBy(desc(orders.createdAt), desc(orders.id))
        .limit(limit)
        .offset(offset);
      const totals = await ex
        .select({
          n: count(),
          paid: sql<string>`coalesce(sum(${orders.amountFen}) filter (where ${orders.status} = 'paid'), 0)`,
        })
        .from(orders)
        .innerJoin(accounts, eq(accounts.id, orders.buyerAccountId))
        .where(w);
      return { rows, total: Number(totals[0]?.n ?? 0), paidFen: Number(totals[0]?.paid ?? 0) };
    },

    // ---- payments ----
    insertPayment: async (ex: Executor, row: typeof payments.$inferInsert) =>
      (await ex.insert(payments).values(row).returning())[0] as PaymentRow,
    paymentForUpdate: async (ex: Executor, outTradeNo: string) =>
      first(await ex.select().from(payments).where(eq(payments.outTradeNo, outTradeNo)).for('update')),
    paymentById: async (ex: Executor, id: string) => first(await ex.select().from(payments).where(eq(payments.id, id))),
    paymentsOfOrder: (ex: Executor, orderId: string) =>
      ex.select().from(payments).where(eq(payments.orderId, orderId)).orderBy(desc(payments.createdAt)),
    updatePayment: (ex: Executor, id: string, patch: Partial<typeof payments.$inferInsert>) =>
      ex
        .update(payments)
        .set({ ...patch, updatedAt: new Date() })
        .where(eq(payments.id, id)),
    recordNotification: (ex: Executor, row: typeof paymentNotifications.$inferInsert) =>
      ex.insert(paymentNotifications).values(row),
    /** Keeps only the `keep` latest unverified notifications of one source address (the rest are counted only). */
    pruneUnverified: (ex: Executor, sourceIp: string, keep: number) =>
      ex.execute(sql`
        delete from ${paymentNotifications}
        where not ${paymentNotifications.verified} and ${paymentNotifications.sourceIp} = ${sourceIp}
          and ${paymentNotifications.id} not in (
            select id from ${paymentNotifications}
            where not ${paymentNotifications.verified} and ${paymentNotifications.sourceIp} = ${sourceIp}
            order by ${paymentNotifications.receivedAt} desc, ${paymentNotifications.id} desc
            limit ${keep})`),
    /**
     * Counts one refused notification of a source in its hour; `first` is true for the hour's first, which is the
     * one the audit log records.
     */
    countRejection: async (
      ex: Executor,
      row: { sourceIp: string; hourStart: Date; channel: string; reason: string; limited: boolean; at: Date },
    ) => {
      const res = await ex.execute(sql`
        insert into ${paymentNotifyRejections} (source_ip, hour_start, count, limited, last_channel, last_reason, last_at)
        values (${row.sourceIp}, ${row.hourStart.toISOString()}::timestamptz, 1, ${row.limited ? 1 : 0},
                ${row.channel}, ${row.reason}, ${row.at.toISOString()}::timestamptz)
        on conflict (source_ip, hour_start) do update set
          count = ${paymentNotifyRejections}.count + 1,
          limited = ${paymentNotifyRejections}.limited + ${row.limited ? 1 : 0},
          last_channel = excluded.last_channel, last_reason = excluded.last_reason, last_at = excluded.last_at
        returning count`);
      return { first: Number((res.rows[0] as { count: number }).count) === 1 };
    },
    rejectionsOf: (ex: Executor, sourceIp: string) =>
      ex
        .select()
        .from(paymentNotifyRejections)
        .where(eq(paymentNotifyRejections.sourceIp, sourceIp))
        .orderBy(desc(paymentNotifyRejections.hourStart)),
    /** Payments in 待处理 (exception): counted for 订单管理's alert, by order for its rows. */
    exceptionOrders: async (ex: Executor, orderIds?: string[]) =>
      (
        await ex
          .selectDistinct({ orderId: payments.orderId })
          .from(payments)
          .where(
            and(
              openException,
              orderIds ? (orderIds.length ? inArray(payments.orderId, orderIds) : sql`false`) : undefined,
            ),
          )
      ).map((r) => r.orderId),
    refundByOutRefundNo: async (ex: Executor, outRefundNo: string) =>
      first(await ex.select().from(refunds).where(eq(refunds.outRefundNo, outRefundNo)).for('update')),
    notificationsOf: (ex: Executor, outTradeNos: string[]) =>
      outTradeNos.length === 0
        ? Promise.resolve([] as Array<typeof paymentNotifications.$inferSelect>)
        : ex
            .select()
            .from(paymentNotifications)
            .where(inArray(paymentNotifications.outTradeNo, outTradeNos))
            .orderBy(paymentNotifications.receivedAt),

    // ---- refunds ----
    insertRefund: async (ex: Executor, row: typeof refunds.$inferInsert) =>
      first(await ex.insert(refunds).values(row).onConflictDoNothing().returning()),
    refundById: async (ex: Executor, id: string) => first(await ex.select().from(refunds).where(eq(refunds.id, id))),
    refundsOfOrder: (ex: Executor, orderId: string) => ex.select().from(refunds).where(eq(refunds.orderId, orderId)),
    updateRefund: (ex: Executor, id: string, patch: Partial<typeof refunds.$inferInsert>) =>
      ex
        .update(refunds)
        .set({ ...patch, updatedAt: new Date() })
        .where(eq(refunds.id, id)),

    // ---- invoices ----
    insertInvoice: async (ex: Executor, row: typeof invoices.$inferInsert) =>
      (await ex.insert(invoices).values(row).returning())[0] as InvoiceRow,
    invoiceById: async (ex: Executor, id: string) => first(await ex.select().from(invoices).where(eq(invoices.id, id))),
    invoiceByNumber: async (ex: Executor, invoiceNo: string) =>
      first(await ex.select().from(invoices).where(eq(invoices.invoiceNo, invoiceNo))),
    invoiceForUpdate: async (ex: Executor, id: string) =>
      first(await ex.select().from(invoices).where(eq(invoices.id, id)).for('update')),
    updateInvoice: (ex: Executor, id: string, patch: Partial<typeof invoices.$inferInsert>) =>
      ex
        .update(invoices)
        .set({ ...patch, updatedAt: new Date() })
        .where(eq(invoices.id, id)),
    invoicesOfOrders: (ex: Executor, orderIds: string[]) =>
      orderIds.length === 0
        ? Promise.resolve([] as InvoiceRow[])
        : ex.select().from(invoices).where(inArray(invoices.orderId, orderIds)).orderBy(desc(invoices.createdAt)),
    invoicesOfBuyer: (ex: Executor, buyer: string) =>
      ex
        .select({ invoice: invoices, orderNo: orders.orderNo, planName: trainingPlans.name })
        .from(invoices)
        .innerJoin(orders, eq(orders.id, invoices.orderId))
        .innerJoin(trainingPlans, eq(trainingPlans.id, orders.planId))
        .where(eq(orders.buyerAccountId, buyer))
        .orderBy(desc(invoices.createdAt)),
  };
}
export type PurchaseRepo = ReturnType<typeof createPurchaseRepo>;
