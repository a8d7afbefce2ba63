import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { wechatStandinRoutes } from '../src/adapters/sso/wechat-standin.js';

/**
 * Identity providers for the 第三方登录 tests, each a real HTTP server on 127.0.0.1 (our app calls them over the
 * network, as it would call 政务服务网 or WeChat): a real OpenID Connect provider (`oidc-provider`), a deliberately
 * misbehaving issuer for the failures a real one would not produce on demand, and the WeChat stand-in.
 */

const listen = (server: http.Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
const close = (server: http.Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

const escapeHtml = (v: string) =>
  v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export type Claims = Record<string, unknown>;

/**
 * A real OpenID Connect provider (oidc-provider, in-process) with one confidential client, PKCE required. Its
 * sign-in page signs in `as` (a subject of `accounts`) when the person presses 同意授权并登录; consent is implied
 * (a first-party provider, as 政务服务网 is for the province's own sites). Profile claims come from userinfo, as the
 * spec has it when an access token is issued (`conformIdTokenClaims`).
 */
export async function startOidcProvider(opts: {
  clientId: string;
  clientSecret: string;
  /** The client's registered redirect URIs (one per public URL of the platform). */
  redirectUri: string | string[];
  accounts: Record<string, Claims>;
  title?: string;
}) {
  const server = http.createServer();
  const issuer = await listen(server);
  const state = { as: Object.keys(opts.accounts)[0] as string };
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        redirect_uris: [opts.redirectUri].flat(),
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk as never] },
    pkce: { required: () => true },
    ttl: { AuthorizationCode: 60, AccessToken: 300, IdToken: 300, Interaction: 600, Session: 600, Grant: 600 },
    claims: { openid: ['sub'], profile: ['name'], idcard: ['id_card'], corp: ['uscc'] },
    cookies: { keys: [crypto.randomBytes(16).toString('hex')] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) =>
      Object.hasOwn(opts.accounts, sub)
        ? { accountId: sub, claims: async () => ({ sub, ...opts.accounts[sub] }) }
        : undefined,
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const accountId = ctx.oidc.session?.accountId;
      const clientId = ctx.oidc.client?.clientId;
      if (!accountId || !clientId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ accountId, clientId });
      grant.addOIDCScope('openid profile idcard corp');
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();
  server.on('request', async (req, res) => {
    const m = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url ?? '');
    if (!m) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (m[2] && req.method === 'POST') {
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: state.as } },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      const claims = opts.accounts[state.as] ?? {};
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(opts.title ?? '政务服务网')}</title></head>
<body><h1>${escapeHtml(opts.title ?? '政务服务网')}（测试）</h1><p>应用 ${escapeHtml(String(details.params.client_id))} 请求获取您的实名信息</p>
<p>当前登录：${escapeHtml(String(claims.name ?? state.as))}</p>
<form method="post" action="/interaction/${details.uid}/login"><button type="submit">同意授权并登录</button></form></body></html>`);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('interaction expired');
    }
  });
  return {
    issuer,
    /** Whom the provider's sign-in page signs in next. */
    signInAs(sub: string) {
      state.as = sub;
    },
    close: () => close(server),
  };
}

/**
 * A hand-configured issuer that answers discovery, JWKS, authorization and token requests itself and signs ID
 * tokens with jose: the test double of a provider gone wrong (a wrong nonce, an expired token, a token signed by
 * a key it does not publish) and of a key rotation.
 */
export async function startMisbehavingIssuer(opts: { clientId: string; clientSecret: string; claims: Claims }) {
  const server = http.createServer();
  const issuer = await listen(server);
  const newKey = async (kid: string) => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    return {
      kid,
      privateKey: pair.privateKey,
      publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' } as JWK,
    };
  };
  const keys = { signing: await newKey('a1'), published: [] as JWK[], stranger: await newKey('a1') };
  keys.published = [keys.signing.publicJwk];
  const codes = new Map<string, { nonce: string; challenge: string; redirectUri: string }>();
  const control = {
    mode: 'ok' as 'ok' | 'wrong-nonce' | 'expired' | 'other-key' | 'wrong-audience' | 'server-error',
    subject: 'standin-subject-1',
  };

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  server.on('request', async (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/.well-known/openid-configuration')
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_post'],
        code_challenge_methods_supported: ['S256'],
      });
    if (url.pathname === '/jwks') return json(res, 200, { keys: keys.published });
    if (url.pathname === '/authorize') {
      const code = crypto.randomBytes(12).toString('hex');
      const redirectUri = url.searchParams.get('redirect_uri') as string;
      codes.set(code, {
        nonce: url.searchParams.get('nonce') ?? '',
        challenge: url.searchParams.get('code_challenge') ?? '',
        redirectUri,
      });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.href });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const form = new URLSearchParams(raw);
      if (control.mode === 'server-error') return json(res, 503, { error: 'temporarily_unavailable' });
      const entry = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
      if (
        !entry ||
        form.get('client_id') !== opts.clientId ||
        form.get('client_secret') !== opts.clientSecret ||
        challenge !== entry.challenge
      )
        return json(res, 400, { error: 'invalid_grant' });
      const now = Math.floor(Date.now() / 1000);
      const key = control.mode === 'other-key' ? keys.stranger : keys.signing;
      const idToken = await new SignJWT({
        nonce: control.mode === 'wrong-nonce' ? 'a-nonce-of-another-login' : entry.nonce,
        ...opts.claims,
      })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid })
        .setIssuer(issuer)
        .setSubject(control.subject)
        .setAudience(control.mode === 'wrong-audience' ? 'another-client' : opts.clientId)
        .setIssuedAt(control.mode === 'expired' ? now - 7200 : now)
        .setExpirationTime(control.mode === 'expired' ? now - 3600 : now + 300)
        .sign(key.privateKey);
      return json(res, 200, {
        access_token: crypto.randomBytes(16).toString('hex'),
        token_type: 'Bearer',
        expires_in: 300,
        id_token: idToken,
      });
    }
    json(res, 404, { error: 'not_found' });
  });
  return {
    issuer,
    control,
    /** Signs with a new key (new kid) from now on; the JWKS publishes both, as a provider rotating keys does. */
    async rotate(kid: string) {
      keys.signing = await newKey(kid);
      keys.published = [...keys.published, keys.signing.publicJwk];
    },
    close: () => close(server),
  };
}

/** WeChat's 网站应用 login, by the platform's own stand-in (the demo mode's), on a port of its own. */
export async function startWechatStandin(apps: Record<string, string>) {
  const app = Fastify();
  await app.register(wechatStandinRoutes({ apps }));
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return { base, close: () => app.close() };
}

/** A browser's cookie jar on the provider's host (the provider's own session and interaction cookies). */
export class ProviderBrowser {
  private cookies = new Map<string, string>();

  async get(url: string, method = 'GET'): Promise<Response> {
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (value && !/expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
    return res;
  }

  /**
   * Follows the provider's redirects from `url` (our start's Location), pressing 同意授权并登录 on its sign-in page,
   * until it sends the browser to `back` (our callback): that URL, as the browser would open it.
   */
  async untilBack(url: string, back: string): Promise<string> {
    let next = url;
    for (let i = 0; i < 12; i++) {
      if (next.startsWith(back)) return next;
      const interaction = /\/interaction\/[\w-]+$/.test(new URL(next).pathname);
      const res = await this.get(next);
      if (res.status === 200 && interaction) {
        await res.text();
        const done = await this.get(`${next}/login`, 'POST');
        next = new URL(done.headers.get('location') as string, next).href;
        continue;
      }
      const location = res.headers.get('location');
      if (!location) throw new Error(`provider answered ${res.status} at ${next}: ${(await res.text()).slice(0, 300)}`);
      next = new URL(location, next).href;
    }
    throw new Error('too many redirects');
  }
}
