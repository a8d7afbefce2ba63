/**
 * 学时批量导入 at volume (issue 19 §2): a 10,000-line file uploaded by the 培训中心 — read through the limit-checking
 * reader, every line checked, its holder looked up, the entries and their history written — on PGlite and on
 * PostgreSQL (BENCH_DATABASE_URL). Half the lines belong to registered accounts (their names are compared).
 * Measured side by side in the same process: reading the file alone (the floor: the reader every upload goes
 * through), the import of 10,000 new lines, the same file again (10,000 lines already present), a file of which a
 * tenth is refused (the error file is written), and, for what the bulk statements replace, 1,000 lines inserted one
 * statement per entry and per event (×10 to compare). Target: 10,000 lines validated and imported in ≤ 5 s.
 * A 500-line import of other people goes first, so JIT and PGlite's caches are as in a server that has been running.
 * BENCH_CREDIT_IMPORT_LINES scales it down.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { idNumberCheckChar } from '@cpe/shared';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { loadConfig } from '../apps/server/src/config.js';
import { createContext } from '../apps/server/src/context.js';
import { openDatabase } from '../apps/server/src/db/client.js';
import { readXlsxRows } from '../apps/server/src/lib/xlsx-reader.js';
import { CREDIT_IMPORT_UPLOAD, importSourceId } from '../apps/server/src/modules/credits/credit-import.service.js';
import { withScratchDatabase } from './units-list.js';

const LINES = Number(process.env.BENCH_CREDIT_IMPORT_LINES ?? 10_000);
const TARGET_MS = 5_000;
const WARM_UP = 500;
const meta = { ip: '127.0.0.1', userAgent: 'bench' };
const NAMES = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄强'];
const FORMS = ['面授培训', '网络学习', '学术会议', '高级研修'];

/** The i-th person's 身份证号码 (valid: real birth dates, the GB 11643 check character). */
function idNumber(i: number, salt: number): string {
  const birth = new Date(Date.UTC(1960, 0, 1) + (i % 12_000) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `500103${birth}${String((Math.floor(i / 12_000) + salt) % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

const nameOf = (i: number) => NAMES[i % NAMES.length] as string;

/** A file of `n` lines for people salt…; `badEvery`: every so many lines one is refused (hours 0). */
async function importFile(n: number, salt: number, year: number, badEvery = 0): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('学时导入');
  ws.addRow(['姓名', '身份证号码', '项目名称', '类别', '学习形式', '学时', '结束日期']);
  for (let i = 0; i < n; i++) {
    const bad = badEvery > 0 && i % badEvery === 0;
    ws.addRow([
      nameOf(i),
      idNumber(i, salt),
      `${year}年智能制造专题培训（第${(i % 40) + 1}期）`,
      i % 3 === 0 ? '公需科目' : '专业科目',
      FORMS[i % FORMS.length],
      bad ? 0 : 8 + (i % 24),
      new Date(Date.UTC(year, i % 12, 1 + (i % 28))),
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Registered accounts for every other person of the file (inserted in bulk: the bench is about the import). */
async function registerHalf(ctx: ReturnType<typeof createContext>, n: number, salt: number) {
  const people = Array.from({ length: Math.ceil(n / 2) }, (_, k) => k * 2).map((i) => {
    const id = idNumber(i, salt);
    return {
      username: `bench${salt}_${i}`,
      realName: nameOf(i),
      hash: ctx.pii.lookupHash(id),
      enc: ctx.pii.encrypt(id),
    };
  });
  await ctx.db.execute(sql`
    insert into accounts (username, password_hash, real_name, id_type, id_number_hash, id_number_enc)
    select u, 'x', r, 'idCard', h, e from unnest(
      ${sql.param(people.map((p) => p.username))}::text[], ${sql.param(people.map((p) => p.realName))}::text[],
      ${sql.param(people.map((p) => p.hash))}::text[], ${sql.param(people.map((p) => p.enc))}::text[]) as t(u, r, h, e)`);
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

/** What the bulk statements replace: one INSERT per entry and one per event, in one transaction. */
async function perRow(ctx: ReturnType<typeof createContext>, n: number, year: number) {
  const now = new Date().toISOString();
  await ctx.db.transaction(async (tx) => {
    for (let i = 0; i < n; i++) {
      const hash = ctx.pii.lookupHash(idNumber(i, 900));
      const sourceId = importSourceId(hash, '逐行写入', 'professional', '面授培训', 8, `${year}-03-01`);
      const r = await tx.execute<{ id: string }>(sql`
        insert into credit_entries (id_hash, year, category, form, title, hours, source, source_id, status, ended_on,
          created_at, updated_at)
        values (${hash}, ${year}, 'professional', '面授培训', '逐行写入', 8, 'import', ${sourceId}, 'confirmed',
          ${`${year}-03-01`}, ${now}, ${now})
        on conflict (source, source_id) do nothing returning id`);
      const id = r.rows[0]?.id;
      if (id)
        await tx.execute(sql`insert into credit_entry_events (entry_id, action, to_status, actor_type, actor_id,
          actor_name, at) values (${id}, 'import', 'confirmed', 'staff', 'bench', '培训中心', ${now})`);
    }
  });
}

interface Figures {
  label: string;
  readMs: number;
  importMs: number;
  againMs: number;
  badMs: number;
  perRowMs: number;
}

async function run(
  label: string,
  files: { fresh: Buffer; bad: Buffer; warmUp: Buffer },
  year: number,
  databaseUrl?: string,
) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-bench-credit-import-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl ?? '' });
  const database = await openDatabase({ databaseUrl, dataDir: databaseUrl ? undefined : path.join(dataDir, 'pglite') });
  try {
    await database.migrate();
    const ctx = createContext({ config, database });
    await ctx.staff.ensure({
      username: 'benchop',
      password: 'Bench@2026x',
      displayName: '培训中心',
      roles: ['training-operator'],
    });
    const [staff] = (
      await ctx.db.execute<{ id: string }>(sql`select id from staff_accounts where username = 'benchop'`)
    ).rows;
    const actor = { type: 'staff' as const, id: staff?.id as string };
    await registerHalf(ctx, LINES, 0);
    // A warm-up import of other people (JIT, PGlite's caches and memory), as in a server that has been running.
    await ctx.creditImports.upload(actor, { data: files.warmUp, name: 'warm-up.xlsx' }, meta);
    await readXlsxRows(files.fresh, CREDIT_IMPORT_UPLOAD);

    const read = await time(() => readXlsxRows(files.fresh, CREDIT_IMPORT_UPLOAD));
    const first = await time(() => ctx.creditImports.upload(actor, { data: files.fresh, name: 'bench.xlsx' }, meta));
    if (first.value.imported !== LINES || first.value.errors !== 0)
      throw new Error(`first import: ${JSON.stringify(first.value)}`);
    const again = await time(() => ctx.creditImports.upload(actor, { data: files.fresh, name: 'bench.xlsx' }, meta));
    if (again.value.imported !== 0 || again.value.duplicates !== LINES)
      throw new Error(`second import: ${JSON.stringify(again.value)}`);
    const bad = await time(() => ctx.creditImports.upload(actor, { data: files.bad, name: 'bench-bad.xlsx' }, meta));
    if (bad.value.errors !== Math.ceil(LINES / 10)) throw new Error(`bad import: ${JSON.stringify(bad.value)}`);
    const [counts] = (
      await ctx.db.execute<{ entries: number; events: number }>(sql`select
        (select count(*)::int from credit_entries where source = 'import') as entries,
        (select count(*)::int from credit_entry_events where action = 'import') as events`)
    ).rows;
    const expected = WARM_UP + LINES + (LINES - Math.ceil(LINES / 10));
    if (counts?.entries !== expected || counts?.events !== expected)
      throw new Error(`expected ${expected} entries and events, got ${JSON.stringify(counts)}`);
    const slice = Math.min(1_000, LINES);
    const single = await time(() => perRow(ctx, slice, year));
    return {
      label,
      readMs: read.ms,
      importMs: first.ms,
      againMs: again.ms,
      badMs: bad.ms,
      perRowMs: (single.ms * LINES) / slice,
    } satisfies Figures;
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const ms = (n: number) => `${Math.round(n).toLocaleString('en')} ms`;

export async function benchCreditImport() {
  const year = new Date().getUTCFullYear() - 1;
  const files = {
    fresh: await importFile(LINES, 0, year),
    bad: await importFile(LINES, 500, year, 10),
    warmUp: await importFile(WARM_UP, 700, year),
  };
  console.log(
    `\n学时批量导入: ${LINES.toLocaleString('en')} lines (${Math.round(files.fresh.length / 1024)} KB .xlsx), half of them registered people; target ≤ ${TARGET_MS / 1000} s\n`,
  );
  const results = [await run('PGlite', files, year)];
  const server = process.env.BENCH_DATABASE_URL;
  if (server) results.push(await withScratchDatabase(server, (url) => run('PostgreSQL', files, year, url)));
  console.log(
    '| database | read alone | import (new lines) | ratio to read | same file again | a tenth refused (error file) | one INSERT per entry and event (×10 from 1,000) | bulk ÷ per row | target |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results)
    console.log(
      `| ${r.label} | ${ms(r.readMs)} | ${ms(r.importMs)} | ${(r.importMs / r.readMs).toFixed(2)} | ${ms(r.againMs)} | ${ms(r.badMs)} | ${ms(r.perRowMs)} | ${(r.importMs / r.perRowMs).toFixed(2)} | ${Math.max(r.importMs, r.againMs, r.badMs) <= TARGET_MS ? 'met' : 'NOT met'} |`,
    );
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCreditImport();
