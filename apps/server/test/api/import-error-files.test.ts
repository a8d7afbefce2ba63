import fs from 'node:fs';
import path from 'node:path';
import { CREDIT_IMPORT_COLUMNS, idNumberCheckChar, idNumberSex } from '@cpe/shared';
import { platformDay } from '@cpe/shared/platform-zone';
import { and, eq, isNotNull } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { creditImports, files, rosterRows } from '../../src/db/schema/index.js';
import { unitAdmin } from '../applications-factories.js';
import { buildPerson, multipartFile, randomIdNumber, randomPhone } from '../factories.js';
import { type Client, createTestEnv, type TestEnv } from '../harness.js';
import { staffWith } from '../purchase-factories.js';

/**
 * Retention of what imports keep of refused lines (IMPORT_ERROR_FILE_DAYS): 学时批量导入's error file and 学员注册名单's
 * 未通过 rows carry other people's ID numbers as typed. The hourly job deletes them once the days have passed, the
 * import then says so and the error file's download answers 410; younger ones stay; running it again changes nothing.
 */
const DAYS = 3;
const DAY = 86_400_000;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ADMIN = '/api/admin/credit-imports';
const ROSTERS = '/api/admin/rosters';

let env: TestEnv;
let op: Client;
beforeAll(async () => {
  env = await createTestEnv({ IMPORT_ERROR_FILE_DAYS: String(DAYS) });
  op = await staffWith(env, ['training-operator']);
});

function upload(c: Client, url: string, data: Buffer, filename: string) {
  const m = multipartFile({}, { data, filename, type: XLSX });
  return c.request('POST', url, undefined, { payload: m.payload, headers: m.headers });
}

/** A valid 身份证号码 whose check character is wrong. */
function badChecksum(): string {
  const first17 = randomIdNumber().slice(0, 17);
  return first17 + (idNumberCheckChar(first17) === '1' ? '2' : '1');
}

/** A 学时 file with one good line and one whose ID number is refused. */
async function creditFile(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('学时导入');
  ws.addRow([...CREDIT_IMPORT_COLUMNS]);
  const day = platformDay(env.clock.now());
  const title = `数据安全专题培训${Math.random().toString(36).slice(2, 8)}`;
  ws.addRow([buildPerson().realName, randomIdNumber(), title, '专业科目', '面授培训', 8, day]);
  ws.addRow([buildPerson().realName, badChecksum(), title, '专业科目', '面授培训', 8, day]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function creditImport(filename: string) {
  const res = await upload(op, ADMIN, await creditFile(), filename);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  expect(body).toMatchObject({ imported: 1, errors: 1, errorFileExpired: false });
  expect(body.errorFileUrl).toBe(`${ADMIN}/${body.id}/errors.xlsx`);
  const [row] = await env.ctx.db.select().from(creditImports).where(eq(creditImports.id, body.id));
  const fileId = row?.errorFileId as string;
  const [file] = await env.ctx.db.select().from(files).where(eq(files.id, fileId));
  expect(file?.purpose).toBe('credit-import-errors');
  return { id: body.id as string, url: body.errorFileUrl as string, fileId, stored: storedPath(file?.storageKey) };
}

/** Where the local storage driver keeps a key (the test's DATA_DIR/files). */
const storedPath = (key: string | undefined) => path.join(env.dataDir, 'files', key as string);

async function fileRow(id: string) {
  return (await env.ctx.db.select().from(files).where(eq(files.id, id)))[0];
}

async function listed(id: string) {
  const res = await op.get(`${ADMIN}?pageSize=100`);
  expect(res.statusCode, res.body).toBe(200);
  return { list: res.json(), item: res.json().items.find((i: { id: string }) => i.id === id) };
}

/**
 * Moves the clock on and runs the due jobs, as the server's worker does (the purge job is hourly); the operator
 * signs in again, since days later the session has long ended.
 */
async function later(ms: number) {
  env.clock.advance(ms);
  await env.ctx.jobs.runDue();
  op = await staffWith(env, ['training-operator']);
}
const hourLater = () => later(60 * 60_000);

describe('学时批量导入: the error file is kept IMPORT_ERROR_FILE_DAYS, then deleted', () => {
  it('the import says how long the file is kept; a younger file survives the job', async () => {
    const young = await creditImport('刚导入.xlsx');
    const { list, item } = await listed(young.id);
    expect(list.errorFileDays).toBe(DAYS);
    expect(item).toMatchObject({ errorFileUrl: young.url, errorFileExpired: false });

    await later((DAYS - 1) * DAY);
    expect(await fileRow(young.fileId)).toBeDefined();
    expect(fs.existsSync(young.stored)).toBe(true);
    const res = await op.get(young.url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
  });

  it('past the retention the job deletes bytes and row, the view says expired, the download answers 410', async () => {
    const old = await creditImport('过期的.xlsx');
    const clean = await upload(op, ADMIN, await cleanFile(), '全部通过.xlsx');
    expect(clean.json()).toMatchObject({ errors: 0, errorFileUrl: null, errorFileExpired: false });
    await later(DAYS * DAY);
    const young = await creditImport('一天内的.xlsx');

    await hourLater();
    expect(await fileRow(old.fileId)).toBeUndefined();
    expect(fs.existsSync(old.stored)).toBe(false);
    const [row] = await env.ctx.db.select().from(creditImports).where(eq(creditImports.id, old.id));
    expect(row).toMatchObject({ errorFileId: null, errors: 1, imported: 1 });

    const { item } = await listed(old.id);
    expect(item).toMatchObject({ errorFileUrl: null, errorFileExpired: true, errors: 1 });
    const gone = await op.get(old.url);
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toMatchObject({
      code: 'IMPORT_ERROR_FILE_EXPIRED',
      message: `错误文件已超过保存期限（${DAYS}天）被删除`,
    });
    // An import whose lines all passed never had a file: still 404, not "expired".
    expect((await listed(clean.json().id)).item.errorFileExpired).toBe(false);
    const none = await op.get(`${ADMIN}/${clean.json().id}/errors.xlsx`);
    expect(none.statusCode).toBe(404);
    expect(none.json().code).toBe('NOT_FOUND');

    expect(await fileRow(young.fileId)).toBeDefined();
    expect(fs.existsSync(young.stored)).toBe(true);
    expect((await op.get(young.url)).statusCode).toBe(200);
  });

  it('running the job again, or two purges at once, deletes each file once and nothing else', async () => {
    const a = await creditImport('并发一.xlsx');
    const b = await creditImport('并发二.xlsx');
    const c = await creditImport('并发三.xlsx');
    env.clock.advance(DAYS * DAY + 1);
    // Every file left is past the retention now (the earlier tests' young one too): each deleted by one purge.
    const left = await env.ctx.db.select().from(creditImports).where(isNotNull(creditImports.errorFileId));
    expect(left.length).toBeGreaterThanOrEqual(3);
    const counts = await Promise.all([
      env.ctx.creditImports.purgeExpiredErrorFiles(),
      env.ctx.creditImports.purgeExpiredErrorFiles(),
    ]);
    expect(counts[0] + counts[1]).toBe(left.length);
    op = await staffWith(env, ['training-operator']);
    expect(await env.ctx.db.select().from(files).where(eq(files.purpose, 'credit-import-errors'))).toEqual([]);
    for (const x of [a, b, c]) {
      expect(await fileRow(x.fileId)).toBeUndefined();
      expect(fs.existsSync(x.stored)).toBe(false);
      expect((await op.get(x.url)).statusCode).toBe(410);
    }
    expect(await env.ctx.creditImports.purgeExpiredErrorFiles()).toBe(0);
    await hourLater();
    await hourLater();
    expect((await listed(a.id)).item).toMatchObject({ errorFileUrl: null, errorFileExpired: true });
  });
});

/** A 学时 file whose one line passes. */
async function cleanFile(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('学时导入');
  ws.addRow([...CREDIT_IMPORT_COLUMNS]);
  const title = `全部通过的培训${Math.random().toString(36).slice(2, 8)}`;
  ws.addRow([buildPerson().realName, randomIdNumber(), title, '公需科目', '面授培训', 4, platformDay(env.clock.now())]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const sexOf = (id: string) => (idNumberSex(id) === 'male' ? '男' : '女');

/** The 附件2 template with two good lines and one whose check digit is wrong. */
async function rosterFile(c: Client): Promise<Buffer> {
  const template = await c.get(c === op ? `${ROSTERS}/template.xlsx` : '/api/rosters/template.xlsx');
  expect(template.statusCode).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0] as ExcelJS.Worksheet;
  ws.getCell('B4').value = '重庆市渝中区测试单位';
  const ids = [randomIdNumber(), randomIdNumber(), badChecksum()];
  ids.forEach((id, i) => {
    const row = ws.getRow(6 + i);
    row.getCell(2).value = buildPerson().realName;
    row.getCell(3).value = id;
    row.getCell(4).value = randomPhone();
    row.getCell(5).value = sexOf(id);
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('学员注册名单: the 未通过 rows are kept IMPORT_ERROR_FILE_DAYS, then deleted', () => {
  const invalidRows = (importId: string) =>
    env.ctx.db
      .select()
      .from(rosterRows)
      .where(and(eq(rosterRows.importId, importId), eq(rosterRows.status, 'invalid')));

  it('deletes the 未通过 rows of an old upload (counts and other rows stay), keeps a younger one; again is harmless', async () => {
    // A unit's upload on the portal, a later one by the training centre; staff look at both (they see every upload).
    const up = async (c: Client, url: string, name: string) => {
      const res = await upload(c, url, await rosterFile(c), name);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ total: 3, invalid: 1, invalidRowsExpired: false, invalidRowsDays: DAYS });
      return res.json().id as string;
    };
    const unit = (await unitAdmin(env)).c;
    const old = await up(unit, '/api/rosters', '早先的名单.xlsx');
    await later(DAYS * DAY);
    const young = await up(op, ROSTERS, '新名单.xlsx');

    await hourLater();
    expect(await invalidRows(old)).toHaveLength(0);
    const detail = await op.get(`${ROSTERS}/${old}?status=invalid`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({ invalid: 1, invalidRowsExpired: true, invalidRowsDays: DAYS, rows: [] });
    const all = await op.get(`${ROSTERS}/${old}`);
    expect(all.json().rows.map((r: { status: string }) => r.status)).toEqual(['valid', 'valid']);
    const report = await op.get(`${ROSTERS}/${old}/report.xlsx`);
    expect(report.statusCode).toBe(200);

    expect(await invalidRows(young)).toHaveLength(1);
    expect((await op.get(`${ROSTERS}/${young}?status=invalid`)).json()).toMatchObject({
      invalidRowsExpired: false,
      rows: [{ status: 'invalid', reason: expect.stringContaining('校验位') }],
    });

    expect(await env.ctx.roster.purgeExpiredInvalidRows()).toBe(0);
    await hourLater();
    expect(await invalidRows(young)).toHaveLength(1);

    // The old upload's good lines can still be imported.
    expect((await op.post(`${ROSTERS}/${old}/import`, {})).statusCode).toBe(200);
    for (let i = 0; i < 5 && (await op.get(`${ROSTERS}/${old}`)).json().status !== 'done'; i++)
      await env.ctx.jobs.runDue();
    expect((await op.get(`${ROSTERS}/${old}`)).json()).toMatchObject({
      status: 'done',
      createdCount: 2,
      invalid: 1,
      invalidRowsExpired: true,
    });
  });
});
