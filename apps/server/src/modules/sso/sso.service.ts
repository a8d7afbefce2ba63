import crypto from 'node:crypto';
import {
  type IdType,
  idDocumentKey,
  inferIdType,
  maskIdNumber,
  maskName,
  maskPhone,
  normalizeIdDocument,
  normalizeUscc,
  type TLoginProviderIcon,
  type TLoginProviderType,
  type TRedirectProviderType,
  validateIdDocument,
  validateUscc,
} from '@cpe/shared';
import {
  type ProvenIdentity,
  type ProviderSettings,
  readClaim,
  type SsoProtocol,
  SsoRefusedError,
  SsoUnavailableError,
} from '../../adapters/sso/sso.js';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import type { Pii } from '../../lib/pii.js';
import { randomToken, safeEqual, sha256 } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { CaptchaService } from '../captcha/captcha.service.js';
import type { AuthService } from '../identity/auth.service.js';
import type { AccountRow, FlowRow, IdentityRepo } from '../identity/identity.repo.js';
import type { RateLimitService } from '../ratelimit/ratelimit.service.js';
import type { SmsService } from '../sms/sms.service.js';
import type { LoginProviderRow, SsoRepo } from './sso.repo.js';

/** The browser's trip to the provider and back must finish within this. */
const START_TTL_MS = 10 * 60_000;
/** Linking or registering after the callback. */
const PENDING_TTL_MS = 30 * 60_000;
/** Wrong passwords on one pending link before it is dropped (the account's own lock counts too). */
const MAX_LINK_ATTEMPTS = 5;

/**
 * The HttpOnly cookie binding a round trip to the browser that started it: its hash is in the flow, so a callback
 * opened in another browser (login CSRF: someone's code and state planted on a victim) is refused. After the
 * callback the same cookie carries the pending link or registration, which no URL ever shows.
 */
export const SSO_COOKIE = 'cpe_sso';

interface StartData {
  providerId: string;
  nonce: string;
  codeVerifier: string;
  browserHash: string;
  redirect: string;
  /** The redirect_uri sent at the start (absent in flows started before it was kept: the canonical one). */
  redirectUri?: string;
}

type PendingMode = 'link' | 'register' | 'choose';

interface VerifiedIdentity {
  realName: string;
  idType: IdType;
  idNumberEnc: string;
  idNumberHash: string;
}

interface PendingData {
  providerId: string;
  subjectHash: string;
  label: string | null;
  /** The provider's verified name and 证件号码 (`link`, `register`). */
  identity: VerifiedIdentity | null;
  redirect: string;
  attempts: number;
}

/** What registration carries from a pending 第三方登录 to the account it creates (registration.service). */
export interface SsoRegistration {
  pendingFlowId: string;
  providerId: string;
  subjectHash: string;
  /** The name and number came from the provider: registration may not change them. */
  verified: boolean;
}

/**
 * Only a path of this site: never `//host` or a scheme, so the callback cannot send anyone elsewhere. None given:
 * 首页, like a password login.
 */
export function safeTarget(value: string | undefined): string {
  return value && /^\/(?![/\\])[^\s]*$/.test(value) && value.length <= 512 ? value : '/';
}

export const callbackPath = (providerId: string) => `/api/sso/${providerId}/callback`;

/** The claims ca-login.service reads out of a verified certificate, under these names. */
export const CA_CLAIMS = { idNumber: 'idNumber', name: 'name', uscc: 'uscc' } as const;

/**
 * 第三方登录's flows (issue 18 §2). Start: a state, nonce and PKCE verifier kept in a `flows` row (kind `sso`) found
 * by the state's hash, the browser bound by SSO_COOKIE. Callback: the row is spent first (one transaction), so a
 * replayed or concurrent callback finds it used; then the protocol adapter checks the answer. A linked subject signs
 * straight in (`auth.loginProven`: the same session as a password login); a 统一社会信用代码 claim signs in as that
 * unit's administrator; otherwise a pending row (kind `sso-pending`) waits for the person to confirm the link
 * with the account's password or an SMS code, or to register.
 */
export function createSsoService(deps: {
  db: Db;
  repo: SsoRepo;
  identity: Pick<
    IdentityRepo,
    | 'insertFlow'
    | 'flowByTokenForUpdate'
    | 'updateFlow'
    | 'accountById'
    | 'accountByIdDocument'
    | 'activeAccountByPhoneHash'
  >;
  clock: Clock;
  pii: Pii;
  audit: AuditRepo;
  auth: Pick<AuthService, 'loginProven' | 'findAccount' | 'proveAccount'>;
  sms: Pick<SmsService, 'send' | 'verify'>;
  captcha: Pick<CaptchaService, 'verifyImage'>;
  rateLimits: RateLimitService;
  protocols: Record<TRedirectProviderType, SsoProtocol>;
  /** The canonical public URL; a login's callback is on the public URL the person started it at (`start`). */
  publicUrl: string;
  /** Every configured public URL: a signing page served by this portal is offered at the one the person is on. */
  publicUrls: readonly string[];
  unitAdminByUscc: (uscc: string) => Promise<AccountRow | undefined>;
}) {
  const { db, repo, identity, clock, pii, audit, auth, sms } = deps;

  const settingsOf = (p: LoginProviderRow): ProviderSettings => ({
    id: p.id,
    version: p.updatedAt.getTime(),
    issuer: p.issuer,
    openBaseUrl: p.openBaseUrl,
    apiBaseUrl: p.apiBaseUrl,
    clientId: p.clientId,
    clientSecret: pii.decrypt(p.clientSecretEnc),
    scopes: p.scopes,
    claimNames: [p.idNumberClaim, p.nameClaim, p.usccClaim].filter((c): c is string => !!c),
  });

  const publicView = (p: LoginProviderRow, origin = deps.publicUrl) => ({
    id: p.id,
    name: p.name,
    icon: p.icon as TLoginProviderIcon,
    type: p.type as TLoginProviderType,
    signerUrl: p.type === 'ca' ? onOrigin(p.signerUrl, origin) : null,
  });

  /**
   * A signing page of this portal (the demo's /ca-signer, or one an operator put beside it) is served at every public
   * URL: offered at the one the login page is on, it opens same-origin — the portal's COOP (same-origin-allow-popups)
   * cuts a cross-origin popup off from its opener, and the postMessage exchange with it. Other addresses stay as set.
   */
  function onOrigin(url: string | null, origin: string): string | null {
    if (!url) return url;
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return url;
    }
    if (!deps.publicUrls.includes(u.origin)) return url;
    return `${origin}${u.pathname}${u.search}${u.hash}`;
  }

  /** An enabled provider; `type` narrows it (a CA's id in /api/sso/<id>/start is as unknown as a made-up one). */
  async function enabledProvider(id: string, type?: 'redirect' | 'ca'): Promise<LoginProviderRow> {
    const p = await repo.provider(db, id);
    if (!p?.enabled || (type && (p.type === 'ca') !== (type === 'ca'))) throw new AppError('SSO_PROVIDER_NOT_FOUND');
    return p;
  }

  /**
   * The same person at the same provider gives the same key; another provider, or the same `sub` at another
   * issuer, another. A WeChat unionid is the same across the 开放平台 account's apps.
   */
  const subjectKey = (p: LoginProviderRow, subject: string) =>
    pii.lookupHash(
      p.type === 'wechat'
        ? `wechat|${subject}`
        : p.type === 'ca'
          ? `ca|${p.id}|${subject}`
          : `oidc|${p.issuer}|${subject}`,
    );

  /** Where the claims are: configured for OIDC; fixed for a CA (ca-login.service names them from the certificate). */
  const claimNamesOf = (p: LoginProviderRow) =>
    p.type === 'ca' ? CA_CLAIMS : { idNumber: p.idNumberClaim, name: p.nameClaim, uscc: p.usccClaim };

  /** The provider's verified name and 证件号码, when it is configured to give them and did. */
  function verifiedIdentity(p: LoginProviderRow, claims: Record<string, unknown>): VerifiedIdentity | null {
    const names = claimNamesOf(p);
    if (!names.idNumber || !names.name) return null;
    const rawNumber = readClaim(claims, names.idNumber);
    const rawName = readClaim(claims, names.name);
    if (typeof rawNumber !== 'string' || typeof rawName !== 'string' || !rawName.trim()) return null;
    const idNumber = normalizeIdDocument(rawNumber);
    const idType = inferIdType(idNumber);
    if (!idType || validateIdDocument(idType, idNumber) !== null) return null;
    return {
      realName: rawName.trim().slice(0, 60),
      idType,
      idNumberEnc: pii.encrypt(idNumber),
      idNumberHash: pii.lookupHash(idDocumentKey(idType, idNumber)),
    };
  }

  async function refused(providerId: string, reason: string, meta: RequestMeta) {
    await audit.record(db, {
      actorType: 'anonymous',
      action: 'sso.login.refused',
      targetType: 'login_provider',
      targetId: providerId,
      ip: meta.ip,
      userAgent: meta.userAgent,
      summary: { reason: reason.slice(0, 200) },
    });
  }

  async function login(p: LoginProviderRow, accountId: string, meta: RequestMeta, as: 'person' | 'legal') {
    const method = p.type === 'wechat' ? 'wechat' : p.type === 'ca' ? 'ca' : 'oidc';
    const { session, account } = await auth.loginProven(accountId, method, meta, {
      provider: p.id,
      ...(as === 'legal' ? { as: 'legal' } : {}),
    });
    return { session, account };
  }

  /** The pending link or registration of this browser, unexpired and unfinished. */
  async function takePending(ex: Executor, token: string | undefined): Promise<FlowRow & { data: PendingData }> {
    const flow = token ? await identity.flowByTokenForUpdate(ex, 'sso-pending', sha256(token)) : undefined;
    if (!flow || flow.completedAt || flow.expiresAt.getTime() <= clock.now().getTime())
      throw new AppError('SSO_PENDING_EXPIRED');
    return flow as FlowRow & { data: PendingData };
  }
  const modeOf = (flow: FlowRow) => flow.step as PendingMode;

  /** The phone a code goes to: the account's own (`link`), or the one the person typed (`choose`). */
  async function linkPhone(flow: FlowRow, typed: string | undefined): Promise<string> {
    if (modeOf(flow) === 'link') {
      const account = await identity.accountById(db, flow.accountId as string);
      if (!account?.phoneEnc) throw new AppError('RESET_NO_PHONE', { message: '该账号未绑定手机号，请使用密码验证' });
      return pii.decrypt(account.phoneEnc);
    }
    if (modeOf(flow) !== 'choose') throw new AppError('SSO_PENDING_EXPIRED');
    if (!typed) throw fieldError('VALIDATION_FAILED', 'phone', '请输入已绑定账号的手机号码');
    return typed;
  }

  /** Links the pending subject to the account and signs the person in. */
  async function finishLink(token: string, account: AccountRow, how: 'password' | 'sms', meta: RequestMeta) {
    const { provider, redirect } = await db.transaction(async (tx) => {
      const flow = await takePending(tx, token);
      const p = await repo.provider(tx, flow.data.providerId);
      if (!p?.enabled) throw new AppError('SSO_PROVIDER_NOT_FOUND');
      const now = clock.now();
      if (await repo.linkOfAccount(tx, account.id, p.id)) throw new AppError('SSO_ALREADY_LINKED');
      const link = await repo.insertLink(tx, {
        accountId: account.id,
        providerId: p.id,
        subjectHash: flow.data.subjectHash,
        createdAt: now,
        lastLoginAt: now,
      });
      if (!link) throw new AppError('SSO_SUBJECT_TAKEN');
      await identity.updateFlow(tx, flow.id, { completedAt: now, data: {} });
      await audit.record(tx, {
        actorType: 'account',
        actorId: account.id,
        action: 'sso.link',
        targetType: 'login_provider',
        targetId: p.id,
        ip: meta.ip,
        userAgent: meta.userAgent,
        summary: { provider: p.name, confirmedBy: how },
      });
      return { provider: p, redirect: flow.data.redirect };
    });
    return { ...(await login(provider, account.id, meta, 'person')), redirect };
  }

  async function countFailure(token: string) {
    await db.transaction(async (tx) => {
      const flow = await takePending(tx, token);
      const attempts = flow.data.attempts + 1;
      await identity.updateFlow(tx, flow.id, {
        data: { ...flow.data, attempts },
        ...(attempts >= MAX_LINK_ATTEMPTS ? { completedAt: clock.now() } : {}),
      });
    });
  }

  /**
   * A provider proved who the person is (an OIDC or WeChat callback, or a verified CA signature): sign in a linked
   * subject or a unit's administrator, else open the pending link or registration.
   */
  async function afterProven(p: LoginProviderRow, proven: ProvenIdentity, redirect: string, meta: RequestMeta) {
    const subjectHash = subjectKey(p, proven.subject);

    // 法人用户: a verified 统一社会信用代码 signs in as that unit's administrator.
    const usccClaim = claimNamesOf(p).uscc;
    const rawUscc = usccClaim ? readClaim(proven.claims, usccClaim) : undefined;
    if (typeof rawUscc === 'string' && rawUscc.trim()) {
      const uscc = normalizeUscc(rawUscc);
      const admin = validateUscc(uscc) === null ? await deps.unitAdminByUscc(uscc) : undefined;
      if (!admin) {
        await refused(p.id, 'no unit with this 统一社会信用代码', meta);
        throw new AppError('SSO_UNIT_NOT_FOUND');
      }
      return { kind: 'login' as const, ...(await login(p, admin.id, meta, 'legal')), redirect };
    }

    const verified = verifiedIdentity(p, proven.claims);
    const link = await repo.linkBySubject(db, p.id, subjectHash);
    if (link) {
      if (verified) {
        const account = await identity.accountById(db, link.accountId);
        if (account && (account.idType !== verified.idType || account.idNumberHash !== verified.idNumberHash)) {
          await refused(p.id, 'verified 证件号码 differs from the linked account', meta);
          throw new AppError('SSO_IDENTITY_MISMATCH');
        }
      }
      const signedIn = await login(p, link.accountId, meta, 'person');
      await repo.touchLink(db, link.id, clock.now());
      return { kind: 'login' as const, ...signedIn, redirect };
    }

    const holder = verified
      ? await identity.accountByIdDocument(db, verified.idType, verified.idNumberHash)
      : undefined;
    const mode: PendingMode = holder ? 'link' : verified ? 'register' : 'choose';
    const token = randomToken(24);
    const pending: PendingData = {
      providerId: p.id,
      subjectHash,
      label: proven.label,
      identity: verified,
      redirect,
      attempts: 0,
    };
    await identity.insertFlow(db, {
      kind: 'sso-pending',
      tokenHash: sha256(token),
      step: mode,
      accountId: holder?.id ?? null,
      data: pending as unknown as Record<string, unknown>,
      expiresAt: new Date(clock.now().getTime() + PENDING_TTL_MS),
    });
    return { kind: 'pending' as const, mode, browserToken: token, maxAgeSeconds: PENDING_TTL_MS / 1000 };
  }

  return {
    afterProven,
    refused,
    enabledProvider,
    /** The login page's icons (on the public URL `origin`): enabled providers only, in their order. */
    async enabledProviders(origin: string) {
      return (await repo.providers(db)).filter((p) => p.enabled).map((p) => publicView(p, origin));
    },

    /**
     * Where to send the browser, and the value of the cookie that binds the round trip to it. The provider sends the
     * browser back to `origin`, the public URL the person started on (the route's `publicOrigin`): the cookie binding
     * the trip, and the session the login opens, belong to that host. So each public URL's callback is registered
     * with the provider (OpenID Connect: every redirect_uri; 微信: the hosts under its 授权回调域).
     */
    async start(providerId: string, redirect: string | undefined, meta: RequestMeta, origin: string) {
      await deps.rateLimits.consume({ key: `sso:start:${meta.ip}`, max: 60, windowMs: 10 * 60_000 });
      const p = await enabledProvider(providerId, 'redirect');
      // Hex: WeChat passes back only [A-Za-z0-9] in state.
      const state = crypto.randomBytes(16).toString('hex');
      const nonce = randomToken(24);
      const codeVerifier = randomToken(48);
      const browser = randomToken(24);
      const redirectUri = `${origin}${callbackPath(p.id)}`;
      let url: string;
      try {
        url = await deps.protocols[p.type as TRedirectProviderType].authorizationUrl(settingsOf(p), {
          state,
          nonce,
          codeVerifier,
          redirectUri,
        });
      } catch (err) {
        if (err instanceof SsoUnavailableError) {
          await refused(p.id, err.message, meta);
          throw new AppError('SSO_PROVIDER_UNAVAILABLE');
        }
        throw err;
      }
      const data: StartData = {
        providerId: p.id,
        nonce,
        codeVerifier,
        browserHash: sha256(browser),
        redirect: safeTarget(redirect),
        redirectUri,
      };
      await identity.insertFlow(db, {
        kind: 'sso',
        tokenHash: sha256(state),
        step: 'authorize',
        data: data as unknown as Record<string, unknown>,
        expiresAt: new Date(clock.now().getTime() + START_TTL_MS),
      });
      return { url, browserToken: browser, maxAgeSeconds: START_TTL_MS / 1000 };
    },

    /**
     * Back from the provider (`query` is the raw query string, never logged). Signs in, or opens a pending link or
     * registration: the answer says which, and for a pending one the cookie value that now carries it.
     */
    async callback(providerId: string, query: string, browserToken: string | undefined, meta: RequestMeta) {
      // Each refused callback is audited: a flood of made-up ones must not flood the log.
      await deps.rateLimits.consume({ key: `sso:callback:${meta.ip}`, max: 60, windowMs: 10 * 60_000 });
      const params = new URLSearchParams(query);
      const state = params.get('state') ?? '';
      const now = clock.now();
      // Spent before anything else: a second callback with the same state (a replayed code) finds it used.
      const flow = /^[0-9a-f]{32}$/.test(state)
        ? await db.transaction(async (tx) => {
            const f = await identity.flowByTokenForUpdate(tx, 'sso', sha256(state));
            if (!f || f.completedAt || f.expiresAt.getTime() <= now.getTime()) return undefined;
            await identity.updateFlow(tx, f.id, { step: 'done', completedAt: now, data: {} });
            return f;
          })
        : undefined;
      const data = flow?.data as StartData | undefined;
      if (
        !data ||
        data.providerId !== providerId ||
        !browserToken ||
        !safeEqual(sha256(browserToken), data.browserHash)
      ) {
        await refused(providerId, flow ? 'callback in another browser' : 'unknown, spent or expired state', meta);
        throw new AppError('SSO_STATE_INVALID');
      }
      const p = await enabledProvider(providerId, 'redirect');
      // The code was issued for the redirect_uri of the start; the token request must name the same one.
      const redirectUri = data.redirectUri ?? `${deps.publicUrl}${callbackPath(p.id)}`;
      let proven: ProvenIdentity;
      try {
        proven = await deps.protocols[p.type as TRedirectProviderType].finish(
          settingsOf(p),
          new URL(`${redirectUri}?${params}`),
          { state, nonce: data.nonce, codeVerifier: data.codeVerifier, redirectUri },
        );
      } catch (err) {
        if (err instanceof SsoUnavailableError || err instanceof SsoRefusedError) {
          await refused(p.id, err.message, meta);
          if (err instanceof SsoUnavailableError) throw new AppError('SSO_PROVIDER_UNAVAILABLE');
          throw new AppError(err.denied ? 'SSO_DENIED' : 'SSO_FAILED');
        }
        throw err;
      }
      return afterProven(p, proven, data.redirect, meta);
    },

    /** The link page and the registration form read what waits (masked, except the person's own verified data). */
    async pending(token: string | undefined) {
      const flow = await takePending(db, token);
      const p = await enabledProvider(flow.data.providerId);
      const mode = modeOf(flow);
      const account = mode === 'link' ? await identity.accountById(db, flow.accountId as string) : undefined;
      const id = flow.data.identity;
      return {
        provider: publicView(p),
        mode,
        label: flow.data.label,
        account: account
          ? {
              realNameMasked: maskName(account.realName),
              idNumberMasked: maskIdNumber(pii.decrypt(account.idNumberEnc)),
              phoneMasked: account.phoneEnc ? maskPhone(pii.decrypt(account.phoneEnc)) : null,
            }
          : null,
        identity:
          mode === 'register' && id
            ? { realName: id.realName, idType: id.idType, idNumber: pii.decrypt(id.idNumberEnc) }
            : null,
        expiresAt: flow.expiresAt.toISOString(),
      };
    },

    /** 用密码验证: the account the verified number found (`link`), or the one named (`choose`). */
    async linkWithPassword(
      token: string | undefined,
      input: { identifier?: string; password: string; sliderToken: string },
      meta: RequestMeta,
    ) {
      const flow = await takePending(db, token);
      const mode = modeOf(flow);
      if (mode === 'register') throw new AppError('SSO_PENDING_EXPIRED');
      if (mode === 'choose' && !input.identifier)
        throw fieldError('VALIDATION_FAILED', 'identifier', '请输入用户名/手机号码/证件号码');
      const account =
        mode === 'link'
          ? await identity.accountById(db, flow.accountId as string)
          : await auth.findAccount(input.identifier as string);
      try {
        await auth.proveAccount(account, input.password, input.sliderToken, meta);
      } catch (err) {
        if (err instanceof AppError && (err.code === 'LOGIN_FAILED' || err.code === 'ACCOUNT_LOCKED')) {
          await countFailure(token as string);
          if (flow.data.attempts + 1 >= MAX_LINK_ATTEMPTS) throw new AppError('SSO_LINK_TOO_MANY');
        }
        throw err;
      }
      return finishLink(token as string, account as AccountRow, 'password', meta);
    },

    /** 用短信验证: a code to the account's phone (`link`) or to the phone typed (`choose`). */
    async sendLinkSms(
      token: string | undefined,
      input: { phone?: string; captchaId: string; captchaCode: string },
      meta: RequestMeta,
    ) {
      const flow = await takePending(db, token);
      const phone = await linkPhone(flow, input.phone);
      await deps.captcha.verifyImage('public', input.captchaId, input.captchaCode);
      return sms.send({ phone, purpose: 'sso-link', ip: meta.ip });
    },

    async linkWithSms(token: string | undefined, input: { phone?: string; smsCode: string }, meta: RequestMeta) {
      const flow = await takePending(db, token);
      const phone = await linkPhone(flow, input.phone);
      await sms.verify({ phone, purpose: 'sso-link', code: input.smsCode });
      const account =
        modeOf(flow) === 'link'
          ? await identity.accountById(db, flow.accountId as string)
          : await identity.activeAccountByPhoneHash(db, pii.lookupHash(phone));
      if (!account) throw fieldError('VALIDATION_FAILED', 'phone', '该手机号码未绑定账号，请先注册');
      if (account.status !== 'active') throw new AppError('ACCOUNT_DISABLED');
      return finishLink(token as string, account, 'sms', meta);
    },

    /** 取消: the pending link is dropped. */
    async cancel(token: string | undefined) {
      if (!token) return;
      await db.transaction(async (tx) => {
        const flow = await identity.flowByTokenForUpdate(tx, 'sso-pending', sha256(token));
        if (flow && !flow.completedAt) await identity.updateFlow(tx, flow.id, { completedAt: clock.now(), data: {} });
      });
    },

    /** Registration's first step with a pending 第三方登录: what it links, and the verified identity it must use. */
    async forRegistration(token: string | undefined) {
      const flow = await takePending(db, token);
      if (modeOf(flow) === 'link') throw new AppError('ID_NUMBER_TAKEN');
      const id = flow.data.identity;
      const sso: SsoRegistration = {
        pendingFlowId: flow.id,
        providerId: flow.data.providerId,
        subjectHash: flow.data.subjectHash,
        verified: !!id,
      };
      return {
        sso,
        identity: id ? { realName: id.realName, idType: id.idType, idNumber: pii.decrypt(id.idNumberEnc) } : null,
      };
    },

    /**
     * In the transaction that creates the account: the link, unless the subject was linked meanwhile (the same
     * pending login used for two registrations): the account stands, the second link does not.
     */
    async linkRegistered(tx: Executor, accountId: string, sso: SsoRegistration, meta: RequestMeta) {
      const now = clock.now();
      const link = await repo.insertLink(tx, {
        accountId,
        providerId: sso.providerId,
        subjectHash: sso.subjectHash,
        createdAt: now,
      });
      await identity.updateFlow(tx, sso.pendingFlowId, { completedAt: now, data: {} });
      if (!link) return;
      await audit.record(tx, {
        actorType: 'account',
        actorId: accountId,
        action: 'sso.link',
        targetType: 'login_provider',
        targetId: sso.providerId,
        ip: meta.ip,
        userAgent: meta.userAgent,
        summary: { confirmedBy: 'registration' },
      });
    },

    /** 个人中心 → 第三方账号. */
    async links(accountId: string) {
      return {
        items: (await repo.linksOfAccount(db, accountId)).map((r) => ({
          providerId: r.link.providerId,
          name: r.name,
          icon: r.icon as TLoginProviderIcon,
          linkedAt: r.link.createdAt.toISOString(),
          lastLoginAt: r.link.lastLoginAt?.toISOString() ?? null,
        })),
      };
    },

    /** 解除绑定: always allowed (every account has a password). */
    async unlink(accountId: string, providerId: string, meta: RequestMeta) {
      await db.transaction(async (tx) => {
        const link = await repo.linkOfAccount(tx, accountId, providerId);
        if (!link) throw new AppError('SSO_NOT_LINKED');
        await repo.deleteLink(tx, link.id);
        await audit.record(tx, {
          actorType: 'account',
          actorId: accountId,
          action: 'sso.unlink',
          targetType: 'login_provider',
          targetId: providerId,
          ip: meta.ip,
          userAgent: meta.userAgent,
        });
      });
      return { ok: true as const };
    },
  };
}
export type SsoService = ReturnType<typeof createSsoService>;
