import crypto from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { TTodoList } from '@cpe/shared';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { chinaYearOf, fileBase, openBatch, submitted, unitAdmin } from '../applications-factories.js';
import { buildPerson, multipartFile, randomIdNumber, randomPhone } from '../factories.js';
import { Client, createTestEnv } from '../harness.js';
import { learner, staffWith } from '../purchase-factories.js';
import { applicant, nodeByName, png, staffReviewer, unitData } from '../units-factories.js';

/**
 * 首页 → 待办事项 (GET /api/todos): each queue counted for the signed-in staff member through the queue's own list,
 * so a 区县人社局 counts what its lists show, and a count drops once the item is decided.
 */
const logs = new PassThrough();
const logged: string[] = [];
logs.on('data', (d) => logged.push(String(d)));
const env = await createTestEnv({}, undefined, { level: 'error', stream: logs });
const YUZHONG = '渝中区人力资源和社会保障局';
const JIANGBEI = '江北区人力资源和社会保障局';
const CITY = '重庆市人力资源和社会保障局';
const DAY = 86_400_000;

async function todos(c: Client): Promise<TTodoList> {
  const res = await c.get('/api/todos');
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
/** The count of one queue, or undefined when the queue is not this person's. */
const countOf = async (c: Client, key: string) => (await todos(c)).items.find((i) => i.key === key)?.count;
const keysOf = async (c: Client) => (await todos(c)).items.map((i) => i.key).sort();

/** A 单位管理员注册 waiting for the given bureau. */
async function waitingRegistration(nodeName: string) {
  const a = await applicant(env);
  const data = unitData({
    licenceFileId: a.licenceFileId,
    authorizationFileId: a.authorizationFileId,
    reviewerNodeId: await nodeByName(env, nodeName),
  });
  const res = await a.c.post('/api/unit-registration', data);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().id as string;
}

describe('who may ask', () => {
  it('401 without a staff session; the public listener has no such route', async () => {
    const anon = await new Client(env.staffApp, 'cpe_staff_csrf').get('/api/todos');
    expect(anon.statusCode).toBe(401);
    expect((await new Client(env.publicApp).get('/api/todos')).statusCode).toBe(404);
    const person = await learner(env);
    expect((await person.c.get('/api/todos')).statusCode).toBe(404);
  });

  it('a staff member of no queue gets an empty list, not an error', async () => {
    const nobody = await staffWith(env, []);
    const list = await todos(nobody);
    expect(list.items).toEqual([]);
    expect(list.unavailable).toEqual([]);
    expect(Math.abs(Date.parse(list.generatedAt) - env.clock.now().getTime())).toBeLessThan(60_000);
  });
});

describe('单位注册审核 · 待审核', () => {
  it('a 区县人社局 reviewer counts what waits in their district, not another district’s; a decision drops it', async () => {
    const yz = await staffReviewer(env, YUZHONG);
    const jb = await staffReviewer(env, JIANGBEI);
    const city = await staffReviewer(env, CITY);
    const [yzBefore, jbBefore, cityBefore] = await Promise.all([yz, jb, city].map((c) => countOf(c, 'unit-reviews')));
    expect(yzBefore).toBe(0);

    const id = await waitingRegistration(YUZHONG);
    expect(await countOf(yz, 'unit-reviews')).toBe(1);
    expect(await countOf(jb, 'unit-reviews')).toBe(jbBefore);
    expect(await countOf(city, 'unit-reviews')).toBe((cityBefore as number) + 1);
    // The number is the one the linked list shows.
    const item = (await todos(yz)).items.find((i) => i.key === 'unit-reviews');
    expect(item).toMatchObject({ label: '单位注册审核 · 待审核', href: '/unit-reviews?status=pending' });
    expect((await yz.get('/api/unit-reviews?status=pending')).json().total).toBe(1);

    const decided = await yz.post(`/api/unit-reviews/${id}/decision`, { decision: 'approve' });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(await countOf(yz, 'unit-reviews')).toBe(0);
    expect(await countOf(city, 'unit-reviews')).toBe(cityBefore);
  });

  it('a reviewer has no training-centre or 账号安全 queues', async () => {
    const keys = await keysOf(await staffReviewer(env, YUZHONG));
    expect(keys).toEqual(['education-base-reviews:district', 'engineer-base-reviews:district', 'unit-reviews']);
  });
});

describe('申报书 · 待审核 at this reviewer’s step', () => {
  it('a 基地申报 waits for the 区县人社局 it passes through, then for 市人社局', async () => {
    const year = chinaYearOf(env.clock.now());
    const unit = await unitAdmin(env);
    const yz = await staffReviewer(env, YUZHONG);
    const jb = await staffReviewer(env, JIANGBEI);
    const city = await staffReviewer(env, CITY);
    const cityBefore = (await countOf(city, 'education-base-reviews:city')) as number;

    const app = await fileBase(unit.c, year);
    const yzItem = (await todos(yz)).items.find((i) => i.key === 'education-base-reviews:district');
    expect(yzItem).toMatchObject({
      label: '继续教育基地认定 · 待审核',
      count: 1,
      href: '/education-base-reviews?stage=pending-district',
    });
    expect(await countOf(jb, 'education-base-reviews:district')).toBe(0);
    // Not yet at 市人社局's step: it sees the application in its list, but nothing waits for it.
    expect(await countOf(city, 'education-base-reviews:city')).toBe(cityBefore);
    expect((await todos(city)).items.some((i) => i.key === 'education-base-reviews:district')).toBe(false);

    const ok = await yz.post(`/api/application-reviews/${app.id}/approve`, { opinion: '' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await countOf(yz, 'education-base-reviews:district')).toBe(0);
    expect(await countOf(city, 'education-base-reviews:city')).toBe(cityBefore + 1);
    expect(
      (await city.get('/api/application-reviews?type=education-base&stage=pending-city&pageSize=1')).json().total,
    ).toBe(cityBefore + 1);
  });

  it('a 市级高级研修项目 waits for 市人社局 (项目审核管理); a 区县人社局 reviewer has no such queue', async () => {
    await openBatch(env);
    const unit = await unitAdmin(env);
    const city = await staffReviewer(env, CITY);
    const before = (await countOf(city, 'application-reviews:city')) as number;
    const s = await submitted(unit.c);
    const item = (await todos(city)).items.find((i) => i.key === 'application-reviews:city');
    expect(item).toMatchObject({
      label: '项目审核管理 · 待审核',
      count: before + 1,
      href: '/application-reviews?stage=pending-city',
    });
    expect(await countOf(await staffReviewer(env, YUZHONG), 'application-reviews:city')).toBeUndefined();
    const rejected = await city.post(`/api/application-reviews/${s.id}/reject`, { reason: '材料不全，不予立项' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(await countOf(city, 'application-reviews:city')).toBe(before);
  });
});

describe('the training centre', () => {
  it('在线客服 · 待回复: a learner’s question waits until the centre replies', async () => {
    const op = await staffWith(env, ['training-operator']);
    expect(await keysOf(op)).toEqual(['makeup-requests', 'rosters', 'tickets']);
    expect(await countOf(op, 'tickets')).toBe(0);
    const a = await learner(env);
    const t = await a.c.post('/api/tickets', {
      topic: 'study',
      subject: '视频播放到一半卡住',
      body: '学习第三章时视频总是停在12分钟处，刷新后也无法继续。',
    });
    expect(t.statusCode, t.body).toBe(200);
    const item = (await todos(op)).items.find((i) => i.key === 'tickets');
    expect(item).toMatchObject({ label: '在线客服 · 待回复', count: 1, href: '/tickets?status=open' });
    const reply = await op.post(`/api/admin/tickets/${t.json().id}/replies`, { body: '请清除浏览器缓存后重试。' });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(await countOf(op, 'tickets')).toBe(0);
  });

  // Before any test moves the clock by days: the import's progress is stamped with the database's time.
  it('学员注册名单 · 导入异常: an import that stopped part-way', async () => {
    const op = await staffWith(env, ['training-operator']);
    const tpl = await op.get('/api/admin/rosters/template.xlsx');
    const id = randomIdNumber();
    const file = await rosterFile(tpl.rawPayload, [
      { name: buildPerson().realName, idNumber: id, phone: randomPhone(), sex: sexOf(id) },
    ]);
    const up = await op.request(
      'POST',
      '/api/admin/rosters',
      undefined,
      multipartFile({}, { data: file, filename: '学员注册名单.xlsx', type: XLSX }),
    );
    expect(up.statusCode, up.body).toBe(200);
    expect((await op.post(`/api/admin/rosters/${up.json().id}/import`)).statusCode).toBe(200);
    // Importing, and the job has not run yet: not a failure…
    expect(await countOf(op, 'rosters')).toBe(0);
    // …but half an hour without progress is.
    env.clock.advance(31 * 60_000);
    const later = await staffWith(env, ['training-operator']);
    expect(await countOf(later, 'rosters')).toBe(1);
    await env.ctx.jobs.runDue();
    expect(await countOf(later, 'rosters')).toBe(0);
  });

  it('学员注册名单 · 导入异常: an upload with rows that failed, until it is a week old', async () => {
    const op = await staffWith(env, ['training-operator']);
    expect(await countOf(op, 'rosters')).toBe(0);
    const tpl = await op.get('/api/admin/rosters/template.xlsx');
    const good = randomIdNumber();
    const file = await rosterFile(tpl.rawPayload, [
      { name: buildPerson().realName, idNumber: good, phone: randomPhone(), sex: sexOf(good) },
      { name: '王五', idNumber: '500103199001011231', phone: '123', sex: '男' },
    ]);
    const m = multipartFile({}, { data: file, filename: '学员注册名单.xlsx', type: XLSX });
    const up = await op.request('POST', '/api/admin/rosters', undefined, m);
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ valid: 1, invalid: 1 });
    expect((await todos(op)).items.find((i) => i.key === 'rosters')).toMatchObject({
      label: '学员注册名单 · 导入异常（近7天）',
      count: 1,
      href: '/rosters',
    });
    env.clock.advance(8 * DAY);
    expect(await countOf(await staffWith(env, ['training-operator']), 'rosters')).toBe(0);
  });

  it('补学审核 · 待审核, with 超期 once past the due time; a decision drops it', async () => {
    const op = await staffWith(env, ['training-operator']);
    expect((await todos(op)).items.find((i) => i.key === 'makeup-requests')).toMatchObject({
      label: '补学审核 · 待审核',
      count: 0,
      overdue: 0,
      href: '/makeup-requests',
    });
    const p = await learner(env);
    const shot = await p.c.request(
      'POST',
      '/api/makeup/files',
      undefined,
      multipartFile({}, { data: await png(320, 200), filename: '缴费截图.png', type: 'image/png' }),
    );
    expect(shot.statusCode, shot.body).toBe(200);
    const req = await p.c.post('/api/makeup/requests', {
      year: 2019,
      evidenceKind: 'receipt',
      rows: [
        {
          year: 2019,
          orderNo: 'CQ2019000123',
          payer: p.p.realName,
          paidAt: '2019-05-20',
          platform: '重庆市专业技术人员继续教育网',
          fileId: shot.json().id,
        },
      ],
    });
    expect(req.statusCode, req.body).toBe(200);
    expect((await todos(op)).items.find((i) => i.key === 'makeup-requests')).toMatchObject({ count: 1, overdue: 0 });

    // 3 working days, whatever holidays fall in between.
    env.clock.advance(20 * DAY);
    const later = await staffWith(env, ['training-operator']);
    expect((await todos(later)).items.find((i) => i.key === 'makeup-requests')).toMatchObject({
      count: 1,
      overdue: 1,
    });
    const rejected = await later.post(`/api/admin/makeup/requests/${req.json().id}/reject`, {
      reason: '缴费凭证不清晰',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect((await todos(later)).items.find((i) => i.key === 'makeup-requests')).toMatchObject({
      count: 0,
      overdue: 0,
    });
  });
});

describe('the system administrator', () => {
  it('sees every queue of the console, 人工找回 and 实名审核 linked to their 待处理 tabs', async () => {
    const admin = await staffWith(env, ['sysadmin']);
    const list = await todos(admin);
    expect(list.items.map((i) => i.key).sort()).toEqual(
      [
        'unit-reviews',
        'application-reviews:city',
        'class-plan-reviews:city',
        'plan-change-reviews:city',
        'completion-reviews:city',
        'education-base-reviews:city',
        'engineer-base-reviews:city',
        'makeup-requests',
        'tickets',
        'rosters',
        'recoveries',
        'realname-reviews',
      ].sort(),
    );
    expect(list.items.find((i) => i.key === 'recoveries')).toMatchObject({ href: '/recoveries?status=pending' });
    expect(list.items.find((i) => i.key === 'realname-reviews')).toMatchObject({
      href: '/realname-reviews?status=pending',
    });
  });
});

// Last: the source added here stays registered for the rest of the file.
describe('a queue that fails', () => {
  it('is left out and named as unavailable; the other queues still answer', async () => {
    const yz = await staffReviewer(env, YUZHONG);
    await waitingRegistration(YUZHONG);
    env.ctx.todos.register({
      key: 'broken',
      label: '坏掉的队列',
      href: '/broken',
      count: async () => {
        throw new Error(`database went away ${crypto.randomUUID()}`);
      },
    });
    const list = await todos(yz);
    expect(list.items.find((i) => i.key === 'unit-reviews')?.count).toBe(1);
    expect(list.items.some((i) => i.key === 'broken')).toBe(false);
    expect(list.unavailable).toEqual(['坏掉的队列']);
    const entry = logged.map((l) => JSON.parse(l)).find((l) => l.todoSource === 'broken');
    expect(entry).toMatchObject({
      msg: 'todo source failed',
      err: { message: expect.stringMatching(/database went away/) },
    });
  });
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const sexOf = (id: string) => (Number(id[16]) % 2 === 1 ? '男' : '女');

/** The downloaded 附件2 template with these lines filled in. */
async function rosterFile(
  template: Buffer,
  lines: Array<{ name: string; idNumber: string; phone: string; sex: string }>,
): Promise<Buffer> {
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
