import { type ApplicationData, type ApplicationTypeDef, cellText, displayValue, type FieldDef } from '@cpe/shared';
import { platformDateTime } from '@cpe/shared/platform-zone';
import { type Color, grayscale, PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';
import { embedCjkFont, type FontkitFont, safeText, textWidth } from '../../lib/pdf-font.js';

export interface ApplicationPdfInput {
  def: ApplicationTypeDef;
  year: number;
  /** 编号; null for drafts. */
  number: string | null;
  statusLabel: string;
  /** 申报单位. */
  filerName: string;
  /** The list's 项目名称 (read from the data by the type's summary); else basic.projectName. */
  projectName?: string;
  data: ApplicationData;
  /** Printed in Asia/Shanghai time. */
  generatedAt: Date;
  platformName: string;
  submittedAt: Date | null;
}

// A4 in points; margins close to the 2 cm of a printed form.
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const MARGIN = 56;
const CONTENT_W = PAGE_W - 2 * MARGIN;
const TOP = PAGE_H - MARGIN;
const BOTTOM = MARGIN;

const BODY_SIZE = 10.5;
const HEADING_SIZE = 13;
const TITLE_SIZE = 20;
/** A title is shrunk down to this to stay on one line before it is wrapped. */
const TITLE_MIN_SIZE = 16;
const FOOTER_SIZE = 8;
const PAGE_NUMBER_SIZE = 9;
const LINE = 16;
const PAD_X = 6;
const PAD_Y = 4;
const LABEL_W = 112;
const INDEX_W = 40;
/** Noto Sans SC draws Han characters from about -0.12 em to 0.88 em around the baseline. */
const CJK_TOP = 0.88;

const INK = grayscale(0.1);
const MUTED = grayscale(0.55);
const RULE = grayscale(0.3);
const LABEL_FILL = grayscale(0.94);
const HEADER_FILL = grayscale(0.88);

const EMPTY = '（未填写）';
const NO_NUMBER = '（提交后生成）';
/** Chinese typesetting never starts a line with these; the previous character moves down with them. */
const NO_LINE_START = new Set('，。、；：？！）》」』】〉”’…—·,.;:?!)]}%');
/** …and never ends one with these; they move down to the text they open. */
const NO_LINE_END = new Set('（《「『【〈“‘([{');

interface Cell {
  width: number;
  lines: string[];
  align?: 'left' | 'center';
  color?: Color;
  fill?: Color;
}

class FormWriter {
  readonly pages: PDFPage[] = [];
  private page!: PDFPage;
  private y = TOP;

  constructor(
    private readonly doc: PDFDocument,
    private readonly pdfFont: PDFFont,
    private readonly font: FontkitFont,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage([PAGE_W, PAGE_H]);
    this.pages.push(this.page);
    this.y = TOP;
  }

  /** Starts a new page unless `height` still fits above the bottom margin. */
  keep(height: number): void {
    if (this.y - height < BOTTOM && this.y < TOP) this.newPage();
  }

  space(height: number): void {
    this.y -= height;
  }

  printable(text: string): string {
    return safeText(this.font, text);
  }

  width(text: string, size: number): number {
    return textWidth(this.font, text, size);
  }

  /** Breaks between any two characters (Chinese has no spaces), honouring '\n'. */
  wrap(text: string, size: number, maxWidth: number): string[] {
    const lines: string[] = [];
    for (const paragraph of this.printable(text).split('\n')) {
      let line: string[] = [];
      let lineWidth = 0;
      for (const ch of paragraph) {
        const w = this.width(ch, size);
        if (line.length > 0 && lineWidth + w > maxWidth) {
          let carry = NO_LINE_START.has(ch) ? 1 : 0;
          while (carry < line.length - 1 && NO_LINE_END.has(line[line.length - 1 - carry]!)) carry++;
          const carried = carry > 0 && carry < line.length ? line.splice(-carry) : [];
          lines.push(line.join(''));
          line = carried;
          lineWidth = this.width(carried.join(''), size);
        }
        line.push(ch);
        lineWidth += w;
      }
      lines.push(line.join(''));
    }
    return lines;
  }

  /**
   * Centred, on one line if it fits at TITLE_MIN_SIZE or more; a longer title wraps into lines of even
   * length so it does not end in a short stub.
   */
  title(text: string): void {
    const size = Math.max(TITLE_MIN_SIZE, Math.min(TITLE_SIZE, (CONTENT_W / this.width(text, 1)) * 0.999));
    const lineHeight = size * 1.5;
    let lines = this.wrap(text, size, CONTENT_W);
    for (let target = this.width(text, size) / lines.length; target < CONTENT_W; target += size / 2) {
      const balanced = this.wrap(text, size, target);
      if (balanced.length <= lines.length) {
        lines = balanced;
        break;
      }
    }
    for (const line of lines) {
      this.keep(lineHeight);
      this.y -= lineHeight;
      const x = MARGIN + (CONTENT_W - this.width(line, size)) / 2;
      this.draw(line, x, this.y + (lineHeight - size) / 2 + size * (1 - CJK_TOP), size, INK);
    }
  }

  /**
   * A section heading, kept on the page with the start of what follows: `lead` is that start's height (a table's
   * caption, header and first row), at least two lines of a field.
   */
  heading(text: string, lead = 2 * LINE + 2 * PAD_Y): void {
    this.keep(14 + HEADING_SIZE + 8 + Math.max(lead, 2 * LINE + 2 * PAD_Y));
    if (this.y < TOP) this.y -= 14;
    this.y -= HEADING_SIZE;
    this.draw(text, MARGIN, this.y + HEADING_SIZE * (1 - CJK_TOP), HEADING_SIZE, INK);
    this.y -= 8;
  }

  /**
   * One bordered table row. A row taller than what is left of the page is split line by line and continues
   * on the next page; `onBreak` runs at the top of each new page (a grid repeats its header there).
   */
  row(cells: Cell[], onBreak?: () => void): void {
    const total = Math.max(1, ...cells.map((c) => c.lines.length));
    let from = 0;
    while (from < total) {
      const fits = Math.floor((this.y - BOTTOM - 2 * PAD_Y) / LINE);
      // A row never starts with a lone line at the foot of a page when more of it would follow.
      if (fits < Math.min(total - from, from === 0 ? 2 : 1) && this.y < TOP) {
        this.newPage();
        onBreak?.();
        continue;
      }
      const take = Math.max(1, Math.min(fits, total - from));
      const height = take * LINE + 2 * PAD_Y;
      let x = MARGIN;
      for (const cell of cells) {
        this.page.drawRectangle({
          x,
          y: this.y - height,
          width: cell.width,
          height,
          color: cell.fill,
          borderColor: RULE,
          borderWidth: 0.6,
        });
        cell.lines.slice(from, from + take).forEach((line, i) => {
          const top = this.y - PAD_Y - i * LINE;
          const baseline = top - (LINE - BODY_SIZE) / 2 - BODY_SIZE * CJK_TOP;
          const inner = cell.width - 2 * PAD_X;
          const dx = cell.align === 'center' ? Math.max(0, (inner - this.width(line, BODY_SIZE)) / 2) : 0;
          this.draw(line, x + PAD_X + dx, baseline, BODY_SIZE, cell.color ?? INK);
        });
        x += cell.width;
      }
      this.y -= height;
      from += take;
      if (from < total) {
        this.newPage();
        onBreak?.();
      }
    }
  }

  /** label | value; a blank value prints `placeholder` in grey. */
  field(label: string, value: string, placeholder = EMPTY): void {
    const blank = value.trim() === '';
    this.row([
      { width: LABEL_W, lines: this.wrap(label, BODY_SIZE, LABEL_W - 2 * PAD_X), align: 'center', fill: LABEL_FILL },
      {
        width: CONTENT_W - LABEL_W,
        lines: this.wrap(blank ? placeholder : value, BODY_SIZE, CONTENT_W - LABEL_W - 2 * PAD_X),
        color: blank ? MUTED : INK,
      },
    ]);
  }

  private gridCells(label: string, columns: { label: string; weight: number }[], rows: string[][]) {
    const weights = columns.map((c) => c.weight);
    const widths = [INDEX_W, ...spread(weights, CONTENT_W - INDEX_W)];
    const cells = (texts: string[], extra: Partial<Cell>): Cell[] =>
      texts.map((t, i) => {
        const width = widths[i] ?? 0;
        return { width, lines: this.wrap(t, BODY_SIZE, width - 2 * PAD_X), ...extra };
      });
    const caption: Cell = {
      width: CONTENT_W,
      lines: this.wrap(label, BODY_SIZE, CONTENT_W - 2 * PAD_X),
      fill: LABEL_FILL,
    };
    const header = cells(['序号', ...columns.map((c) => c.label)], { align: 'center', fill: HEADER_FILL });
    const body = rows.map((row, i) => cells([String(i + 1), ...row], {}));
    return { caption, header, body };
  }

  /** What a grid needs on its first page: its caption, its header and (the first two lines of) its first row. */
  gridLead(label: string, columns: { label: string; weight: number }[], rows: string[][]): number {
    const { caption, header, body } = this.gridCells(label, columns, rows.slice(0, 1));
    const lines = (c: Cell[]) => Math.max(1, ...c.map((x) => x.lines.length));
    return 3 * (2 * PAD_Y) + (caption.lines.length + lines(header) + Math.min(2, lines(body[0] ?? []))) * LINE;
  }

  /** A full-width caption row, then the column header, then one row per entry. */
  grid(label: string, columns: { label: string; weight: number }[], rows: string[][]): void {
    const { caption, header, body } = this.gridCells(label, columns, rows);
    this.keep(this.gridLead(label, columns, rows));
    this.row([caption]);
    this.row(header);
    for (const [index, ...rest] of body) this.row([{ ...index!, align: 'center' }, ...rest], () => this.row(header));
  }

  draw(text: string, x: number, y: number, size: number, color: Color, page = this.page): void {
    if (text !== '') page.drawText(this.printable(text), { x, y, size, font: this.pdfFont, color });
  }
}

/** Splits `total` in proportion to `weights`. */
function spread(weights: number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  return weights.map((w) => (w / sum) * total);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Any stored value as text, whatever its shape. */
function coerceText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') {
    try {
      return JSON.stringify(v);
    } catch {
      return String(v);
    }
  }
  return String(v);
}

/** displayValue for values of the shape the field expects; anything else is printed as it is stored. */
function fieldText(f: FieldDef, v: unknown): string {
  if (f.kind === 'files' && Array.isArray(v))
    return v.map((file) => (isRecord(file) ? coerceText(file.name) : coerceText(file))).join('\n');
  const expected =
    f.kind === 'wan' || f.kind === 'int'
      ? typeof v === 'number' && Number.isFinite(v)
      : f.kind === 'dateRange'
        ? isRecord(v) && typeof v.from === 'string' && typeof v.to === 'string'
        : f.kind === 'table' || f.kind === 'files' || f.kind === 'checks'
          ? Array.isArray(v)
          : f.kind === 'trainees'
            ? isRecord(v)
            : typeof v !== 'object' || v === null;
  return expected ? displayValue(f, v) : coerceText(v);
}

const DIGITS = '零一二三四五六七八九';
/** 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一. */
function chineseNumeral(n: number): string {
  if (n < 10) return DIGITS.charAt(n);
  if (n >= 100) return String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS.charAt(tens)}十${ones === 0 ? '' : DIGITS.charAt(ones)}`;
}

/** YYYY-MM-DD HH:mm in the platform's time zone. */
function chinaTime(d: Date | null): string {
  if (!d || Number.isNaN(d.getTime())) return '';
  return platformDateTime(d).slice(0, 16);
}

export async function renderApplicationPdf(input: ApplicationPdfInput): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const { pdfFont, font } = await embedCjkFont(doc, 'CPEAPP');
  const w = new FormWriter(doc, pdfFont, font);

  const data: ApplicationData = isRecord(input.data) ? input.data : {};
  const sectionValues = (id: string): Record<string, unknown> => {
    const values = data[id];
    return isRecord(values) ? values : {};
  };
  const documentTitle = input.def.documentTitle(input.year);
  const projectName = (input.projectName ?? coerceText(sectionValues('basic').projectName)).trim();
  const number = input.number ?? NO_NUMBER;

  w.space(24);
  w.title(documentTitle);
  w.space(28);
  for (const [label, value] of [
    ['项目名称', projectName],
    ['申报单位', input.filerName],
    ['编号', number],
    ['状态', input.statusLabel],
    ['提交时间', chinaTime(input.submittedAt)],
    ['打印时间', chinaTime(input.generatedAt)],
  ] as const) {
    w.field(label, value, '');
  }
  w.space(20);

  input.def.sections.forEach((section, i) => {
    const values = sectionValues(section.id);
    /** A table field as the grid prints it, or null for a plain field (or an empty table, printed as a field). */
    const gridOf = (f: FieldDef) => {
      const v = values[f.name];
      if (f.kind !== 'table' || !Array.isArray(v) || v.length === 0) return null;
      const columns = f.columns ?? [];
      // Columns without a width are the ones the web lets stretch (内容, 工作单位): twice the widest fixed one.
      const flexWeight = 2 * Math.max(120, ...columns.map((c) => c.width ?? 0));
      return {
        label: f.label,
        columns: columns.map((c) => ({ label: c.label, weight: c.width ?? flexWeight })),
        // Amounts in 万元 as the form shows them; a cell of an unexpected shape is printed as stored.
        rows: v.map((row) =>
          columns.map((c) => {
            const cell = isRecord(row) ? row[c.name] : '';
            return typeof cell === 'number' || typeof cell === 'string' ? cellText(c, cell) : coerceText(cell);
          }),
        ),
      };
    };
    // The heading stays with the start of its first field: a table's caption, header and first row (四、授课专家情况
    // ended a page while its table began on the next).
    const first = section.fields[0] ? gridOf(section.fields[0]) : null;
    w.heading(
      `${chineseNumeral(i + 1)}、${section.title}`,
      first ? w.gridLead(first.label, first.columns, first.rows) : undefined,
    );
    for (const f of section.fields) {
      const grid = gridOf(f);
      if (grid) w.grid(grid.label, grid.columns, grid.rows);
      else w.field(f.label, fieldText(f, values[f.name]));
    }
  });

  const footerNumber = `编号：${number}`;
  w.pages.forEach((page, i) => {
    page.drawLine({
      start: { x: MARGIN, y: BOTTOM - 12 },
      end: { x: PAGE_W - MARGIN, y: BOTTOM - 12 },
      thickness: 0.5,
      color: MUTED,
    });
    const pageText = `第 ${i + 1} 页 / 共 ${w.pages.length} 页`;
    const pageTextWidth = w.width(pageText, PAGE_NUMBER_SIZE);
    w.draw(pageText, (PAGE_W - pageTextWidth) / 2, BOTTOM - 30, PAGE_NUMBER_SIZE, INK, page);
    // Platform and 编号 stack at the left so they stay clear of the centred page number.
    const leftWidth = (PAGE_W - pageTextWidth) / 2 - MARGIN - 12;
    w.draw(w.wrap(input.platformName, FOOTER_SIZE, leftWidth)[0] ?? '', MARGIN, BOTTOM - 25, FOOTER_SIZE, MUTED, page);
    w.draw(footerNumber, MARGIN, BOTTOM - 36, FOOTER_SIZE, MUTED, page);
  });

  doc.setTitle(projectName ? `${documentTitle}：${projectName}` : documentTitle, { showInWindowTitleBar: true });
  doc.setCreator(input.platformName);
  doc.setProducer('CPE');
  doc.setLanguage('zh-CN');
  doc.setCreationDate(input.generatedAt);
  doc.setModificationDate(input.generatedAt);
  const pdf = await doc.save();
  return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}
