import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPdfSignature } from '../../../test/pdf-signature.js';
import {
  addSignaturePlaceholder,
  createPdfSigner,
  identityFromP12,
  loadSigningIdentity,
  selfSignedIdentity,
} from './pdf-signer.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-signer-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function placeholderPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]).drawText('signed', { x: 20, y: 100, size: 20 });
  addSignaturePlaceholder(doc, new Date('2026-03-01T02:00:00Z'));
  return doc.save({ useObjectStreams: false });
}

/** A .p12 as a CA would hand it over: key and certificate, protected by a password. */
function p12Of(keyPem: string, certPem: string, password: string): Buffer {
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(keyPem),
    [forge.pki.certificateFromPem(certPem)],
    password,
    { algorithm: '3des' },
  );
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

describe('PDF signer', () => {
  const made = selfSignedIdentity('重庆市人力资源开发服务中心（测试）', '重庆市人力资源开发服务中心');

  it('signs with a key from a password-protected .p12 (path or base64) and the signature verifies', async () => {
    const p12 = p12Of(made.keyPem, made.certPem, 'S3cret!');
    const file = path.join(dir, 'org.p12');
    fs.writeFileSync(file, p12);
    for (const source of [file, p12.toString('base64')]) {
      const identity = loadSigningIdentity({ p12: source, password: 'S3cret!', dataDir: dir, issuerName: 'x' });
      expect(identity.subject).toBe('重庆市人力资源开发服务中心（测试）');
      expect(identity.selfSigned).toBe(true);
      const signed = await createPdfSigner(identity).sign(await placeholderPdf());
      expect(verifyPdfSignature(signed)).toMatchObject({
        valid: true,
        wholeDocument: true,
        subFilter: 'ETSI.CAdES.detached',
      });
    }
  });

  it('one signer signs many documents (the key is parsed once)', async () => {
    const signer = createPdfSigner(identityFromP12(p12Of(made.keyPem, made.certPem, 'pw'), 'pw'));
    const docs = await Promise.all([1, 2, 3].map(async () => signer.sign(await placeholderPdf())));
    for (const d of docs) expect(verifyPdfSignature(d).valid).toBe(true);
  });

  it('a wrong password or a file that is not PKCS#12 is refused with the variable named', () => {
    const p12 = p12Of(made.keyPem, made.certPem, 'right');
    expect(() => identityFromP12(p12, 'wrong')).toThrow(/CERT_SIGNING_PASSWORD/);
    expect(() => identityFromP12(Buffer.from('not a p12'), '')).toThrow(/CERT_SIGNING_P12/);
  });

  it('a changed byte breaks the signature; appended bytes keep it valid but not for the whole document', async () => {
    const signer = createPdfSigner(identityFromP12(p12Of(made.keyPem, made.certPem, 'pw'), 'pw'));
    const signed = await signer.sign(await placeholderPdf());
    const tampered = Buffer.from(signed);
    const at = signed.indexOf('signed') > 0 ? signed.indexOf('/MediaBox') : 100;
    tampered[at + 2] = tampered[at + 2] === 0x30 ? 0x31 : 0x30;
    expect(verifyPdfSignature(tampered)).toMatchObject({ valid: false, problem: 'digest mismatch' });
    const appended = Buffer.concat([signed, Buffer.from('\n% appended\n')]);
    expect(verifyPdfSignature(appended)).toMatchObject({ valid: true, wholeDocument: false });
  });

  it('demo mode makes one self-signed identity and keeps it in DATA_DIR across restarts', () => {
    const demoDir = path.join(dir, 'demo');
    const first = loadSigningIdentity({ password: '', dataDir: demoDir, issuerName: '重庆市人力资源开发服务中心' });
    const again = loadSigningIdentity({ password: '', dataDir: demoDir, issuerName: '重庆市人力资源开发服务中心' });
    expect(first.certificates[0]?.equals(again.certificates[0] as Buffer)).toBe(true);
    expect(first.subject).toContain('演示证书');
    expect(fs.statSync(path.join(demoDir, 'certificate-signing.json')).mode & 0o777).toBe(0o600);
  });
});
