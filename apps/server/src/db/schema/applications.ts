import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/** A yearly 申报 batch per application type, opened by 市人社局 with its 申报截止时间. */
export const applicationBatches = pgTable(
  'application_batches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    type: text('type').notNull(),
    year: integer('year').notNull(),
    opensAt: ts('opens_at').notNull(),
    deadline: ts('deadline').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('application_batches_uq').on(t.type, t.year)],
);

/** The last 编号 sequence handed out per type and year: one locked row makes numbers consecutive and unique. */
export const applicationSequences = pgTable(
  'application_sequences',
  {
    typeCode: text('type_code').notNull(),
    year: integer('year').notNull(),
    last: bigint('last', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.typeCode, t.year] })],
);

/**
 * Applications filed by a unit (单位中心) or a 区县人社局 (staff console), reviewed by 市人社局.
 * `data` holds every section (sectionId → field → value); the list columns are copied out of it on save.
 */
export const applications = pgTable(
  'applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    type: text('type').notNull(),
    year: integer('year').notNull(),
    batchId: uuid('batch_id').notNull(),
    number: text('number'),
    status: text('status').notNull(),
    filerKind: text('filer_kind').notNull(),
    unitId: uuid('unit_id'),
    orgNodeId: uuid('org_node_id'),
    filerName: text('filer_name').notNull(),
    /** County code of the unit's 所在地 or of the filing 区县人社局 (所在区县 filter and statistics). */
    filerArea: text('filer_area').notNull(),
    filerUnitType: text('filer_unit_type').notNull(),
    createdByType: text('created_by_type').notNull(),
    createdById: uuid('created_by_id').notNull(),
    data: jsonb('data').notNull(),
    projectName: text('project_name').notNull().default(''),
    heldFrom: text('held_from'),
    heldTo: text('held_to'),
    hostUnit: text('host_unit').notNull().default(''),
    estimatedFen: bigint('estimated_fen', { mode: 'number' }),
    subsidyFen: bigint('subsidy_fen', { mode: 'number' }),
    round: integer('round').notNull().default(0),
    /** Set by 退回修改: the applicant may resubmit until then. */
    returnDeadline: ts('return_deadline'),
    /** The reviewer opened the record in this round: 撤回 is no longer possible. */
    reviewStartedAt: ts('review_started_at'),
    firstSubmittedAt: ts('first_submitted_at'),
    submittedAt: ts('submitted_at'),
    decidedAt: ts('decided_at'),
    reason: text('reason'),
    /** The reviewer's 修改意见 not yet sent (sectionId → text). */
    reviewDraft: jsonb('review_draft').notNull().default({}),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('applications_number_uq').on(t.number),
    index('applications_unit_idx').on(t.unitId, t.type, t.createdAt),
    index('applications_node_idx').on(t.orgNodeId, t.type, t.createdAt),
    index('applications_review_idx').on(t.type, t.year, t.status, t.submittedAt).where(sql`${t.status} <> 'draft'`),
  ],
);

/** Every step of every round, with the data as submitted and the reviewer's 修改意见. */
export const applicationEvents = pgTable(
  'application_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id').notNull(),
    action: text('action').notNull(),
    round: integer('round').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: uuid('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    departmentName: text('department_name'),
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    comments: jsonb('comments').notNull().default({}),
    reason: text('reason'),
    deadline: ts('deadline'),
    snapshot: jsonb('snapshot'),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('application_events_app_idx').on(t.applicationId, t.at)],
);
