import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';

export interface SignatureCheck {
  /** The signed bytes hash to the CMS message digest and the CMS signature verifies with the signer's key. */
  valid: boolean;
  /** The signature's byte range ends where the file ends: nothing was appended after signing. */
  wholeDocument: boolean;
  subFilter: string | null;
  signer: string | null;
  problem?: string;
}

/**
 * Verifies a PDF's (last) signature the way a reader does, independently of the code that signed it: the digest of
 * the /ByteRange bytes against the CMS messageDigest attribute, then the RSA signature over the signed attributes
 * with the certificate carried in the CMS (node-forge).
 */
export function verifyPdfSignature(pdf: Buffer): SignatureCheck {
  const text = pdf.toString('latin1');
  const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const last = ranges.at(-1);
  const subFilter = /\/SubFilter\s*\/([\w.]+)/.exec(text)?.[1] ?? null;
  const fail = (problem: string): SignatureCheck => ({
    valid: false,
    wholeDocument: false,
    subFilter,
    signer: null,
    problem,
  });
  if (!last) return fail('no /ByteRange');
  const [a, b, c, d] = last.slice(1, 5).map(Number) as [number, number, number, number];
  if (a !== 0 || text[b] !== '<' || text[c - 1] !== '>') return fail('byte range does not frame /Contents');
  const signed = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
  const wholeDocument = c + d === pdf.length;
  try {
    const der = withoutPadding(Buffer.from(text.slice(b + 1, c - 1), 'hex'));
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
    const msg = forge.pkcs7.messageFromAsn1(asn1) as forge.pkcs7.PkcsSignedData & {
      rawCapture: { authenticatedAttributes?: forge.asn1.Asn1[]; signature: string };
    };
    const cert = msg.certificates[0];
    if (!cert) return { ...fail('no certificate in the CMS'), wholeDocument };
    const signer = String(cert.subject.getField('CN')?.value ?? '');
    const attrs = msg.rawCapture.authenticatedAttributes ?? [];
    const digestAttr = attrs.find(
      (attr) =>
        forge.asn1.derToOid((attr.value as forge.asn1.Asn1[])[0]!.value as string) === forge.pki.oids.messageDigest,
    );
    if (!digestAttr) return { ...fail('no messageDigest attribute'), wholeDocument, signer };
    const claimed = Buffer.from(
      ((digestAttr.value as forge.asn1.Asn1[])[1]!.value as forge.asn1.Asn1[])[0]!.value as string,
      'binary',
    );
    const actual = crypto.createHash('sha256').update(signed).digest();
    if (!claimed.equals(actual)) return { ...fail('digest mismatch'), wholeDocument, signer };
    const set = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, attrs);
    const md = forge.md.sha256.create();
    md.update(forge.asn1.toDer(set).getBytes());
    const ok = (cert.publicKey as forge.pki.rsa.PublicKey).verify(md.digest().getBytes(), msg.rawCapture.signature);
    return ok
      ? { valid: true, wholeDocument, subFilter, signer }
      : { ...fail('signature does not verify'), wholeDocument, signer };
  } catch (err) {
    return { ...fail(`unreadable signature: ${(err as Error).message}`), wholeDocument };
  }
}

/** /Contents is zero-padded to the placeholder's size: the CMS is as long as its outer DER header says. */
function withoutPadding(der: Buffer): Buffer {
  const first = der[1] ?? 0;
  if (first < 0x80) return der.subarray(0, 2 + first);
  const n = first & 0x7f;
  return der.subarray(0, 2 + n + der.subarray(2, 2 + n).readUIntBE(0, n));
}

/** poppler's pdfsig output for the file, or null when pdfsig is not installed. */
export function pdfsig(pdf: Buffer): string | null {
  try {
    execFileSync('pdfsig', ['-v'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdfsig-'));
  const file = path.join(dir, 'doc.pdf');
  fs.writeFileSync(file, pdf);
  try {
    return execFileSync('pdfsig', [file], { encoding: 'utf8' });
  } catch (err) {
    // pdfsig exits non-zero for invalid signatures but still prints its findings.
    const e = err as { stdout?: string };
    return e.stdout ?? '';
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
