import fs from 'node:fs';
import path from 'node:path';
import { CREDIT_IMPORT_COLUMNS, idNumberCheckChar, idNumberSex, rosterExpiredMessage } from '@cpe/shared';
import { platformDay } from '@cpe/shared/platform-zone';
import { and, eq, inArray, isNotNull, lt } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { accounts, creditImports, files, groupChecks, rosterImports, rosterRows } from '../../src/db/schema/index.js';
import { unitAdmin } from '../applications-factories.js';
import { buildPerson, multipartFile, randomIdNumber, randomPhone } from '../factories.js';
import { type Client, createTestEnv, type TestEnv } from '../harness.js';
import { LATER, learner, onSalePlan, registered, staffWith } from '../purchase-factories.js';

/**
 * Retention of what imports keep of refused lines (IMPORT_ERROR_FILE_DAYS): 学时批量导入's error file and 学员注册名单's
 * 未通过 rows carry other people's ID numbers as typed. The hourly job deletes them once the days have passed, the
 * import then says so and the error file's download answers 410; younger ones stay; running it again changes nothing.
 * A 学员注册名单 never imported within the days expires the same way (its lines waiting for an account deleted, 导入
 * refused), and 团体购买's checks (pasted ID numbers) are deleted by their own hourly job a day after they expire.
 */
const DAYS = 3;
const DAY = 86_400_000;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ADMIN = '/api/admin/credit-imports';
const ROSTERS = '/api/admin/rosters';

let env: TestEnv;
let op: Client;
beforeAll(async () => {
  // Portal sessions outlive the days the clock moves (the unit's administrator and the buyer stay signed in).
  env = await createTestEnv({
    IMPORT_ERROR_FILE_DAYS: String(DAYS),
    SESSION_IDLE_MINUTES: String(30 * 24 * 60),
    SESSION_ABSOLUTE_HOURS: String(30 * 24),
  });
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

const rowsIn = (importId: string, status: string) =>
  env.ctx.db
    .select()
    .from(rosterRows)
    .where(and(eq(rosterRows.importId, importId), eq(rosterRows.status, status)));

/** Uploads the 附件2 file (two good lines, one refused); the upload's id. */
async function rosterUpload(c: Client, url: string, name: string) {
  const res = await upload(c, url, await rosterFile(c), name);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json()).toMatchObject({
    status: 'validated',
    total: 3,
    invalid: 1,
    invalidRowsExpired: false,
    invalidRowsDays: DAYS,
  });
  return res.json().id as string;
}

/** 确认导入, then the job runs until the upload is done: its two good lines become accounts. */
async function importNow(c: Client, url: string, id: string) {
  const res = await c.post(`${url}/${id}/import`, {});
  expect(res.statusCode, res.body).toBe(200);
  for (let i = 0; i < 5 && (await c.get(`${url}/${id}`)).json().status !== 'done'; i++) await env.ctx.jobs.runDue();
  expect((await c.get(`${url}/${id}`)).json()).toMatchObject({ status: 'done', createdCount: 2 });
}

describe('学员注册名单: the 未通过 rows are kept IMPORT_ERROR_FILE_DAYS, then deleted', () => {
  const invalidRows = (importId: string) => rowsIn(importId, 'invalid');

  it('deletes the 未通过 rows of an old upload (counts and other rows stay), keeps a younger one; again is harmless', async () => {
    // A unit's upload on the portal, a later one by the training centre; staff look at both (they see every upload).
    const up = rosterUpload;
    const unit = (await unitAdmin(env)).c;
    const old = await up(unit, '/api/rosters', '早先的名单.xlsx');
    // Imported the same day (one never imported expires whole: the next describe).
    await importNow(unit, '/api/rosters', old);
    await later(DAYS * DAY);
    const young = await up(op, ROSTERS, '新名单.xlsx');

    await hourLater();
    expect(await invalidRows(old)).toHaveLength(0);
    const detail = await op.get(`${ROSTERS}/${old}?status=invalid`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({
      status: 'done',
      createdCount: 2,
      invalid: 1,
      invalidRowsExpired: true,
      invalidRowsDays: DAYS,
      rows: [],
    });
    const all = await op.get(`${ROSTERS}/${old}`);
    expect(all.json().rows.map((r: { status: string }) => r.status)).toEqual(['created', 'created']);
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
    expect((await op.get(`${ROSTERS}/${young}`)).json().status).toBe('validated');
  });

  it('待办 flags an upload with 未通过 rows only while they are kept: 近3天 when the retention is shorter than a week', async () => {
    const flagged = async () => {
      const res = await op.get('/api/todos');
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items.find((i: { key: string }) => i.key === 'rosters');
    };
    // The earlier uploads' 未通过 rows are past the retention first.
    await later(DAYS * DAY + 1);
    expect(await flagged()).toMatchObject({ label: `学员注册名单 · 导入异常（近${DAYS}天）`, count: 0 });
    const id = await rosterUpload(op, ROSTERS, '待办名单.xlsx');
    expect((await flagged()).count).toBe(1);
    await later((DAYS - 1) * DAY);
    expect((await flagged()).count).toBe(1);
    expect(await invalidRows(id)).toHaveLength(1);
    // The moment the rows may be deleted the item no longer points at them.
    env.clock.advance(DAY + 1);
    op = await staffWith(env, ['training-operator']);
    expect((await flagged()).count).toBe(0);
    await env.ctx.jobs.runDue();
    expect(await invalidRows(id)).toHaveLength(0);
  });
});

describe('学员注册名单: an upload never imported expires after IMPORT_ERROR_FILE_DAYS', () => {
  const PORTAL = '/api/rosters';
  const importOf = async (id: string) =>
    (await env.ctx.db.select().from(rosterImports).where(eq(rosterImports.id, id)))[0];
  const expectExpired = (res: { statusCode: number; json(): unknown }) => {
    expect(res.statusCode).toBe(410);
    expect(res.json()).toEqual({ code: 'ROSTER_EXPIRED', message: rosterExpiredMessage(DAYS) });
  };

  it('its 通过 rows are deleted, the page says 已过期 and 导入 is refused; an imported upload keeps its people', async () => {
    const unit = (await unitAdmin(env)).c;
    const pending = await rosterUpload(unit, PORTAL, '未确认导入的名单.xlsx');
    const imported = await rosterUpload(unit, PORTAL, '已导入的名单.xlsx');
    await importNow(unit, PORTAL, imported);
    const people = (await rowsIn(imported, 'created')).map((r) => r.accountId as string);
    expect(people).toHaveLength(2);
    expect(await rowsIn(pending, 'valid')).toHaveLength(2);

    // A day before the end: still 待导入, its lines kept.
    await later((DAYS - 1) * DAY);
    expect((await unit.get(`${PORTAL}/${pending}`)).json()).toMatchObject({ status: 'validated', rowsTotal: 3 });
    expect(await rowsIn(pending, 'valid')).toHaveLength(2);

    // Past the days, before the hourly job came round: already shown 已过期, and 确认导入 refused.
    env.clock.advance(DAY + 60_000);
    expect((await unit.get(`${PORTAL}/${pending}`)).json().status).toBe('expired');
    expectExpired(await unit.post(`${PORTAL}/${pending}/import`, {}));

    await hourLater();
    expect(await rowsIn(pending, 'valid')).toHaveLength(0);
    expect(await rowsIn(pending, 'invalid')).toHaveLength(0);
    expect((await importOf(pending))?.status).toBe('expired');
    // The counts stay; the lines are gone, on the portal and on the console alike.
    for (const [c, url] of [
      [unit, PORTAL],
      [op, ROSTERS],
    ] as const) {
      const detail = await c.get(`${url}/${pending}?status=valid`);
      expect(detail.statusCode, detail.body).toBe(200);
      expect(detail.json()).toMatchObject({
        status: 'expired',
        total: 3,
        valid: 2,
        invalid: 1,
        createdCount: 0,
        invalidRowsExpired: true,
        invalidRowsDays: DAYS,
        rows: [],
        rowsTotal: 0,
      });
      const list = (await c.get(`${url}?pageSize=100`)).json();
      expect(list.items.find((i: { id: string }) => i.id === pending)).toMatchObject({ status: 'expired', valid: 2 });
      expectExpired(await c.post(`${url}/${pending}/import`, { notifyEmail: 'hr@example.com' }));
    }
    expect((await importOf(pending))?.status).toBe('expired');
    expect((await unit.get(`${PORTAL}/${pending}/report.xlsx`)).statusCode).toBe(200);

    // The imported upload: its people and their rows stay; only its 未通过 row went.
    expect((await unit.get(`${PORTAL}/${imported}`)).json()).toMatchObject({
      status: 'done',
      createdCount: 2,
      invalidRowsExpired: true,
      rows: [{ status: 'created' }, { status: 'created' }],
    });
    expect(await rowsIn(imported, 'created')).toHaveLength(2);
    const kept = await env.ctx.db.select().from(accounts).where(inArray(accounts.id, people));
    expect(kept).toHaveLength(2);
    expect(kept.every((a) => a.status === 'active')).toBe(true);
  });

  it('running it again, or two at once, expires each upload once and deletes its lines once; an import under way is left alone', async () => {
    const a = await rosterUpload(op, ROSTERS, '并发名单一.xlsx');
    const b = await rosterUpload(op, ROSTERS, '并发名单二.xlsx');
    const running = await rosterUpload(op, ROSTERS, '导入中的名单.xlsx');
    // 确认导入 pressed; its job has not run yet: importing, not waiting, so never expired.
    expect((await op.post(`${ROSTERS}/${running}/import`, {})).statusCode).toBe(200);
    env.clock.advance(DAYS * DAY + 1);
    const waiting = await env.ctx.db.select().from(rosterImports).where(eq(rosterImports.status, 'validated'));
    expect(waiting.map((w) => w.id).sort()).toEqual([a, b].sort());
    const results = await Promise.all([env.ctx.roster.expireUnimported(), env.ctx.roster.expireUnimported()]);
    expect(results[0].uploads + results[1].uploads).toBe(2);
    expect(results[0].rows + results[1].rows).toBe(4);
    expect(await env.ctx.roster.expireUnimported()).toEqual({ uploads: 0, rows: 0 });
    await hourLater();
    await hourLater();
    for (const id of [a, b]) {
      expect((await importOf(id))?.status).toBe('expired');
      expect(await rowsIn(id, 'valid')).toHaveLength(0);
      expectExpired(await op.post(`${ROSTERS}/${id}/import`, {}));
    }
    // The import under way finished (the jobs ran): its people exist and its rows are theirs.
    expect((await op.get(`${ROSTERS}/${running}`)).json()).toMatchObject({ status: 'done', createdCount: 2 });
    expect(await rowsIn(running, 'created')).toHaveLength(2);
  });
});

describe('团体购买: a check is deleted a day after it expires', () => {
  const checkRow = async (id: string) => (await env.ctx.db.select().from(groupChecks).where(eq(groupChecks.id, id)))[0];

  it('下载错误文件 works through that day; then the check is gone, a younger one stays, an order made from one is kept', async () => {
    const plan = await onSalePlan(env);
    const buyer = await learner(env);
    const [member] = await registered(env, 1);
    const check = async () => {
      const res = await buyer.c.post('/api/group-checks', {
        planId: plan.id,
        idNumbers: `${member?.idNumber}\n${buildPerson().idNumber}`,
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { checkId: string; valid: number; invalid: number; expiresAt: string };
    };
    const download = (id: string) => buyer.c.get(`/api/group-checks/${id}/errors.xlsx`);
    const used = await check();
    expect(used).toMatchObject({ valid: 1, invalid: 1 });
    const order = await buyer.c.post('/api/group-orders', { checkId: used.checkId, invoice: LATER });
    expect(order.statusCode, order.body).toBe(200);
    const idle = await check();

    // Past its hour: 提交订单 refused, the error file still there, the row kept by the job.
    await later(60 * 60_000 + 60_000);
    expect((await buyer.c.post('/api/group-orders', { checkId: idle.checkId, invoice: LATER })).json().code).toBe(
      'GROUP_CHECK_EXPIRED',
    );
    expect((await download(idle.checkId)).statusCode).toBe(200);
    expect(await checkRow(idle.checkId)).toBeDefined();
    const young = await check();

    await later(DAY);
    for (const gone of [used, idle]) {
      expect(await checkRow(gone.checkId)).toBeUndefined();
      const res = await download(gone.checkId);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('已过期') });
    }
    expect(await checkRow(young.checkId)).toBeDefined();
    expect((await download(young.checkId)).statusCode).toBe(200);
    // The order keeps its own members: nothing of it depended on the check.
    const members = await buyer.c.get(`/api/orders/${order.json().id}/members`);
    expect(members.statusCode, members.body).toBe(200);
    expect(members.json().total).toBe(1);

    // Again, or two at once: each deleted once, nothing else.
    env.clock.advance(DAY);
    const due = await env.ctx.db
      .select()
      .from(groupChecks)
      .where(lt(groupChecks.expiresAt, new Date(env.clock.now().getTime() - DAY)));
    expect(due.map((d) => d.id)).toContain(young.checkId);
    const counts = await Promise.all([
      env.ctx.purchase.orders.purgeExpiredChecks(),
      env.ctx.purchase.orders.purgeExpiredChecks(),
    ]);
    expect(counts[0] + counts[1]).toBe(due.length);
    expect(await env.ctx.purchase.orders.purgeExpiredChecks()).toBe(0);
    await hourLater();
    expect(await checkRow(young.checkId)).toBeUndefined();
    expect((await buyer.c.get(`/api/orders/${order.json().id}`)).statusCode).toBe(200);
  });
});
