import { CLASS_PLAN, EDUCATION_BASE, PLAN_CHANGE } from '@cpe/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  approvedProject,
  attachPdf,
  chinaYearOf,
  cityReviewer,
  classPlanData,
  districtStaff,
  fileBase,
  fillOver,
  openBatch,
  returnBody,
  submitted,
  unitAdmin,
} from '../applications-factories.js';
import { type Client, createTestEnv, type TestEnv } from '../harness.js';
import { nodeByName, staffReviewer } from '../units-factories.js';

let env: TestEnv;
let year: number;

beforeAll(async () => {
  env = await createTestEnv();
  await openBatch(env);
  year = chinaYearOf(env.clock.now());
});

const put = (c: Client, url: string, body: unknown) => c.request('PUT', url, body);

describe('review chains: 主管部门 → 区县人社局 → 市人社局 (继续教育基地申报)', () => {
  it('moves step by step; only the reviewer of the current step acts; others get 403', async () => {
    const dept = await unitAdmin(env, '500103', { category: 'department' });
    expect(dept.nodeId).toBeTruthy();
    const unit = await unitAdmin(env, '500103', { reviewerNodeId: dept.nodeId as string });
    const app = await fileBase(unit.c, year);
    expect(app.stage).toBe('pending-department');
    expect(app.chain.map((s: { level: string }) => s.level)).toEqual(['department', 'district', 'city']);
    expect(app.chain[0]).toMatchObject({ name: dept.unitName, state: 'current' });

    const city = await cityReviewer(env);
    const yz = await districtStaff(env);
    const jb = await staffReviewer(env, '江北区人力资源和社会保障局');
    const otherDept = await unitAdmin(env, '500103', { category: 'department' });
    const approve = (c: Client) => c.post(`/api/application-reviews/${app.id}/approve`, { opinion: '' });

    // Step 1, 主管部门: another department and another district are outside the chain (403); the district and the
    // city are in it but it is not their turn (409 naming who reviews now).
    for (const outsider of [otherDept.c, jb]) {
      expect((await outsider.get(`/api/application-reviews/${app.id}`)).statusCode).toBe(403);
      const r = await approve(outsider);
      expect(r.statusCode).toBe(403);
      expect(r.json().code).toBe('APPLICATION_REVIEWER_FORBIDDEN');
    }
    const early = await approve(yz);
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toContain(dept.unitName);
    expect((await approve(city)).statusCode).toBe(409);
    // The department's list: the tab 待主管部门审核 counts it, and the row is actionable.
    const deptList = (await dept.c.get(`/api/application-reviews?type=${EDUCATION_BASE.key}`)).json();
    expect(deptList.counts['pending-department']).toBe(1);
    expect(deptList.items[0]).toMatchObject({ id: app.id, actionable: true, stageLabel: '待主管部门审核' });
    expect((await otherDept.c.get(`/api/application-reviews?type=${EDUCATION_BASE.key}`)).json().total).toBe(0);
    const d1 = await approve(dept.c);
    expect(d1.statusCode, d1.body).toBe(200);
    expect(d1.json().stage).toBe('pending-district');

    // Step 2, 区县人社局: another district 403; it returns with a comment; the resubmission comes back to it.
    expect((await approve(jb)).statusCode).toBe(403);
    expect((await approve(dept.c)).statusCode).toBe(409);
    const yzList = (await yz.get(`/api/application-reviews?type=${EDUCATION_BASE.key}&stage=pending-district`)).json();
    expect(yzList.items.map((i: { id: string }) => i.id)).toContain(app.id);
    const ret = await yz.post(
      `/api/application-reviews/${app.id}/return`,
      returnBody(env, { teachers: '请补充专职教师的情况' }),
    );
    expect(ret.statusCode, ret.body).toBe(200);
    expect(ret.json()).toMatchObject({ status: 'returned', stage: 'returned' });
    const back = await unit.c.post(`/api/applications/${app.id}/submit`);
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().stage).toBe('pending-district');
    const d2 = await approve(yz);
    expect(d2.statusCode, d2.body).toBe(200);
    expect(d2.json().stage).toBe('pending-city');

    // Step 3, 市人社局: the department and the district may look but not act.
    expect((await approve(dept.c)).statusCode).toBe(409);
    expect((await approve(yz)).statusCode).toBe(409);
    const d3 = await approve(city);
    expect(d3.statusCode, d3.body).toBe(200);
    expect(d3.json()).toMatchObject({ status: 'approved', stage: 'approved' });
    expect(d3.json().chain.map((s: { state: string }) => s.state)).toEqual(['done', 'done', 'done']);

    // The filer's timeline: who acted at which level, in order.
    const seen = (await unit.c.get(`/api/applications/${app.id}`)).json();
    expect(seen.history.map((h: { action: string; level: string | null }) => `${h.action}:${h.level}`)).toEqual([
      'submit:department',
      'approve:department',
      'return:district',
      'resubmit:district',
      'approve:district',
      'approve:city',
    ]);
    expect(seen.history[2].comments).toEqual({ teachers: '请补充专职教师的情况' });
    // Acting again on a decided application is refused by the state table.
    expect((await approve(city)).statusCode).toBe(409);
  });

  it('a unit registered directly under its district has no 主管部门 step; 不通过 at any step ends it', async () => {
    const unit = await unitAdmin(env);
    const app = await fileBase(unit.c, year);
    expect(app.chain.map((s: { level: string }) => s.level)).toEqual(['district', 'city']);
    expect(app.stage).toBe('pending-district');
    const yz = await districtStaff(env);
    const rej = await yz.post(`/api/application-reviews/${app.id}/reject`, { reason: '师资不足' });
    expect(rej.statusCode, rej.body).toBe(200);
    expect(rej.json().stage).toBe('rejected');
    expect((await unit.c.post(`/api/applications/${app.id}/submit`)).statusCode).toBe(409);
  });

  it('the filer may withdraw until the first reviewer opens it', async () => {
    const unit = await unitAdmin(env);
    const app = await fileBase(unit.c, year);
    const w = await unit.c.post(`/api/applications/${app.id}/withdraw`);
    expect(w.statusCode, w.body).toBe(200);
    const again = await unit.c.post(`/api/applications/${app.id}/submit`);
    expect(again.json().stage).toBe('pending-district');
    const yz = await districtStaff(env);
    expect((await yz.get(`/api/application-reviews/${app.id}`)).statusCode).toBe(200);
    const late = await unit.c.post(`/api/applications/${app.id}/withdraw`);
    expect(late.json().code).toBe('APPLICATION_REVIEW_STARTED');
  });
});

describe('the 高研班 after approval: 开班方案 → 计划变化 → 结业', () => {
  it('files a 开班方案 for an approved project, returned and resubmitted; a 计划变化 rewrites it', async () => {
    const u = await unitAdmin(env);
    const city = await cityReviewer(env);
    const projectId = await approvedProject(u.c, city, year);

    // The candidates: the approved project, not yet opened.
    const cand = (await u.c.get(`/api/application-candidates?type=${CLASS_PLAN.key}`)).json();
    expect(cand.items).toHaveLength(1);
    expect(cand.items[0]).toMatchObject({ id: projectId, canFile: true, refusal: null });

    // Without the project, or with a project that is not approved, nothing is created.
    const noParent = await u.c.post('/api/applications', { type: CLASS_PLAN.key });
    expect(noParent.statusCode).toBe(409);
    expect(noParent.json().fields.parentId).toBe('请选择已审核通过的项目');
    const pendingProject = await submitted(u.c);
    const notApproved = await u.c.post('/api/applications', { type: CLASS_PLAN.key, parentId: pendingProject.id });
    expect(notApproved.json()).toMatchObject({ code: 'APPLICATION_PARENT_INVALID' });
    const stranger = await unitAdmin(env);
    const foreign = await stranger.c.post('/api/applications', { type: CLASS_PLAN.key, parentId: projectId });
    expect(foreign.json().code).toBe('APPLICATION_PARENT_INVALID');

    const created = await u.c.post('/api/applications', { type: CLASS_PLAN.key, parentId: projectId });
    expect(created.statusCode, created.body).toBe(200);
    const plan = created.json();
    expect(plan.data.basic.projectName).toMatch(/^人工智能与智能制造高级研修班/);
    expect(plan.parent).toMatchObject({ id: projectId, label: '市级高级研修项目' });
    const notice = await attachPdf(u.c, plan.id, '开班通知.pdf');

    // Dates outside the approved year are named at submission.
    await fillOver(
      u.c,
      plan.id,
      classPlanData(year, notice, { startDate: `${year + 1}-01-10`, endDate: `${year + 1}-01-12` }),
    );
    const wrongYear = await u.c.post(`/api/applications/${plan.id}/submit`);
    expect(wrongYear.statusCode).toBe(400);
    expect(wrongYear.json().fields['basic.startDate']).toBe(`开班日期应在批准的举办年度（${year}年）内`);
    await fillOver(u.c, plan.id, classPlanData(year, notice));
    const sub = await u.c.post(`/api/applications/${plan.id}/submit`);
    expect(sub.statusCode, sub.body).toBe(200);
    expect(sub.json().stage).toBe('pending-city');
    // Once per project.
    const twice = await u.c.post('/api/applications', { type: CLASS_PLAN.key, parentId: projectId });
    expect(twice.json().fields.parentId).toBe('该项目已上报开班方案');

    // 市人社局 returns it with a comment on 日程安排; the resubmission is approved.
    const ret = await city.post(
      `/api/application-reviews/${plan.id}/return`,
      returnBody(env, { schedule: '请补充第二天下午的安排' }),
    );
    expect(ret.statusCode, ret.body).toBe(200);
    const rows = classPlanData(year, notice).schedule?.schedule as unknown[];
    const more = [
      ...rows,
      {
        date: `${year}-01-11`,
        half: '下午',
        topic: '分组研讨',
        lecturer: '李明',
        lecturerTitle: '教授',
        lecturerUnit: '重庆大学',
      },
    ];
    expect((await put(u.c, `/api/applications/${plan.id}/sections/schedule`, { schedule: more })).statusCode).toBe(200);
    expect((await u.c.post(`/api/applications/${plan.id}/submit`)).json().stage).toBe('pending-city');
    expect((await city.post(`/api/application-reviews/${plan.id}/approve`, { opinion: '' })).statusCode).toBe(200);

    // 计划变化: 研修内容 and 培训对象 can never be changed.
    const pc = (await u.c.post('/api/applications', { type: PLAN_CHANGE.key, parentId: plan.id })).json();
    expect(pc.data.plan.venue).toBe('重庆市渝中区解放碑培训中心');
    for (const field of ['content', 'audience']) {
      const locked = await put(u.c, `/api/applications/${pc.id}/sections/change`, { [field]: '改为其他内容' });
      expect(locked.statusCode).toBe(400);
      expect(locked.json().code).toBe('APPLICATION_FIELD_LOCKED');
      expect(locked.json().message).toContain('不能变更');
    }
    // A ticked item that does not change is named; so is a change that was not ticked.
    await fillOver(u.c, pc.id, {
      change: { items: ['举办时间'], reason: '原场地改造，无法使用' },
      plan: { ...pc.data.plan, venue: '重庆市江北区观音桥培训基地' },
    });
    const mismatch = await u.c.post(`/api/applications/${pc.id}/submit`);
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().fields['change.items']).toContain('举办时间');
    await fillOver(u.c, pc.id, { change: { items: ['举办地点'] } });
    expect((await u.c.post(`/api/applications/${pc.id}/submit`)).statusCode).toBe(200);
    // One open 计划变化 at a time.
    const second = await u.c.post('/api/applications', { type: PLAN_CHANGE.key, parentId: plan.id });
    expect(second.json().fields.parentId).toContain('尚未审核完成');
    expect((await city.post(`/api/application-reviews/${pc.id}/approve`, { opinion: '' })).statusCode).toBe(200);

    const after = (await u.c.get(`/api/applications/${plan.id}`)).json();
    expect(after.data.basic.venue).toBe('重庆市江北区观音桥培训基地');
    expect(after.versions).toHaveLength(1);
    expect(after.versions[0].changes).toEqual([
      expect.objectContaining({
        label: '举办地点',
        before: '重庆市渝中区解放碑培训中心',
        after: '重庆市江北区观音桥培训基地',
      }),
    ]);
    expect(after.history.at(-1)).toMatchObject({ action: 'amend', actionLabel: '计划变化生效' });
  });

  it('结业上报 opens after 结业日期 and is due 15 working days later (逾期 after that)', async () => {
    const u = await unitAdmin(env);
    const city = await cityReviewer(env);
    const projectId = await approvedProject(u.c, city, year);
    const plan = (await u.c.post('/api/applications', { type: CLASS_PLAN.key, parentId: projectId })).json();
    await fillOver(u.c, plan.id, classPlanData(year, await attachPdf(u.c, plan.id)));
    expect((await u.c.post(`/api/applications/${plan.id}/submit`)).statusCode).toBe(200);
    expect((await city.post(`/api/application-reviews/${plan.id}/approve`, { opinion: '' })).statusCode).toBe(200);

    // Back to the class's last day: 结业 cannot be reported yet.
    const shift = env.clock.now().getTime() - new Date(`${year}-01-12T10:00:00+08:00`).getTime();
    env.clock.advance(-shift);
    try {
      const early = (await u.c.get('/api/application-candidates?type=completion')).json();
      const item = early.items.find((i: { id: string }) => i.id === plan.id);
      expect(item).toMatchObject({ canFile: false, refusal: `结业日期（${year}-01-12）之后方可上报结业` });
      expect((await u.c.post('/api/applications', { type: 'completion', parentId: plan.id })).statusCode).toBe(409);
    } finally {
      env.clock.advance(shift);
    }
    const due = await env.ctx.calendar.addWorkingDays(`${year}-01-12`, 15);
    const created = await u.c.post('/api/applications', { type: 'completion', parentId: plan.id });
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json().dueAt).toBe(new Date(`${due}T23:59:59.999+08:00`).toISOString());
    // Today is long after the due date: 逾期, on the draft and on the candidate.
    expect(created.json().overdue).toBe(new Date() > new Date(`${due}T23:59:59.999+08:00`));
    // The 学员名单 totals are the server's: a browser cannot write them.
    const forged = await put(u.c, `/api/applications/${created.json().id}/sections/trainees`, {
      list: { total: 30, passed: 30 },
    });
    expect(forged.statusCode).toBe(200);
    expect(forged.json().data.trainees?.list).toBeUndefined();
  });

  it('a 计划变化 approved while a 结业上报 is drafted moves its due date', async () => {
    const u = await unitAdmin(env);
    const city = await cityReviewer(env);
    const projectId = await approvedProject(u.c, city, year);
    const plan = (await u.c.post('/api/applications', { type: CLASS_PLAN.key, parentId: projectId })).json();
    await fillOver(u.c, plan.id, classPlanData(year, await attachPdf(u.c, plan.id)));
    await u.c.post(`/api/applications/${plan.id}/submit`);
    await city.post(`/api/application-reviews/${plan.id}/approve`, { opinion: '' });
    const comp = (await u.c.post('/api/applications', { type: 'completion', parentId: plan.id })).json();

    // A draft 结业 does not stop a 计划变化.
    const pc = await u.c.post('/api/applications', { type: PLAN_CHANGE.key, parentId: plan.id });
    expect(pc.statusCode, pc.body).toBe(200);
    await fillOver(u.c, pc.json().id, {
      change: { items: ['举办时间'], reason: '专家行程调整，延长一天' },
      plan: { endDate: `${year}-01-13` },
    });
    expect((await u.c.post(`/api/applications/${pc.json().id}/submit`)).statusCode).toBe(200);
    // Past the calendar's cache: the due date is read inside the approving transaction.
    env.clock.advance(61_000);
    const ok = await city.post(`/api/application-reviews/${pc.json().id}/approve`, { opinion: '' });
    expect(ok.statusCode, ok.body).toBe(200);
    const due = await env.ctx.calendar.addWorkingDays(`${year}-01-13`, 15);
    const moved = (await u.c.get(`/api/applications/${comp.id}`)).json();
    expect(moved.dueAt).toBe(new Date(`${due}T23:59:59.999+08:00`).toISOString());
  });

  it('a photo field takes only images, by the stored type', async () => {
    const u = await unitAdmin(env);
    const city = await cityReviewer(env);
    const projectId = await approvedProject(u.c, city, year);
    const plan = (await u.c.post('/api/applications', { type: CLASS_PLAN.key, parentId: projectId })).json();
    await fillOver(u.c, plan.id, classPlanData(year, await attachPdf(u.c, plan.id)));
    await u.c.post(`/api/applications/${plan.id}/submit`);
    await city.post(`/api/application-reviews/${plan.id}/approve`, { opinion: '' });
    const comp = (await u.c.post('/api/applications', { type: 'completion', parentId: plan.id })).json();
    const pdf = await attachPdf(u.c, comp.id, 'photo.pdf');
    const disguised = { ...pdf, mime: 'image/png', name: 'photo.png' };
    const res = await put(u.c, `/api/applications/${comp.id}/sections/photos`, { opening: [disguised] });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields['photos.opening']).toBe('开班照片只能上传JPG或PNG图片');
  });
});

describe('scope of the console reviewers', () => {
  it('a 区县人社局 reviewer of one district sees nothing of another district', async () => {
    const unit = await unitAdmin(env, '500105', {
      reviewerNodeId: await nodeByName(env, '江北区人力资源和社会保障局'),
    });
    const app = await fileBase(unit.c, year);
    const yz = await districtStaff(env);
    expect((await yz.get(`/api/application-reviews/${app.id}`)).statusCode).toBe(403);
    const list = (await yz.get(`/api/application-reviews?type=${EDUCATION_BASE.key}`)).json();
    expect(list.items.map((i: { id: string }) => i.id)).not.toContain(app.id);
    const jb = await staffReviewer(env, '江北区人力资源和社会保障局');
    expect((await jb.get(`/api/application-reviews/${app.id}`)).statusCode).toBe(200);
  });
});

describe('a 区县人社局 follows up its own project in the console', () => {
  it('files 开班方案 and 结业 with its 学员名单 on the staff listener; another district cannot touch them', async () => {
    const yz = await districtStaff(env);
    const city = await cityReviewer(env);
    const projectId = await approvedProject(yz, city, year);
    const plan = (await yz.post('/api/applications', { type: CLASS_PLAN.key, parentId: projectId })).json();
    await fillOver(yz, plan.id, classPlanData(year, await attachPdf(yz, plan.id)));
    expect((await yz.post(`/api/applications/${plan.id}/submit`)).json().chain).toEqual([
      expect.objectContaining({ level: 'city' }),
    ]);
    expect((await city.post(`/api/application-reviews/${plan.id}/approve`, { opinion: '' })).statusCode).toBe(200);
    const comp = (await yz.post('/api/applications', { type: 'completion', parentId: plan.id })).json();
    const text = '张三\t500103199001011232\t重庆测试单位\t工程师\t13800138000\t2\t合格';
    const saved = await yz.request('PUT', `/api/applications/${comp.id}/trainees`, { text });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({ total: 1, passed: 1 });
    const list = (await yz.get(`/api/applications/${comp.id}/trainees`)).json();
    expect(list.items[0].idNumberMasked).not.toContain('199001011232');
    const jb = await staffReviewer(env, '江北区人力资源和社会保障局');
    expect((await jb.get(`/api/applications/${comp.id}/trainees`)).statusCode).toBe(403);
    expect((await jb.request('PUT', `/api/applications/${comp.id}/trainees`, { text })).statusCode).toBe(403);
  });
});
