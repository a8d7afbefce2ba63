import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../test/pdf-text.js';
import { certificateSentence, renderCertificatePdf, renderSeminarCertificatePdf } from './certificate-pdf.js';

const sheet = {
  certNo: 'GYB2026000001',
  holderName: '张三',
  idType: 'idCard' as const,
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
    expect(bare).toContain('张三（身份证号码：500***********1232）：');
  });

  it('names the number by the holder’s 证件类型', async () => {
    const text = async (over: Partial<Parameters<typeof renderSeminarCertificatePdf>[0]>) =>
      squash(
        await pdfText(Buffer.from(await renderSeminarCertificatePdf({ ...sheet, projectName: '数字经济', ...over }))),
      );
    expect(await text({ idType: 'hkMacaoResidence', idNumberMasked: '810***********1232' })).toContain(
      '张三（港澳居民居住证号码：810***********1232）：',
    );
    expect(
      await text({
        holderName: 'JOHNATHAN ALEXANDER SMITHERSON',
        idType: 'foreignPermanent',
        idNumberMasked: 'USA********9012',
      }),
    ).toContain('（外国人永久居留身份证号码：USA********9012）：');
  });
});

describe('合格证书 (公需科目)', () => {
  const plan = {
    ...sheet,
    certNo: 'GX2026000001',
    year: 2026,
    hours: 30,
    orgName: '重庆市人力资源和社会保障局',
  };
  it('says the year once when the plan’s name carries it, and once when it does not', async () => {
    const named = squash(
      await pdfText(
        Buffer.from(await renderCertificatePdf({ ...plan, planName: '重庆市2026年专业技术人员继续教育公需科目培训' })),
      ),
    );
    expect(named).toContain('参加重庆市2026年专业技术人员继续教育公需科目培训学习，完成30学时');
    expect(named).not.toContain('于2026年度参加重庆市2026年');
    expect(certificateSentence({ year: 2026, planName: '专业技术人员公需科目培训', hours: 30 })).toBe(
      '于2026年度参加专业技术人员公需科目培训学习，完成30学时，成绩合格，特发此证。',
    );
  });
});
