import { maskIdNumber, maskName, maskPhone, maskUsername, PASSWORD_MESSAGES, validatePassword } from '@cpe/shared';
import { afterCommit, type Db, type Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { hashPassword, verifyPassword } from '../../lib/password.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { CaptchaService } from '../captcha/captcha.service.js';
import type { RateLimitService } from '../ratelimit/ratelimit.service.js';
import type { SmsService } from '../sms/sms.service.js';
import type { AuthService } from './auth.service.js';
import type { FlowTokens } from './flow-token.js';
import type { AccountRow, FlowRow, IdentityRepo } from './identity.repo.js';
import { CLEARED } from './lockout.js';
import type { SessionService } from './session.service.js';

const RESET_TTL_MS = 15 * 60_000;
const INVALID = 'RESET_STEP_INVALID' as const;

/**
 * 忘记密码: 确认账号 → 验证方式 → 安全验证 → 重置密码 → 完成. Each step spends its token and hands out
 * the next one; a flow lives 15 minutes.
 */
export function createResetService(deps: {
  db: Db;
  repo: IdentityRepo;
  clock: Clock;
  pii: Pii;
  captcha: CaptchaService;
  sms: SmsService;
  auth: AuthService;
  sessions: SessionService;
  flows: FlowTokens;
  rateLimits: RateLimitService;
  audit: AuditRepo;
  /** Drops the portal's cached view of the account (mustChangePassword is cleared here). */
  onAccountChanged: (accountId: string) => void;
}) {
  const { db, repo, clock, pii, captcha, sms, auth, sessions, flows, rateLimits, audit } = deps;

  const view = (token: string, step: string, flow: FlowRow, account: AccountRow) => ({
    token,
    step: step as 'method' | 'verify' | 'password' | 'done',
    accountMasked: maskUsername(account.username),
    phoneMasked: account.phoneEnc ? maskPhone(pii.decrypt(account.phoneEnc)) : null,
    nameMasked: maskName(account.realName),
    idNumberMasked: maskIdNumber(pii.decrypt(account.idNumberEnc)),
    expiresAt: flow.expiresAt.toISOString(),
  });

  async function accountOf(flow: FlowRow, ex: Executor = db): Promise<AccountRow> {
    const account = flow.accountId ? await repo.accountById(ex, flow.accountId) : undefined;
    if (!account) throw new AppError(INVALID);
    return account;
  }

  return {
    async start(input: { identifier: string; captchaId: string; captchaCode: string }, meta: RequestMeta) {
      await rateLimits.consume({ key: `reset:ip:${meta.ip}`, max: 30, windowMs: 3_600_000 });
      await captcha.verifyImage('public', input.captchaId, input.captchaCode);
      const account = await auth.findAccount(input.identifier);
      if (!account) throw fieldError('RESET_ACCOUNT_NOT_FOUND', 'identifier');
      const { token, hash } = flows.newToken('reset');
      const flow = await repo.insertFlow(db, {
        kind: 'reset',
        tokenHash: hash,
        step: 'method',
        accountId: account.id,
        expiresAt: new Date(clock.now().getTime() + RESET_TTL_MS),
      });
      return view(token, 'method', flow, account);
    },

    async chooseMethod(token: string, _method: 'phone') {
      return db.transaction(async (tx) => {
        const flow = await flows.take(tx, 'reset', token, ['method'], INVALID);
        const account = await accountOf(flow, tx);
        if (!account.phoneEnc) throw new AppError('RESET_NO_PHONE');
        const next = await flows.advance(tx, flow, 'verify');
        return view(next, 'verify', flow, account);
      });
    },

    /** Sends the code to the account's own phone; the token stays (a resend after 60 s uses it again). */
    async sendCode(token: string, input: { captchaId: string; captchaCode: string }, meta: RequestMeta) {
      const flow = await flows.take(db, 'reset', token, ['verify'], INVALID);
      const account = await accountOf(flow);
      await captcha.verifyImage('public', input.captchaId, input.captchaCode);
      if (!account.phoneEnc) throw new AppError('RESET_NO_PHONE');
      return sms.send({ phone: pii.decrypt(account.phoneEnc), purpose: 'reset', ip: meta.ip });
    },

    async verifyCode(token: string, smsCode: string) {
      const flow = await flows.take(db, 'reset', token, ['verify'], INVALID);
      const account = await accountOf(flow);
      await sms.verify({ phone: pii.decrypt(account.phoneEnc as string), purpose: 'reset', code: smsCode });
      return db.transaction(async (tx) => {
        const current = await flows.take(tx, 'reset', token, ['verify'], INVALID);
        const next = await flows.advance(tx, current, 'password');
        return view(next, 'password', current, account);
      });
    },

    async setPassword(token: string, password: string, meta: RequestMeta) {
      const pending = await flows.take(db, 'reset', token, ['password'], INVALID);
      const account = await accountOf(pending);
      const rule = validatePassword(password, account.username);
      if (rule) throw fieldError('VALIDATION_FAILED', 'password', PASSWORD_MESSAGES[rule]);
      if (await verifyPassword(account.passwordHash, password)) throw fieldError('PASSWORD_SAME_AS_OLD', 'password');
      const passwordHash = await hashPassword(password);
      return db.transaction(async (tx) => {
        const flow = await flows.take(tx, 'reset', token, ['password'], INVALID);
        const now = clock.now();
        await repo.updateAccount(tx, account.id, {
          passwordHash,
          passwordChangedAt: now,
          mustChangePassword: false,
          ...CLEARED,
        });
        const ended = await sessions.revokeAll(tx, 'public', account.id);
        afterCommit(() => deps.onAccountChanged(account.id));
        await repo.updateFlow(tx, flow.id, { step: 'done', completedAt: now });
        await audit.record(tx, {
          actorType: 'account',
          actorId: account.id,
          action: 'account.password.reset',
          targetType: 'account',
          targetId: account.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: { method: 'phone', sessionsEnded: ended },
        });
        return { ok: true as const };
      });
    },
  };
}
export type ResetService = ReturnType<typeof createResetService>;
