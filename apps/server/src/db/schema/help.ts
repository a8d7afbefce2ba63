import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/** Operator-editable settings (e.g. 咨询方式 hotlines): one JSON value per key, defaults in code. */
export const siteSettings = pgTable('site_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedBy: uuid('updated_by'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** 常见问题, managed by operators. */
export const faqs = pgTable(
  'faqs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    topic: text('topic').notNull(),
    question: text('question').notNull(),
    answer: text('answer').notNull(),
    position: integer('position').notNull().default(0),
    published: boolean('published').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('faqs_topic_idx').on(t.topic, t.position)],
);

/** 在线客服 tickets: a learner asks, operators answer; open → answered ⇄ open (learner replies) → closed. */
export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketNo: text('ticket_no').notNull(),
    accountId: uuid('account_id').notNull(),
    topic: text('topic').notNull(),
    subject: text('subject').notNull(),
    status: text('status').notNull().default('open'),
    lastMessageAt: ts('last_message_at').notNull(),
    /** Staff who handled it last. */
    assigneeId: uuid('assignee_id'),
    /** When the learner last opened the thread: staff messages after it are the portal's unread badge. */
    learnerReadAt: ts('learner_read_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('tickets_no_uq').on(t.ticketNo),
    index('tickets_account_idx').on(t.accountId, t.lastMessageAt),
    index('tickets_status_idx').on(t.status, t.lastMessageAt),
  ],
);

export const ticketMessages = pgTable(
  'ticket_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id').notNull(),
    /** learner | staff */
    authorType: text('author_type').notNull(),
    authorId: uuid('author_id').notNull(),
    body: text('body').notNull(),
    /** Screenshots (files ids, purpose ticket-screenshot). */
    fileIds: jsonb('file_ids').notNull().default(sql`'[]'::jsonb`),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('ticket_messages_ticket_idx').on(t.ticketId, t.createdAt)],
);
