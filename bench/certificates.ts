/**
 * 合格证书 throughput: certificates rendered (pdf-lib + fontkit 2 subset, vector seal and QR) and signed (PAdES,
 * RSA-2048) per second in one process, sequentially, as the 打印证书 route does on first print. Target ≥ 20/s.
 * BENCH_CERTS sets how many (default 200).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { renderCertificatePdf } from '../apps/server/src/modules/certificates/certificate-pdf.js';
import { newCertNo } from '../apps/server/src/modules/certificates/certificates.service.js';
import { createPdfSigner, loadSigningIdentity } from '../apps/server/src/modules/certificates/pdf-signer.js';

const N = Number(process.env.BENCH_CERTS ?? 200);
const NAMES = ['张三', '欧阳锋', '李四光', '王小明', '诸葛孔明', '赵敏', '钱学森', '孙悦'];
const ORGS = ['重庆渝中示例科技有限公司', '渝北区人力资源和社会保障局', '重庆市第一人民医院', '重庆市南开中学校'];

export async function benchCertificates(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-bench-certs-'));
  try {
    const issuerName = '重庆市人力资源开发服务中心';
    const signer = createPdfSigner(loadSigningIdentity({ password: '', dataDir, issuerName }));
    const sheet = (i: number) => {
      const certNo = newCertNo(2026);
      return {
        certNo,
        holderName: NAMES[i % NAMES.length] as string,
        idType: 'idCard' as const,
        idNumberMasked: `500***********${String(1000 + (i % 9000))}`,
        planName: '重庆市2026年专技人员继续教育公需科目培训',
        year: 2026,
        hours: 30,
        issuedAt: new Date(),
        orgName: ORGS[i % ORGS.length] as string,
        issuerName,
        verifyUrl: `http://localhost:3000/verify?no=${certNo}`,
      };
    };
    // The first one parses the 10 MB font: measured apart, it is paid once per process.
    let t = performance.now();
    const first = await signer.sign(await renderCertificatePdf(sheet(0)));
    const warm = performance.now() - t;

    let render = 0;
    let sign = 0;
    let bytes = 0;
    const start = performance.now();
    for (let i = 1; i <= N; i++) {
      t = performance.now();
      const pdf = await renderCertificatePdf(sheet(i));
      const rendered = performance.now();
      const signed = await signer.sign(pdf);
      sign += performance.now() - rendered;
      render += rendered - t;
      bytes += signed.length;
    }
    const total = performance.now() - start;
    const perSecond = (N * 1000) / total;
    console.log('\n合格证书 PDF (render + sign, sequential, one process)');
    console.log(`  first certificate (font parse): ${warm.toFixed(0)} ms, ${first.length} bytes`);
    console.log(`  ${N} certificates in ${(total / 1000).toFixed(2)} s → ${perSecond.toFixed(1)} /s (target ≥ 20/s)`);
    console.log(
      `  per certificate: render ${(render / N).toFixed(1)} ms, sign ${(sign / N).toFixed(1)} ms, ${Math.round(bytes / N / 1024)} KB`,
    );
    console.log(`  ${perSecond >= 20 ? 'PASS' : 'FAIL'}: ${perSecond.toFixed(1)} certificates/s`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCertificates();
