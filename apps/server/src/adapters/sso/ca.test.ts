import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  crlToPem,
  exportPrivateKeyPem,
  generateKeyPair,
  type IssueCertificateOptions,
  importPrivateKeyPem,
  issueCertificate,
  issueCrl,
  signChallenge,
} from '../../lib/x509-issue.js';
import {
  CaFormatError,
  type CaRefusal,
  CaRefusedError,
  describeCertificate,
  normaliseSerialHex,
  parseCertificate,
  parseCertificates,
  parseCrl,
  subjectAttributes,
  type VerifyLoginInput,
  verifyLogin,
} from './ca.js';

// Keys are generated once for the file (RSA generation is the slow part) and shared by all certificates.
const NOW = new Date('2025-06-01T00:00:00Z');
const CHALLENGE = 'cpe-ca-login:4f1c2a9e-7d1b-4c55-9f0e-2b7c1d3e5a60';
const PERSON = { commonName: '张三', serialNumber: '11010519491231002X' };
const UNIT = {
  commonName: '重庆某某科技有限公司',
  organization: '重庆某某科技有限公司',
  serialNumber: '91500000MA5U0001XX',
};

const [rootKeys, otherKeys, rsaLeafKeys, ecLeafKeys, interKeys] = await Promise.all([
  generateKeyPair('rsa'),
  generateKeyPair('rsa'),
  generateKeyPair('rsa'),
  generateKeyPair('ec'),
  generateKeyPair('ec'),
]);

const rootPem = await issueCertificate({
  subject: { commonName: '测试根 CA', organization: '测试认证中心' },
  serial: 1,
  notBefore: new Date('2020-01-01T00:00:00Z'),
  notAfter: new Date('2040-01-01T00:00:00Z'),
  publicKey: rootKeys.publicKey,
  ca: true,
});
const root = { certificatePem: rootPem, privateKey: rootKeys.privateKey };
const rootCert = new X509Certificate(rootPem);

const otherPem = await issueCertificate({
  subject: { commonName: '另一个 CA', organization: '其他认证中心' },
  serial: 1,
  notBefore: new Date('2020-01-01T00:00:00Z'),
  notAfter: new Date('2040-01-01T00:00:00Z'),
  publicKey: otherKeys.publicKey,
  ca: true,
});
const other = { certificatePem: otherPem, privateKey: otherKeys.privateKey };

const interPem = await issueCertificate({
  subject: { commonName: '测试二级 CA', organization: '测试认证中心' },
  serial: 2,
  notBefore: new Date('2021-01-01T00:00:00Z'),
  notAfter: new Date('2035-01-01T00:00:00Z'),
  publicKey: interKeys.publicKey,
  ca: true,
  issuer: root,
});
const intermediate = { certificatePem: interPem, privateKey: interKeys.privateKey };

const leafKeys = { rsa: rsaLeafKeys, ec: ecLeafKeys } as const;
let nextSerial = 0x1000;

/** A 签名证书 for 张三 from the root CA, valid 2025; anything can be overridden. */
function issueLeaf(kind: 'rsa' | 'ec', overrides: Partial<IssueCertificateOptions> = {}): Promise<string> {
  return issueCertificate({
    subject: PERSON,
    serial: nextSerial++,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2026-01-01T00:00:00Z'),
    publicKey: leafKeys[kind].publicKey,
    ca: false,
    issuer: root,
    ...overrides,
  });
}

async function login(
  kind: 'rsa' | 'ec',
  certificate: string,
  overrides: Partial<VerifyLoginInput> & { signature?: string } = {},
) {
  return verifyLogin({
    caCerts: [rootCert],
    certificate,
    signature: overrides.signature ?? (await signChallenge(leafKeys[kind].privateKey, CHALLENGE)),
    data: CHALLENGE,
    now: NOW,
    crl: null,
    isRevoked: async () => false,
    ...overrides,
  });
}

async function refusal(promise: Promise<unknown>): Promise<CaRefusal | 'accepted'> {
  try {
    await promise;
    return 'accepted';
  } catch (e) {
    if (e instanceof CaRefusedError) return e.reason;
    throw e;
  }
}

function flipByte(base64: string, index: number): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[index]! ^= 0x01;
  return bytes.toString('base64');
}

describe.each(['rsa', 'ec'] as const)('CA 证书登录 with an %s certificate', (kind) => {
  it('accepts a valid 个人 certificate and returns the subject', async () => {
    const pem = await issueLeaf(kind);
    const result = await login(kind, pem);
    const cert = new X509Certificate(pem);
    expect(result.subject).toEqual({ commonName: '张三', serialNumber: '11010519491231002X', organization: null });
    expect(result.keyType).toBe(kind);
    expect(result.serialNumber).toBe(cert.serialNumber);
    expect(result.fingerprint256).toBe(cert.fingerprint256);
    expect(result.issuerFingerprint256).toBe(rootCert.fingerprint256);
    expect(result.validTo).toEqual(new Date('2026-01-01T00:00:00Z'));
  });

  it('accepts a 法人 certificate carrying the unit name and 统一社会信用代码', async () => {
    const result = await login(kind, await issueLeaf(kind, { subject: UNIT }));
    expect(result.subject).toEqual({
      commonName: '重庆某某科技有限公司',
      organization: '重庆某某科技有限公司',
      serialNumber: '91500000MA5U0001XX',
    });
  });

  it('refuses an expired and a not yet valid certificate', async () => {
    const pem = await issueLeaf(kind);
    expect(await refusal(login(kind, pem, { now: new Date('2026-01-02T00:00:00Z') }))).toBe('expired');
    expect(await refusal(login(kind, pem, { now: new Date('2024-12-31T00:00:00Z') }))).toBe('not-yet-valid');
  });

  it('refuses a certificate listed in the CA’s CRL', async () => {
    const revokedPem = await issueLeaf(kind, { serial: 0x80000001n });
    const goodPem = await issueLeaf(kind, { serial: 0x7f });
    const crl = parseCrl(
      await issueCrl({
        issuer: root,
        revoked: [
          { serial: 0x80000001n, revokedAt: new Date('2025-03-01T00:00:00Z') },
          { serial: 5, revokedAt: new Date('2025-03-02T00:00:00Z') },
        ],
        thisUpdate: new Date('2025-05-30T00:00:00Z'),
        nextUpdate: new Date('2025-06-06T00:00:00Z'),
      }),
      [otherPemCert(), rootCert],
    );
    const isRevoked = async (serial: string, issuer: string) =>
      issuer === crl.issuerFingerprint256 && crl.revoked.some((r) => r.serial === serial);
    expect(crl.revoked.map((r) => r.serial)).toEqual([new X509Certificate(revokedPem).serialNumber, '05']);
    expect(await refusal(login(kind, revokedPem, { crl, isRevoked }))).toBe('revoked');
    expect(await refusal(login(kind, goodPem, { crl, isRevoked }))).toBe('accepted');
  });

  it('refuses a certificate from a CA the platform does not trust', async () => {
    const pem = await issueLeaf(kind, { issuer: other });
    const error = await login(kind, pem).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaRefusedError);
    expect((error as CaRefusedError).reason).toBe('untrusted');
    expect((error as CaRefusedError).message).toContain('证书不是由本平台信任的 CA 签发');
  });

  it('refuses a tampered signature and a signature over other data', async () => {
    const pem = await issueLeaf(kind);
    const signature = await signChallenge(leafKeys[kind].privateKey, CHALLENGE);
    expect(await refusal(login(kind, pem, { signature: flipByte(signature, 20) }))).toBe('signature');
    const otherData = await signChallenge(leafKeys[kind].privateKey, `${CHALLENGE}x`);
    expect(await refusal(login(kind, pem, { signature: otherData }))).toBe('signature');
    expect(await refusal(login(kind, pem, { signature: '不是 base64!' }))).toBe('signature');
    expect(await refusal(login(kind, pem, { signature: '' }))).toBe('signature');
  });

  it('refuses an encryption certificate (keyUsage without digitalSignature)', async () => {
    const pem = await issueLeaf(kind, { keyUsage: 'encrypt' });
    expect(await refusal(login(kind, pem))).toBe('not-for-signing');
  });

  it('describes the certificate with the Chinese name readable', async () => {
    const pem = await issueLeaf(kind);
    const cert = parseCertificate(pem);
    const d = describeCertificate(cert);
    expect(d.subject).toBe('serialNumber=11010519491231002X, CN=张三, C=CN');
    expect(d.issuer).toBe('CN=测试根 CA, O=测试认证中心, C=CN');
    expect(d.serialNumber).toBe(cert.serialNumber);
    expect(d.validFrom).toEqual(new Date('2025-01-01T00:00:00Z'));
    expect(d.validTo).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(d.isCa).toBe(false);
    expect(d.fingerprint256).toBe(cert.fingerprint256);
    expect(d.keyType).toBe(kind === 'rsa' ? 'RSA-2048' : 'EC-P-256');
    expect(subjectAttributes(cert).commonName).toBe('张三');
  });
});

describe('CA 证书登录: ECDSA signature encodings', () => {
  it('accepts both DER (USB key plug-ins) and IEEE P1363 (WebCrypto) signatures', async () => {
    const pem = await issueLeaf('ec');
    const der = await signChallenge(ecLeafKeys.privateKey, CHALLENGE, { encoding: 'der' });
    const raw = await signChallenge(ecLeafKeys.privateKey, CHALLENGE, { encoding: 'p1363' });
    expect(Buffer.from(der, 'base64')[0]).toBe(0x30);
    expect(Buffer.from(raw, 'base64')).toHaveLength(64);
    expect(await refusal(login('ec', pem, { signature: der }))).toBe('accepted');
    expect(await refusal(login('ec', pem, { signature: raw }))).toBe('accepted');
    expect(await refusal(login('ec', pem, { signature: flipByte(raw, 40) }))).toBe('signature');
  });
});

describe('CA 证书登录: trust', () => {
  it('refuses a non-CA certificate configured as a CA', async () => {
    const notCaPem = await issueCertificate({
      subject: { commonName: '李四' },
      serial: 77,
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2040-01-01T00:00:00Z'),
      publicKey: otherKeys.publicKey,
      ca: false,
      keyUsage: 'ca', // keyCertSign without basicConstraints cA: OpenSSL's checkIssued alone would accept it
      issuer: root,
    });
    const pem = await issueLeaf('rsa', { issuer: { certificatePem: notCaPem, privateKey: otherKeys.privateKey } });
    expect(await refusal(login('rsa', pem, { caCerts: [new X509Certificate(notCaPem)] }))).toBe('untrusted');

    // An ordinary 签名证书 configured as a CA, "issuing" a certificate with its key.
    const personPem = await issueLeaf('ec');
    const fakePem = await issueLeaf('rsa', {
      issuer: { certificatePem: personPem, privateKey: ecLeafKeys.privateKey },
    });
    expect(await refusal(login('rsa', fakePem, { caCerts: [new X509Certificate(personPem)] }))).toBe('untrusted');
  });

  it('refuses a certificate whose issuer has the CA’s name but another key', async () => {
    const impostorPem = await issueCertificate({
      subject: { commonName: '测试根 CA', organization: '测试认证中心' },
      serial: 1,
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2040-01-01T00:00:00Z'),
      publicKey: otherKeys.publicKey,
      ca: true,
    });
    const pem = await issueLeaf('rsa', { issuer: { certificatePem: impostorPem, privateKey: otherKeys.privateKey } });
    expect(await refusal(login('rsa', pem))).toBe('untrusted');
  });

  it('needs the intermediate CA in the configured certificates', async () => {
    const pem = await issueLeaf('ec', { issuer: intermediate });
    expect(await refusal(login('ec', pem))).toBe('untrusted');
    const caCerts = parseCertificates(`${rootPem}${interPem}`);
    const result = await login('ec', pem, { caCerts });
    expect(result.issuerFingerprint256).toBe(new X509Certificate(interPem).fingerprint256);
  });

  it('refuses certificates of a CA whose own certificate has expired', async () => {
    const pem = await issueLeaf('rsa');
    const error = await login('rsa', pem, { now: new Date('2040-06-01T00:00:00Z') }).catch((e: unknown) => e);
    expect((error as CaRefusedError).reason).toBe('untrusted');
    expect((error as CaRefusedError).message).toContain('CA 证书已不在有效期内');
  });
});

describe('CA 证书登录: format and keys', () => {
  it('refuses garbage, oversize input and a SM2 certificate', async () => {
    expect(await refusal(login('rsa', 'not a certificate'))).toBe('format');
    expect(await refusal(login('rsa', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'))).toBe('format');
    expect(await refusal(login('rsa', 'A'.repeat(17_000)))).toBe('format');
    const pem = await issueLeaf('rsa');
    expect(await refusal(login('rsa', pem, { signature: 'A'.repeat(2100) }))).toBe('format');

    const sm2 = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const sm2Pem = await issueLeaf('rsa', { publicKey: sm2.publicKey });
    const error = await login('rsa', sm2Pem).catch((e: unknown) => e);
    expect((error as CaRefusedError).reason).toBe('unsupported-key');
    expect((error as CaRefusedError).message).toContain('SM2');
    expect(describeCertificate(parseCertificate(sm2Pem)).keyType).toBe('SM2');
  });

  it('reads several PEM blocks (CRLF) and a single base64 DER', () => {
    const crlf = `${rootPem}\r\n${interPem}`.replace(/\n/g, '\r\n');
    const certs = parseCertificates(crlf);
    expect(certs.map((c) => c.fingerprint256)).toEqual([
      rootCert.fingerprint256,
      new X509Certificate(interPem).fingerprint256,
    ]);
    const base64 = rootCert.raw.toString('base64').replace(/(.{76})/g, '$1\n');
    expect(parseCertificates(base64).map((c) => c.fingerprint256)).toEqual([rootCert.fingerprint256]);
    expect(parseCertificate(`${interPem}${rootPem}`).fingerprint256).toBe(new X509Certificate(interPem).fingerprint256);
  });

  it('throws CaFormatError on empty, garbage and too many certificates', () => {
    expect(() => parseCertificates('')).toThrow(CaFormatError);
    expect(() => parseCertificates('hello world')).toThrow('证书格式无效');
    expect(() => parseCertificates(Buffer.from('hello world').toString('base64'))).toThrow(CaFormatError);
    expect(() => parseCertificates('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')).toThrow(
      CaFormatError,
    );
    expect(() => parseCertificates(rootPem.repeat(21))).toThrow(CaFormatError);
    expect(parseCertificates(rootPem.repeat(20))).toHaveLength(20);
  });

  it('normalises serial numbers like Node does', () => {
    expect(normaliseSerialHex('0080')).toBe('80');
    expect(normaliseSerialHex('1')).toBe('01');
    expect(normaliseSerialHex('00:ab:cd')).toBe('ABCD');
    expect(normaliseSerialHex('0x100')).toBe('0100');
    expect(normaliseSerialHex('000')).toBe('0');
  });
});

describe('CA 证书登录: CRLs', () => {
  const crlOptions = {
    revoked: [{ serial: 0x1234, revokedAt: new Date('2025-03-01T00:00:00Z') }],
    thisUpdate: new Date('2025-05-30T00:00:00Z'),
    nextUpdate: new Date('2025-06-06T00:00:00Z'),
  };

  it('reads a CRL in DER and in PEM', async () => {
    const der = await issueCrl({ issuer: root, ...crlOptions });
    for (const data of [der, Buffer.from(crlToPem(der).replace(/\n/g, '\r\n'))]) {
      const crl = parseCrl(data, [rootCert]);
      expect(crl.issuerFingerprint256).toBe(rootCert.fingerprint256);
      expect(crl.thisUpdate).toEqual(crlOptions.thisUpdate);
      expect(crl.nextUpdate).toEqual(crlOptions.nextUpdate);
      expect(crl.revoked).toEqual([{ serial: '1234', revokedAt: new Date('2025-03-01T00:00:00Z') }]);
    }
    const empty = parseCrl(await issueCrl({ issuer: root, ...crlOptions, revoked: [] }), [rootCert]);
    expect(empty.revoked).toEqual([]);
  });

  it('refuses a CRL signed by another CA, or by a CA with the same name but another key', async () => {
    const der = await issueCrl({ issuer: other, ...crlOptions });
    expect(() => parseCrl(der, [rootCert])).toThrow('吊销列表不是由已配置的 CA 签发的');
    const forged = await issueCrl({
      issuer: { certificatePem: rootPem, privateKey: otherKeys.privateKey },
      ...crlOptions,
    });
    expect(() => parseCrl(forged, [rootCert])).toThrow('吊销列表不是由已配置的 CA 签发的');
    expect(parseCrl(der, [rootCert, otherPemCert()]).issuerFingerprint256).toBe(otherPemCert().fingerprint256);
  });

  it('refuses a garbage CRL', async () => {
    expect(() => parseCrl(Buffer.from('garbage'), [rootCert])).toThrow('吊销列表格式无效');
    expect(() => parseCrl(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]), [rootCert])).toThrow('吊销列表格式无效');
    expect(() => parseCrl(Buffer.from('-----BEGIN X509 CRL-----\n!!\n-----END X509 CRL-----'), [rootCert])).toThrow(
      CaFormatError,
    );
    expect(() => parseCrl(Buffer.alloc(0), [rootCert])).toThrow('吊销列表格式无效');
  });

  it('refuses every login while the CRL is past its nextUpdate', async () => {
    const pem = await issueLeaf('rsa');
    const crl = parseCrl(
      await issueCrl({ issuer: root, ...crlOptions, nextUpdate: new Date('2025-05-31T00:00:00Z') }),
      [rootCert],
    );
    const error = await login('rsa', pem, { crl }).catch((e: unknown) => e);
    expect((error as CaRefusedError).reason).toBe('crl-stale');
    expect((error as CaRefusedError).message).toBe('吊销列表已过期，请联系管理员更新');
    expect(await refusal(login('rsa', pem, { crl: { nextUpdate: null } }))).toBe('accepted');
  });
});

describe('x509-issue', () => {
  it('round-trips a CA key through PKCS#8 PEM and keeps issuing with it', async () => {
    const pem = await exportPrivateKeyPem(rootKeys.privateKey);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const privateKey = await importPrivateKeyPem(pem, 'rsa');
    const leaf = await issueLeaf('ec', { issuer: { certificatePem: rootPem, privateKey } });
    expect(await refusal(login('ec', leaf))).toBe('accepted');

    const ecKey = await importPrivateKeyPem(await exportPrivateKeyPem(ecLeafKeys.privateKey), 'ec');
    const signature = await signChallenge(ecKey, CHALLENGE);
    expect(await refusal(login('ec', await issueLeaf('ec'), { signature }))).toBe('accepted');
  });
});

function otherPemCert(): X509Certificate {
  return new X509Certificate(otherPem);
}
