import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/**
 * 通知公告. `state` is what staff did (draft → published ⇄ withdrawn); whether a published notice shows on the
 * portal also depends on the clock (publish_at ≤ now < withdraw_at), so 定时发布 and a timed 撤回 need no job.
 */
export const notices = pgTable(
  'notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    /** The Markdown-subset source (rendered to allow-listed HTML on the way out, never stored as HTML). */
    body: text('body').notNull(),
    /** Stored files (purpose notice-image) the body shows. */
    imageIds: jsonb('image_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** Stored files (purpose notice-attachment), in the order staff added them. */
    attachmentIds: jsonb('attachment_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** all | learners | unit-admins | district */
    audience: text('audience').notNull(),
    /** The 区县's GB/T 2260 code when audience is district. */
    districtCode: text('district_code'),
    pinned: boolean('pinned').notNull().default(false),
    /** draft | published | withdrawn */
    state: text('state').notNull().default('draft'),
    publishAt: ts('publish_at').notNull(),
    withdrawAt: ts('withdraw_at'),
    createdBy: uuid('created_by').notNull(),
    updatedBy: uuid('updated_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('notices_live_idx').on(t.state, t.pinned, t.publishAt),
    index('notices_district_idx').on(t.districtCode),
  ],
);
