import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every spreadsheet the server writes goes through lib/xlsx-writer.ts, the one place that escapes formula-looking
 * text and writes dates as China-time date cells. Reads every source file of the server, so a new export that
 * makes its own exceljs workbook or sets cell values itself fails here instead of shipping unescaped text.
 * Allowed: the writer itself, the upload reader (lib/xlsx-reader.ts, which writes nothing) and lib/lazy.ts (which
 * only defines the loader); tests read files back with exceljs and are not shipped.
 */
const ROOT = 'apps/server/src';
const ALLOWED = new Set(['lib/xlsx-writer.ts', 'lib/xlsx-reader.ts', 'lib/lazy.ts']);

const RULES: Array<[string, RegExp]> = [
  ['imports exceljs values (only `import type` is allowed)', /^\s*import\s+(?!type\b)[^;]*?from\s*['"]exceljs['"]/m],
  ['imports exceljs dynamically', /import\(\s*['"]exceljs['"]\s*\)/],
  ['loads exceljs (loadExcelJs)', /\bloadExcelJs\b/],
  ['creates a workbook', /\bnew\s+[\w.]*Workbook\s*\(/],
  ['sets a cell or row value (.value = / .values =)', /\.values?\s*=(?!=)/],
  ['adds rows with exceljs', /\.(addRow|addRows|insertRow|spliceRows|duplicateRow)\s*\(/],
  ['sets column headers through exceljs (.columns =)', /\.columns\s*=(?!=)/],
];

const files = fs
  .readdirSync(ROOT, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.split(path.sep).join('/'));

describe('one spreadsheet writer: no other server file writes cells', () => {
  it('reads the sources, and the exports use the writer', () => {
    expect(files.length).toBeGreaterThan(100);
    const users = files.filter((f) =>
      /from '(\.\.\/)+lib\/xlsx-writer\.js'|from '\.\/xlsx-writer\.js'/.test(
        fs.readFileSync(path.join(ROOT, f), 'utf8'),
      ),
    );
    expect(users).toEqual(
      expect.arrayContaining([
        'modules/applications/application-review.service.ts',
        'modules/bases/bases.service.ts',
        'modules/dashboard/dashboard.service.ts',
        'modules/purchase/orders-admin.service.ts',
        'modules/purchase/orders.service.ts',
        'modules/roster/roster-excel.ts',
        'modules/seminars/trainees-excel.ts',
        'modules/units/unit-review.service.ts',
      ]),
    );
  });

  it.each(files.filter((f) => !ALLOWED.has(f)))('%s', (file) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const broken = RULES.filter(([, re]) => re.test(text)).map(([what]) => what);
    expect(broken, 'write spreadsheets through lib/xlsx-writer.ts (writeWorkbook / buildWorkbook)').toEqual([]);
  });

  it('catches what it is meant to catch', () => {
    const offending = [
      "import ExcelJS from 'exceljs';",
      "const ExcelJS = await import('exceljs');",
      'const ExcelJS = await loadExcelJs();',
      'const wb = new ExcelJS.Workbook();',
      "ws.getCell('A1').value = name;",
      'ws.getRow(2).values = [1, name];',
      'ws.addRow([1, name]);',
      "ws.columns = [{ header: '序号' }];",
    ];
    for (const line of offending)
      expect(
        RULES.some(([, re]) => re.test(line)),
        line,
      ).toBe(true);
    for (const line of [
      "import type { Worksheet } from 'exceljs';",
      'if (a.value === b.value) return;',
      'await repo.insertRows(tx, id, rows);',
    ])
      expect(
        RULES.some(([, re]) => re.test(line)),
        line,
      ).toBe(false);
  });
});
