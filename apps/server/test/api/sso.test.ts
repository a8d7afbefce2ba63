import { PassThrough } from 'node:stream';
import { maskIdNumber } from '@cpe/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loginProviders } from '../../src/db/schema/index.js';
import {
  basicBody,
  buildPerson,
  imageCaptcha,
  lastSmsCode,
  login,
  outbox,
  register,
  sliderToken,
} from '../factories.js';
import { Client, createTestEnv } from '../harness.js';
import { staffWith } from '../purchase-factories.js';
import {
  type Claims,
  ProviderBrowser,
  startMisbehavingIssuer,
  startOidcProvider,
  startWechatStandin,
} from '../sso-providers.js';
import { approvedUnit } from '../units-factories.js';

// Everything this file logs is kept: the last test checks that no code, state or token reached the logs.
const stream = new PassThrough();
let logs = '';
stream.on('data', (d) => {
  logs += d;
});
const env = await createTestEnv({}, undefined, { level: 'info', stream });
const secrets: string[] = [];

const callbackOf = (id: string) => `${env.ctx.config.publicUrl}/api/sso/${id}/callback`;
const audits = async (action: string) =>
  (await env.ctx.audit.latest(env.ctx.db, 500)).filter((a) => a.action === action);

let admin: Client;
beforeAll(async () => {
  admin = await staffWith(env, ['sysadmin']);
});

async function addProvider(body: Record<string, unknown>) {
  const res = await admin.post('/api/login-providers', {
    icon: 'gov',
    scopes: 'openid profile idcard corp',
    enabled: true,
    sortOrder: 10,
    ...body,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** The browser clicks the provider's icon: our start answers with a redirect to the provider. */
async function start(c: Client, id: string, redirect = '/me') {
  const res = await c.get(`/api/sso/${id}/start?redirect=${encodeURIComponent(redirect)}`);
  expect(res.statusCode, res.body).toBe(302);
  return res.headers.location as string;
}

/** The provider sent the browser back: our callback opened with that URL's path and query. */
async function back(c: Client, url: string) {
  const u = new URL(url);
  for (const k of ['code', 'state']) {
    const v = u.searchParams.get(k);
    if (v) secrets.push(v);
  }
  return c.get(`${u.pathname}${u.search}`);
}

/** The whole round trip in one browser: start, the provider's sign-in page, the callback. */
async function roundTrip(c: Client, id: string, redirect = '/me') {
  const url = await new ProviderBrowser().untilBack(await start(c, id, redirect), callbackOf(id));
  return { url, res: await back(c, url) };
}

const location = (res: { headers: Record<string, unknown> }) => res.headers.location as string;
const ssoError = (res: { headers: Record<string, unknown> }) =>
  new URL(location(res), 'http://x').searchParams.get('sso_error');

async function linkWithPassword(c: Client, body: Record<string, unknown>) {
  return c.post('/api/sso/pending/password', { ...body, sliderToken: await sliderToken(c) });
}

describe('系统管理 → 第三方登录 (staff)', () => {
  const body = {
    id: 'probe',
    name: '测试认证',
    type: 'oidc',
    icon: 'gov',
    issuer: 'https://id.example.gov.cn',
    clientId: 'cpe',
    clientSecret: 's3cret-value',
    scopes: 'openid profile',
    enabled: false,
  };

  it('answers 401 without a staff login, 403 to staff other than 系统管理员, and exists only on the staff listener', async () => {
    const anon = new Client(env.staffApp, 'cpe_staff_csrf');
    expect((await anon.get('/api/login-providers')).statusCode).toBe(401);
    expect((await anon.post('/api/login-providers', body)).statusCode).toBe(401);
    expect((await anon.request('PUT', '/api/login-providers/probe', body)).statusCode).toBe(401);
    expect((await anon.del('/api/login-providers/probe')).statusCode).toBe(401);
    const operator = await staffWith(env, ['training-operator']);
    const denied = await operator.post('/api/login-providers', body);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().message).toBe('仅系统管理员可以配置第三方登录');
    expect((await operator.get('/api/login-providers')).statusCode).toBe(403);
    expect((await new Client(env.publicApp).post('/api/login-providers', body)).statusCode).toBe(404);
  });

  it('answers 400 naming the field', async () => {
    const noIssuer = await admin.post('/api/login-providers', { ...body, issuer: '' });
    expect(noIssuer.statusCode).toBe(400);
    expect(noIssuer.json().fields.issuer).toBe('请输入 Issuer（发行方地址）');
    const badId = await admin.post('/api/login-providers', { ...body, id: 'Bad Id' });
    expect(badId.json().fields.id).toBe('标识为2-32位小写字母、数字或连字符，以字母开头');
    const noOpenid = await admin.post('/api/login-providers', { ...body, scopes: 'profile' });
    expect(noOpenid.json().fields.scopes).toBe('OpenID Connect 的 scope 须包含 openid');
    const badUrl = await admin.post('/api/login-providers', { ...body, issuer: 'ftp://x' });
    expect(badUrl.json().fields.issuer).toMatch(/网址/);
    const noSecret = await admin.post('/api/login-providers', { ...body, clientSecret: '' });
    expect(noSecret.json().fields.clientSecret).toBe('请输入 Client Secret / AppSecret');
  });

  it('keeps the secret encrypted and write-only; a disabled provider is not on the login page; changes are audited', async () => {
    const created = await admin.post('/api/login-providers', body);
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json()).toMatchObject({ id: 'probe', hasSecret: true, callbackUrl: callbackOf('probe') });
    expect(created.body).not.toContain('s3cret-value');
    const stored = await env.ctx.db.select().from(loginProviders).where(eq(loginProviders.id, 'probe'));
    expect(stored[0]?.clientSecretEnc).toMatch(/^v1\./);
    expect(JSON.stringify(stored)).not.toContain('s3cret-value');
    expect((await admin.post('/api/login-providers', body)).json().fields.id).toBe('该标识已被使用');

    const icons = async () => (await new Client(env.publicApp).get('/api/login-providers')).json().items;
    expect(await icons()).not.toContainEqual(expect.objectContaining({ id: 'probe' }));
    const { clientSecret: _omit, id: _id, ...rest } = body;
    const enabled = await admin.request('PUT', '/api/login-providers/probe', {
      ...rest,
      enabled: true,
      clientSecret: '',
    });
    expect(enabled.statusCode, enabled.body).toBe(200);
    expect(enabled.json().hasSecret).toBe(true);
    expect(await icons()).toContainEqual({ id: 'probe', name: '测试认证', icon: 'gov', type: 'oidc', signerUrl: null });

    // 测试连接 to a provider that does not exist says why, without throwing.
    const check = await admin.post('/api/login-providers/probe/check');
    expect(check.statusCode).toBe(200);
    expect(check.json().ok).toBe(false);

    expect((await admin.del('/api/login-providers/probe')).statusCode).toBe(200);
    expect(await icons()).not.toContainEqual(expect.objectContaining({ id: 'probe' }));
    expect((await admin.del('/api/login-providers/probe')).statusCode).toBe(404);
    for (const action of ['login-provider.create', 'login-provider.update', 'login-provider.delete'])
      expect((await audits(action)).length, action).toBeGreaterThan(0);
  });
});

describe('政务服务网 through a real OpenID Connect provider', () => {
  const person = buildPerson();
  const newcomer = buildPerson();
  const smsPerson = buildPerson();
  const accounts: Record<string, Claims> = {
    'gov-person': { name: person.realName, id_card: person.idNumber },
    'gov-newcomer': { name: newcomer.realName, id_card: newcomer.idNumber },
    'gov-sms': { name: smsPerson.realName, id_card: smsPerson.idNumber },
    'gov-unknown-corp': { name: '某某', uscc: '91500000MA5U000000' },
  };
  let op: Awaited<ReturnType<typeof startOidcProvider>>;

  beforeAll(async () => {
    op = await startOidcProvider({
      clientId: 'cpe-portal',
      clientSecret: 'op-secret',
      redirectUri: callbackOf('zwfw'),
      accounts,
    });
    await addProvider({
      id: 'zwfw',
      name: '重庆市政务服务网',
      type: 'oidc',
      issuer: op.issuer,
      clientId: 'cpe-portal',
      clientSecret: 'op-secret',
      idNumberClaim: 'id_card',
      nameClaim: 'name',
      usccClaim: 'uscc',
    });
    await register(new Client(env.publicApp), person);
    await register(new Client(env.publicApp), smsPerson);
  });
  afterAll(() => op.close());

  it('测试连接 reads the discovery document', async () => {
    const check = await admin.post('/api/login-providers/zwfw/check');
    expect(check.json()).toEqual({ ok: true, message: `连接成功：${op.issuer}` });
  });

  it('first time: the verified 身份证号码 finds the account, the password confirms the link; later logins go straight in', async () => {
    op.signInAs('gov-person');
    const c = new Client(env.publicApp);
    const providerUrl = await start(c, 'zwfw', '/orders');
    // Authorization code with PKCE (S256), state and nonce, to the provider's discovered endpoint.
    const authorize = new URL(providerUrl);
    expect(authorize.origin).toBe(op.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('state')).toMatch(/^[0-9a-f]{32}$/);
    expect(c.cookies.get('cpe_sso')).toBeTruthy();

    const url = await new ProviderBrowser().untilBack(providerUrl, callbackOf('zwfw'));
    const first = await back(c, url);
    expect(first.statusCode).toBe(302);
    expect(location(first)).toBe('/login/link');
    expect(c.cookies.has('cpe_sid')).toBe(false);

    const pending = await c.get('/api/sso/pending');
    expect(pending.statusCode, pending.body).toBe(200);
    expect(pending.json()).toMatchObject({
      provider: { id: 'zwfw', name: '重庆市政务服务网', icon: 'gov' },
      mode: 'link',
      account: { realNameMasked: `**${person.realName.slice(-1)}`, idNumberMasked: maskIdNumber(person.idNumber) },
      identity: null,
    });
    expect(pending.body).not.toContain(person.idNumber);

    const wrong = await linkWithPassword(c, { password: 'Wrong-Passw0rd' });
    expect(wrong.json().code).toBe('LOGIN_FAILED');
    const linked = await linkWithPassword(c, { password: person.password });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({ me: { username: person.username }, redirect: '/orders' });
    expect((await c.get('/api/me')).json().username).toBe(person.username);
    const link = (await audits('sso.link')).find((a) => a.targetId === 'zwfw');
    expect(link?.summary).toEqual({ provider: '重庆市政务服务网', confirmedBy: 'password' });

    // Another browser, later: straight in, to where the person was going.
    const later = new Client(env.publicApp);
    const again = (await roundTrip(later, 'zwfw', '/orders')).res;
    expect(again.statusCode).toBe(302);
    expect(location(again)).toBe('/orders');
    expect(later.cookies.get('cpe_sid')).toBeTruthy();
    const me = await later.get('/api/me');
    expect(me.json().username).toBe(person.username);
    // The same kind of session as a password login: the CSRF token follows it and logout ends it.
    expect((await later.del('/api/sessions/current')).statusCode).toBe(200);
    expect((await later.get('/api/me')).statusCode).toBe(401);
    const logins = (await audits('public.login')).filter(
      (a) => (a.summary as { provider?: string }).provider === 'zwfw',
    );
    expect(logins[0]?.summary).toEqual({ method: 'oidc', provider: 'zwfw' });
  });

  it('refuses a callback whose state was altered, or opened in another browser', async () => {
    op.signInAs('gov-person');
    const c = new Client(env.publicApp);
    const url = new URL(await new ProviderBrowser().untilBack(await start(c, 'zwfw'), callbackOf('zwfw')));
    const altered = new URL(url);
    altered.searchParams.set('state', 'f'.repeat(32));
    const res = await back(c, altered.href);
    expect(res.statusCode).toBe(302);
    expect(ssoError(res)).toBe('SSO_STATE_INVALID');
    expect(c.cookies.has('cpe_sid')).toBe(false);

    // Login CSRF: someone's genuine code and state, planted in a victim's browser.
    const attacker = new Client(env.publicApp);
    const planted = await new ProviderBrowser().untilBack(await start(attacker, 'zwfw'), callbackOf('zwfw'));
    const victim = new Client(env.publicApp);
    const refused = await back(victim, planted);
    expect(ssoError(refused)).toBe('SSO_STATE_INVALID');
    expect(victim.cookies.has('cpe_sid')).toBe(false);
    expect((await audits('sso.login.refused')).length).toBeGreaterThan(0);
  });

  it('refuses a replayed code: the same callback twice, and the old code with a new state', async () => {
    op.signInAs('gov-person');
    const c = new Client(env.publicApp);
    const { url, res } = await roundTrip(c, 'zwfw');
    expect(location(res)).toBe('/me');
    const replay = await back(new Client(env.publicApp), url);
    expect(ssoError(replay)).toBe('SSO_STATE_INVALID');
    const again = await back(c, url);
    expect(ssoError(again)).toBe('SSO_STATE_INVALID');

    // A new round trip's state with the spent code: the provider refuses it (and PKCE binds it to the old verifier).
    const fresh = new URL(await start(c, 'zwfw'));
    const forged = new URL(url);
    forged.searchParams.set('state', fresh.searchParams.get('state') as string);
    const refused = await back(c, forged.href);
    expect(ssoError(refused)).toBe('SSO_FAILED');
  });

  it('no account with the verified number: registration opens prefilled, 实名认证 runs, and the link is made', async () => {
    op.signInAs('gov-newcomer');
    const c = new Client(env.publicApp);
    const { res } = await roundTrip(c, 'zwfw');
    expect(location(res)).toBe('/register?sso=1');
    const pending = (await c.get('/api/sso/pending')).json();
    expect(pending).toMatchObject({
      mode: 'register',
      account: null,
      identity: { realName: newcomer.realName, idType: 'idCard', idNumber: newcomer.idNumber },
    });
    // Linking is not offered: no account holds the number.
    expect((await linkWithPassword(c, { password: 'x' })).json().code).toBe('SSO_PENDING_EXPIRED');

    await c.post('/api/sms-codes', { phone: newcomer.phone, purpose: 'register', ...(await imageCaptcha(c)) });
    const smsCode = await lastSmsCode(c, newcomer.phone);
    // The name and number typed are not what counts: the provider's verified ones are.
    const started = await c.post('/api/registrations', {
      username: newcomer.username,
      password: newcomer.password,
      confirmPassword: newcomer.password,
      realName: '别人',
      idType: 'idCard',
      idNumber: person.idNumber,
      phone: newcomer.phone,
      smsCode,
      agree: true,
      sso: true,
    });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json()).toMatchObject({
      realName: newcomer.realName,
      idNumberMasked: maskIdNumber(newcomer.idNumber),
    });
    const locked = await c.post('/api/registrations/identity', {
      token: started.json().token,
      realName: '别人',
      idType: 'idCard',
      idNumber: newcomer.idNumber,
    });
    expect(locked.json().code).toBe('SSO_IDENTITY_LOCKED');
    const done = await c.post('/api/registrations/complete', { token: started.json().token });
    expect(done.statusCode, done.body).toBe(200);

    const later = new Client(env.publicApp);
    const straight = (await roundTrip(later, 'zwfw')).res;
    expect(location(straight)).toBe('/me');
    expect((await later.get('/api/me')).json().username).toBe(newcomer.username);
  });

  it('confirms the link with an SMS code sent to the account’s own phone', async () => {
    op.signInAs('gov-sms');
    const c = new Client(env.publicApp);
    expect(location((await roundTrip(c, 'zwfw')).res)).toBe('/login/link');
    expect((await c.get('/api/sso/pending')).json().account.phoneMasked).toBe(
      `${smsPerson.phone.slice(0, 3)}****${smsPerson.phone.slice(-4)}`,
    );
    const sent = await c.post('/api/sso/pending/sms-codes', await imageCaptcha(c));
    expect(sent.statusCode, sent.body).toBe(200);
    const [sms] = await outbox(c, `kind=sms&to=${smsPerson.phone}`);
    expect(sms?.purpose).toBe('sso-link');
    const bad = await c.post('/api/sso/pending/sms', { smsCode: '000000' === sms?.code ? '111111' : '000000' });
    expect(bad.json().code).toBe('SMS_CODE_INVALID');
    const linked = await c.post('/api/sso/pending/sms', { smsCode: sms?.code });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json().me.username).toBe(smsPerson.username);
    expect((await audits('sso.link')).some((a) => (a.summary as { confirmedBy?: string }).confirmedBy === 'sms')).toBe(
      true,
    );
  });

  it('a 统一社会信用代码 claim signs in as that unit’s administrator; an unknown one is refused', async () => {
    const { a, data } = await approvedUnit(env);
    accounts['gov-corp'] = { name: '法定代表人', uscc: data.uscc };
    op.signInAs('gov-corp');
    const c = new Client(env.publicApp);
    const res = (await roundTrip(c, 'zwfw', '/unit-center')).res;
    expect(location(res)).toBe('/unit-center');
    expect((await c.get('/api/me')).json().username).toBe(a.p.username);
    const entry = (await audits('public.login')).find((x) => (x.summary as { as?: string }).as === 'legal');
    expect(entry?.summary).toEqual({ method: 'oidc', provider: 'zwfw', as: 'legal' });

    op.signInAs('gov-unknown-corp');
    const nobody = new Client(env.publicApp);
    expect(ssoError((await roundTrip(nobody, 'zwfw')).res)).toBe('SSO_UNIT_NOT_FOUND');
  });

  it('drops a pending link after 5 wrong passwords', async () => {
    const victim = await register(new Client(env.publicApp), buildPerson());
    accounts['gov-guessed'] = { name: victim.realName, id_card: victim.idNumber };
    op.signInAs('gov-guessed');
    const c = new Client(env.publicApp);
    expect(location((await roundTrip(c, 'zwfw')).res)).toBe('/login/link');
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push((await linkWithPassword(c, { password: `Wrong-Passw0rd${i}` })).json().code);
    expect(codes.slice(0, 4)).toEqual(['LOGIN_FAILED', 'LOGIN_FAILED', 'LOGIN_FAILED', 'LOGIN_FAILED']);
    expect(codes[4]).toBe('SSO_LINK_TOO_MANY');
    expect((await c.get('/api/sso/pending')).json().code).toBe('SSO_PENDING_EXPIRED');
    expect((await linkWithPassword(c, { password: victim.password })).json().code).toBe('SSO_PENDING_EXPIRED');
  });

  it('个人中心 lists the linked providers and unlinks one (audited); 401 without login; 404 when not linked', async () => {
    const anon = new Client(env.publicApp);
    expect((await anon.get('/api/me/logins')).statusCode).toBe(401);
    expect((await anon.del('/api/me/logins/zwfw')).statusCode).toBe(401);

    const owner = await register(new Client(env.publicApp), buildPerson());
    accounts['gov-owner'] = { name: owner.realName, id_card: owner.idNumber };
    op.signInAs('gov-owner');
    const c = new Client(env.publicApp);
    expect(location((await roundTrip(c, 'zwfw')).res)).toBe('/login/link');
    expect((await linkWithPassword(c, { password: owner.password })).statusCode).toBe(200);
    const list = await c.get('/api/me/logins');
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({
        providerId: 'zwfw',
        name: '重庆市政务服务网',
        icon: 'gov',
        lastLoginAt: expect.any(String),
      }),
    ]);
    expect((await c.request('DELETE', '/api/me/logins/zwfw', undefined, { csrf: false })).statusCode).toBe(403);
    expect((await c.del('/api/me/logins/zwfw')).statusCode).toBe(200);
    expect((await c.get('/api/me/logins')).json().items).toEqual([]);
    const missing = await c.del('/api/me/logins/zwfw');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('SSO_NOT_LINKED');
    expect((await c.del('/api/me/logins/Bad!')).statusCode).toBe(400);
    const me = (await c.get('/api/me')).json();
    expect((await audits('sso.unlink')).some((a) => a.targetId === 'zwfw' && a.actorId === me.id)).toBe(true);
    // Unlinked: the next login through the provider asks to link again.
    expect(location((await roundTrip(new Client(env.publicApp), 'zwfw')).res)).toBe('/login/link');
  });

  it('provider down: the start sends the browser back with a clear message, and the password form still works', async () => {
    const down = await startOidcProvider({
      clientId: 'cpe-portal',
      clientSecret: 'op-secret',
      redirectUri: callbackOf('zwfw-down'),
      accounts,
    });
    await addProvider({
      id: 'zwfw-down',
      name: '备用政务服务网',
      type: 'oidc',
      issuer: down.issuer,
      clientId: 'cpe-portal',
      clientSecret: 'op-secret',
      idNumberClaim: 'id_card',
      nameClaim: 'name',
    });
    // Up when the browser left, down when it comes back: the code cannot be exchanged.
    down.signInAs('gov-person');
    const c = new Client(env.publicApp);
    const url = await new ProviderBrowser().untilBack(await start(c, 'zwfw-down'), callbackOf('zwfw-down'));
    await down.close();
    const late = await back(c, url);
    expect(ssoError(late)).toBe('SSO_PROVIDER_UNAVAILABLE');

    const res = await c.get('/api/sso/zwfw-down/start?redirect=%2Forders');
    expect(res.statusCode).toBe(302);
    expect(location(res)).toBe('/login?sso_error=SSO_PROVIDER_UNAVAILABLE&redirect=%2Forders');
    const check = await admin.post('/api/login-providers/zwfw-down/check');
    expect(check.json().ok).toBe(false);
    expect((await login(c, person.username, person.password)).statusCode).toBe(200);
  });

  it('stays on this site, and the pending link belongs to the browser that came back with it (cookie + CSRF)', async () => {
    op.signInAs('gov-person');
    const c = new Client(env.publicApp);
    // gov-person is linked (first test or not, a link or a pending link): either way the target is ours.
    const { res } = await roundTrip(c, 'zwfw', '//evil.example/steal');
    expect(['/', '/login/link']).toContain(location(res));

    const stranger = new Client(env.publicApp);
    const noCookie = await stranger.get('/api/sso/pending');
    expect(noCookie.statusCode).toBe(400);
    expect(noCookie.json().code).toBe('SSO_PENDING_EXPIRED');
    expect((await linkWithPassword(stranger, { password: 'x' })).json().code).toBe('SSO_PENDING_EXPIRED');
    const registration = await stranger.post('/api/registrations', {
      ...basicBody(buildPerson(), '123456'),
      sso: true,
    });
    expect(registration.json().code).toBe('SSO_PENDING_EXPIRED');

    accounts['gov-csrf'] = { name: '某人', id_card: buildPerson().idNumber };
    op.signInAs('gov-csrf');
    const d = new Client(env.publicApp);
    expect(location((await roundTrip(d, 'zwfw')).res)).toBe('/register?sso=1');
    const noCsrf = await d.request(
      'POST',
      '/api/sso/pending/password',
      { password: 'x', sliderToken: 'y' },
      { csrf: false },
    );
    expect(noCsrf.statusCode).toBe(403);
    expect((await d.request('DELETE', '/api/sso/pending', undefined, { csrf: false })).statusCode).toBe(403);
    expect((await d.del('/api/sso/pending')).statusCode).toBe(200);
    expect((await d.get('/api/sso/pending')).json().code).toBe('SSO_PENDING_EXPIRED');
  });

  it('a provider that is not configured or not enabled is refused with a message', async () => {
    const res = await new Client(env.publicApp).get('/api/sso/nosuch/start');
    expect(location(res)).toBe('/login?sso_error=SSO_PROVIDER_NOT_FOUND');
  });
});

describe('ID tokens that must be refused (a misbehaving issuer)', () => {
  const person = buildPerson();
  let odd: Awaited<ReturnType<typeof startMisbehavingIssuer>>;
  beforeAll(async () => {
    odd = await startMisbehavingIssuer({
      clientId: 'cpe-odd',
      clientSecret: 'odd-secret',
      claims: { name: person.realName, idno: person.idNumber },
    });
    await addProvider({
      id: 'odd',
      name: '电子营业执照',
      type: 'oidc',
      icon: 'e-license',
      scopes: 'openid',
      issuer: odd.issuer,
      clientId: 'cpe-odd',
      clientSecret: 'odd-secret',
      idNumberClaim: 'idno',
      nameClaim: 'name',
    });
  });
  afterAll(() => odd.close());

  /** The issuer's /authorize answers at once with a redirect back to us. */
  async function trip(mode: typeof odd.control.mode) {
    odd.control.mode = mode;
    const c = new Client(env.publicApp);
    const toProvider = await start(c, 'odd');
    const res = await fetch(toProvider, { redirect: 'manual' });
    return back(c, res.headers.get('location') as string);
  }

  it('accepts a good one (the client authenticates with client_secret_post, as the issuer asks)', async () => {
    expect(location(await trip('ok'))).toBe('/register?sso=1');
  });

  it('refuses a wrong nonce, an expired token, another audience and a token signed by a key the issuer does not publish', async () => {
    expect(ssoError(await trip('wrong-nonce'))).toBe('SSO_FAILED');
    expect(ssoError(await trip('expired'))).toBe('SSO_FAILED');
    expect(ssoError(await trip('wrong-audience'))).toBe('SSO_FAILED');
    expect(ssoError(await trip('other-key'))).toBe('SSO_FAILED');
    const reasons = (await audits('sso.login.refused')).map((a) => (a.summary as { reason: string }).reason);
    expect(reasons.slice(0, 4)).toEqual([
      expect.stringContaining('JWT signature verification failed'),
      expect.stringContaining('unexpected JWT "aud" (audience) claim value'),
      expect.stringContaining('expiration is past current timestamp'),
      expect.stringContaining('unexpected ID Token "nonce" claim value'),
    ]);
  });

  it('calls a token endpoint answering 503 unavailable', async () => {
    expect(ssoError(await trip('server-error'))).toBe('SSO_PROVIDER_UNAVAILABLE');
  });

  it('follows a key rotation: a token under a new key is verified after the JWKS is fetched again', async () => {
    expect(location(await trip('ok'))).toBe('/register?sso=1');
    await odd.rotate('a2');
    // openid-client fetches a JWKS again for an unknown key once the cached one is a minute old.
    vi.setSystemTime(Date.now() + 61_000);
    try {
      expect(location(await trip('ok'))).toBe('/register?sso=1');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('微信 through a stand-in of WeChat’s 网站应用 login', () => {
  const person = buildPerson();
  let wx: Awaited<ReturnType<typeof startWechatStandin>>;
  beforeAll(async () => {
    wx = await startWechatStandin({ wxtest0000000001: 'wx-secret' });
    await addProvider({
      id: 'wx',
      name: '微信',
      type: 'wechat',
      icon: 'wechat',
      scopes: 'snsapi_login',
      openBaseUrl: wx.base,
      apiBaseUrl: wx.base,
      clientId: 'wxtest0000000001',
      clientSecret: 'wx-secret',
    });
    await register(new Client(env.publicApp), person);
  });
  afterAll(() => wx.close());

  /** The QR page, then the phone's 确认登录 as `nickname` (or its refusal): WeChat's redirect back to us. */
  async function scan(c: Client, nickname: string, deny = false) {
    const toWechat = new URL(await start(c, 'wx'));
    expect(toWechat.pathname).toBe('/connect/qrconnect');
    expect(toWechat.hash).toBe('#wechat_redirect');
    expect(toWechat.searchParams.get('scope')).toBe('snsapi_login');
    const page = await fetch(toWechat);
    expect(await page.text()).toContain('微信登录');
    const confirm = new URL('/connect/confirm', wx.base);
    for (const k of ['appid', 'redirect_uri', 'state']) confirm.searchParams.set(k, toWechat.searchParams.get(k) ?? '');
    confirm.searchParams.set('nickname', nickname);
    if (deny) confirm.searchParams.set('deny', '1');
    const res = await fetch(confirm, { redirect: 'manual' });
    return res.headers.get('location') as string;
  }

  it('answers like WeChat: errcode for a bad code, AppID or AppSecret', async () => {
    const api = (q: string) => fetch(`${wx.base}/sns/oauth2/access_token?${q}`).then((r) => r.json());
    expect(await api('appid=wxtest0000000001&secret=wx-secret&code=nope&grant_type=authorization_code')).toEqual({
      errcode: 40029,
      errmsg: 'invalid code',
    });
    expect((await api('appid=wxnobody&secret=x&code=y&grant_type=authorization_code')).errcode).toBe(40013);
    expect((await api('appid=wxtest0000000001&secret=bad&code=y&grant_type=authorization_code')).errcode).toBe(40125);
    expect((await admin.post('/api/login-providers/wx/check')).json()).toEqual({
      ok: true,
      message: '连接成功：AppID 与 AppSecret 有效',
    });
  });

  it('first login links an account named with its password (WeChat proves no 实名); later logins go straight in', async () => {
    const c = new Client(env.publicApp);
    const res = await back(c, await scan(c, 'alice'));
    expect(location(res)).toBe('/login/link');
    expect((await c.get('/api/sso/pending')).json()).toMatchObject({
      provider: { id: 'wx', name: '微信', icon: 'wechat' },
      mode: 'choose',
      label: 'alice',
      account: null,
      identity: null,
    });
    const noName = await linkWithPassword(c, { password: person.password });
    expect(noName.json().fields.identifier).toBe('请输入用户名/手机号码/证件号码');
    const linked = await linkWithPassword(c, { identifier: person.phone, password: person.password });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json().me.username).toBe(person.username);

    const later = new Client(env.publicApp);
    const again = await back(later, await scan(later, 'alice'));
    expect(location(again)).toBe('/me');
    expect((await later.get('/api/me')).json().username).toBe(person.username);
    const entry = (await audits('public.login')).find((a) => (a.summary as { provider?: string }).provider === 'wx');
    expect(entry?.summary).toEqual({ method: 'wechat', provider: 'wx' });

    // The same WeChat user cannot be linked to a second account, and one account holds one WeChat.
    const bob = new Client(env.publicApp);
    expect(location(await back(bob, await scan(bob, 'bob')))).toBe('/login/link');
    const taken = await linkWithPassword(bob, { identifier: person.username, password: person.password });
    expect(taken.json().code).toBe('SSO_ALREADY_LINKED');
  });

  it('links by an SMS code to the phone typed', async () => {
    const other = await register(new Client(env.publicApp), buildPerson());
    const c = new Client(env.publicApp);
    await back(c, await scan(c, 'carol'));
    const noPhone = await c.post('/api/sso/pending/sms-codes', await imageCaptcha(c));
    expect(noPhone.json().fields.phone).toBe('请输入已绑定账号的手机号码');
    expect(
      (await c.post('/api/sso/pending/sms-codes', { phone: other.phone, ...(await imageCaptcha(c)) })).statusCode,
    ).toBe(200);
    const smsCode = await lastSmsCode(c, other.phone);
    const linked = await c.post('/api/sso/pending/sms', { phone: other.phone, smsCode });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json().me.username).toBe(other.username);
  });

  it('refuses a code WeChat does not know (40029), says so when the person declined, and when WeChat is down', async () => {
    const c = new Client(env.publicApp);
    const url = new URL(await scan(c, 'dave'));
    url.searchParams.set('code', 'forged-code');
    expect(ssoError(await back(c, url.href))).toBe('SSO_FAILED');

    const d = new Client(env.publicApp);
    expect(ssoError(await back(d, await scan(d, 'dave', true)))).toBe('SSO_DENIED');

    const e = new Client(env.publicApp);
    const pendingBack = await scan(e, 'dave');
    await wx.close();
    expect(ssoError(await back(e, pendingBack))).toBe('SSO_PROVIDER_UNAVAILABLE');
    expect((await admin.post('/api/login-providers/wx/check')).json().ok).toBe(false);
  });
});

describe('logs', () => {
  it('show the callback’s path but never its code or state', async () => {
    expect(logs).toContain('/api/sso/zwfw/callback');
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(logs, secret).not.toContain(secret);
  });
});
