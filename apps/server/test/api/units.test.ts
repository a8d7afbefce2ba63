import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { multipartFile } from '../factories.js';
import { Client, createTestEnv } from '../harness.js';
import { applicant, nodeByName, PDF, png, randomUscc, staffReviewer, unitData, upload } from '../units-factories.js';
import { chinaCellTime } from '../xlsx-xml.js';

const env = await createTestEnv();
const YUZHONG = '渝中区人力资源和社会保障局';
const JIANGBEI = '江北区人力资源和社会保障局';

async function submitted(over: Record<string, unknown> = {}) {
  const a = await applicant(env);
  const reviewerNodeId = await nodeByName(env, YUZHONG);
  const data = unitData({
    licenceFileId: a.licenceFileId,
    authorizationFileId: a.authorizationFileId,
    reviewerNodeId,
    ...over,
  });
  const res = await a.c.post('/api/unit-registration', data);
  expect(res.statusCode, res.body).toBe(200);
  return { ...a, data, app: res.json() };
}

describe('organisation tree', () => {
  it('has 市人社局 and the 38 区县人社局 of Chongqing as 申报地区(部门)', async () => {
    const res = await new Client(env.publicApp).get('/api/org/reviewers');
    const districts = res.json().items.filter((n: { kind: string }) => n.kind === 'district');
    expect(districts).toHaveLength(38);
    expect(districts.map((d: { name: string }) => d.name)).toContain(YUZHONG);
    expect(districts.map((d: { name: string }) => d.name)).toContain('石柱土家族自治县人力资源和社会保障局');
    expect(await env.ctx.org.seed()).toBe(0);
  });
});

describe('单位管理员注册 and 单位注册审核', () => {
  it('submit → return with reason → fix and resubmit → approve → 单位中心; history kept', async () => {
    const a = await submitted();
    expect(a.app.status).toBe('pending');
    expect(a.app.reviewerName).toBe(YUZHONG);
    expect((await a.c.get('/api/unit-center')).statusCode).toBe(403);

    const yz = await staffReviewer(env, YUZHONG);
    const list = await yz.get(`/api/unit-reviews?status=pending&unitName=${encodeURIComponent(a.data.unitName)}`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items).toHaveLength(1);
    expect(list.json().items[0]).toMatchObject({
      unitName: a.data.unitName,
      status: 'pending',
      locatedAreaLabel: '重庆市 渝中区',
    });
    expect(list.json().items[0].applicantPhoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(list.body).not.toContain(a.p.phone);

    const noReason = await yz.post(`/api/unit-reviews/${a.app.id}/decision`, { decision: 'reject' });
    expect(noReason.json().fields.reason).toBe('审核不通过时请填写原因');
    const rejected = await yz.post(`/api/unit-reviews/${a.app.id}/decision`, {
      decision: 'reject',
      reason: '授权书未盖章',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);

    const mine = (await a.c.get('/api/unit-registration')).json().application;
    expect(mine).toMatchObject({ status: 'rejected', reason: '授权书未盖章' });

    const fixed = await a.c.post('/api/unit-registration', { ...a.data, address: '解放碑民族路188号3楼' });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json()).toMatchObject({ status: 'pending', round: 2 });

    expect((await yz.post(`/api/unit-reviews/${a.app.id}/decision`, { decision: 'approve' })).statusCode).toBe(200);
    const center = await a.c.get('/api/unit-center');
    expect(center.statusCode, center.body).toBe(200);
    expect(center.json().unit).toMatchObject({ name: a.data.unitName, address: '解放碑民族路188号3楼' });
    const labels = center.json().menu.map((m: { label: string }) => m.label);
    expect(labels).toContain('单位信息修改');
    expect(labels).not.toContain('单位注册审核'); // 主管部门 only
    // Every item of the seed's 单位中心 works: the ten for a unit (单位注册审核 and the two 基地审核 are 主管部门's).
    expect(labels).toEqual([
      '计划变化情况上报',
      '继续教育基地申报',
      '开班方案上报',
      '结业上报',
      '单位信息修改',
      '单位人员',
      '学时统计',
      '学时审核',
      '学时批量导入',
      '学员注册名单',
      '工程师基地申报',
      '市级高级研修项目申报',
    ]);

    const detail = await yz.get(`/api/unit-reviews/${a.app.id}`);
    expect(detail.json().events.map((e: { action: string }) => e.action)).toEqual([
      'submit',
      'reject',
      'resubmit',
      'approve',
    ]);
    const audit = await env.ctx.db.execute(
      sql`select action from audit_logs where target_id = ${a.app.id} order by id`,
    );
    expect(audit.rows.map((r) => (r as { action: string }).action)).toEqual([
      'unit.registration.submit',
      'unit.register.reject',
      'unit.registration.resubmit',
      'unit.register.approve',
    ]);

    // One person administers one unit.
    const again = await a.c.post('/api/unit-registration', {
      ...a.data,
      unitName: `${a.data.unitName}二`,
      uscc: randomUscc(),
    });
    expect(again.json().code).toBe('UNIT_ADMIN_EXISTS');
  });

  it('a reviewer of another district gets 403 on the record, its files and its decision', async () => {
    const a = await submitted();
    const jb = await staffReviewer(env, JIANGBEI);
    expect((await jb.get(`/api/unit-reviews/${a.app.id}`)).statusCode).toBe(403);
    expect((await jb.get(`/api/unit-reviews/${a.app.id}`)).json().code).toBe('UNIT_REVIEW_FORBIDDEN');
    expect((await jb.get(`/api/unit-reviews/${a.app.id}/files/${a.licenceFileId}`)).statusCode).toBe(403);
    expect((await jb.post(`/api/unit-reviews/${a.app.id}/decision`, { decision: 'approve' })).statusCode).toBe(403);
    const list = await jb.get(`/api/unit-reviews?unitName=${encodeURIComponent(a.data.unitName)}`);
    expect(list.json().items).toHaveLength(0);
    // The city bureau sees everything.
    const city = await staffReviewer(env, '重庆市人力资源和社会保障局');
    expect((await city.get(`/api/unit-reviews/${a.app.id}`)).statusCode).toBe(200);
    const file = await city.get(`/api/unit-reviews/${a.app.id}/files/${a.licenceFileId}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
  });

  it('review routes need a session and the reviewer role', async () => {
    expect((await new Client(env.staffApp, 'cpe_staff_csrf').get('/api/unit-reviews')).statusCode).toBe(401);
    expect((await new Client(env.publicApp).get('/api/unit-reviews')).statusCode).toBe(401);
    const a = await applicant(env);
    expect((await a.c.get('/api/unit-reviews')).statusCode).toBe(403);
    await env.ctx.staff.ensure({ username: 'plainstaff', password: 'Plain@2026', displayName: '普通人员', roles: [] });
    const s = await staffReviewer(env, YUZHONG, []);
    expect((await s.get('/api/unit-reviews')).statusCode).toBe(403);
  });

  it('统一社会信用代码: a failing check character is refused unless manual verification is asked for, then flagged', async () => {
    const a = await applicant(env);
    const reviewerNodeId = await nodeByName(env, YUZHONG);
    const bad = unitData({
      licenceFileId: a.licenceFileId,
      authorizationFileId: a.authorizationFileId,
      reviewerNodeId,
      uscc: '91350211M00013FA1N',
    });
    const refused = await a.c.post('/api/unit-registration', bad);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().fields.uscc).toMatch(/校验位错误/);
    const ok = await a.c.post('/api/unit-registration', { ...bad, usccManualCheck: true });
    expect(ok.statusCode, ok.body).toBe(200);
    const yz = await staffReviewer(env, YUZHONG);
    const list = await yz.get('/api/unit-reviews?uscc=91350211M00013FA1N');
    expect(list.json().items[0].usccManualCheck).toBe(true);
    const badFormat = await a.c.post('/api/unit-registration', { ...bad, uscc: 'ABC', usccManualCheck: true });
    expect(badFormat.json().fields.uscc).toMatch(/18位/);
  });

  it('every field is checked with its name; a draft keeps partial data', async () => {
    const a = await applicant(env);
    const res = await a.c.post('/api/unit-registration', { category: 'x', regArea: '999999', isGrassroots: 'maybe' });
    expect(res.statusCode).toBe(400);
    const f = res.json().fields;
    expect(f.category).toMatch(/注册类别/);
    expect(f.unitName).toMatch(/单位名称/);
    expect(f.regArea).toMatch(/注册地/);
    expect(f.insuredArea).toMatch(/参保地/);
    expect(f.unitType).toMatch(/单位类型/);
    expect(f.isGrassroots).toMatch(/乡镇基层单位/);
    expect(f.reviewerNodeId).toMatch(/申报地区/);
    expect(f.authorizationFileId).toMatch(/单位授权书/);
    const draft = await a.c.request('PUT', '/api/unit-registration/draft', {
      unitName: '半成品单位',
      regArea: '500103',
    });
    expect(draft.statusCode, draft.body).toBe(200);
    expect(draft.json()).toMatchObject({ status: 'draft', data: { unitName: '半成品单位' } });
    expect((await a.c.get('/api/unit-registration')).json().application.data.unitName).toBe('半成品单位');
  });

  it('若该单位已注册: the name or code shows as taken, and 变更管理员 hands the unit over on approval', async () => {
    const first = await submitted();
    const yz = await staffReviewer(env, YUZHONG);
    await yz.post(`/api/unit-reviews/${first.app.id}/decision`, { decision: 'approve' });

    const b = await applicant(env);
    const lookup = await b.c.get(`/api/units/lookup?uscc=${first.data.uscc}`);
    expect(lookup.json()).toMatchObject({ taken: true, unit: { name: first.data.unitName } });
    expect(lookup.body).not.toContain(first.p.realName);
    const dup = await b.c.post(
      '/api/unit-registration',
      unitData({
        licenceFileId: b.licenceFileId,
        authorizationFileId: b.authorizationFileId,
        reviewerNodeId: await nodeByName(env, YUZHONG),
        uscc: first.data.uscc,
      }),
    );
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'UNIT_TAKEN', fields: { uscc: expect.any(String) } });

    const change = await b.c.post('/api/unit-admin-changes', {
      unitId: lookup.json().unit.id,
      authorizationFileId: b.authorizationFileId,
    });
    expect(change.statusCode, change.body).toBe(200);
    expect(change.json()).toMatchObject({ kind: 'change-admin', status: 'pending' });
    expect((await yz.post(`/api/unit-reviews/${change.json().id}/decision`, { decision: 'approve' })).statusCode).toBe(
      200,
    );
    expect((await b.c.get('/api/unit-center')).json().unit.name).toBe(first.data.unitName);
    expect((await first.c.get('/api/unit-center')).statusCode).toBe(403);
    const audit = await env.ctx.db.execute(
      sql`select count(*)::int as n from audit_logs where action = 'unit.admin.change'`,
    );
    expect((audit.rows[0] as { n: number }).n).toBeGreaterThanOrEqual(1);
  });

  it('单位信息修改 goes back to review; the old data stays in force until approved; versions are kept', async () => {
    const a = await submitted();
    const yz = await staffReviewer(env, YUZHONG);
    await yz.post(`/api/unit-reviews/${a.app.id}/decision`, { decision: 'approve' });
    const newName = `${a.data.unitName}（更名）`;
    const change = await a.c.post('/api/unit-center/info-changes', { ...a.data, unitName: newName });
    expect(change.statusCode, change.body).toBe(200);
    const center = (await a.c.get('/api/unit-center')).json();
    expect(center.unit.name).toBe(a.data.unitName);
    expect(center.pendingChange).toBe(true);
    expect((await a.c.post('/api/unit-center/info-changes', { ...a.data, unitName: newName })).json().code).toBe(
      'UNIT_APPLICATION_OPEN',
    );
    expect((await yz.post(`/api/unit-reviews/${change.json().id}/decision`, { decision: 'approve' })).statusCode).toBe(
      200,
    );
    const after = (await a.c.get('/api/unit-center')).json();
    expect(after.unit).toMatchObject({ name: newName, version: 2 });
    const versions = await env.ctx.db.execute(
      sql`select version from unit_versions where unit_id = ${after.unit.id} order by version`,
    );
    expect(versions.rows.map((r) => (r as { version: number }).version)).toEqual([1, 2]);
  });

  it('a 主管部门 reviews the registrations addressed to it on the public portal', async () => {
    const dept = await submitted({
      category: 'department',
      unitType: '机关',
      unitName: `重庆市测试委员会${Date.now()}`,
    });
    const city = await staffReviewer(env, '重庆市人力资源和社会保障局');
    await city.post(`/api/unit-reviews/${dept.app.id}/decision`, { decision: 'approve' });
    const reviewers = (await new Client(env.publicApp).get('/api/org/reviewers')).json().items;
    const node = reviewers.find((n: { name: string }) => n.name === dept.data.unitName);
    expect(node.kind).toBe('department');
    const center = (await dept.c.get('/api/unit-center')).json();
    expect(center.menu.map((m: { label: string }) => m.label)).toContain('单位注册审核');

    const member = await applicant(env);
    const data = unitData({
      licenceFileId: member.licenceFileId,
      authorizationFileId: member.authorizationFileId,
      reviewerNodeId: node.id,
    });
    const sub = await member.c.post('/api/unit-registration', data);
    expect(sub.statusCode, sub.body).toBe(200);
    const list = await dept.c.get('/api/unit-reviews');
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([sub.json().id]);
    // It sees nothing of the districts' registrations.
    const other = await submitted();
    expect((await dept.c.get(`/api/unit-reviews/${other.app.id}`)).statusCode).toBe(403);
    expect((await dept.c.post(`/api/unit-reviews/${sub.json().id}/decision`, { decision: 'approve' })).statusCode).toBe(
      200,
    );
    expect((await member.c.get('/api/unit-center')).statusCode).toBe(200);
  });
});

describe('uploads', () => {
  it('decides the type by the bytes: a renamed .exe and a PNG named .jpg', async () => {
    const a = await applicant(env);
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), Buffer.alloc(2000, 7)]);
    const renamed = await upload(a.c, 'authorization', exe, '授权书.png', 'image/png');
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json()).toMatchObject({
      code: 'UPLOAD_INVALID',
      fields: { file: expect.stringMatching(/JPG、PNG/) },
    });
    const pngAsJpg = await upload(a.c, 'authorization', await png(), '授权书.jpg', 'image/jpeg');
    expect(pngAsJpg.statusCode, pngAsJpg.body).toBe(200);
    expect(pngAsJpg.json().mime).toBe('image/png');
    const pdfAsAuthorization = await upload(a.c, 'authorization', PDF, 'a.pdf', 'application/pdf');
    expect(pdfAsAuthorization.statusCode).toBe(400);
  });

  it('refuses a 6 MB PNG and a bad purpose', async () => {
    const a = await applicant(env);
    const big = Buffer.concat([await png(), Buffer.alloc(6 * 1024 * 1024, 1)]);
    const res = await upload(a.c, 'authorization', big, 'big.png', 'image/png');
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
    const bad = await a.c.request(
      'POST',
      '/api/files',
      undefined,
      multipartFile({ purpose: 'x' }, { data: await png(), filename: 'a.png', type: 'image/png' }),
    );
    expect(bad.json().fields.purpose).toBeTruthy();
  });

  it("files are the uploader's: others cannot read them or submit them", async () => {
    const a = await applicant(env);
    const b = await applicant(env);
    expect((await a.c.get(`/api/files/${a.licenceFileId}`)).statusCode).toBe(200);
    expect((await b.c.get(`/api/files/${a.licenceFileId}`)).statusCode).toBe(404);
    const res = await b.c.post(
      '/api/unit-registration',
      unitData({
        licenceFileId: a.licenceFileId,
        authorizationFileId: b.authorizationFileId,
        reviewerNodeId: await nodeByName(env, YUZHONG),
      }),
    );
    expect(res.json().fields.licenceFileId).toMatch(/不属于您/);
    expect(
      (await new Client(env.publicApp).request('POST', '/api/files', undefined, multipartFile({ purpose: 'licence' })))
        .statusCode,
    ).toBe(401);
  });

  it('the 单位授权书模板 is a .docx with the unit and the person (number and phone in full) filled in', async () => {
    const a = await applicant(env);
    const res = await a.c.get(
      `/api/unit-registration/authorization-letter?unitName=${encodeURIComponent('重庆示例有限公司')}&category=unit`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/wordprocessingml/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const document = strFromU8(unzipSync(new Uint8Array(res.rawPayload))['word/document.xml'] as Uint8Array);
    expect(document).toContain('重庆示例有限公司');
    expect(document).toContain(`身份证号码：${a.p.idNumber}`);
    expect(document).toContain(a.p.phone);
  });
});

describe('the review list', () => {
  it('filters, counts per tab, sorts, pages, and exports to Excel (audited)', async () => {
    const tag = `筛选${Date.now()}`;
    const apps = [];
    for (let i = 0; i < 3; i++)
      apps.push(await submitted({ unitName: `${tag}公司${i}`, locatedArea: i === 2 ? '500105' : '500103' }));
    const yz = await staffReviewer(env, YUZHONG);
    await yz.post(`/api/unit-reviews/${apps[0]?.app.id}/decision`, { decision: 'approve' });
    const q = `unitName=${encodeURIComponent(tag)}`;
    const all = (await yz.get(`/api/unit-reviews?${q}`)).json();
    expect(all.counts).toEqual({ all: 3, pending: 2, rejected: 0, approved: 1 });
    expect(all.total).toBe(3);
    // Unfiltered tabs come from trigger-kept counters: they must equal a real count.
    const unfiltered = (await yz.get('/api/unit-reviews')).json();
    const real = await env.ctx.db.execute(sql`
      select status, count(*)::int as n from unit_applications
      where reviewer_node_id = ${await nodeByName(env, YUZHONG)} and status <> 'draft' group by status`);
    const expected = { all: 0, pending: 0, rejected: 0, approved: 0 } as Record<string, number>;
    for (const r of real.rows as Array<{ status: string; n: number }>) {
      expected[r.status] = r.n;
      expected.all = (expected.all ?? 0) + r.n;
    }
    expect(unfiltered.counts).toEqual(expected);
    expect(unfiltered.countsCapped).toBe(false);
    const pending = (await yz.get(`/api/unit-reviews?${q}&status=pending`)).json();
    expect(pending.total).toBe(2);
    const jiangbeiArea = (await yz.get(`/api/unit-reviews?${q}&area=500105`)).json();
    expect(jiangbeiArea.items.map((i: { unitName: string }) => i.unitName)).toEqual([`${tag}公司2`]);
    const byName = (await yz.get(`/api/unit-reviews?${q}&sort=unitName&pageSize=2&page=2`)).json();
    expect(byName.items.map((i: { unitName: string }) => i.unitName)).toEqual([`${tag}公司2`]);
    const byPhone = (await yz.get(`/api/unit-reviews?phone=${apps[1]?.p.phone}`)).json();
    expect(byPhone.items.map((i: { id: string }) => i.id)).toEqual([apps[1]?.app.id]);
    const wildcard = (await yz.get(`/api/unit-reviews?unitName=${encodeURIComponent('%')}`)).json();
    expect(wildcard.total).toBe(0);
    expect((await yz.get('/api/unit-reviews?pageSize=500')).statusCode).toBe(400);
    expect((await yz.get('/api/unit-reviews?submittedFrom=2026-13-01')).json().fields.submittedFrom).toMatch(
      /YYYY-MM-DD/,
    );

    const xlsx = await yz.get(`/api/unit-reviews/export?${q}`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws?.getRow(1).values).toEqual(
      expect.arrayContaining(['序号', '申请人', '单位名称', '统一社会信用代码', '状态']),
    );
    expect(ws?.rowCount).toBe(4);
    expect(JSON.stringify(ws?.getSheetValues())).not.toContain(apps[0]?.p.phone as string);
    // Labels as the list shows them; 申请时间 a date cell in China time.
    const listed = all.items.find((i: { unitName: string }) => i.unitName === `${tag}公司0`);
    const row = ws?.getRows(2, 3)?.find((r) => r.getCell(5).value === `${tag}公司0`) as ExcelJS.Row;
    expect(row.getCell(4).value).toBe(listed.category === 'unit' ? '单位' : '主管部门');
    expect(row.getCell(10).value).toBe('审核通过');
    // The console's list says 待审核 for a pending registration: so does the console's export.
    const pendingRow = ws?.getRows(2, 3)?.find((r) => r.getCell(5).value === `${tag}公司1`) as ExcelJS.Row;
    expect(pendingRow.getCell(10).value).toBe('待审核');
    expect(ws?.getCell('I1').value).toBe('申请时间');
    expect(row.getCell(9).value).toBeInstanceOf(Date);
    expect(row.getCell(9).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect((row.getCell(9).value as Date).toISOString()).toBe(chinaCellTime(listed.submittedAt));
    const audit = await env.ctx.db.execute(
      sql`select count(*)::int as n from audit_logs where action = 'unit.registrations.export'`,
    );
    expect((audit.rows[0] as { n: number }).n).toBe(1);
  });
});

describe('staff and roles, audit log', () => {
  it('a system administrator manages staff; others get 403', async () => {
    const admin = await staffReviewer(env, null, ['sysadmin']);
    const node = await nodeByName(env, YUZHONG);
    const created = await admin.post('/api/staff-accounts', {
      username: 'yzreviewer',
      password: 'Review@2026',
      displayName: '渝中审核员',
      roles: ['reviewer'],
      orgNodeId: node,
    });
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json()).toMatchObject({ orgNodeName: YUZHONG, roles: ['reviewer'] });
    const dup = await admin.post('/api/staff-accounts', {
      username: 'yzreviewer',
      password: 'Review@2026',
      displayName: '重复',
      roles: [],
      orgNodeId: null,
    });
    expect(dup.json().fields.username).toMatch(/已存在/);
    const weak = await admin.post('/api/staff-accounts', {
      username: 'weakpw',
      password: 'abc',
      displayName: '弱密码',
      roles: [],
      orgNodeId: null,
    });
    expect(weak.json().fields.password).toBeTruthy();
    const updated = await admin.request('PUT', `/api/staff-accounts/${created.json().id}`, {
      displayName: '渝中审核员',
      roles: ['reviewer', 'recovery-handler'],
      orgNodeId: node,
      status: 'disabled',
    });
    expect(updated.json().status).toBe('disabled');
    const list = (await admin.get('/api/staff-accounts?keyword=渝中')).json();
    expect(list.items.some((s: { username: string }) => s.username === 'yzreviewer')).toBe(true);

    const logs = (await admin.get('/api/audit-logs?action=staff.')).json();
    expect(logs.items.map((l: { action: string }) => l.action)).toEqual(
      expect.arrayContaining(['staff.create', 'staff.update']),
    );

    const reviewer = await staffReviewer(env, YUZHONG);
    expect((await reviewer.get('/api/staff-accounts')).statusCode).toBe(403);
    expect((await reviewer.get('/api/audit-logs')).statusCode).toBe(403);
  });
});

describe('returned changes and drafts', () => {
  it('a returned 单位信息修改 is corrected and sent again; a draft gives way to 变更管理员; the new admin reads the unit files', async () => {
    const a = await submitted();
    const yz = await staffReviewer(env, YUZHONG);
    await yz.post(`/api/unit-reviews/${a.app.id}/decision`, { decision: 'approve' });
    const change = await a.c.post('/api/unit-center/info-changes', { ...a.data, address: '新地址1号' });
    await yz.post(`/api/unit-reviews/${change.json().id}/decision`, { decision: 'reject', reason: '地址不详' });
    const again = await a.c.post('/api/unit-center/info-changes', { ...a.data, address: '新地址1号2楼' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ id: change.json().id, round: 2, status: 'pending' });
    expect((await a.c.get('/api/unit-center')).json().data.address).toBe(a.data.address);

    const b = await applicant(env);
    await b.c.request('PUT', '/api/unit-registration/draft', { unitName: '草稿单位' });
    const unitId = (await a.c.get('/api/unit-center')).json().unit.id;
    const takeover = await b.c.post('/api/unit-admin-changes', { unitId, authorizationFileId: b.authorizationFileId });
    expect(takeover.statusCode, takeover.body).toBe(200);
    await yz.post(`/api/unit-reviews/${again.json().id}/decision`, { decision: 'approve' });
    await yz.post(`/api/unit-reviews/${takeover.json().id}/decision`, { decision: 'approve' });
    const center = (await b.c.get('/api/unit-center')).json();
    expect(center.data.address).toBe('新地址1号2楼');
    expect((await b.c.get(`/api/files/${center.data.licenceFileId}`)).statusCode).toBe(200);
    expect((await a.c.get('/api/unit-center')).statusCode).toBe(403);
  });
});

describe('the organisation tree is data', () => {
  it('a system administrator renames, deactivates and adds 区县人社局; reviewers and units follow', async () => {
    const admin = await staffReviewer(env, null, ['sysadmin']);
    const nodes = (await admin.get('/api/org/nodes')).json().items;
    const wanzhou = nodes.find((n: { areaCode: string }) => n.areaCode === '500101');
    const renamed = await admin.request('PUT', `/api/org/nodes/${wanzhou.id}`, {
      name: '万州区人力资源和社会保障局（新）',
      areaCode: '500101',
      active: false,
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const reviewers = (await new Client(env.publicApp).get('/api/org/reviewers')).json().items;
    expect(reviewers.some((n: { id: string }) => n.id === wanzhou.id)).toBe(false);
    const dup = await admin.post('/api/org/nodes', { name: '重复', areaCode: '500103', active: true });
    expect(dup.json().fields.areaCode).toMatch(/已有/);
    const bad = await admin.post('/api/org/nodes', { name: 'x', areaCode: '12', active: true });
    expect(bad.statusCode).toBe(400);
    const added = await admin.post('/api/org/nodes', {
      name: '两江新区人力资源和社会保障局',
      areaCode: '500199',
      active: true,
    });
    expect(added.statusCode, added.body).toBe(200);
    expect(
      (await new Client(env.publicApp).get('/api/org/reviewers')).json().items.map((n: { name: string }) => n.name),
    ).toContain('两江新区人力资源和社会保障局');
    const reviewer = await staffReviewer(env, YUZHONG);
    expect((await reviewer.post('/api/org/nodes', { name: '越权', areaCode: '500198', active: true })).statusCode).toBe(
      403,
    );
  });
});

describe('单位类型 is a managed list', () => {
  it('the administrator adds and retires types; registration accepts only active ones', async () => {
    const admin = await staffReviewer(env, null, ['sysadmin']);
    const types = (await new Client(env.publicApp).get('/api/unit-types'))
      .json()
      .items.map((t: { name: string }) => t.name);
    expect(types).toEqual(['机关', '事业单位', '企业', '社会团体', '民办非企业单位', '其他']);
    const added = await admin.post('/api/unit-types', { name: '基金会', sort: 65, active: true });
    expect(added.statusCode, added.body).toBe(200);
    expect((await admin.post('/api/unit-types', { name: '基金会', sort: 1, active: true })).json().fields.name).toMatch(
      /已存在/,
    );
    const other = (await admin.get('/api/unit-types')).json().items.find((t: { name: string }) => t.name === '其他');
    await admin.request('PUT', `/api/unit-types/${other.id}`, { name: '其他', sort: 60, active: false });
    const now = (await new Client(env.publicApp).get('/api/unit-types'))
      .json()
      .items.map((t: { name: string }) => t.name);
    expect(now).toContain('基金会');
    expect(now).not.toContain('其他');

    const a = await applicant(env);
    const base = unitData({
      licenceFileId: a.licenceFileId,
      authorizationFileId: a.authorizationFileId,
      reviewerNodeId: await nodeByName(env, YUZHONG),
    });
    const retired = await a.c.post('/api/unit-registration', { ...base, unitType: '其他' });
    expect(retired.json().fields.unitType).toMatch(/单位类型/);
    expect((await a.c.post('/api/unit-registration', { ...base, unitType: '基金会' })).statusCode).toBe(200);
    const reviewer = await staffReviewer(env, YUZHONG);
    expect((await reviewer.post('/api/unit-types', { name: '越权', sort: 1, active: true })).statusCode).toBe(403);
    await admin.request('PUT', `/api/unit-types/${other.id}`, { name: '其他', sort: 60, active: true });
  });
});
