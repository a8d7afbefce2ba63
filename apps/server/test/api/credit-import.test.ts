import crypto from 'node:crypto';
import { CREDIT_IMPORT_COLUMNS } from '@cpe/shared';
import { platformDay } from '@cpe/shared/platform-zone';
import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { applications, auditLogs, creditEntries, creditEntryEvents } from '../../src/db/schema/index.js';
import type { ApplicationRow } from '../../src/modules/applications/applications.repo.js';
import { unitAdmin } from '../applications-factories.js';
import { buildPerson, multipartFile, randomIdNumber } from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { learner, staffWith } from '../purchase-factories.js';
import { nodeByName } from '../units-factories.js';
import { emptyRowsXlsx, inflatingXlsx, xlsxOfSheet } from '../xlsx-bombs.js';
import { hasFormula } from '../xlsx-xml.js';

/**
 * 学时批量导入 (issue 19 §2): the 培训中心 imports lines as 已认定 entries that count in the person's 学时档案; the same
 * file twice adds nothing; bad lines come back in an error file with their reasons while good ones land; a
 * 继续教育基地 in its 有效期 imports its classes as 待认定 (addressed to its district), any other unit is refused;
 * hostile and malformed uploads are refused with Chinese messages.
 */
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ADMIN = '/api/admin/credit-imports';
const UNIT = '/api/unit-center/credit-imports';
const meta = { ip: '127.0.0.1', userAgent: 'vitest' };

let env: TestEnv;
let op: Client;
let lastYear: number;
let today: string;
beforeAll(async () => {
  env = await createTestEnv();
  op = await staffWith(env, ['training-operator']);
  today = platformDay(env.clock.now());
  lastYear = Number(today.slice(0, 4)) - 1;
});

type Cell = string | number | Date | null;

/** A workbook as someone fills one in Excel: the template's header, then the lines. */
async function sheet(lines: Cell[][], header: readonly string[] = CREDIT_IMPORT_COLUMNS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('学时导入');
  ws.addRow([...header]);
  for (const l of lines) ws.addRow(l);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** A sheet written by hand (inline strings), for what Excel itself never writes: escapes such as _x0000_. */
function rawSheet(lines: string[][]): Buffer {
  const rows = [[...CREDIT_IMPORT_COLUMNS], ...lines]
    .map(
      (cells, r) =>
        `<row r="${r + 1}">${cells
          .map(
            (v, c) => `<c r="${String.fromCharCode(65 + c)}${r + 1}" t="inlineStr"><is><t>${xmlText(v)}</t></is></c>`,
          )
          .join('')}</row>`,
    )
    .join('');
  return xlsxOfSheet(
    `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`,
  );
}

function upload(c: Client, url: string, data: Buffer, filename = '学时导入.xlsx', type = XLSX) {
  const m = multipartFile({}, { data, filename, type });
  return c.request('POST', url, undefined, { payload: m.payload, headers: m.headers });
}

/** A valid 身份证号码 whose check character is wrong. */
function badChecksum(): string {
  const id = randomIdNumber();
  const wrong = '0123456789X'.split('').find((ch) => ch !== id[17]) as string;
  return id.slice(0, 17) + wrong;
}

async function readXlsx(data: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const ws = wb.worksheets[0] as ExcelJS.Worksheet;
  const rows: unknown[][] = [];
  ws.eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}

const entriesOf = (idNumber: string) =>
  env.ctx.db
    .select()
    .from(creditEntries)
    .where(and(eq(creditEntries.idHash, env.ctx.pii.lookupHash(idNumber)), eq(creditEntries.source, 'import')));

/** A unit's administrator whose unit is a 继续教育基地 in its 有效期 (designated as 市人社局's approval does it). */
async function baseAdmin(area = '500103') {
  const u = await unitAdmin(env, area);
  const [row] = (
    await env.ctx.db.execute<{ id: string; admin: string }>(
      sql`select id::text as id, admin_account_id::text as admin from units where name = ${u.unitName}`,
    )
  ).rows;
  const unit = row as { id: string; admin: string };
  const [app] = await env.ctx.db
    .insert(applications)
    .values({
      type: 'education-base',
      year: Number(today.slice(0, 4)),
      status: 'approved',
      filerKind: 'unit',
      unitId: unit.id,
      filerName: u.unitName,
      filerArea: area,
      filerUnitType: '企业',
      createdByType: 'account',
      createdById: unit.admin,
      data: { basic: { unitName: u.unitName, field: '智能制造' } },
    })
    .returning();
  await env.ctx.db.transaction((tx) =>
    env.ctx.bases.designate({
      tx,
      app: app as ApplicationRow,
      actor: { actorType: 'staff', actorId: crypto.randomUUID(), actorName: '市局审核员', departmentName: '市人社局' },
      meta,
      now: env.clock.now(),
    }),
  );
  return { ...u, unitId: unit.id };
}

describe('学时批量导入 by the 培训中心', () => {
  it('template: the seven columns, for the console and for a signed-in portal user; signed out is 401', async () => {
    const res = await op.get(`${ADMIN}/template.xlsx`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('学时批量导入模板.xlsx'));
    const rows = await readXlsx(res.rawPayload);
    expect(rows[0]).toEqual([...CREDIT_IMPORT_COLUMNS]);
    expect(rows).toHaveLength(1);
    expect(hasFormula(res.rawPayload)).toBe(false);

    const p = await learner(env);
    expect((await p.c.get(`${UNIT}/template.xlsx`)).statusCode).toBe(200);
    expect((await new Client(env.publicApp).get(`${UNIT}/template.xlsx`)).statusCode).toBe(401);
    expect((await new Client(env.staffApp, 'cpe_staff_csrf').get(`${ADMIN}/template.xlsx`)).statusCode).toBe(401);
  });

  it('imports lines as 已认定: they count in the person’s 学时档案, also for someone who registers later', async () => {
    const a = await learner(env);
    const later = buildPerson();
    const file = await sheet([
      [a.p.realName, a.p.idNumber, '智能制造产线数字化改造专题培训', '专业科目', '面授培训', 24, `${lastYear}-03-15`],
      // An Excel date cell (a Date value): what people usually type.
      [
        a.p.realName,
        a.p.idNumber,
        '重庆市专技人员公需科目培训',
        '公需科目',
        '网络学习',
        30,
        new Date(Date.UTC(lastYear, 5, 30)),
      ],
      [later.realName, later.idNumber, '工业软件应用专题培训', '专业科目', '学术会议', 16, `${lastYear}/11/2`],
    ]);
    const res = await upload(op, ADMIN, file, '2025年度学时.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      filename: '2025年度学时.xlsx',
      rows: 3,
      imported: 3,
      duplicates: 0,
      errors: 0,
      errorFileUrl: null,
      entryStatus: 'confirmed',
      entryStatusLabel: '已认定',
      unitName: null,
    });

    const record = (await a.c.get('/api/my/credits')).json();
    expect(record.years).toContainEqual(
      expect.objectContaining({ year: lastYear, hours: 54, publicHours: 30, professionalHours: 24, pendingHours: 0 }),
    );
    const training = record.items.find((i: { title: string }) => i.title === '智能制造产线数字化改造专题培训');
    expect(training).toMatchObject({
      status: 'confirmed',
      statusLabel: '已认定',
      source: 'import',
      sourceLabel: '批量导入',
      category: 'professional',
      form: '面授培训',
      hours: 24,
      endedOn: `${lastYear}-03-15`,
    });
    expect(training.events).toEqual([expect.objectContaining({ action: 'import', actionLabel: '批量导入' })]);
    const online = record.items.find((i: { title: string }) => i.title === '重庆市专技人员公需科目培训');
    expect(online.endedOn).toBe(`${lastYear}-06-30`);

    // Waiting under the ID number's hash; the account, once registered, finds it.
    const b = await learner(env, later);
    const hers = (await b.c.get('/api/my/credits')).json();
    expect(hers.years).toContainEqual(expect.objectContaining({ year: lastYear, hours: 16, professionalHours: 16 }));

    // One event per entry, one audit record per import.
    const entries = await entriesOf(a.p.idNumber);
    const events = await env.ctx.db
      .select()
      .from(creditEntryEvents)
      .where(eq(creditEntryEvents.entryId, entries[0]?.id as string));
    expect(events).toEqual([
      expect.objectContaining({ action: 'import', toStatus: 'confirmed', actorType: 'staff', actorName: '培训中心' }),
    ]);
    const audits = await env.ctx.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.action, 'credit.import'), eq(auditLogs.targetId, res.json().id)));
    expect(audits).toHaveLength(1);
    expect(audits[0]?.summary).toMatchObject({ rows: 3, imported: 3, duplicates: 0, errors: 0 });
  });

  it('the same file twice adds nothing; the same line in another file is already present', async () => {
    const a = await learner(env);
    const lines: Cell[][] = [
      [a.p.realName, a.p.idNumber, '新材料产业创新发展高级研修班', '专业科目', '高级研修', 40, `${lastYear}-09-20`],
      [a.p.realName, a.p.idNumber, '西部智能制造学术年会', '专业科目', '学术会议', 16, `${lastYear}-10-08`],
    ];
    const file = await sheet(lines);
    expect((await upload(op, ADMIN, file)).json()).toMatchObject({ imported: 2, duplicates: 0 });
    const again = await upload(op, ADMIN, file);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ rows: 2, imported: 0, duplicates: 2, errors: 0 });
    // The same line typed otherwise (an Excel date instead of text, spaces around) is the same line.
    const retyped = await sheet([
      [
        ` ${a.p.realName} `,
        a.p.idNumber.toLowerCase(),
        '西部智能制造学术年会',
        '专业科目',
        '学术会议',
        '16',
        new Date(Date.UTC(lastYear, 9, 8)),
      ],
    ]);
    expect((await upload(op, ADMIN, retyped)).json()).toMatchObject({ imported: 0, duplicates: 1 });
    expect(await entriesOf(a.p.idNumber)).toHaveLength(2);
    const record = (await a.c.get('/api/my/credits')).json();
    expect(record.years).toContainEqual(expect.objectContaining({ year: lastYear, hours: 56 }));
  });

  it('bad lines go to the error file with their reasons; good lines still land', async () => {
    const a = await learner(env);
    const b = await learner(env);
    const good = (title: string, hours: number): string[] => [
      a.p.realName,
      a.p.idNumber,
      title,
      '专业科目',
      '面授培训',
      String(hours),
      `${lastYear}-05-10`,
    ];
    const id = () => randomIdNumber();
    const file = rawSheet([
      good('数字经济专题培训', 12),
      ['王小明', badChecksum(), '职业道德专题', '专业科目', '面授培训', '8', `${lastYear}-05-10`],
      ['王小明', id(), '职业道德专题', '选修课', '面授培训', '8', `${lastYear}-05-10`],
      ['王小明', id(), '职业道德专题', '专业科目', '面授培训', '0', `${lastYear}-05-10`],
      ['王小明', id(), '职业道德专题', '专业科目', '面授培训', '201', `${lastYear}-05-10`],
      ['王小明', id(), '职业道德专题', '专业科目', '面授培训', '7.5', `${lastYear}-05-10`],
      ['王小明', id(), '职业道德专题', '专业科目', '面授培训', '8', `${lastYear}-02-30`],
      ['王小明', id(), '职业道德专题', '专业科目', '面授培训', '8', '去年秋天'],
      ['王小明', id(), '职业道德专题', '专业科目', '面授培训', '8', '2099-01-01'],
      ['王小明', id(), '职业道德专题', '专业科目', '周末沙龙', '8', `${lastYear}-05-10`],
      ['王_x0000_明', id(), '职业道德专题', '专业科目', '面授培训', '8', `${lastYear}-05-10`],
      ['王小明', id(), '职业_x0000_道德', '专业科目', '面授培训', '8', `${lastYear}-05-10`],
      ['<script>alert(1)</script>', id(), '职业道德专题', '专业科目', '面授培训', '8', `${lastYear}-05-10`],
      ["王'); drop table credit_entries;--", id(), '职业道德专题', '专业科目', '面授培训', '8', `${lastYear}-05-10`],
      [
        '王小明',
        id(),
        '=HYPERLINK("http://evil.example","点击领取")',
        '专业科目',
        '面授培训',
        '8',
        `${lastYear}-05-10`,
      ],
      // Registered as someone else.
      ['李不对', b.p.idNumber, '职业道德专题', '专业科目', '面授培训', '8', `${lastYear}-05-10`],
      ['', '', '', '专业科目', '', '', ''],
      good('数字经济专题培训', 12),
      good('人工智能应用专题培训', 200),
    ]);
    const res = await upload(op, ADMIN, file);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out).toMatchObject({ rows: 19, imported: 2, duplicates: 0, errors: 17 });
    expect(out.errorFileUrl).toBe(`${ADMIN}/${out.id}/errors.xlsx`);

    const errors = await op.get(out.errorFileUrl);
    expect(errors.statusCode, errors.body).toBe(200);
    expect(errors.headers['content-disposition']).toContain(encodeURIComponent('学时导入-错误行.xlsx'));
    expect(hasFormula(errors.rawPayload)).toBe(false);
    const rows = await readXlsx(errors.rawPayload);
    expect(rows[0]).toEqual([...CREDIT_IMPORT_COLUMNS, '错误原因']);
    const reasons = rows.slice(1).map((r) => String(r[7]));
    expect(reasons).toHaveLength(17);
    const expected = [
      '第3行：身份证号码校验位错误',
      '第4行：类别应填写“公需科目”或“专业科目”',
      '第5行：学时至少为1',
      '第6行：学时不能超过200',
      '第7行：学时应为整数',
      '第8行：结束日期不是有效日期',
      '第9行：结束日期格式应为YYYY-MM-DD',
      '第10行：结束日期不能晚于今天',
      '第11行：学习形式应为以下之一：网络学习、面授培训',
      '第12行：姓名含有不允许的字符',
      '第13行：项目名称含有不允许的字符',
      '第14行：姓名只能包含汉字、字母或间隔号',
      '第15行：姓名只能包含汉字、字母或间隔号',
      '第16行：项目名称不能以“=”“+”“-”“@”开头',
      '第17行：姓名与平台上该证件号码的注册姓名不一致',
      '第18行：请填写姓名；请填写身份证号码；请填写项目名称；请填写学习形式；请填写学时；请填写结束日期',
      '第19行：与第2行重复',
    ];
    expected.forEach((e, i) => {
      expect(reasons[i], e).toContain(e);
    });
    // What was sent comes back as sent, formula-looking text as text (behind the writer's apostrophe).
    expect(rows[14]?.[2]).toBe('\'=HYPERLINK("http://evil.example","点击领取")');
    expect(rows[12]?.[0]).toBe('<script>alert(1)</script>');
    expect(rows[10]?.[0]).toBe('王\ufffd明');
    expect(rows[1]?.[1]).toMatch(/^\d{17}[\dX]$/);

    // The good lines landed; the table the injection named is still there.
    const record = (await a.c.get('/api/my/credits')).json();
    expect(record.years).toContainEqual(
      expect.objectContaining({ year: lastYear, hours: 212, professionalHours: 212 }),
    );
    expect((await env.ctx.db.execute(sql`select count(*)::int as n from credit_entries`)).rows[0]).toBeTruthy();
    // The error file uploaded again as it is: its 错误原因 column is ignored, its lines checked anew (the repeated
    // line is now already present; a NUL shown as � is still refused).
    const again = await upload(op, ADMIN, errors.rawPayload, '学时导入-错误行.xlsx');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ rows: 17, imported: 0, duplicates: 1, errors: 16 });
  });

  it('lists every import, newest first, paged', async () => {
    const a = await learner(env);
    await upload(
      op,
      ADMIN,
      await sheet([[a.p.realName, a.p.idNumber, '安全生产专题培训', '专业科目', '面授培训', 8, `${lastYear}-04-01`]]),
      '最新一次.xlsx',
    );
    const list = await op.get(`${ADMIN}?page=1&pageSize=2`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json()).toMatchObject({ page: 1, pageSize: 2, canImport: true, notAllowedReason: null });
    expect(list.json().items).toHaveLength(2);
    expect(list.json().items[0]).toMatchObject({ filename: '最新一次.xlsx', imported: 1, actorName: '培训中心' });
    expect(list.json().total).toBeGreaterThanOrEqual(5);
    expect((await op.get(`${ADMIN}?page=0`)).statusCode).toBe(400);
    expect((await op.get(`${ADMIN}?pageSize=500`)).json().fields.pageSize).toContain('每页最多100条');
  });

  it('refuses staff without the training role, learners on the console and signed-out users', async () => {
    const reviewer = await staffWith(env, ['reviewer']);
    const file = await sheet([]);
    for (const res of [
      await reviewer.get(ADMIN),
      await reviewer.get(`${ADMIN}/template.xlsx`),
      await upload(reviewer, ADMIN, file),
    ])
      expect(res.statusCode).toBe(403);
    const p = await learner(env);
    // A portal session means nothing on the staff listener.
    const onConsole = new Client(env.staffApp, 'cpe_staff_csrf');
    for (const [k, v] of p.c.cookies) onConsole.cookies.set(k, v);
    expect((await onConsole.get(ADMIN)).statusCode).toBe(401);
    expect((await new Client(env.staffApp, 'cpe_staff_csrf').get(ADMIN)).statusCode).toBe(401);
    expect((await new Client(env.publicApp).get(UNIT)).statusCode).toBe(401);
    expect((await op.get(`${ADMIN}/${crypto.randomUUID()}/errors.xlsx`)).statusCode).toBe(404);
    expect((await op.get(`${ADMIN}/x/errors.xlsx`)).statusCode).toBe(400);
  });

  it('refuses oversized, malformed, hostile and non-Excel uploads with Chinese messages', async () => {
    const big = Buffer.alloc(6 * 1024 * 1024, 1);
    const tooBig = await upload(op, ADMIN, big);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().message).toBe('文件大小不能超过5M');

    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001',
      'hex',
    );
    const notXlsx = await upload(op, ADMIN, png, '学时.xlsx');
    expect(notXlsx.statusCode).toBe(400);
    expect(notXlsx.json().fields.file).toContain('请上传Excel文件');
    const csv = await upload(
      op,
      ADMIN,
      Buffer.from('姓名,身份证号码\n张三,500103198001010011\n'),
      '学时.csv',
      'text/csv',
    );
    expect(csv.statusCode).toBe(400);

    // An .xlsx cut short: the archive's directory is gone.
    const good = await sheet([['张三', randomIdNumber(), '专题培训', '专业科目', '面授培训', 8, `${lastYear}-01-05`]]);
    const cut = await upload(op, ADMIN, good.subarray(0, Math.floor(good.length / 2)));
    expect(cut.statusCode).toBe(400);
    expect(cut.json().message).toMatch(/Excel/);

    const noHeader = await upload(op, ADMIN, await sheet([['张三', '专题培训']], ['人员', '项目']));
    expect(noHeader.statusCode).toBe(400);
    expect(noHeader.json().fields.file).toContain('未找到“姓名”“身份证号码”表头');
    const missing = await upload(op, ADMIN, await sheet([], ['姓名', '身份证号码', '项目名称']));
    expect(missing.json().fields.file).toContain('未找到“类别”列');
    const empty = await upload(op, ADMIN, await sheet([]));
    expect(empty.statusCode).toBe(400);
    expect(empty.json().code).toBe('CREDIT_IMPORT_EMPTY');

    const bomb = await upload(op, ADMIN, inflatingXlsx(120));
    expect(bomb.statusCode).toBe(400);
    expect(bomb.json().fields.file).toContain('文件解压后超过64M');
    const rowsBomb = await upload(op, ADMIN, emptyRowsXlsx(1_500_000));
    expect(rowsBomb.statusCode).toBe(400);
    expect(rowsBomb.json().fields.file).toContain('单元格过多');

    const id = randomIdNumber();
    const many = await sheet(
      Array.from({ length: 10_001 }, (_, i) => [
        '张三',
        id,
        `专题培训${i}`,
        '专业科目',
        '面授培训',
        1,
        `${lastYear}-01-05`,
      ]),
    );
    const tooMany = await upload(op, ADMIN, many);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json()).toMatchObject({
      code: 'CREDIT_IMPORT_TOO_MANY',
      message: expect.stringContaining('10000行'),
    });
    expect(await entriesOf(id)).toHaveLength(0);

    const noFile = await op.request('POST', ADMIN, undefined, multipartFile({ note: 'x' }));
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().fields.file).toBe('请选择文件');
    const json = await op.post(ADMIN, { file: 'x' });
    expect(json.statusCode).toBe(415);
  });
});

describe('学时批量导入 by a 继续教育基地 (单位中心)', () => {
  it('imports its class as 待认定 for its district’s 人社局: not counted until recognised', async () => {
    const base = await baseAdmin('500103');
    const a = await learner(env);
    const res = await upload(
      base.c,
      UNIT,
      await sheet([
        [a.p.realName, a.p.idNumber, '智能制造基地培训班（第3期）', '专业科目', '面授培训', 32, `${lastYear}-08-12`],
      ]),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      imported: 1,
      entryStatus: 'pending-bureau',
      entryStatusLabel: '待认定',
      unitName: base.unitName,
    });
    const [entry] = await entriesOf(a.p.idNumber);
    expect(entry).toMatchObject({
      status: 'pending-bureau',
      recognizerNodeId: await nodeByName(env, '渝中区人力资源和社会保障局'),
      unitId: base.unitId,
      host: base.unitName,
    });
    const record = (await a.c.get('/api/my/credits')).json();
    expect(record.years).toContainEqual(expect.objectContaining({ year: lastYear, hours: 0, pendingHours: 32 }));
    expect(record.items[0].events[0]).toMatchObject({ action: 'import', actorName: base.unitName });

    // Its own imports in 单位中心; the console sees them too, with the base's name.
    const mine = (await base.c.get(UNIT)).json();
    expect(mine).toMatchObject({ canImport: true, total: 1 });
    expect(mine.items[0]).toMatchObject({ id: res.json().id, unitName: base.unitName });
    const all = (await op.get(`${ADMIN}?pageSize=100`)).json();
    expect(all.items.find((i: { id: string }) => i.id === res.json().id)).toMatchObject({ unitName: base.unitName });
  });

  it('addresses the import to 市人社局 when its 所在地 has no 区县人社局; error files stay the unit’s own', async () => {
    const base = await baseAdmin('500103');
    await env.ctx.db.execute(sql`update units set located_area = '500199' where id = ${base.unitId}`);
    const a = await learner(env);
    const res = await upload(
      base.c,
      UNIT,
      await sheet([
        [a.p.realName, a.p.idNumber, '基地专题培训', '专业科目', '面授培训', 8, `${lastYear}-08-12`],
        [a.p.realName, a.p.idNumber, '基地专题培训', '专业科目', '面授培训', 0, `${lastYear}-08-12`],
      ]),
    );
    expect(res.json()).toMatchObject({ imported: 1, errors: 1 });
    const [entry] = await entriesOf(a.p.idNumber);
    expect(entry).toMatchObject({ status: 'pending-bureau', recognizerNodeId: null });
    expect(res.json().errorFileUrl).toBe(`${UNIT}/${res.json().id}/errors.xlsx`);
    expect((await base.c.get(res.json().errorFileUrl)).statusCode).toBe(200);
    // Another base does not see it, and does not list it.
    const other = await baseAdmin('500104');
    expect((await other.c.get(res.json().errorFileUrl)).statusCode).toBe(404);
    expect((await other.c.get(UNIT)).json().total).toBe(0);
    // The console downloads any import's error file.
    expect((await op.get(`${ADMIN}/${res.json().id}/errors.xlsx`)).statusCode).toBe(200);
  });

  it('refuses a unit that is not a base in its 有效期, and people who administer no unit', async () => {
    const unit = await unitAdmin(env, '500103');
    const a = await learner(env);
    const file = await sheet([[a.p.realName, a.p.idNumber, '培训班', '专业科目', '面授培训', 8, `${lastYear}-08-12`]]);
    const refused = await upload(unit.c, UNIT, file);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({
      code: 'CREDIT_IMPORT_FORBIDDEN',
      message: '仅有效期内的继续教育基地可以导入本基地培训班的学时',
    });
    const list = (await unit.c.get(UNIT)).json();
    expect(list).toMatchObject({
      canImport: false,
      notAllowedReason: '仅有效期内的继续教育基地可以导入本基地培训班的学时',
    });

    // A base whose designation was revoked is no longer one.
    const base = await baseAdmin('500103');
    await env.ctx.db.execute(sql`update bases set status = 'revoked' where unit_id = ${base.unitId}`);
    expect((await upload(base.c, UNIT, file)).statusCode).toBe(403);

    expect((await upload(a.c, UNIT, file)).statusCode).toBe(403);
    expect((await a.c.get(UNIT)).statusCode).toBe(403);
    expect(await entriesOf(a.p.idNumber)).toHaveLength(0);
  });
});
