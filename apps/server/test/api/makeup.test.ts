import crypto from 'node:crypto';
// fflate is what docx itself zips with (as in authorization-letter.test.ts): no extra dependency.
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { multipartFile } from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { learner, staffWith } from '../purchase-factories.js';
import { PDF, png } from '../units-factories.js';

let env: TestEnv;
const DAY = 86_400_000;

beforeAll(async () => {
  env = await createTestEnv();
  // Move the clock to the next Friday 10:00 China time (02:00 UTC): submitted then, due Wednesday 10:00.
  const now = env.clock.now();
  const china = new Date(now.getTime() + 8 * 3_600_000);
  const daysToFriday = (5 - china.getUTCDay() + 7) % 7 || 7;
  const friday = Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate() + daysToFriday, 2, 0, 0);
  env.clock.advance(friday - now.getTime());
});

const staff = (roles: Parameters<typeof staffWith>[1]) => staffWith(env, roles);

async function uploadEvidence(c: Client, file?: { data: Buffer; filename: string; type: string }) {
  const res = await c.request(
    'POST',
    '/api/makeup/files',
    undefined,
    multipartFile({}, file ?? { data: await png(320, 200), filename: '缴费截图.png', type: 'image/png' }),
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: string; mime: string; size: number; name: string };
}

const row = (fileId: string, over: Record<string, unknown> = {}) => ({
  year: 2019,
  orderNo: 'CQ2019000123',
  payer: '张三',
  paidAt: '2019-05-20',
  platform: '重庆市专业技术人员继续教育网',
  fileId,
  ...over,
});

describe('补学 (附件3)', () => {
  let a: Awaited<ReturnType<typeof learner>>;
  let requestId: string;
  let fileId: string;

  it('a receipt request for 2019 with a PNG screenshot is pending, due 3 working days later (Fri → Wed)', async () => {
    a = await learner(env);
    const up = await uploadEvidence(a.c);
    expect(up).toMatchObject({ mime: 'image/png', name: '缴费截图.png' });
    fileId = up.id;
    const res = await a.c.post('/api/makeup/requests', { year: 2019, evidenceKind: 'receipt', rows: [row(fileId)] });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ year: 2019, status: 'pending', evidenceKind: 'receipt', planId: null });
    const submitted = new Date(r.submittedAt);
    const due = new Date(r.dueAt);
    expect(new Date(submitted.getTime() + 8 * 3_600_000).getUTCDay()).toBe(5);
    expect(new Date(due.getTime() + 8 * 3_600_000).getUTCDay()).toBe(3);
    expect(due.getTime() - submitted.getTime()).toBe(5 * DAY);
    requestId = r.id;

    expect((await a.c.get('/api/makeup/requests')).json().items.map((x: { id: string }) => x.id)).toEqual([requestId]);
    expect((await a.c.get(`/api/makeup/requests/${requestId}`)).json().rows[0].orderNo).toBe('CQ2019000123');
    const f = await a.c.get(`/api/makeup/requests/${requestId}/files/${fileId}`);
    expect(f.statusCode).toBe(200);
    expect(f.headers['content-type']).toBe('image/png');
  });

  it('refuses a second 2019 request while one is pending', async () => {
    const other = await uploadEvidence(a.c);
    const res = await a.c.post('/api/makeup/requests', { year: 2019, evidenceKind: 'receipt', rows: [row(other.id)] });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'MAKEUP_DUPLICATE', message: '该年度已申请补学，请勿重复提交' });
  });

  it('refuses bad years, a mismatching row year, a date outside the year, and a file that is not mine', async () => {
    for (const year of [2010, 2023]) {
      const res = await a.c.post('/api/makeup/requests', {
        year,
        evidenceKind: 'receipt',
        rows: [row(fileId, { year })],
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().fields.year).toBeTruthy();
    }
    const mismatch = await a.c.post('/api/makeup/requests', {
      year: 2018,
      evidenceKind: 'receipt',
      rows: [row(fileId, { year: 2019, paidAt: '2018-03-01' })],
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().fields['rows.0.year']).toBe('缴费年度应为2018年');
    const lateDate = await a.c.post('/api/makeup/requests', {
      year: 2018,
      evidenceKind: 'receipt',
      rows: [row(fileId, { year: 2018, paidAt: '2021-03-01' })],
    });
    expect(lateDate.json().fields['rows.0.paidAt']).toBeTruthy();
    const notADate = await a.c.post('/api/makeup/requests', {
      year: 2018,
      evidenceKind: 'receipt',
      rows: [row(fileId, { year: 2018, paidAt: '2018-02-30' })],
    });
    expect(notADate.statusCode).toBe(400);
    const b = await learner(env);
    const theirs = await uploadEvidence(b.c);
    const foreign = await a.c.post('/api/makeup/requests', {
      year: 2018,
      evidenceKind: 'receipt',
      rows: [row(theirs.id, { year: 2018, paidAt: '2018-06-01' })],
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().fields['rows.0.fileId']).toBeTruthy();
    const bogus = await a.c.post('/api/makeup/requests', {
      year: 2018,
      evidenceKind: 'receipt',
      rows: [row(crypto.randomUUID(), { year: 2018, paidAt: '2018-06-01' })],
    });
    expect(bogus.statusCode).toBe(400);
  });

  it('keeps requests and files to their owner; 401 without login; uploads are checked by content', async () => {
    const b = await learner(env);
    expect((await b.c.get(`/api/makeup/requests/${requestId}`)).statusCode).toBe(403);
    expect((await b.c.get(`/api/makeup/requests/${requestId}/files/${fileId}`)).statusCode).toBe(403);
    const anon = new Client(env.publicApp);
    expect((await anon.get('/api/makeup/requests')).statusCode).toBe(401);
    expect((await anon.get('/api/makeup/enrollments')).statusCode).toBe(401);
    expect((await anon.get('/api/makeup/pledge.docx?year=2019')).statusCode).toBe(401);
    const fake = await a.c.request(
      'POST',
      '/api/makeup/files',
      undefined,
      multipartFile({}, { data: Buffer.from('not an image'), filename: 'x.png', type: 'image/png' }),
    );
    expect(fake.statusCode).toBe(400);
    expect(fake.json().code).toBe('UPLOAD_INVALID');
    expect((await uploadEvidence(a.c, { data: PDF, filename: '凭证.pdf', type: 'application/pdf' })).mime).toBe(
      'application/pdf',
    );
  });

  it('the console lists with masked numbers; reviewers get 403; approval writes a 0-amount order and enrols', async () => {
    const reviewer = await staff(['reviewer']);
    expect((await reviewer.get('/api/admin/makeup/requests')).statusCode).toBe(403);
    expect((await reviewer.post(`/api/admin/makeup/requests/${requestId}/approve`, {})).statusCode).toBe(403);
    expect((await reviewer.get(`/api/admin/makeup/requests/${requestId}/files/${fileId}`)).statusCode).toBe(403);

    const op = await staff(['training-operator']);
    const list = await op.get(
      `/api/admin/makeup/requests?status=pending&year=2019&name=${encodeURIComponent(a.p.realName)}`,
    );
    expect(list.statusCode, list.body).toBe(200);
    const item = list.json().items.find((x: { id: string }) => x.id === requestId);
    expect(item).toMatchObject({ learnerName: a.p.realName, overdue: false, status: 'pending' });
    expect(item.idNumberMasked).toMatch(/^\d\*{16}[\dX]$/);
    expect(item.phoneMasked).toMatch(/^1\d\d\*{4}\d{4}$/);
    expect((await op.get('/api/admin/makeup/requests?overdue=true')).json().items).toHaveLength(0);
    expect((await op.get(`/api/admin/makeup/requests/${requestId}/files/${fileId}`)).statusCode).toBe(200);

    const approved = await op.post(`/api/admin/makeup/requests/${requestId}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const r = approved.json();
    expect(r.status).toBe('approved');
    expect(r.planId).toBeTruthy();
    expect(r.orderId).toBeTruthy();

    const plan = await env.ctx.purchase.plans.get(r.planId, { publishedOnly: false });
    expect(plan).toMatchObject({ year: 2019, priceFen: 0, requiredHours: 30, published: false });
    expect(plan.name).toBe('重庆市2019年专技人员继续教育公需科目培训（补学）');
    const order = (await a.c.get(`/api/orders/${r.orderId}`)).json();
    expect(order).toMatchObject({ kind: 'makeup', amountFen: 0, status: 'paid', quantity: 1 });

    const enrolled = await a.c.get('/api/makeup/enrollments');
    expect(enrolled.statusCode, enrolled.body).toBe(200);
    expect(enrolled.json().items).toEqual([
      expect.objectContaining({ year: 2019, planId: r.planId, planName: plan.name, orderNo: order.orderNo }),
    ]);
    // The learner's own order list shows it too (kind makeup, 0 yuan).
    const mine = (await a.c.get('/api/orders')).json();
    expect(mine.items.some((o: { kind: string }) => o.kind === 'makeup')).toBe(true);

    const again = await op.post(`/api/admin/makeup/requests/${requestId}/approve`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('MAKEUP_STATE');
    expect((await op.post(`/api/admin/makeup/requests/${requestId}/reject`, { reason: '材料不清晰' })).statusCode).toBe(
      409,
    );
    // Approved stays blocking: no second 2019 request.
    const dup = await a.c.post('/api/makeup/requests', {
      year: 2019,
      evidenceKind: 'receipt',
      rows: [row((await uploadEvidence(a.c)).id)],
    });
    expect(dup.json().code).toBe('MAKEUP_DUPLICATE');
  });

  it('pledge flow: the docx carries the person, reject needs a reason, a rejected year may be asked again', async () => {
    const p = await learner(env);
    const doc = await p.c.get('/api/makeup/pledge.docx?year=2016');
    expect(doc.statusCode).toBe(200);
    expect(doc.headers['content-type']).toContain('wordprocessingml');
    const bytes = doc.rawPayload;
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const xml = strFromU8(unzipSync(new Uint8Array(bytes))['word/document.xml'] ?? new Uint8Array());
    expect(xml).toContain(p.p.realName);
    expect(xml).toContain(p.p.idNumber);
    expect(xml).toContain(p.p.username);
    expect(xml).toContain('2016年度');
    expect((await p.c.get('/api/makeup/pledge.docx?year=2023')).statusCode).toBe(400);

    const signed = await uploadEvidence(p.c, { data: PDF, filename: '承诺书.pdf', type: 'application/pdf' });
    const res = await p.c.post('/api/makeup/requests', {
      year: 2016,
      evidenceKind: 'pledge',
      pledge: { paidOn: '2016-04-12', reason: '缴费凭证遗失' },
      pledgeFileId: signed.id,
    });
    expect(res.statusCode, res.body).toBe(200);
    const id = res.json().id as string;

    const op = await staff(['sysadmin']);
    const noReason = await op.post(`/api/admin/makeup/requests/${id}/reject`, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields.reason).toBeTruthy();
    const rejected = await op.post(`/api/admin/makeup/requests/${id}/reject`, { reason: '承诺书未签字' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', reason: '承诺书未签字' });
    expect((await op.post(`/api/admin/makeup/requests/${id}/approve`, {})).statusCode).toBe(409);
    expect((await p.c.get(`/api/makeup/requests/${id}`)).json().reason).toBe('承诺书未签字');
    expect((await p.c.get('/api/makeup/enrollments')).json().items).toEqual([]);

    const retry = await p.c.post('/api/makeup/requests', {
      year: 2016,
      evidenceKind: 'pledge',
      pledge: { paidOn: '2016-04-12', reason: '缴费凭证遗失' },
      pledgeFileId: signed.id,
    });
    expect(retry.statusCode, retry.body).toBe(200);
  });

  it('flags pending requests past their due time as overdue', async () => {
    const p = await learner(env);
    const f = await uploadEvidence(p.c);
    const res = await p.c.post('/api/makeup/requests', {
      year: 2012,
      evidenceKind: 'receipt',
      rows: [row(f.id, { year: 2012, paidAt: '2013-01-05' })],
    });
    expect(res.statusCode, res.body).toBe(200);
    env.clock.advance(6 * DAY);
    const op = await staff(['training-operator']);
    const overdue = (await op.get('/api/admin/makeup/requests?overdue=true&year=2012')).json();
    expect(overdue.items.map((x: { id: string }) => x.id)).toContain(res.json().id);
    expect(overdue.items[0].overdue).toBe(true);
  });

  it('counts the 3 working days by the 工作日历: a holiday on the Friday moves a Thursday request to Wednesday', async () => {
    // The next Thursday 10:00 China time; the Friday after it becomes a holiday.
    const now = env.clock.now();
    const china = new Date(now.getTime() + 8 * 3_600_000);
    const daysToThursday = (4 - china.getUTCDay() + 7) % 7 || 7;
    const thursday = Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate() + daysToThursday, 2);
    env.clock.advance(thursday - now.getTime());
    const friday = new Date(thursday + DAY).toISOString().slice(0, 10);
    const admin = await staff(['sysadmin']);
    const set = await admin.request('PUT', `/api/calendar-days/${friday}`, { kind: 'holiday', name: '测试假日' });
    expect(set.statusCode, set.body).toBe(200);

    const p = await learner(env);
    const f = await uploadEvidence(p.c);
    const res = await p.c.post('/api/makeup/requests', {
      year: 2014,
      evidenceKind: 'receipt',
      rows: [row(f.id, { year: 2014, paidAt: '2014-06-05' })],
    });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    // Thursday → (Friday off, weekend) Monday, Tuesday, Wednesday, same time of day.
    expect(new Date(new Date(r.dueAt).getTime() + 8 * 3_600_000).getUTCDay()).toBe(3);
    expect(new Date(r.dueAt).getTime() - new Date(r.submittedAt).getTime()).toBe(6 * DAY);
  });
});
