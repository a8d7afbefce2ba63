/**
 * CA 证书登录: a person proves who they are with the certificate and private key on a USB key issued by a Chinese CA.
 * The server issues a challenge, the browser's plug-in returns the person's X.509 certificate and a signature over the
 * challenge, and this module decides whether to believe them. Pure: no database, no clock, no network — the caller
 * passes the configured CA certificates, the time and a revocation lookup.
 *
 * Certificates and signatures are checked by Node's own X509Certificate and crypto.verify (OpenSSL), which is what we
 * trust for cryptography. pkijs/asn1js only parse what Node does not expose: CRLs, the subject's raw attributes (Node
 * renders multi-valued or non-UTF-8 names unreliably), the key's curve OID (to recognise SM2) and the keyUsage bits.
 */
import { constants, verify as cryptoVerify, type KeyObject, X509Certificate } from 'node:crypto';
import { platformDateTime } from '@cpe/shared/platform-zone';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export type CaRefusal =
  | 'format'
  | 'untrusted'
  | 'expired'
  | 'not-yet-valid'
  | 'revoked'
  | 'signature'
  | 'unsupported-key'
  | 'crl-stale'
  | 'not-for-signing';

/** Certificate or CRL text that cannot be read at all (staff uploading a CA certificate or CRL, or a login's certificate). */
export class CaFormatError extends Error {}

/** A login refused, with the reason for logs and the message (Chinese) for the person. */
export class CaRefusedError extends Error {
  constructor(
    readonly reason: CaRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** A CA bundle (root + intermediates) is a handful of certificates; more is a mistake or an attack on the parser. */
const MAX_CERTIFICATES = 20;
/** One certificate is 1–3 KB of base64; 16 KB leaves room for generous extensions. */
const MAX_CERTIFICATE_TEXT = 16 * 1024;
/** An RSA-4096 signature is 684 base64 characters. */
const MAX_SIGNATURE_TEXT = 2 * 1024;
const MAX_BUNDLE_TEXT = MAX_CERTIFICATES * MAX_CERTIFICATE_TEXT;

const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  p256: '1.2.840.10045.3.1.7',
  p384: '1.3.132.0.34',
  sm2: '1.2.156.10197.1.301',
  keyUsage: '2.5.29.15',
};

/** Signature algorithms of CRLs verified here (DER ECDSA signatures, as in every X.509 structure). */
const CRL_SIGNATURE_HASHES: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

/** RFC 4514 short names, plus those Chinese CAs use; anything else is shown by its OID. */
const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
};

// ---------------------------------------------------------------------------------------------------------------
// Parsing

/**
 * CA certificates as staff paste them: PEM with one or more CERTIFICATE blocks (CRLF or LF), or a single certificate
 * as bare base64 DER (what a .cer exported from Windows often is). Every certificate must also be readable by pkijs,
 * so later look-ups (subject, key type, keyUsage) cannot fail on a certificate that was accepted here.
 */
export function parseCertificates(text: string): X509Certificate[] {
  if (typeof text !== 'string' || text.trim() === '') throw new CaFormatError('证书格式无效：内容为空');
  if (text.length > MAX_BUNDLE_TEXT) throw new CaFormatError('证书格式无效：内容过长');
  if (text.includes('-----BEGIN')) {
    const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
    if (blocks.length === 0) throw new CaFormatError('证书格式无效：未找到 “-----BEGIN CERTIFICATE-----” 证书块');
    if (blocks.length > MAX_CERTIFICATES) {
      throw new CaFormatError(`证书格式无效：一次最多 ${MAX_CERTIFICATES} 个证书`);
    }
    return blocks.map((block, i) => certificateFromDer(decodeBase64(block[1] ?? ''), blocks.length > 1 ? i + 1 : 0));
  }
  return [certificateFromDer(decodeBase64(text), 0)];
}

/** The one certificate a USB key presents (the first, should a bundle be given). */
export function parseCertificate(text: string): X509Certificate {
  const [first] = parseCertificates(text);
  if (!first) throw new CaFormatError('证书格式无效');
  return first;
}

function certificateFromDer(der: Buffer | null, position: number): X509Certificate {
  const which = position ? `第 ${position} 个证书` : '证书';
  if (!der || der.length === 0) throw new CaFormatError(`证书格式无效：${which}不是有效的 Base64 内容`);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
    pkijsCertificate(cert);
  } catch {
    throw new CaFormatError(`证书格式无效：${which}无法解析`);
  }
  return cert;
}

/** Standard or URL-safe base64, whitespace allowed; null when it is not base64 (Buffer.from would skip the junk). */
function decodeBase64(text: string): Buffer | null {
  const compact = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) return null;
  return Buffer.from(compact, 'base64');
}

const pkijsCache = new WeakMap<X509Certificate, pkijs.Certificate>();

/** pkijs's view of a certificate, parsed once per X509Certificate. */
function pkijsCertificate(cert: X509Certificate): pkijs.Certificate {
  let parsed = pkijsCache.get(cert);
  if (!parsed) {
    parsed = pkijs.Certificate.fromBER(new Uint8Array(cert.raw));
    pkijsCache.set(cert, parsed);
  }
  return parsed;
}

// ---------------------------------------------------------------------------------------------------------------
// Names and descriptions

interface NameAttribute {
  oid: string;
  value: string;
}

/**
 * The Name as RDNs of attributes, read from the DER. Node's `subject` joins multi-valued RDNs and cannot know that a
 * legacy CA put GBK bytes into a PrintableString; pkijs flattens RDNs. So asn1js, with our own string decoding.
 */
function nameRdns(name: pkijs.RelativeDistinguishedNames): NameAttribute[][] {
  const parsed = asn1js.fromBER(name.valueBeforeDecode);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return [];
  return parsed.result.valueBlock.value.map((rdn) => {
    if (!(rdn instanceof asn1js.Set)) return [];
    return rdn.valueBlock.value.flatMap((atv) => {
      if (!(atv instanceof asn1js.Sequence)) return [];
      const [type, value] = atv.valueBlock.value;
      if (!(type instanceof asn1js.ObjectIdentifier) || !value) return [];
      return [{ oid: type.getValue(), value: attributeText(value) }];
    });
  });
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const gbDecoder = (() => {
  try {
    return new TextDecoder('gb18030', { fatal: true });
  } catch {
    return null; // a Node built without full ICU
  }
})();

/**
 * An attribute's text. UTF8String, and the byte string types (PrintableString, TeletexString, IA5String…) are read as
 * UTF-8, else as GB18030 (older Chinese CAs wrote GBK into them), else as Latin-1; BMPString and UniversalString are
 * UTF-16/UTF-32 and asn1js decodes them. A value that is not a string at all is shown as #hex (RFC 4514).
 */
function attributeText(value: asn1js.AsnType): string {
  if (value instanceof asn1js.BmpString || value instanceof asn1js.UniversalString) return value.valueBlock.value;
  if (value instanceof asn1js.BaseStringBlock) {
    const bytes = value.valueBlock.valueHexView;
    try {
      return utf8Decoder.decode(bytes);
    } catch {
      try {
        if (gbDecoder) return gbDecoder.decode(bytes);
      } catch {
        // fall through to Latin-1
      }
      return Buffer.from(bytes).toString('latin1');
    }
  }
  return `#${Buffer.from(value.toBER(false)).toString('hex')}`;
}

/** One line, most specific first as in RFC 4514 ("CN=张三, O=…, C=CN"); `+` joins a multi-valued RDN. */
function formatName(rdns: NameAttribute[][]): string {
  return rdns
    .toReversed()
    .map((rdn) => rdn.map((a) => `${ATTRIBUTE_NAMES[a.oid] ?? a.oid}=${escapeDnValue(a.value)}`).join(' + '))
    .join(', ');
}

function escapeDnValue(value: string): string {
  return value.replace(/[,+"\\<>;]/g, (c) => `\\${c}`).replace(/^([ #])/, '\\$1');
}

/** The last (most specific) value of an attribute, trimmed; null when absent or blank. */
function lastAttribute(rdns: NameAttribute[][], oid: string): string | null {
  const values = rdns.flat().filter((a) => a.oid === oid);
  const value = values.at(-1)?.value.trim();
  return value ? value : null;
}

export interface SubjectAttributes {
  commonName: string | null;
  /**
   * Subject attribute serialNumber (2.5.4.5): where Chinese CAs put the 身份证号码 of a 个人 certificate or the
   * 统一社会信用代码 of a 法人 (unit) certificate. Not the certificate's serial number.
   */
  serialNumber: string | null;
  organization: string | null;
}

/** The person's (or unit's) identity as the CA wrote it, Chinese readable. */
export function subjectAttributes(c: X509Certificate): SubjectAttributes {
  const rdns = nameRdns(pkijsCertificate(c).subject);
  return {
    commonName: lastAttribute(rdns, '2.5.4.3'),
    serialNumber: lastAttribute(rdns, '2.5.4.5'),
    organization: lastAttribute(rdns, '2.5.4.10'),
  };
}

export interface CertificateDescription {
  subject: string;
  issuer: string;
  /** Uppercase hex as Node gives it (BN_bn2hex: whole bytes, no sign padding); the same form parseCrl produces. */
  serialNumber: string;
  validFrom: Date;
  validTo: Date;
  isCa: boolean;
  fingerprint256: string;
  /** 'RSA-2048', 'EC-P-256', 'EC-P-384', 'SM2', or the key algorithm's OID: for staff to read in the console. */
  keyType: string;
}

/** What the console shows about a configured CA certificate or a person's certificate. */
export function describeCertificate(c: X509Certificate): CertificateDescription {
  const pk = pkijsCertificate(c);
  const key = keyKind(c);
  return {
    subject: formatName(nameRdns(pk.subject)),
    issuer: formatName(nameRdns(pk.issuer)),
    serialNumber: normaliseSerialHex(c.serialNumber),
    validFrom: pk.notBefore.value,
    validTo: pk.notAfter.value,
    isCa: c.ca,
    fingerprint256: c.fingerprint256,
    keyType: key.label,
  };
}

/**
 * A serial number in the form Node's X509Certificate.serialNumber has (OpenSSL's BN_bn2hex): uppercase, whole bytes,
 * no leading 00 bytes, "-" for the (non-conforming) negative ones. Accepts any hex spelling (0x, colons, spaces, case,
 * leading zeros), so a serial typed by staff compares equal too.
 */
export function normaliseSerialHex(hex: string): string {
  let text = hex.trim().replace(/[\s:]/g, '');
  const negative = text.startsWith('-');
  if (negative) text = text.slice(1);
  text = text.replace(/^0x/i, '').replace(/^0+/, '').toUpperCase();
  if (text === '') return '0';
  if (text.length % 2) text = `0${text}`;
  return negative ? `-${text}` : text;
}

/** A DER INTEGER's bytes (two's complement) in normaliseSerialHex form. */
function serialFromInteger(integer: asn1js.Integer): string {
  const bytes = integer.valueBlock.valueHexView;
  if (bytes.length === 0) return '0';
  let value = BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
  if ((bytes[0] ?? 0) & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value < 0n ? normaliseSerialHex(`-${(-value).toString(16)}`) : normaliseSerialHex(value.toString(16));
}

// ---------------------------------------------------------------------------------------------------------------
// Keys

type KeyKind =
  | { kind: 'rsa'; label: string }
  | { kind: 'ec'; label: string; fieldBytes: number }
  | { kind: 'sm2'; label: string }
  | { kind: 'other'; label: string };

/** The key type from the SubjectPublicKeyInfo's OIDs, so an SM2 key is recognised whatever OpenSSL makes of it. */
function keyKind(c: X509Certificate): KeyKind {
  const spki = pkijsCertificate(c).subjectPublicKeyInfo;
  const algorithm = spki.algorithm.algorithmId;
  if (algorithm === OID.rsaEncryption) {
    let bits: number | undefined;
    try {
      bits = c.publicKey.asymmetricKeyDetails?.modulusLength;
    } catch {
      bits = undefined;
    }
    return { kind: 'rsa', label: bits ? `RSA-${bits}` : 'RSA' };
  }
  if (algorithm === OID.sm2) return { kind: 'sm2', label: 'SM2' };
  if (algorithm === OID.ecPublicKey) {
    const params = spki.algorithm.algorithmParams;
    const curve = params instanceof asn1js.ObjectIdentifier ? params.getValue() : '';
    if (curve === OID.p256) return { kind: 'ec', label: 'EC-P-256', fieldBytes: 32 };
    if (curve === OID.p384) return { kind: 'ec', label: 'EC-P-384', fieldBytes: 48 };
    if (curve === OID.sm2) return { kind: 'sm2', label: 'SM2' };
    return { kind: 'other', label: curve ? `EC-${curve}` : 'EC' };
  }
  return { kind: 'other', label: algorithm };
}

/**
 * keyUsage bit 0 (digitalSignature), read from the extension's BIT STRING: Node exposes only extended key usage.
 * A certificate without the extension may be used for anything (RFC 5280).
 */
function allowsDigitalSignature(c: X509Certificate): boolean {
  const ext = pkijsCertificate(c).extensions?.find((e) => e.extnID === OID.keyUsage);
  if (!ext) return true;
  const parsed = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.BitString)) return false;
  return ((parsed.result.valueBlock.valueHexView[0] ?? 0) & 0x80) !== 0;
}

// ---------------------------------------------------------------------------------------------------------------
// CRLs

export interface ParsedCrl {
  /** fingerprint256 of the configured CA certificate whose key signed the CRL. */
  issuerFingerprint256: string;
  thisUpdate: Date;
  nextUpdate: Date | null;
  /** Serials in normaliseSerialHex form: equal to X509Certificate.serialNumber of the revoked certificates. */
  revoked: Array<{ serial: string; revokedAt: Date }>;
}

/**
 * A CRL staff upload (PEM "X509 CRL" or DER), accepted only when one of the configured CA certificates signed it:
 * a CRL from elsewhere would let anyone "un-revoke" certificates by uploading an empty list. Synchronous, so the
 * signature is checked with Node's crypto over the tbsCertList bytes rather than pkijs's WebCrypto path.
 */
export function parseCrl(data: Buffer, caCerts: X509Certificate[]): ParsedCrl {
  const der = crlDer(data);
  let crl: pkijs.CertificateRevocationList;
  try {
    crl = pkijs.CertificateRevocationList.fromBER(new Uint8Array(der));
  } catch {
    throw new CaFormatError('吊销列表格式无效：无法解析，请上传 CA 发布的 CRL 文件（PEM 或 DER）');
  }

  const algorithm = crl.signatureAlgorithm.algorithmId;
  const hash = CRL_SIGNATURE_HASHES[algorithm];
  if (!hash) {
    // RSA-PSS and SM3withSM2 (国密) among others: not worth the code until a CA in use needs them.
    throw new CaFormatError(`吊销列表格式无效：不支持的签名算法（${algorithm}）`);
  }
  const signature = crl.signatureValue.valueBlock.valueHexView;
  const issuer = caCerts.find((ca) => {
    let candidate: pkijs.Certificate;
    try {
      candidate = pkijsCertificate(ca);
    } catch {
      return false;
    }
    if (!crl.issuer.isEqual(candidate.subject)) return false;
    try {
      return cryptoVerify(hash, crl.tbsView, ca.publicKey, signature);
    } catch {
      return false;
    }
  });
  if (!issuer) {
    throw new CaFormatError('吊销列表不是由已配置的 CA 签发的：请上传对应 CA 发布的吊销列表，或先添加该 CA 证书');
  }

  return {
    issuerFingerprint256: issuer.fingerprint256,
    thisUpdate: crl.thisUpdate.value,
    nextUpdate: crl.nextUpdate?.value ?? null,
    revoked: (crl.revokedCertificates ?? []).map((r) => ({
      serial: serialFromInteger(r.userCertificate),
      revokedAt: r.revocationDate.value,
    })),
  };
}

function crlDer(data: Buffer): Buffer {
  const invalid = new CaFormatError('吊销列表格式无效：请上传 CA 发布的 CRL 文件（PEM 或 DER）');
  if (!Buffer.isBuffer(data) || data.length === 0) throw invalid;
  if (data[0] === 0x30) return data;
  const text = data.toString('latin1');
  if (text.includes('-----BEGIN')) {
    const block = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(text);
    const der = block ? decodeBase64(block[1] ?? '') : null;
    if (!der) throw invalid;
    return der;
  }
  const der = decodeBase64(text); // a bare base64 DER, as some CA portals serve it
  if (!der) throw invalid;
  return der;
}

// ---------------------------------------------------------------------------------------------------------------
// Login

export interface VerifyLoginInput {
  caCerts: X509Certificate[];
  /** The person's certificate from the USB key: PEM or base64 DER. */
  certificate: string;
  /** base64 of the signature over `data`. */
  signature: string;
  /** The challenge, signed as its UTF-8 bytes. */
  data: string;
  now: Date;
  /** The current CRL's freshness, when one is configured; null: no CRL, revocation rests on `isRevoked` alone. */
  crl: { nextUpdate: Date | null } | null;
  /**
   * Whether the serial (normaliseSerialHex form) is revoked. Serials are unique per CA only, so the fingerprint256 of
   * the CA certificate that issued it is passed too; a lookup that keeps serials of one CA may ignore it.
   */
  isRevoked: (serialHex: string, issuerFingerprint256: string) => Promise<boolean>;
}

export interface VerifiedLogin {
  /** The certificate's serial number (normaliseSerialHex form). */
  serialNumber: string;
  fingerprint256: string;
  subject: SubjectAttributes;
  keyType: 'rsa' | 'ec';
  validTo: Date;
  /** fingerprint256 of the configured CA certificate that issued it. */
  issuerFingerprint256: string;
}

/**
 * Checks a CA 证书登录 and returns who signed, or throws CaRefusedError. Order: format and key type, trust, validity,
 * keyUsage, revocation, then the signature — cheap and certificate-level refusals first, so the message tells the
 * person what is wrong with their USB key before "签名验证失败" could.
 */
export async function verifyLogin(input: VerifyLoginInput): Promise<VerifiedLogin> {
  const { caCerts, now } = input;
  if (input.certificate.length > MAX_CERTIFICATE_TEXT) throw new CaRefusedError('format', '证书格式无效：内容过长');
  if (input.signature.length > MAX_SIGNATURE_TEXT) throw new CaRefusedError('format', '签名格式无效：内容过长');

  // 1. The certificate and its key.
  let leaf: X509Certificate;
  try {
    leaf = parseCertificate(input.certificate);
  } catch (e) {
    throw new CaRefusedError('format', e instanceof CaFormatError ? e.message : '证书格式无效');
  }
  const key = keyKind(leaf);
  if (key.kind === 'sm2') {
    throw new CaRefusedError('unsupported-key', '暂不支持国密（SM2）证书登录，请使用 RSA 或 ECC（P-256/P-384）证书');
  }
  if (key.kind === 'other') {
    throw new CaRefusedError('unsupported-key', `不支持该证书的密钥类型（${key.label}），请使用 RSA 或 ECC 证书`);
  }
  let publicKey: KeyObject;
  try {
    publicKey = leaf.publicKey;
  } catch {
    throw new CaRefusedError('unsupported-key', '无法读取证书的公钥');
  }

  // 2. Issued by a configured CA that is a CA and is itself valid now.
  const issuers = caCerts.filter((ca) => issuedBy(leaf, ca));
  const issuer = issuers.find((ca) => ca.ca && withinValidity(ca, now));
  if (!issuer) {
    const detail = issuers.some((ca) => ca.ca) ? '（签发该证书的 CA 证书已不在有效期内，请联系管理员）' : '';
    throw new CaRefusedError('untrusted', `证书不是由本平台信任的 CA 签发${detail}`);
  }

  // 3. The certificate's own validity.
  const pk = pkijsCertificate(leaf);
  if (now < pk.notBefore.value) {
    throw new CaRefusedError('not-yet-valid', `证书尚未生效（生效时间 ${platformDateTime(pk.notBefore.value)}）`);
  }
  if (now > pk.notAfter.value) {
    throw new CaRefusedError(
      'expired',
      `证书已过期（有效期至 ${platformDateTime(pk.notAfter.value)}），请联系 CA 机构更新证书`,
    );
  }

  // 4. A dual-certificate USB key also holds an encryption certificate: it must not be accepted for login.
  if (!allowsDigitalSignature(leaf)) {
    throw new CaRefusedError('not-for-signing', '该证书不能用于签名（可能选择了加密证书），请选择签名证书后重试');
  }

  // 5. Revocation: a CRL past its nextUpdate may be missing revocations, so nobody logs in on it.
  const serialNumber = normaliseSerialHex(leaf.serialNumber);
  if (input.crl?.nextUpdate && input.crl.nextUpdate < now) {
    throw new CaRefusedError('crl-stale', '吊销列表已过期，请联系管理员更新');
  }
  if (await input.isRevoked(serialNumber, issuer.fingerprint256)) {
    throw new CaRefusedError('revoked', '证书已被吊销，请联系 CA 机构');
  }

  // 6. The signature over the challenge.
  const signature = decodeBase64(input.signature);
  if (!signature || signature.length === 0) throw new CaRefusedError('signature', '签名格式无效');
  const data = Buffer.from(input.data, 'utf8');
  if (!verifySignature(key, publicKey, data, signature)) {
    throw new CaRefusedError('signature', '签名验证失败，请重新登录');
  }

  return {
    serialNumber,
    fingerprint256: leaf.fingerprint256,
    subject: subjectAttributes(leaf),
    keyType: key.kind,
    validTo: pk.notAfter.value,
    issuerFingerprint256: issuer.fingerprint256,
  };
}

/** Name chaining and key identifiers (checkIssued), and the CA's key really signed it (verify). */
function issuedBy(leaf: X509Certificate, ca: X509Certificate): boolean {
  try {
    return leaf.checkIssued(ca) && leaf.verify(ca.publicKey);
  } catch {
    return false;
  }
}

function withinValidity(c: X509Certificate, now: Date): boolean {
  const pk = pkijsCertificate(c);
  return now >= pk.notBefore.value && now <= pk.notAfter.value;
}

/**
 * SHA-256 with RSA PKCS#1 v1.5, or ECDSA. Plug-ins differ in how they encode ECDSA: most return DER like every X.509
 * structure, WebCrypto-based ones return raw r‖s (IEEE P1363). Both are tried — a raw one has exactly twice the field
 * size — which is no weaker: each attempt is a full verification under its own encoding.
 */
function verifySignature(key: KeyKind, publicKey: KeyObject, data: Buffer, signature: Buffer): boolean {
  const attempt = (options: Parameters<typeof cryptoVerify>[2]) => {
    try {
      return cryptoVerify('sha256', data, options, signature);
    } catch {
      return false;
    }
  };
  if (key.kind === 'rsa') return attempt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING });
  if (key.kind !== 'ec') return false;
  const encodings: Array<'der' | 'ieee-p1363'> =
    signature.length === key.fieldBytes * 2 ? ['ieee-p1363', 'der'] : ['der'];
  return encodings.some((dsaEncoding) => attempt({ key: publicKey, dsaEncoding }));
}
