/**
 * Issuing X.509 certificates and CRLs: for the demo CA (CA 证书登录 without a real CA) and for tests.
 *
 * Never used to verify anything: verification lives in adapters/sso/ca.ts on Node's own X509Certificate and
 * crypto.verify (OpenSSL). Node cannot *create* certificates or CRLs, hence pkijs here, on Node's WebCrypto.
 */
import { createHash, createPrivateKey, KeyObject, sign as nodeSign, webcrypto, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const subtle = webcrypto.subtle;

/** pkijs picks up `globalThis.crypto` on Node ≥ 19; set it explicitly where it did not (older runtimes, odd test envs). */
function ensureEngine(): void {
  if (!pkijs.getEngine().crypto) {
    pkijs.setEngine('nodejs', new pkijs.CryptoEngine({ name: 'nodejs', crypto: webcrypto as unknown as Crypto }));
  }
}

export type KeyKind = 'rsa' | 'ec';

const RSA_ALGORITHM = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};
const EC_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' };

/**
 * Self-signing needs the private key while the option bag carries the public one (as for an issued certificate):
 * generateKeyPair() remembers its pairs so that a new CA can sign itself without a further option.
 */
const selfSignKeys = new WeakMap<CryptoKey, CryptoKey>();

/** A key pair like the one inside a USB key (RSA 2048 or ECC P-256); extractable so the demo CA can store it. */
export async function generateKeyPair(kind: KeyKind): Promise<CryptoKeyPair> {
  const pair = (await subtle.generateKey(kind === 'rsa' ? RSA_ALGORITHM : EC_ALGORITHM, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  selfSignKeys.set(pair.publicKey, pair.privateKey);
  return pair;
}

export interface IssuerKey {
  certificatePem: string;
  privateKey: CryptoKey;
}

export interface IssueCertificateOptions {
  subject: { commonName: string; organization?: string; serialNumber?: string; country?: string };
  serial: bigint | number;
  notBefore: Date;
  notAfter: Date;
  /** A KeyObject also works, for keys WebCrypto cannot hold (tests build an SM2 certificate this way). */
  publicKey: CryptoKey | KeyObject;
  ca: boolean;
  /** Self-signed when absent. */
  issuer?: IssuerKey;
  /**
   * Only for a self-signed certificate: the private half of `publicKey`. Not needed when the pair came from
   * generateKeyPair() in this process.
   */
  privateKey?: CryptoKey;
  /** Default: a CA gets keyCertSign + cRLSign, anything else digitalSignature + nonRepudiation (a 签名证书). */
  keyUsage?: 'sign' | 'ca' | 'encrypt';
}

const OID = {
  country: '2.5.4.6',
  organization: '2.5.4.10',
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  crlNumber: '2.5.29.20',
};

/** KeyUsage bits, numbered as in RFC 5280 (bit 0 is the most significant bit of the first byte). */
const KEY_USAGE_BITS = {
  sign: [0, 1], // digitalSignature, nonRepudiation
  ca: [5, 6], // keyCertSign, cRLSign
  encrypt: [2, 3], // keyEncipherment, dataEncipherment: the 加密证书 of a dual-certificate USB key
} as const;

/** Issues a certificate and returns it as PEM. Subject values are UTF8String so Chinese names survive. */
export async function issueCertificate(opts: IssueCertificateOptions): Promise<string> {
  ensureEngine();
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = integerFromSerial(opts.serial);
  cert.subject = buildName(opts.subject);
  cert.notBefore = timeOf(opts.notBefore);
  cert.notAfter = timeOf(opts.notAfter);
  if (opts.publicKey instanceof KeyObject) {
    cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(opts.publicKey.export({ type: 'spki', format: 'der' }));
  } else {
    await cert.subjectPublicKeyInfo.importKey(opts.publicKey);
  }

  const issuerCert = opts.issuer ? parsePkijsCertificate(opts.issuer.certificatePem) : null;
  cert.issuer = issuerCert ? issuerCert.subject : cert.subject;

  const basic = new pkijs.BasicConstraints({ cA: opts.ca });
  const usage = opts.keyUsage ?? (opts.ca ? 'ca' : 'sign');
  const subjectKeyId = keyIdentifier(cert.subjectPublicKeyInfo);
  const extensions = [
    new pkijs.Extension({
      extnID: OID.basicConstraints,
      critical: true,
      extnValue: basic.toSchema().toBER(false),
      parsedValue: basic,
    }),
    new pkijs.Extension({
      extnID: OID.keyUsage,
      critical: true,
      extnValue: keyUsageBitString(KEY_USAGE_BITS[usage]).toBER(false),
    }),
    new pkijs.Extension({
      extnID: OID.subjectKeyIdentifier,
      critical: false,
      extnValue: new asn1js.OctetString({ valueHex: subjectKeyId }).toBER(false),
    }),
  ];
  if (issuerCert) {
    const aki = new pkijs.AuthorityKeyIdentifier({
      keyIdentifier: new asn1js.OctetString({ valueHex: subjectKeyIdOf(issuerCert) }),
    });
    extensions.push(
      new pkijs.Extension({
        extnID: OID.authorityKeyIdentifier,
        critical: false,
        extnValue: aki.toSchema().toBER(false),
      }),
    );
  }
  cert.extensions = extensions;

  await cert.sign(opts.issuer ? opts.issuer.privateKey : signingKeyForSelfSigned(opts), 'SHA-256');
  return derToPem(Buffer.from(cert.toSchema(true).toBER(false)), 'CERTIFICATE');
}

/** A self-signed certificate is signed by the private half of `publicKey`. */
function signingKeyForSelfSigned(opts: IssueCertificateOptions): CryptoKey {
  const key = opts.privateKey ?? (opts.publicKey instanceof KeyObject ? undefined : selfSignKeys.get(opts.publicKey));
  if (!key) {
    throw new Error('self-signed certificate: pass privateKey, or a publicKey from generateKeyPair()');
  }
  return key;
}

export interface IssueCrlOptions {
  issuer: IssuerKey;
  revoked: Array<{ serial: bigint | number; revokedAt: Date }>;
  thisUpdate: Date;
  nextUpdate: Date;
}

/** Issues a v2 CRL (DER) listing `revoked`, signed SHA-256 by the issuer, with authority key identifier and CRL number. */
export async function issueCrl(opts: IssueCrlOptions): Promise<Buffer> {
  ensureEngine();
  const issuerCert = parsePkijsCertificate(opts.issuer.certificatePem);
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = issuerCert.subject;
  crl.thisUpdate = timeOf(opts.thisUpdate);
  crl.nextUpdate = timeOf(opts.nextUpdate);
  // An empty list must be left out altogether (pkijs would encode an empty SEQUENCE, which strict parsers refuse).
  if (opts.revoked.length > 0) {
    crl.revokedCertificates = opts.revoked.map(
      (r) =>
        new pkijs.RevokedCertificate({
          userCertificate: integerFromSerial(r.serial),
          revocationDate: timeOf(r.revokedAt),
        }),
    );
  }
  const aki = new pkijs.AuthorityKeyIdentifier({
    keyIdentifier: new asn1js.OctetString({ valueHex: subjectKeyIdOf(issuerCert) }),
  });
  crl.crlExtensions = new pkijs.Extensions({
    extensions: [
      new pkijs.Extension({
        extnID: OID.authorityKeyIdentifier,
        critical: false,
        extnValue: aki.toSchema().toBER(false),
      }),
      new pkijs.Extension({
        extnID: OID.crlNumber,
        critical: false,
        extnValue: new asn1js.Integer({ value: Math.floor(opts.thisUpdate.getTime() / 1000) }).toBER(false),
      }),
    ],
  });
  await crl.sign(opts.issuer.privateKey, 'SHA-256');
  return Buffer.from(crl.toSchema(true).toBER(false));
}

export function crlToPem(der: Buffer): string {
  return derToPem(der, 'X509 CRL');
}

/** PKCS#8 PEM, for keeping the demo CA's key in configuration. */
export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  return derToPem(Buffer.from(await subtle.exportKey('pkcs8', key)), 'PRIVATE KEY');
}

/** Reads a PKCS#8 key back; the EC curve (P-256 or P-384) is taken from the key itself. Extractable, for signing. */
export async function importPrivateKeyPem(pem: string, kind: KeyKind): Promise<CryptoKey> {
  const node = createPrivateKey(pem);
  const der = node.export({ type: 'pkcs8', format: 'der' });
  let algorithm: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams;
  if (kind === 'rsa') {
    algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  } else {
    const curve = node.asymmetricKeyDetails?.namedCurve;
    algorithm = { name: 'ECDSA', namedCurve: curve === 'secp384r1' ? 'P-384' : 'P-256' };
  }
  return subtle.importKey('pkcs8', der, algorithm, true, ['sign']);
}

/**
 * What a USB key's browser plug-in does at login: sign the challenge's UTF-8 bytes with SHA-256 (RSA PKCS#1 v1.5
 * or ECDSA). Real plug-ins return ECDSA signatures DER-encoded, hence the default; 'p1363' gives raw r‖s like WebCrypto.
 */
export async function signChallenge(
  privateKey: CryptoKey,
  data: string,
  options: { encoding?: 'der' | 'p1363' } = {},
): Promise<string> {
  const key = KeyObject.from(privateKey);
  const signature =
    key.asymmetricKeyType === 'ec'
      ? nodeSign('sha256', Buffer.from(data, 'utf8'), {
          key,
          dsaEncoding: options.encoding === 'p1363' ? 'ieee-p1363' : 'der',
        })
      : nodeSign('sha256', Buffer.from(data, 'utf8'), key);
  return signature.toString('base64');
}

/**
 * One attribute per RDN (C, O, CN, serialNumber), like every real CA. pkijs would put all of `typesAndValues` into a
 * single multi-valued RDN ("C=CN + O=… + CN=…"), so the Name is built in asn1js and handed to pkijs pre-encoded.
 */
function buildName(subject: IssueCertificateOptions['subject']): pkijs.RelativeDistinguishedNames {
  const rdns: asn1js.Set[] = [];
  const add = (type: string, value: pkijs.AttributeValueType) => {
    const attribute = new pkijs.AttributeTypeAndValue({ type, value });
    rdns.push(new asn1js.Set({ value: [attribute.toSchema()] }));
  };
  add(OID.country, new asn1js.PrintableString({ value: subject.country ?? 'CN' }));
  if (subject.organization) add(OID.organization, new asn1js.Utf8String({ value: subject.organization }));
  add(OID.commonName, new asn1js.Utf8String({ value: subject.commonName }));
  if (subject.serialNumber) {
    // X.520 makes serialNumber a PrintableString; 身份证号码 and 统一社会信用代码 always fit.
    const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(subject.serialNumber);
    add(
      OID.serialNumber,
      printable
        ? new asn1js.PrintableString({ value: subject.serialNumber })
        : new asn1js.Utf8String({ value: subject.serialNumber }),
    );
  }
  const der = new asn1js.Sequence({ value: rdns }).toBER(false);
  return pkijs.RelativeDistinguishedNames.fromBER(der);
}

/** RFC 5280: UTCTime through 2049, GeneralizedTime from 2050; whole seconds (DER forbids fractions). */
function timeOf(date: Date): pkijs.Time {
  const value = new Date(Math.floor(date.getTime() / 1000) * 1000);
  return new pkijs.Time({ type: value.getUTCFullYear() < 2050 ? 0 : 1, value });
}

/** A positive INTEGER in minimal DER: a leading 00 only when the top bit is set. */
function integerFromSerial(serial: bigint | number): asn1js.Integer {
  const value = BigInt(serial);
  if (value <= 0n) throw new Error('certificate serial numbers must be positive');
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return new asn1js.Integer({ valueHex: Buffer.from(hex, 'hex') });
}

function keyUsageBitString(bits: readonly number[]): asn1js.BitString {
  const bytes = new Uint8Array(2);
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  const highest = Math.max(...bits);
  const length = (highest >> 3) + 1;
  return new asn1js.BitString({ valueHex: bytes.slice(0, length), unusedBits: 7 - (highest & 7) });
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 over the subjectPublicKey BIT STRING's bytes. */
function keyIdentifier(spki: pkijs.PublicKeyInfo): Buffer {
  return createHash('sha1').update(spki.subjectPublicKey.valueBlock.valueHexView).digest();
}

function subjectKeyIdOf(cert: pkijs.Certificate): Buffer {
  const ext = cert.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier);
  if (ext) {
    const parsed = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView);
    if (parsed.offset !== -1 && parsed.result instanceof asn1js.OctetString) {
      return Buffer.from(parsed.result.valueBlock.valueHexView);
    }
  }
  return keyIdentifier(cert.subjectPublicKeyInfo);
}

function parsePkijsCertificate(pem: string): pkijs.Certificate {
  return pkijs.Certificate.fromBER(new X509Certificate(pem).raw);
}

function derToPem(der: Buffer, label: string): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
