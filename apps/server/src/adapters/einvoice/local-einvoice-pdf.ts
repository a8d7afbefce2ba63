import {
  type Color,
  PDFDocument,
  type PDFFont,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setLineWidth,
  setStrokingColor,
  setTextRenderingMode,
  TextRenderingMode,
} from 'pdf-lib';
import { embedCjkFont, type FontkitFont, safeText, textWidth } from '../../lib/pdf-font.js';
import { drawQr } from '../../lib/pdf-qr.js';
import type { InvoiceBuyer, InvoiceLine } from './einvoice.js';
import { amountInChineseUpper } from './local-einvoice.js';

/**
 * The PDF of the local stand-in's invoices (local-einvoice.ts): 电子发票（普通发票）, its form printed in the
 * platform's dark red. A module of its own so that pdf-lib, fontkit and qrcode are loaded with the first invoice
 * issued, not at every start (issue 22).
 */

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** 240.00, -240.00: invoices print plain yuan with two decimals, no grouping. */
function yuan(fen: number): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export interface InvoiceSheet {
  invoiceNo: string;
  issuedAt: Date;
  buyer: InvoiceBuyer;
  seller: { name: string; taxNo: string };
  /** Signed: a red invoice's quantities and amounts are negative. */
  lines: InvoiceLine[];
  totalFen: number;
  remark: string;
  drawer: string;
  qrText: string;
}

// Landscape, about the 210 × 140 mm of a printed 数电票; the page grows when lines or the remark need more room.
const PAGE_W = 595;
const FRAME_X = 20;
const FRAME_W = PAGE_W - 2 * FRAME_X;
const FRAME_TOP = 92;
const PARTY_H = 66;
/** The narrow column holding 购买方信息 / 销售方信息 / 备注, one character a line. */
const SIDE_W = 22;
const ITEMS_MIN_H = 120;
const ITEM_HEAD_H = 20;
const TOTAL_ROW_H = 20;
const SUM_ROW_H = 26;
const REMARK_MIN_H = 58;
const BOTTOM_SPACE = 40;
const QR_SIZE = 66;
const PAD = 5;

const SIZE = 9;
const LEADING = 11.5;
const TITLE_SIZE = 19;
/** Noto Sans SC draws Han characters from about -0.12 em to 0.88 em around the baseline. */
const CJK_TOP = 0.88;

/** The form's dark red: title, rules and printed labels. What was filled in prints in black. */
const FORM = rgb(0.62, 0.14, 0.1);
const INK = rgb(0.05, 0.05, 0.05);

/** Item columns: 项目名称 takes what the others leave. */
const COLUMNS: { label: string; width: number; align: 'left' | 'center' | 'right' }[] = [
  { label: '项目名称', width: 0, align: 'left' },
  { label: '规格型号', width: 52, align: 'center' },
  { label: '单位', width: 34, align: 'center' },
  { label: '数量', width: 44, align: 'right' },
  { label: '单价', width: 64, align: 'right' },
  { label: '金额', width: 72, align: 'right' },
  { label: '税率/征收率', width: 58, align: 'center' },
  { label: '税额', width: 52, align: 'right' },
];
COLUMNS[0]!.width = FRAME_W - COLUMNS.reduce((a, c) => a + c.width, 0);
const COLUMN_X = COLUMNS.map((_, i) => FRAME_X + COLUMNS.slice(0, i).reduce((a, c) => a + c.width, 0));
const AMOUNT_COL = 5;
const TAX_COL = 7;

type Align = 'left' | 'center' | 'right';

/** Draws in distances from the top of the page, which is how the form is laid out. */
class Sheet {
  constructor(
    readonly page: PDFPage,
    private readonly pdfFont: PDFFont,
    private readonly font: FontkitFont,
    private readonly height: number,
  ) {}

  width(text: string, size = SIZE): number {
    return textWidth(this.font, text, size);
  }

  /** `text` centred vertically on `middle`, placed in the box from `x` of `width` as `align` says. */
  text(text: string, x: number, middle: number, o: { size?: number; color?: Color; width?: number; align?: Align }) {
    const size = o.size ?? SIZE;
    const printable = safeText(this.font, text);
    if (printable === '') return;
    const w = this.width(printable, size);
    const room = o.width ?? w;
    const dx = o.align === 'right' ? room - w : o.align === 'center' ? (room - w) / 2 : 0;
    this.page.drawText(printable, {
      x: x + dx,
      y: this.height - middle - size * (CJK_TOP - 0.5),
      size,
      font: this.pdfFont,
      color: o.color ?? INK,
    });
  }

  /** `label` in the form's red, then `value` in black right after it, shrunk to fit or wrapped. */
  field(label: string, value: string, x: number, middle: number, width: number): void {
    this.text(label, x, middle, { color: FORM });
    const lx = x + this.width(label);
    const { size, lines } = fit(this.font, value, width - (lx - x));
    const leading = size * 1.2;
    lines.forEach((line, i) => {
      this.text(line, lx, middle + (i - (lines.length - 1) / 2) * leading, { size });
    });
  }

  /** One character a line, centred in the box: how the form labels its side columns. */
  vertical(label: string, x: number, top: number, width: number, height: number, leading: number): void {
    const chars = [...label];
    chars.forEach((ch, i) => {
      const middle = top + height / 2 + (i - (chars.length - 1) / 2) * leading;
      this.text(ch, x, middle, { color: FORM, width, align: 'center' });
    });
  }

  hline(x0: number, x1: number, top: number, thickness = 0.8): void {
    this.page.drawLine({
      start: { x: x0, y: this.height - top },
      end: { x: x1, y: this.height - top },
      thickness,
      color: FORM,
    });
  }

  vline(x: number, top: number, bottom: number): void {
    this.page.drawLine({
      start: { x, y: this.height - top },
      end: { x, y: this.height - bottom },
      thickness: 0.8,
      color: FORM,
    });
  }
}

/** One line at `SIZE`, else shrunk to at most 3/4 of it, else wrapped at that size. */
function fit(font: FontkitFont, text: string, width: number): { size: number; lines: string[] } {
  const natural = textWidth(font, text, SIZE);
  if (natural <= width) return { size: SIZE, lines: [text] };
  const min = SIZE * 0.75;
  const size = Math.max(min, (SIZE * width) / natural);
  if (textWidth(font, text, size) <= width) return { size, lines: [text] };
  return { size: min, lines: wrap(font, text, min, width) };
}

/** Breaks between any two characters (Chinese has no spaces), honouring '\n'. */
function wrap(font: FontkitFont, text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of safeText(font, text).split('\n')) {
    let line = '';
    for (const ch of paragraph) {
      if (line !== '' && textWidth(font, line + ch, size) > width) {
        lines.push(line);
        line = '';
      }
      line += ch;
    }
    lines.push(line);
  }
  return lines;
}

/** 2026年04月21日, the day in China. */
function chinaDate(d: Date): string {
  const [y, m, day] = new Date(d.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10).split('-');
  return `${y}年${m}月${day}日`;
}

function quantityText(q: number): string {
  return String(Number(q.toFixed(8)));
}

export async function renderInvoicePdf(inv: InvoiceSheet): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const { pdfFont, font } = await embedCjkFont(doc, 'CPEINV');
  const nameWidth = (COLUMNS[0]?.width ?? 0) - 2 * PAD;
  const itemLines = inv.lines.map((l) => wrap(font, l.name, SIZE, nameWidth));
  const itemsHeight = itemLines.reduce((a, lines) => a + lines.length * LEADING + 4, 0);
  const itemsH = Math.max(ITEMS_MIN_H, ITEM_HEAD_H + itemsHeight + TOTAL_ROW_H + 8);
  const remarkWidth = FRAME_W - SIDE_W - 2 * PAD;
  const remarkLines = wrap(font, inv.remark, SIZE, remarkWidth);
  const remarkH = Math.max(REMARK_MIN_H, remarkLines.length * LEADING + 2 * PAD);
  const partyTop = FRAME_TOP;
  const itemsTop = partyTop + PARTY_H;
  const sumTop = itemsTop + itemsH;
  const remarkTop = sumTop + SUM_ROW_H;
  const frameBottom = remarkTop + remarkH;
  const height = frameBottom + BOTTOM_SPACE;

  const page = doc.addPage([PAGE_W, height]);
  const s = new Sheet(page, pdfFont, font, height);
  const right = FRAME_X + FRAME_W;

  drawQr(page, inv.qrText, FRAME_X + 4, height - 14 - QR_SIZE, QR_SIZE);

  // The title, thickened by stroking its outline too (the font has no bold), over a double rule.
  const title = '电子发票（普通发票）';
  const titleW = s.width(title, TITLE_SIZE);
  page.pushOperators(
    pushGraphicsState(),
    setTextRenderingMode(TextRenderingMode.FillAndOutline),
    setLineWidth(0.45),
    setStrokingColor(FORM),
  );
  s.text(title, (PAGE_W - titleW) / 2, 40, { size: TITLE_SIZE, color: FORM });
  page.pushOperators(popGraphicsState());
  s.hline((PAGE_W - titleW) / 2 - 8, (PAGE_W + titleW) / 2 + 8, 55, 0.8);
  s.hline((PAGE_W - titleW) / 2 - 8, (PAGE_W + titleW) / 2 + 8, 58, 0.8);

  const metaW = 148;
  s.field('发票号码：', inv.invoiceNo, right - metaW, 38, metaW);
  s.field('开票日期：', chinaDate(inv.issuedAt), right - metaW, 56, metaW);

  // Frame and its rules.
  s.hline(FRAME_X, right, partyTop);
  s.hline(FRAME_X, right, itemsTop);
  s.hline(FRAME_X, right, sumTop);
  s.hline(FRAME_X, right, remarkTop);
  s.hline(FRAME_X, right, frameBottom);
  s.vline(FRAME_X, partyTop, frameBottom);
  s.vline(right, partyTop, frameBottom);

  // 购买方 | 销售方, each with its side label column.
  const half = FRAME_W / 2;
  const parties: [string, { name: string; taxNo: string }, number][] = [
    ['购买方信息', { name: inv.buyer.title, taxNo: inv.buyer.taxNo ?? '' }, FRAME_X],
    ['销售方信息', inv.seller, FRAME_X + half],
  ];
  for (const [label, party, x] of parties) {
    if (x > FRAME_X) s.vline(x, partyTop, itemsTop);
    s.vline(x + SIDE_W, partyTop, itemsTop);
    s.vertical(label, x, partyTop, SIDE_W, PARTY_H, 11.5);
    const inner = half - SIDE_W - 2 * PAD;
    s.field('名称：', party.name, x + SIDE_W + PAD, partyTop + 21, inner);
    s.field('统一社会信用代码/纳税人识别号：', party.taxNo, x + SIDE_W + PAD, partyTop + 47, inner);
  }

  // Items: a header, the lines, and 合计 at the foot of the area.
  const cell = (i: number, text: string, middle: number, color = INK) => {
    const col = COLUMNS[i]!;
    s.text(text, COLUMN_X[i]! + PAD, middle, { color, width: col.width - 2 * PAD, align: col.align });
  };
  COLUMNS.forEach((col, i) => {
    s.text(col.label, COLUMN_X[i]!, itemsTop + ITEM_HEAD_H / 2 + 2, { color: FORM, width: col.width, align: 'center' });
  });
  let rowTop = itemsTop + ITEM_HEAD_H + 2;
  inv.lines.forEach((line, i) => {
    const names = itemLines[i] ?? [];
    const first = rowTop + LEADING / 2 + 2;
    names.forEach((name, j) => {
      cell(0, name, first + j * LEADING);
    });
    cell(3, quantityText(line.quantity), first);
    cell(4, yuan(line.unitPriceFen), first);
    cell(AMOUNT_COL, yuan(line.amountFen), first);
    cell(6, '免税', first);
    cell(TAX_COL, '***', first);
    rowTop += names.length * LEADING + 4;
  });
  const totalMiddle = sumTop - TOTAL_ROW_H / 2;
  s.text('合　　计', COLUMN_X[0]!, totalMiddle, { color: FORM, width: COLUMNS[0]!.width, align: 'center' });
  cell(AMOUNT_COL, `¥${yuan(inv.totalFen)}`, totalMiddle);
  cell(TAX_COL, '***', totalMiddle);

  // 价税合计: in words, then in figures under the amount columns.
  const sumMiddle = sumTop + SUM_ROW_H / 2;
  const sumLabelW = COLUMNS[0]!.width - 40;
  s.vline(FRAME_X + sumLabelW, sumTop, remarkTop);
  s.text('价税合计（大写）', FRAME_X, sumMiddle, { color: FORM, width: sumLabelW, align: 'center' });
  const words = `${inv.totalFen < 0 ? '（负数）' : ''}${amountInChineseUpper(Math.abs(inv.totalFen))}`;
  s.text(`⊗${words}`, FRAME_X + sumLabelW + 12, sumMiddle, {});
  const figuresX = COLUMN_X[AMOUNT_COL]! - 30;
  s.text('（小写）', figuresX, sumMiddle, { color: FORM });
  s.text(`¥${yuan(inv.totalFen)}`, figuresX + s.width('（小写）'), sumMiddle, {});

  // 备注.
  s.vline(FRAME_X + SIDE_W, remarkTop, frameBottom);
  s.vertical('备注', FRAME_X, remarkTop, SIDE_W, remarkH, 18);
  remarkLines.forEach((line, i) => {
    s.text(line, FRAME_X + SIDE_W + PAD, remarkTop + PAD + LEADING / 2 + i * LEADING, {});
  });

  s.field('开票人：', inv.drawer, FRAME_X + 24, frameBottom + 16, 200);

  doc.setTitle(`${title} ${inv.invoiceNo}`, { showInWindowTitleBar: true });
  doc.setAuthor(inv.seller.name);
  doc.setProducer('CPE');
  doc.setLanguage('zh-CN');
  doc.setCreationDate(inv.issuedAt);
  doc.setModificationDate(inv.issuedAt);
  const pdf = await doc.save();
  return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}
