import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/**
 * 消息中心 (站内信): one row per result a person waits for, written by the notification service in the same
 * transaction as the change it announces. Title and body are rendered from the templates when written, so a later
 * template edit does not rewrite what someone already read.
 */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The portal account (learner or unit administrator) that receives it. */
    accountId: uuid('account_id').notNull(),
    /** Template key (e.g. `ticket-replied`). */
    event: text('event').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** A portal path where the result is seen. */
    link: text('link'),
    params: jsonb('params').notNull().default(sql`'{}'::jsonb`),
    createdAt: ts('created_at').notNull().defaultNow(),
    readAt: ts('read_at'),
  },
  (t) => [index('messages_account_idx').on(t.accountId, t.readAt, t.createdAt)],
);
