import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import forge from 'node-forge';
import type { PDFDocument } from 'pdf-lib';

/**
 * PAdES (ETSI.CAdES.detached) signatures for 合格证书. The key and certificates are parsed once per process and
 * the CMS SignedData is written here as DER with the RSA step in node:crypto: the stock P12 signer decrypts the
 * .p12 and signs in pure JavaScript on every call (~60–90 ms), this takes well under a few milliseconds.
 */

export interface SigningIdentity {
  key: crypto.KeyObject;
  /** DER, the signer's own certificate first, then the rest of its chain. */
  certificates: Buffer[];
  /** Subject CN of the signing certificate (for logs and the README). */
  subject: string;
  selfSigned: boolean;
}

/** Reads a PKCS#12 (.p12 / .pfx) bundle: the private key and the certificate that matches it, plus its chain. */
export function identityFromP12(p12: Buffer, password: string): SigningIdentity {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary'))), password);
  } catch (err) {
    throw new Error(`CERT_SIGNING_P12 cannot be read (wrong CERT_SIGNING_PASSWORD or not a PKCS#12 file): ${err}`);
  }
  const oids = forge.pki.oids as Record<string, string>;
  const bagsOf = (type: string) => parsed.getBags({ bagType: type })[type] ?? [];
  const keyBags = [...bagsOf(oids.pkcs8ShroudedKeyBag as string), ...bagsOf(oids.keyBag as string)];
  const forgeKey = keyBags.find((b) => b.key)?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!forgeKey) throw new Error('CERT_SIGNING_P12 holds no private key');
  const certs = bagsOf(oids.certBag as string)
    .map((b) => b.cert)
    .filter((c): c is forge.pki.Certificate => Boolean(c));
  const own = certs.find((c) => (c.publicKey as forge.pki.rsa.PublicKey).n.equals(forgeKey.n));
  if (!own) throw new Error('CERT_SIGNING_P12 holds no certificate for its private key');
  const ordered = [own, ...certs.filter((c) => c !== own)];
  return {
    key: crypto.createPrivateKey(forge.pki.privateKeyToPem(forgeKey)),
    certificates: ordered.map((c) =>
      Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), 'binary'),
    ),
    subject: commonNameOf(own),
    selfSigned: own.isIssuer(own),
  };
}

/** forge hands back a UTF8String's bytes undecoded. */
function commonNameOf(cert: forge.pki.Certificate): string {
  const raw = String(cert.subject.getField('CN')?.value ?? '');
  try {
    return forge.util.decodeUtf8(raw);
  } catch {
    return raw;
  }
}

/** A self-signed RSA-2048 certificate for demo mode, valid 10 years. */
export function selfSignedIdentity(commonName: string, organisation: string): { keyPem: string; certPem: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string);
  cert.serialNumber = `01${crypto.randomBytes(15).toString('hex')}`;
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 86_400_000);
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 86_400_000);
  // UTF8String, so the Chinese organisation name survives in readers that show the signer.
  const attrs = [
    { shortName: 'CN', value: commonName, valueTagClass: forge.asn1.Type.UTF8 },
    { shortName: 'O', value: organisation, valueTagClass: forge.asn1.Type.UTF8 },
    { shortName: 'C', value: 'CN' },
  ] as forge.pki.CertificateField[];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true },
    { name: 'extKeyUsage', emailProtection: true },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { keyPem, certPem: forge.pki.certificateToPem(cert) };
}

export function identityFromPem(keyPem: string, certPem: string): SigningIdentity {
  const cert = forge.pki.certificateFromPem(certPem);
  return {
    key: crypto.createPrivateKey(keyPem),
    certificates: [Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary')],
    subject: commonNameOf(cert),
    selfSigned: cert.isIssuer(cert),
  };
}

/**
 * The configured P12 (a path, or the file's base64), else in demo mode a self-signed identity generated once and
 * kept in DATA_DIR so certificates signed before a restart carry the same signer.
 */
export function loadSigningIdentity(opts: {
  p12?: string;
  password: string;
  dataDir: string;
  issuerName: string;
}): SigningIdentity {
  if (opts.p12) {
    const bytes = fs.existsSync(opts.p12) ? fs.readFileSync(opts.p12) : Buffer.from(opts.p12, 'base64');
    return identityFromP12(bytes, opts.password);
  }
  const file = path.join(opts.dataDir, 'certificate-signing.json');
  if (fs.existsSync(file)) {
    const { keyPem, certPem } = JSON.parse(fs.readFileSync(file, 'utf8')) as { keyPem: string; certPem: string };
    return identityFromPem(keyPem, certPem);
  }
  const made = selfSignedIdentity(`${opts.issuerName}（演示证书）`, opts.issuerName);
  fs.mkdirSync(opts.dataDir, { recursive: true });
  // Another instance may have written it first: keep the first one, so every instance signs alike.
  try {
    fs.writeFileSync(file, JSON.stringify(made), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const first = JSON.parse(fs.readFileSync(file, 'utf8')) as { keyPem: string; certPem: string };
    return identityFromPem(first.keyPem, first.certPem);
  }
  return identityFromPem(made.keyPem, made.certPem);
}

// ---- DER, just what SignedData needs ----

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, ...content: Buffer[]) => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
};
const seq = (...c: Buffer[]) => tlv(0x30, ...c);
const set = (...c: Buffer[]) => tlv(0x31, ...c);
const octets = (b: Buffer) => tlv(0x04, b);
const oid = (dotted: string) => Buffer.from(forge.asn1.oidToDer(dotted).getBytes(), 'binary').subarray(0);
const OID = (dotted: string) => tlv(0x06, oid(dotted));
const NULL = Buffer.from([0x05, 0x00]);
const INT1 = Buffer.from([0x02, 0x01, 0x01]);

const OIDS = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
};

/** The issuer Name and serialNumber of a certificate, as DER, for SignerInfo's issuerAndSerialNumber. */
function issuerAndSerial(certDer: Buffer): Buffer {
  const cert = forge.asn1.fromDer(forge.util.createBuffer(certDer.toString('binary')));
  const tbs = (cert.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
  // tbsCertificate starts with [0] version when present.
  const at = tbs[0]!.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const der = (node: forge.asn1.Asn1) => Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
  return seq(der(tbs[at + 2]!), der(tbs[at]!));
}

/**
 * A @signpdf Signer writing CMS SignedData with the signed attributes PAdES B-B asks for (content type, message
 * digest, signing-certificate-v2). The signing time is the /M entry of the signature dictionary.
 */
export class FastCmsSigner extends Signer {
  private readonly fixed: { certs: Buffer; sid: Buffer; essCert: Buffer };

  constructor(private readonly identity: SigningIdentity) {
    super();
    const own = identity.certificates[0]!;
    this.fixed = {
      certs: tlv(0xa0, ...identity.certificates),
      sid: issuerAndSerial(own),
      essCert: seq(OID(OIDS.signingCertificateV2), set(seq(seq(seq(octets(sha256(own))))))),
    };
  }

  override async sign(pdf: Buffer): Promise<Buffer> {
    return this.signSync(pdf);
  }

  signSync(content: Buffer): Buffer {
    const attrs = [
      seq(OID(OIDS.contentType), set(OID(OIDS.data))),
      seq(OID(OIDS.messageDigest), set(octets(sha256(content)))),
      this.fixed.essCert,
    ].sort(Buffer.compare); // DER orders a SET OF by encoding
    const signedAttrs = set(...attrs);
    const signature = crypto.sign('sha256', signedAttrs, this.identity.key);
    const sha256Alg = seq(OID(OIDS.sha256), NULL);
    const signerInfo = seq(
      INT1,
      this.fixed.sid,
      sha256Alg,
      // [0] IMPLICIT: the same attributes with the SET tag replaced.
      Buffer.concat([Buffer.from([0xa0]), signedAttrs.subarray(1)]),
      seq(OID(OIDS.rsaEncryption), NULL),
      octets(signature),
    );
    const signedData = seq(INT1, set(sha256Alg), seq(OID(OIDS.data)), this.fixed.certs, set(signerInfo));
    return seq(OID(OIDS.signedData), tlv(0xa0, signedData));
  }
}

function sha256(b: Buffer): Buffer {
  return crypto.createHash('sha256').update(b).digest();
}

/** Room for the CMS: one 2048/4096-bit signature and a chain of a few certificates. */
const SIGNATURE_BYTES = 8192;

/** Adds the signature field to a pdf-lib document; save it with `useObjectStreams: false`, then `signPdf`. */
export function addSignaturePlaceholder(doc: PDFDocument, signingTime: Date): void {
  pdflibAddPlaceholder({
    pdfDoc: doc,
    // PDF strings here are written as-is: ASCII only.
    reason: 'Certificate of completion (CPE public required courses)',
    contactInfo: '',
    name: 'CPE certificate signing',
    location: 'Chongqing, CN',
    signingTime,
    signatureLength: SIGNATURE_BYTES,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'CPE',
  });
}

export function createPdfSigner(identity: SigningIdentity) {
  const signer = new FastCmsSigner(identity);
  const signpdf = new SignPdf();
  return {
    identity,
    async sign(pdf: Uint8Array): Promise<Buffer> {
      return signpdf.sign(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength), signer);
    },
  };
}
export type PdfSigner = ReturnType<typeof createPdfSigner>;
