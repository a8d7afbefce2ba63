import { DEFAULT_PLATFORM_TIME_ZONE, setPlatformTimeZone } from '@cpe/shared/platform-zone';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { hasFormula, sheetXmls, xlsxParts } from '../../test/xlsx-xml.js';
import { readXlsxRows } from './xlsx-reader.js';
import { buildWorkbook, escapeCellText, typed, unescapeCellText, writeWorkbook } from './xlsx-writer.js';

async function read(file: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  return wb;
}

const FORMULAS = [
  '=1+1',
  '+1+1',
  '-1+1',
  '@SUM(A1:A2)',
  '\t=1+1',
  '\r=1+1',
  '=HYPERLINK("http://x","y")',
  '＝HYPERLINK("http://x","y")',
  '＋1',
  '－1',
  '＠SUM(A1)',
  "=cmd|' /C calc'!A0",
];

describe('xlsx writer: text that looks like a formula', () => {
  it('escapes each formula start with a leading apostrophe, and nothing else', () => {
    for (const f of FORMULAS) expect(escapeCellText(f)).toBe(`'${f}`);
    // A lone sign is no formula: "-" (the usual 无) stays as typed.
    for (const plain of ['张三', '5001**********1234', '1+1', ' =1', '', "'quoted", '—', '2026-12-07', '-', '+', '='])
      expect(escapeCellText(plain)).toBe(plain);
  });

  it('writes every one as a text cell: exceljs reads strings, the sheet XML has no <f>', async () => {
    const file = await writeWorkbook([
      {
        name: '名单',
        columns: [
          { header: '序号', width: 6 },
          { header: '项目名称', width: 36 },
          { header: '证件号码', width: 24, kind: 'text' },
        ],
        rows: FORMULAS.map((f, i) => [i + 1, f, f]),
      },
    ]);
    const ws = (await read(file)).worksheets[0] as ExcelJS.Worksheet;
    FORMULAS.forEach((f, i) => {
      for (const c of [2, 3]) {
        const cell = ws.getCell(i + 2, c);
        expect(cell.type, f).toBe(ExcelJS.ValueType.String);
        // (XML turns a raw CR into LF when read back: the same text as far as formulas go.)
        expect(String(cell.value).replace(/\r/g, '\n')).toBe(`'${f}`.replace(/\r/g, '\n'));
        expect(cell.formula).toBeUndefined();
      }
    });
    expect(hasFormula(file)).toBe(false);
    const xml = sheetXmls(file)[0] as string;
    expect(xml).toContain('t="s"');
    // The control: the same reader does see a formula where there is one.
    const control = new ExcelJS.Workbook();
    control.addWorksheet('x').getCell('A1').value = { formula: 'HYPERLINK("http://x","y")' };
    expect(hasFormula(Buffer.from(await control.xlsx.writeBuffer()))).toBe(true);
    // The shared strings hold the escaped text as written.
    expect(xlsxParts(file).get('xl/sharedStrings.xml')).toContain(
      '&apos;=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)',
    );
  });

  it('escapes what templates and error files set cell by cell, too', async () => {
    const file = await buildWorkbook((book) => {
      const s = book.addSheet('学员名单');
      s.set('A1', '=HYPERLINK("http://x","y")');
      s.setRow(2, [1, '@SUM(A1)', '-2']);
    });
    const ws = (await read(file)).worksheets[0] as ExcelJS.Worksheet;
    expect(ws.getCell('A1').value).toBe('\'=HYPERLINK("http://x","y")');
    expect(ws.getRow(2).values).toEqual([undefined, 1, "'@SUM(A1)", "'-2"]);
    expect(hasFormula(file)).toBe(false);
  });

  it('reads back as sent: the upload reader drops the apostrophe it finds before formula-looking text', async () => {
    for (const f of FORMULAS) expect(unescapeCellText(escapeCellText(f))).toBe(f);
    expect(unescapeCellText("'quoted")).toBe("'quoted");
    const file = await writeWorkbook([
      {
        name: '学员名单',
        columns: [{ header: '姓名' }, { header: '工作单位' }],
        rows: [['-', '=HYPERLINK("http://x","y")']],
      },
    ]);
    const rows = await readXlsxRows(file, {
      maxRows: 10,
      maxColumns: 5,
      maxCellChars: 100,
      maxInflatedBytes: 1024 * 1024,
    });
    expect(rows.map((r) => r.cells.slice(0, 2))).toEqual([
      ['姓名', '工作单位'],
      ['-', '=HYPERLINK("http://x","y")'],
    ]);
  });

  it('refuses objects (formulas, rich text, hyperlinks are never written)', async () => {
    await expect(
      writeWorkbook([{ name: 'x', columns: [{ header: 'a' }], rows: [[{ formula: '1+1' }]] }]),
    ).rejects.toThrow(/objects/);
  });
});

describe('xlsx writer: dates, numbers, money', () => {
  // 2026-12-06T20:39:13.600Z is 2026-12-07 04:39:13 in China.
  const instant = new Date('2026-12-06T20:39:13.600Z');

  it('writes them in the configured zone when PLATFORM_TIME_ZONE is not China’s', async () => {
    setPlatformTimeZone('America/New_York');
    try {
      const file = await writeWorkbook([
        {
          name: '订单',
          columns: [
            { header: '下单时间', kind: 'datetime' },
            { header: '支付日期', kind: 'date' },
          ],
          rows: [
            [instant, instant],
            [new Date('2026-07-01T03:00:00Z'), null],
          ],
        },
      ]);
      const ws = (await read(file)).worksheets[0] as ExcelJS.Worksheet;
      // 20:39 UTC is 15:39 EST the same day; in July, 03:00 UTC is 23:00 EDT the day before.
      expect((ws.getCell(2, 1).value as Date).toISOString()).toBe('2026-12-06T15:39:13.000Z');
      expect((ws.getCell(2, 2).value as Date).toISOString()).toBe('2026-12-06T00:00:00.000Z');
      expect((ws.getCell(3, 1).value as Date).toISOString()).toBe('2026-06-30T23:00:00.000Z');
    } finally {
      setPlatformTimeZone(DEFAULT_PLATFORM_TIME_ZONE);
    }
  });

  it('writes instants as date cells in China wall-clock time with a display format', async () => {
    const file = await writeWorkbook([
      {
        name: '订单',
        columns: [
          { header: '下单时间', kind: 'datetime' },
          { header: '支付日期', kind: 'date' },
          { header: '有效期起', kind: 'date' },
          { header: '支付时间', kind: 'datetime' },
        ],
        rows: [[instant, instant, '2026-01-31', null]],
      },
    ]);
    const ws = (await read(file)).worksheets[0] as ExcelJS.Worksheet;
    const [at, day, from, none] = [1, 2, 3, 4].map((c) => ws.getCell(2, c)) as [
      ExcelJS.Cell,
      ExcelJS.Cell,
      ExcelJS.Cell,
      ExcelJS.Cell,
    ];
    expect(at.value).toBeInstanceOf(Date);
    // Excel has no time zone: the cell's clock is China's (read back as UTC fields), whole seconds.
    expect((at.value as Date).toISOString()).toBe('2026-12-07T04:39:13.000Z');
    expect(at.numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect((day.value as Date).toISOString()).toBe('2026-12-07T00:00:00.000Z');
    expect(day.numFmt).toBe('yyyy-mm-dd');
    expect((from.value as Date).toISOString()).toBe('2026-01-31T00:00:00.000Z');
    expect(from.numFmt).toBe('yyyy-mm-dd');
    expect(none.value).toBeNull();
    // In the file: a number (the serial date), not a string.
    const xml = sheetXmls(file)[0] as string;
    const a2 = /<c r="A2"[^>]*>(.*?)<\/c>/.exec(xml);
    expect(a2?.[0]).not.toContain('t="s"');
    expect(Number(/<v>([^<]+)<\/v>/.exec(a2?.[1] ?? '')?.[1])).toBeCloseTo(
      Date.UTC(2026, 11, 7) / 86_400_000 + 25_569 + (4 * 3600 + 39 * 60 + 13) / 86_400,
      6,
    );
  });

  it('writes numbers as numbers, money in 分 as 元 with two decimals, per-cell kinds', async () => {
    const file = await writeWorkbook([
      {
        name: '概览',
        columns: [
          { header: '数量', kind: 'number' },
          { header: '金额（元）', kind: 'money' },
          { header: '数值' },
          { header: '完成率', kind: 'percent' },
        ],
        rows: [
          [3, 12_345, typed(41_000, 'money'), 0.5],
          [4, 0, typed(instant, 'datetime'), ''],
        ],
      },
    ]);
    const ws = (await read(file)).worksheets[0] as ExcelJS.Worksheet;
    expect(ws.getRow(2).values).toEqual([undefined, 3, 123.45, 410, 0.5]);
    expect(ws.getCell('B2').numFmt).toBe('0.00');
    expect(ws.getCell('C2').numFmt).toBe('0.00');
    expect(ws.getCell('D2').numFmt).toBe('0.00%');
    expect(ws.getCell('B3').value).toBe(0);
    expect((ws.getCell('C3').value as Date).toISOString()).toBe('2026-12-07T04:39:13.000Z');
    expect(ws.getCell('A1').font?.bold).toBe(true);
  });
});
