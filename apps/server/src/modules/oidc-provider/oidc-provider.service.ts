import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import {
  ID_TYPE_LABELS,
  type IdType,
  maskIdNumber,
  maskPhone,
  OIDC_SCOPE_LABELS,
  OIDC_SCOPES,
  type TOidcClient,
  type TOidcClientRequest,
  type TOidcConsentDetails,
  type TOidcScope,
  ZOidcClientRequest,
} from '@cpe/shared';
import Provider, {
  type AdapterPayload,
  type Configuration,
  type Interaction,
  interactionPolicy,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import sharp from 'sharp';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { type Pii, randomToken } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { Jobs } from '../jobs/jobs.service.js';
import { createOidcAdapter } from './oidc-adapter.js';
import { errorPage, loggedOutPage, logoutPage, type PageBranding } from './oidc-pages.js';
import type { OidcClientRow, OidcProviderRepo } from './oidc-provider.repo.js';

/** Where the provider lives on the public listener; the issuer is PUBLIC_URL + this. */
export const OIDC_PREFIX = '/oidc';
/** Our interaction endpoint (outside the prefix: it is ours, CSRF-protected, and documented in OpenAPI). */
export const OIDC_INTERACTIONS_PATH = '/api/oidc/interactions';
/** The portal's consent page (apps/web: features/oidc-provider). */
export const OIDC_CONSENT_PAGE = '/authorize';
export const OIDC_BACKCHANNEL_JOB = 'oidc.backchannel-logout';
export const OIDC_PURGE_JOB = 'oidc.purge';

/** How often an instance looks for a key rotated on another instance (one indexed read). */
const KEY_CHECK_MS = 30_000;
const SIGNING_ALG = 'RS256';

/** What the provider needs of a portal session: whose, since when, and whether it may be used yet. */
export interface PortalSession {
  principalId: string;
  createdAt: Date;
  mustChangePassword: boolean;
}

/** The person as the claims need them (decrypted): only ever given to the systems the scopes allow. */
export interface OidcAccount {
  active: boolean;
  realName: string;
  idType: string;
  idNumber: string;
  phone: string | null;
}

const generateKeyPair = promisify(crypto.generateKeyPair);

/** auth_time of a provider session opened from a portal session: the portal login, in whole seconds. */
const loginTsOf = (portal: PortalSession) => Math.floor(portal.createdAt.getTime() / 1000);
const epoch = () => Math.floor(Date.now() / 1000);

/**
 * The 统一认证中心 as an OpenID Connect provider (oidc-provider, OpenID-certified), mounted on the public listener
 * under /oidc. The portal session is the one sign-in: a person signed in on the portal enters a registered system
 * without typing anything, and signing out of the portal (or changing the password) ends the provider's sessions
 * of that login and tells every system that had it through back-channel logout.
 *
 * - sub: our account id (public subject type, the same for every system; never a username, which can be an ID number).
 * - a provider session is bound to the portal session it was opened from by its login time (auth_time = the
 *   portal login): the login prompt is asked again whenever the portal session is gone, another person's, or a
 *   later login, and our interaction answers it from the portal session without a page (see `enter`).
 * - consent is kept per person and system (已授权应用) beyond the provider's grants, which end with the session.
 */
export function createOidcProviderService(deps: {
  db: Db;
  repo: OidcProviderRepo;
  pii: Pii;
  clock: Clock;
  audit: AuditRepo;
  jobs: Jobs;
  config: {
    publicUrl: string;
    sessionSecret: string;
    trustProxy: boolean;
    sessionAbsoluteMs: number;
    brandName: string;
    authCenterName: string;
    portalSessionCookie: string;
    portalCsrfCookie: string;
  };
  /** The live portal session of a cookie value, or null (ended, expired, unknown). */
  portalSession: (token: string) => Promise<PortalSession | null>;
  /** Ends the portal session of a cookie value (RP-initiated logout of everything). */
  endPortalSession: (token: string, meta: RequestMeta) => Promise<void>;
  account: (accountId: string) => Promise<OidcAccount | undefined>;
  log: (msg: string, err?: unknown) => void;
}) {
  const { db, repo, pii, clock, audit, jobs, config } = deps;
  const issuer = `${config.publicUrl}${OIDC_PREFIX}`;
  const branding: PageBranding = {
    brandName: config.brandName,
    authCenterName: config.authCenterName,
    homeUrl: `${config.publicUrl}/`,
  };
  // Signed cookies of the provider (its session, interaction and resume cookies), keyed apart from everything else.
  const cookieKey = crypto.createHash('sha256').update(`oidc-cookies:${config.sessionSecret}`).digest('base64url');

  // ---- clients (接入系统) ----

  /** What oidc-provider sees of a registered system; disabled ones do not exist for it. */
  async function clientMetadata(clientId: string): Promise<AdapterPayload | undefined> {
    const row = await repo.clientByClientId(db, clientId);
    if (!row?.enabled) return undefined;
    return {
      client_id: row.clientId,
      client_secret: pii.decrypt(row.secretEnc),
      client_name: row.name,
      redirect_uris: row.redirectUris,
      post_logout_redirect_uris: row.postLogoutRedirectUris,
      ...(row.backchannelLogoutUri
        ? { backchannel_logout_uri: row.backchannelLogoutUri, backchannel_logout_session_required: true }
        : {}),
      scope: row.scopes.join(' '),
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // Registered as basic; oidc-provider takes the secret in the Authorization header or the form alike.
      token_endpoint_auth_method: 'client_secret_basic',
    };
  }

  const toClient = (row: OidcClientRow): TOidcClient => ({
    id: row.id,
    clientId: row.clientId,
    name: row.name,
    logo: row.logo,
    redirectUris: row.redirectUris,
    postLogoutRedirectUris: row.postLogoutRedirectUris,
    backchannelLogoutUri: row.backchannelLogoutUri,
    scopes: OIDC_SCOPES.filter((s) => row.scopes.includes(s)),
    trusted: row.trusted,
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  });

  // ---- signing keys ----

  async function newSigningKey() {
    const { privateKey, publicKey } = await generateKeyPair('rsa', { modulusLength: 2048 });
    const pub = publicKey.export({ format: 'jwk' }) as Record<string, string>;
    // RFC 7638 thumbprint: a kid that names the key itself.
    const kid = crypto
      .createHash('sha256')
      .update(JSON.stringify({ e: pub.e, kty: pub.kty, n: pub.n }))
      .digest('base64url');
    return {
      kid,
      alg: SIGNING_ALG,
      publicJwk: { ...pub, kid, alg: SIGNING_ALG, use: 'sig' },
      privateJwkEnc: pii.encrypt(JSON.stringify(privateKey.export({ format: 'jwk' }))),
      createdAt: clock.now(),
    };
  }

  /** The first start makes the first key; several instances starting at once make one between them. */
  async function ensureKey(): Promise<void> {
    if ((await repo.keyIds(db)).length > 0) return;
    const key = await newSigningKey();
    await db.transaction(async (tx) => {
      await repo.lockKeys(tx);
      if ((await repo.keyIds(tx)).length === 0) await repo.insertKey(tx, key);
    });
  }

  // ---- the provider ----

  type Built = { provider: Provider; handler: ReturnType<Provider['callback']>; kids: string; checkedAt: number };
  let current: Built | undefined;
  let building: Promise<Built> | undefined;

  /** The provider for the current keys: rebuilt after a rotation here at once, elsewhere within KEY_CHECK_MS. */
  function built(): Promise<Built> {
    if (current && Date.now() - current.checkedAt < KEY_CHECK_MS) return Promise.resolve(current);
    building ??= (async () => {
      try {
        await ensureKey();
        const kids = (await repo.keyIds(db)).join(',');
        if (current?.kids === kids) {
          current.checkedAt = Date.now();
          return current;
        }
        const p = await build();
        current = { provider: p, handler: p.callback(), kids, checkedAt: Date.now() };
        return current;
      } finally {
        building = undefined;
      }
    })();
    return building;
  }
  const provider = async () => (await built()).provider;
  const rebuildSoon = () => {
    if (current) current.checkedAt = 0;
  };

  async function portalOf(ctx: { cookies: { get(name: string, opts?: { signed: boolean }): string | undefined } }) {
    const token = ctx.cookies.get(config.portalSessionCookie, { signed: false });
    if (!token) return null;
    try {
      return await deps.portalSession(token);
    } catch {
      return null;
    }
  }

  async function clientTrusted(clientId: string | undefined): Promise<boolean> {
    if (!clientId) return false;
    return (await repo.clientByClientId(db, clientId))?.trusted === true;
  }

  async function build(): Promise<Provider> {
    const keys = await repo.keys(db);
    const jwks = {
      keys: keys.map((k) => ({ ...JSON.parse(pii.decrypt(k.privateJwkEnc)), kid: k.kid, alg: k.alg, use: 'sig' })),
    };

    const policy = interactionPolicy.base();
    // The portal session decides who is signed in: the provider's own session counts only while it is the one
    // opened from the portal session this browser holds now.
    policy.get('login')?.checks.add(
      new interactionPolicy.Check('portal_session', 'portal session ended or changed', async (ctx) => {
        const portal = await portalOf(ctx);
        const session = ctx.oidc.session;
        if (!portal || portal.mustChangePassword) return interactionPolicy.Check.REQUEST_PROMPT;
        if (session?.accountId !== portal.principalId || session.loginTs !== loginTsOf(portal))
          return interactionPolicy.Check.REQUEST_PROMPT;
        return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      }),
    );

    const absoluteSeconds = Math.floor(config.sessionAbsoluteMs / 1000);
    const configuration: Configuration = {
      adapter: createOidcAdapter({ db, repo, clientMetadata }),
      jwks: jwks as Configuration['jwks'],
      clients: [],
      scopes: [...OIDC_SCOPES],
      claims: {
        openid: ['sub'],
        profile: ['name'],
        phone: ['phone_number', 'phone_number_verified'],
        idcard: ['id_type', 'id_number'],
      },
      subjectTypes: ['public'],
      responseTypes: ['code'],
      clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
      pkce: { required: () => true },
      allowOmittingSingleRegisteredRedirectUri: false,
      features: {
        devInteractions: { enabled: false },
        claimsParameter: { enabled: false },
        introspection: { enabled: false },
        registration: { enabled: false },
        revocation: { enabled: true },
        userinfo: { enabled: true },
        backchannelLogout: { enabled: true },
        rpInitiatedLogout: {
          enabled: true,
          logoutSource: async (ctx, form) => {
            ctx.type = 'html';
            ctx.body = logoutPage(branding, form, ctx.oidc.client?.clientName);
          },
          postLogoutSuccessSource: async (ctx) => {
            ctx.type = 'html';
            ctx.body = loggedOutPage(branding);
          },
        },
      },
      // Only the systems' own origins may call the token, userinfo and revocation endpoints from a browser.
      clientBasedCORS: (_ctx, origin, client) =>
        [...(client.redirectUris ?? []), ...(client.postLogoutRedirectUris ?? [])].some(
          (u) => new URL(u).origin === origin,
        ),
      findAccount: async (ctx, sub) => {
        const account = await deps.account(sub);
        if (!account?.active) return undefined;
        return {
          accountId: sub,
          claims: async (_use, scope) => {
            const scopes = new Set((scope ?? '').split(' '));
            const trusted = await clientTrusted(ctx.oidc.client?.clientId);
            return {
              sub,
              ...(scopes.has('profile') ? { name: account.realName } : {}),
              ...(scopes.has('phone') && account.phone
                ? trusted
                  ? { phone_number: account.phone, phone_number_verified: true }
                  : { phone_number: maskPhone(account.phone), phone_number_verified: false }
                : {}),
              // Defence in depth: the scope is only ever allowed to trusted systems (ZOidcClientRequest).
              ...(scopes.has('idcard') && trusted ? { id_type: account.idType, id_number: account.idNumber } : {}),
            };
          },
        };
      },
      loadExistingGrant: async (ctx) => {
        const { client, session, provider: p } = ctx.oidc;
        if (!client) return undefined;
        const grantId = ctx.oidc.result?.consent?.grantId ?? session?.grantIdFor(client.clientId);
        if (grantId) {
          const grant = await p.Grant.find(grantId);
          if (grant) return grant;
        }
        // A new provider session (a new portal login): what the person agreed to before needs no consent again.
        const accountId = session?.accountId;
        if (!accountId) return undefined;
        const consent = await repo.consent(db, accountId, client.clientId);
        const allowed = new Set((client.scope ?? '').split(' '));
        const scopes = consent?.scopes.filter((s) => allowed.has(s)) ?? [];
        if (scopes.length === 0) return undefined;
        const grant = new p.Grant({ accountId, clientId: client.clientId });
        grant.addOIDCScope(scopes.join(' '));
        await grant.save();
        return grant;
      },
      // Every system gets a refresh token; it is bound to the provider session (no offline_access here), so
      // signing out of the portal ends it, and it is rotated on every use (a replayed one revokes the grant).
      issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
      rotateRefreshToken: true,
      ttl: {
        AccessToken: 10 * 60,
        AuthorizationCode: 60,
        IdToken: 60 * 60,
        Interaction: 30 * 60,
        RefreshToken: absoluteSeconds,
        Session: absoluteSeconds,
        Grant: absoluteSeconds,
      },
      cookies: {
        keys: [cookieKey],
        names: { session: 'cpe_op_session', interaction: 'cpe_op_interaction', resume: 'cpe_op_resume' },
        // No `secure` here: the provider marks its cookies Secure whenever the request is HTTPS (directly, or
        // through the TLS proxy TRUST_PROXY trusts); forcing it would make Koa refuse to set them otherwise.
        long: { signed: true, httpOnly: true, sameSite: 'lax' },
        short: { signed: true, httpOnly: true, sameSite: 'lax' },
      },
      interactions: { url: (_ctx, interaction) => `${OIDC_INTERACTIONS_PATH}/${interaction.uid}`, policy },
      // The only requests the provider makes are back-channel logout notices, to addresses 系统管理员 registered
      // (no dynamic registration, no client metadata documents, no request_uri, no client jwks_uri). Systems on
      // the 内网 have private addresses, which oidc-provider's guard against special-use addresses (meant for
      // URLs that arrive from outside) would refuse; so its dispatcher is left out here.
      fetch: (url, options) => {
        const { dispatcher: _guard, ...rest } = options as RequestInit & { dispatcher?: unknown };
        return globalThis.fetch(url, rest);
      },
      renderError: async (ctx, out) => {
        ctx.type = 'html';
        ctx.body = errorPage(branding, out);
      },
    };

    const p = new Provider(issuer, configuration);
    // Behind the trusted proxy the app trusts (TRUST_PROXY), so is the provider: X-Forwarded-Proto and -For.
    p.proxy = config.trustProxy;
    // Errors are logged through loggableError (a refused query's values, tokens among them, stay out), never by
    // Koa's default handler, which prints whole errors to stderr.
    p.on('server_error', (_ctx: unknown, err: unknown) => deps.log('oidc provider error', err));
    (p as unknown as NodeJS.EventEmitter).on('error', (err: unknown) => deps.log('oidc provider error', err));
    p.on('backchannel.error', (_ctx: unknown, err: unknown, client: { clientId: string }) =>
      deps.log(`oidc back-channel logout to ${client.clientId} failed`, err),
    );
    // Entering a system is audited: who, which system, from where.
    p.on('authorization.success', (ctx: KoaContextWithOIDC) => {
      const accountId = ctx.oidc.session?.accountId;
      if (!accountId || !ctx.oidc.client) return;
      audit
        .record(db, {
          actorType: 'account',
          actorId: accountId,
          action: 'oidc.authorize',
          targetType: 'oidc_client',
          targetId: ctx.oidc.client.clientId,
          ip: ctx.ip,
          userAgent: ctx.get('user-agent'),
        })
        .catch((err) => deps.log('oidc audit failed', err));
    });
    // 退出全部系统 on the logout page also ends this browser's portal session (the provider's own logout has told
    // the systems of its session by then). After the route, before the answer leaves: the next page sees it ended.
    p.use(async (ctx, next) => {
      await next();
      const oidc = (ctx as KoaContextWithOIDC).oidc;
      if (oidc?.route !== 'end_session_confirm' || !oidc.params?.logout || ctx.status !== 303) return;
      const token = ctx.cookies.get(config.portalSessionCookie, { signed: false });
      if (!token) return;
      for (const name of [config.portalSessionCookie, config.portalCsrfCookie])
        ctx.cookies.set(name, null, { path: '/', signed: false, httpOnly: false, overwrite: true });
      await deps
        .endPortalSession(token, { ip: ctx.ip, userAgent: ctx.get('user-agent') })
        .catch((err) => deps.log('ending the portal session failed', err));
    });
    return p;
  }

  // ---- ending provider sessions ----

  /**
   * Ends provider sessions (rows already taken out of the table): each system that had one is told by
   * back-channel logout (a job: retried, and not holding up the person's logout), and the grants made in the
   * session are revoked with their codes and tokens, as oidc-provider's own logout does.
   */
  async function endSessions(ex: Executor, sessions: Array<{ payload: unknown }>) {
    for (const { payload } of sessions) {
      const s = payload as AdapterPayload;
      if (!s.accountId) continue;
      for (const [clientId, auth] of Object.entries(s.authorizations ?? {})) {
        if (auth.grantId && !auth.persistsLogout) await repo.revokeGrant(ex, auth.grantId);
        const client = await repo.clientByClientId(ex, clientId);
        if (client?.enabled && client.backchannelLogoutUri && auth.sid)
          await jobs.enqueue(
            ex,
            OIDC_BACKCHANNEL_JOB,
            { clientId, accountId: s.accountId, sid: auth.sid },
            undefined,
            5,
          );
      }
    }
  }

  jobs.register(OIDC_BACKCHANNEL_JOB, async (payload) => {
    const { clientId, accountId, sid } = payload as { clientId: string; accountId: string; sid: string };
    // The provider's own logout notice (a logout token signed with the current key), sent outside a request.
    const client = (await (await provider()).Client.find(clientId)) as
      | { backchannelLogoutUri?: string; backchannelLogout(sub: string, sid: string): Promise<void> }
      | undefined;
    if (!client?.backchannelLogoutUri) return;
    await client.backchannelLogout(accountId, sid);
  });
  jobs.register(OIDC_PURGE_JOB, async () => {
    await repo.purgeExpired(db, new Date());
  });

  // ---- interactions ----

  async function interactionOf(req: IncomingMessage, res: ServerResponse, uid: string): Promise<Interaction> {
    const p = await provider();
    let details: Interaction;
    try {
      details = await p.interactionDetails(req, res);
    } catch {
      throw new AppError('OIDC_INTERACTION_EXPIRED');
    }
    if (details.uid !== uid) throw new AppError('OIDC_INTERACTION_EXPIRED');
    return details;
  }

  const consentPage = (uid: string) => `${OIDC_CONSENT_PAGE}/${encodeURIComponent(uid)}`;

  return {
    issuer,
    provider,

    /** The raw Node handler of the provider (the route strips the prefix before handing the request over). */
    async handle(req: IncomingMessage, res: ServerResponse) {
      const { handler } = await built();
      await new Promise<void>((resolve) => {
        res.on('close', resolve);
        void handler(req, res);
      });
    },

    /**
     * The interaction URL: where the provider sends the browser when it needs the person. Answered from the
     * portal session without a page whenever possible; otherwise to the portal's login (which comes back) or to
     * the consent page. Returns where the browser goes next.
     */
    async enter(req: IncomingMessage, res: ServerResponse, uid: string, portalToken: string | undefined) {
      let details: Interaction;
      try {
        details = await interactionOf(req, res, uid);
      } catch {
        // The consent page explains (授权请求已过期) and offers the way back.
        return consentPage(uid);
      }
      const portal = portalToken ? await deps.portalSession(portalToken).catch(() => null) : null;
      if (!portal) return `/login?redirect=${encodeURIComponent(consentPage(uid))}`;
      if (portal.mustChangePassword) return `/password/initial?redirect=${encodeURIComponent(consentPage(uid))}`;
      if (details.prompt.name !== 'login') return consentPage(uid);

      const previous = details.session;
      if (previous?.uid && previous.accountId !== portal.principalId) {
        // This browser's provider session is another person's (their portal session ended without a logout we
        // saw, e.g. by time): it ends now, with its systems told, before this person's begins.
        await db.transaction(async (tx) =>
          endSessions(tx, await repo.takeSessions(tx, { uid: previous.uid as string })),
        );
        details.session = undefined;
      }
      details.result = {
        ...details.lastSubmission,
        login: { accountId: portal.principalId, ts: loginTsOf(portal), remember: true },
      };
      await details.save(Math.max(details.exp - epoch(), 1));
      return details.returnTo;
    },

    /** The consent page's question: which system asks, and what exactly it would receive. */
    async consentDetails(
      req: IncomingMessage,
      res: ServerResponse,
      uid: string,
      accountId: string,
    ): Promise<TOidcConsentDetails & { continueTo: string | null }> {
      const details = await interactionOf(req, res, uid);
      if (details.prompt.name === 'login')
        return {
          client: { name: '', logo: null, trusted: false },
          account: { realName: '' },
          items: [],
          continueTo: `${OIDC_INTERACTIONS_PATH}/${encodeURIComponent(uid)}`,
        };
      if (details.session?.accountId !== accountId) throw new AppError('OIDC_ACCOUNT_CHANGED');
      const client = await repo.clientByClientId(db, String(details.params.client_id));
      const account = await deps.account(accountId);
      if (!client?.enabled || !account) throw new AppError('OIDC_INTERACTION_EXPIRED');
      const requested = new Set(String(details.params.scope ?? '').split(' '));
      const items = OIDC_SCOPES.filter((s) => requested.has(s) && client.scopes.includes(s)).map((scope) => ({
        scope,
        ...consentItem(scope, account, client.trusted),
      }));
      return {
        client: { name: client.name, logo: client.logo, trusted: client.trusted },
        account: { realName: account.realName },
        items,
        continueTo: null,
      };
    },

    /** 同意授权 / 拒绝: the grant is made (and remembered for next time) or the system hears access_denied. */
    async decide(
      req: IncomingMessage,
      res: ServerResponse,
      uid: string,
      accountId: string,
      decision: 'approve' | 'deny',
      meta: RequestMeta,
    ) {
      const p = await provider();
      const details = await interactionOf(req, res, uid);
      if (details.prompt.name !== 'consent') throw new AppError('OIDC_INTERACTION_EXPIRED');
      if (details.session?.accountId !== accountId) throw new AppError('OIDC_ACCOUNT_CHANGED');
      const clientId = String(details.params.client_id);
      if (decision === 'deny') {
        await audit.record(db, {
          actorType: 'account',
          actorId: accountId,
          action: 'oidc.consent.deny',
          targetType: 'oidc_client',
          targetId: clientId,
          ...meta,
        });
        const redirectTo = await p.interactionResult(
          req,
          res,
          { error: 'access_denied', error_description: 'End-User refused the authorization' },
          { mergeWithLastSubmission: false },
        );
        return { redirectTo };
      }
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      const grant = details.grantId ? await p.Grant.find(details.grantId) : new p.Grant({ accountId, clientId });
      if (!grant) throw new AppError('OIDC_INTERACTION_EXPIRED');
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
        grant.addResourceScope(indicator, scopes.join(' '));
      const grantId = await grant.save();
      await db.transaction(async (tx) => {
        const before = (await repo.consent(tx, accountId, clientId))?.scopes ?? [];
        const granted = new Set([...before, ...grant.getOIDCScope().split(' ')]);
        await repo.saveConsent(
          tx,
          accountId,
          clientId,
          OIDC_SCOPES.filter((s) => granted.has(s)),
          clock.now(),
        );
        await audit.record(tx, {
          actorType: 'account',
          actorId: accountId,
          action: 'oidc.consent.grant',
          targetType: 'oidc_client',
          targetId: clientId,
          summary: { scopes: grant.getOIDCScope().split(' ') },
          ...meta,
        });
      });
      const redirectTo = await p.interactionResult(req, res, { consent: { grantId } });
      return { redirectTo };
    },

    // ---- the portal's side ----

    /**
     * A portal session ended (logout: that login; a password change or reset: all of the person's): the provider
     * sessions opened from it end with it, in the same transaction, and the systems are told.
     */
    async portalSessionEnded(ex: Executor, ended: { principalId: string; loginAt?: Date }) {
      const loginTs = ended.loginAt ? Math.floor(ended.loginAt.getTime() / 1000) : undefined;
      await endSessions(ex, await repo.takeSessions(ex, { accountId: ended.principalId, loginTs }));
    },

    /** 个人中心 → 已授权应用. */
    async authorizedApps(accountId: string) {
      const rows = await repo.consentsOf(db, accountId);
      return {
        items: rows.map(({ consent, client }) => ({
          clientId: client.clientId,
          name: client.name,
          logo: client.logo,
          scopes: OIDC_SCOPES.filter((s) => consent.scopes.includes(s)),
          grantedAt: consent.updatedAt.toISOString(),
        })),
      };
    },

    /** 撤销授权: the consent, every grant with its tokens, and the system's sessions of this person. */
    async revokeApp(accountId: string, clientId: string, meta: RequestMeta) {
      await db.transaction(async (tx) => {
        if (!(await repo.deleteConsent(tx, accountId, clientId))) throw new AppError('OIDC_CLIENT_NOT_FOUND');
        for (const grantId of await repo.grantIdsOf(tx, accountId, clientId)) await repo.revokeGrant(tx, grantId);
        const client = await repo.clientByClientId(tx, clientId);
        if (client?.enabled && client.backchannelLogoutUri)
          for (const s of await repo.sessionsOf(tx, accountId, new Date())) {
            const sid = (s.payload as AdapterPayload).authorizations?.[clientId]?.sid;
            if (sid) await jobs.enqueue(tx, OIDC_BACKCHANNEL_JOB, { clientId, accountId, sid }, undefined, 5);
          }
        await audit.record(tx, {
          actorType: 'account',
          actorId: accountId,
          action: 'oidc.consent.revoke',
          targetType: 'oidc_client',
          targetId: clientId,
          ...meta,
        });
      });
      return { ok: true as const };
    },

    // ---- 系统管理 → 接入系统 ----

    async listClients() {
      return {
        issuer,
        discoveryUrl: `${issuer}/.well-known/openid-configuration`,
        items: (await repo.clients(db)).map(toClient),
      };
    },

    async createClient(input: TOidcClientRequest, staffId: string, meta: RequestMeta) {
      const v = ZOidcClientRequest.parse(input);
      const clientSecret = randomToken(32);
      const now = clock.now();
      const row = await db.transaction(async (tx) => {
        const created = await repo.insertClient(tx, {
          clientId: `cpe-${crypto.randomBytes(8).toString('hex')}`,
          secretEnc: pii.encrypt(clientSecret),
          name: v.name,
          redirectUris: v.redirectUris,
          postLogoutRedirectUris: v.postLogoutRedirectUris,
          backchannelLogoutUri: v.backchannelLogoutUri,
          scopes: v.scopes,
          trusted: v.trusted,
          enabled: v.enabled,
          createdAt: now,
          updatedAt: now,
        });
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staffId,
          action: 'oidc.client.create',
          targetType: 'oidc_client',
          targetId: created.clientId,
          summary: clientSummary(created),
          ...meta,
        });
        return created;
      });
      return { ...toClient(row), clientSecret };
    },

    async updateClient(id: string, input: TOidcClientRequest, staffId: string, meta: RequestMeta) {
      const v = ZOidcClientRequest.parse(input);
      const row = await db.transaction(async (tx) => {
        const updated = await repo.updateClient(tx, id, {
          name: v.name,
          redirectUris: v.redirectUris,
          postLogoutRedirectUris: v.postLogoutRedirectUris,
          backchannelLogoutUri: v.backchannelLogoutUri,
          scopes: v.scopes,
          trusted: v.trusted,
          enabled: v.enabled,
          updatedAt: clock.now(),
        });
        if (!updated) throw new AppError('OIDC_CLIENT_NOT_FOUND');
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staffId,
          action: 'oidc.client.update',
          targetType: 'oidc_client',
          targetId: updated.clientId,
          summary: clientSummary(updated),
          ...meta,
        });
        return updated;
      });
      return toClient(row);
    },

    /** 重置密钥: a new secret, shown once; the old one stops working at once. */
    async resetSecret(id: string, staffId: string, meta: RequestMeta) {
      const clientSecret = randomToken(32);
      const row = await db.transaction(async (tx) => {
        const updated = await repo.updateClient(tx, id, {
          secretEnc: pii.encrypt(clientSecret),
          updatedAt: clock.now(),
        });
        if (!updated) throw new AppError('OIDC_CLIENT_NOT_FOUND');
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staffId,
          action: 'oidc.client.secret.reset',
          targetType: 'oidc_client',
          targetId: updated.clientId,
          ...meta,
        });
        return updated;
      });
      return { ...toClient(row), clientSecret };
    },

    /** The logo: JPG or PNG by content, re-encoded as a 128 px PNG kept inline (the portal's CSP allows data: images). */
    async setLogo(id: string, data: Buffer | undefined, staffId: string, meta: RequestMeta) {
      if (!data?.length) throw fieldError('UPLOAD_INVALID', 'logo', '请选择图标文件');
      let png: Buffer;
      try {
        const info = await sharp(data, { limitInputPixels: 25_000_000 }).metadata();
        if (info.format !== 'png' && info.format !== 'jpeg') throw new Error('format');
        png = await sharp(data, { limitInputPixels: 25_000_000 })
          .resize(128, 128, { fit: 'contain', background: { r: 255, g: 255, b: 255, alpha: 0 } })
          .png()
          .toBuffer();
      } catch {
        throw fieldError('UPLOAD_INVALID', 'logo', '仅支持JPG、PNG格式的图片');
      }
      return setLogoValue(id, `data:image/png;base64,${png.toString('base64')}`, staffId, meta);
    },
    async removeLogo(id: string, staffId: string, meta: RequestMeta) {
      return setLogoValue(id, null, staffId, meta);
    },

    /** Removing a system: its grants and tokens go with it; people's consents cascade. */
    async deleteClient(id: string, staffId: string, meta: RequestMeta) {
      await db.transaction(async (tx) => {
        const row = await repo.clientById(tx, id);
        if (!row) throw new AppError('OIDC_CLIENT_NOT_FOUND');
        for (const grantId of await repo.grantIdsOfClient(tx, row.clientId)) await repo.revokeGrant(tx, grantId);
        await repo.deleteClient(tx, id);
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staffId,
          action: 'oidc.client.delete',
          targetType: 'oidc_client',
          targetId: row.clientId,
          summary: { name: row.name },
          ...meta,
        });
      });
      return { ok: true as const };
    },

    // ---- 签名密钥 ----

    async listKeys() {
      await ensureKey();
      const keys = await repo.keys(db);
      return {
        items: keys.map((k, i) => ({ kid: k.kid, alg: k.alg, createdAt: k.createdAt.toISOString(), active: i === 0 })),
      };
    },

    /** 轮换签名密钥: a new key signs from now on; the old ones stay published until removed. */
    async rotateKey(staffId: string, meta: RequestMeta) {
      const key = await newSigningKey();
      await db.transaction(async (tx) => {
        await repo.lockKeys(tx);
        await repo.insertKey(tx, key);
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staffId,
          action: 'oidc.key.rotate',
          targetType: 'oidc_key',
          targetId: key.kid,
          ...meta,
        });
      });
      rebuildSoon();
      return { kid: key.kid };
    },

    async deleteKey(kid: string, staffId: string, meta: RequestMeta) {
      await db.transaction(async (tx) => {
        await repo.lockKeys(tx);
        const kids = await repo.keyIds(tx);
        if (!kids.includes(kid)) throw new AppError('NOT_FOUND');
        if (kids[0] === kid) throw new AppError('OIDC_KEY_IN_USE');
        await repo.deleteKey(tx, kid);
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staffId,
          action: 'oidc.key.delete',
          targetType: 'oidc_key',
          targetId: kid,
          ...meta,
        });
      });
      rebuildSoon();
      return { ok: true as const };
    },
  };

  async function setLogoValue(id: string, logo: string | null, staffId: string, meta: RequestMeta) {
    const row = await db.transaction(async (tx) => {
      const updated = await repo.updateClient(tx, id, { logo, updatedAt: clock.now() });
      if (!updated) throw new AppError('OIDC_CLIENT_NOT_FOUND');
      await audit.record(tx, {
        actorType: 'staff',
        actorId: staffId,
        action: 'oidc.client.update',
        targetType: 'oidc_client',
        targetId: updated.clientId,
        summary: { logo: logo ? 'set' : 'removed' },
        ...meta,
      });
      return updated;
    });
    return toClient(row);
  }
}
export type OidcProviderService = ReturnType<typeof createOidcProviderService>;

function clientSummary(row: OidcClientRow) {
  return {
    name: row.name,
    redirectUris: row.redirectUris,
    postLogoutRedirectUris: row.postLogoutRedirectUris,
    backchannelLogoutUri: row.backchannelLogoutUri,
    scopes: row.scopes,
    trusted: row.trusted,
    enabled: row.enabled,
  };
}

/** One line of the consent page: what the system will receive, shown masked here whatever it receives. */
function consentItem(scope: TOidcScope, account: OidcAccount, trusted: boolean): { label: string; value: string } {
  switch (scope) {
    case 'openid':
      return { label: OIDC_SCOPE_LABELS.openid, value: '用于识别您的账号，不含个人信息' };
    case 'profile':
      return { label: OIDC_SCOPE_LABELS.profile, value: account.realName };
    case 'phone':
      return {
        label: trusted ? '手机号码（完整号码）' : '手机号码（部分隐藏）',
        value: account.phone ? maskPhone(account.phone) : '未绑定手机号码',
      };
    case 'idcard':
      return {
        label: `${OIDC_SCOPE_LABELS.idcard}（完整号码）`,
        value: `${ID_TYPE_LABELS[account.idType as IdType] ?? account.idType} ${maskIdNumber(account.idNumber)}`,
      };
  }
}
