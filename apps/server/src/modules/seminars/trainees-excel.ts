import {
  linefromCells,
  TRAINEE_COLUMNS,
  TRAINEE_RESULTS,
  TRAINEES_MAX_LINES,
  type TraineeInputLine,
} from '@cpe/shared';
import type { Worksheet } from 'exceljs';
import { readXlsxRows, type XlsxUpload } from '../../lib/xlsx-reader.js';
import { buildWorkbook, type WorkbookBuilder } from '../../lib/xlsx-writer.js';

/** The layout of the 学员名单 template, shared by the template, the reader and the error file. */
export const TRAINEES_TITLE = '高级研修班学员名单';
export const TRAINEES_TEMPLATE_FILENAME = '学员名单模板.xlsx';
export const TRAINEES_ERRORS_FILENAME = '学员名单错误文件.xlsx';
export const TRAINEES_NOTES = [
  '填写说明：',
  '1.每行一名学员，姓名、身份证号码、工作单位、出勤天数、研修成果必填，职称/职务、手机号码选填；',
  '2.身份证号码为18位，末位X须大写；港澳台居民可填写港澳居民居住证或台湾居民居住证号码，外籍人员可填写外国人永久居留身份证号码；出勤天数为0到开班天数之间的整数；研修成果填写“合格”或“不合格”；',
  `3.每份名单最多${TRAINEES_MAX_LINES}人，研修成果为合格的学员在结业审核通过后获得高研班结业证书和专业科目学时。`,
];
/** The upload: size of the file, and what reading it may cost (checked while reading). */
export const TRAINEES_UPLOAD = {
  maxBytes: 5 * 1024 * 1024,
  /** The rows of the list, the title, the header and the notes of the template. */
  maxRows: TRAINEES_MAX_LINES + 20,
  maxColumns: 30,
  maxCellChars: 500,
  // A full 2,000-line list inflates to about 1–2 MB (sheet and shared strings): eight times that is plenty.
  maxInflatedBytes: 16 * 1024 * 1024,
  template: '学员名单模板',
} as const satisfies XlsxUpload;

const HEADERS = ['序号', ...TRAINEE_COLUMNS.map((c) => c.label)];
const WIDTHS = [7, 12, 22, 30, 16, 15, 10, 10];
const TEMPLATE_ROWS = 30;
const thin = { style: 'thin' as const };
const box = { top: thin, left: thin, bottom: thin, right: thin };

function sheet(book: WorkbookBuilder, extra?: { header: string; width: number }) {
  const sheet = book.addSheet('学员名单');
  const { ws } = sheet;
  const headers = extra ? [...HEADERS, extra.header] : HEADERS;
  headers.forEach((_, i) => {
    ws.getColumn(i + 1).width = (extra && i === HEADERS.length ? extra.width : WIDTHS[i]) ?? 12;
  });
  ws.mergeCells(1, 1, 1, headers.length);
  const title = sheet.set([1, 1], TRAINEES_TITLE);
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 28;
  const head = sheet.setRow(2, headers);
  head.font = { bold: true };
  head.height = 22;
  head.eachCell((cell) => {
    cell.border = box;
    cell.alignment = { horizontal: 'center', vertical: 'middle' };
  });
  // Text format: an 18-digit ID typed into a number cell becomes 5.00103E+17 and loses its last digits.
  for (const c of [3, 6]) ws.getColumn(c).numFmt = '@';
  ws.views = [{ state: 'frozen', ySplit: 2 }];
  return sheet;
}

const resultList = `"${TRAINEE_RESULTS.join(',')}"`;

function styleRow(ws: Worksheet, r: number, columns: number) {
  const row = ws.getRow(r);
  for (let c = 1; c <= columns; c++) row.getCell(c).border = box;
  row.getCell(8).dataValidation = {
    type: 'list',
    allowBlank: true,
    formulae: [resultList],
    showErrorMessage: true,
    errorTitle: '研修成果',
    error: '请填写合格或不合格',
  };
}

/** 下载模板: title, header, numbered empty rows with a 合格/不合格 list, and the notes. */
export function traineesTemplateXlsx(): Promise<Buffer> {
  return buildWorkbook((book) => {
    const s = sheet(book);
    const { ws } = s;
    for (let i = 1; i <= TEMPLATE_ROWS; i++) {
      s.set([2 + i, 1], i);
      styleRow(ws, 2 + i, HEADERS.length);
    }
    TRAINEES_NOTES.forEach((note, i) => {
      const r = 4 + TEMPLATE_ROWS + i;
      ws.mergeCells(r, 1, r, HEADERS.length);
      s.set([r, 1], note).alignment = { wrapText: true, vertical: 'top' };
      // Excel does not fit a merged cell's height to its text: as many lines as a Chinese note needs.
      const lines = Math.ceil((Array.from(note).length * 2) / WIDTHS.reduce((a, b) => a + b, 0));
      if (lines > 1) ws.getRow(r).height = 16 * lines;
    });
  });
}

/**
 * 下载错误文件: the bad lines as they were sent, in the template's columns plus 错误原因, so the sender corrects
 * them in place and uploads the file again (the reader ignores the extra column). Values are written as text
 * cells by the one writer (lib/xlsx-writer.ts), formula-looking text escaped, never as formulas.
 */
export function traineesErrorsXlsx(rows: Array<{ input: TraineeInputLine; reason: string }>): Promise<Buffer> {
  return buildWorkbook((book) => {
    const s = sheet(book, { header: '错误原因', width: 50 });
    const { ws } = s;
    rows.forEach(({ input, reason }, i) => {
      const r = 3 + i;
      s.setRow(r, [input.line, ...TRAINEE_COLUMNS.map((c) => input[c.key]), reason]);
      styleRow(ws, r, HEADERS.length + 1);
      ws.getRow(r).getCell(HEADERS.length + 1).font = { color: { argb: 'FFCC0000' } };
    });
    s.set([1, 1], `${TRAINEES_TITLE}（错误行，共${rows.length}行；第一列为原行号）`);
  });
}

export class TraineesHeaderError extends Error {}

/** The number's column: the template's 身份证号码, or 证件号码 in a list made for people holding other documents. */
const isIdNumberLabel = (text: string) => text.startsWith('身份证号码') || text.startsWith('证件号码');

/**
 * Reads an uploaded 学员名单: the header row is found by its 姓名 and 身份证号码 (or 证件号码) labels (title rows above it
 * and moved columns do not matter), every later row holding anything is a line, named by its Excel row; the
 * notes of the template end the table. Limits are checked while reading (see readXlsxRows).
 */
export async function parseTraineesXlsx(data: Buffer): Promise<TraineeInputLine[]> {
  const rows = await readXlsxRows(data, TRAINEES_UPLOAD);
  const headerAt = rows.findIndex((r) => r.cells.some((c) => c === '姓名') && r.cells.some(isIdNumberLabel));
  if (headerAt < 0) throw new TraineesHeaderError();
  const header = (rows[headerAt] as (typeof rows)[number]).cells;
  const index = TRAINEE_COLUMNS.map((col) =>
    header.findIndex((h) =>
      col.key === 'idNumber' ? isIdNumberLabel(h.replace(/\s/g, '')) : h.replace(/\s/g, '') === col.label,
    ),
  );
  if (index[0] === -1 || index[1] === -1) throw new TraineesHeaderError();
  const out: TraineeInputLine[] = [];
  for (const r of rows.slice(headerAt + 1)) {
    const first = r.cells.find((c) => c) ?? '';
    if (/^(填写)?说明[：:]?|^注[：:]/.test(first)) break;
    const cells = index.map((i) => (i < 0 ? '' : (r.cells[i] ?? '')));
    if (cells.every((c) => !c)) continue;
    out.push(linefromCells(r.row, cells));
  }
  return out;
}
