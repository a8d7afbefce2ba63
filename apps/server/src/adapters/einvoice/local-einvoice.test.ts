import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFName, PDFRawStream, type PDFRef } from 'pdf-lib';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { embeddedGlyphOutlines, pdfText } from '../../../test/pdf-text.js';
import { TestClock } from '../../lib/clock.js';
import { type InvoiceBuyer, type InvoiceLine, InvoiceProviderError, type IssueInvoiceInput } from './einvoice.js';
import { amountInChineseUpper, createLocalEInvoice, invoiceNumbers } from './local-einvoice.js';

const SELLER = '重庆市人力资源开发服务中心';
const SELLER_TAX_NO = '12500000MB1566913B';
const VERIFY = 'https://cpe.example.cn/invoice-verify';

const provider = (failNext?: number) =>
  createLocalEInvoice({
    sellerName: SELLER,
    sellerTaxNo: SELLER_TAX_NO,
    clock: new TestClock(),
    verifyBaseUrl: VERIFY,
    ...(failNext === undefined ? {} : { failNext }),
  });

const buyer: InvoiceBuyer = { type: 'unit', title: '重庆市智能制造产业研究院有限公司', taxNo: '91500000MA5U123456' };
const lines: InvoiceLine[] = [
  { name: '*教育服务*继续教育培训费（2026年度公需科目）', quantity: 2, unitPriceFen: 12_000, amountFen: 24_000 },
];
let seq = 0;
const issueInput = (overrides: Partial<IssueInvoiceInput> = {}): IssueInvoiceInput => ({
  requestNo: `REQ${++seq}`,
  buyer,
  lines,
  totalFen: 24_000,
  remark: '订单号：CPE202604210001',
  ...overrides,
});

const squash = (s: string) => s.replace(/\s+/g, '');

/** The page's drawing operators as text. */
async function pageContent(pdf: Buffer): Promise<string> {
  const doc = await PDFDocument.load(pdf);
  const contents = doc.getPage(0).node.get(PDFName.of('Contents'));
  const refs = contents instanceof PDFArray ? contents.asArray() : [contents];
  return refs
    .map((ref) => {
      const stream = doc.context.lookup(ref as PDFRef);
      if (!(stream instanceof PDFRawStream)) return '';
      const raw = stream.dict.get(PDFName.of('Filter')) ? inflateSync(stream.contents) : stream.contents;
      return Buffer.from(raw).toString('latin1');
    })
    .join('\n');
}

/**
 * Rebuilds the QR matrix from the page: the code is drawn as `col row width 1 re` runs of dark modules (the only
 * rectangles on the page; rules are lines), so the rebuilt matrix equals the encoding of the text it carries.
 */
function qrModulesOnPage(content: string): Set<string> {
  const dark = new Set<string>();
  for (const [, col, row, width] of content.matchAll(/^(\d+) (\d+) (\d+) 1 re$/gm)) {
    for (let c = Number(col); c < Number(col) + Number(width); c++) dark.add(`${row},${c}`);
  }
  return dark;
}

function qrModulesOf(text: string): Set<string> {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const dark = new Set<string>();
  for (let r = 0; r < modules.size; r++) {
    for (let c = 0; c < modules.size; c++) if (modules.get(r, c)) dark.add(`${r},${c}`);
  }
  return dark;
}

describe('amountInChineseUpper', () => {
  it.each([
    [0, '零元整'],
    [7, '柒分'],
    [50, '伍角'],
    [100, '壹元整'],
    [1_000, '壹拾元整'],
    [10_007, '壹佰元零柒分'],
    [12_850, '壹佰贰拾捌元伍角'],
    [24_000, '贰佰肆拾元整'],
    [100_100, '壹仟零壹元整'],
    [101_000, '壹仟零壹拾元整'],
    [168_032, '壹仟陆佰捌拾元叁角贰分'],
    [1_000_000, '壹万元整'],
    [10_000_100, '壹拾万零壹元整'],
    [12_000_000, '壹拾贰万元整'],
    [1_000_000_000, '壹仟万元整'],
    [1_000_000_100, '壹仟万零壹元整'],
    [1_001_000_000, '壹仟零壹万元整'],
    [10_000_000_000, '壹亿元整'],
    [10_001_000_000, '壹亿零壹万元整'],
    [10_000_000_100, '壹亿零壹元整'],
    [123_456_789_012, '壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分'],
    [100_000_000_000_000, '壹万亿元整'],
  ])('%i fen → %s', (fen, words) => {
    expect(amountInChineseUpper(fen)).toBe(words);
  });

  it('refuses what is not a whole number of fen', () => {
    expect(() => amountInChineseUpper(-1)).toThrow(RangeError);
    expect(() => amountInChineseUpper(1.5)).toThrow(RangeError);
  });
});

describe('invoice numbers', () => {
  it('are 20 digits: year, province, channel, sequence, unique and rising within a process', () => {
    const next = invoiceNumbers({ now: () => new Date('2026-04-21T02:00:00Z') }, '50');
    const numbers = Array.from({ length: 10_000 }, next);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const n of numbers) expect(n).toMatch(/^26500\d{15}$/);
    expect([...numbers].sort()).toEqual(numbers);
  });

  it('do not meet the numbers of a process that ran before a restart', () => {
    const clock = new TestClock();
    const before = Array.from({ length: 1_000 }, invoiceNumbers(clock, '50'));
    clock.advance(1_000);
    const after = Array.from({ length: 1_000 }, invoiceNumbers(clock, '50'));
    expect(after[0]! > before.at(-1)!).toBe(true);
  });

  it('take the year of the issue date in China', () => {
    // 2026-12-31 16:30 UTC is already 2027 in Chongqing.
    expect(invoiceNumbers({ now: () => new Date('2026-12-31T16:30:00Z') }, '50')()).toMatch(/^2750/);
  });
});

describe('local e-invoice platform', () => {
  it('issues a 电子发票（普通发票） with the buyer, seller, amounts and number', async () => {
    const inv = await provider().issue(issueInput());
    expect(inv.invoiceNo).toMatch(/^\d{2}50\d{16}$/);
    expect(inv.invoiceCode).toBe('');
    expect(inv.checkCode).toMatch(/^\d{20}$/);
    expect(inv.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const text = squash(await pdfText(inv.pdf));
    for (const expected of [
      '电子发票（普通发票）',
      inv.invoiceNo,
      buyer.title,
      buyer.taxNo!,
      SELLER,
      SELLER_TAX_NO,
      '*教育服务*继续教育培训费',
      '2120.00240.00免税***',
      '合计¥240.00***',
      '⊗贰佰肆拾元整',
      '（小写）¥240.00',
      '订单号：CPE202604210001',
      '开票人：',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('prints the issue date as the day in China', async () => {
    const clock = { now: () => new Date('2026-04-20T16:30:00Z') };
    const local = createLocalEInvoice({ sellerName: SELLER, sellerTaxNo: SELLER_TAX_NO, clock, verifyBaseUrl: VERIFY });
    const inv = await local.issue(issueInput());
    expect(inv.issuedAt).toEqual(clock.now());
    expect(squash(await pdfText(inv.pdf))).toContain('开票日期：2026年04月21日');
  });

  it('embeds the outlines of the glyphs it draws, not only their text', async () => {
    // Title, labels, names and figures: well over a hundred distinct characters, each with its outline.
    expect(await embeddedGlyphOutlines((await provider().issue(issueInput())).pdf)).toBeGreaterThan(100);
  });

  it('draws a QR code that carries the verification link', async () => {
    const inv = await provider().issue(issueInput());
    const onPage = qrModulesOnPage(await pageContent(inv.pdf));
    expect(onPage.size).toBeGreaterThan(300);
    expect(onPage).toEqual(qrModulesOf(`${VERIFY}?no=${inv.invoiceNo}&code=${inv.checkCode}`));
  });

  it('gives every invoice its own number', async () => {
    const local = provider();
    const issued = await Promise.all(Array.from({ length: 40 }, () => local.issue(issueInput())));
    expect(new Set(issued.map((i) => i.invoiceNo)).size).toBe(40);
    expect(new Set(issued.map((i) => i.checkCode)).size).toBe(40);
  });

  it('answers a repeated requestNo with the invoice already issued, even while it is being issued', async () => {
    const local = provider();
    const input = issueInput();
    const [a, b] = await Promise.all([local.issue(input), local.issue(input)]);
    const c = await local.issue({ ...input, remark: 'changed' });
    expect(b).toBe(a);
    expect(c.invoiceNo).toBe(a.invoiceNo);
    expect(c.pdf.equals(a.pdf)).toBe(true);
    expect((await local.issue(issueInput())).invoiceNo).not.toBe(a.invoiceNo);
  });

  it('issues a 红字 invoice with negative amounts that names the blue one', async () => {
    const local = provider();
    const blue = await local.issue(issueInput());
    const red = await local.reverse({
      requestNo: 'RED1',
      invoiceNo: blue.invoiceNo,
      invoiceCode: blue.invoiceCode,
      buyer,
      lines,
      totalFen: 24_000,
      reason: '发票抬头修改',
    });
    expect(red.invoiceNo).not.toBe(blue.invoiceNo);
    const text = squash(await pdfText(red.pdf));
    expect(text).toContain('电子发票（普通发票）');
    // 数量 -2, 单价 120.00, 金额 -240.00, then 合计.
    expect(text).toContain('-2120.00-240.00免税***');
    expect(text).toContain('合计¥-240.00***');
    expect(text).toContain('（小写）¥-240.00');
    expect(text).toContain('（负数）贰佰肆拾元整');
    expect(text).toContain(`被红冲蓝字发票号码：${blue.invoiceNo}`);
    expect(text).toContain('红冲原因：发票抬头修改');
    expect(text).not.toContain('¥240.00');
  });

  it('refuses to reverse a blue invoice twice or for another amount', async () => {
    const local = provider();
    const blue = await local.issue(issueInput());
    const reversal = { invoiceNo: blue.invoiceNo, invoiceCode: '', buyer, lines, totalFen: 24_000, reason: '退款' };
    await expect(
      local.reverse({
        ...reversal,
        requestNo: 'RED-A',
        lines: [{ ...lines[0]!, quantity: 1, amountFen: 12_000 }],
        totalFen: 12_000,
      }),
    ).rejects.toThrow(/does not match/);
    await local.reverse({ ...reversal, requestNo: 'RED-B' });
    await expect(local.reverse({ ...reversal, requestNo: 'RED-C' })).rejects.toThrow(/already been reversed/);
  });

  it.each<[string, Partial<IssueInvoiceInput>]>([
    ['a negative total', { totalFen: -24_000 }],
    ['a negative line', { lines: [{ ...lines[0]!, quantity: -2, amountFen: -24_000 }], totalFen: -24_000 }],
    ['a total that is not the sum of the lines', { totalFen: 25_000 }],
    ['an amount that is not quantity × unit price', { lines: [{ ...lines[0]!, quantity: 3 }] }],
    ['no lines', { lines: [], totalFen: 0 }],
    ['a unit without 纳税人识别号', { buyer: { type: 'unit', title: '某公司' } }],
    ['a malformed 纳税人识别号', { buyer: { type: 'unit', title: '某公司', taxNo: '123' } }],
    ['an empty buyer', { buyer: { type: 'personal', title: ' ' } }],
  ])('refuses %s', async (_, overrides) => {
    await expect(provider().issue(issueInput(overrides))).rejects.toBeInstanceOf(InvoiceProviderError);
  });

  it('lets a refused requestNo be tried again once corrected', async () => {
    const local = provider();
    const input = issueInput({ totalFen: 1 });
    await expect(local.issue(input)).rejects.toBeInstanceOf(InvoiceProviderError);
    expect((await local.issue({ ...input, totalFen: 24_000 })).invoiceNo).toMatch(/^\d{20}$/);
  });

  it('fails the next N calls when told to, then issues', async () => {
    const local = provider(2);
    const input = issueInput();
    await expect(local.issue(input)).rejects.toBeInstanceOf(InvoiceProviderError);
    await expect(local.issue(input)).rejects.toThrow(/failNext/);
    expect((await local.issue(input)).invoiceNo).toMatch(/^\d{20}$/);
  });
});
