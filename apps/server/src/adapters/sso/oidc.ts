import type * as oidc from 'openid-client';
import { loadOpenidClient } from '../../lib/lazy.js';
import {
  type ProvenIdentity,
  type ProviderSettings,
  readClaim,
  type SsoProtocol,
  SsoRefusedError,
  SsoUnavailableError,
} from './sso.js';

const TIMEOUT_SECONDS = 10;

type OpenidClient = typeof oidc;

/**
 * OpenID Connect relying party on `openid-client` (OpenID-certified): authorization code with PKCE (S256), state
 * and nonce; the ID token's issuer, audience, expiry and nonce checked, and its signature verified against the
 * provider's JWKS even though it came straight from the token endpoint (`enableNonRepudiationChecks`). The JWKS is
 * cached with the configuration and fetched again when a token names a key it does not hold (key rotation).
 * openid-client is loaded by the first sign-in through a provider, not at start (lib/lazy.ts).
 */
export function createOidcProtocol(opts: { allowHttp: boolean }): SsoProtocol {
  const cache = new Map<string, { version: number; document: string; config: oidc.Configuration }>();

  const prepare = (openid: OpenidClient, config: oidc.Configuration) => {
    if (opts.allowHttp) openid.allowInsecureRequests(config);
    openid.enableNonRepudiationChecks(config);
    config.timeout = TIMEOUT_SECONDS;
  };

  /**
   * The provider's configuration. `fresh` reads its discovery document again (every login's start: a provider that
   * is down is found before the browser is sent there, and changed endpoints are picked up); the configuration
   * object, and the JWKS cached in it, is kept while the document is unchanged.
   */
  async function configOf(p: ProviderSettings, fresh: boolean): Promise<oidc.Configuration> {
    const hit = cache.get(p.id);
    if (hit && hit.version === p.version && !fresh) return hit.config;
    if (!p.issuer) throw new SsoUnavailableError(`provider ${p.id}: no issuer`);
    const openid = await loadOpenidClient();
    let discovered: oidc.Configuration;
    try {
      discovered = await openid.discovery(new URL(p.issuer), p.clientId, undefined, openid.None(), {
        execute: opts.allowHttp ? [openid.allowInsecureRequests] : [],
        timeout: TIMEOUT_SECONDS,
      });
    } catch (err) {
      throw new SsoUnavailableError(`provider ${p.id}: discovery failed (${describe(err)})`);
    }
    const server = discovered.serverMetadata();
    const document = JSON.stringify(server);
    if (hit && hit.version === p.version && hit.document === document) return hit.config;
    // The method the provider says it takes; Basic first (RFC 6749's default), as most providers register clients.
    const methods = server.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
    const auth = methods.includes('client_secret_basic')
      ? openid.ClientSecretBasic(p.clientSecret)
      : openid.ClientSecretPost(p.clientSecret);
    const config = new openid.Configuration(server, p.clientId, { client_secret: p.clientSecret }, auth);
    prepare(openid, config);
    cache.set(p.id, { version: p.version, document, config });
    return config;
  }

  return {
    async authorizationUrl(p, trip) {
      const config = await configOf(p, true);
      const openid = await loadOpenidClient();
      const url = openid.buildAuthorizationUrl(config, {
        redirect_uri: trip.redirectUri,
        scope: p.scopes,
        response_type: 'code',
        state: trip.state,
        nonce: trip.nonce,
        code_challenge: await openid.calculatePKCECodeChallenge(trip.codeVerifier),
        code_challenge_method: 'S256',
      });
      return url.href;
    },

    async finish(p, callbackUrl, trip): Promise<ProvenIdentity> {
      const config = await configOf(p, false);
      const openid = await loadOpenidClient();
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await openid.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: trip.codeVerifier,
          expectedState: trip.state,
          expectedNonce: trip.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        throw classify(openid, p, err);
      }
      const idToken = tokens.claims();
      if (!idToken) throw new SsoRefusedError(`provider ${p.id}: no ID token`);
      let claims: Record<string, unknown> = { ...idToken };
      // Providers that follow the spec strictly put profile claims in userinfo only when an access token is issued.
      const missing = p.claimNames.some((name) => readClaim(claims, name) === undefined);
      if (missing && config.serverMetadata().userinfo_endpoint) {
        try {
          const info = await openid.fetchUserInfo(config, tokens.access_token, idToken.sub);
          claims = { ...info, ...idToken };
        } catch (err) {
          throw classify(openid, p, err);
        }
      }
      return { subject: idToken.sub, claims, label: null };
    },

    async check(p) {
      try {
        const config = await configOf(p, true);
        const m = config.serverMetadata();
        if (!m.jwks_uri) return { ok: false, message: '发现文档中没有 jwks_uri，无法校验身份令牌签名' };
        return { ok: true, message: `连接成功：${m.issuer}` };
      } catch (err) {
        return {
          ok: false,
          message: `无法读取发现文档（${p.issuer}/.well-known/openid-configuration）：${describe(err)}`,
        };
      }
    },
  };
}

/**
 * A failure's class, code and fixed message: never its cause, which may hold the provider's response (and with it a
 * token).
 */
function describe(err: unknown): string {
  if (err instanceof SsoUnavailableError) return err.message;
  const e = err as { name?: string; code?: unknown; message?: unknown; cause?: { code?: unknown } };
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : '';
  // openid-client's messages are fixed texts; its wrapped error says which check ("JWT signature verification
  // failed"). The values checked stay in that error's own `cause`, which is never read here.
  const inner = e.cause instanceof Error ? e.cause.message : '';
  const message = [e.message, inner]
    .filter((m) => typeof m === 'string' && m)
    .join(' / ')
    .slice(0, 160);
  return `${[e.name ?? 'Error', code].filter(Boolean).join(' ')}${message ? `: ${message}` : ''}`;
}

/** Network failures and 5xx answers mean the provider is down; anything else is an answer that failed a check. */
function classify(openid: OpenidClient, p: ProviderSettings, err: unknown): Error {
  const what = `provider ${p.id}: ${describe(err)}`;
  if (err instanceof openid.AuthorizationResponseError)
    return new SsoRefusedError(`${what} ${err.error}`, err.error === 'access_denied');
  if (err instanceof openid.ResponseBodyError)
    return err.status >= 500
      ? new SsoUnavailableError(`${what} ${err.status}`)
      : new SsoRefusedError(`${what} ${err.error}`);
  const e = err as { name?: string; cause?: unknown; code?: unknown };
  const network =
    err instanceof TypeError ||
    e.name === 'AbortError' ||
    e.name === 'TimeoutError' ||
    e.cause instanceof TypeError ||
    (e.cause as { name?: string } | undefined)?.name === 'TimeoutError';
  if (network) return new SsoUnavailableError(what);
  const response = (err as { cause?: unknown }).cause;
  if (response instanceof Response && response.status >= 500)
    return new SsoUnavailableError(`${what} ${response.status}`);
  return new SsoRefusedError(what);
}
