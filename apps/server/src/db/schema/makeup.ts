import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/**
 * 补学 (附件3): a learner asks to study a past year's 公需科目 (2011–2022) for free, with 缴费凭证 rows or a
 * 缴费承诺书. pending → approved (a 0-amount makeup order and an enrollment are written) | rejected.
 */
export const makeupRequests = pgTable(
  'makeup_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id').notNull(),
    year: integer('year').notNull(),
    /** The past year's plan, set on approval. */
    planId: uuid('plan_id'),
    /** receipt (缴费凭证) | pledge (缴费承诺书). */
    evidenceKind: text('evidence_kind').notNull(),
    /** receipt: [{ year, orderNo, payer, paidAt (YYYY-MM-DD), platform, fileId }]. */
    rows: jsonb('rows').notNull().default([]),
    /** pledge: { paidOn, reason }. */
    pledge: jsonb('pledge'),
    pledgeFileId: uuid('pledge_file_id'),
    status: text('status').notNull().default('pending'),
    /** 驳回原因. */
    reason: text('reason'),
    submittedAt: ts('submitted_at').notNull(),
    /** submittedAt + 3 working days (Saturdays and Sundays skipped, China time). */
    dueAt: ts('due_at').notNull(),
    decidedAt: ts('decided_at'),
    decidedBy: uuid('decided_by'),
    orderId: uuid('order_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // One open or granted request per person and year: a second one is a unique-index fact, not a race.
    uniqueIndex('makeup_requests_open_uq').on(t.accountId, t.year).where(sql`${t.status} in ('pending', 'approved')`),
    index('makeup_requests_account_idx').on(t.accountId, t.submittedAt),
    index('makeup_requests_status_idx').on(t.status, t.submittedAt),
  ],
);
