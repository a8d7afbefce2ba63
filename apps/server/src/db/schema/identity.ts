import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/**
 * A natural person's account (个人用户). ID number and phone are personal data (PIPL): stored encrypted
 * (AES-256-GCM, *_enc) for display and sending, and as keyed hashes (HMAC-SHA256, *_hash) for lookup
 * and uniqueness, so a database dump alone does not reveal them.
 */
export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    realName: text('real_name').notNull(),
    idType: text('id_type').notNull().default('idCard'),
    /** ISO 3166-1 alpha-3 issuing country of a 护照; null for every other 证件类型. */
    nationality: text('nationality'),
    idNumberHash: text('id_number_hash').notNull(),
    idNumberEnc: text('id_number_enc').notNull(),
    phoneHash: text('phone_hash'),
    phoneEnc: text('phone_enc'),
    status: text('status').notNull().default('active'),
    realNameVerifiedAt: ts('real_name_verified_at'),
    realNameSource: text('real_name_source'),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    failedLoginCount: integer('failed_login_count').notNull().default(0),
    failedLoginWindowStart: ts('failed_login_window_start'),
    lockedUntil: ts('locked_until'),
    passwordChangedAt: ts('password_changed_at').notNull().defaultNow(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('accounts_username_lower_uq').on(sql`lower(${t.username})`),
    uniqueIndex('accounts_id_number_uq').on(t.idType, t.idNumberHash),
    uniqueIndex('accounts_phone_active_uq').on(t.phoneHash).where(sql`${t.status} = 'active'`),
  ],
);

/** Staff of the bureaus and the training centre: separate from public accounts, staff listener only. */
export const staffAccounts = pgTable(
  'staff_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    displayName: text('display_name').notNull(),
    roles: text('roles').array().notNull().default(sql`'{}'::text[]`),
    /** The bureau the person works for (市人社局 or one 区县人社局); null only for the seeded system administrator. */
    orgNodeId: uuid('org_node_id'),
    status: text('status').notNull().default('active'),
    failedLoginCount: integer('failed_login_count').notNull().default(0),
    failedLoginWindowStart: ts('failed_login_window_start'),
    lockedUntil: ts('locked_until'),
    passwordChangedAt: ts('password_changed_at').notNull().defaultNow(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('staff_accounts_username_lower_uq').on(sql`lower(${t.username})`)],
);

/** Server-side sessions; the cookie carries a random token, the table only its SHA-256. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    realm: text('realm').notNull(),
    principalId: uuid('principal_id').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_principal_idx').on(t.realm, t.principalId)],
);

/** Image and slider captchas: single use, short-lived; the answer never leaves the server (but the demo outbox). */
export const captchas = pgTable('captchas', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  answer: text('answer').notNull(),
  failures: integer('failures').notNull().default(0),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** One-time tokens proving a passed slider (valid 2 minutes). */
export const sliderTokens = pgTable('slider_tokens', {
  id: text('id').primaryKey(),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
});

export const smsCodes = pgTable(
  'sms_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    phoneHash: text('phone_hash').notNull(),
    purpose: text('purpose').notNull(),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    ip: text('ip'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('sms_codes_phone_idx').on(t.phoneHash, t.purpose, t.createdAt)],
);

/** Fixed-window counters for per-IP and per-key limits; shared by every instance through the database. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: ts('window_start').notNull(),
  count: integer('count').notNull().default(0),
});

/** Demo-mode outbox: every code the system would send or a captcha expects (PRODUCT.md principle 6). */
export const devOutbox = pgTable(
  'dev_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    to: text('to').notNull(),
    purpose: text('purpose'),
    code: text('code').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('dev_outbox_to_idx').on(t.to)],
);

/** Multi-step flows (registration, password reset): the step reached and data carried between steps. */
export const flows = pgTable('flows', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  step: text('step').notNull(),
  accountId: uuid('account_id'),
  data: jsonb('data').notNull().default(sql`'{}'::jsonb`),
  expiresAt: ts('expires_at').notNull(),
  completedAt: ts('completed_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const files = pgTable('files', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** The person who uploaded it; other readers are decided by the module that references the file. */
  ownerAccountId: uuid('owner_account_id'),
  originalName: text('original_name'),
  storageKey: text('storage_key').notNull(),
  mime: text('mime').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  purpose: text('purpose').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** 通过人工找回: a person without a usable phone asks staff to bind a new one. */
export const manualRecoveries = pgTable(
  'manual_recoveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    realName: text('real_name').notNull(),
    idNumberHash: text('id_number_hash').notNull(),
    idNumberEnc: text('id_number_enc').notNull(),
    newPhoneEnc: text('new_phone_enc').notNull(),
    newPhoneHash: text('new_phone_hash').notNull(),
    note: text('note').notNull().default(''),
    photoFileId: uuid('photo_file_id').notNull(),
    accountId: uuid('account_id'),
    status: text('status').notNull().default('pending'),
    reason: text('reason'),
    handledBy: uuid('handled_by'),
    handledAt: ts('handled_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('manual_recoveries_pending_uq').on(t.idNumberHash).where(sql`${t.status} = 'pending'`),
    index('manual_recoveries_status_idx').on(t.status, t.createdAt),
  ],
);

/**
 * 人工实名审核: a person whose document the 实名认证 service cannot verify (every 护照; 居住证 / 永居证 with a
 * 身份证-only provider) sends a photo of it; staff approve or reject. The row carries the name and document
 * asked to be verified: on approval they become the account's (a resubmission after a rejection may correct them).
 */
export const realnameReviews = pgTable(
  'realname_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id').notNull(),
    realName: text('real_name').notNull(),
    idType: text('id_type').notNull(),
    nationality: text('nationality'),
    idNumberEnc: text('id_number_enc').notNull(),
    /** `pii.lookupHash(idDocumentKey(…))`, as accounts.id_number_hash. */
    idNumberHash: text('id_number_hash').notNull(),
    photoFileId: uuid('photo_file_id').notNull(),
    status: text('status').notNull().default('pending'),
    submittedAt: ts('submitted_at').notNull().defaultNow(),
    decidedAt: ts('decided_at'),
    decidedBy: uuid('decided_by'),
    reason: text('reason'),
  },
  (t) => [
    uniqueIndex('realname_reviews_pending_uq').on(t.accountId).where(sql`${t.status} = 'pending'`),
    index('realname_reviews_status_idx').on(t.status, t.submittedAt),
    index('realname_reviews_account_idx').on(t.accountId, t.submittedAt),
  ],
);

/** Append-only: a trigger (migration 0001) refuses UPDATE and DELETE. */
export const auditLogs = pgTable(
  'audit_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    summary: jsonb('summary').notNull().default(sql`'{}'::jsonb`),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('audit_logs_target_idx').on(t.targetType, t.targetId), index('audit_logs_at_idx').on(t.at)],
);
