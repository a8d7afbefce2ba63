import { wallClockOf } from '@cpe/shared/platform-zone';
import type { Cell, Row, Worksheet } from 'exceljs';
import { loadExcelJs } from './lazy.js';

/**
 * The one spreadsheet writer: every Excel file the server sends (exports, templates, error files, reports) is
 * built here, and `put` below is the only code that sets a cell's value, so each rule holds for all of them:
 *
 * - Text is written as a string cell, and text that a spreadsheet program would take for a formula (it begins
 *   with = + - @, a tab or a carriage return, or their full-width forms, which East Asian input methods turn into
 *   the ASCII ones) gets a leading `'`. A string cell in the file is never evaluated by itself, but people edit
 *   exported sheets: pressing F2 and Enter on `=HYPERLINK(…)`, copying cells into another sheet or saving as CSV and
 *   opening it again makes the program parse the text anew, and a project name or a pasted line someone typed
 *   becomes a live formula (CSV / formula injection). The apostrophe is what OWASP recommends for spreadsheets:
 *   whenever the text is parsed again, Excel, WPS and LibreOffice read a leading `'` as "what follows is text", so
 *   the cell stays text through all of that (it shows in the cell, which is the price of the rule).
 * - Instants (`Date`) become real date cells showing the wall-clock time of the platform's zone (PLATFORM_TIME_ZONE,
 *   China's by default): an Excel date has no time zone, so the time written is the one people read on the screens. Calendar days
 *   ('YYYY-MM-DD' strings, or `Date`s in a `date` column) become dates at midnight. Both carry a display format,
 *   so filters and sorting see dates, not text.
 * - Numbers stay numbers; `money` takes integer 分 and shows 元 with two decimals.
 *
 * exceljs is loaded on first use (lib/lazy.ts). Layout that is not a value (widths, merges, borders, fonts,
 * validation lists, frozen panes) is set on the exceljs sheet directly: `SheetWriter.ws`.
 */

export type XlsxKind = 'text' | 'number' | 'decimal' | 'percent' | 'money' | 'date' | 'datetime';

/** The display format of each kind; `text` is Excel's text format, so what someone types there stays text too. */
export const XLSX_FORMATS: Record<XlsxKind, string | undefined> = {
  text: '@',
  number: undefined,
  decimal: '0.00',
  percent: '0.00%',
  money: '0.00',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm:ss',
};

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
/**
 * What a spreadsheet program would start a formula with (or a DDE payload after a tab / CR), followed by something:
 * a lone "-" (the usual 无) or "+" is no formula and stays as people typed it.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20](?=[\s\S])/;

/** Text as it is written into a cell: formula-looking text behind a `'` (see above). */
export function escapeCellText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * The inverse, for reading: one of our files coming back (an error file corrected and uploaded again) holds the
 * `'` we wrote, not the sender's text. lib/xlsx-reader.ts drops it; what was read is stored as data, never evaluated,
 * and escaped again by any export. (An apostrophe typed in Excel is not in the file: Excel keeps it as a style.)
 */
export function unescapeCellText(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

/** A value written with another kind than its column's (a sheet of label/value pairs, a total row). */
export class XlsxValue {
  constructor(
    readonly value: unknown,
    readonly kind: XlsxKind,
  ) {}
}
export const typed = (value: unknown, kind: XlsxKind) => new XlsxValue(value, kind);

/** The instant as the Date exceljs writes (it converts by UTC fields): the platform's wall clock, whole seconds. */
function platformWallClock(d: Date, kind: 'date' | 'datetime'): Date {
  const t = d.getTime();
  if (Number.isNaN(t)) throw new Error('xlsx: invalid date');
  const wall = wallClockOf(Math.floor(t / 1000) * 1000);
  return kind === 'date' ? new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate())) : wall;
}

/**
 * Sets one cell: the only place a value enters a workbook. null/undefined leave the cell empty; a Date (or a
 * 'YYYY-MM-DD' string in a date/datetime column) becomes a date cell; a number a number (money: 分 → 元);
 * anything else is written as escaped text.
 */
function put(cell: Cell, raw: unknown, columnKind: XlsxKind | undefined): Cell {
  const { value, kind } = raw instanceof XlsxValue ? raw : { value: raw, kind: columnKind };
  const format = kind ? XLSX_FORMATS[kind] : undefined;
  if (value === null || value === undefined) {
    cell.value = null;
    return cell;
  }
  const dateKind = kind === 'date' ? 'date' : 'datetime';
  if (value instanceof Date) {
    cell.value = platformWallClock(value, dateKind);
    cell.numFmt = XLSX_FORMATS[dateKind] as string;
    return cell;
  }
  if (typeof value === 'string' && (kind === 'date' || kind === 'datetime') && DAY_RE.test(value)) {
    const day = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value)
      throw new Error(`xlsx: invalid day ${value}`);
    cell.value = day;
    cell.numFmt = XLSX_FORMATS.date as string;
    return cell;
  }
  if (typeof value === 'number' && kind !== 'text') {
    if (!Number.isFinite(value)) throw new Error('xlsx: not a finite number');
    cell.value = kind === 'money' ? Number((value / 100).toFixed(2)) : value;
    if (format) cell.numFmt = format;
    return cell;
  }
  if (typeof value === 'object')
    throw new Error('xlsx: objects are not cell values (rich text and formulas are never written)');
  cell.value = escapeCellText(String(value));
  if (kind === 'text') cell.numFmt = '@';
  return cell;
}

/** One worksheet being built: values through `set` / `setRow`, layout on `ws`. */
export interface SheetWriter {
  /** For layout only (widths, merges, borders, fonts, validation, views): never for values. */
  readonly ws: Worksheet;
  /** Sets the cell at an address ('A1') or [row, column] (both from 1); returns it for styling. */
  set(at: string | [row: number, column: number], value: unknown, kind?: XlsxKind): Cell;
  /** Sets the row's cells from column 1, each with the kind at the same index (if any); returns it for styling. */
  setRow(row: number, values: readonly unknown[], kinds?: ReadonlyArray<XlsxKind | undefined>): Row;
}

export interface WorkbookBuilder {
  addSheet(name: string): SheetWriter;
}

/** Builds a workbook sheet by sheet (templates with merged titles, validation lists, notes) and returns the .xlsx. */
export async function buildWorkbook(build: (book: WorkbookBuilder) => void | Promise<void>): Promise<Buffer> {
  const ExcelJS = await loadExcelJs();
  const wb = new ExcelJS.Workbook();
  await build({
    addSheet(name) {
      const ws = wb.addWorksheet(name);
      return {
        ws,
        set: (at, value, kind) => put(typeof at === 'string' ? ws.getCell(at) : ws.getCell(at[0], at[1]), value, kind),
        setRow(r, values, kinds) {
          const row = ws.getRow(r);
          values.forEach((v, i) => {
            put(row.getCell(i + 1), v, kinds?.[i]);
          });
          return row;
        },
      };
    },
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface XlsxColumn {
  header: string;
  width?: number;
  /** How the column's values are written and shown; by default by each value's type, without a format. */
  kind?: XlsxKind;
}

export interface XlsxSheet {
  name: string;
  columns: XlsxColumn[];
  rows: ReadonlyArray<readonly unknown[]>;
  /** Layout after the values are in (e.g. a bold total row). */
  style?: (ws: Worksheet) => void;
}

/** A list export: per sheet, a bold header row, then the rows, each value written by its column's kind. */
export function writeWorkbook(sheets: XlsxSheet[]): Promise<Buffer> {
  return buildWorkbook((book) => {
    for (const s of sheets) {
      const sheet = book.addSheet(s.name);
      // Widths, and each column's format before any cell exists: exceljs gives a new cell its column's format, so
      // the format also covers the header (as Excel does for a formatted column) and rows people add later.
      s.columns.forEach((c, i) => {
        const column = sheet.ws.getColumn(i + 1);
        if (c.width) column.width = c.width;
        const format = c.kind && XLSX_FORMATS[c.kind];
        if (format) column.numFmt = format;
      });
      sheet.setRow(
        1,
        s.columns.map((c) => c.header),
      ).font = { bold: true };
      const kinds = s.columns.map((c) => c.kind);
      s.rows.forEach((r, i) => {
        sheet.setRow(i + 2, r, kinds);
      });
      s.style?.(sheet.ws);
    }
  });
}
