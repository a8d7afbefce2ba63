import crypto from 'node:crypto';
import { idNumberSex } from '@cpe/shared';
import { and, count, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { accounts, messages } from '../../src/db/schema/index.js';
import { cityReviewer, openBatch, returnBody, submitted, unitAdmin } from '../applications-factories.js';
import { buildPerson, multipartFile, outbox, randomIdNumber, randomPhone } from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { drainJobs, learner, onSalePlan, payAndDeliver, staffWith, startPayment } from '../purchase-factories.js';
import { completedEnrolment } from '../study-factories.js';
import { applicant, nodeByName, png, staffReviewer, unitData } from '../units-factories.js';

let env: TestEnv;
let op: Client;
/** Someone signed in who must never receive another person's message. */
let bystander: Awaited<ReturnType<typeof learner>>;

beforeAll(async () => {
  env = await createTestEnv();
  op = await staffWith(env, ['training-operator']);
  bystander = await learner(env);
});

interface Msg {
  id: string;
  event: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

async function inbox(c: Client, query = ''): Promise<{ items: Msg[]; total: number; unread: number }> {
  const res = await c.get(`/api/messages${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function accountIdOf(username: string): Promise<string> {
  const [a] = await env.ctx.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.username, username));
  return a?.id as string;
}

/** Messages of this event, in all (every account): an action adds exactly one. */
async function eventCount(event: string): Promise<number> {
  const [r] = await env.ctx.db.select({ n: count() }).from(messages).where(eq(messages.event, event));
  return r?.n ?? 0;
}

/** Runs `action` and checks it wrote exactly one message of `event`, to `c`'s account, the bystander none. */
async function expectOne(c: Client, event: string, action: () => Promise<unknown>): Promise<Msg> {
  const before = await eventCount(event);
  await action();
  expect(await eventCount(event)).toBe(before + 1);
  const mine = (await inbox(c)).items.filter((m) => m.event === event);
  expect(mine).toHaveLength(1);
  expect((await inbox(bystander.c)).total).toBe(0);
  return mine[0] as Msg;
}

describe('消息中心: each result a person waits for arrives as one message with a link', () => {
  it('在线客服 reply: one message to the asker, linked to the ticket, with the ticket-replied SMS', async () => {
    const a = await learner(env);
    const created = await a.c.post('/api/tickets', {
      topic: 'study',
      subject: '视频播放到一半卡住',
      body: '学习第三章时视频总是停在12分钟处，刷新后也无法继续。',
    });
    expect(created.statusCode, created.body).toBe(200);
    const { id, ticketNo } = created.json();
    const m = await expectOne(a.c, 'ticket-replied', async () => {
      const res = await op.post(`/api/admin/tickets/${id}/replies`, { body: '您好，请清除浏览器缓存后重试。' });
      expect(res.statusCode, res.body).toBe(200);
    });
    expect(m).toMatchObject({ title: '您的咨询已有回复', link: `/help/tickets/${id}`, readAt: null });
    expect(m.body).toContain(ticketNo);
    expect(m.body).toContain('视频播放到一半卡住');
    await env.ctx.jobs.runDue();
    const sms = (await outbox(a.c, `kind=sms&to=${a.p.phone}`)).filter((x) => x.purpose === 'ticket-replied');
    expect(sms).toHaveLength(1);
    expect(sms[0]?.code).toContain(ticketNo);
    // A further staff message to an answered question is no new result: no second message.
    expect((await op.post(`/api/admin/tickets/${id}/replies`, { body: '补充：也可以换个浏览器。' })).statusCode).toBe(
      200,
    );
    expect((await inbox(a.c)).total).toBe(1);
  });

  it('单位注册 returned and approved: to the applicant, linked to the registration page / 单位中心', async () => {
    const yz = await staffReviewer(env, '渝中区人力资源和社会保障局');
    const file = async () => {
      const a = await applicant(env);
      const data = unitData({
        licenceFileId: a.licenceFileId,
        authorizationFileId: a.authorizationFileId,
        reviewerNodeId: await nodeByName(env, '渝中区人力资源和社会保障局'),
      });
      const res = await a.c.post('/api/unit-registration', data);
      expect(res.statusCode, res.body).toBe(200);
      return { c: a.c, id: res.json().id as string, unitName: data.unitName as string };
    };
    const r = await file();
    const rejected = await expectOne(r.c, 'unit-application-rejected', async () => {
      const res = await yz.post(`/api/unit-reviews/${r.id}/decision`, { decision: 'reject', reason: '营业执照不清晰' });
      expect(res.statusCode, res.body).toBe(200);
    });
    expect(rejected).toMatchObject({ title: '单位注册审核未通过', link: '/units/register' });
    expect(rejected.body).toContain('营业执照不清晰');
    expect(rejected.body).toContain(r.unitName);

    const ok = await file();
    const approved = await expectOne(ok.c, 'unit-application-approved', async () => {
      const res = await yz.post(`/api/unit-reviews/${ok.id}/decision`, { decision: 'approve' });
      expect(res.statusCode, res.body).toBe(200);
    });
    expect(approved).toMatchObject({ title: '单位注册审核已通过', link: '/unit-center' });
  });

  it('申报书 退回修改, 审核通过 and 不予通过: to the unit filer, linked to the 申报书 in 单位中心', async () => {
    await openBatch(env);
    const city = await cityReviewer(env);
    const returned = await unitAdmin(env);
    const s1 = await submitted(returned.c);
    // Registration approval of the unit itself came first (its own message).
    const m1 = await expectOne(returned.c, 'application-returned', async () => {
      const res = await city.post(`/api/application-reviews/${s1.id}/return`, returnBody(env, { basic: '请补充日程' }));
      expect(res.statusCode, res.body).toBe(200);
    });
    expect(m1).toMatchObject({
      title: '市级高级研修项目申报已退回修改',
      link: `/unit-center/advanced-seminars/${s1.id}`,
    });

    const approved = await unitAdmin(env);
    const s2 = await submitted(approved.c);
    const m2 = await expectOne(approved.c, 'application-approved', async () => {
      const res = await city.post(`/api/application-reviews/${s2.id}/approve`, { opinion: '同意立项' });
      expect(res.statusCode, res.body).toBe(200);
    });
    expect(m2).toMatchObject({
      title: '市级高级研修项目申报审核已通过',
      link: `/unit-center/advanced-seminars/${s2.id}`,
    });

    const rejected = await unitAdmin(env);
    const s3 = await submitted(rejected.c);
    const m3 = await expectOne(rejected.c, 'application-rejected', async () => {
      const res = await city.post(`/api/application-reviews/${s3.id}/reject`, { reason: '与往年项目重复' });
      expect(res.statusCode, res.body).toBe(200);
    });
    expect(m3.body).toContain('与往年项目重复');
    expect(m3.link).toBe(`/unit-center/advanced-seminars/${s3.id}`);
  });

  it('补学 approved and rejected: to the learner, linked to 补学', async () => {
    const request = async () => {
      const a = await learner(env);
      const up = await a.c.request(
        'POST',
        '/api/makeup/files',
        undefined,
        multipartFile({}, { data: await png(320, 200), filename: '缴费截图.png', type: 'image/png' }),
      );
      expect(up.statusCode, up.body).toBe(200);
      const res = await a.c.post('/api/makeup/requests', {
        year: 2019,
        evidenceKind: 'receipt',
        rows: [
          {
            year: 2019,
            orderNo: 'CQ2019000123',
            payer: a.p.realName,
            paidAt: '2019-05-20',
            platform: '重庆市专业技术人员继续教育网',
            fileId: up.json().id,
          },
        ],
      });
      expect(res.statusCode, res.body).toBe(200);
      return { c: a.c, id: res.json().id as string };
    };
    const yes = await request();
    const m1 = await expectOne(yes.c, 'makeup-approved', async () => {
      const res = await op.post(`/api/admin/makeup/requests/${yes.id}/approve`, {});
      expect(res.statusCode, res.body).toBe(200);
    });
    expect(m1).toMatchObject({ title: '补学申请已通过', link: '/makeup' });
    expect(m1.body).toContain('2019年度');

    const no = await request();
    const m2 = await expectOne(no.c, 'makeup-rejected', async () => {
      const res = await op.post(`/api/admin/makeup/requests/${no.id}/reject`, { reason: '材料不清晰' });
      expect(res.statusCode, res.body).toBe(200);
    });
    expect(m2).toMatchObject({ title: '补学申请未通过', link: '/makeup' });
    expect(m2.body).toContain('材料不清晰');
  });

  it('电子发票 issued after paying: to the buyer, linked to 我的发票', async () => {
    const plan = await onSalePlan(env);
    const a = await learner(env);
    const order = await a.c.post('/api/orders', {
      planId: plan.id,
      invoice: { mode: 'now', title: { titleType: 'personal', title: a.p.realName } },
    });
    expect(order.statusCode, order.body).toBe(200);
    const m = await expectOne(a.c, 'invoice-issued', async () => {
      const { tradeId } = await startPayment(a.c, order.json().id);
      await payAndDeliver(env, tradeId);
      await drainJobs(env, 5_000);
    });
    expect(m).toMatchObject({ title: '电子发票已开具', link: '/invoices' });
    expect(m.body).toContain(order.json().orderNo);
    expect(m.body).toContain(a.p.realName);
  });

  it('合格证书 issued when an enrolment completes: to the learner, linked to 我的证书', async () => {
    const plan = await onSalePlan(env);
    const a = await learner(env);
    const accountId = await accountIdOf(a.p.username);
    const m = await expectOne(a.c, 'certificate-issued', async () => {
      const enrollmentId = await completedEnrolment(env, accountId, plan.id);
      await env.ctx.jobs.runDue();
      // Issuing twice (a retried job) still announces once.
      await env.ctx.certificates.issue(enrollmentId);
    });
    expect(m).toMatchObject({ title: '合格证书已生成', link: '/certificates' });
    expect(m.body).toContain(plan.name);
  });

  it('学员注册名单 import finished: to the uploading unit administrator, linked to 学员注册名单', async () => {
    const admin = (await unitAdmin(env)).c;
    const tpl = await admin.get('/api/rosters/template.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    ws.getCell('B3').value = '渝中区';
    ws.getCell('E3').value = '王联系';
    ws.getCell('B4').value = '重庆市渝中区测试单位';
    ws.getCell('E4').value = '023-63800000';
    for (let i = 0; i < 2; i++) {
      const idNumber = randomIdNumber();
      const row = ws.getRow(6 + i);
      row.getCell(2).value = buildPerson().realName;
      row.getCell(3).value = idNumber;
      row.getCell(4).value = randomPhone();
      row.getCell(5).value = idNumberSex(idNumber) === 'male' ? '男' : '女';
    }
    const m = multipartFile(
      {},
      {
        data: Buffer.from(await wb.xlsx.writeBuffer()),
        filename: '学员注册名单.xlsx',
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
    );
    const uploaded = await admin.request('POST', '/api/rosters', undefined, m);
    expect(uploaded.statusCode, uploaded.body).toBe(200);
    const id = uploaded.json().id as string;
    const msg = await expectOne(admin, 'roster-import-done', async () => {
      expect((await admin.post(`/api/rosters/${id}/import`, {})).statusCode).toBe(200);
      for (let i = 0; i < 10 && (await admin.get(`/api/rosters/${id}`)).json().status !== 'done'; i++)
        await env.ctx.jobs.runDue();
    });
    expect(msg).toMatchObject({ title: '学员注册名单导入完成', link: '/unit-center/roster' });
    expect(msg.body).toContain('新建账号2人');
  });
});

describe('消息中心: reading', () => {
  let a: Awaited<ReturnType<typeof learner>>;
  let ids: string[];

  beforeAll(async () => {
    a = await learner(env);
    const accountId = await accountIdOf(a.p.username);
    // Three results, a minute apart, through the one entry point.
    for (const n of [1, 2, 3]) {
      await env.ctx.db.transaction((tx) =>
        env.ctx.notify.event(tx, {
          accountId,
          event: 'makeup-rejected',
          params: { year: String(2017 + n), reason: `原因${n}` },
          link: '/makeup',
        }),
      );
      env.clock.advance(60_000);
    }
    ids = (await inbox(a.c)).items.map((m) => m.id);
  });

  it('lists newest first, paged, with the unread count; unread=true filters', async () => {
    const all = await inbox(a.c);
    expect(all).toMatchObject({ total: 3, unread: 3 });
    expect(all.items.map((m) => m.body.match(/(\d{4})年度/)?.[1])).toEqual(['2020', '2019', '2018']);
    const page2 = await inbox(a.c, '?page=2&pageSize=2');
    expect(page2).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page2.items).toHaveLength(1);
    expect((await a.c.get('/api/messages/unread-count')).json()).toEqual({ count: 3 });
  });

  it('marks one as read (idempotent), then all; the count follows', async () => {
    const first = await a.c.post(`/api/messages/${ids[0]}/read`);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().readAt).toBeTruthy();
    const again = await a.c.post(`/api/messages/${ids[0]}/read`);
    expect(again.json().readAt).toBe(first.json().readAt);
    expect((await a.c.get('/api/messages/unread-count')).json()).toEqual({ count: 2 });
    const unread = await inbox(a.c, '?unread=true');
    expect(unread.items.map((m) => m.id)).toEqual(ids.slice(1));
    expect(unread.total).toBe(2);
    const all = await a.c.post('/api/messages/read-all');
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json()).toEqual({ updated: 2 });
    expect((await a.c.get('/api/messages/unread-count')).json()).toEqual({ count: 0 });
    expect((await inbox(a.c, '?unread=true')).total).toBe(0);
  });

  it("another person's message is not found (no leak), and stays unread", async () => {
    const other = await learner(env);
    const otherId = await accountIdOf(other.p.username);
    await env.ctx.db.transaction((tx) =>
      env.ctx.notify.event(tx, {
        accountId: otherId,
        event: 'makeup-approved',
        params: { year: '2019' },
        link: '/makeup',
      }),
    );
    const [theirs] = (await inbox(other.c)).items;
    const res = await a.c.post(`/api/messages/${theirs?.id}/read`);
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toBe('消息不存在');
    expect((await a.c.post(`/api/messages/${crypto.randomUUID()}/read`)).statusCode).toBe(404);
    expect((await other.c.get('/api/messages/unread-count')).json()).toEqual({ count: 1 });
    // read-all touches only one's own.
    await a.c.post('/api/messages/read-all');
    expect((await other.c.get('/api/messages/unread-count')).json()).toEqual({ count: 1 });
    const [row] = await env.ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.accountId, otherId), eq(messages.id, theirs?.id as string)));
    expect(row?.readAt).toBeNull();
  });

  it('bad ids and queries → 400 with a Chinese message', async () => {
    const bad = await a.c.post('/api/messages/not-a-uuid/read');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields.id).toBe('消息编号无效');
    const page = await a.c.get('/api/messages?page=0');
    expect(page.statusCode).toBe(400);
    expect(page.json().fields.page).toBe('页码须为正整数');
    const size = await a.c.get('/api/messages?pageSize=500');
    expect(size.json().fields.pageSize).toBe('每页最多100条');
    expect((await a.c.get('/api/messages?unread=yes')).json().fields.unread).toBe('未读筛选无效');
  });

  it('401 signed out, on every route', async () => {
    const anon = new Client(env.publicApp);
    expect((await anon.get('/api/messages')).statusCode).toBe(401);
    expect((await anon.get('/api/messages/unread-count')).statusCode).toBe(401);
    expect((await anon.post(`/api/messages/${ids[0]}/read`)).statusCode).toBe(401);
    expect((await anon.post('/api/messages/read-all')).statusCode).toBe(401);
  });

  it('staff have no messages on the staff listener', async () => {
    expect((await op.get('/api/messages')).statusCode).toBe(404);
  });
});
