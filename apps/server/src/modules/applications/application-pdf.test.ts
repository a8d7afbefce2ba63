import { ADVANCED_SEMINAR, type ApplicationData, COMPLETION, PLAN_CHANGE } from '@cpe/shared';
import { describe, expect, it } from 'vitest';
import { embeddedGlyphOutlines, pdfPages } from '../../../test/pdf-text.js';
import { type ApplicationPdfInput, renderApplicationPdf } from './application-pdf.js';

const END_MARKER = '【全文完·校验XJ2026】';

const CONTENT_SENTENCES = [
  '围绕成渝地区双城经济圈建设对高层次专业技术人才的迫切需求，系统讲授智能制造领域的前沿理论与关键技术。',
  '邀请国内知名高校和科研院所的专家学者，结合典型工程案例，深入剖析工业互联网平台的架构设计与实施路径。',
  '组织学员赴重点企业开展现场教学，实地考察数字化车间和智能生产线，交流企业转型升级的经验与做法。',
  '设置专题研讨环节，由学员结合本单位实际提出问题，专家现场点评指导，形成可推广、可复制的解决方案。',
  '课程内容涵盖数据治理、人工智能应用、工业软件国产化、网络安全防护以及绿色低碳制造等重点方向。',
];

/** About 3,000 characters in numbered paragraphs, so every part of it can be found in the output. */
function longContent(): string {
  const paragraphs: string[] = [];
  for (let i = 1; paragraphs.join('\n').length < 2950; i++) {
    paragraphs.push(`（${i}）${CONTENT_SENTENCES[i % CONTENT_SENTENCES.length]}${CONTENT_SENTENCES[(i + 2) % 5]}`);
  }
  return `${paragraphs.join('\n')}${END_MARKER}`;
}

function sampleData(): ApplicationData {
  return {
    basic: {
      projectName: '智能制造与工业互联网创新发展高级研修班',
      period: { from: '2026-05-11', to: '2026-05-15' },
      venue: '重庆市渝北区仙桃国际大数据谷会议中心',
      estimatedFen: 12_500_000,
      subsidyFen: 8_000_000,
    },
    purpose: {
      purpose:
        '通过集中研修，帮助我市智能制造领域高层次专业技术人才掌握工业互联网、数字孪生等前沿技术，\n提升创新能力和解决复杂工程问题的能力，推动产业数字化转型。',
    },
    content: {
      content: longContent(),
      method: '专题讲座、案例教学、现场观摩与分组研讨相结合，研修结束后提交研修报告。',
      schedule: [
        { date: '2026-05-11', time: '上午', topic: '开班仪式；智能制造发展趋势与政策解读', lecturer: '王建国' },
        { date: '2026-05-12', time: '全天', topic: '工业互联网平台架构设计与典型应用案例分析', lecturer: '李晓梅' },
        { date: '2026-05-13', time: '上午', topic: '数字孪生技术在离散制造中的应用', lecturer: '陈志远' },
        { date: '2026-05-14', time: '全天', topic: '现场教学：两江新区智能工厂观摩与交流', lecturer: '' },
        { date: '2026-05-15', time: '上午', topic: '分组研讨、成果汇报与结业考核', lecturer: '王建国' },
      ],
    },
    experts: {
      experts: [
        {
          name: '王建国',
          employer: '重庆大学机械与运载工程学院',
          title: '教授/博士生导师',
          field: '智能制造',
          topic: '智能制造发展趋势',
        },
        {
          name: '李晓梅',
          employer: '中国信息通信研究院西部分院',
          title: '正高级工程师',
          field: '工业互联网',
          topic: '工业互联网平台架构',
        },
        {
          name: '陈志远',
          employer: '中国科学院重庆绿色智能技术研究院',
          title: '研究员',
          field: '数字孪生',
          topic: '数字孪生技术应用',
        },
      ],
    },
    trainees: {
      audience: '全市智能制造、电子信息、汽车摩托车等行业企业和科研院所具有中级及以上职称的专业技术人员。',
      count: 80,
      seniorCount: 35,
    },
    applicant: {
      unitName: '重庆市机械工程学会',
      uscc: '51500000MJP123456X',
      address: '重庆市渝中区长江一路58号',
      contactName: '张丽',
      contactPhone: '023-63801234',
      email: 'zhangli@example.cn',
    },
    host: {
      hostName: '重庆市智能制造产业研究院',
      hostAddress: '重庆市渝北区金开大道1000号',
      hostContact: '刘强',
      hostPhone: '13800138000',
    },
    account: {
      accountName: '重庆市机械工程学会',
      bankName: '中国工商银行重庆解放碑支行',
      accountNumber: '3100021409024567890',
    },
    attachments: {
      files: [
        { fileId: '0b7d6f1e-2c3a-4b5d-8e9f-0a1b2c3d4e5f', name: '研修方案.pdf', mime: 'application/pdf', size: 204800 },
        {
          fileId: '1c8e7a2f-3d4b-4c6e-9fa0-1b2c3d4e5f60',
          name: '专家简介.docx',
          mime: 'application/msword',
          size: 51200,
        },
      ],
    },
  };
}

function sampleInput(overrides: Partial<ApplicationPdfInput> = {}): ApplicationPdfInput {
  return {
    def: ADVANCED_SEMINAR,
    year: 2026,
    number: '2601000000000001',
    statusLabel: '待审核',
    filerName: '重庆市机械工程学会',
    data: sampleData(),
    // 16:30 UTC is the next morning in Chongqing.
    generatedAt: new Date('2026-04-20T16:30:00Z'),
    platformName: '重庆市专业技术人员继续教育平台',
    submittedAt: new Date('2026-04-18T02:05:00Z'),
    ...overrides,
  };
}

/** The text of each page as a reader extracts it (pdf.js, pure JavaScript: no poppler needed on the machine). */
async function readPdf(pdf: Buffer): Promise<{ pages: string[]; pageCount: number }> {
  const pages = await pdfPages(pdf);
  return { pages, pageCount: pages.length };
}

const squash = (s: string) => s.replace(/\s+/g, '');

describe('renderApplicationPdf', () => {
  it('prints the cover, every section and a numbered footer', async () => {
    const pdf = await renderApplicationPdf(sampleInput());
    const { pages, pageCount } = await readPdf(pdf);
    const text = pages.join('\n');

    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pageCount).toBeGreaterThan(1);
    expect(pages).toHaveLength(pageCount);
    expect(squash(text)).toContain('2026年度重庆市专业技术人才知识更新工程高级研修项目申报书');
    expect(text).toContain('智能制造与工业互联网创新发展高级研修班');
    expect(text).toContain('2601000000000001');
    expect(text).toContain('2026-04-18 10:05');
    expect(text).toContain('2026-04-21 00:30');
    expect(text).toContain('2026-05-11 至 2026-05-15');
    expect(text).toContain('12.50 万元');
    expect(text).toContain('8.00 万元');
    expect(text).toContain('李晓梅');
    expect(text).toContain('80人');
    expect(text).toContain('专家简介.docx');
    for (const heading of ['一、基本信息', '二、研修目的和作用', '四、授课专家情况', '九、其他附件']) {
      expect(text).toContain(heading);
    }
    pages.forEach((page, i) => {
      expect(page).toContain(`第 ${i + 1} 页 / 共 ${pageCount} 页`);
      expect(page).toContain('重庆市专业技术人员继续教育平台');
    });
  });

  it('never ends a page with a section heading: 四、授课专家情况 stays with its table wherever it falls', async () => {
    // The 授课方式 text before it grows line by line, moving the heading through every position near a page's foot.
    for (let extra = 0; extra < 40; extra++) {
      const data = sampleData();
      const content = data.content as Record<string, unknown>;
      content.method = `${content.method as string}${'\n补充说明：分组研讨安排。'.repeat(extra)}`;
      const { pages } = await readPdf(await renderApplicationPdf(sampleInput({ data })));
      const page = pages.find((p) => squash(p).includes('四、授课专家情况')) as string;
      expect(page, `extra ${extra}`).toBeTruthy();
      const after = squash(page).split('四、授课专家情况')[1] ?? '';
      // The table's caption, header and first expert follow the heading on the same page.
      expect(after, `extra ${extra}`).toContain('序号');
      expect(after, `extra ${extra}`).toContain('王建国');
    }
  });

  it('splits a long text across pages without losing characters', async () => {
    const { pages } = await readPdf(await renderApplicationPdf(sampleInput()));
    const first = pages.findIndex((p) => p.includes('（1）'));
    const last = pages.findIndex((p) => squash(p).includes(END_MARKER));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(last).toBeGreaterThan(first);

    // Between pages the footer and the next page's top interrupt the text; everything else must be there in order.
    const body = pages
      .map((p) =>
        p.replace(/第\s*\d+\s*页\s*\/\s*共\s*\d+\s*页|重庆市专业技术人员继续教育平台|编号：\d+|研修内容/g, ''),
      )
      .join('');
    expect(squash(body)).toContain(squash(longContent()));
  });

  it('subsets the font, so the file stays small', async () => {
    const pdf = await renderApplicationPdf(sampleInput());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeLessThan(400 * 1024);
  });

  it('embeds the outlines of the glyphs it draws, not only their text', async () => {
    // The sample uses a few hundred distinct Han characters; each must come with its outline.
    expect(await embeddedGlyphOutlines(await renderApplicationPdf(sampleInput()))).toBeGreaterThan(200);
  });

  it('renders a draft with no data', async () => {
    const { pages } = await readPdf(
      await renderApplicationPdf(sampleInput({ number: null, statusLabel: '草稿', data: {}, submittedAt: null })),
    );
    const text = pages.join('\n');
    expect(text).toContain('（未填写）');
    expect(text).toContain('（提交后生成）');
    expect(text).toContain('九、其他附件');
  });

  it('replaces characters the font lacks and survives values of the wrong shape', async () => {
    const data = sampleData();
    const pdf = await renderApplicationPdf(
      sampleInput({
        data: {
          ...data,
          basic: { ...data.basic, projectName: '乡村振兴🚀人才研修班', estimatedFen: '很多', period: '五月' },
          purpose: { purpose: { nested: ['对象'] } },
          content: { content: 12345, schedule: 'not a table', method: null },
          experts: { experts: [null, 'x', { name: 42 }] },
          trainees: 'broken' as unknown as Record<string, unknown>,
          attachments: { files: [{ name: '方案.pdf' }, 7] },
        },
      }),
    );
    const text = (await readPdf(pdf)).pages.join('\n');
    expect(text).toContain('乡村振兴?人才研修班');
    expect(text).toContain('很多');
    expect(text).toContain('{"nested":["对象"]}');
    expect(text).toContain('not a table');
    expect(text).toContain('方案.pdf');
  });

  it('prints the new kinds as the form shows them: amounts in 万元 in tables, ticked items, the 学员名单 totals', async () => {
    const completion = await renderApplicationPdf(
      sampleInput({
        def: COMPLETION,
        projectName: '大数据与人工智能应用高级研修班',
        data: {
          report: { projectName: '大数据与人工智能应用高级研修班', summary: '顺利结业' },
          trainees: { list: { total: 30, passed: 29 } },
          budget: { items: [{ item: '专家授课费', amountFen: 3_050_000, note: '' }], subsidyUsedFen: 2_000_000 },
        },
      }),
    );
    const text = squash((await readPdf(completion)).pages.join(''));
    expect(text).toContain('大数据与人工智能应用高级研修班');
    expect(text).toContain('3.05');
    expect(text).not.toContain('3050000');
    expect(text).toContain('共30人，合格29人');
    const change = await renderApplicationPdf(
      sampleInput({ def: PLAN_CHANGE, data: { change: { projectName: '某研修班', items: ['举办地点', '日程安排'] } } }),
    );
    expect(squash((await readPdf(change)).pages.join(''))).toContain('举办地点、日程安排');
  });
});
