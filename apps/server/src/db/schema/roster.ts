import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/**
 * 学员注册名单: a unit's (or the training centre's) upload of people whose accounts the platform creates.
 * States: validated → importing → done, or validated → expired when not imported within IMPORT_ERROR_FILE_DAYS
 * (its rows still `valid` are then deleted). Counters are kept on the import so progress is one row read.
 */
export const rosterImports = pgTable(
  'roster_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    uploaderType: text('uploader_type').notNull(),
    uploaderId: uuid('uploader_id').notNull(),
    unitId: uuid('unit_id'),
    fileName: text('file_name').notNull(),
    /** The template's header block: { district, contact, unitName, phone } as written in the file. */
    header: jsonb('header').notNull().default(sql`'{}'::jsonb`),
    status: text('status').notNull(),
    total: integer('total').notNull(),
    valid: integer('valid').notNull(),
    invalid: integer('invalid').notNull(),
    createdCount: integer('created_count').notNull().default(0),
    existingCount: integer('existing_count').notNull().default(0),
    /** Where the uploader wants the "import done" e-mail (optional, given at 确认导入); encrypted. */
    notifyEmailEnc: text('notify_email_enc'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('roster_imports_uploader_idx').on(t.uploaderType, t.uploaderId, t.createdAt)],
);

/** One line of the uploaded file. ID number and phone are personal data: encrypted plus keyed hash. */
export const rosterRows = pgTable(
  'roster_rows',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    importId: uuid('import_id').notNull(),
    /** The Excel row number, so a report line points at the line of the sender's file. */
    line: integer('line').notNull(),
    name: text('name').notNull(),
    idNumberEnc: text('id_number_enc').notNull(),
    idHash: text('id_hash').notNull(),
    phoneEnc: text('phone_enc'),
    phoneHash: text('phone_hash'),
    sex: text('sex').notNull(),
    remark: text('remark').notNull().default(''),
    /** valid | invalid | created | existing */
    status: text('status').notNull(),
    reason: text('reason'),
    accountId: uuid('account_id'),
  },
  (t) => [
    uniqueIndex('roster_rows_line_uq').on(t.importId, t.line),
    index('roster_rows_status_idx').on(t.importId, t.status),
  ],
);
