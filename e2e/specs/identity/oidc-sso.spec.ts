import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPage, publicUrl, screenshot, staffUrl, VIEWPORTS } from '../../browser.js';
import { portalLogin, staffLogin, staffLoginByApi } from '../../session.js';

const LEARNER = { username: 'zhangsan', password: 'Demo@2026' };
const ADMIN = { username: 'admin', password: 'Admin@2026' };

/**
 * A demo relying party (another system, e.g. 重庆人社培训网) in a few lines: /login sends the browser to our provider,
 * /cb finishes code + PKCE and shows who signed in, /backchannel takes the provider's logout notice (verified
 * against the JWKS) and ends its session.
 */
function demoSystem() {
  let config: oidc.Configuration;
  let pending: { verifier: string; state: string; nonce: string } | undefined;
  const state = {
    session: null as null | { sid: string; name: string; idToken: string },
    logouts: [] as Record<string, unknown>[],
  };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', base());
    const html = (body: string) =>
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<!doctype html><h1>示例接入系统</h1>${body}`);
    if (url.pathname === '/login') {
      pending = { verifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce() };
      const to = oidc.buildAuthorizationUrl(config, {
        redirect_uri: `${base()}/cb`,
        scope: 'openid profile phone',
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      res.writeHead(302, { location: to.href }).end();
    } else if (url.pathname === '/cb' && pending) {
      const tokens = await oidc.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
      });
      const claims = tokens.claims() as unknown as { sub: string; sid: string };
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      state.session = { sid: claims.sid, name: String(info.name), idToken: tokens.id_token as string };
      html(`<p>欢迎您，${info.name}（${info.phone_number}）</p>`);
    } else if (url.pathname === '/logout' && state.session) {
      // RP-initiated logout: the provider asks the person, then comes back here.
      const to = oidc.buildEndSessionUrl(config, {
        id_token_hint: state.session.idToken,
        post_logout_redirect_uri: `${base()}/`,
      });
      state.session = null;
      res.writeHead(302, { location: to.href }).end();
    } else if (url.pathname === '/backchannel' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const token = new URLSearchParams(body).get('logout_token') ?? '';
      const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri as string));
      const { payload } = await jwtVerify(token, jwks, { issuer: config.serverMetadata().issuer, audience: clientId });
      state.logouts.push(payload);
      if (state.session?.sid === payload.sid) state.session = null;
      res.writeHead(200).end();
    } else html(state.session ? `<p>已登录：${state.session.name}</p>` : '<p>未登录</p>');
  });
  let clientId = '';
  const base = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    state,
    base,
    async connect(id: string, secret: string) {
      clientId = id;
      config = await oidc.discovery(new URL(`${publicUrl()}/oidc`), id, secret, oidc.ClientSecretBasic(secret), {
        execute: [oidc.allowInsecureRequests],
      });
    },
  };
}

const system = demoSystem();

beforeAll(async () => {
  await new Promise<void>((resolve) => system.server.listen(0, '127.0.0.1', resolve));
  // 系统管理 → 接入系统: the system administrator registers it (as the console does, through its API).
  const admin = await staffLoginByApi(ADMIN.username, ADMIN.password);
  const created = await admin.ok<{ clientId: string; clientSecret: string }>('POST', '/api/oidc-clients', {
    name: '重庆人社培训网',
    redirectUris: [`${system.base()}/cb`],
    postLogoutRedirectUris: [`${system.base()}/`],
    backchannelLogoutUri: `${system.base()}/backchannel`,
    scopes: ['openid', 'profile', 'phone'],
    trusted: false,
    enabled: true,
  });
  await system.connect(created.clientId, created.clientSecret);
});
afterAll(async () => {
  await new Promise((resolve) => system.server.close(resolve));
});

describe('单点登录 (统一认证中心 as an OpenID provider)', () => {
  it('zhangsan, signed in on the portal, enters the system without a password; portal logout ends it there', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await portalLogin(page, LEARNER.username, LEARNER.password);
    const visited: string[] = [];
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) visited.push(f.url());
    });

    await page.goto(`${system.base()}/login`);
    // The first time only: what the system will receive, to agree to.
    await page.getByRole('heading', { name: /重庆人社培训网.*申请使用您的/ }).waitFor();
    await page.getByText('手机号码（部分隐藏）').waitFor();
    await screenshot(page, 'oidc-sso-1-consent');
    await page.getByRole('button', { name: /同意授权/ }).click();
    await page.getByText(/欢迎您，张三（1\d\d\*\*\*\*\d{4}）/).waitFor();
    await screenshot(page, 'oidc-sso-2-system-signed-in');
    expect(visited.some((u) => new URL(u).pathname === '/login' && u.startsWith(publicUrl()))).toBe(false);

    // Again: straight through, no consent.
    visited.length = 0;
    await page.goto(`${system.base()}/login`);
    await page.getByText('欢迎您，张三').waitFor();
    expect(visited.some((u) => u.includes('/authorize/'))).toBe(false);

    // 个人中心 → 已授权应用 lists it.
    await page.goto(`${publicUrl()}/me#authorized-apps`);
    const card = page.locator('#authorized-apps');
    await card.getByText('重庆人社培训网').waitFor();
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'oidc-sso-3-authorized-apps');

    // 退出登录 on the portal: the system hears it (back-channel logout) and its session ends.
    const sid = system.state.session?.sid;
    expect(sid).toBeTruthy();
    await page.getByRole('button', { name: /退出登录/ }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/me'));
    for (let i = 0; i < 50 && system.state.session; i++) await new Promise((r) => setTimeout(r, 100));
    expect(system.state.session).toBeNull();
    expect(system.state.logouts.at(-1)?.sid).toBe(sid);
    await page.goto(system.base());
    await page.getByText('未登录').waitFor();

    // Signed out everywhere: the next visit asks for the portal login.
    await page.goto(`${system.base()}/login`);
    await page.waitForURL(/\/login\?redirect=%2Fauthorize%2F/);
    await page.context().close();
  });

  it('leaving from the system (RP-initiated logout) ends the portal session too', async () => {
    const page = await newPage(VIEWPORTS.phone);
    await portalLogin(page, LEARNER.username, LEARNER.password);
    await page.goto(`${system.base()}/login`);
    await page.getByText('欢迎您，张三').waitFor();
    await page.goto(`${system.base()}/logout`);
    await page.getByRole('heading', { name: '退出登录' }).waitFor();
    await screenshot(page, 'oidc-sso-5-logout-confirm');
    await page.getByRole('button', { name: '退出全部系统' }).click();
    await page.waitForURL(`${system.base()}/`);
    await page.getByText('未登录').waitFor();
    const me = await page.request.get(`${publicUrl()}/api/me`);
    expect(me.status()).toBe(401);
    await page.context().close();
  });

  it('系统管理 → 接入系统 lists the system and the signing keys', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await staffLogin(page, ADMIN.username, ADMIN.password);
    await page.goto(`${staffUrl()}/oidc-clients`);
    await page.getByRole('menuitem', { name: '接入系统' }).waitFor();
    await page.getByRole('cell', { name: /重庆人社培训网/ }).waitFor();
    await page.getByText('正在签名').waitFor();
    await page.getByText(`${publicUrl()}/oidc`, { exact: true }).waitFor();
    await screenshot(page, 'oidc-sso-4-console-clients');
    await page.getByRole('button', { name: /新增接入系统/ }).click();
    await page.getByRole('dialog').getByText('登录回调地址（redirect_uri，每行一个）').waitFor();
    await screenshot(page, 'oidc-sso-6-console-new-client');
    await page.context().close();
  });
});
