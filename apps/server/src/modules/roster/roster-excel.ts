import { ROSTER_MAX_ROWS, type TRosterHeader } from '@cpe/shared';
import { readXlsxRows, type XlsxUpload } from '../../lib/xlsx-reader.js';
import { buildWorkbook, writeWorkbook } from '../../lib/xlsx-writer.js';

/** The layout of 附件2 学员注册名单, shared by the template and the parser. */
export const ROSTER_TITLE = '重庆市专业技术人员继续教育公需科目培训';
export const ROSTER_SUBTITLE = '学员注册名单';
export const ROSTER_COLUMNS = [
  { key: 'seq', label: '序号', width: 8 },
  { key: 'name', label: '姓名（姓名中间不能有空格和符号）', width: 30 },
  { key: 'idNumber', label: '身份证号码（身份证号码含X，必须大写）', width: 38 },
  { key: 'phone', label: '手机号码', width: 16 },
  { key: 'sex', label: '性别', width: 8 },
  { key: 'remark', label: '备注', width: 20 },
] as const;
export const ROSTER_NOTES = [
  '注：',
  '1.文件格式要求为Excel电子格式，注册信息将作为培训合格证书的重要数据，事关职称评审等相关工作，请认真填写，确保信息的真实准确；',
  '2.用户名统一为身份证号码，初始密码为edu@身份证号码后六位，首次登录须修改密码。',
  '3.港澳台居民可填写港澳居民居住证或台湾居民居住证号码，外籍人员可填写外国人永久居留身份证号码（18位或旧版15位），用户名和初始密码同上；持护照的外籍人员请本人在平台注册。',
];
export const ROSTER_TEMPLATE_FILENAME = '学员注册名单.xlsx';
const TEMPLATE_ROWS = 20;

const HEADER_LABELS: Array<[keyof TRosterHeader, string]> = [
  ['district', '区县'],
  ['contact', '联系人'],
  ['unitName', '单位全称'],
  ['phone', '联系电话'],
];

const thin = { style: 'thin' as const };
const box = { top: thin, left: thin, bottom: thin, right: thin };

export function rosterTemplateXlsx(): Promise<Buffer> {
  return buildWorkbook((book) => {
    const sheet = book.addSheet(ROSTER_SUBTITLE);
    const { ws } = sheet;
    ROSTER_COLUMNS.forEach((c, i) => {
      ws.getColumn(i + 1).width = c.width;
    });
    ws.mergeCells('A1:F1');
    sheet.set('A1', ROSTER_TITLE).font = { bold: true, size: 16 };
    ws.mergeCells('A2:F2');
    sheet.set('A2', ROSTER_SUBTITLE).font = { bold: true, size: 14 };
    for (const cell of ['A1', 'A2']) ws.getCell(cell).alignment = { horizontal: 'center', vertical: 'middle' };
    ws.getRow(1).height = 28;
    ws.getRow(2).height = 24;
    // The header block: label, then the cell(s) to fill in, two pairs per row.
    sheet.set('A3', '区县：');
    ws.mergeCells('B3:C3');
    sheet.set('D3', '联系人：');
    ws.mergeCells('E3:F3');
    sheet.set('A4', '单位全称：');
    ws.mergeCells('B4:C4');
    sheet.set('D4', '联系电话：');
    ws.mergeCells('E4:F4');
    for (const cell of ['B3', 'E3', 'B4', 'E4']) ws.getCell(cell).border = { bottom: thin };
    for (const cell of ['A3', 'D3', 'A4', 'D4']) ws.getCell(cell).alignment = { horizontal: 'right' };

    const head = sheet.setRow(
      5,
      ROSTER_COLUMNS.map((c) => c.label),
    );
    head.font = { bold: true };
    head.height = 32;
    head.eachCell((cell) => {
      cell.border = box;
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    });
    for (let i = 1; i <= TEMPLATE_ROWS; i++) {
      const row = ws.getRow(5 + i);
      sheet.set([5 + i, 1], i);
      for (let c = 1; c <= ROSTER_COLUMNS.length; c++) row.getCell(c).border = box;
    }
    // Text format: an 18-digit ID typed into a number cell becomes 5.00103E+17 and loses its last digits.
    for (const c of [3, 4]) ws.getColumn(c).numFmt = '@';
    ROSTER_NOTES.forEach((note, i) => {
      const r = 6 + TEMPLATE_ROWS + i;
      ws.mergeCells(r, 1, r, ROSTER_COLUMNS.length);
      sheet.set([r, 1], note).alignment = { wrapText: true, vertical: 'top' };
      if (i > 0) ws.getRow(r).height = 32;
    });
  });
}

export interface ParsedRosterRow {
  /** Excel row number. */
  line: number;
  name: string;
  idNumber: string;
  phone: string;
  sex: string;
  remark: string;
}

export class RosterParseError extends Error {}
export class RosterTooManyError extends Error {}

/**
 * What reading an uploaded 学员注册名单 may cost, checked while reading (lib/xlsx-reader.ts): the rows of the list
 * and the template's title, header block, column header and notes; a few columns beside the template's six;
 * 500 characters a cell. A full 10,000-row list inflates to about 3 MB (sheet and shared strings, measured in
 * bench/spreadsheet-bombs.ts), so 64 MB leaves room for what other spreadsheet programs add; a million row and
 * cell elements leaves room for a sheet formatted far below its data and refuses the millions of empty rows of
 * a hostile file.
 */
export const ROSTER_UPLOAD = {
  maxBytes: 5 * 1024 * 1024,
  maxRows: ROSTER_MAX_ROWS + 20,
  maxColumns: 30,
  maxCellChars: 500,
  maxInflatedBytes: 64 * 1024 * 1024,
  maxElements: 1_000_000,
  template: '学员注册名单模板',
} as const satisfies XlsxUpload;

const labelOf = (text: string) => text.replace(/[：:\s]/g, '');
/** The number's column: the template's 身份证号码, or 证件号码 in a list made for people holding other documents. */
const isIdNumberLabel = (text: string) => text.startsWith('身份证号码') || text.startsWith('证件号码');
const isNote = (text: string) => /^注[：:]?/.test(text) || /^\d+\s*[.．、]\s*\D/.test(text);

/**
 * Reads the first worksheet of a 学员注册名单 through the limit-checking reader: the header block (each label's
 * value is the next non-empty cell to its right, or what follows the colon in the label cell itself) and the
 * rows under the column header row, which is found by its 姓名 and 身份证号码 (or 证件号码) labels so moved or extra rows do
 * not matter. Rows with nothing but a 序号 are skipped; the notes end the table. Throws XlsxLimitError at the
 * first limit passed, XlsxFormatError for a file that is not a readable .xlsx.
 */
export async function parseRosterXlsx(
  data: Buffer,
  maxRows: number,
): Promise<{ header: TRosterHeader; rows: ParsedRosterRow[] }> {
  const sheet = await readXlsxRows(data, ROSTER_UPLOAD);

  const header: TRosterHeader = { district: '', contact: '', unitName: '', phone: '' };
  const col: Partial<Record<(typeof ROSTER_COLUMNS)[number]['key'], number>> = {};
  const headAt = sheet.findIndex((r) => r.cells.some((t) => t.startsWith('姓名')) && r.cells.some(isIdNumberLabel));
  if (headAt < 0) throw new RosterParseError('no column header row');
  for (const { cells: texts } of sheet.slice(0, headAt)) {
    texts.forEach((t, c) => {
      const match = HEADER_LABELS.find(([, l]) => labelOf(t).startsWith(l));
      if (!match) return;
      const inline = t.replace(/^[^：:]*[：:]/, '').trim();
      if (inline && inline !== t) {
        header[match[0]] = inline;
        return;
      }
      for (let n = c + 1; n < texts.length; n++) {
        const next = texts[n] ?? '';
        if (next === '') continue;
        if (!HEADER_LABELS.some(([, l]) => labelOf(next).startsWith(l))) header[match[0]] = next;
        break;
      }
    });
  }
  (sheet[headAt]?.cells ?? []).forEach((t, c) => {
    const column = ROSTER_COLUMNS.find((k) =>
      k.key === 'idNumber' ? isIdNumberLabel(t) : t.startsWith(k.label.replace(/（.*$/, '')),
    );
    if (column && col[column.key] === undefined) col[column.key] = c;
  });
  if (col.name === undefined || col.idNumber === undefined) throw new RosterParseError('no column header row');

  const rows: ParsedRosterRow[] = [];
  for (const { row, cells } of sheet.slice(headAt + 1)) {
    if (isNote(cells[0] ?? '')) break;
    const at = (c: number | undefined) => (c === undefined ? '' : (cells[c] ?? ''));
    const parsed = {
      line: row,
      name: at(col.name),
      idNumber: at(col.idNumber),
      phone: at(col.phone),
      sex: at(col.sex),
      remark: at(col.remark),
    };
    if (!parsed.name && !parsed.idNumber && !parsed.phone && !parsed.sex) continue;
    if (rows.length === maxRows) throw new RosterTooManyError();
    rows.push(parsed);
  }
  return { header, rows };
}

export interface ReportRow {
  line: number;
  name: string;
  idNumberMasked: string;
  phoneMasked: string;
  result: string;
  reason: string;
}

/** 导入结果: every row in file order with its result, for the sender to correct and re-upload. */
export function rosterReportXlsx(rows: ReportRow[]): Promise<Buffer> {
  return writeWorkbook([
    {
      name: '导入结果',
      columns: [
        { header: '行号', width: 8 },
        { header: '姓名', width: 14 },
        { header: '证件号码', width: 24, kind: 'text' },
        { header: '手机号码', width: 16 },
        { header: '结果', width: 36 },
        { header: '原因', width: 48 },
      ],
      rows: rows.map((r) => [r.line, r.name, r.idNumberMasked, r.phoneMasked, r.result, r.reason]),
    },
  ]);
}
