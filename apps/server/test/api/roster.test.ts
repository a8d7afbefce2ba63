import { idNumberCheckChar, idNumberSex } from '@cpe/shared';
import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { accounts } from '../../src/db/schema/index.js';
import { unitAdmin } from '../applications-factories.js';
import { buildPerson, login, multipartFile, outbox, randomIdNumber, randomPhone, register } from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { learner, staffWith } from '../purchase-factories.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const staff = (roles: Parameters<typeof staffWith>[1]) => staffWith(env, roles);

interface Line {
  name: string | ExcelJS.CellValue;
  idNumber: string;
  phone: string | number;
  sex: string;
}

const sexOf = (id: string) => (idNumberSex(id) === 'male' ? '男' : '女');
const person = (): Line => {
  const idNumber = randomIdNumber();
  return { name: buildPerson().realName, idNumber, phone: randomPhone(), sex: sexOf(idNumber) };
};

/** The downloaded 附件2 template, filled in as a unit's contact would do it in Excel. */
async function filledTemplate(template: Buffer, lines: Line[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(template as unknown as ArrayBuffer);
  const ws = wb.worksheets[0] as ExcelJS.Worksheet;
  ws.getCell('B3').value = '渝中区';
  ws.getCell('E3').value = '王联系';
  ws.getCell('B4').value = '重庆市渝中区测试单位';
  ws.getCell('E4').value = '023-63800000';
  lines.forEach((l, i) => {
    const row = ws.getRow(6 + i);
    row.getCell(2).value = l.name;
    row.getCell(3).value = l.idNumber;
    row.getCell(4).value = l.phone;
    row.getCell(5).value = l.sex;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function uploadFile(c: Client, url: string, data: Buffer, filename = '学员注册名单.xlsx', type = XLSX) {
  const m = multipartFile({}, { data, filename, type });
  return c.request('POST', url, undefined, { payload: m.payload, headers: m.headers });
}

async function template(c: Client): Promise<Buffer> {
  const res = await c.get('/api/rosters/template.xlsx');
  expect(res.statusCode).toBe(200);
  return res.rawPayload;
}

/** Runs the queued jobs until the import is done, as the server's worker would. */
async function drain(c: Client, id: string) {
  for (let i = 0; i < 10 && (await c.get(`/api/rosters/${id}`)).json().status !== 'done'; i++)
    await env.ctx.jobs.runDue();
  const done = await c.get(`/api/rosters/${id}?pageSize=100`);
  expect(done.json().status).toBe('done');
  return done.json();
}

const accountsWithId = (idNumber: string) =>
  env.ctx.db
    .select()
    .from(accounts)
    .where(and(eq(accounts.idType, 'idCard'), eq(accounts.idNumberHash, env.ctx.pii.lookupHash(idNumber))));

describe('学员注册名单', () => {
  let admin: Client;
  let rosterId: string;
  const good: Line[] = [];

  it('serves the 附件2 template: title, header block, column header, 20 numbered rows, notes; 401 signed out', async () => {
    admin = (await unitAdmin(env)).c;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await template(admin)) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    expect(ws.getCell('A1').value).toBe('重庆市专业技术人员继续教育公需科目培训');
    expect(ws.getCell('A2').value).toBe('学员注册名单');
    expect([ws.getCell('A3').value, ws.getCell('D3').value, ws.getCell('A4').value, ws.getCell('D4').value]).toEqual([
      '区县：',
      '联系人：',
      '单位全称：',
      '联系电话：',
    ]);
    expect(ws.getRow(5).values).toEqual([
      undefined,
      '序号',
      '姓名（姓名中间不能有空格和符号）',
      '身份证号码（身份证号码含X，必须大写）',
      '手机号码',
      '性别',
      '备注',
    ]);
    expect(ws.getCell('A6').value).toBe(1);
    expect(ws.getCell('A25').value).toBe(20);
    expect(ws.getColumn(3).numFmt).toBe('@');
    expect(String(ws.getCell('A28').value)).toContain('初始密码为edu@身份证号码后六位');
    expect(String(ws.getCell('A29').value)).toContain('港澳居民居住证或台湾居民居住证号码');
    expect(String(ws.getCell('A29').value)).toContain('外国人永久居留身份证号码');
    expect((await new Client(env.publicApp).get('/api/rosters/template.xlsx')).statusCode).toBe(401);
  });

  it('checks every row: bad name, check digit, sex, duplicate in file, already registered', async () => {
    for (let i = 0; i < 15; i++) good.push(person());
    // Excel hands back rich text and numbers as often as plain strings.
    good[1] = { ...(good[1] as Line), name: { richText: [{ text: '李' }, { text: '小明' }] } };
    good[2] = { ...(good[2] as Line), phone: Number((good[2] as Line).phone) };
    const first17 = (good[0] as Line).idNumber.slice(0, 17);
    const wrongCheck = first17 + (idNumberCheckChar(first17) === '1' ? '2' : '1');
    const other = person();
    const already = await register(new Client(env.publicApp));
    const lines: Line[] = [
      ...good,
      { ...person(), name: '张 三' },
      { ...person(), idNumber: wrongCheck },
      { ...other, sex: other.sex === '男' ? '女' : '男' },
      { ...person(), idNumber: (good[0] as Line).idNumber, sex: sexOf((good[0] as Line).idNumber) },
      { name: already.realName, idNumber: already.idNumber, phone: already.phone, sex: sexOf(already.idNumber) },
    ];
    const res = await uploadFile(admin, '/api/rosters', await filledTemplate(await template(admin), lines));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    rosterId = body.id;
    expect(body).toMatchObject({
      status: 'validated',
      total: 20,
      valid: 16,
      invalid: 4,
      createdCount: 0,
      existingCount: 1,
      header: { district: '渝中区', contact: '王联系', unitName: '重庆市渝中区测试单位', phone: '023-63800000' },
    });
    const rows = body.rows as Array<{ line: number; name: string; status: string; reason: string | null }>;
    expect(rows.map((r) => r.line)).toEqual(Array.from({ length: 20 }, (_, i) => 6 + i));
    expect(rows.slice(0, 15).every((r) => r.status === 'valid' && r.reason === null)).toBe(true);
    expect(rows[1]?.name).toBe('李小明');
    expect(rows[15]).toMatchObject({ status: 'invalid', reason: expect.stringContaining('不能有空格和符号') });
    expect(rows[16]).toMatchObject({ status: 'invalid', reason: '身份证号码校验位错误，请核对后重新输入' });
    expect(rows[17]).toMatchObject({ status: 'invalid', reason: '性别与身份证号码不一致' });
    expect(rows[18]).toMatchObject({ status: 'invalid', reason: '与第6行重复' });
    expect(rows[19]).toMatchObject({ status: 'existing', reason: '已注册', username: already.username });

    const invalidOnly = await admin.get(`/api/rosters/${rosterId}?status=invalid`);
    expect(invalidOnly.json().rows.map((r: { line: number }) => r.line)).toEqual([21, 22, 23, 24]);

    // Before the import, the report's 结果 says what the result tabs say.
    const report = new ExcelJS.Workbook();
    await report.xlsx.load(
      (await admin.get(`/api/rosters/${rosterId}/report.xlsx`)).rawPayload as unknown as ArrayBuffer,
    );
    const results = (report.worksheets[0] as ExcelJS.Worksheet).getColumn(5).values.slice(2);
    expect(results.slice(0, 15)).toEqual(Array(15).fill('通过'));
    expect(results.slice(15, 19)).toEqual(Array(4).fill('未通过'));
    expect(results[19]).toMatch(/^已注册（用户名：/);
  });

  it('imports in the background: 15 accounts named by ID number, the report lists every row', async () => {
    const badEmail = await admin.post(`/api/rosters/${rosterId}/import`, { notifyEmail: 'hr@' });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.json().fields).toMatchObject({ notifyEmail: '通知邮箱格式不正确' });
    const started = await admin.post(`/api/rosters/${rosterId}/import`, { notifyEmail: 'hr@example.com' });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json().status).toBe('importing');
    const done = await drain(admin, rosterId);
    expect(done).toMatchObject({ createdCount: 15, existingCount: 1, progress: 1 });
    await env.ctx.jobs.runDue();
    // Every created person hears of the account by SMS; the uploader gets the counts by e-mail.
    for (const l of good) {
      const [sms, ...more] = await outbox(admin, `kind=sms&to=${l.phone}`);
      expect(more).toEqual([]);
      expect(sms).toMatchObject({ purpose: 'roster-account-created' });
      const name = typeof l.name === 'string' ? l.name : '李小明';
      expect(sms?.code).toContain(`${name}您好，重庆市渝中区测试单位已为您开通继续教育平台账号`);
      expect(sms?.code).toContain('初始密码为edu@加身份证号后六位');
    }
    const [mail] = await outbox(admin, 'kind=email&to=hr@example.com');
    expect(mail?.purpose).toMatch(/^学员注册名单导入完成：/);
    expect(mail?.code).toContain('新建账号 15 人，已注册 1 人，未通过校验 4 人。');
    for (const l of good) {
      const [a, ...more] = await accountsWithId(l.idNumber);
      expect(more).toEqual([]);
      expect(a).toMatchObject({ username: l.idNumber, realNameSource: 'roster', mustChangePassword: true });
      expect(a?.realNameVerifiedAt).not.toBeNull();
    }
    expect((await admin.post(`/api/rosters/${rosterId}/import`)).json().code).toBe('ROSTER_STATE');
    // The unit's 名单 proposes its people as the unit's members (工作单位), pending until the unit confirms.
    const proposed = (await admin.get('/api/unit-center/members?status=pending&pageSize=100')).json();
    expect(proposed.total).toBe(16);
    expect(new Set(proposed.items.map((m: { sourceLabel: string }) => m.sourceLabel))).toEqual(
      new Set(['学员注册名单']),
    );

    const report = await admin.get(`/api/rosters/${rosterId}/report.xlsx`);
    expect(report.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    expect(ws.getRow(1).values).toEqual([undefined, '行号', '姓名', '证件号码', '手机号码', '结果', '原因']);
    expect(ws.rowCount).toBe(21);
    const id0 = (good[0] as Line).idNumber;
    expect(ws.getRow(2).values).toEqual([
      undefined,
      6,
      (good[0] as Line).name,
      `${id0[0]}${'*'.repeat(16)}${id0[17]}`,
      expect.stringMatching(/^1\d{2}\*{4}\d{4}$/),
      '已创建',
      '',
    ]);
    expect(ws.getCell('E21').value).toMatch(/^已注册（用户名：u[0-9a-f]+）$/);
    expect(ws.getCell('E22').value).toBeNull();
    expect(ws.getCell('E17').value).toBe('未通过');
    expect(ws.getCell('F19').value).toBe('性别与身份证号码不一致');
  });

  it('a created person signs in with edu@ + the last six and must change the password first', async () => {
    const l = good[3] as Line;
    const c = new Client(env.publicApp);
    const signIn = await login(c, l.idNumber, `edu@${l.idNumber.slice(-6)}`);
    expect(signIn.statusCode, signIn.body).toBe(200);
    expect(signIn.json().mustChangePassword).toBe(true);
    expect((await c.get('/api/me')).json().mustChangePassword).toBe(true);
    const blocked = await c.get('/api/orders');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED', message: '首次登录请先修改初始密码' });
    const changed = await c.post('/api/me/password', {
      oldPassword: `edu@${l.idNumber.slice(-6)}`,
      password: 'NewPass#2026',
      confirmPassword: 'NewPass#2026',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const again = new Client(env.publicApp);
    expect((await login(again, l.idNumber, 'NewPass#2026')).json().mustChangePassword).toBe(false);
    expect((await again.get('/api/orders')).statusCode).toBe(200);
  });

  it('resumes after a crash without duplicates; someone registering meanwhile becomes 已注册; a bound phone is left off', async () => {
    const lines = Array.from({ length: 12 }, person);
    const phoneHolder = await register(new Client(env.publicApp));
    lines[10] = { ...(lines[10] as Line), phone: phoneHolder.phone };
    const uploaded = await uploadFile(admin, '/api/rosters', await filledTemplate(await template(admin), lines));
    expect(uploaded.json()).toMatchObject({ valid: 12, invalid: 0, existingCount: 0 });
    const id = uploaded.json().id as string;
    // Between the check and the import, one of them registers on the portal.
    const self = lines[11] as Line;
    await register(new Client(env.publicApp), buildPerson({ realName: self.name as string, idNumber: self.idNumber }));

    expect((await admin.post(`/api/rosters/${id}/import`)).statusCode).toBe(200);
    // A worker gets through one batch and dies; the queued job then runs from where it stopped.
    expect(await env.ctx.roster.importBatch(id, 5)).toBe(5);
    const halfway = (await admin.get(`/api/rosters/${id}`)).json();
    expect(halfway).toMatchObject({ status: 'importing', createdCount: 5 });
    expect(halfway.progress).toBeCloseTo(5 / 12);
    const done = await drain(admin, id);
    expect(done).toMatchObject({ createdCount: 11, existingCount: 1 });
    for (const l of lines) expect(await accountsWithId(l.idNumber)).toHaveLength(1);
    const rows = done.rows as Array<{ status: string; reason: string | null }>;
    expect(rows[10]).toMatchObject({ status: 'created', reason: '手机号已被其他账号绑定，未绑定手机号' });
    expect(rows[11]).toMatchObject({ status: 'existing', reason: '已注册' });
    const [noPhone] = await accountsWithId((lines[10] as Line).idNumber);
    expect(noPhone?.phoneHash).toBeNull();
    const [rerun] = await env.ctx.db
      .execute<{ n: number }>(
        sql`select count(*)::int as n from roster_rows where import_id = ${id} and status = 'valid'`,
      )
      .then((r) => r.rows);
    expect(rerun?.n).toBe(0);
  });

  it('permissions: another unit admin 403, a person without a unit 403, staff by role, 401 signed out', async () => {
    const other = (await unitAdmin(env)).c;
    const foreign = await other.get(`/api/rosters/${rosterId}`);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('ROSTER_FORBIDDEN');
    expect((await other.get(`/api/rosters/${rosterId}/report.xlsx`)).statusCode).toBe(403);
    expect((await other.post(`/api/rosters/${rosterId}/import`)).statusCode).toBe(403);
    expect((await other.get('/api/rosters')).json().total).toBe(0);
    expect((await admin.get('/api/rosters')).json().total).toBe(2);

    const { c: plain } = await learner(env);
    expect((await plain.get('/api/rosters/template.xlsx')).statusCode).toBe(200);
    const refused = await uploadFile(plain, '/api/rosters', await template(plain));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('ROSTER_FORBIDDEN');

    const anon = new Client(env.publicApp);
    expect((await anon.get('/api/rosters')).statusCode).toBe(401);
    expect((await anon.get(`/api/rosters/${rosterId}`)).statusCode).toBe(401);

    const reviewer = await staff(['reviewer']);
    expect((await reviewer.get('/api/admin/rosters')).statusCode).toBe(403);
    expect((await new Client(env.staffApp, 'cpe_staff_csrf').get('/api/admin/rosters')).statusCode).toBe(401);
    const op = await staff(['training-operator']);
    const all = await op.get('/api/admin/rosters');
    expect(all.statusCode).toBe(200);
    expect(all.json().items.map((i: { id: string }) => i.id)).toContain(rosterId);
    expect((await op.get(`/api/admin/rosters/${rosterId}?status=created`)).json().rowsTotal).toBe(15);
    expect((await op.get(`/api/admin/rosters/${rosterId}/report.xlsx`)).statusCode).toBe(200);
  });

  it('the training centre uploads and imports on the console too', async () => {
    const op = await staff(['training-operator']);
    const tpl = await op.get('/api/admin/rosters/template.xlsx');
    const lines = [person(), person()];
    const res = await uploadFile(op, '/api/admin/rosters', await filledTemplate(tpl.rawPayload, lines));
    expect(res.statusCode, res.body).toBe(200);
    expect((await op.post(`/api/admin/rosters/${res.json().id}/import`)).statusCode).toBe(200);
    await env.ctx.jobs.runDue();
    expect((await op.get(`/api/admin/rosters/${res.json().id}`)).json()).toMatchObject({
      status: 'done',
      createdCount: 2,
    });
  });

  it('refuses a file that is not xlsx by content, an empty template, and more than 10,000 rows', async () => {
    const fake = await uploadFile(admin, '/api/rosters', Buffer.from('姓名,身份证号码\n张三,1\n'), '名单.xlsx');
    expect(fake.statusCode).toBe(400);
    expect(fake.json()).toMatchObject({ code: 'UPLOAD_INVALID', fields: { file: expect.any(String) } });
    const empty = await uploadFile(admin, '/api/rosters', await template(admin));
    expect(empty.json()).toMatchObject({ code: 'UPLOAD_INVALID', fields: { file: '名单中没有学员信息' } });
    expect((await admin.post('/api/rosters', {})).statusCode).toBe(415);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['序号', '姓名', '身份证号码', '手机号码', '性别', '备注']);
    const id = randomIdNumber();
    for (let i = 1; i <= 10_001; i++) ws.addRow([i, '张三', id, '13800000000', sexOf(id), '']);
    const tooMany = await uploadFile(admin, '/api/rosters', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().code).toBe('ROSTER_TOO_MANY');
  });
});
