/**
 * 学员注册名单 at volume: a 10,000-row file uploaded and checked, then imported (10,000 accounts created),
 * beside the floor of the import: hashing 10,000 initial passwords alone with the same batch concurrency.
 * Target: import time ≤ 1.2 × the hashing floor (argon2id is the work; everything else should be small).
 * BENCH_ROSTER_ROWS scales it down.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { idNumberCheckChar, idNumberSex } from '@cpe/shared';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { loadConfig } from '../apps/server/src/config.js';
import { createContext } from '../apps/server/src/context.js';
import { openDatabase } from '../apps/server/src/db/client.js';
import { hashPassword } from '../apps/server/src/lib/password.js';
import { initialPassword } from '../apps/server/src/modules/roster/roster.service.js';
import { withScratchDatabase } from './units-list.js';

const ROWS = Number(process.env.BENCH_ROSTER_ROWS ?? 10_000);
/** The import job's batch size: hashing the same number at once gives the same thread-pool concurrency. */
const BATCH = 50;
const meta = { ip: '127.0.0.1', userAgent: 'bench' };

export async function rosterFile(n: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('学员注册名单');
  ws.addRow(['序号', '姓名', '身份证号码', '手机号码', '性别', '备注']);
  for (let i = 0; i < n; i++) {
    const birth = new Date(Date.UTC(1960, 0, 1) + (i % 12_000) * 86_400_000)
      .toISOString()
      .slice(0, 10)
      .replace(/-/g, '');
    const first17 = `500103${birth}${String(Math.floor(i / 12_000)).padStart(3, '0')}`;
    const id = first17 + idNumberCheckChar(first17);
    ws.addRow([i + 1, '张三', id, `139${String(i).padStart(8, '0')}`, idNumberSex(id) === 'male' ? '男' : '女', '']);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function hashFloor(ids: string[]): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < ids.length; i += BATCH)
    await Promise.all(ids.slice(i, i + BATCH).map((id) => hashPassword(initialPassword(id))));
  return performance.now() - t;
}

async function run(label: string, file: Buffer, databaseUrl?: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-bench-roster-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl ?? '' });
  const database = await openDatabase({ databaseUrl, dataDir: databaseUrl ? undefined : path.join(dataDir, 'pglite') });
  try {
    await database.migrate();
    const ctx = createContext({ config, database });
    const actor = { type: 'staff' as const, id: '00000000-0000-0000-0000-000000000001' };
    let t = performance.now();
    const checked = await ctx.roster.upload(actor, { data: file, name: 'bench.xlsx' }, meta);
    const checkMs = performance.now() - t;
    if (checked.valid !== ROWS) throw new Error(`expected ${ROWS} valid rows, got ${checked.valid}`);
    await ctx.roster.startImport(actor, checked.id, {}, meta);
    t = performance.now();
    await ctx.roster.runImport(checked.id);
    const importMs = performance.now() - t;
    const done = await ctx.roster.get(actor, checked.id, { page: 1, pageSize: 1 });
    if (done.status !== 'done' || done.createdCount !== ROWS) throw new Error(`import ended ${JSON.stringify(done)}`);
    const ids = (
      await ctx.db.execute<{ username: string }>(sql`select username from accounts where real_name_source = 'roster'`)
    ).rows.map((r) => r.username);
    const floorMs = await hashFloor(ids);
    const ratio = importMs / floorMs;
    console.log(
      `| ${label} | ${ROWS.toLocaleString('en')} | ${Math.round(checkMs)} ms | ${Math.round(importMs)} ms | ${Math.round(floorMs)} ms | ${ratio.toFixed(2)} ${ratio <= 1.2 ? '(met)' : '(NOT met)'} |`,
    );
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchRoster() {
  const file = await rosterFile(ROWS);
  console.log(
    `\n学员注册名单: upload + check, then import (argon2id per account, batches of ${BATCH}, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? 4}); target import ≤ 1.2 × hashing alone\n`,
  );
  console.log('| database | rows | upload + check | import | hashing alone | ratio |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  await run('PGlite', file);
  const server = process.env.BENCH_DATABASE_URL;
  if (server) await withScratchDatabase(server, (url) => run('PostgreSQL', file, url));
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRoster();
