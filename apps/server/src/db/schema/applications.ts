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
    /** The yearly batch (types filed in batches); null for types filed any time (开班方案, 基地申报 …). */
    batchId: uuid('batch_id'),
    /** The approved application this one follows: 开班方案 → 申报; 计划变化 / 结业 → 开班方案. */
    parentId: uuid('parent_id'),
    number: text('number'),
    status: text('status').notNull(),
    /**
     * The review chain resolved at submission: [{ level, nodeId, name }] (主管部门 → 区县人社局 → 市人社局 or
     * 市人社局 alone). `step` is where it stands: the step reviewing it (pending) or the one that returned it.
     */
    chain: jsonb('chain').notNull().default([]),
    step: integer('step').notNull().default(0),
    /** The organisation nodes of the chain (a 主管部门 or 区县人社局 sees what passes through it). */
    reviewNodes: uuid('review_nodes').array().notNull().default(sql`'{}'::uuid[]`),
    /** Where a list tab places the row: the status, with 待审核 split by the level reviewing it. */
    stage: text('stage').generatedAlwaysAs(
      sql`case when status = 'pending' then 'pending-' || coalesce(chain -> step ->> 'level', 'city') else status end`,
    ),
    /** A report's own due date (结业上报: 15 working days after 结业日期); past it the row shows 逾期. */
    dueAt: ts('due_at'),
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
    /**
     * The filer's first 保存 (null: a draft opened by 新增申报 and never saved). Such a draft is left out of the
     * filer's list, and 新增申报 opens it again instead of adding another (issue 21 §2).
     */
    savedAt: ts('saved_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('applications_number_uq').on(t.number),
    index('applications_unit_idx').on(t.unitId, t.type, t.createdAt),
    index('applications_node_idx').on(t.orgNodeId, t.type, t.createdAt),
    index('applications_review_idx').on(t.type, t.year, t.status, t.submittedAt).where(sql`${t.status} <> 'draft'`),
    index('applications_parent_idx').on(t.parentId, t.type),
    index('applications_review_nodes_idx').using('gin', t.reviewNodes),
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
    /** The chain step that acted (reviews), and its level: department | district | city. */
    step: integer('step'),
    level: text('level'),
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

/**
 * 结业上报's 学员名单: one row per participant of a completion report. ID number and phone are personal data:
 * encrypted, with a keyed hash for lookup (a certificate and a 学时 entry find the person by it, account or not).
 */
export const seminarTrainees = pgTable(
  'seminar_trainees',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id').notNull(),
    line: integer('line').notNull(),
    name: text('name').notNull(),
    idNumberEnc: text('id_number_enc').notNull(),
    idHash: text('id_hash').notNull(),
    idMasked: text('id_masked').notNull(),
    employer: text('employer').notNull(),
    title: text('title').notNull().default(''),
    phoneEnc: text('phone_enc'),
    phoneMasked: text('phone_masked').notNull().default(''),
    attendanceDays: integer('attendance_days').notNull(),
    /** 合格 | 不合格 */
    passed: text('passed').notNull(),
  },
  (t) => [
    uniqueIndex('seminar_trainees_line_uq').on(t.applicationId, t.line),
    uniqueIndex('seminar_trainees_person_uq').on(t.applicationId, t.idHash),
  ],
);

/** 高研班结业证书: issued on 结业 approval to each 合格 participant, numbered by 市人社局's scheme. */
export const seminarCertificates = pgTable(
  'seminar_certificates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    certNo: text('cert_no').notNull(),
    /** The approved 结业上报, its 开班方案 and the 市级高级研修项目 they belong to. */
    completionId: uuid('completion_id').notNull(),
    classPlanId: uuid('class_plan_id').notNull(),
    seminarId: uuid('seminar_id').notNull(),
    idHash: text('id_hash').notNull(),
    holderName: text('holder_name').notNull(),
    idNumberMasked: text('id_number_masked').notNull(),
    projectName: text('project_name').notNull(),
    hostUnit: text('host_unit').notNull(),
    heldFrom: text('held_from').notNull(),
    heldTo: text('held_to').notNull(),
    year: integer('year').notNull(),
    hours: integer('hours').notNull(),
    issuedAt: ts('issued_at').notNull(),
    pdfFileId: uuid('pdf_file_id'),
    /** valid | revoked */
    status: text('status').notNull().default('valid'),
    revokedAt: ts('revoked_at'),
    revokeReason: text('revoke_reason'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('seminar_certificates_no_uq').on(t.certNo),
    uniqueIndex('seminar_certificates_person_uq').on(t.completionId, t.idHash),
    index('seminar_certificates_holder_idx').on(t.idHash, t.issuedAt),
  ],
);

/**
 * 学时 credited to a person (by ID number hash, so it waits for someone without an account yet). The credit
 * record (学时档案) builds on these rows; today 高研班 结业 adds 专业科目 entries.
 */
export const creditEntries = pgTable(
  'credit_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    idHash: text('id_hash').notNull(),
    year: integer('year').notNull(),
    /** public (公需科目) | professional (专业科目) */
    category: text('category').notNull(),
    /** 学习形式, e.g. 高级研修 (a label of CREDIT_FORMS) */
    form: text('form').notNull(),
    title: text('title').notNull(),
    hours: integer('hours').notNull(),
    /** gxkm-certificate | seminar-completion | claim | import | correction; sourceId is the row that created it. */
    source: text('source').notNull(),
    sourceId: uuid('source_id').notNull(),
    /** CREDIT_ENTRY_TRANSITIONS: pending-unit | pending-bureau | confirmed | rejected | withdrawn | revoked */
    status: text('status').notNull().default('confirmed'),
    /** 学时登记 and 批量导入: who filed it (an account), dates, 主办单位, content, evidence. */
    accountId: uuid('account_id'),
    /** The unit that confirms a 学时登记 (the filer's confirmed 工作单位 when filed). */
    unitId: uuid('unit_id'),
    /** The bureau node that 认定s it (set when the unit confirms); null = 市人社局. */
    recognizerNodeId: uuid('recognizer_node_id'),
    startedOn: text('started_on'),
    endedOn: text('ended_on'),
    host: text('host'),
    content: text('content'),
    /** The 学时折算标准 the hours were computed by, and the most it allowed when filed. */
    standardId: uuid('standard_id'),
    standardHours: integer('standard_hours'),
    evidenceFileIds: jsonb('evidence_file_ids').$type<string[]>(),
    /** The last decision: its reason (退回, 不予认定, 撤销, 更正) and who took it when. */
    reason: text('reason'),
    actedBy: text('acted_by'),
    actedAt: ts('acted_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('credit_entries_source_uq').on(t.source, t.sourceId),
    index('credit_entries_person_idx').on(t.idHash, t.year),
    index('credit_entries_unit_queue_idx').on(t.unitId, t.createdAt).where(sql`${t.status} = 'pending-unit'`),
    index('credit_entries_bureau_queue_idx')
      .on(t.recognizerNodeId, t.createdAt)
      .where(sql`${t.status} = 'pending-bureau'`),
  ],
);

/** Every status change of an entry, with who, when and why: the history shown on the record. */
export const creditEntryEvents = pgTable(
  'credit_entry_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    entryId: uuid('entry_id').notNull(),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    /** account | staff | system */
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name').notNull(),
    reason: text('reason'),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('credit_entry_events_entry_idx').on(t.entryId, t.at)],
);

/**
 * 学时折算标准, maintained by staff: per 学习形式 (and for 论文论著 per journal level) either so many 学时 per day
 * (basis day) or a fixed figure per item (basis item), with an optional yearly cap per form.
 */
export const creditStandards = pgTable(
  'credit_standards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    form: text('form').notNull(),
    /** e.g. 核心期刊 for a 论文; '' when the form has one rule. */
    level: text('level').notNull().default(''),
    category: text('category').notNull().default('professional'),
    /** day | item */
    basis: text('basis').notNull(),
    hours: integer('hours').notNull(),
    yearlyCap: integer('yearly_cap'),
    active: boolean('active').notNull().default(true),
    sort: integer('sort').notNull().default(0),
    updatedBy: text('updated_by'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('credit_standards_form_level_uq').on(t.form, t.level)],
);

/** 学时证明: a signed snapshot of the 已认定 totals of a year range, verifiable by its number. */
export const creditProofs = pgTable(
  'credit_proofs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    certNo: text('cert_no').notNull(),
    accountId: uuid('account_id').notNull(),
    holderName: text('holder_name').notNull(),
    idNumberMasked: text('id_number_masked').notNull(),
    yearFrom: integer('year_from').notNull(),
    yearTo: integer('year_to').notNull(),
    hours: integer('hours').notNull(),
    publicHours: integer('public_hours').notNull(),
    professionalHours: integer('professional_hours').notNull(),
    /** Every year of the range 达标. */
    met: boolean('met').notNull(),
    /** sha256 of the entries it was made from: an unchanged record gives the same proof again. */
    digest: text('digest').notNull(),
    pdfFileId: uuid('pdf_file_id'),
    issuedAt: ts('issued_at').notNull(),
  },
  (t) => [
    uniqueIndex('credit_proofs_cert_no_uq').on(t.certNo),
    uniqueIndex('credit_proofs_digest_uq').on(t.accountId, t.yearFrom, t.yearTo, t.digest),
  ],
);

/**
 * 学时批量导入: one row per uploaded file, by the 培训中心 (console, entries 已认定) or a 继续教育基地's administrator
 * (单位中心, unitId set, entries 待认定). The lines that failed are kept as an Excel file (errorFileId).
 */
export const creditImports = pgTable(
  'credit_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** staff | account */
    actorType: text('actor_type').notNull(),
    actorId: uuid('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    /** The base's unit for an import from 单位中心; null for the 培训中心's. */
    unitId: uuid('unit_id'),
    filename: text('filename').notNull(),
    rows: integer('rows').notNull(),
    imported: integer('imported').notNull(),
    duplicates: integer('duplicates').notNull(),
    errors: integer('errors').notNull(),
    errorFileId: uuid('error_file_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('credit_imports_created_idx').on(t.createdAt),
    index('credit_imports_unit_idx').on(t.unitId, t.createdAt),
  ],
);

/** 继续教育基地 / 工程师基地 designated by 市人社局's approval of a 基地申报, valid for a period. */
export const bases = pgTable(
  'bases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** education | engineer */
    kind: text('kind').notNull(),
    applicationId: uuid('application_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    unitName: text('unit_name').notNull(),
    number: text('number').notNull(),
    field: text('field').notNull().default(''),
    areaCode: text('area_code').notNull(),
    validFrom: text('valid_from').notNull(),
    validTo: text('valid_to').notNull(),
    /** active | revoked (expiry is read from validTo) */
    status: text('status').notNull().default('active'),
    revokedAt: ts('revoked_at'),
    revokedBy: uuid('revoked_by'),
    revokeReason: text('revoke_reason'),
    /** When the 60-day expiry reminder went out (once). */
    remindedAt: ts('reminded_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('bases_number_uq').on(t.number),
    uniqueIndex('bases_application_uq').on(t.applicationId),
    index('bases_list_idx').on(t.kind, t.status, t.validTo),
  ],
);

/**
 * The working-day calendar kept by staff: public holidays (休) and the weekend days worked instead (班, 调休).
 * Every other Saturday and Sunday is a rest day; every other weekday a working day.
 */
export const calendarDays = pgTable('calendar_days', {
  day: text('day').primaryKey(),
  /** holiday | workday */
  kind: text('kind').notNull(),
  name: text('name').notNull().default(''),
  updatedBy: uuid('updated_by'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
