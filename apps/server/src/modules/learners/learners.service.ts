import crypto from 'node:crypto';
import {
  type IdType,
  idDocumentKey,
  inferIdType,
  maskIdNumber,
  maskPhone,
  normalizeIdDocument,
  normalizePhone,
  PHONE_RE,
  type TLearnerDetail,
  type TLearnerQuery,
  type TLearnerSummary,
  type TOrderKind,
  type TOrderStatus,
  validatePassword,
} from '@cpe/shared';
import type { TAuditAction } from '@cpe/shared/audit';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { hashPassword } from '../../lib/password.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { AccountRow, IdentityRepo, StaffRow } from '../identity/identity.repo.js';
import { CLEARED } from '../identity/lockout.js';
import type { SessionService } from '../identity/session.service.js';
import type { NotifyService } from '../notify/notify.service.js';
import type { RateLimitService } from '../ratelimit/ratelimit.service.js';
import type { LearnerFilter, LearnersRepo } from './learners.repo.js';

/** 查看完整信息 per staff member: enough for a counter's day, not for paging through everyone. */
export const REVEAL_LIMIT = { max: 30, windowMs: 60 * 60_000 };

// Without look-alikes (0/O, 1/l/I) since the password may be read out over the phone or copied by hand.
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const DIGITS = '23456789';
const SPECIAL = '@#$%&*!';

const pick = (set: string) => set[crypto.randomInt(0, set.length)] as string;

/** 10 characters with all four classes, so it meets the policy (validatePassword) whatever the username. */
export function temporaryPassword(username: string): string {
  for (;;) {
    const chars = [pick(UPPER), pick(UPPER), pick(LOWER), pick(LOWER), pick(LOWER), pick(DIGITS), pick(DIGITS)];
    chars.push(pick(DIGITS), pick(SPECIAL), pick(UPPER + LOWER + DIGITS));
    for (let i = chars.length - 1; i > 0; i--) {
      const j = crypto.randomInt(0, i + 1);
      [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
    }
    const pw = chars.join('');
    if (validatePassword(pw, username) === null) return pw;
  }
}

/**
 * A full document number (any 证件类型 recognisable by its shape) or a mobile number is matched exactly by its keyed
 * hash; the rest is a name or username. An old 永居证 (3 letters, 12 digits) could also be the start of a username.
 */
export function filterOf(pii: Pii, q: string | undefined): LearnerFilter {
  const text = q?.trim();
  if (!text) return {};
  const idType = inferIdType(text);
  if (idType) {
    const id = normalizeIdDocument(text);
    const idDocument = { idType, hash: pii.lookupHash(idDocumentKey(idType, id)) };
    return /^[A-Z]/.test(id) ? { idDocument, orUsername: text } : { idDocument };
  }
  const phone = normalizePhone(text);
  if (PHONE_RE.test(phone)) return { phoneHash: pii.lookupHash(phone) };
  return { text };
}

/**
 * 学员管理 for the training centre: find a person by name, ID number or phone, see their orders, study and
 * certificates, reset the password, lift a lockout. ID numbers and phones are masked everywhere except the
 * audited, rate-limited 查看完整信息 of a pii-viewer.
 */
export function createLearnersService(deps: {
  db: Db;
  repo: LearnersRepo;
  identity: IdentityRepo;
  sessions: SessionService;
  notify: NotifyService;
  rateLimits: RateLimitService;
  pii: Pii;
  clock: Clock;
  audit: AuditRepo;
  /** Drops the portal's cached view of an account changed here (mustChangePassword). */
  onAccountChanged: (accountId: string) => void;
}) {
  const { db, repo, identity, sessions, notify, rateLimits, pii, clock, audit } = deps;

  const phoneOf = (a: AccountRow) => (a.phoneEnc ? pii.decrypt(a.phoneEnc) : null);
  const isLocked = (a: AccountRow) => Boolean(a.lockedUntil && a.lockedUntil.getTime() > clock.now().getTime());

  function summary(r: { account: AccountRow; orderCount: number; enrollmentCount: number }): TLearnerSummary {
    const a = r.account;
    const phone = phoneOf(a);
    const locked = isLocked(a);
    return {
      id: a.id,
      username: a.username,
      realName: a.realName,
      idType: a.idType as IdType,
      idNumberMasked: maskIdNumber(pii.decrypt(a.idNumberEnc)),
      phoneMasked: phone ? maskPhone(phone) : null,
      realNameVerified: a.realNameVerifiedAt !== null,
      status: a.status,
      locked,
      lockedUntil: locked ? (a.lockedUntil?.toISOString() ?? null) : null,
      mustChangePassword: a.mustChangePassword,
      createdAt: a.createdAt.toISOString(),
      orderCount: Number(r.orderCount),
      enrollmentCount: Number(r.enrollmentCount),
    };
  }

  async function load(id: string) {
    const row = await repo.byId(db, id);
    if (!row) throw new AppError('NOT_FOUND', { message: '学员不存在' });
    return row;
  }

  const record = (
    staffId: string,
    action: Extract<TAuditAction, `learner.${string}`>,
    accountId: string,
    meta: RequestMeta,
    extra = {},
  ) => ({
    actorType: 'staff' as const,
    actorId: staffId,
    action,
    targetType: 'account' as const,
    targetId: accountId,
    ip: meta.ip,
    userAgent: meta.userAgent,
    summary: extra,
  });

  return {
    async list(q: TLearnerQuery) {
      const { rows, total } = await repo.search(db, filterOf(pii, q.q), q.sort, q.pageSize, (q.page - 1) * q.pageSize);
      return { items: rows.map(summary), total, page: q.page, pageSize: q.pageSize };
    },

    async detail(id: string): Promise<TLearnerDetail> {
      const row = await load(id);
      const [orders, enrolled, certs] = [
        await repo.ordersOf(db, id),
        await repo.enrollmentsOf(db, id),
        await repo.certificatesOf(db, id),
      ];
      const now = clock.now();
      return {
        profile: {
          ...summary(row),
          realNameVerifiedAt: row.account.realNameVerifiedAt?.toISOString() ?? null,
          passwordChangedAt: row.account.passwordChangedAt.toISOString(),
        },
        orders: orders.map(({ order: o, planName }) => ({
          id: o.id,
          orderNo: o.orderNo,
          kind: o.kind as TOrderKind,
          planName,
          amountFen: o.amountFen,
          // A pending order past its time reads as expired before the sweep, as everywhere else.
          status: (o.status === 'pending' && now > o.expiresAt ? 'expired' : o.status) as TOrderStatus,
          role: o.buyerAccountId === id ? ('buyer' as const) : ('member' as const),
          createdAt: o.createdAt.toISOString(),
          paidAt: o.paidAt?.toISOString() ?? null,
        })),
        enrollments: enrolled.map((e) => ({
          id: e.enrollment.id,
          planId: e.enrollment.planId,
          planName: e.planName,
          year: e.year,
          orderNo: e.orderNo,
          enrolledAt: e.enrollment.enrolledAt.toISOString(),
          creditedHours: e.creditedHours ?? 0,
          requiredHours: e.requiredHours,
          completed: e.completedAt !== null,
          completedAt: e.completedAt?.toISOString() ?? null,
        })),
        certificates: certs.map((c) => ({
          certNo: c.certNo,
          planName: c.planName,
          year: c.year,
          hours: c.hours,
          issuedAt: c.issuedAt.toISOString(),
          status: c.status as 'valid' | 'revoked',
        })),
      };
    },

    /** 查看完整信息: the caller's roles were loaded by the route; counted before anything is read. */
    async reveal(staff: StaffRow, id: string, meta: RequestMeta) {
      if (!staff.roles.includes('pii-viewer')) throw new AppError('PII_REVEAL_FORBIDDEN');
      await rateLimits.consume({ key: `learner-reveal:staff:${staff.id}`, ...REVEAL_LIMIT });
      const { account } = await load(id);
      await audit.record(db, record(staff.id, 'learner.reveal', id, meta, { fields: ['idNumber', 'phone'] }));
      return { idNumber: pii.decrypt(account.idNumberEnc), phone: phoneOf(account) };
    },

    /**
     * 重置密码: a random temporary password, changed at the next login; every session ends and a lockout is
     * lifted (the person is about to sign in with it). The SMS goes out with the commit; without a phone the
     * operator sees the password once instead.
     */
    async resetPassword(staffId: string, id: string, meta: RequestMeta) {
      const { account } = await load(id);
      const password = temporaryPassword(account.username);
      const passwordHash = await hashPassword(password);
      const phone = phoneOf(account);
      const wasLocked = isLocked(account);
      deps.onAccountChanged(id);
      const sessionsEnded = await db.transaction(async (tx) => {
        await identity.updateAccount(tx, id, {
          passwordHash,
          passwordChangedAt: clock.now(),
          mustChangePassword: true,
          ...CLEARED,
        });
        const ended = await sessions.revokeAll(tx, 'public', id);
        if (phone) await notify.sms(tx, phone, 'password-reset-by-staff', { name: account.realName, password });
        await audit.record(
          tx,
          record(staffId, 'learner.password.reset', id, meta, {
            sessionsEnded: ended,
            smsSent: Boolean(phone),
            unlocked: wasLocked,
          }),
        );
        return ended;
      });
      deps.onAccountChanged(id);
      return {
        smsSent: Boolean(phone),
        phoneMasked: phone ? maskPhone(phone) : null,
        temporaryPassword: phone ? null : password,
        sessionsEnded,
      };
    },

    /** 解除锁定: the failure count and the lock go; the person is told by SMS. */
    async unlock(staffId: string, id: string, meta: RequestMeta) {
      const { account } = await load(id);
      if (!isLocked(account)) throw new AppError('LEARNER_NOT_LOCKED');
      const phone = phoneOf(account);
      await db.transaction(async (tx) => {
        await identity.setAccountLoginState(tx, id, CLEARED);
        if (phone) await notify.sms(tx, phone, 'account-unlocked', { name: account.realName });
        await audit.record(
          tx,
          record(staffId, 'learner.unlock', id, meta, {
            lockedUntil: account.lockedUntil?.toISOString(),
            smsSent: Boolean(phone),
          }),
        );
      });
      deps.onAccountChanged(id);
      return { smsSent: Boolean(phone), phoneMasked: phone ? maskPhone(phone) : null };
    },
  };
}
export type LearnersService = ReturnType<typeof createLearnersService>;
