import { platformDay, platformYear } from '@cpe/shared/platform-zone';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLogs, messages } from '../../src/db/schema/index.js';
import { unitAdmin } from '../applications-factories.js';
import { multipartFile } from '../factories.js';
import { type Client, createTestEnv, type TestEnv } from '../harness.js';
import { pdfsig, verifyPdfSignature } from '../pdf-signature.js';
import { learner, staffWith } from '../purchase-factories.js';
import { PDF, png, staffReviewer } from '../units-factories.js';

/**
 * 学时登记 (issue 19 §2): the person files with evidence and no more 学时 than the 学时折算标准 allows → the confirmed
 * 工作单位 confirms or returns → the 区县人社局 of the unit 认定s or returns; withdraw and resubmit; every status change
 * allowed and refused, wrong scope 403, evidence visible only along the chain, history, audit and messages; the
 * 学时折算标准 editor; the signed 学时证明 and its public verification.
 */
let env: TestEnv;
let unitA: Awaited<ReturnType<typeof unitAdmin>>;
let unitB: Awaited<ReturnType<typeof unitAdmin>>;
let unitAId: string;
let yuzhong: Client;
let jiangbei: Client;
let city: Client;
let standards: Array<{
  id: string;
  form: string;
  level: string;
  basis: string;
  hours: number;
  yearlyCap: number | null;
}>;
let year: number;
let today: string;

const std = (form: string, level = '') =>
  standards.find((s) => s.form === form && s.level === level) as (typeof standards)[number];

async function uploadEvidence(c: Client, data: Buffer, filename = '会议照片.png', type = 'image/png') {
  return c.request('POST', '/api/my/credits/files', undefined, multipartFile({}, { data, filename, type }));
}

/** A person who is a confirmed member of unit A. */
async function member() {
  const p = await learner(env);
  expect((await p.c.post('/api/me/work-unit/requests', { unitId: unitAId })).statusCode).toBe(200);
  const pending = (await unitA.c.get('/api/unit-center/members?status=pending')).json();
  const row = pending.items.find((m: { realName: string }) => m.realName === p.p.realName);
  expect((await unitA.c.post(`/api/unit-center/members/${row.id}/confirm`, {})).statusCode).toBe(200);
  const file = await uploadEvidence(p.c, await png());
  expect(file.statusCode, file.body).toBe(200);
  return { ...p, fileId: file.json().id as string };
}

const claim = (fileId: string, over: Record<string, unknown> = {}) => ({
  standardId: std('学术会议').id,
  title: '全国智能建造学术年会',
  host: '中国建筑学会',
  startedOn: today,
  endedOn: today,
  content: '参加年会主题报告和分论坛交流',
  hours: 8,
  evidenceFileIds: [fileId],
  ...over,
});

async function file(p: Awaited<ReturnType<typeof member>>, over: Record<string, unknown> = {}) {
  const res = await p.c.post('/api/my/credits/claims', claim(p.fileId, over));
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: string; status: string; hours: number };
}

const yearOf = async (c: Client) =>
  (
    (await c.get('/api/my/credits')).json().years as Array<{
      year: number;
      hours: number;
      pendingHours: number;
      professionalHours: number;
    }>
  ).find((y) => y.year === year) as { hours: number; pendingHours: number; professionalHours: number };

beforeAll(async () => {
  env = await createTestEnv();
  unitA = await unitAdmin(env);
  unitB = await unitAdmin(env, '500105');
  const p = await learner(env);
  const found = (await p.c.get(`/api/work-units?keyword=${encodeURIComponent(unitA.unitName)}`)).json().items;
  unitAId = found[0].id;
  yuzhong = await staffReviewer(env, '渝中区人力资源和社会保障局');
  jiangbei = await staffReviewer(env, '江北区人力资源和社会保障局');
  city = await staffReviewer(env, null);
  today = platformDay(env.clock.now());
  year = platformYear(env.clock.now());
  standards = (await p.c.get(`/api/my/credits/standards?year=${year}`)).json().items;
});

describe('学时登记', () => {
  it('lists the 学时折算标准 with what the person used; refuses bad input on the field, losing nothing', async () => {
    expect(std('学术会议')).toMatchObject({ basis: 'day', hours: 8, yearlyCap: 40 });
    expect(std('论文论著', '核心期刊')).toMatchObject({ basis: 'item', hours: 30 });
    const p = await member();
    const bad = async (over: Record<string, unknown>, field: string, code = 'VALIDATION_FAILED') => {
      const res = await p.c.post('/api/my/credits/claims', claim(p.fileId, over));
      expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.json().code).toBe(code);
      expect(Object.keys(res.json().fields ?? {})).toContain(field);
      return res.json();
    };
    // Two days of 学术会议 allow 16; 17 is refused with the maximum named.
    const twoDays = { startedOn: '2000-01-01', endedOn: '2000-01-02' };
    expect((await bad({ ...twoDays, hours: 17 }, 'hours', 'CREDIT_HOURS_OVER')).fields.hours).toContain('16');
    await bad({ endedOn: '2999-01-01', startedOn: '2999-01-01' }, 'endedOn', 'CREDIT_DATE_FUTURE');
    await bad({ startedOn: today, endedOn: '2000-01-01' }, 'endedOn');
    await bad({ endedOn: '2025-02-30' }, 'endedOn');
    await bad({ title: '年' }, 'title');
    await bad({ hours: 0 }, 'hours');
    await bad({ evidenceFileIds: [] }, 'evidenceFileIds');
    await bad({ standardId: crypto.randomUUID() }, 'standardId');
    // Another person's upload is not evidence of this claim.
    const other = await member();
    await bad({ evidenceFileIds: [other.fileId] }, 'evidenceFileIds');
    // Nothing half-written.
    expect((await p.c.get('/api/my/credits')).json().items).toEqual([]);
    // Less than the maximum is fine (the person may claim less, never more).
    const ok = await p.c.post('/api/my/credits/claims', claim(p.fileId, { ...twoDays, hours: 12 }));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'pending-unit', statusLabel: '待单位确认', year: 2000, hours: 12 });
  });

  it('evidence is checked by content; a person without a confirmed unit cannot file', async () => {
    const p = await learner(env);
    const text = await uploadEvidence(p.c, Buffer.from('not an image at all'), 'x.png');
    expect(text.statusCode).toBe(400);
    expect(text.json().code).toBe('UPLOAD_INVALID');
    const pdf = await uploadEvidence(p.c, PDF, '通知.pdf', 'application/pdf');
    expect(pdf.statusCode, pdf.body).toBe(200);
    const res = await p.c.post('/api/my/credits/claims', claim(pdf.json().id));
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('CREDIT_NO_UNIT');
    expect((await p.c.get(`/api/my/credits/files/${pdf.json().id}`)).statusCode).toBe(200);
    const stranger = await learner(env);
    expect((await stranger.c.get(`/api/my/credits/files/${pdf.json().id}`)).statusCode).toBe(404);
  });

  it('file → unit confirms → 区县 认定s: the year total moves by exactly that amount; history, audit, messages', async () => {
    const p = await member();
    const before = await yearOf(p.c);
    const entry = await file(p, { hours: 8 });
    expect(await yearOf(p.c)).toMatchObject({ hours: before.hours, pendingHours: before.pendingHours + 8 });

    // Only unit A's administrator sees and decides it.
    const queueA = (await unitA.c.get('/api/unit-center/credit-claims')).json();
    const row = queueA.items.find((x: { id: string }) => x.id === entry.id);
    expect(row).toMatchObject({ holderName: p.p.realName, unitName: unitA.unitName, standardHours: 8 });
    expect(row.idNumberMasked).not.toBe(p.p.idNumber);
    expect(queueA.pending).toBeGreaterThanOrEqual(1);
    expect((await unitA.c.get('/api/unit-center/pending')).json().creditClaims).toBe(queueA.pending);
    expect((await unitB.c.get('/api/unit-center/credit-claims')).json().items).toEqual([]);
    expect((await unitB.c.post(`/api/unit-center/credit-claims/${entry.id}/confirm`, {})).statusCode).toBe(403);
    expect((await p.c.get('/api/unit-center/credit-claims')).statusCode).toBe(403);
    expect((await p.c.post(`/api/unit-center/credit-claims/${entry.id}/confirm`, {})).statusCode).toBe(403);
    expect((await unitB.c.get(`/api/unit-center/credit-claims/${entry.id}/files/${p.fileId}`)).statusCode).toBe(403);
    const evidence = await unitA.c.get(`/api/unit-center/credit-claims/${entry.id}/files/${p.fileId}`);
    expect(evidence.statusCode).toBe(200);
    expect(evidence.headers['content-type']).toContain('image/png');
    // Not the bureau's yet: no bureau's scope holds it before the unit passes it on.
    expect((await yuzhong.post(`/api/admin/credit-claims/${entry.id}/recognise`, {})).statusCode).toBe(403);

    const confirmed = await unitA.c.post(`/api/unit-center/credit-claims/${entry.id}/confirm`, {});
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'pending-bureau', statusLabel: '待认定' });
    const twice = await unitA.c.post(`/api/unit-center/credit-claims/${entry.id}/confirm`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('CREDIT_STATE');
    expect(
      (await unitA.c.get('/api/unit-center/credit-claims?status=done')).json().items.map((x: { id: string }) => x.id),
    ).toContain(entry.id);

    // 渝中区 (the unit's district) 认定s; 江北区 neither sees nor decides it; 市人社局 sees it.
    expect(
      (await jiangbei.get('/api/admin/credit-claims')).json().items.some((x: { id: string }) => x.id === entry.id),
    ).toBe(false);
    expect((await jiangbei.post(`/api/admin/credit-claims/${entry.id}/recognise`, {})).statusCode).toBe(403);
    expect((await jiangbei.get(`/api/admin/credit-claims/${entry.id}/files/${p.fileId}`)).statusCode).toBe(403);
    expect(
      (await city.get('/api/admin/credit-claims')).json().items.some((x: { id: string }) => x.id === entry.id),
    ).toBe(true);
    const operator = await staffWith(env, ['training-operator']);
    expect((await operator.get('/api/admin/credit-claims')).statusCode).toBe(403);
    expect((await yuzhong.get(`/api/admin/credit-claims/${entry.id}/files/${p.fileId}`)).statusCode).toBe(200);
    const recognised = await yuzhong.post(`/api/admin/credit-claims/${entry.id}/recognise`, {});
    expect(recognised.statusCode, recognised.body).toBe(200);
    expect(recognised.json()).toMatchObject({ status: 'confirmed', statusLabel: '已认定' });
    expect((await yuzhong.post(`/api/admin/credit-claims/${entry.id}/recognise`, {})).statusCode).toBe(409);
    expect((await p.c.post(`/api/my/credits/claims/${entry.id}/withdraw`, {})).statusCode).toBe(409);

    const after = await yearOf(p.c);
    expect(after.hours).toBe(before.hours + 8);
    expect(after.professionalHours).toBe(before.professionalHours + 8);
    expect(after.pendingHours).toBe(before.pendingHours);
    const mine = (await p.c.get('/api/my/credits')).json().items.find((x: { id: string }) => x.id === entry.id);
    expect(mine.events.map((e: { action: string }) => e.action)).toEqual(['file', 'unit-confirm', 'recognise']);
    expect(mine.events[1].actorName).toContain(unitA.unitName);
    expect(mine.events[2].actorName).toContain('渝中区');
    expect(mine.evidence).toEqual([{ id: p.fileId, name: '会议照片.png', mime: 'image/png' }]);

    const audits = await env.ctx.db
      .select({ action: auditLogs.action })
      .from(auditLogs)
      .where(eq(auditLogs.targetId, entry.id));
    expect(audits.map((a) => a.action).sort()).toEqual(['credit.file', 'credit.recognise', 'credit.unit-confirm']);
    const events = await env.ctx.db.select({ event: messages.event }).from(messages);
    expect(events.map((m) => m.event)).toEqual(
      expect.arrayContaining(['credit-claim-unit-confirmed', 'credit-claim-recognised']),
    );
  });

  it('退回 at either step needs a reason and reaches the person; resubmit and withdraw follow the table', async () => {
    const p = await member();
    const a = await file(p, { title: '单位退回的会议' });
    expect((await unitA.c.post(`/api/unit-center/credit-claims/${a.id}/return`, { reason: '' })).statusCode).toBe(400);
    const returned = await unitA.c.post(`/api/unit-center/credit-claims/${a.id}/return`, {
      reason: '会议通知与照片不符',
    });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json()).toMatchObject({
      status: 'rejected',
      statusLabel: '不予认定',
      reason: '会议通知与照片不符',
    });
    expect((await p.c.post(`/api/my/credits/claims/${a.id}/withdraw`, {})).json().code).toBe('CREDIT_STATE');

    // 修改后重新提交 → the unit again.
    const again = await p.c.request(
      'PUT',
      `/api/my/credits/claims/${a.id}`,
      claim(p.fileId, { title: '单位退回的会议（补充通知）' }),
    );
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ status: 'pending-unit', reason: null, title: '单位退回的会议（补充通知）' });
    // Someone else's claim is not theirs to touch.
    const stranger = await member();
    expect((await stranger.c.post(`/api/my/credits/claims/${a.id}/withdraw`, {})).statusCode).toBe(404);
    expect((await stranger.c.request('PUT', `/api/my/credits/claims/${a.id}`, claim(stranger.fileId))).statusCode).toBe(
      404,
    );

    // Withdraw while pending; a withdrawn one may be filed again; never twice withdrawn.
    expect((await p.c.post(`/api/my/credits/claims/${a.id}/withdraw`, {})).json().status).toBe('withdrawn');
    expect((await p.c.post(`/api/my/credits/claims/${a.id}/withdraw`, {})).statusCode).toBe(409);
    expect((await unitA.c.post(`/api/unit-center/credit-claims/${a.id}/confirm`, {})).statusCode).toBe(409);
    expect((await p.c.request('PUT', `/api/my/credits/claims/${a.id}`, claim(p.fileId))).json().status).toBe(
      'pending-unit',
    );

    // The bureau returns too, with its reason; a pending-bureau one can still be withdrawn.
    expect((await unitA.c.post(`/api/unit-center/credit-claims/${a.id}/confirm`, {})).statusCode).toBe(200);
    const bureau = await yuzhong.post(`/api/admin/credit-claims/${a.id}/return`, { reason: '非继续教育内容' });
    expect(bureau.statusCode, bureau.body).toBe(200);
    expect(bureau.json()).toMatchObject({ status: 'rejected', reason: '非继续教育内容' });
    const b = await file(p, { title: '待认定时撤回' });
    expect((await unitA.c.post(`/api/unit-center/credit-claims/${b.id}/confirm`, {})).statusCode).toBe(200);
    expect((await p.c.post(`/api/my/credits/claims/${b.id}/withdraw`, {})).json().status).toBe('withdrawn');
    expect((await yuzhong.post(`/api/admin/credit-claims/${b.id}/recognise`, {})).statusCode).toBe(409);
    const msgs = await env.ctx.db
      .select({ body: messages.body })
      .from(messages)
      .where(eq(messages.event, 'credit-claim-returned'));
    expect(msgs.map((m) => m.body).join()).toContain('非继续教育内容');
  });

  it('the form’s yearly cap counts pending and recognised claims, not withdrawn ones', async () => {
    const p = await member();
    // 学术会议: cap 40 a year; five days = 40.
    const five = { startedOn: '2001-03-01', endedOn: '2001-03-05', hours: 40 };
    const big = await file(p, five);
    const more = await p.c.post(
      '/api/my/credits/claims',
      claim(p.fileId, { startedOn: '2001-04-01', endedOn: '2001-04-01', hours: 1 }),
    );
    expect(more.statusCode).toBe(400);
    expect(more.json().fields.hours).toContain('上限40');
    const used = (await p.c.get('/api/my/credits/standards?year=2001'))
      .json()
      .items.find((s: { form: string }) => s.form === '学术会议');
    expect(used.usedThisYear).toBe(40);
    await p.c.post(`/api/my/credits/claims/${big.id}/withdraw`, {});
    expect(
      (
        await p.c.post(
          '/api/my/credits/claims',
          claim(p.fileId, { startedOn: '2001-04-01', endedOn: '2001-04-01', hours: 8 }),
        )
      ).statusCode,
    ).toBe(200);
  });

  it('the 学时折算标准 editor: training centre only, duplicates refused, a stopped form cannot be filed', async () => {
    const operator = await staffWith(env, ['training-operator']);
    expect((await yuzhong.get('/api/admin/credit-standards')).statusCode).toBe(403);
    const list = (await operator.get('/api/admin/credit-standards')).json().items;
    expect(list.length).toBeGreaterThanOrEqual(8);
    const input = {
      form: '技能竞赛',
      level: '',
      category: 'professional',
      basis: 'item',
      hours: 10,
      yearlyCap: 20,
      active: true,
      sort: 70,
    };
    const created = await operator.post('/api/admin/credit-standards', input);
    expect(created.statusCode, created.body).toBe(200);
    expect((await operator.post('/api/admin/credit-standards', input)).json().code).toBe('CREDIT_STANDARD_EXISTS');
    expect((await operator.post('/api/admin/credit-standards', { ...input, hours: 0 })).statusCode).toBe(400);
    const id = created.json().id;
    const stopped = await operator.request('PUT', `/api/admin/credit-standards/${id}`, { ...input, active: false });
    expect(stopped.json().active).toBe(false);
    const p = await member();
    const res = await p.c.post('/api/my/credits/claims', claim(p.fileId, { standardId: id, hours: 5 }));
    expect(res.json().code).toBe('CREDIT_STANDARD_INACTIVE');
    expect(
      (await p.c.get(`/api/my/credits/standards?year=${year}`)).json().items.some((s: { id: string }) => s.id === id),
    ).toBe(false);
    const audits = await env.ctx.db
      .select({ action: auditLogs.action })
      .from(auditLogs)
      .where(and(eq(auditLogs.targetId, id)));
    expect(audits.map((a) => a.action).sort()).toEqual(['credit-standard.create', 'credit-standard.update']);
  });
});

describe('学时证明', () => {
  it('is refused without 已认定 学时; signed, stable while the record is, new when it changes; publicly verifiable', async () => {
    const p = await member();
    const none = await p.c.get(`/api/my/credits/proof?yearFrom=${year}&yearTo=${year}`);
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe('CREDIT_PROOF_EMPTY');
    expect((await p.c.get(`/api/my/credits/proof?yearFrom=${year}&yearTo=${year - 1}`)).statusCode).toBe(400);
    expect((await p.c.get(`/api/my/credits/proof?yearFrom=${year - 5}&yearTo=${year}`)).statusCode).toBe(400);

    const e = await file(p, { hours: 8 });
    await unitA.c.post(`/api/unit-center/credit-claims/${e.id}/confirm`, {});
    await yuzhong.post(`/api/admin/credit-claims/${e.id}/recognise`, {});
    const first = await p.c.get(`/api/my/credits/proof?yearFrom=${year}&yearTo=${year}`);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['content-type']).toContain('application/pdf');
    const name = decodeURIComponent(String(first.headers['content-disposition']).split("''")[1] ?? '');
    const certNo = /学时证明-(XS\d{12})\.pdf/.exec(name)?.[1] as string;
    expect(certNo).toBeTruthy();
    expect(first.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(verifyPdfSignature(first.rawPayload)).toMatchObject({
      valid: true,
      wholeDocument: true,
      subFilter: 'ETSI.CAdES.detached',
    });
    const poppler = pdfsig(first.rawPayload);
    if (poppler === null && process.env.CI === 'true') throw new Error('CI=true but pdfsig (poppler-utils) is missing');
    if (poppler !== null) expect(poppler).toContain('Signature is Valid');
    const again = await p.c.get(`/api/my/credits/proof?yearFrom=${year}&yearTo=${year}`);
    expect(again.rawPayload.equals(first.rawPayload)).toBe(true);

    const verify = await p.c.get(`/api/verify/certificates/${certNo}`);
    expect(verify.statusCode, verify.body).toBe(200);
    expect(verify.json()).toMatchObject({
      kind: 'credit-proof',
      kindLabel: '学时证明',
      year,
      yearFrom: year,
      hours: 8,
      professionalHours: 8,
      publicHours: 0,
      met: false,
      status: 'valid',
    });
    expect(verify.json().holderNameMasked).not.toBe(p.p.realName);
    expect(JSON.stringify(verify.json())).not.toContain(p.p.idNumber.slice(6, 14));

    // A new 认定 makes a new proof; the old number still verifies what it printed.
    const e2 = await file(p, { hours: 8, title: '第二次会议' });
    await unitA.c.post(`/api/unit-center/credit-claims/${e2.id}/confirm`, {});
    await yuzhong.post(`/api/admin/credit-claims/${e2.id}/recognise`, {});
    const second = await p.c.get(`/api/my/credits/proof?yearFrom=${year}&yearTo=${year}`);
    const certNo2 = /XS\d{12}/.exec(decodeURIComponent(String(second.headers['content-disposition'])))?.[0];
    expect(certNo2).not.toBe(certNo);
    expect((await p.c.get(`/api/verify/certificates/${certNo2}`)).json().hours).toBe(16);
    expect((await p.c.get(`/api/verify/certificates/${certNo}`)).json().hours).toBe(8);
    expect((await p.c.get('/api/verify/certificates/XS000000000000')).statusCode).toBe(404);
  });
});

describe('学时认定 by district (the default)', () => {
  it('no 主管部门 has 学时认定 in 单位中心: the district decides', async () => {
    const department = await unitAdmin(env, '500103', { category: 'department' });
    const keys = ((await department.c.get('/api/unit-center')).json().menu as Array<{ key: string }>).map((m) => m.key);
    expect(keys).toContain('unit-reviews');
    expect(keys).not.toContain('credit-recognition');
  });
});

describe('学时提醒', () => {
  it('reaches every current member below target once a day; audited; only the unit’s administrator', async () => {
    const p = await member();
    // Someone who left this year still counts in the year's 未达标, but is no longer the unit's to remind.
    const gone = await member();
    const goneRow = (
      await unitA.c.get(`/api/unit-center/members?status=confirmed&keyword=${encodeURIComponent(gone.p.realName)}`)
    )
      .json()
      .items.find((m: { realName: string }) => m.realName === gone.p.realName);
    expect(
      (await unitA.c.post(`/api/unit-center/members/${goneRow.id}/remove`, { reason: '已调离本单位' })).statusCode,
    ).toBe(200);
    const outsider = await learner(env);
    expect((await outsider.c.post('/api/unit-center/credit-stats/remind', { year })).statusCode).toBe(403);
    expect((await unitA.c.post('/api/unit-center/credit-stats/remind', { year: 'x' })).statusCode).toBe(400);
    const stats = (await unitA.c.get(`/api/unit-center/credit-stats?year=${year}&filter=unmet`)).json();
    expect(stats.summary.remindable).toBe(stats.summary.unmet - 1);
    const sent = await unitA.c.post('/api/unit-center/credit-stats/remind', { year });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().sent).toBe(stats.summary.remindable);
    const reminded = async (username: string) => {
      const [account] = await env.ctx.db
        .execute(sql`select id from accounts where username = ${username}`)
        .then((r) => r.rows as Array<{ id: string }>);
      return env.ctx.db
        .select({ body: messages.body })
        .from(messages)
        .where(and(eq(messages.event, 'credit-reminder'), eq(messages.accountId, account?.id as string)));
    };
    const got = await reminded(p.p.username);
    expect(got).toHaveLength(1);
    expect(got[0]?.body).toContain(unitA.unitName);
    expect(await reminded(gone.p.username)).toHaveLength(0);
    const again = await unitA.c.post('/api/unit-center/credit-stats/remind', { year });
    expect(again.statusCode).toBe(429);
    expect(again.json().code).toBe('CREDIT_REMINDER_LIMIT');
    const audits = await env.ctx.db.select().from(auditLogs).where(eq(auditLogs.action, 'credit.remind'));
    expect(audits).toHaveLength(1);
  });
});
