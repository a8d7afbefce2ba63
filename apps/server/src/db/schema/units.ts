import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, serial, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/**
 * The organisation tree: 市人社局 (kind city) → 区县人社局 (district) and 市级主管部门 (department,
 * linked to the approved unit that is the department). A node reviews the registrations addressed to it.
 */
export const orgNodes = pgTable(
  'org_nodes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    areaCode: text('area_code'),
    parentId: uuid('parent_id'),
    unitId: uuid('unit_id'),
    sort: integer('sort').notNull().default(0),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('org_nodes_area_code_uq').on(t.areaCode),
    uniqueIndex('org_nodes_unit_uq').on(t.unitId),
    index('org_nodes_parent_idx').on(t.parentId, t.sort),
  ],
);

/** A unit in force: the data of its last approved registration or change. */
export const units = pgTable(
  'units',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    category: text('category').notNull(),
    name: text('name').notNull(),
    uscc: text('uscc').notNull(),
    usccManualCheck: boolean('uscc_manual_check').notNull().default(false),
    regArea: text('reg_area').notNull(),
    insuredArea: text('insured_area').notNull(),
    locatedArea: text('located_area').notNull(),
    address: text('address').notNull(),
    unitType: text('unit_type').notNull(),
    isGrassroots: boolean('is_grassroots').notNull(),
    reviewerNodeId: uuid('reviewer_node_id').notNull(),
    licenceFileId: uuid('licence_file_id').notNull(),
    authorizationFileId: uuid('authorization_file_id').notNull(),
    adminAccountId: uuid('admin_account_id'),
    version: integer('version').notNull().default(1),
    approvedAt: ts('approved_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('units_uscc_uq').on(t.uscc),
    uniqueIndex('units_name_uq').on(sql`lower(${t.name})`),
    // One person administers at most one unit at a time.
    uniqueIndex('units_admin_uq').on(t.adminAccountId),
    index('units_reviewer_idx').on(t.reviewerNodeId),
  ],
);

/** Every approved version of a unit's data (单位信息修改 keeps them all). */
export const unitVersions = pgTable(
  'unit_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    unitId: uuid('unit_id').notNull(),
    version: integer('version').notNull(),
    data: jsonb('data').notNull(),
    applicationId: uuid('application_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('unit_versions_uq').on(t.unitId, t.version)],
);

/**
 * Applications about units: 单位管理员注册 (register), 单位信息修改 (change-info) and 变更管理员
 * (change-admin). Filter columns are copied out of `data` so the review list is index-backed.
 * States: draft → pending (待主管部门审核) → rejected (审核未通过) → pending … → approved (审核通过).
 * Migration 0006 adds, outside this schema: the tab counters `unit_application_counts` (kept by a trigger)
 * and the index (reviewer_node_id, submitted_at) for a bureau's newest-first list.
 */
export const unitApplications = pgTable(
  'unit_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    status: text('status').notNull(),
    unitId: uuid('unit_id'),
    applicantAccountId: uuid('applicant_account_id').notNull(),
    applicantName: text('applicant_name').notNull(),
    applicantPhoneHash: text('applicant_phone_hash'),
    applicantPhoneEnc: text('applicant_phone_enc'),
    category: text('category').notNull(),
    unitName: text('unit_name').notNull(),
    /** Two-character pieces of the names, for 包含 search (migration 0004). */
    unitNameGrams: text('unit_name_grams').array().generatedAlwaysAs(sql`cpe_bigrams(unit_name)`),
    applicantNameGrams: text('applicant_name_grams').array().generatedAlwaysAs(sql`cpe_bigrams(applicant_name)`),
    uscc: text('uscc').notNull(),
    usccManualCheck: boolean('uscc_manual_check').notNull().default(false),
    locatedArea: text('located_area').notNull(),
    unitType: text('unit_type').notNull(),
    reviewerNodeId: uuid('reviewer_node_id').notNull(),
    data: jsonb('data').notNull(),
    round: integer('round').notNull().default(0),
    reason: text('reason'),
    reviewedAt: ts('reviewed_at'),
    submittedAt: ts('submitted_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('unit_applications_list_idx').on(t.reviewerNodeId, t.status, t.submittedAt),
    index('unit_applications_status_idx').on(t.status, t.submittedAt),
    index('unit_applications_submitted_idx').on(t.submittedAt).where(sql`${t.status} <> 'draft'`),
    index('unit_applications_name_sort_idx').on(t.unitName).where(sql`${t.status} <> 'draft'`),
    index('unit_applications_applicant_idx').on(t.applicantAccountId, t.status),
    index('unit_applications_uscc_idx').on(sql`${t.uscc} text_pattern_ops`),
    index('unit_applications_phone_idx').on(t.applicantPhoneHash),
    index('unit_applications_name_grams_idx').using('gin', t.unitNameGrams),
    index('unit_applications_applicant_grams_idx').using('gin', t.applicantNameGrams),
    index('unit_applications_area_idx').on(sql`${t.locatedArea} text_pattern_ops`),
    // An open (draft / pending / rejected) registration per person, and per code.
    uniqueIndex('unit_applications_open_per_person_uq')
      .on(t.applicantAccountId)
      .where(sql`${t.status} in ('draft', 'pending', 'rejected')`),
    uniqueIndex('unit_applications_open_uscc_uq')
      .on(t.uscc)
      .where(sql`${t.kind} = 'register' and ${t.status} in ('pending', 'rejected')`),
  ],
);

/** The history of every round: submit, resubmit, approve, reject, with the data as submitted. */
export const unitApplicationEvents = pgTable(
  'unit_application_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id').notNull(),
    action: text('action').notNull(),
    round: integer('round').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: uuid('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    reviewerName: text('reviewer_name'),
    reason: text('reason'),
    snapshot: jsonb('snapshot'),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('unit_application_events_app_idx').on(t.applicationId, t.at)],
);

/** 单位类型: a list the system administrator keeps (seeded with the seed's six). */
export const unitTypes = pgTable('unit_types', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  sort: integer('sort').notNull().default(0),
  active: boolean('active').notNull().default(true),
});

/**
 * 工作单位: who belongs to which approved unit. A person asks (or a 学员注册名单 / 团体购买 proposes), the unit's
 * administrator confirms or declines in 单位中心 → 单位人员 and may 移出 later. One current unit per person and one
 * pending request (partial unique indexes); rows are never deleted, so joined/left dates give the history by which a
 * record is read per unit and year. Status changes: UNIT_MEMBER_TRANSITIONS (packages/shared).
 */
export const unitMembers = pgTable(
  'unit_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    /** pending | confirmed | declined | cancelled | left */
    status: text('status').notNull(),
    /** self | roster | group-order: who proposed the link. */
    source: text('source').notNull().default('self'),
    requestedAt: ts('requested_at').notNull(),
    decidedAt: ts('decided_at'),
    /** The unit administrator (account) who confirmed, declined or removed; the person for cancel/leave. */
    decidedBy: uuid('decided_by'),
    joinedAt: ts('joined_at'),
    leftAt: ts('left_at'),
    /** 拒绝 / 移出 reason. */
    reason: text('reason'),
  },
  (t) => [
    uniqueIndex('unit_members_one_pending_uq').on(t.accountId).where(sql`${t.status} = 'pending'`),
    uniqueIndex('unit_members_one_current_uq').on(t.accountId).where(sql`${t.status} = 'confirmed'`),
    index('unit_members_unit_idx').on(t.unitId, t.status),
    index('unit_members_account_idx').on(t.accountId, t.requestedAt),
  ],
);
