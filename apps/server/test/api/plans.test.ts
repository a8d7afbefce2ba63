import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCourse } from '../courses-factories.js';
import { multipartFile } from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { LATER, learner, payAndDeliver, staffWith, startPayment } from '../purchase-factories.js';
import { png } from '../units-factories.js';
import { chinaCellTime, hasFormula } from '../xlsx-xml.js';

let env: TestEnv;
let courseId: string;
beforeAll(async () => {
  env = await createTestEnv();
  courseId = (await createCourse(env, { hours: 30 })).id;
});

const staff = (roles: Parameters<typeof staffWith>[1]) => staffWith(env, roles);

const plan = (over: Record<string, unknown> = {}) => ({
  name: `重庆市2026年专技人员继续教育公需科目培训${crypto.randomBytes(2).toString('hex')}`,
  year: 2026,
  priceFen: 12_000,
  requiredHours: 30,
  saleFrom: new Date(Date.now() - 86_400_000).toISOString(),
  saleTo: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  description: '说明',
  coverFileId: null,
  courseIds: [courseId],
  published: true,
  ...over,
});

describe('学习计划管理 (staff)', () => {
  it('the training centre creates a plan with a cover; the portal lists it; a price change leaves orders alone', async () => {
    const op = await staff(['training-operator']);
    const cover = await op.request(
      'POST',
      '/api/training-plans/covers',
      undefined,
      multipartFile({}, { data: await png(640, 360), filename: 'cover.png', type: 'image/png' }),
    );
    expect(cover.statusCode, cover.body).toBe(200);
    const created = await op.post('/api/training-plans', plan({ coverFileId: cover.json().id }));
    expect(created.statusCode, created.body).toBe(200);
    const p = created.json();
    expect(p).toMatchObject({ onSale: true, totalHours: 30 });
    const portal = new Client(env.publicApp);
    expect((await portal.get('/api/plans')).json().items.map((x: { id: string }) => x.id)).toContain(p.id);
    expect((await portal.get(`/api/plans/${p.id}/cover`)).headers['content-type']).toBe('image/png');

    const buyer = await learner(env);
    const order = (await buyer.c.post('/api/orders', { planId: p.id, invoice: LATER })).json();
    const changed = await op.request('PUT', `/api/training-plans/${p.id}`, {
      ...plan(),
      name: p.name,
      priceFen: 15_000,
    });
    expect(changed.json().priceFen).toBe(15_000);
    expect((await buyer.c.get(`/api/orders/${order.id}`)).json().amountFen).toBe(12_000);
  });

  it('refuses a cover that is not an uploaded cover, bad input with the field named, and other roles', async () => {
    const op = await staff(['training-operator']);
    const bogus = await op.post('/api/training-plans', plan({ coverFileId: crypto.randomUUID() }));
    expect(bogus.statusCode).toBe(400);
    expect(bogus.json().fields.coverFileId).toBe('封面图片无效，请重新上传');
    const bad = await op.post(
      '/api/training-plans',
      plan({ priceFen: 12.5, saleTo: new Date(0).toISOString(), courseIds: ['数字经济'] }),
    );
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().fields)).toEqual(expect.arrayContaining(['priceFen', 'courseIds.0']));
    const reviewer = await staff(['reviewer']);
    expect((await reviewer.get('/api/training-plans')).statusCode).toBe(403);
    expect((await new Client(env.staffApp, 'cpe_staff_csrf').get('/api/training-plans')).statusCode).toBe(401);
    // Staff routes do not exist on the public listener.
    expect((await new Client(env.publicApp).get('/api/training-plans')).statusCode).toBe(404);
  });
});

describe('订单管理 (staff)', () => {
  it("lists every buyer's orders with masked IDs, shows attempts and notifications, exports; other roles refused", async () => {
    const op = await staff(['training-operator']);
    // A plan named like a formula: the export must keep it text (see below).
    const formula = `=HYPERLINK("http://x","y")${crypto.randomBytes(2).toString('hex')}`;
    const p = (await op.post('/api/training-plans', plan({ name: formula }))).json();
    expect(p.name).toBe(formula);
    const buyer = await learner(env);
    const order = (await buyer.c.post('/api/orders', { planId: p.id, invoice: LATER })).json();
    const t = await startPayment(buyer.c, order.id);
    await payAndDeliver(env, t.tradeId);

    const byId = (await op.get(`/api/admin/orders?buyer=${buyer.p.idNumber}`)).json();
    expect(byId.items.map((o: { id: string }) => o.id)).toEqual([order.id]);
    expect(byId.items[0]).toMatchObject({ status: 'paid', buyerName: buyer.p.realName, amountFen: 12_000 });
    expect(byId.items[0].buyerIdMasked).not.toBe(buyer.p.idNumber);
    expect(byId.items[0].buyerIdMasked).toMatch(/\*/);
    expect(byId.paidFen).toBe(12_000);
    const byName = (await op.get(`/api/admin/orders?buyer=${encodeURIComponent(buyer.p.realName)}&status=paid`)).json();
    expect(byName.items.some((o: { id: string }) => o.id === order.id)).toBe(true);

    const detail = (await op.get(`/api/admin/orders/${order.id}`)).json();
    expect(detail.enrolled).toBe(1);
    expect(detail.payments).toHaveLength(1);
    expect(detail.payments[0]).toMatchObject({ status: 'paid', channel: 'alipay', provider: 'local' });
    expect(detail.notifications.map((n: { outcome: string }) => n.outcome)).toContain('paid');

    const xlsx = await op.get(`/api/admin/orders/export?orderNo=${order.orderNo}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    const row = ((ws.getRow(2).values ?? []) as unknown[]).slice(1);
    // The plan's name stays text behind the apostrophe: never a formula, in exceljs's eyes or in the file's XML.
    expect(row.slice(0, 5)).toEqual([1, order.orderNo, `'${formula}`, '个人购买', buyer.p.realName]);
    expect(ws.getCell('C2').type).toBe(ExcelJS.ValueType.String);
    expect(hasFormula(xlsx.rawPayload)).toBe(false);
    expect(row).not.toContain(buyer.p.idNumber);
    // 金额 in 元, 状态 and 支付方式 as the screens label them, times as date cells in China time.
    expect(row.slice(6, 10)).toEqual([1, 120, '已支付', '支付宝']);
    expect(ws.getCell('H2').numFmt).toBe('0.00');
    const listed = byId.items[0];
    for (const [cell, at] of [
      ['K2', listed.createdAt],
      ['L2', listed.paidAt],
    ] as const) {
      expect(ws.getCell(cell).value, cell).toBeInstanceOf(Date);
      expect(ws.getCell(cell).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
      expect((ws.getCell(cell).value as Date).toISOString()).toBe(chinaCellTime(at));
    }

    const reviewer = await staff(['reviewer']);
    expect((await reviewer.get('/api/admin/orders')).statusCode).toBe(403);
    expect((await op.get('/api/admin/orders?createdFrom=2026-13-01')).statusCode).toBe(400);
    expect((await op.get(`/api/admin/orders/${crypto.randomUUID()}`)).statusCode).toBe(404);
  });
});
