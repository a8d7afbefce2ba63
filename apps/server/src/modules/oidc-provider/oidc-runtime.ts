import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { maskPhone, OIDC_SCOPES } from '@cpe/shared';
import type {
  AdapterPayload,
  Configuration,
  Interaction,
  KoaContextWithOIDC,
  default as Provider,
} from 'oidc-provider';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { loadOidcProvider } from '../../lib/lazy.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { Jobs } from '../jobs/jobs.service.js';
import { createOidcAdapter } from './oidc-adapter.js';
import { ensureSigningKey } from './oidc-keys.js';
import { errorPage, loggedOutPage, logoutPage, type PageBranding } from './oidc-pages.js';
import type { OidcProviderRepo } from './oidc-provider.repo.js';

/** Where the provider lives on the public listener; the issuer is PUBLIC_URL + this. */
export const OIDC_PREFIX = '/oidc';
/** Our interaction endpoint (outside the prefix: it is ours, CSRF-protected, and documented in OpenAPI). */
export const OIDC_INTERACTIONS_PATH = '/api/oidc/interactions';
export const OIDC_PURGE_JOB = 'oidc.purge';

/** How often an instance looks for a key rotated on another instance (one indexed read). */
const KEY_CHECK_MS = 30_000;

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

export interface OidcProviderDeps {
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
}

/**
 * auth_time of a provider session opened from a portal session: the portal login, in whole seconds. The login
 * check, the sign-in from the portal session and the end of a portal session all match sessions by it.
 */
export const loginTs = (loginAt: Date) => Math.floor(loginAt.getTime() / 1000);

/**
 * The oidc-provider instance: its configuration (claims by scope and trust, the login check bound to the portal
 * session, cookies, TTLs, pages), built from the signing keys in the database and rebuilt when they change.
 */
export function createOidcRuntime(deps: OidcProviderDeps) {
  const { db, repo, pii, audit, jobs, config } = deps;
  const issuer = `${config.publicUrl}${OIDC_PREFIX}`;
  const branding: PageBranding = {
    brandName: config.brandName,
    authCenterName: config.authCenterName,
    // The provider's pages are served at whichever public URL the browser is on (its Host is pinned to a listed one):
    // home is that one's, where the person's portal session is.
    homeUrl: '/',
  };
  // Signed cookies of the provider (its session, interaction and resume cookies), keyed apart from everything else.
  const cookieKey = crypto.createHash('sha256').update(`oidc-cookies:${config.sessionSecret}`).digest('base64url');

  /** What oidc-provider sees of a registered system (接入系统); disabled ones do not exist for it. */
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

  type Built = { provider: Provider; handler: ReturnType<Provider['callback']>; kids: string; checkedAt: number };
  let current: Built | undefined;
  let building: Promise<Built> | undefined;

  /** The provider for the current keys: rebuilt after a rotation here at once, elsewhere within KEY_CHECK_MS. */
  function built(): Promise<Built> {
    if (current && Date.now() - current.checkedAt < KEY_CHECK_MS) return Promise.resolve(current);
    building ??= (async () => {
      try {
        await ensureSigningKey(deps);
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

  /** The live portal session of a cookie value; a lookup that fails counts as none. */
  async function portalSession(token: string | undefined): Promise<PortalSession | null> {
    if (!token) return null;
    try {
      return await deps.portalSession(token);
    } catch {
      return null;
    }
  }
  const portalOf = (ctx: { cookies: { get(name: string, opts?: { signed: boolean }): string | undefined } }) =>
    portalSession(ctx.cookies.get(config.portalSessionCookie, { signed: false }));

  async function clientTrusted(clientId: string | undefined): Promise<boolean> {
    if (!clientId) return false;
    return (await repo.clientByClientId(db, clientId))?.trusted === true;
  }

  async function build(): Promise<Provider> {
    // oidc-provider itself (~300 ms to load) comes with the first provider built, at the first /oidc request.
    const { default: OidcProvider, interactionPolicy } = await loadOidcProvider();
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
        if (session?.accountId !== portal.principalId || session.loginTs !== loginTs(portal.createdAt))
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

    const p = new OidcProvider(issuer, configuration);
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

  jobs.register(OIDC_PURGE_JOB, async () => {
    await repo.purgeExpired(db, new Date());
  });

  return {
    issuer,
    provider,
    portalSession,

    /** The raw Node handler of the provider (the route strips the prefix before handing the request over). */
    async handle(req: IncomingMessage, res: ServerResponse) {
      const { handler } = await built();
      await new Promise<void>((resolve) => {
        res.on('close', resolve);
        void handler(req, res);
      });
    },

    /** The interaction `uid` names, read from this browser's interaction cookie; anything else is 已过期. */
    async interaction(req: IncomingMessage, res: ServerResponse, uid: string): Promise<Interaction> {
      const p = await provider();
      let details: Interaction;
      try {
        details = await p.interactionDetails(req, res);
      } catch {
        throw new AppError('OIDC_INTERACTION_EXPIRED');
      }
      if (details.uid !== uid) throw new AppError('OIDC_INTERACTION_EXPIRED');
      return details;
    },

    /** After a key rotation or removal here: the next request builds the provider with the new key set. */
    keysChanged() {
      if (current) current.checkedAt = 0;
    },
  };
}
export type OidcRuntime = ReturnType<typeof createOidcRuntime>;
