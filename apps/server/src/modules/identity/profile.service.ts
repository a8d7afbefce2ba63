import {
  type IdType,
  maskIdNumber,
  maskPhone,
  PASSWORD_MESSAGES,
  type TRealnameStatus,
  validatePassword,
} from '@cpe/shared';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { hashPassword, verifyPassword } from '../../lib/password.js';
import { uniqueViolation } from '../../lib/pg-errors.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { SmsService } from '../sms/sms.service.js';
import type { AccountRow, IdentityRepo } from './identity.repo.js';
import type { SessionService } from './session.service.js';

/** 个人中心: profile (masked), change password, change phone. The ID number has no change path at all. */
export function createProfileService(deps: {
  db: Db;
  repo: IdentityRepo;
  clock: Clock;
  pii: Pii;
  sms: SmsService;
  sessions: SessionService;
  audit: AuditRepo;
  /** Where the account's 实名 stands (realname-review: verified, or its latest 人工实名审核). */
  realnameStatus: (a: AccountRow) => Promise<{ status: TRealnameStatus; rejectReason: string | null }>;
  /** Whether the account administers an approved unit (units). */
  unitAdmin: (accountId: string) => Promise<boolean>;
}) {
  const { db, repo, clock, pii, sms, sessions, audit } = deps;

  const toMe = async (a: AccountRow) => {
    const [realname, unitAdmin] = await Promise.all([deps.realnameStatus(a), deps.unitAdmin(a.id)]);
    return {
      id: a.id,
      username: a.username,
      realName: a.realName,
      idType: a.idType as IdType,
      idNumberMasked: maskIdNumber(pii.decrypt(a.idNumberEnc)),
      phoneMasked: a.phoneEnc ? maskPhone(pii.decrypt(a.phoneEnc)) : null,
      nationality: a.nationality,
      realNameVerified: a.realNameVerifiedAt !== null,
      realNameStatus: realname.status,
      realNameRejectReason: realname.rejectReason,
      mustChangePassword: a.mustChangePassword,
      unitAdmin,
      createdAt: a.createdAt.toISOString(),
    };
  };

  /**
   * GET /api/me is the most frequent call of a signed-in page; its answer is cached a few seconds
   * (PGlite serves one query at a time) and dropped whenever this instance changes the account.
   */
  const meCache = new Map<string, { value: Awaited<ReturnType<typeof toMe>>; at: number }>();
  const ME_CACHE_MS = 5_000;
  const evict = (accountId: string) => meCache.delete(accountId);

  async function load(accountId: string): Promise<AccountRow> {
    const a = await repo.accountById(db, accountId);
    if (!a) throw new AppError('UNAUTHENTICATED');
    return a;
  }

  return {
    toMe,
    load,
    evict,
    async me(accountId: string) {
      const now = clock.now().getTime();
      const hit = meCache.get(accountId);
      if (hit && now - hit.at < ME_CACHE_MS && hit.at <= now) return hit.value;
      const value = await toMe(await load(accountId));
      meCache.set(accountId, { value, at: now });
      return value;
    },

    /** Ends every session, the current one too: the person signs in again with the new password. */
    async changePassword(accountId: string, input: { oldPassword: string; password: string }, meta: RequestMeta) {
      const account = await load(accountId);
      if (!(await verifyPassword(account.passwordHash, input.oldPassword)))
        throw fieldError('OLD_PASSWORD_WRONG', 'oldPassword');
      const rule = validatePassword(input.password, account.username);
      if (rule) throw fieldError('VALIDATION_FAILED', 'password', PASSWORD_MESSAGES[rule]);
      if (input.oldPassword === input.password) throw fieldError('PASSWORD_SAME_AS_OLD', 'password');
      const passwordHash = await hashPassword(input.password);
      evict(accountId);
      await db.transaction(async (tx) => {
        await repo.updateAccount(tx, accountId, {
          passwordHash,
          passwordChangedAt: clock.now(),
          mustChangePassword: false,
        });
        const ended = await sessions.revokeAll(tx, 'public', accountId);
        await audit.record(tx, {
          actorType: 'account',
          actorId: accountId,
          action: 'account.password.change',
          targetType: 'account',
          targetId: accountId,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: { sessionsEnded: ended },
        });
      });
      evict(accountId);
    },

    async changePhone(accountId: string, input: { phone: string; smsCode: string }, meta: RequestMeta) {
      const account = await load(accountId);
      await sms.verify({ phone: input.phone, purpose: 'change-phone', code: input.smsCode });
      const phoneHash = pii.lookupHash(input.phone);
      const holder = await repo.activeAccountByPhoneHash(db, phoneHash);
      if (holder && holder.id !== accountId) throw fieldError('PHONE_TAKEN', 'phone');
      evict(accountId);
      try {
        await db.transaction(async (tx) => {
          await repo.updateAccount(tx, accountId, { phoneHash, phoneEnc: pii.encrypt(input.phone) });
          await audit.record(tx, {
            actorType: 'account',
            actorId: accountId,
            action: 'account.phone.change',
            targetType: 'account',
            targetId: accountId,
            ip: meta.ip,
            userAgent: meta.userAgent,
            summary: {
              from: account.phoneEnc ? maskPhone(pii.decrypt(account.phoneEnc)) : null,
              to: maskPhone(input.phone),
            },
          });
        });
      } catch (err) {
        if (uniqueViolation(err) === 'accounts_phone_active_uq') throw fieldError('PHONE_TAKEN', 'phone');
        throw err;
      }
      evict(accountId);
      return this.me(accountId);
    },
  };
}
export type ProfileService = ReturnType<typeof createProfileService>;
