import { index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/**
 * 扫码登录 tickets. Only hashes of the two secrets are kept: the desktop's poll token and the QR's scan code.
 * status: pending → scanned (a signed-in phone opened it; account_id set) → confirmed → used (the desktop's
 * poll opened its session), or cancelled; expiry is read from expires_at. Rows are deleted a day after expiry.
 */
export const qrLogins = pgTable(
  'qr_logins',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    pollHash: text('poll_hash').notNull(),
    scanHash: text('scan_hash').notNull(),
    status: text('status').notNull().default('pending'),
    accountId: uuid('account_id'),
    desktopIp: text('desktop_ip').notNull(),
    desktopUserAgent: text('desktop_user_agent').notNull().default(''),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    scannedAt: ts('scanned_at'),
    decidedAt: ts('decided_at'),
  },
  (t) => [
    uniqueIndex('qr_logins_poll_uq').on(t.pollHash),
    uniqueIndex('qr_logins_scan_uq').on(t.scanHash),
    index('qr_logins_expires_idx').on(t.expiresAt),
  ],
);
