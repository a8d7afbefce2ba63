import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../test/pdf-text.js';
import { renderSeminarCertificatePdf } from './certificate-pdf.js';

const sheet = {
  certNo: 'GYB2026000001',
  holderName: '张三',
  idNumberMasked: '500***********1232',
  hostUnit: '重庆渝中示例科技有限公司',
  heldFrom: '2026-11-28',
  heldTo: '2026-11-30',
  hours: 20,
  issuedAt: new Date('2026-12-07T02:00:00Z'),
  issuerName: '重庆市人力资源和社会保障局',
  verifyUrl: 'http://localhost:3000/verify?no=GYB2026000001',
};
const squash = (s: string) => s.replace(/\s+/g, '');

describe('高研班结业证书', () => {
  it('names the class once, whether or not its name ends in 研修班', async () => {
    const named = squash(
      await pdfText(
        Buffer.from(await renderSeminarCertificatePdf({ ...sheet, projectName: '大数据与人工智能应用高级研修班' })),
      ),
    );
    expect(named).toContain('参加“大数据与人工智能应用高级研修班”，完成研修任务');
    expect(named).toContain('计专业科目20学时');
    const bare = squash(
      await pdfText(Buffer.from(await renderSeminarCertificatePdf({ ...sheet, projectName: '数字经济与智能制造' }))),
    );
    expect(bare).toContain('参加“数字经济与智能制造”高级研修班，');
  });
});
