import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { maskPhone } from '@cpe/shared';
import { and, eq, sql } from 'drizzle-orm';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLogs, oidcPayloads } from '../../src/db/schema/index.js';
import { buildPerson, login, multipartFile, type Person, register } from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { staffWith } from '../purchase-factories.js';
import { png } from '../units-factories.js';

/**
 * The 统一认证中心 as an OpenID provider, driven by a real relying party (openid-client) over real HTTP: the public
 * listener listens on a port and PUBLIC_URL names it, so discovery, the authorisation redirects, the token and
 * userinfo endpoints and the logout notices all travel as they would between two systems.
 */

/** A free port, so PUBLIC_URL (and with it the issuer) can be known before the app is built. */
async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The relying party's back-channel logout endpoint: records what it receives. */
function relyingParty() {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/backchannel') {
        const token = new URLSearchParams(body).get('logout_token');
        if (token) received.push(token);
        res.writeHead(200).end();
        return;
      }
      res.writeHead(404).end();
    });
  });
  return { server, received };
}

let logs = '';
const logStream = new PassThrough();
logStream.on('data', (d) => {
  logs += d;
});

let env: TestEnv;
let base: string;
let issuer: string;
let rpBase: string;
const rp = relyingParty();
let admin: Client;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = await createTestEnv({ PUBLIC_URL: base }, undefined, { level: 'info', stream: logStream });
  await env.publicApp.listen({ port, host: '127.0.0.1' });
  issuer = `${base}/oidc`;
  await new Promise<void>((resolve) => rp.server.listen(0, '127.0.0.1', resolve));
  rpBase = `http://127.0.0.1:${(rp.server.address() as AddressInfo).port}`;
  admin = await staffWith(env, ['sysadmin']);
});
afterAll(async () => {
  await new Promise((resolve) => rp.server.close(resolve));
});

/** Registers a system in 系统管理 → 接入系统 (as staff do) and returns it with its once-shown secret. */
async function registerClient(
  overrides: Partial<{
    name: string;
    scopes: string[];
    trusted: boolean;
    backchannel: boolean;
  }> = {},
) {
  const res = await admin.post('/api/oidc-clients', {
    name: overrides.name ?? '重庆人社培训网',
    redirectUris: [`${rpBase}/cb`],
    postLogoutRedirectUris: [`${rpBase}/bye`],
    backchannelLogoutUri: overrides.backchannel === false ? '' : `${rpBase}/backchannel`,
    scopes: overrides.scopes ?? ['openid', 'profile', 'phone'],
    trusted: overrides.trusted ?? false,
    enabled: true,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: string; clientId: string; clientSecret: string };
}

async function relying(client: { clientId: string; clientSecret: string }, method = 'client_secret_basic') {
  return oidc.discovery(
    new URL(issuer),
    client.clientId,
    client.clientSecret,
    method === 'client_secret_post'
      ? oidc.ClientSecretPost(client.clientSecret)
      : oidc.ClientSecretBasic(client.clientSecret),
    { execute: [oidc.allowInsecureRequests] },
  );
}

/** A browser: a cookie jar over real HTTP (path and expiry are enough for one host). */
class Browser {
  readonly jar = new Map<string, string>();
  constructor(portal?: Client) {
    if (portal) for (const [k, v] of portal.cookies) this.jar.set(k, v);
  }
  private keep(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = (pair as string).indexOf('=');
      const name = (pair as string).slice(0, eq).trim();
      const value = (pair as string).slice(eq + 1).trim();
      const expired = attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a) || /max-age=0\b/i.test(a.trim()));
      if (expired || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }
  async fetch(url: string | URL, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (this.jar.size) headers.set('cookie', [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.keep(res);
    return res;
  }
  /** Follows redirects on our host; stops at the first address elsewhere (the system) or at a page of ours. */
  async walk(url: string | URL): Promise<{ url: URL; res?: Response }> {
    let next = new URL(url);
    for (let i = 0; i < 20; i++) {
      if (next.origin !== base) return { url: next };
      const res = await this.fetch(next);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { url: next, res };
      next = new URL(location, next);
      // A portal page (the SPA): the browser would render it.
      if (next.origin === base && !next.pathname.startsWith('/oidc/') && !next.pathname.startsWith('/api/'))
        return { url: next };
    }
    throw new Error('too many redirects');
  }
  async api(method: string, path: string, body?: unknown) {
    return this.fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-csrf-token': this.jar.get('cpe_csrf') ?? '' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}

async function signedIn(p?: Person) {
  const portal = new Client(env.publicApp);
  const person = p ?? (await register(portal, buildPerson()));
  if (p) await register(portal, p);
  expect((await login(portal, person.username, person.password)).statusCode).toBe(200);
  return { portal, person, browser: new Browser(portal) };
}

function authRequest(config: oidc.Configuration, scope = 'openid profile phone', extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  return {
    verifier,
    state,
    nonce,
    url: async () =>
      oidc.buildAuthorizationUrl(config, {
        redirect_uri: `${rpBase}/cb`,
        scope,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...extra,
      }),
  };
}

/** Agrees on the consent page (its API, as the page calls it) and follows on to the system. */
async function consent(browser: Browser, page: URL, decision: 'approve' | 'deny' = 'approve') {
  expect(page.pathname).toMatch(/^\/authorize\//);
  const uid = page.pathname.split('/')[2] as string;
  const details = await browser.api('GET', `/api/oidc/interactions/${uid}/consent`);
  expect(details.status).toBe(200);
  const decided = await browser.api('POST', `/api/oidc/interactions/${uid}/consent`, { decision });
  expect(decided.status).toBe(200);
  return { details: await details.json(), next: await browser.walk((await decided.json()).redirectTo) };
}

/** The whole sign-in of a person already on the portal: authorise (consenting if asked), then code + PKCE. */
async function signInTo(config: oidc.Configuration, browser: Browser, scope?: string) {
  const req = authRequest(config, scope);
  let { url } = await browser.walk(await req.url());
  let consented = false;
  if (url.origin === base) {
    url = (await consent(browser, url)).next.url;
    consented = true;
  }
  expect(url.origin + url.pathname).toBe(`${rpBase}/cb`);
  const tokens = await oidc.authorizationCodeGrant(config, url, {
    pkceCodeVerifier: req.verifier,
    expectedState: req.state,
    expectedNonce: req.nonce,
  });
  return { tokens, consented, callback: url, req };
}

describe('discovery and keys', () => {
  it('publishes the provider under PUBLIC_URL/oidc: code flow only, S256 PKCE, our scopes and claims', async () => {
    const config = await relying(await registerClient());
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(issuer);
    expect(meta.authorization_endpoint).toBe(`${issuer}/auth`);
    expect(meta.response_types_supported).toEqual(['code']);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'phone', 'idcard']));
    expect(meta.backchannel_logout_supported).toBe(true);
    expect(meta.end_session_endpoint).toBe(`${issuer}/session/end`);
    const jwks = (await (await fetch(meta.jwks_uri as string)).json()) as { keys: Array<Record<string, string>> };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const k of jwks.keys) {
      expect(k.alg).toBe('RS256');
      expect(k.d).toBeUndefined();
    }
  });
});

describe('单点登录: a person signed in on the portal', () => {
  it('enters a system without typing anything: consent once, code + PKCE, userinfo by scope, refresh', async () => {
    const config = await relying(await registerClient());
    const { browser, person } = await signedIn();
    const first = await signInTo(config, browser);
    expect(first.consented).toBe(true);
    const claims = first.tokens.claims();
    expect(claims?.iss).toBe(issuer);
    // The ID token carries no personal data: the claims come from userinfo.
    expect(claims?.name).toBeUndefined();
    const info = await oidc.fetchUserInfo(config, first.tokens.access_token, claims?.sub as string);
    expect(info.name).toBe(person.realName);
    // Not a trusted system: the phone masked, and not said to be verified.
    expect(info.phone_number).toBe(maskPhone(person.phone));
    expect(info.phone_number_verified).toBe(false);
    expect(info.id_number).toBeUndefined();
    expect(info.preferred_username).toBeUndefined();

    // The second visit needs neither a password nor consent.
    const second = await signInTo(config, browser);
    expect(second.consented).toBe(false);

    const refreshed = await oidc.refreshTokenGrant(config, first.tokens.refresh_token as string);
    expect(refreshed.access_token).not.toBe(first.tokens.access_token);
    const again = await oidc.fetchUserInfo(config, refreshed.access_token, claims?.sub as string);
    expect(again.sub).toBe(claims?.sub);
    // Each entry into the system is in the audit log.
    const entries = await env.ctx.db
      .select({ action: auditLogs.action })
      .from(auditLogs)
      .where(and(eq(auditLogs.action, 'oidc.authorize'), eq(auditLogs.actorId, claims?.sub as string)));
    expect(entries).toHaveLength(2);
    // Rotated: the old refresh token is spent.
    await expect(oidc.refreshTokenGrant(config, first.tokens.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });
});

/** The consent page's logic after the login page sent the person back: continue the interaction, then decide. */
async function backFromLogin(browser: Browser, page: URL) {
  const uid = page.pathname.split('/')[2] as string;
  const details = await browser.api('GET', `/api/oidc/interactions/${uid}/consent`);
  expect(details.status).toBe(200);
  const { continueTo } = (await details.json()) as { continueTo: string | null };
  expect(continueTo).toBe(`/api/oidc/interactions/${uid}`);
  return browser.walk(`${base}${continueTo}`);
}

async function verifyLogoutToken(token: string, clientId: string) {
  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const { payload } = await jwtVerify(token, jwks, { issuer, audience: clientId });
  expect(payload.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} });
  expect(payload.nonce).toBeUndefined();
  return payload;
}

describe('refused', () => {
  it('a signed-out person is sent to the portal login, and comes back signed in', async () => {
    const config = await relying(await registerClient());
    const browser = new Browser();
    const req = authRequest(config);
    const { url } = await browser.walk(await req.url());
    expect(url.pathname).toBe('/login');
    const back = url.searchParams.get('redirect') as string;
    expect(back).toMatch(/^\/authorize\/[\w-]+$/);
    // Signs in on the portal's login page (the same browser), then the page it was sent to carries on.
    const { portal } = await signedIn();
    for (const [k, v] of portal.cookies) browser.jar.set(k, v);
    const consentPage = (await backFromLogin(browser, new URL(back, base))).url;
    const { next } = await consent(browser, consentPage);
    expect(next.url.origin + next.url.pathname).toBe(`${rpBase}/cb`);
    const tokens = await oidc.authorizationCodeGrant(config, next.url, {
      pkceCodeVerifier: req.verifier,
      expectedState: req.state,
      expectedNonce: req.nonce,
    });
    expect(tokens.access_token).toBeTruthy();
  });

  it('an unknown redirect URI: an error page, and nothing is sent to that address', async () => {
    const config = await relying(await registerClient());
    const { browser } = await signedIn();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${rpBase}/elsewhere`,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      state: oidc.randomState(),
    });
    const res = await browser.fetch(url);
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    const html = await res.text();
    expect(html).toContain('登录回调地址未在平台登记');
    expect(html).toContain('invalid_redirect_uri');
  });

  it('no PKCE: refused (code + PKCE is the only flow)', async () => {
    const config = await relying(await registerClient());
    const { browser } = await signedIn();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: `${rpBase}/cb`, scope: 'openid', state: 'x' });
    const { url: back } = await browser.walk(url);
    expect(back.searchParams.get('error')).toBe('invalid_request');
  });

  it('a wrong PKCE verifier, and a code used twice (which also kills the tokens of its first use)', async () => {
    const config = await relying(await registerClient());
    const { browser } = await signedIn();
    const req = authRequest(config);
    let { url } = await browser.walk(await req.url());
    url = (await consent(browser, url)).next.url;
    await expect(
      oidc.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: oidc.randomPKCECodeVerifier(),
        expectedState: req.state,
        expectedNonce: req.nonce,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });

    const second = authRequest(config);
    const { url: cb } = await browser.walk(await second.url());
    const checks = { pkceCodeVerifier: second.verifier, expectedState: second.state, expectedNonce: second.nonce };
    const tokens = await oidc.authorizationCodeGrant(config, cb, checks);
    await expect(oidc.authorizationCodeGrant(config, cb, checks)).rejects.toMatchObject({ error: 'invalid_grant' });
    // The replay revoked what the code had given.
    await expect(oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()?.sub as string)).rejects.toBeTruthy();
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('an expired refresh token, and one the system revoked', async () => {
    const config = await relying(await registerClient());
    const { browser } = await signedIn();
    const { tokens } = await signInTo(config, browser);
    await oidc.tokenRevocation(config, tokens.refresh_token as string);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });

    const again = await signInTo(config, browser);
    // Kept by its hash, never by the value a system presents.
    const stored = await env.ctx.db
      .select({ id: oidcPayloads.id, payload: oidcPayloads.payload })
      .from(oidcPayloads)
      .where(
        and(eq(oidcPayloads.model, 'RefreshToken'), eq(oidcPayloads.accountId, again.tokens.claims()?.sub as string)),
      );
    expect(stored.length).toBeGreaterThan(0);
    for (const row of stored) {
      expect(row.id).not.toBe(again.tokens.refresh_token);
      expect(JSON.stringify(row.payload)).not.toContain(again.tokens.refresh_token);
    }
    await env.ctx.db
      .update(oidcPayloads)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(
        and(eq(oidcPayloads.model, 'RefreshToken'), eq(oidcPayloads.accountId, again.tokens.claims()?.sub as string)),
      );
    await expect(oidc.refreshTokenGrant(config, again.tokens.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('a system asking a scope it was not granted; idcard for a system not trusted cannot even be registered', async () => {
    const config = await relying(await registerClient({ scopes: ['openid', 'profile'] }));
    const { browser } = await signedIn();
    for (const scope of ['openid phone', 'openid idcard']) {
      const { url } = await browser.walk(await authRequest(config, scope).url());
      expect(url.origin + url.pathname).toBe(`${rpBase}/cb`);
      expect(url.searchParams.get('error')).toBe('invalid_scope');
      expect(url.searchParams.get('code')).toBeNull();
    }
    const refused = await admin.post('/api/oidc-clients', {
      name: '职称评审',
      redirectUris: [`${rpBase}/cb`],
      scopes: ['openid', 'idcard'],
      trusted: false,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().fields.scopes).toContain('只有可信系统');
  });

  it('a disabled system: its requests and its tokens stop at once', async () => {
    const c = await registerClient();
    const config = await relying(c);
    const { browser } = await signedIn();
    const { tokens } = await signInTo(config, browser);
    const list = (await admin.get('/api/oidc-clients')).json() as { items: Array<Record<string, unknown>> };
    const row = list.items.find((i) => i.clientId === c.clientId) as Record<string, unknown>;
    const off = await admin.request('PUT', `/api/oidc-clients/${c.id}`, { ...row, enabled: false });
    expect(off.statusCode, off.body).toBe(200);
    const res = await browser.fetch(await authRequest(config).url());
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('invalid_client');
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({
      status: 401,
    });
  });

  it('the consent API: CSRF header required, and only for the person the request is for', async () => {
    const config = await relying(await registerClient());
    const { browser } = await signedIn();
    const { url } = await browser.walk(await authRequest(config).url());
    const uid = url.pathname.split('/')[2] as string;
    const noHeader = await browser.fetch(`${base}/api/oidc/interactions/${uid}/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve' }),
    });
    expect(noHeader.status).toBe(403);
    expect((await noHeader.json()).code).toBe('CSRF_INVALID');
    // Another browser (no interaction cookie) cannot answer it.
    const { browser: other } = await signedIn();
    const stolen = await other.api('POST', `/api/oidc/interactions/${uid}/consent`, { decision: 'approve' });
    expect(stolen.status).toBe(400);
    expect((await stolen.json()).code).toBe('OIDC_INTERACTION_EXPIRED');
    // 拒绝: the system hears access_denied.
    const { next } = await consent(browser, url, 'deny');
    expect(next.url.searchParams.get('error')).toBe('access_denied');
  });
});

describe('claims by scope and trust', () => {
  it('a trusted system gets the full phone number and the ID document', async () => {
    const config = await relying(
      await registerClient({ name: '职称评审', scopes: ['openid', 'profile', 'phone', 'idcard'], trusted: true }),
    );
    const { browser, person } = await signedIn();
    const { tokens } = await signInTo(config, browser, 'openid profile phone idcard');
    const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()?.sub as string);
    expect(info).toMatchObject({
      name: person.realName,
      phone_number: person.phone,
      phone_number_verified: true,
      id_type: 'idCard',
      id_number: person.idNumber,
    });
  });

  it('openid alone: the subject and nothing else; the secret is taken in the form as well as in Basic', async () => {
    const c = await registerClient();
    const config = await relying(c, 'client_secret_post');
    const { browser } = await signedIn();
    const { tokens } = await signInTo(config, browser, 'openid');
    const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()?.sub as string);
    expect(Object.keys(info)).toEqual(['sub']);
    // A wrong secret is refused either way.
    for (const method of ['client_secret_post', 'client_secret_basic'])
      await expect(
        relying({ ...c, clientSecret: 'not-the-secret' }, method).then((cfg) =>
          oidc.refreshTokenGrant(cfg, tokens.refresh_token as string),
        ),
      ).rejects.toMatchObject({ status: 401 });
  });
});

describe('退出: leaving one system ends the others', () => {
  it('portal logout ends the provider session: each system hears a verified back-channel logout', async () => {
    const a = await registerClient({ name: '培训网' });
    const b = await registerClient({ name: '职称评审' });
    const [configA, configB] = [await relying(a), await relying(b)];
    const { browser, portal } = await signedIn();
    const inA = await signInTo(configA, browser);
    const inB = await signInTo(configB, browser);
    const before = rp.received.length;

    expect((await portal.del('/api/sessions/current')).statusCode).toBe(200);
    await env.ctx.jobs.runDue();
    const tokens = rp.received.slice(before);
    expect(tokens).toHaveLength(2);
    const byAud = new Map<string, string>();
    for (const t of tokens) {
      const aud = JSON.parse(Buffer.from(t.split('.')[1] as string, 'base64url').toString()).aud as string;
      byAud.set(aud, t);
    }
    for (const [client, signIn] of [
      [a, inA],
      [b, inB],
    ] as const) {
      const payload = await verifyLogoutToken(byAud.get(client.clientId) as string, client.clientId);
      expect(payload.sub).toBe(signIn.tokens.claims()?.sub);
      expect(payload.sid).toBe(signIn.tokens.claims()?.sid);
    }
    // Their tokens ended with the session; the next visit goes to the login page.
    await expect(oidc.refreshTokenGrant(configA, inA.tokens.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    const { url } = await browser.walk(await authRequest(configA).url());
    expect(url.pathname).toBe('/login');
  });

  it('a password change ends every provider session of the person', async () => {
    const c = await registerClient();
    const config = await relying(c);
    const { browser, portal, person } = await signedIn();
    const { tokens } = await signInTo(config, browser);
    const before = rp.received.length;
    const changed = await portal.post('/api/me/password', {
      oldPassword: person.password,
      password: 'Changed@2026x',
      confirmPassword: 'Changed@2026x',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    await env.ctx.jobs.runDue();
    expect(rp.received.length).toBe(before + 1);
    await verifyLogoutToken(rp.received[before] as string, c.clientId);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('RP-initiated logout: the confirmation page in Chinese, then the portal and the other systems end too', async () => {
    const a = await registerClient({ name: '培训网' });
    const b = await registerClient({ name: '职称评审' });
    const [configA, configB] = [await relying(a), await relying(b)];
    const { browser } = await signedIn();
    const inA = await signInTo(configA, browser);
    await signInTo(configB, browser);
    const before = rp.received.length;

    const end = oidc.buildEndSessionUrl(configA, {
      id_token_hint: inA.tokens.id_token as string,
      post_logout_redirect_uri: `${rpBase}/bye`,
      state: 'after',
    });
    const page = await browser.fetch(end);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('退出全部系统');
    expect(html).toContain('培训网');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1] as string;
    const action = /action="([^"]+)"/.exec(html)?.[1] as string;
    const confirmed = await browser.fetch(new URL(action, base), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, logout: 'yes' }),
    });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(`${rpBase}/bye?state=after`);
    // The portal session of this browser ended with it.
    expect((await browser.api('GET', '/api/me')).status).toBe(401);
    // Both systems were told (by the provider itself, at once).
    const auds = rp.received
      .slice(before)
      .map((t) => JSON.parse(Buffer.from(t.split('.')[1] as string, 'base64url').toString()).aud);
    expect(auds.sort()).toEqual([a.clientId, b.clientId].sort());
  });
});

describe('another person on the same browser', () => {
  it("the provider follows the portal: the first person's systems are told, the second signs in as themself", async () => {
    const c = await registerClient();
    const config = await relying(c);
    const first = await signedIn();
    const inFirst = await signInTo(config, first.browser);
    // The first person's portal session is gone from this browser without a logout (it ran out, say) and someone
    // else signs in on the portal here.
    const second = await signedIn();
    first.browser.jar.set('cpe_sid', second.portal.cookies.get('cpe_sid') as string);
    first.browser.jar.set('cpe_csrf', second.portal.cookies.get('cpe_csrf') as string);
    const before = rp.received.length;
    const inSecond = await signInTo(config, first.browser);
    expect(inSecond.consented).toBe(true);
    expect(inSecond.tokens.claims()?.sub).not.toBe(inFirst.tokens.claims()?.sub);
    const info = await oidc.fetchUserInfo(
      config,
      inSecond.tokens.access_token,
      inSecond.tokens.claims()?.sub as string,
    );
    expect(info.name).toBe(second.person.realName);
    await env.ctx.jobs.runDue();
    expect(rp.received.length).toBe(before + 1);
    const notice = await verifyLogoutToken(rp.received[before] as string, c.clientId);
    expect(notice.sub).toBe(inFirst.tokens.claims()?.sub);
    await expect(oidc.refreshTokenGrant(config, inFirst.tokens.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });
});

describe('已授权应用', () => {
  it('lists the systems the person agreed to; 撤销授权 ends their tokens and asks for consent again', async () => {
    const c = await registerClient({ name: '重庆人社培训网' });
    const config = await relying(c);
    const { browser, portal } = await signedIn();
    const { tokens } = await signInTo(config, browser);
    const list = await portal.get('/api/me/authorized-apps');
    expect(list.json().items).toEqual([
      expect.objectContaining({ clientId: c.clientId, name: '重庆人社培训网', scopes: ['openid', 'profile', 'phone'] }),
    ]);
    const before = rp.received.length;
    expect((await portal.del(`/api/me/authorized-apps/${c.clientId}`)).statusCode).toBe(200);
    expect((await portal.get('/api/me/authorized-apps')).json().items).toEqual([]);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await env.ctx.jobs.runDue();
    expect(rp.received.length).toBe(before + 1);
    expect((await signInTo(config, browser)).consented).toBe(true);
    expect((await portal.del('/api/me/authorized-apps/unknown-client')).statusCode).toBe(404);
    expect((await new Client(env.publicApp).get('/api/me/authorized-apps')).statusCode).toBe(401);
  });
});

describe('签名密钥', () => {
  it('rotation: new tokens carry the new kid; tokens of the old key still verify until it is removed', async () => {
    const config = await relying(await registerClient());
    const { browser } = await signedIn();
    const first = await signInTo(config, browser);
    const oldKid = decodeProtectedHeader(first.tokens.id_token as string).kid as string;

    const rotated = await admin.post('/api/oidc-keys');
    expect(rotated.statusCode).toBe(200);
    const newKid = rotated.json().kid as string;
    expect(newKid).not.toBe(oldKid);
    const keys = (await admin.get('/api/oidc-keys')).json().items as Array<{ kid: string; active: boolean }>;
    expect(keys[0]).toMatchObject({ kid: newKid, active: true });
    expect(keys.find((k) => k.kid === oldKid)?.active).toBe(false);

    const fresh = await relying(await registerClient());
    const second = await signInTo(fresh, browser);
    expect(decodeProtectedHeader(second.tokens.id_token as string).kid).toBe(newKid);
    const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
    await expect(jwtVerify(first.tokens.id_token as string, jwks, { issuer })).resolves.toBeTruthy();

    expect((await admin.del(`/api/oidc-keys/${newKid}`)).json().code).toBe('OIDC_KEY_IN_USE');
    expect((await admin.del(`/api/oidc-keys/${oldKid}`)).statusCode).toBe(200);
    const published = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: Array<{ kid: string }> };
    expect(published.keys.map((k) => k.kid)).not.toContain(oldKid);
    expect(published.keys.map((k) => k.kid)).toContain(newKid);
  });
});

describe('接入系统 in the console', () => {
  it('系统管理员 only; the secret is shown once and stored encrypted; a logo is re-encoded as PNG', async () => {
    const c = await registerClient();
    const trainer = await staffWith(env, ['training-operator']);
    expect((await trainer.get('/api/oidc-clients')).statusCode).toBe(403);
    expect((await new Client(env.staffApp, 'cpe_staff_csrf').get('/api/oidc-clients')).statusCode).toBe(401);
    const listed = (await admin.get('/api/oidc-clients')).json();
    expect(listed.issuer).toBe(issuer);
    expect(JSON.stringify(listed)).not.toContain(c.clientSecret);
    const [row] = await env.ctx.db
      .execute<{ secret_enc: string }>(sql`select secret_enc from oidc_clients where client_id = ${c.clientId}`)
      .then((r) => r.rows);
    expect(row?.secret_enc).not.toContain(c.clientSecret);

    const upload = multipartFile(
      {},
      { data: await png(300, 200), filename: 'logo.png', type: 'image/png', name: 'logo' },
    );
    const logo = await admin.request('PUT', `/api/oidc-clients/${c.id}/logo`, undefined, upload);
    expect(logo.statusCode, logo.body).toBe(200);
    expect(logo.json().logo).toMatch(/^data:image\/png;base64,/);
    const bad = multipartFile(
      {},
      { data: Buffer.from('<svg/>'), filename: 'x.svg', type: 'image/svg+xml', name: 'logo' },
    );
    expect((await admin.request('PUT', `/api/oidc-clients/${c.id}/logo`, undefined, bad)).statusCode).toBe(400);

    const reset = await admin.post(`/api/oidc-clients/${c.id}/secret`);
    expect(reset.json().clientSecret).not.toBe(c.clientSecret);
    await expect(relying(c).then((cfg) => oidc.refreshTokenGrant(cfg, 'x'))).rejects.toMatchObject({ status: 401 });
    const audited = await env.ctx.db
      .select({ action: auditLogs.action })
      .from(auditLogs)
      .where(and(eq(auditLogs.targetType, 'oidc_client'), eq(auditLogs.targetId, c.clientId)));
    expect(audited.map((a) => a.action)).toEqual(
      expect.arrayContaining(['oidc.client.create', 'oidc.client.update', 'oidc.client.secret.reset']),
    );
    expect((await admin.del(`/api/oidc-clients/${c.id}`)).statusCode).toBe(200);
  });

  it('the staff listener exposes no provider, and the public one no console API', async () => {
    for (const path of ['/oidc/.well-known/openid-configuration', '/oidc/jwks', '/api/oidc/interactions/abc']) {
      const res = await env.staffApp.inject({ url: path });
      expect(res.statusCode, path).toBe(404);
    }
    expect((await env.publicApp.inject({ url: '/api/oidc-clients' })).statusCode).toBe(404);
    expect((await env.publicApp.inject({ url: '/api/oidc-keys' })).statusCode).toBe(404);
  });
});

describe('logs', () => {
  it('hold no code, token, secret or interaction reference', async () => {
    const c = await registerClient();
    const config = await relying(c);
    const { browser } = await signedIn();
    const since = logs.length;
    const { tokens, callback } = await signInTo(config, browser);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token as string);
    await oidc.fetchUserInfo(config, refreshed.access_token, tokens.claims()?.sub as string);
    const written = logs.slice(since);
    expect(written).toContain('/oidc/token');
    const secrets = [
      callback.searchParams.get('code') as string,
      tokens.access_token,
      tokens.refresh_token as string,
      tokens.id_token as string,
      refreshed.access_token,
      refreshed.refresh_token as string,
      c.clientSecret,
      ...[...browser.jar.values()],
    ];
    for (const s of secrets) expect(written).not.toContain(s);
    expect(written).not.toMatch(/\/oidc\/auth\/[\w-]{10,}/);
    expect(written).not.toMatch(/\/api\/oidc\/interactions\/[\w-]{10,}/);
  });
});
