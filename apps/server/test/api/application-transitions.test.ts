import { APPLICATION_TYPES, type ApplicationTypeDef, CLASS_PLAN, COMPLETION, PLAN_CHANGE } from '@cpe/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  approvedProject,
  attachPdf,
  chinaYearOf,
  cityReviewer,
  classPlanData,
  completeBase,
  completeSeminar,
  districtStaff,
  fillAll,
  fillOver,
  openBatch,
  returnBody,
  unitAdmin,
} from '../applications-factories.js';
import { buildPerson, multipartFile } from '../factories.js';
import { type Client, createTestEnv, type TestEnv } from '../harness.js';
import { png } from '../units-factories.js';

/**
 * Every transition of every application type through the API, allowed and refused: the state table of
 * engine.ts as each type's filer and each reviewer of its chain meet it. A new type joins by its entry in
 * `file` below (the test fails for a type without one).
 */
let env: TestEnv;
let year: number;
let dept: Awaited<ReturnType<typeof unitAdmin>>;
let unit: Awaited<ReturnType<typeof unitAdmin>>;
let city: Client;
let yz: Client;

beforeAll(async () => {
  env = await createTestEnv();
  await openBatch(env);
  year = chinaYearOf(env.clock.now());
  dept = await unitAdmin(env, '500103', { category: 'department' });
  unit = await unitAdmin(env, '500103', { reviewerNodeId: dept.nodeId as string });
  city = await cityReviewer(env);
  yz = await districtStaff(env);
});

async function approvedClassPlan(c: Client): Promise<string> {
  const projectId = await approvedProject(c, city, year);
  const plan = (await c.post('/api/applications', { type: CLASS_PLAN.key, parentId: projectId })).json();
  await fillOver(c, plan.id, classPlanData(year, await attachPdf(c, plan.id)));
  expect((await c.post(`/api/applications/${plan.id}/submit`)).statusCode).toBe(200);
  expect((await city.post(`/api/application-reviews/${plan.id}/approve`, { opinion: '' })).statusCode).toBe(200);
  return plan.id;
}

async function image(c: Client, id: string) {
  const res = await c.request(
    'POST',
    `/api/applications/${id}/attachments`,
    undefined,
    multipartFile({}, { data: await png(), filename: '照片.png', type: 'image/png' }),
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** A complete draft of each type, ready to submit. */
const file: Record<string, (c: Client) => Promise<string>> = {
  'advanced-seminar': async (c) => {
    const id = (await c.post('/api/applications', { type: 'advanced-seminar' })).json().id;
    await fillAll(c, id, completeSeminar());
    return id;
  },
  'class-plan': async (c) => {
    const projectId = await approvedProject(c, city, year);
    const id = (await c.post('/api/applications', { type: CLASS_PLAN.key, parentId: projectId })).json().id;
    await fillOver(c, id, classPlanData(year, await attachPdf(c, id)));
    return id;
  },
  'plan-change': async (c) => {
    const planId = await approvedClassPlan(c);
    const pc = (await c.post('/api/applications', { type: PLAN_CHANGE.key, parentId: planId })).json();
    await fillOver(c, pc.id, {
      change: { items: ['举办地点'], reason: '原场地改造，无法使用' },
      plan: { venue: '重庆市江北区观音桥培训基地' },
    });
    return pc.id;
  },
  completion: async (c) => {
    const planId = await approvedClassPlan(c);
    const comp = (await c.post('/api/applications', { type: COMPLETION.key, parentId: planId })).json();
    const id = comp.id as string;
    const people = [buildPerson(), buildPerson()];
    const text = people
      .map((p) => `${p.realName}\t${p.idNumber}\t重庆测试单位\t工程师\t${p.phone}\t2\t合格`)
      .join('\n');
    const t = await c.request('PUT', `/api/applications/${id}/trainees`, { text });
    expect(t.statusCode, t.body).toBe(200);
    await fillOver(c, id, {
      report: {
        summary: '本期研修班按开班方案顺利举办，学员出勤率高，考核合格率达到百分之百，取得预期成效。',
        files: [await attachPdf(c, id, '总结报告.pdf')],
      },
      budget: { items: [{ item: '专家授课费', amountFen: 3_000_000, note: '' }], subsidyUsedFen: 2_000_000 },
      photos: {
        opening: [await image(c, id)],
        lecture: [await image(c, id)],
        visit: [await image(c, id)],
        exchange: [await image(c, id)],
      },
      evaluation: { files: [await attachPdf(c, id, '质量评估表.pdf')] },
    });
    return id;
  },
  'education-base': async (c) => {
    const id = (await c.post('/api/applications', { type: 'education-base' })).json().id;
    await fillOver(c, id, completeBase(year));
    await fillOver(c, id, { rules: { files: [await attachPdf(c, id, '管理制度.pdf')] } });
    return id;
  },
  'engineer-base': async (c) => {
    const id = (await c.post('/api/applications', { type: 'engineer-base' })).json().id;
    await fillOver(c, id, completeBase(year));
    await fillOver(c, id, { rules: { files: [await attachPdf(c, id, '管理制度.pdf')] } });
    return id;
  },
};

/** The reviewer of each level for `unit` (registered under `dept`, located in 渝中区). */
const reviewerOf = (level: string) => (level === 'department' ? dept.c : level === 'district' ? yz : city);

describe.each(APPLICATION_TYPES.map((t) => [t.key, t] as [string, ApplicationTypeDef]))('%s', (_key, def) => {
  it('has a way to be filed in this test', () => {
    expect(file[def.key]).toBeTypeOf('function');
  });

  it('draft → submit → withdraw → resubmit; reviewers cannot act on a draft; delete only a draft', async () => {
    const c = unit.c;
    const id = await (file[def.key] as (c: Client) => Promise<string>)(c);
    // A draft is not before any reviewer.
    for (const level of def.reviewChain)
      expect((await reviewerOf(level).post(`/api/application-reviews/${id}/approve`, { opinion: '' })).statusCode).toBe(
        404,
      );
    expect((await c.post(`/api/applications/${id}/withdraw`)).statusCode).toBe(409);
    const sub = await c.post(`/api/applications/${id}/submit`);
    expect(sub.statusCode, sub.body).toBe(200);
    expect(sub.json().status).toBe('pending');
    expect(sub.json().number).toMatch(new RegExp(`^\\d{2}${def.typeCode}\\d{12}$`));
    // Submitted: no edit, no delete, no second submit.
    expect((await c.request('PUT', `/api/applications/${id}/sections/${def.sections[0]?.id}`, {})).statusCode).toBe(
      409,
    );
    expect((await c.request('DELETE', `/api/applications/${id}`)).statusCode).toBe(409);
    expect((await c.post(`/api/applications/${id}/submit`)).statusCode).toBe(409);
    const w = await c.post(`/api/applications/${id}/withdraw`);
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json().status).toBe('withdrawn');
    expect((await c.request('DELETE', `/api/applications/${id}`)).statusCode).toBe(409);
    expect((await c.post(`/api/applications/${id}/submit`)).statusCode).toBe(200);
  });

  it('return at every step comes back to that step; approve through the chain; then nothing more', async () => {
    const c = unit.c;
    const id = await (file[def.key] as (c: Client) => Promise<string>)(c);
    expect((await c.post(`/api/applications/${id}/submit`)).statusCode).toBe(200);
    const section = def.sections[0]?.id as string;
    const chain = (await c.get(`/api/applications/${id}`)).json().chain as { level: string }[];
    for (const [i, step] of chain.entries()) {
      const r = reviewerOf(step.level);
      // Every other reviewer of the chain is refused at this step.
      for (const other of chain.filter((s) => s.level !== step.level))
        expect(
          (await reviewerOf(other.level).post(`/api/application-reviews/${id}/approve`, { opinion: '' })).statusCode,
        ).toBe(409);
      const ret = await r.post(`/api/application-reviews/${id}/return`, returnBody(env, { [section]: '请补充' }));
      expect(ret.statusCode, ret.body).toBe(200);
      expect(ret.json().status).toBe('returned');
      // Returned: reviewers cannot decide; the filer may edit and resubmit, back to this step.
      expect((await r.post(`/api/application-reviews/${id}/approve`, { opinion: '' })).statusCode).toBe(409);
      expect((await c.post(`/api/applications/${id}/withdraw`)).statusCode).toBe(409);
      const again = await c.post(`/api/applications/${id}/submit`);
      expect(again.json().stage).toBe(`pending-${step.level}`);
      const ok = await r.post(`/api/application-reviews/${id}/approve`, { opinion: '' });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().status).toBe(i === chain.length - 1 ? 'approved' : 'pending');
    }
    for (const step of chain) {
      const r = reviewerOf(step.level);
      expect((await r.post(`/api/application-reviews/${id}/approve`, { opinion: '' })).statusCode).toBe(409);
      expect((await r.post(`/api/application-reviews/${id}/reject`, { reason: '不符合要求' })).statusCode).toBe(409);
      expect(
        (await r.post(`/api/application-reviews/${id}/return`, returnBody(env, { [section]: 'x' }))).statusCode,
      ).toBe(409);
    }
    expect((await c.post(`/api/applications/${id}/withdraw`)).statusCode).toBe(409);
    expect((await c.post(`/api/applications/${id}/submit`)).statusCode).toBe(409);
  });

  it('不通过 at the first step ends it: no resubmit, no decision', async () => {
    const c = unit.c;
    const id = await (file[def.key] as (c: Client) => Promise<string>)(c);
    const sub = (await c.post(`/api/applications/${id}/submit`)).json();
    const r = reviewerOf(sub.chain[0].level);
    expect((await r.post(`/api/application-reviews/${id}/reject`, { reason: '' })).statusCode).toBe(400);
    expect((await r.post(`/api/application-reviews/${id}/reject`, { reason: '不符合申报条件' })).statusCode).toBe(200);
    expect((await c.post(`/api/applications/${id}/submit`)).statusCode).toBe(409);
    expect((await r.post(`/api/application-reviews/${id}/approve`, { opinion: '' })).statusCode).toBe(409);
    expect((await c.get(`/api/applications/${id}`)).json()).toMatchObject({
      status: 'rejected',
      reason: '不符合申报条件',
    });
  });
});

describe('结业上报 学员名单 for reviewers', () => {
  it('市人社局 reads it masked; a reviewer outside the chain gets 403', async () => {
    const id = await (file.completion as (c: Client) => Promise<string>)(unit.c);
    expect((await unit.c.post(`/api/applications/${id}/submit`)).statusCode).toBe(200);
    const list = await city.get(`/api/application-reviews/${id}/trainees?page=1&pageSize=20`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().total).toBe(2);
    expect(list.json().items[0].idNumberMasked).toMatch(/^\d\*+[\dX]$/);
    const outside = await yz.get(`/api/application-reviews/${id}/trainees`);
    expect(outside.statusCode).toBe(403);
  });
});
