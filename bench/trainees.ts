/**
 * 结业上报's 学员名单 at its limit: 2,000 lines checked (GB 11643, duplicates, attendance, result) from pasted text,
 * and the same 2,000 lines read from an .xlsx with the limits checked while reading, then checked.
 * Target: the check of 2,000 lines well under 1 s (it is the step a unit waits for on 校验并保存).
 */
import { performance } from 'node:perf_hooks';
import { checkTraineeLines, idNumberCheckChar, parseTraineeText } from '@cpe/shared';
import ExcelJS from 'exceljs';
import { parseTraineesXlsx } from '../apps/server/src/modules/seminars/trainees-excel.js';

const LINES = 2000;
const ROUNDS = 20;

function lines(): string[][] {
  return Array.from({ length: LINES }, (_, i) => {
    const birth = new Date(Date.UTC(1965, 0, 1) + i * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
    const first17 = `500103${birth}${String(i % 1000).padStart(3, '0')}`;
    return [
      `学员${i}`,
      first17 + idNumberCheckChar(first17),
      '重庆市某某研究院有限公司',
      '高级工程师',
      `139${String(i).padStart(8, '0')}`,
      String(i % 6),
      i % 10 ? '合格' : '不合格',
    ];
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export async function benchTrainees() {
  const rows = lines();
  const text = rows.map((r) => r.join('\t')).join('\n');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('学员名单');
  ws.addRow(['序号', '姓名', '身份证号码', '工作单位', '职称/职务', '手机号码', '出勤天数', '研修成果']);
  rows.forEach((r, i) => {
    ws.addRow([i + 1, ...r]);
  });
  const xlsx = Buffer.from(await wb.xlsx.writeBuffer());

  const paste: number[] = [];
  const check: number[] = [];
  const excel: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let t = performance.now();
    const parsed = parseTraineeText(text);
    const t1 = performance.now();
    const results = checkTraineeLines(parsed, { classDays: 5 });
    const t2 = performance.now();
    if (results.some((r) => !r.ok)) throw new Error('bench lines should all pass');
    paste.push(t2 - t);
    check.push(t2 - t1);
    t = performance.now();
    checkTraineeLines(await parseTraineesXlsx(xlsx), { classDays: 5 });
    excel.push(performance.now() - t);
  }
  const worst = Math.max(median(paste), median(check));
  console.log(`\n学员名单 check (${LINES} lines, median of ${ROUNDS})`);
  console.log(`  check only: ${median(check).toFixed(1)} ms`);
  console.log(`  pasted text → lines → check: ${median(paste).toFixed(1)} ms`);
  console.log(
    `  .xlsx (${Math.round(xlsx.length / 1024)} KB) read with limits → check: ${median(excel).toFixed(1)} ms`,
  );
  console.log(`  ${worst < 1000 ? 'PASS' : 'FAIL'}: ${worst.toFixed(1)} ms (target < 1000 ms)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchTrainees();
