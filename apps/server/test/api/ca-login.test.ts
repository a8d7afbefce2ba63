import { usccCheckChar } from '@cpe/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  crlToPem,
  generateKeyPair,
  type IssuerKey,
  issueCertificate,
  issueCrl,
  signChallenge,
} from '../../src/lib/x509-issue.js';
import { buildPerson, login, register, sliderToken } from '../factories.js';
import { Client, createTestEnv } from '../harness.js';
import { staffWith } from '../purchase-factories.js';
import { approvedUnit } from '../units-factories.js';

/**
 * CA 证书登录 (issue 18 §3) through real HTTP: staff trust a CA and upload its CRL; a certificate signs the server's
 * challenge; valid, expired, revoked, another CA's, tampered and replayed are told apart.
 */
const env = await createTestEnv();

const DAY = 86_400_000;
const now = () => env.clock.now();
const audits = async (action: string) =>
  (await env.ctx.audit.latest(env.ctx.db, 500)).filter((a) => a.action === action);

interface Holder {
  certificate: string;
  privateKey: CryptoKey;
  serial: number;
}
let ca: IssuerKey;
let otherCa: IssuerKey;
let serial = 100;

async function makeCa(name: string): Promise<IssuerKey> {
  const keys = await generateKeyPair('rsa');
  const certificatePem = await issueCertificate({
    subject: { commonName: name, organization: name },
    serial: 1,
    notBefore: new Date(now().getTime() - DAY),
    notAfter: new Date(now().getTime() + 3650 * DAY),
    publicKey: keys.publicKey,
    ca: true,
  });
  return { certificatePem, privateKey: keys.privateKey };
}

/** A certificate as a CA issues it into a USB key: 个人 (证件号码) or 法人 (统一社会信用代码) in subject serialNumber. */
async function holder(
  subject: { commonName: string; serialNumber: string; organization?: string },
  opts: { issuer?: IssuerKey; kind?: 'rsa' | 'ec'; from?: number; to?: number } = {},
): Promise<Holder> {
  const keys = await generateKeyPair(opts.kind ?? 'rsa');
  serial += 1;
  const certificate = await issueCertificate({
    subject,
    serial,
    notBefore: new Date(now().getTime() + (opts.from ?? -DAY)),
    notAfter: new Date(now().getTime() + (opts.to ?? 365 * DAY)),
    publicKey: keys.publicKey,
    ca: false,
    issuer: opts.issuer ?? ca,
  });
  return { certificate, privateKey: keys.privateKey, serial };
}

/** What the login page does: fetch a challenge, have the USB key sign it, post both. */
async function caLogin(c: Client, h: Holder, opts: { tamper?: boolean; provider?: string } = {}) {
  const provider = opts.provider ?? 'ca-test';
  const ch = await c.post(`/api/ca/${provider}/challenge`, {});
  expect(ch.statusCode, ch.body).toBe(200);
  const { challenge } = ch.json();
  let signature = await signChallenge(h.privateKey, challenge);
  if (opts.tamper) {
    const bytes = Buffer.from(signature, 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0x01;
    signature = bytes.toString('base64');
  }
  const body = { challenge, certificate: h.certificate, signature, redirect: '/me' };
  return { res: await c.post(`/api/ca/${provider}/login`, body), body };
}

let admin: Client;
beforeAll(async () => {
  admin = await staffWith(env, ['sysadmin']);
  ca = await makeCa('测试 CA');
  otherCa = await makeCa('另一家 CA');
});

const providerBody = () => ({
  id: 'ca-test',
  name: 'CA 证书',
  type: 'ca',
  icon: 'ca',
  caCertificates: ca.certificatePem,
  signerUrl: 'https://signer.example.cn/sign',
  enabled: true,
  sortOrder: 5,
});

describe('系统管理 → 第三方登录: a CA', () => {
  it('is saved with its certificates; a missing, broken or non-CA certificate is refused naming the field', async () => {
    const missing = await admin.post('/api/login-providers', { ...providerBody(), caCertificates: '' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().fields.caCertificates).toBe('请粘贴或上传受信任的 CA 证书（PEM 格式）');
    const garbage = await admin.post('/api/login-providers', {
      ...providerBody(),
      caCertificates: 'not a certificate',
    });
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().fields.caCertificates).toMatch(/证书/);
    const leaf = await holder({ commonName: '某人', serialNumber: buildPerson().idNumber });
    const notCa = await admin.post('/api/login-providers', { ...providerBody(), caCertificates: leaf.certificate });
    expect(notCa.statusCode).toBe(400);
    expect(notCa.json().fields.caCertificates).toMatch(/^第1个证书不是 CA 证书/);
    const noSigner = await admin.post('/api/login-providers', { ...providerBody(), signerUrl: '' });
    expect(noSigner.json().fields.signerUrl).toBe('请输入签名程序地址');

    const saved = await admin.post('/api/login-providers', providerBody());
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      type: 'ca',
      hasSecret: false,
      crl: null,
      signerUrl: providerBody().signerUrl,
    });
    expect(saved.json().caCertificateInfo).toEqual([
      expect.objectContaining({ subject: expect.stringContaining('测试 CA') }),
    ]);
    const check = await admin.post('/api/login-providers/ca-test/check', {});
    expect(check.json()).toEqual({ ok: true, message: 'CA 证书有效；尚未上传吊销列表，登录时不检查证书吊销' });

    // The login page shows it, with the signing program's address; /api/sso/<id>/start does not know it.
    const pub = new Client(env.publicApp);
    const listed = (await pub.get('/api/login-providers')).json().items;
    expect(listed).toContainEqual({
      id: 'ca-test',
      name: 'CA 证书',
      icon: 'ca',
      type: 'ca',
      signerUrl: providerBody().signerUrl,
    });
    const start = await pub.get('/api/sso/ca-test/start');
    expect(new URL(start.headers.location as string, 'http://x').searchParams.get('sso_error')).toBe(
      'SSO_PROVIDER_NOT_FOUND',
    );
  });

  it('takes a CRL signed by the CA only, from 系统管理员 only', async () => {
    const foreign = await issueCrl({
      issuer: otherCa,
      revoked: [],
      thisUpdate: now(),
      nextUpdate: new Date(now().getTime() + 30 * DAY),
    });
    const refused = await admin.request('PUT', '/api/login-providers/ca-test/crl', {
      crl: foreign.toString('base64'),
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().fields.crl).toMatch(/不是由已配置的 CA 签发/);
    const broken = await admin.request('PUT', '/api/login-providers/ca-test/crl', { crl: 'AAAA' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().fields.crl).toMatch(/吊销列表格式无效/);
    const operator = await staffWith(env, ['training-operator']);
    expect((await operator.request('PUT', '/api/login-providers/ca-test/crl', { crl: 'AAAA' })).statusCode).toBe(403);
    expect((await new Client(env.publicApp).request('PUT', '/api/login-providers/ca-test/crl', {})).statusCode).toBe(
      404,
    );
  });
});

describe('CA 证书登录', () => {
  const person = buildPerson();
  let cert: Holder;
  beforeAll(async () => {
    await register(new Client(env.publicApp), person);
    cert = await holder({ commonName: person.realName, serialNumber: person.idNumber });
  });

  it('links on first use with the account’s password, then signs straight in', async () => {
    const c = new Client(env.publicApp);
    const first = (await caLogin(c, cert)).res;
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ kind: 'pending', next: '/login/link' });
    const pending = (await c.get('/api/sso/pending')).json();
    expect(pending).toMatchObject({ mode: 'link', provider: { id: 'ca-test', type: 'ca' } });
    expect((await c.get('/api/me')).statusCode).toBe(401);
    const linked = await c.post('/api/sso/pending/password', {
      password: person.password,
      sliderToken: await sliderToken(c),
    });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json().me.username).toBe(person.username);

    const again = new Client(env.publicApp);
    const second = (await caLogin(again, cert)).res;
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({ kind: 'login', redirect: '/me', me: { username: person.username } });
    expect((await again.get('/api/me')).json().username).toBe(person.username);
    const entry = (await audits('public.login')).find((a) => (a.summary as { method?: string }).method === 'ca');
    expect(entry?.summary).toEqual({ method: 'ca', provider: 'ca-test' });
    // ECDSA keys too, DER or P1363 signatures alike (a renewed certificate keeps the link: same 证件号码).
    const ec = await holder({ commonName: person.realName, serialNumber: person.idNumber }, { kind: 'ec' });
    expect((await caLogin(new Client(env.publicApp), ec)).res.json().kind).toBe('login');
  });

  it('refuses a replayed challenge, and one that expired unused', async () => {
    const c = new Client(env.publicApp);
    const { res, body } = await caLogin(c, cert);
    expect(res.json().kind).toBe('login');
    const replay = await new Client(env.publicApp).post('/api/ca/ca-test/login', body);
    expect(replay.statusCode).toBe(400);
    expect(replay.json().code).toBe('CA_CHALLENGE_INVALID');

    const ch = (await c.post('/api/ca/ca-test/challenge', {})).json();
    env.clock.advance(5 * 60_000 + 1);
    const late = await c.post('/api/ca/ca-test/login', {
      challenge: ch.challenge,
      certificate: cert.certificate,
      signature: await signChallenge(cert.privateKey, ch.challenge),
    });
    expect(late.json().code).toBe('CA_CHALLENGE_INVALID');
    const made = await c.post('/api/ca/ca-test/login', {
      challenge: ch.challenge.replace(/[0-9a-f]{32}$/, '0'.repeat(32)),
      certificate: cert.certificate,
      signature: 'AAAA',
    });
    expect(made.json().code).toBe('CA_CHALLENGE_INVALID');
  });

  it('tells expired, not yet valid, another CA’s and tampered apart, and audits each refusal', async () => {
    const subject = { commonName: person.realName, serialNumber: person.idNumber };
    const cases: Array<[string, Holder, { tamper?: boolean }]> = [
      ['CA_EXPIRED', await holder(subject, { from: -400 * DAY, to: -DAY }), {}],
      ['CA_NOT_YET_VALID', await holder(subject, { from: DAY, to: 400 * DAY }), {}],
      ['CA_UNTRUSTED', await holder(subject, { issuer: otherCa }), {}],
      ['CA_SIGNATURE', cert, { tamper: true }],
    ];
    const before = (await audits('sso.login.refused')).length;
    for (const [code, h, opts] of cases) {
      const res = (await caLogin(new Client(env.publicApp), h, opts)).res;
      expect(res.statusCode, code).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, code).toBeLessThan(500);
      expect(res.json().code).toBe(code);
    }
    expect((await audits('sso.login.refused')).length - before).toBe(cases.length);
    const noId = await holder({ commonName: '无证件号', serialNumber: '' });
    expect((await caLogin(new Client(env.publicApp), noId)).res.json().code).toBe('CA_NO_IDENTITY');
  });

  it('refuses a certificate the uploaded CRL revokes, and every certificate once the CRL is past its next update', async () => {
    const revoked = await holder({ commonName: person.realName, serialNumber: person.idNumber });
    const next = new Date(now().getTime() + 7 * DAY);
    const crl = await issueCrl({
      issuer: ca,
      revoked: [{ serial: revoked.serial, revokedAt: now() }],
      thisUpdate: now(),
      nextUpdate: next,
    });
    // PEM text is taken as well as the DER file.
    const up = await admin.request('PUT', '/api/login-providers/ca-test/crl', { crl: crlToPem(crl) });
    expect(up.statusCode, up.body).toBe(200);
    // A CRL's times are whole seconds.
    const nextUpdate = new Date(Math.floor(next.getTime() / 1000) * 1000).toISOString();
    expect(up.json().crl).toMatchObject({ entries: 1, nextUpdate });
    expect((await caLogin(new Client(env.publicApp), revoked)).res.json().code).toBe('CA_REVOKED');
    expect((await caLogin(new Client(env.publicApp), cert)).res.json().kind).toBe('login');

    env.clock.advance(8 * DAY);
    admin = await staffWith(env, ['sysadmin']); // the first one's session has long timed out
    const stale = (await caLogin(new Client(env.publicApp), cert)).res;
    expect(stale.statusCode).toBe(503);
    expect(stale.json().code).toBe('CA_CRL_STALE');
    expect((await admin.post('/api/login-providers/ca-test/check', {})).json().ok).toBe(false);
    const fresh = await issueCrl({
      issuer: ca,
      revoked: [],
      thisUpdate: now(),
      nextUpdate: new Date(now().getTime() + 7 * DAY),
    });
    const replaced = await admin.request('PUT', '/api/login-providers/ca-test/crl', { crl: fresh.toString('base64') });
    expect(replaced.json().crl.entries).toBe(0);
    expect((await caLogin(new Client(env.publicApp), cert)).res.json().kind).toBe('login');
  });

  it('opens registration, prefilled, for a certificate whose 证件号码 has no account', async () => {
    const newcomer = buildPerson();
    const h = await holder({ commonName: newcomer.realName, serialNumber: newcomer.idNumber });
    const c = new Client(env.publicApp);
    expect((await caLogin(c, h)).res.json()).toEqual({ kind: 'pending', next: '/register?sso=1' });
    expect((await c.get('/api/sso/pending')).json()).toMatchObject({
      mode: 'register',
      identity: { realName: newcomer.realName, idType: 'idCard', idNumber: newcomer.idNumber },
    });
  });

  it('signs a 法人 certificate in as its unit’s administrator; an unknown 统一社会信用代码 is refused', async () => {
    const { a, data } = await approvedUnit(env);
    const unitCert = await holder(
      { commonName: data.unitName, organization: data.unitName, serialNumber: data.uscc },
      { kind: 'ec' },
    );
    const c = new Client(env.publicApp);
    const res = (await caLogin(c, unitCert)).res;
    expect(res.json()).toMatchObject({ kind: 'login', me: { username: a.p.username } });
    const entry = (await audits('public.login')).find((x) => (x.summary as { as?: string }).as === 'legal');
    expect(entry?.summary).toEqual({ method: 'ca', provider: 'ca-test', as: 'legal' });

    const code = `91500000MA5U0000${'9'}`;
    const unknown = await holder({ commonName: '某公司', serialNumber: code + usccCheckChar(code) });
    expect((await caLogin(new Client(env.publicApp), unknown)).res.json().code).toBe('SSO_UNIT_NOT_FOUND');
    // A wrong check digit is neither a 统一社会信用代码 nor a 证件号码: the certificate proves no one.
    const wrong = code + (usccCheckChar(code) === '0' ? '1' : '0');
    const broken = await holder({ commonName: '某公司', serialNumber: wrong });
    expect((await caLogin(new Client(env.publicApp), broken)).res.json().code).toBe('CA_NO_IDENTITY');
  });

  it('limits challenges per address (30 in 10 minutes)', async () => {
    env.clock.advance(11 * 60_000);
    const c = new Client(env.publicApp, 'cpe_csrf', '203.0.113.77');
    let last = 0;
    for (let i = 0; i < 31; i++) last = (await c.post('/api/ca/ca-test/challenge', {})).statusCode;
    expect(last).toBe(429);
  });

  it('a password login is untouched by it all', async () => {
    expect((await login(new Client(env.publicApp), person.username, person.password)).statusCode).toBe(200);
  });
});
