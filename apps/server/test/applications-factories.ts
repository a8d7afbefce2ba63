import crypto from 'node:crypto';
import { ADVANCED_SEMINAR, type ApplicationData } from '@cpe/shared';
import { expect } from 'vitest';
import { multipartFile } from './factories.js';
import type { Client, TestEnv } from './harness.js';
import { applicant, nodeByName, PDF, staffReviewer, unitData } from './units-factories.js';

const meta = { ip: '127.0.0.1', userAgent: 'vitest' };

/**
 * The administrator of an approved unit (registered and approved through the real services), signed in.
 * `reviewerNodeId`: the 申报地区(部门) it registered under (default 渝中区人社局; a 主管部门's node puts it under it);
 * `category: 'department'` registers a 主管部门, which becomes a node of the organisation tree.
 */
export async function unitAdmin(
  env: TestEnv,
  area = '500103',
  opts: { reviewerNodeId?: string; category?: 'unit' | 'department' } = {},
) {
  const a = await applicant(env);
  const reviewerNodeId = opts.reviewerNodeId ?? (await nodeByName(env, '渝中区人力资源和社会保障局'));
  const data = unitData({
    licenceFileId: a.licenceFileId,
    authorizationFileId: a.authorizationFileId,
    reviewerNodeId,
    locatedArea: area,
    ...(opts.category === 'department' ? { category: 'department', unitType: '机关' } : {}),
  });
  const res = await a.c.post('/api/unit-registration', data);
  expect(res.statusCode, res.body).toBe(200);
  await env.ctx.unitReview.decide(
    { nodeId: null, actorType: 'staff', actorId: crypto.randomUUID(), actorName: '测试', reviewerName: '测试' },
    res.json().id,
    { decision: 'approve', reason: '' },
    meta,
  );
  const unit = await env.ctx.units.unitOfAdmin(await accountIdOf(env, a.p.username));
  const node = unit ? await env.ctx.org.byUnit(unit.id) : undefined;
  return { c: a.c, unitName: data.unitName as string, uscc: data.uscc as string, nodeId: node?.id ?? null };
}

async function accountIdOf(env: TestEnv, username: string): Promise<string> {
  const { createIdentityRepo } = await import('../src/modules/identity/identity.repo.js');
  const row = await createIdentityRepo().accountByUsername(env.ctx.db, username);
  if (!row) throw new Error(`no account ${username}`);
  return row.id;
}

/** This year's batch (or the given one), created through the service as 市人社局 would. */
export async function openBatch(
  env: TestEnv,
  opts: { year?: number; opensAt?: Date; deadline?: Date } = {},
): Promise<{ id: string; year: number }> {
  const now = env.clock.now();
  const year =
    opts.year ?? Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now));
  const b = await env.ctx.applications.createBatch(
    { actorId: crypto.randomUUID(), actorName: '测试', departmentName: '重庆市人力资源和社会保障局' },
    {
      type: ADVANCED_SEMINAR.key,
      year,
      opensAt: (opts.opensAt ?? new Date(now.getTime() - 86_400_000)).toISOString(),
      deadline: (opts.deadline ?? new Date(now.getTime() + 30 * 86_400_000)).toISOString(),
    },
    meta,
  );
  return { id: b.id, year };
}

/** A complete, valid 市级高级研修项目 (money in fen). */
export function completeSeminar(over: Partial<ApplicationData> = {}): ApplicationData {
  const tag = crypto.randomBytes(3).toString('hex');
  return {
    basic: {
      projectName: `人工智能与智能制造高级研修班${tag}`,
      period: { from: '2026-05-11', to: '2026-05-15' },
      venue: '重庆市渝中区解放碑培训中心',
      estimatedFen: 12_500_000,
      subsidyFen: 8_000_000,
    },
    purpose: { purpose: '提升全市智能制造领域高层次专业技术人才的创新能力和实践水平，推动产业升级。' },
    content: {
      content: '人工智能基础、工业互联网、智能产线改造案例。',
      method: '专家授课、现场教学、分组研讨',
      schedule: [
        { date: '2026-05-11', time: '上午', topic: '开班仪式与人工智能前沿', lecturer: '李教授' },
        { date: '2026-05-12', time: '全天', topic: '工业互联网平台实践', lecturer: '王研究员' },
      ],
    },
    experts: {
      experts: [
        { name: '李明', employer: '重庆大学', title: '教授', field: '人工智能', topic: '人工智能前沿' },
        { name: '王芳', employer: '中国信通院', title: '研究员', field: '工业互联网', topic: '平台实践' },
      ],
    },
    trainees: { audience: '全市制造业企业高级工程师及技术骨干', count: 80, seniorCount: 50 },
    applicant: {
      unitName: '申报单位',
      address: '重庆市渝中区解放碑民族路188号',
      contactName: '张联系',
      contactPhone: '023-63891234',
      email: 'contact@example.com',
    },
    host: { hostName: '重庆市继续教育培训中心', hostContact: '刘老师', hostPhone: '13800138001' },
    account: {
      accountName: '重庆测试科技有限公司',
      bankName: '中国工商银行重庆解放碑支行',
      accountNumber: '3100021509024567890',
    },
    attachments: { files: [] },
    ...over,
  };
}

/** Saves every section through the API, as 保存并进入下一页 does. */
export async function fillAll(c: Client, id: string, data: ApplicationData) {
  for (const [sectionId, values] of Object.entries(data)) {
    const res = await c.request('PUT', `/api/applications/${id}/sections/${sectionId}`, values);
    expect(res.statusCode, `${sectionId}: ${res.body}`).toBe(200);
  }
}

/** A new draft, filled and submitted; returns the detail after submission. */
export async function submitted(c: Client, data = completeSeminar()) {
  const created = await c.post('/api/applications', { type: ADVANCED_SEMINAR.key });
  expect(created.statusCode, created.body).toBe(200);
  const id = created.json().id as string;
  await fillAll(c, id, data);
  const res = await c.post(`/api/applications/${id}/submit`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: string; number: string; status: string };
}

/** A 市人社局 reviewer on the staff listener. */
export const cityReviewer = (env: TestEnv) => staffReviewer(env, '重庆市人力资源和社会保障局');
/** A 渝中区人力资源和社会保障局 staff member (files in the console). */
export const districtStaff = (env: TestEnv) => staffReviewer(env, '渝中区人力资源和社会保障局');

export const returnBody = (env: TestEnv, comments: Record<string, string>) => ({
  comments,
  deadline: new Date(env.clock.now().getTime() + 7 * 86_400_000).toISOString(),
  contactName: '赵审核',
  contactPhone: '023-86861234',
});

/** This year in China (the year of new batches and of the demo's dates). */
export const chinaYearOf = (d: Date) =>
  Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(d));

/** Saves every section as the form does: what the draft holds (prefilled values) with the typed values over it. */
export async function fillOver(c: Client, id: string, data: ApplicationData) {
  const current = (await c.get(`/api/applications/${id}`)).json().data as ApplicationData;
  await fillAll(
    c,
    id,
    Object.fromEntries(Object.entries(data).map(([sid, v]) => [sid, { ...(current[sid] ?? {}), ...v }])),
  );
}

/** A PDF attached to an application (其他附件, 开班通知 …). */
export async function attachPdf(c: Client, id: string, name = '附件.pdf') {
  const res = await c.request(
    'POST',
    `/api/applications/${id}/attachments`,
    undefined,
    multipartFile({}, { data: PDF, filename: name, type: 'application/pdf' }),
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** A complete 继续教育基地 / 工程师基地 application (the unit's name is prefilled). */
export function completeBase(year: number): ApplicationData {
  return {
    basic: {
      nature: '企业',
      field: '智能制造',
      fullTimeStaff: 5,
      partTimeStaff: 8,
      facilities: '培训教室3间、实训车间1200平方米、多媒体设备齐全',
      contactName: '钱联系',
      contactPhone: '023-63891234',
    },
    teachers: { teachers: [{ name: '李明', title: '教授', field: '人工智能', employer: '重庆大学', type: '兼职' }] },
    history: { trainings: [{ year: year - 1, project: '智能制造专题培训', persons: 120, hours: 24 }] },
    reason: { reason: '本单位长期承担全市智能制造领域专业技术人员培训，具备申报继续教育基地的条件。' },
  };
}

/** A 基地申报 filed through the API and submitted. */
export async function fileBase(c: Client, year: number, type = 'education-base') {
  const created = await c.post('/api/applications', { type });
  expect(created.statusCode, created.body).toBe(200);
  const id = created.json().id as string;
  await fillOver(c, id, completeBase(year));
  const rules = await attachPdf(c, id, '培训管理制度.pdf');
  expect((await c.request('PUT', `/api/applications/${id}/sections/rules`, { files: [rules] })).statusCode).toBe(200);
  const res = await c.post(`/api/applications/${id}/submit`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** An approved 市级高级研修项目 held in January of this year. */
export async function approvedProject(c: Client, city: Client, year: number) {
  const data = completeSeminar();
  (data.basic as Record<string, unknown>).period = { from: `${year}-01-10`, to: `${year}-01-14` };
  const s = await submitted(c, data);
  const ok = await city.post(`/api/application-reviews/${s.id}/approve`, { opinion: '' });
  expect(ok.statusCode, ok.body).toBe(200);
  return s.id;
}

export function classPlanData(year: number, fileRef: unknown, over: Record<string, unknown> = {}): ApplicationData {
  return {
    basic: {
      startDate: `${year}-01-10`,
      endDate: `${year}-01-12`,
      venue: '重庆市渝中区解放碑培训中心',
      quota: 60,
      enrolment: '各单位统一报名，报名表加盖公章后报送承办单位',
      contactName: '刘老师',
      contactPhone: '13800138001',
      ...over,
    },
    schedule: {
      schedule: [
        {
          date: `${year}-01-10`,
          half: '上午',
          topic: '开班仪式与人工智能前沿',
          lecturer: '李明',
          lecturerTitle: '教授',
          lecturerUnit: '重庆大学',
        },
        {
          date: `${year}-01-10`,
          half: '下午',
          topic: '工业互联网平台',
          lecturer: '王芳',
          lecturerTitle: '研究员',
          lecturerUnit: '中国信通院',
        },
        {
          date: `${year}-01-11`,
          half: '上午',
          topic: '智能产线案例',
          lecturer: '王芳',
          lecturerTitle: '研究员',
          lecturerUnit: '中国信通院',
        },
      ],
    },
    notice: { files: [fileRef] },
  };
}
