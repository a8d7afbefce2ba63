import fs from 'node:fs/promises';
import path from 'node:path';
import { type TDemoCaCertificates, ZDemoCaCertificates } from '@cpe/shared';
import { z } from 'zod';

/**
 * Demo mode's 演示证书 (issue 18 §3): a test CA and two certificates, made at first start and kept in the data
 * folder, so a newcomer can try CA 证书登录 without a USB key. The demo signing page (/ca-signer) holds their
 * private keys and stands in for the USB key's signing program; the seeded provider `ca-demo` trusts the CA.
 */
export const DEMO_CA = { id: 'ca-demo', signerPath: '/ca-signer', pin: '123456', file: 'demo-ca.json' } as const;

const ZDemoCaFile = ZDemoCaCertificates.extend({ ca: z.object({ certificate: z.string(), privateKey: z.string() }) });
export type DemoCaFile = z.infer<typeof ZDemoCaFile>;

const YEAR_MS = 365 * 86_400_000;

export interface DemoCaHolders {
  person: { realName: string; idNumber: string };
  unit: { name: string; uscc: string };
}

/** Reads the demo CA of this data folder, or makes it (written whole, then renamed: never half a file). */
export async function ensureDemoCa(dataDir: string, holders: DemoCaHolders, now: Date): Promise<DemoCaFile> {
  const existing = await readDemoCa(dataDir);
  if (existing) return existing;
  // The issuer (pkijs, asn1js) is only needed this once per data folder: not loaded at every start (issue 22).
  const { exportPrivateKeyPem, generateKeyPair, issueCertificate } = await import('../../lib/x509-issue.js');
  const caKeys = await generateKeyPair('rsa');
  const notBefore = new Date(now.getTime() - 86_400_000);
  const caPem = await issueCertificate({
    subject: { commonName: 'CPE 演示 CA', organization: 'CPE 演示证书中心' },
    serial: 1,
    notBefore,
    notAfter: new Date(now.getTime() + 10 * YEAR_MS),
    publicKey: caKeys.publicKey,
    ca: true,
  });
  const issuer = { certificatePem: caPem, privateKey: caKeys.privateKey };
  const leaf = async (
    kind: 'person' | 'unit',
    keyType: 'rsa' | 'ec',
    serial: number,
    subject: { commonName: string; organization?: string; serialNumber: string },
  ) => {
    const keys = await generateKeyPair(keyType);
    const notAfter = new Date(now.getTime() + 2 * YEAR_MS);
    const certificate = await issueCertificate({
      subject,
      serial,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      ca: false,
      issuer,
    });
    return {
      id: kind === 'person' ? 'person' : 'unit',
      label: kind === 'person' ? `${subject.commonName}（个人证书）` : `${subject.commonName}（法人证书）`,
      holder: subject.commonName,
      kind,
      keyType,
      certificate,
      privateKey: await exportPrivateKeyPem(keys.privateKey),
      validTo: notAfter.toISOString(),
    };
  };
  const file: DemoCaFile = {
    pin: DEMO_CA.pin,
    ca: { certificate: caPem, privateKey: await exportPrivateKeyPem(caKeys.privateKey) },
    items: [
      await leaf('person', 'rsa', 1001, {
        commonName: holders.person.realName,
        serialNumber: holders.person.idNumber,
      }),
      // ECDSA for the unit: both key types a Chinese CA issues besides SM2 are tried by the demo.
      await leaf('unit', 'ec', 1002, {
        commonName: holders.unit.name,
        organization: holders.unit.name,
        serialNumber: holders.unit.uscc,
      }),
    ],
  };
  const target = path.join(dataDir, DEMO_CA.file);
  const tmp = `${target}.${process.pid}.tmp`;
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(tmp, JSON.stringify(file, null, 2), { mode: 0o600 });
  await fs.rename(tmp, target);
  return file;
}

/** The demo CA of this data folder, or null before the first demo start. */
export async function readDemoCa(dataDir: string): Promise<DemoCaFile | null> {
  try {
    return ZDemoCaFile.parse(JSON.parse(await fs.readFile(path.join(dataDir, DEMO_CA.file), 'utf8')));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** What the demo signing page gets: the certificates and their keys, never the CA's key. */
export const demoSignerView = (file: DemoCaFile): TDemoCaCertificates => ({ pin: file.pin, items: file.items });
