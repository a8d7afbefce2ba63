import {
  inferIdType,
  normalizeIdDocument,
  normalizePhone,
  normalizeUscc,
  PHONE_RE,
  validateIdDocument,
} from '@cpe/shared';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { dummyHash, verifyPassword } from '../../lib/password.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { CaptchaService } from '../captcha/captcha.service.js';
import type { RateLimitService } from '../ratelimit/ratelimit.service.js';
import type { AccountRow, IdentityRepo, LoginFailureState, Realm, StaffRow } from './identity.repo.js';
import { afterFailure, CLEARED, FAILURE_WINDOW_MS, lockedMessage, lockMinutesLeft } from './lockout.js';
import type { SessionService } from './session.service.js';

export function createAuthService(deps: {
  db: Db;
  repo: IdentityRepo;
  clock: Clock;
  pii: Pii;
  captcha: CaptchaService;
  sessions: SessionService;
  rateLimits: RateLimitService;
  audit: AuditRepo;
  failuresPerIp: number;
  /** The administrator account of the unit with this 统一社会信用代码 (法人用户 login). */
  unitAdminByUscc: (uscc: string) => Promise<AccountRow | undefined>;
}) {
  const { db, repo, clock, pii, captcha, sessions, rateLimits, audit } = deps;

  /**
   * 用户名/手机号码/身份证号 in one field: a document number and a phone cannot look like a username (letter first).
   * Every 证件类型 recognisable by its shape signs in (身份证, 居住证, 永居证); a passport holder uses the username
   * or phone, since a passport number can look like a username and is unique only with its nationality.
   */
  async function findAccount(identifier: string): Promise<AccountRow | undefined> {
    const id = normalizeIdDocument(identifier);
    const idType = /^\d{17}[\dX]$/.test(id) ? inferIdType(id) : null;
    if (idType) {
      return validateIdDocument(idType, id) === null
        ? repo.accountByIdDocument(db, idType, pii.lookupHash(id))
        : undefined;
    }
    const phone = normalizePhone(identifier);
    if (PHONE_RE.test(phone)) return repo.activeAccountByPhoneHash(db, pii.lookupHash(phone));
    return repo.accountByUsername(db, identifier.trim());
  }

  /**
   * The common password check of both realms: slider token, per-IP failure limit, lock, argon2, lock bookkeeping.
   * Unknown user and wrong password give the same answer (用户名或密码错误) after the same work.
   */
  async function checkPassword<T extends LoginFailureState & { id: string; passwordHash: string; status: string }>(
    realm: Realm,
    principal: T | undefined,
    password: string,
    sliderToken: string,
    meta: RequestMeta,
    saveState: (id: string, state: LoginFailureState) => Promise<void>,
  ): Promise<T> {
    await captcha.consumeSliderToken(realm, sliderToken);
    const ipLimit = { key: `login-fail:${realm}:${meta.ip}`, max: deps.failuresPerIp, windowMs: FAILURE_WINDOW_MS };
    await rateLimits.check(ipLimit);
    const now = clock.now();
    if (!principal) {
      await verifyPassword(await dummyHash(), password);
      await rateLimits.count(ipLimit);
      throw new AppError('LOGIN_FAILED');
    }
    const minutes = lockMinutesLeft(principal, now);
    if (minutes > 0) throw new AppError('ACCOUNT_LOCKED', { message: lockedMessage(minutes) });
    if (!(await verifyPassword(principal.passwordHash, password))) {
      await rateLimits.count(ipLimit);
      const next = afterFailure(principal, now);
      const { locked, ...state } = next;
      await saveState(principal.id, state);
      await audit.record(db, {
        actorType: 'anonymous',
        action: locked ? `${realm}.login.locked` : `${realm}.login.failed`,
        targetType: realm === 'public' ? 'account' : 'staff_account',
        targetId: principal.id,
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
      if (locked) throw new AppError('ACCOUNT_LOCKED', { message: lockedMessage(lockMinutesLeft(state, now)) });
      throw new AppError('LOGIN_FAILED');
    }
    if (principal.status !== 'active') throw new AppError('ACCOUNT_DISABLED');
    if (principal.failedLoginCount > 0 || principal.lockedUntil) await saveState(principal.id, CLEARED);
    return principal;
  }

  /** Every way of signing in ends here, so each gives the same kind of session (timeouts, ended on password change). */
  async function openSession(
    realm: Realm,
    principalId: string,
    meta: RequestMeta,
    method = 'password',
    detail: Record<string, string> = {},
  ) {
    return db.transaction(async (tx) => {
      const session = await sessions.create(tx, { realm, principalId, ip: meta.ip, userAgent: meta.userAgent });
      await audit.record(tx, {
        actorType: realm === 'public' ? 'account' : 'staff',
        actorId: principalId,
        action: `${realm}.login`,
        targetType: realm === 'public' ? 'account' : 'staff_account',
        targetId: principalId,
        ip: meta.ip,
        userAgent: meta.userAgent,
        ...(method === 'password' ? {} : { summary: { method, ...detail } }),
      });
      return session;
    });
  }

  return {
    findAccount,

    /**
     * A person whose identity another method proved (扫码登录, a linked provider, a CA certificate) is signed in
     * like a password login: same session kind and audit, refused when the account is disabled.
     */
    async loginProven(
      accountId: string,
      method: 'qr' | 'oidc' | 'wechat' | 'ca',
      meta: RequestMeta,
      /** Recorded with the login (which provider). */
      detail: Record<string, string> = {},
    ) {
      const account = await repo.accountById(db, accountId);
      if (!account) throw new AppError('LOGIN_FAILED');
      if (account.status !== 'active') throw new AppError('ACCOUNT_DISABLED');
      const session = await openSession('public', account.id, meta, method, detail);
      return { session, account };
    },

    /**
     * A person proves an account is theirs with its password (linking a 第三方登录): the login's slider, per-IP limit,
     * lock and failure audit, without opening a session.
     */
    async proveAccount(account: AccountRow | undefined, password: string, sliderToken: string, meta: RequestMeta) {
      return checkPassword('public', account, password, sliderToken, meta, (id, state) =>
        repo.setAccountLoginState(db, id, state),
      );
    },

    async loginPerson(input: { identifier: string; password: string; sliderToken: string }, meta: RequestMeta) {
      const account = await checkPassword(
        'public',
        await findAccount(input.identifier),
        input.password,
        input.sliderToken,
        meta,
        (id, state) => repo.setAccountLoginState(db, id, state),
      );
      const session = await openSession('public', account.id, meta);
      return { session, account };
    },

    /** 法人用户: the unit's 统一社会信用代码 and the password of its administrator's own account. */
    async loginLegal(input: { uscc: string; password: string; sliderToken: string }, meta: RequestMeta) {
      const account = await checkPassword(
        'public',
        await deps.unitAdminByUscc(normalizeUscc(input.uscc)),
        input.password,
        input.sliderToken,
        meta,
        (id, state) => repo.setAccountLoginState(db, id, state),
      );
      const session = await openSession('public', account.id, meta);
      return { session, account };
    },

    async loginStaff(input: { username: string; password: string; sliderToken: string }, meta: RequestMeta) {
      const staff: StaffRow = await checkPassword(
        'staff',
        await repo.staffByUsername(db, input.username),
        input.password,
        input.sliderToken,
        meta,
        (id, state) => repo.setStaffLoginState(db, id, state),
      );
      const session = await openSession('staff', staff.id, meta);
      return { session, staff };
    },

    async logout(realm: Realm, token: string, principalId: string, meta: RequestMeta) {
      await sessions.revoke(token);
      await audit.record(db, {
        actorType: realm === 'public' ? 'account' : 'staff',
        actorId: principalId,
        action: `${realm}.logout`,
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
