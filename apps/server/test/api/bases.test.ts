import crypto from 'node:crypto';
import { type ApplicationData, EDUCATION_BASE, ENGINEER_BASE } from '@cpe/shared';
import { platformDay } from '@cpe/shared/platform-zone';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { applications } from '../../src/db/schema/index.js';
import type { ApplicationRow } from '../../src/modules/applications/applications.repo.js';
import { addDays, validToOf } from '../../src/modules/bases/bases.service.js';
import { cityReviewer, districtStaff, fillAll, unitAdmin } from '../applications-factories.js';
import { multipartFile, outbox, sliderToken } from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { nodeByName, PDF, staffReviewer } from '../units-factories.js';

const DAY = 86_400_000;
const CITY = '重庆市人力资源和社会保障局';
const YUZHONG = '渝中区人力资源和社会保障局';
const meta = { ip: '127.0.0.1', userAgent: 'vitest' };
const actor = {
  actorType: 'staff' as const,
  actorId: crypto.randomUUID(),
  actorName: '市局审核员',
  departmentName: CITY,
};

let env: TestEnv;
const exec = (q: ReturnType<typeof sql>) => env.ctx.db.execute(q);

interface Unit {
  id: string;
  name: string;
  adminId: string;
  phone: string;
}

/** An approved unit (registered and approved through the real services) located in `area`. */
async function unit(area: string): Promise<Unit> {
  const u = await unitAdmin(env, area);
  const row = (
    await exec(
      sql`select u.id::text as id, u.admin_account_id::text as admin, a.phone_enc as phone
          from units u join accounts a on a.id = u.admin_account_id where u.name = ${u.unitName}`,
    )
  ).rows[0] as { id: string; admin: string; phone: string };
  return { id: row.id, name: u.unitName, adminId: row.admin, phone: env.ctx.pii.decrypt(row.phone) };
}

/** A 基地申报 of the unit as the engine stores it (status approved, as 市人社局's final approval leaves it). */
async function baseApplication(u: Unit, type: string, field: string, area: string): Promise<ApplicationRow> {
  const [row] = await env.ctx.db
    .insert(applications)
    .values({
      type,
      year: Number(platformDay(env.clock.now()).slice(0, 4)),
      status: 'approved',
      filerKind: 'unit',
      unitId: u.id,
      filerName: u.name,
      filerArea: area,
      filerUnitType: '企业',
      createdByType: 'account',
      createdById: u.adminId,
      data: { basic: { unitName: u.name, field: ` ${field} ` } },
    })
    .returning();
  return row as ApplicationRow;
}

/** 市人社局's final approval runs the effect in its transaction; here it is called directly with that context. */
async function designate(u: Unit, type: string, field: string, area = '500103') {
  const app = await baseApplication(u, type, field, area);
  await env.ctx.db.transaction((tx) => env.ctx.bases.designate({ tx, app, actor, meta, now: env.clock.now() }));
  const row = (await exec(sql`select * from bases where application_id = ${app.id}`)).rows[0] as Record<
    string,
    unknown
  >;
  return { app, base: row as { id: string; number: string; valid_from: string; valid_to: string } };
}

/** A staff member with the given roles at a bureau (null: none, like the system administrator), signed in. */
async function staffAt(roles: Array<'reviewer' | 'sysadmin' | 'recovery-handler'>, nodeName: string | null) {
  const username = `bs${crypto.randomBytes(4).toString('hex')}`;
  await env.ctx.staff.ensure({
    username,
    password: 'Review@2026',
    displayName: '基地测试',
    roles,
    orgNodeId: nodeName ? await nodeByName(env, nodeName) : null,
  });
  const s = new Client(env.staffApp, 'cpe_staff_csrf');
  const res = await s.post('/api/sessions', {
    username,
    password: 'Review@2026',
    sliderToken: await sliderToken(s, new Client(env.publicApp)),
  });
  expect(res.statusCode, res.body).toBe(200);
  return s;
}

const auditOf = async (action: string, targetId?: string) =>
  (
    await exec(
      targetId
        ? sql`select * from audit_logs where action = ${action} and target_id = ${targetId} order by id`
        : sql`select * from audit_logs where action = ${action} order by id`,
    )
  ).rows as Array<{ actor_id: string; target_id: string; summary: Record<string, unknown> }>;

let uA: Unit; // 渝中区
let uB: Unit; // 大渡口区
let uC: Unit; // 渝中区
let city: Client;
let district: Client;
const ids: Record<string, string> = {};
const today = () => platformDay(env.clock.now());
const year = () => today().slice(0, 4);

beforeAll(async () => {
  env = await createTestEnv({ SESSION_IDLE_MINUTES: '600', SESSION_ABSOLUTE_HOURS: '48' });
  uA = await unit('500103');
  uB = await unit('500104');
  uC = await unit('500103');
  city = await staffReviewer(env, CITY);
  district = await staffReviewer(env, YUZHONG);
}, 120_000);

describe('有效期 and China dates', () => {
  it('runs three years from the approval date, less a day', () => {
    expect(validToOf('2026-05-20')).toBe('2029-05-19');
    expect(validToOf('2026-01-01')).toBe('2028-12-31');
    // 29 February has no anniversary: the period ends on 28 February.
    expect(validToOf('2028-02-29')).toBe('2031-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('takes the date in China, not in UTC', () => {
    expect(platformDay(new Date('2026-03-01T15:59:59Z'))).toBe('2026-03-01');
    expect(platformDay(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
  });
});

describe('认定 (approval effect)', () => {
  it('designates a 继续教育基地 with a consecutive number, 3-year validity, unit, field and area; audited', async () => {
    const first = await designate(uA, EDUCATION_BASE.key, '智能制造');
    const second = await designate(uB, EDUCATION_BASE.key, '现代农业', '500104');
    const eng = await designate(uC, ENGINEER_BASE.key, '集成电路');
    ids.a = first.base.id;
    ids.b = second.base.id;
    ids.c = eng.base.id;
    expect(first.base.number).toBe(`JXJY${year()}0001`);
    expect(second.base.number).toBe(`JXJY${year()}0002`);
    expect(eng.base.number).toBe(`GCS${year()}0001`);
    expect(first.base).toMatchObject({
      kind: 'education',
      unit_id: uA.id,
      unit_name: uA.name,
      field: '智能制造',
      area_code: '500103',
      valid_from: today(),
      valid_to: validToOf(today()),
      status: 'active',
      reminded_at: null,
    });
    expect(eng.base).toMatchObject({ kind: 'engineer', field: '集成电路' });

    const [entry] = await auditOf('base.designate', first.base.id);
    expect(entry).toMatchObject({ actor_id: actor.actorId });
    expect(entry?.summary).toMatchObject({ number: first.base.number, applicationId: first.app.id });
  });

  it('designates once per application: a second run of the effect fails and rolls back', async () => {
    const { app } = await designate(uC, EDUCATION_BASE.key, '数字经济');
    await expect(
      env.ctx.db.transaction((tx) => env.ctx.bases.designate({ tx, app, actor, meta, now: env.clock.now() })),
    ).rejects.toThrow();
    const n = (await exec(sql`select count(*)::int as n from bases where application_id = ${app.id}`)).rows[0];
    expect(n).toEqual({ n: 1 });
    ids.d = (
      (await exec(sql`select id::text as id from bases where application_id = ${app.id}`)).rows[0] as {
        id: string;
      }
    ).id;
  });
});

describe('继续教育基地名单 (public)', () => {
  const anon = () => new Client(env.publicApp);

  beforeAll(async () => {
    // An expired one (ended yesterday) and a revoked one: neither is public.
    const expired = await designate(uA, EDUCATION_BASE.key, '已过期领域');
    ids.expired = expired.base.id;
    await exec(sql`update bases set valid_to = ${addDays(today(), -1)} where id = ${expired.base.id}`);
    const revoked = await designate(uB, EDUCATION_BASE.key, '已撤销领域', '500104');
    ids.revoked = revoked.base.id;
    await exec(sql`update bases set status = 'revoked', revoke_reason = '测试' where id = ${revoked.base.id}`);
    // One ending today is still in force.
    const lastDay = await designate(uC, EDUCATION_BASE.key, '今日到期领域');
    ids.lastDay = lastDay.base.id;
    await exec(sql`update bases set valid_to = ${today()} where id = ${lastDay.base.id}`);
  });

  it('lists only active, unexpired bases of the kind, without a login, with the county name', async () => {
    const res = await anon().get('/api/bases');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const numbers = body.items.map((b: { id: string }) => b.id);
    expect(numbers.sort()).toEqual([ids.a, ids.b, ids.d, ids.lastDay].sort());
    expect(body.total).toBe(4);
    // Sorted by 有效期至: the one ending today first.
    expect(body.items[0].id).toBe(ids.lastDay);
    const a = body.items.find((b: { id: string }) => b.id === ids.a);
    expect(a).toEqual({
      id: ids.a,
      kind: 'education',
      number: `JXJY${year()}0001`,
      unitName: uA.name,
      field: '智能制造',
      areaCode: '500103',
      areaName: '渝中区',
      validFrom: today(),
      validTo: validToOf(today()),
    });
    // No internal fields leak.
    expect(a).not.toHaveProperty('unitId');

    const eng = (await anon().get('/api/bases?kind=engineer')).json();
    expect(eng.items.map((b: { id: string }) => b.id)).toEqual([ids.c]);
  });

  it('searches by unit name, number or field, and filters by district', async () => {
    const byName = (await anon().get(`/api/bases?keyword=${encodeURIComponent(uB.name.slice(-6))}`)).json();
    expect(byName.items.map((b: { id: string }) => b.id)).toEqual([ids.b]);
    const byNumber = (await anon().get(`/api/bases?keyword=JXJY${year()}0002`)).json();
    expect(byNumber.items.map((b: { id: string }) => b.id)).toEqual([ids.b]);
    const byField = (await anon().get(`/api/bases?keyword=${encodeURIComponent('智能')}`)).json();
    expect(byField.items.map((b: { id: string }) => b.id)).toEqual([ids.a]);
    const byArea = (await anon().get('/api/bases?area=500104')).json();
    expect(byArea.items.map((b: { id: string }) => b.id)).toEqual([ids.b]);
    // A LIKE wildcard is a character, not a pattern.
    expect((await anon().get('/api/bases?keyword=%25')).json().total).toBe(0);
  });

  it('pages', async () => {
    const p1 = (await anon().get('/api/bases?pageSize=3&page=1')).json();
    const p2 = (await anon().get('/api/bases?pageSize=3&page=2')).json();
    expect(p1).toMatchObject({ total: 4, page: 1, pageSize: 3 });
    expect(p1.items).toHaveLength(3);
    expect(p2.items).toHaveLength(1);
    const all = [...p1.items, ...p2.items].map((b: { id: string }) => b.id);
    expect(new Set(all).size).toBe(4);
  });

  it('rejects bad input naming the field', async () => {
    const kind = await anon().get('/api/bases?kind=other');
    expect(kind.statusCode).toBe(400);
    expect(kind.json().fields).toHaveProperty('kind');
    const area = await anon().get('/api/bases?area=999999');
    expect(area.statusCode).toBe(400);
    expect(area.json().fields.area).toBe('所在区县无效');
    expect((await anon().get('/api/bases?pageSize=500')).statusCode).toBe(400);
  });
});

describe('基地名单 (console)', () => {
  const idsOf = (body: { items: Array<{ id: string }> }) => body.items.map((b) => b.id).sort();

  it('shows 市人社局 every base with its status, 区县人社局 its district only, read-only', async () => {
    const all = await city.get('/api/admin/bases?kind=education&pageSize=100');
    expect(all.statusCode, all.body).toBe(200);
    expect(idsOf(all.json())).toEqual([ids.a, ids.b, ids.d, ids.expired, ids.revoked, ids.lastDay].sort());
    expect(all.json()).toMatchObject({ scope: null, canRevoke: true });
    const status = Object.fromEntries(all.json().items.map((b: { id: string; status: string }) => [b.id, b.status]));
    expect(status).toMatchObject({
      [ids.a as string]: 'valid',
      [ids.expired as string]: 'expired',
      [ids.revoked as string]: 'revoked',
      // Ends within 60 days.
      [ids.lastDay as string]: 'expiring',
    });
    // Sorted by 有效期至.
    expect(all.json().items[0].id).toBe(ids.expired);

    const mine = await district.get('/api/admin/bases?pageSize=100');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(idsOf(mine.json())).toEqual([ids.a, ids.c, ids.d, ids.expired, ids.lastDay].sort());
    expect(mine.json()).toMatchObject({ scope: { areaCode: '500103', name: YUZHONG }, canRevoke: false });
    // Another district's filter does not widen the scope.
    expect((await district.get('/api/admin/bases?area=500104')).json().total).toBe(0);

    const sysadmin = await staffReviewer(env, null, ['sysadmin']);
    expect((await sysadmin.get('/api/admin/bases?pageSize=100')).json().total).toBe(7);
  });

  it('filters by status, keyword and area', async () => {
    const q = (s: string) => city.get(`/api/admin/bases?kind=education&${s}`).then((r) => idsOf(r.json()));
    expect(await q('status=valid')).toEqual([ids.a, ids.b, ids.d, ids.lastDay].sort());
    expect(await q('status=expired')).toEqual([ids.expired]);
    expect(await q('status=revoked')).toEqual([ids.revoked]);
    expect(await q('area=500104')).toEqual([ids.b, ids.revoked].sort());
    expect(await q(`keyword=${encodeURIComponent('现代农业')}`)).toEqual([ids.b]);
    const bad = await city.get('/api/admin/bases?status=expiring');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toHaveProperty('status');
  });

  it('needs a staff login and a reviewer of 市人社局 or a 区县人社局 (or the system administrator)', async () => {
    expect((await new Client(env.staffApp, 'cpe_staff_csrf').get('/api/admin/bases')).statusCode).toBe(401);
    // A learner or unit administrator's portal session is not a staff session.
    const admin = await unitAdmin(env);
    expect((await admin.c.get('/api/admin/bases')).statusCode).toBe(404);
    const cookie = [...admin.c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const viaStaff = await env.staffApp.inject({ method: 'GET', url: '/api/admin/bases', headers: { cookie } });
    expect(viaStaff.statusCode).toBe(401);
    const other = await staffAt(['recovery-handler'], CITY);
    const res = await other.get('/api/admin/bases');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('BASE_FORBIDDEN');
  });
});

describe('撤销', () => {
  it('requires a reason of 2..500 characters, naming the field', async () => {
    for (const body of [{}, { reason: '' }, { reason: ' 撤 ' }, { reason: '理'.repeat(501) }]) {
      const res = await city.post(`/api/admin/bases/${ids.d}/revoke`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().fields).toHaveProperty('reason');
    }
    expect((await city.post('/api/admin/bases/not-a-uuid/revoke', { reason: '违规办学' })).statusCode).toBe(400);
  });

  it('is refused to a 区县人社局 reviewer and without a login', async () => {
    const res = await district.post(`/api/admin/bases/${ids.d}/revoke`, { reason: '违规办学' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('BASE_REVOKE_FORBIDDEN');
    const anon = new Client(env.staffApp, 'cpe_staff_csrf');
    expect((await anon.post(`/api/admin/bases/${ids.d}/revoke`, { reason: '违规办学' })).statusCode).toBe(401);
  });

  it('revokes: gone from the public list, kept in the console with its reason, audited, not twice', async () => {
    const before = (await new Client(env.publicApp).get('/api/bases?pageSize=50')).json();
    expect(before.items.map((b: { id: string }) => b.id)).toContain(ids.d);

    const res = await city.post(`/api/admin/bases/${ids.d}/revoke`, { reason: '  年度检查不合格  ' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: ids.d, status: 'revoked', revokeReason: '年度检查不合格' });
    expect(res.json().revokedAt).toBeTruthy();

    const after = (await new Client(env.publicApp).get('/api/bases?pageSize=50')).json();
    expect(after.items.map((b: { id: string }) => b.id)).not.toContain(ids.d);
    expect(after.total).toBe(before.total - 1);

    const [entry] = await auditOf('base.revoke', ids.d);
    expect(entry?.summary).toMatchObject({ reason: '年度检查不合格' });

    const again = await city.post(`/api/admin/bases/${ids.d}/revoke`, { reason: '重复撤销' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('BASE_STATE');
    const missing = await city.post(`/api/admin/bases/${crypto.randomUUID()}/revoke`, { reason: '违规办学' });
    expect(missing.statusCode).toBe(404);
  });
});

describe('导出Excel', () => {
  async function sheet(c: Client, query: string) {
    const res = await c.get(`/api/admin/bases/export${query}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain("filename*=UTF-8''");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    if (!ws) throw new Error('no sheet');
    const rows: unknown[][] = [];
    ws.eachRow((r) => {
      rows.push((r.values as unknown[]).slice(1));
    });
    return rows;
  }

  it('exports the filtered list with real dates and labels; audited', async () => {
    const rows = await sheet(city, '?kind=education&status=revoked');
    expect(rows[0]).toEqual([
      '序号',
      '编号',
      '基地类型',
      '单位名称',
      '专业领域',
      '所在区县',
      '有效期起',
      '有效期至',
      '状态',
      '撤销原因',
    ]);
    expect(rows).toHaveLength(3);
    const d = rows.find((r) => r[4] === '数字经济') as unknown[];
    expect(d.slice(2, 6)).toEqual(['继续教育基地', uC.name, '数字经济', '渝中区']);
    expect(d[6]).toBeInstanceOf(Date);
    expect((d[6] as Date).toISOString().slice(0, 10)).toBe(today());
    expect(d.slice(8)).toEqual(['已撤销', '年度检查不合格']);

    const [entry] = (await auditOf('base.export')).slice(-1);
    expect(entry?.summary).toMatchObject({ rows: 2, filter: { kind: 'education', status: 'revoked' } });
  });

  it('exports only its district for a 区县人社局, and nothing without a login', async () => {
    const rows = await sheet(district, '');
    expect(rows.slice(1).map((r) => r[5])).toEqual(Array(rows.length - 1).fill('渝中区'));
    expect(rows).toHaveLength(6);
    expect((await new Client(env.staffApp, 'cpe_staff_csrf').get('/api/admin/bases/export')).statusCode).toBe(401);
  });
});

/** A complete 继续教育基地申报 filed and submitted through the API by a unit administrator. */
async function fileBase(c: Client, unitName: string, field: string) {
  const created = await c.post('/api/applications', { type: EDUCATION_BASE.key });
  expect(created.statusCode, created.body).toBe(200);
  const id = created.json().id as string;
  const data: ApplicationData = {
    basic: {
      unitName,
      nature: '企业',
      field,
      fullTimeStaff: 5,
      partTimeStaff: 8,
      facilities: '培训教室3间、实训车间1200平方米、多媒体设备齐全',
      contactName: '钱联系',
      contactPhone: '023-63891234',
    },
    teachers: { teachers: [{ name: '李明', title: '教授', field: '人工智能', employer: '重庆大学', type: '兼职' }] },
    history: { trainings: [{ year: Number(year()) - 1, project: '智能制造专题培训', persons: 120, hours: 24 }] },
    reason: { reason: '本单位长期承担全市智能制造领域专业技术人员培训，具备申报继续教育基地的条件。' },
  };
  await fillAll(c, id, data);
  const file = await c.request(
    'POST',
    `/api/applications/${id}/attachments`,
    undefined,
    multipartFile({}, { data: PDF, filename: '培训管理制度.pdf', type: 'application/pdf' }),
  );
  expect(file.statusCode, file.body).toBe(200);
  const rules = await c.request('PUT', `/api/applications/${id}/sections/rules`, { files: [file.json()] });
  expect(rules.statusCode, rules.body).toBe(200);
  const res = await c.post(`/api/applications/${id}/submit`);
  expect(res.statusCode, res.body).toBe(200);
  return id;
}

describe('认定 through the review chain', () => {
  it('主管部门 → 区县人社局 → 市人社局: only the final approval designates the base', async () => {
    const dept = await unitAdmin(env, '500103', { category: 'department' });
    const applicant = await unitAdmin(env, '500103', { reviewerNodeId: dept.nodeId as string });
    const id = await fileBase(applicant.c, applicant.unitName, '工业互联网');
    const approve = (c: Client) => c.post(`/api/application-reviews/${id}/approve`, { opinion: '' });
    const designated = async () =>
      (await city.get(`/api/admin/bases?keyword=${encodeURIComponent('工业互联网')}`)).json().items;

    expect((await approve(dept.c)).statusCode).toBe(200);
    expect((await approve(await districtStaff(env))).statusCode).toBe(200);
    expect(await designated()).toEqual([]);
    const final = await approve(await cityReviewer(env));
    expect(final.statusCode, final.body).toBe(200);

    const [base] = await designated();
    expect(base).toMatchObject({
      kind: 'education',
      applicationId: id,
      unitName: applicant.unitName,
      field: '工业互联网',
      areaCode: '500103',
      areaName: '渝中区',
      validFrom: today(),
      validTo: validToOf(today()),
      status: 'valid',
    });
    expect(base.number).toMatch(new RegExp(`^JXJY${year()}\\d{4}$`));
    const pub = (await new Client(env.publicApp).get(`/api/bases?keyword=${base.number}`)).json();
    expect(pub.items.map((b: { id: string }) => b.id)).toEqual([base.id]);
    expect(await auditOf('base.designate', base.id)).toHaveLength(1);
  });
});

describe('到期提醒', () => {
  it('texts the unit administrator once, 60 days before 有效期至', async () => {
    const u = await unit('500105');
    const { base } = await designate(u, ENGINEER_BASE.key, '新能源汽车', '500105');
    const texts = async () =>
      (await outbox(new Client(env.publicApp), `kind=sms&to=${u.phone}`)).filter((x) => x.purpose === 'base-expiring');

    // Move to 61 days before the end (China date): not yet.
    const target = new Date(`${addDays(base.valid_to, -61)}T10:00:00+08:00`).getTime();
    env.clock.advance(target - env.clock.now().getTime());
    await env.ctx.jobs.runDue();
    expect(await texts()).toHaveLength(0);

    env.clock.advance(DAY);
    await env.ctx.jobs.runDue();
    const sent = await texts();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.code).toContain(u.name);
    expect(sent[0]?.code).toContain(`工程师基地（编号${base.number}）`);
    const [y, m, d] = base.valid_to.split('-').map(Number);
    expect(sent[0]?.code).toContain(`有效期至${y}年${m}月${d}日`);
    const row = (await exec(sql`select reminded_at from bases where id = ${base.id}`)).rows[0] as {
      reminded_at: unknown;
    };
    expect(row.reminded_at).not.toBeNull();
    expect(await auditOf('base.remind', base.id)).toHaveLength(1);

    // Later sweeps (the next hour, the next days) send nothing more.
    env.clock.advance(2 * 60 * 60_000);
    await env.ctx.jobs.runDue();
    env.clock.advance(10 * DAY);
    await env.ctx.jobs.runDue();
    expect(await texts()).toHaveLength(1);
  });
});
