import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/** 课程 of 公需科目, managed by the training centre; a plan lists courses through plan_courses. */
export const courses = pgTable(
  'courses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    teacher: text('teacher').notNull().default(''),
    /** 学时 credited when every chapter is complete. */
    hours: integer('hours').notNull(),
    coverFileId: uuid('cover_file_id'),
    description: text('description').notNull().default(''),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('courses_title_idx').on(t.title)],
);

/** 章节: one video each. `questions` is the chapter's 防挂机 pool: [{ id, prompt, options: string[], answer }]. */
export const courseChapters = pgTable(
  'course_chapters',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    courseId: uuid('course_id').notNull(),
    title: text('title').notNull(),
    position: integer('position').notNull(),
    videoFileId: uuid('video_file_id'),
    durationSeconds: integer('duration_seconds').notNull(),
    questions: jsonb('questions').notNull().default(sql`'[]'::jsonb`),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('course_chapters_course_idx').on(t.courseId, t.position)],
);

/** Which courses a plan holds, in the order learners see them. */
export const planCourses = pgTable(
  'plan_courses',
  {
    planId: uuid('plan_id').notNull(),
    courseId: uuid('course_id').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.courseId] }), index('plan_courses_course_idx').on(t.courseId)],
);

/**
 * A learning session: opened by the server when a learner starts a chapter; heartbeats name it. At most one
 * open session per learner (a partial unique index): starting elsewhere ends the previous one (end_reason
 * 'replaced'), so a stale id is refused.
 */
export const studySessions = pgTable(
  'study_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id').notNull(),
    enrollmentId: uuid('enrollment_id').notNull(),
    chapterId: uuid('chapter_id').notNull(),
    startedAt: ts('started_at').notNull(),
    lastBeatAt: ts('last_beat_at').notNull(),
    lastPosition: integer('last_position').notNull().default(0),
    creditedSeconds: integer('credited_seconds').notNull().default(0),
    /** When the next 防挂机 question is due (server time). */
    nextCheckAt: ts('next_check_at'),
    endedAt: ts('ended_at'),
    /** replaced | closed | completed | expired */
    endReason: text('end_reason'),
    userAgent: text('user_agent'),
    /**
     * The app instance holding this session's live state (it credits beats from memory). Another instance that
     * gets a beat or an answer takes it over from the database; the old holder's late writes are then refused.
     */
    owner: text('owner'),
  },
  (t) => [
    uniqueIndex('study_sessions_active_uq').on(t.accountId).where(sql`${t.endedAt} is null`),
    index('study_sessions_enrollment_idx').on(t.enrollmentId, t.chapterId),
  ],
);

/**
 * The study player's live channels (WebSockets) open now, on every instance: a learner may hold a few at once
 * (STUDY_LIVE_LIMITS.socketsPerLearner), counted across instances. Each instance refreshes seen_at of its own rows
 * while it runs; rows of an instance that stopped without closing them go stale and stop counting.
 */
export const studyLiveChannels = pgTable(
  'study_live_channels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id').notNull(),
    /** The process holding the socket (a random id per start). */
    instanceId: text('instance_id').notNull(),
    openedAt: ts('opened_at').notNull(),
    seenAt: ts('seen_at').notNull(),
  },
  (t) => [
    index('study_live_channels_account_idx').on(t.accountId, t.seenAt),
    index('study_live_channels_instance_idx').on(t.instanceId),
  ],
);

/** Credited study per enrolment and chapter (a course in two plans is studied for each). */
export const chapterProgress = pgTable(
  'chapter_progress',
  {
    enrollmentId: uuid('enrollment_id').notNull(),
    chapterId: uuid('chapter_id').notNull(),
    accountId: uuid('account_id').notNull(),
    creditedSeconds: integer('credited_seconds').notNull().default(0),
    /** Furthest position reached with credit: seeking beyond it is refused. */
    maxPosition: integer('max_position').notNull().default(0),
    /** Where to resume. */
    lastPosition: integer('last_position').notNull().default(0),
    completedAt: ts('completed_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.enrollmentId, t.chapterId] }),
    index('chapter_progress_account_idx').on(t.accountId),
  ],
);

/**
 * 防挂机 questions asked in a session and their answers (every one recorded). While one is open no time is
 * credited; wrong or late answers void `credited_since_previous` seconds.
 */
export const antiIdleChecks = pgTable(
  'anti_idle_checks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: uuid('session_id').notNull(),
    enrollmentId: uuid('enrollment_id').notNull(),
    chapterId: uuid('chapter_id').notNull(),
    accountId: uuid('account_id').notNull(),
    /** { prompt, options: string[], answer: number, source: 'pool' | 'arithmetic', questionId? } */
    question: jsonb('question').notNull(),
    askedAt: ts('asked_at').notNull(),
    deadlineAt: ts('deadline_at').notNull(),
    answeredAt: ts('answered_at'),
    givenAnswer: integer('given_answer'),
    /** open | correct | wrong | timeout */
    outcome: text('outcome').notNull().default('open'),
    creditedSincePrevious: integer('credited_since_previous').notNull().default(0),
    voidedSeconds: integer('voided_seconds').notNull().default(0),
  },
  (t) => [
    index('anti_idle_checks_session_idx').on(t.sessionId, t.askedAt),
    index('anti_idle_checks_account_idx').on(t.accountId, t.askedAt),
  ],
);

/**
 * 合格证书: issued by a job when an enrolment completes. The PDF is rendered (and signed) once the learner
 * has chosen the 组织机构 at 打印证书; status valid → revoked (operators, with a reason, audited).
 */
export const certificates = pgTable(
  'certificates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    certNo: text('cert_no').notNull(),
    enrollmentId: uuid('enrollment_id').notNull(),
    accountId: uuid('account_id').notNull(),
    planId: uuid('plan_id').notNull(),
    holderName: text('holder_name').notNull(),
    /** e.g. 500***********1234: the certificate never carries the full number. */
    idNumberMasked: text('id_number_masked').notNull(),
    planName: text('plan_name').notNull(),
    year: integer('year').notNull(),
    hours: integer('hours').notNull(),
    issuedAt: ts('issued_at').notNull(),
    /** 组织机构 chosen by the learner: a unit, or the district keeping their file. */
    orgName: text('org_name'),
    orgUnitId: uuid('org_unit_id'),
    orgNodeId: uuid('org_node_id'),
    pdfFileId: uuid('pdf_file_id'),
    /** valid | revoked */
    status: text('status').notNull().default('valid'),
    revokedAt: ts('revoked_at'),
    revokedBy: uuid('revoked_by'),
    revokeReason: text('revoke_reason'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('certificates_no_uq').on(t.certNo),
    uniqueIndex('certificates_enrollment_uq').on(t.enrollmentId),
    index('certificates_account_idx').on(t.accountId, t.issuedAt),
  ],
);

/** Marks on an enrolment that the study module keeps (completion is also derivable from chapter_progress). */
export const enrollmentProgress = pgTable('enrollment_progress', {
  enrollmentId: uuid('enrollment_id').primaryKey(),
  accountId: uuid('account_id').notNull(),
  /** 学时 credited (sum of completed courses' hours). */
  creditedHours: integer('credited_hours').notNull().default(0),
  completedAt: ts('completed_at'),
  /** Set by the certificate job so a completion is issued once. */
  certificateQueued: boolean('certificate_queued').notNull().default(false),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
