import { describeUserAgent, placeOfIp, QR_LOGIN_TTL_SECONDS, type TQrLoginStatus } from '@cpe/shared';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { sha256 } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import { scopedToken, scopeMismatch, type TokenScope } from '../../lib/scoped-token.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { AuthService } from '../identity/auth.service.js';
import type { Jobs } from '../jobs/jobs.service.js';
import type { RateLimitService } from '../ratelimit/ratelimit.service.js';
import type { QrLoginRepo, QrLoginRow } from './qr-login.repo.js';

const POLL: TokenScope = { listener: 'public', purpose: 'qr-poll' };
const SCAN: TokenScope = { listener: 'public', purpose: 'qr-scan' };
/** A desktop that was confirmed just before expiry still collects its session on the poll after. */
const COLLECT_GRACE_MS = 10_000;
export const QR_LOGIN_SWEEP_JOB = 'qr-login.sweep';

type Stored = 'pending' | 'scanned' | 'confirmed' | 'cancelled' | 'used';

/** The ticket's state machine: which stored status each action starts from, and where it leads. */
const TRANSITIONS = {
  scan: { from: 'pending', to: 'scanned' },
  confirm: { from: 'scanned', to: 'confirmed' },
  cancelPending: { from: 'pending', to: 'cancelled' },
  cancelScanned: { from: 'scanned', to: 'cancelled' },
  collect: { from: 'confirmed', to: 'used' },
} as const satisfies Record<string, { from: Stored; to: Stored }>;

/**
 * 扫码登录 (seed 000 §2.1, 其它方式登录): the desktop's ticket, the phone's scan / confirm / cancel, the desktop's
 * poll that collects a session. Each step is one conditional update, so a poll racing a cancel, or two polls,
 * see one winner; the session comes from `auth.loginProven`, the same as a password login's.
 */
export function createQrLoginService(deps: {
  db: Db;
  repo: QrLoginRepo;
  clock: Clock;
  auth: Pick<AuthService, 'loginProven'>;
  rateLimits: RateLimitService;
  audit: AuditRepo;
  jobs: Jobs;
}) {
  const { db, repo, clock, auth, rateLimits, audit } = deps;

  deps.jobs.register(QR_LOGIN_SWEEP_JOB, async () => {
    await repo.deleteExpiredBefore(db, new Date(clock.now().getTime() - 24 * 3_600_000));
  });

  const expired = (row: QrLoginRow, graceMs = 0) => row.expiresAt.getTime() + graceMs <= clock.now().getTime();

  /** What the desktop is told: a used, cancelled-and-old or timed-out ticket is simply dead. */
  function statusOf(row: QrLoginRow): TQrLoginStatus {
    if (row.status === 'used') return 'expired';
    if (row.status === 'cancelled') return 'cancelled';
    if (row.status === 'confirmed') return expired(row, COLLECT_GRACE_MS) ? 'expired' : 'confirmed';
    return expired(row) ? 'expired' : (row.status as 'pending' | 'scanned');
  }

  function checkScope(token: string, scope: TokenScope) {
    const mismatch = scopeMismatch(token, scope);
    if (mismatch) throw new AppError(mismatch);
  }

  async function move(row: QrLoginRow, t: (typeof TRANSITIONS)[keyof typeof TRANSITIONS], patch = {}) {
    if (!(await repo.transition(db, row.id, t.from, { status: t.to, ...patch })))
      throw new AppError('QR_LOGIN_EXPIRED');
  }

  /** The ticket a signed-in phone acts on: live, and if already scanned, scanned by this person. */
  async function phoneTicket(code: string, accountId: string): Promise<QrLoginRow> {
    checkScope(code, SCAN);
    const row = await repo.byScanHash(db, sha256(code));
    if (!row) throw new AppError('QR_LOGIN_INVALID');
    const status = statusOf(row);
    if (status !== 'pending' && status !== 'scanned') throw new AppError('QR_LOGIN_EXPIRED');
    if (row.accountId && row.accountId !== accountId) throw new AppError('QR_LOGIN_TAKEN');
    return row;
  }

  return {
    async create(meta: RequestMeta) {
      await rateLimits.consume({ key: `qr-login:create:${meta.ip}`, max: 60, windowMs: 10 * 60_000 });
      const pollToken = scopedToken(POLL, 24);
      const scanCode = scopedToken(SCAN, 18);
      const now = clock.now();
      const row = await repo.insert(db, {
        pollHash: sha256(pollToken),
        scanHash: sha256(scanCode),
        desktopIp: meta.ip,
        desktopUserAgent: (meta.userAgent ?? '').slice(0, 500),
        createdAt: now,
        expiresAt: new Date(now.getTime() + QR_LOGIN_TTL_SECONDS * 1000),
      });
      // The code travels in the fragment: browsers never send it, so no access log on the way holds it.
      return { pollToken, scanPath: `/qr-login#${scanCode}`, expiresAt: row.expiresAt.toISOString() };
    },

    /** The desktop's poll; the one that finds the ticket confirmed opens the session (returned once). */
    async poll(pollToken: string, meta: RequestMeta) {
      checkScope(pollToken, POLL);
      // A ticket lives 2 minutes and is polled every 1.5 s: this bounds guessing, not honest use.
      await rateLimits.consume({ key: `qr-login:poll:${meta.ip}`, max: 1200, windowMs: 10 * 60_000 });
      const row = await repo.byPollHash(db, sha256(pollToken));
      if (!row) throw new AppError('QR_LOGIN_INVALID');
      const status = statusOf(row);
      const expiresAt = row.expiresAt.toISOString();
      if (status !== 'confirmed' || !row.accountId) return { status, expiresAt };
      if (!(await repo.transition(db, row.id, TRANSITIONS.collect.from, { status: TRANSITIONS.collect.to })))
        return { status: 'expired' as const, expiresAt };
      const { session, account } = await auth.loginProven(row.accountId, 'qr', meta);
      return { status, expiresAt, session, account };
    },

    /** The phone opened the code: the desktop shows 已扫描, the phone learns who asked. */
    async scan(code: string, accountId: string) {
      await rateLimits.consume({ key: `qr-login:scan:${accountId}`, max: 30, windowMs: 10 * 60_000 });
      const row = await phoneTicket(code, accountId);
      if (row.status === TRANSITIONS.scan.from)
        await move(row, TRANSITIONS.scan, { accountId, scannedAt: clock.now() });
      return {
        browser: describeUserAgent(row.desktopUserAgent),
        ip: row.desktopIp,
        place: placeOfIp(row.desktopIp),
        requestedAt: row.createdAt.toISOString(),
        expiresAt: row.expiresAt.toISOString(),
      };
    },

    async confirm(code: string, accountId: string, meta: RequestMeta) {
      const row = await phoneTicket(code, accountId);
      if (row.status !== TRANSITIONS.confirm.from) throw new AppError('QR_LOGIN_NOT_SCANNED');
      await move(row, TRANSITIONS.confirm, { decidedAt: clock.now() });
      await audit.record(db, {
        actorType: 'account',
        actorId: accountId,
        action: 'qr-login.confirm',
        targetType: 'account',
        targetId: accountId,
        ip: meta.ip,
        userAgent: meta.userAgent,
        summary: { desktopIp: row.desktopIp, desktopBrowser: describeUserAgent(row.desktopUserAgent) },
      });
      return { ok: true as const };
    },

    async cancel(code: string, accountId: string, meta: RequestMeta) {
      const row = await phoneTicket(code, accountId);
      await move(row, row.status === 'scanned' ? TRANSITIONS.cancelScanned : TRANSITIONS.cancelPending, {
        decidedAt: clock.now(),
        accountId,
      });
      await audit.record(db, {
        actorType: 'account',
        actorId: accountId,
        action: 'qr-login.cancel',
        targetType: 'account',
        targetId: accountId,
        ip: meta.ip,
        userAgent: meta.userAgent,
        summary: { desktopIp: row.desktopIp },
      });
      return { ok: true as const };
    },
  };
}
export type QrLoginService = ReturnType<typeof createQrLoginService>;
