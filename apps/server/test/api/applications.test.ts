import {
  ADVANCED_SEMINAR,
  APPLICATION_ACTIONS,
  APPLICATION_STATUSES,
  APPLICATION_TRANSITIONS,
  canTransition,
  type TApplicationAction,
  type TApplicationStatus,
} from '@cpe/shared';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cityReviewer,
  completeSeminar,
  districtStaff,
  fillAll,
  openBatch,
  returnBody,
  submitted,
  unitAdmin,
} from '../applications-factories.js';
import { login, multipartFile, register } from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { pdfText } from '../pdf-text.js';
import { PDF } from '../units-factories.js';
import { chinaCellTime, hasFormula } from '../xlsx-xml.js';

const TYPE = ADVANCED_SEMINAR.key;
let env: TestEnv;

beforeAll(async () => {
  env = await createTestEnv();
  await openBatch(env);
});

const put = (c: Client, url: string, body: unknown) => c.request('PUT', url, body);

describe('市级高级研修项目申报: filing, return with comments, resubmit, approve', () => {
  it('walks the whole flow a unit and 市人社局 see', async () => {
    const u = await unitAdmin(env);
    const created = await u.c.post('/api/applications', { type: TYPE });
    expect(created.statusCode, created.body).toBe(200);
    const draft = created.json();
    expect(draft.status).toBe('draft');
    expect(draft.number).toBeNull();
    // 申报单位 is prefilled from the unit.
    expect(draft.data.applicant.unitName).toBe(u.unitName);
    expect(draft.missing['basic.projectName']).toBe('请输入项目名称');

    // A partial section is saved; a wrong value is refused with the field named and nothing lost.
    const partial = await put(u.c, `/api/applications/${draft.id}/sections/basic`, { projectName: '智能制造研修班' });
    expect(partial.statusCode, partial.body).toBe(200);
    const tooMuch = await put(u.c, `/api/applications/${draft.id}/sections/basic`, {
      projectName: '智能制造研修班',
      estimatedFen: 1_000_000,
      subsidyFen: 2_000_000,
    });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().fields['basic.subsidyFen']).toBe('需资助费用不能大于预计费用');
    const thirdDecimal = await put(u.c, `/api/applications/${draft.id}/sections/basic`, { estimatedFen: 1_234_567 });
    expect(thirdDecimal.json().fields['basic.estimatedFen']).toContain('最多保留两位小数');
    expect((await u.c.get(`/api/applications/${draft.id}`)).json().data.basic.projectName).toBe('智能制造研修班');

    // 提交申报书 with missing sections lists what is missing.
    const early = await u.c.post(`/api/applications/${draft.id}/submit`);
    expect(early.statusCode).toBe(400);
    expect(early.json().code).toBe('APPLICATION_INCOMPLETE');
    expect(early.json().fields['purpose.purpose']).toBe('请输入研修目的和作用');
    expect(early.json().fields['experts.experts']).toBe('请填写授课专家');

    const data = completeSeminar();
    await fillAll(u.c, draft.id, data);
    const sub = await u.c.post(`/api/applications/${draft.id}/submit`);
    expect(sub.statusCode, sub.body).toBe(200);
    const year = sub.json().year as number;
    expect(sub.json().status).toBe('pending');
    expect(sub.json().number).toMatch(new RegExp(`^${String(year % 100).padStart(2, '0')}01\\d{12}$`));
    const number = sub.json().number as string;

    const list = (await u.c.get(`/api/applications?type=${TYPE}`)).json();
    const row = list.items.find((i: { id: string }) => i.id === draft.id);
    expect(row).toMatchObject({
      number,
      status: 'pending',
      projectName: data.basic?.projectName,
      hostUnit: '重庆市继续教育培训中心',
    });
    expect(row.deadline).toBeTruthy();
    expect(row.actions).toEqual({ edit: false, submit: false, withdraw: true, delete: false });

    // 市人社局 sees it, opens it (the review starts: 撤回 is no longer possible).
    const city = await cityReviewer(env);
    const reviews = (
      await city.get(`/api/application-reviews?type=${TYPE}&keyword=${encodeURIComponent(number)}`)
    ).json();
    expect(reviews.items.map((i: { id: string }) => i.id)).toEqual([draft.id]);
    expect(reviews.counts.pending).toBeGreaterThanOrEqual(1);
    // Part of the 编号 finds it too (people copy the tail of a long number).
    const tail = (await city.get(`/api/application-reviews?type=${TYPE}&keyword=${number.slice(-10)}`)).json();
    expect(tail.items.map((i: { id: string }) => i.id)).toContain(draft.id);
    const opened = await city.get(`/api/application-reviews/${draft.id}`);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json().diff).toBeNull();
    const late = await u.c.post(`/api/applications/${draft.id}/withdraw`);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('APPLICATION_REVIEW_STARTED');

    // Draft comments are kept, then sent with 退回修改 on two sections.
    expect(
      (await put(city, `/api/application-reviews/${draft.id}/comments`, { comments: { purpose: '草稿意见' } }))
        .statusCode,
    ).toBe(200);
    expect((await city.get(`/api/application-reviews/${draft.id}`)).json().draftComments).toEqual({
      purpose: '草稿意见',
    });
    const ret = await city.post(
      `/api/application-reviews/${draft.id}/return`,
      returnBody(env, { purpose: '请补充研修对产业的作用', experts: '请增加一位企业专家', host: '  ' }),
    );
    expect(ret.statusCode, ret.body).toBe(200);

    const mine = (await u.c.get(`/api/applications/${draft.id}`)).json();
    expect(mine.status).toBe('returned');
    expect(mine.commentedSections.sort()).toEqual(['experts', 'purpose']);
    const record = mine.history.find((h: { action: string }) => h.action === 'return');
    expect(record).toMatchObject({
      actionLabel: '已退回',
      departmentName: '重庆市人力资源和社会保障局',
      contactName: '赵审核',
      contactPhone: '023-86861234',
      comments: { purpose: '请补充研修对产业的作用', experts: '请增加一位企业专家' },
    });
    expect(mine.actions).toMatchObject({ edit: true, submit: true });

    // Fix, resubmit: every field kept, the number unchanged, the reviewer sees what changed.
    const fixedPurpose = { purpose: `${data.purpose?.purpose}，并服务成渝地区双城经济圈建设。` };
    expect((await put(u.c, `/api/applications/${draft.id}/sections/purpose`, fixedPurpose)).statusCode).toBe(200);
    const experts = [
      ...((data.experts?.experts ?? []) as object[]),
      { name: '陈工', employer: '长安汽车', title: '高级工程师', field: '智能制造', topic: '产线改造' },
    ];
    expect((await put(u.c, `/api/applications/${draft.id}/sections/experts`, { experts })).statusCode).toBe(200);
    const again = await u.c.post(`/api/applications/${draft.id}/submit`);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ status: 'pending', number, round: 2 });
    expect(again.json().data.host).toEqual(data.host);

    const review = (await city.get(`/api/application-reviews/${draft.id}`)).json();
    expect(review.diff.map((d: { sectionId: string; field: string }) => `${d.sectionId}.${d.field}`).sort()).toEqual([
      'experts.experts',
      'purpose.purpose',
    ]);
    expect(review.diff.find((d: { field: string }) => d.field === 'purpose').after).toContain('成渝地区双城经济圈');
    expect(review.draftComments).toEqual({});

    const ok = await city.post(`/api/application-reviews/${draft.id}/approve`, { opinion: '同意立项' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('approved');
    const final = (await u.c.get(`/api/applications/${draft.id}`)).json();
    expect(final.history.map((h: { action: string }) => h.action)).toEqual(['submit', 'return', 'resubmit', 'approve']);

    // Approved projects: the list, Excel export and statistics.
    const approved = (await city.get(`/api/application-reviews?type=${TYPE}&status=approved&year=${year}`)).json();
    expect(approved.items.some((i: { id: string }) => i.id === draft.id)).toBe(true);
    const xlsx = await city.get(`/api/application-reviews/export?type=${TYPE}&status=approved&year=${year}`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const cells = wb.worksheets[0]?.getSheetValues().flat().map(String) ?? [];
    expect(cells).toContain(number);
    expect(cells).toContain(data.basic?.projectName);
    expect(cells).toContain('12.5');
    // 提交时间: a date cell in China time, as the list shows it.
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    expect(ws.getCell('L1').value).toBe('提交时间');
    const exported = ws.getRows(2, ws.rowCount - 1)?.find((r) => r.getCell(2).value === number) as ExcelJS.Row;
    const submitted = exported.getCell(12);
    expect(submitted.value).toBeInstanceOf(Date);
    expect(submitted.numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    const listed = approved.items.find((i: { id: string }) => i.id === draft.id);
    expect((submitted.value as Date).toISOString()).toBe(chinaCellTime(listed.submittedAt));
    expect(exported.getCell(13).value).toBe(listed.stageLabel);
    expect(hasFormula(xlsx.rawPayload)).toBe(false);
    const stats = (await city.get(`/api/application-reviews/stats?type=${TYPE}&year=${year}&status=approved`)).json();
    const yuzhong = stats.byDistrict.find((r: { key: string }) => r.key === '500103');
    expect(yuzhong).toMatchObject({ label: '渝中区' });
    expect(yuzhong.count).toBeGreaterThanOrEqual(1);
    expect(yuzhong.estimatedFen).toBeGreaterThanOrEqual(12_500_000);
    expect(stats.byUnitType.find((r: { key: string }) => r.key === '企业')).toBeTruthy();

    // The printable 申报书: the unit's and the reviewer's copy carry the project name and 编号.
    for (const [c, url] of [
      [u.c, `/api/applications/${draft.id}/pdf`],
      [city, `/api/application-reviews/${draft.id}/pdf`],
    ] as const) {
      const pdf = await c.get(url);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const text = await pdfText(pdf.rawPayload);
      expect(text).toContain(number);
      expect(text).toContain(data.basic?.projectName as string);
    }
  });

  it('a 区县人社局 files from the staff console; 市人社局 rejects with a reason', async () => {
    const yz = await districtStaff(env);
    const created = await yz.post('/api/applications', { type: TYPE });
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json().data.applicant.unitName).toBe('渝中区人力资源和社会保障局');
    const id = created.json().id;
    await fillAll(yz, id, completeSeminar());
    const sub = await yz.post(`/api/applications/${id}/submit`);
    expect(sub.statusCode, sub.body).toBe(200);
    expect(sub.json()).toMatchObject({
      filerKind: 'district',
      filerName: '渝中区人力资源和社会保障局',
      filerUnitType: '区县人社局',
    });

    const city = await cityReviewer(env);
    const list = (
      await city.get(
        `/api/application-reviews?type=${TYPE}&filerName=${encodeURIComponent('渝中区人力资源和社会保障局')}`,
      )
    ).json();
    expect(list.items.map((i: { id: string }) => i.id)).toContain(id);
    const noReason = await city.post(`/api/application-reviews/${id}/reject`, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields.reason).toContain('请填写不通过原因');
    const rej = await city.post(`/api/application-reviews/${id}/reject`, { reason: '与往年项目重复' });
    expect(rej.statusCode).toBe(200);
    const seen = (await yz.get(`/api/applications/${id}`)).json();
    expect(seen).toMatchObject({ status: 'rejected', reason: '与往年项目重复' });

    // The district reviews only what its chain names (市级高级研修项目: 市人社局 alone); the city cannot file in a
    // district's name.
    expect((await yz.get(`/api/application-reviews?type=${TYPE}`)).json().total).toBe(0);
    expect((await yz.get(`/api/application-reviews/${id}`)).json().code).toBe('APPLICATION_REVIEWER_FORBIDDEN');
    expect((await city.post('/api/applications', { type: TYPE })).json().code).toBe('APPLICATION_FILER_FORBIDDEN');
  });

  it('撤回 before the review starts, then edit and submit again with the same 编号', async () => {
    const u = await unitAdmin(env);
    const app = await submitted(u.c);
    const w = await u.c.post(`/api/applications/${app.id}/withdraw`);
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json().status).toBe('withdrawn');
    expect(
      (await put(u.c, `/api/applications/${app.id}/sections/purpose`, { purpose: '撤回后修改了研修目的和作用的内容' }))
        .statusCode,
    ).toBe(200);
    const again = await u.c.post(`/api/applications/${app.id}/submit`);
    expect(again.json()).toMatchObject({ status: 'pending', number: app.number, round: 2 });
  });

  it('新增申报 then leaving adds no row: the never-saved draft is not listed and the next 新增申报 opens it again', async () => {
    const u = await unitAdmin(env);
    const listed = async () =>
      ((await u.c.get(`/api/applications?type=${TYPE}`)).json() as { items: Array<{ id: string }>; total: number })
        .items;
    const first = await u.c.post('/api/applications', { type: TYPE });
    expect(first.statusCode, first.body).toBe(200);
    expect(await listed()).toEqual([]);
    const again = (await u.c.post('/api/applications', { type: TYPE })).json();
    expect(again.id).toBe(first.json().id);
    expect(await listed()).toEqual([]);

    // Saved once, it is the unit's work: listed, and the next 新增申报 starts another.
    const saved = await put(u.c, `/api/applications/${again.id}/sections/purpose`, { purpose: '研修目的和作用' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await listed()).map((i) => i.id)).toEqual([again.id]);
    const next = (await u.c.post('/api/applications', { type: TYPE })).json();
    expect(next.id).not.toBe(again.id);
    expect((await listed()).map((i) => i.id)).toEqual([again.id]);
    // Another unit's 新增申报 never opens this unit's draft.
    const other = await unitAdmin(env);
    expect((await other.c.post('/api/applications', { type: TYPE })).json().id).not.toBe(next.id);
  });

  it('删除 removes a draft only', async () => {
    const u = await unitAdmin(env);
    const draft = (await u.c.post('/api/applications', { type: TYPE })).json();
    expect((await u.c.del(`/api/applications/${draft.id}`)).statusCode).toBe(200);
    expect((await u.c.get(`/api/applications/${draft.id}`)).statusCode).toBe(404);
  });
});

describe('state machine: every transition not in the table is refused', () => {
  /** One application in each state, reached through the API. */
  const byStatus = {} as Record<TApplicationStatus, { id: string; owner: Client }>;
  let city: Client;

  beforeAll(async () => {
    city = await cityReviewer(env);
    const u = await unitAdmin(env);
    byStatus.draft = { id: (await u.c.post('/api/applications', { type: TYPE })).json().id, owner: u.c };
    // Saved once, so the 新增申报 of the applications below starts new ones instead of reopening it.
    expect(
      (await put(u.c, `/api/applications/${byStatus.draft.id}/sections/purpose`, { purpose: '草稿' })).statusCode,
    ).toBe(200);
    for (const s of ['pending', 'returned', 'approved', 'rejected', 'withdrawn'] as const) {
      const app = await submitted(u.c);
      byStatus[s] = { id: app.id, owner: u.c };
    }
    expect(
      (await city.post(`/api/application-reviews/${byStatus.returned.id}/return`, returnBody(env, { basic: '改' })))
        .statusCode,
    ).toBe(200);
    expect((await city.post(`/api/application-reviews/${byStatus.approved.id}/approve`, {})).statusCode).toBe(200);
    expect(
      (await city.post(`/api/application-reviews/${byStatus.rejected.id}/reject`, { reason: '不符合条件' })).statusCode,
    ).toBe(200);
    expect((await u.c.post(`/api/applications/${byStatus.withdrawn.id}/withdraw`)).statusCode).toBe(200);
  });

  function attempt(action: TApplicationAction, id: string, owner: Client) {
    switch (action) {
      case 'edit':
        return put(owner, `/api/applications/${id}/sections/purpose`, { purpose: '尝试修改研修目的和作用' });
      case 'submit':
        return owner.post(`/api/applications/${id}/submit`);
      case 'withdraw':
        return owner.post(`/api/applications/${id}/withdraw`);
      case 'delete':
        return owner.del(`/api/applications/${id}`);
      case 'return':
        return city.post(`/api/application-reviews/${id}/return`, returnBody(env, { basic: '请修改' }));
      case 'approve':
        return city.post(`/api/application-reviews/${id}/approve`, {});
      case 'reject':
        return city.post(`/api/application-reviews/${id}/reject`, { reason: '不符合条件' });
    }
  }

  const illegal = APPLICATION_STATUSES.flatMap((s) =>
    APPLICATION_ACTIONS.filter((a) => !canTransition(a, s)).map((a) => [s, a] as const),
  );
  it.each(illegal)('%s: %s is refused', async (status, action) => {
    const { id, owner } = byStatus[status];
    const res = await attempt(action, id, owner);
    if (status === 'draft' && APPLICATION_TRANSITIONS[action].by === 'reviewer') {
      // A draft is the filer's alone: reviewers do not see it at all.
      expect(res.statusCode, res.body).toBe(404);
    } else {
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().code).toBe('APPLICATION_STATE');
      expect(res.json().message).toMatch(/^申报书.+，不能/);
    }
    const after = (await owner.get(`/api/applications/${id}`)).json();
    expect(after.status).toBe(status);
  });

  it('the table itself: filers edit only drafts, returned and withdrawn; reviewers act only on pending', () => {
    expect(APPLICATION_STATUSES.filter((s) => canTransition('edit', s))).toEqual(['draft', 'returned', 'withdrawn']);
    for (const a of ['return', 'approve', 'reject'] as const)
      expect(APPLICATION_STATUSES.filter((s) => canTransition(a, s))).toEqual(['pending']);
    expect(APPLICATION_STATUSES.filter((s) => canTransition('delete', s))).toEqual(['draft']);
  });
});

describe('deadlines', () => {
  it('filing after the 申报截止时间 is refused; a returned one may be resubmitted until the reviewer deadline', async () => {
    // Sessions must outlive the days the clock moves here.
    const e = await createTestEnv({
      SESSION_IDLE_MINUTES: String(30 * 24 * 60),
      SESSION_ABSOLUTE_HOURS: String(30 * 24),
    });
    const now = e.clock.now();
    await openBatch(e, { deadline: new Date(now.getTime() + 2 * 86_400_000) });
    const u = await unitAdmin(e);
    const lateDraft = (await u.c.post('/api/applications', { type: TYPE })).json();
    await fillAll(u.c, lateDraft.id, completeSeminar());
    const returned = await submitted(u.c);
    const city = await cityReviewer(e);
    const body = returnBody(e, { purpose: '请补充' });
    body.deadline = new Date(now.getTime() + 5 * 86_400_000).toISOString();
    expect((await city.post(`/api/application-reviews/${returned.id}/return`, body)).statusCode).toBe(200);
    const list = (await u.c.get(`/api/applications?type=${TYPE}`)).json();
    expect(list.items.find((i: { id: string }) => i.id === returned.id).deadline).toBe(body.deadline);

    e.clock.advance(3 * 86_400_000);
    const late = await u.c.post(`/api/applications/${lateDraft.id}/submit`);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('APPLICATION_DEADLINE_PASSED');
    const noNew = await u.c.post('/api/applications', { type: TYPE });
    expect(noNew.statusCode).toBe(409);
    expect(
      (await u.c.get(`/api/applications?type=${TYPE}`)).json().items.find((i: { id: string }) => i.id === lateDraft.id)
        .actions.submit,
    ).toBe(false);
    // The returned one follows the reviewer's deadline.
    expect((await u.c.post(`/api/applications/${returned.id}/submit`)).statusCode).toBe(200);

    expect(
      (
        await city.post(`/api/application-reviews/${returned.id}/return`, {
          ...body,
          deadline: new Date(e.clock.now().getTime() + 86_400_000).toISOString(),
        })
      ).statusCode,
    ).toBe(200);
    e.clock.advance(2 * 86_400_000);
    const tooLate = await u.c.post(`/api/applications/${returned.id}/submit`);
    expect(tooLate.statusCode).toBe(409);
    expect(tooLate.json().message).toBe('已过退回修改的截止时间，不能再提交');
  });

  it('before the batch opens, 新增申报 says so', async () => {
    const e = await createTestEnv();
    const now = e.clock.now();
    await openBatch(e, {
      opensAt: new Date(now.getTime() + 86_400_000),
      deadline: new Date(now.getTime() + 9 * 86_400_000),
    });
    const u = await unitAdmin(e);
    const res = await u.c.post('/api/applications', { type: TYPE });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('APPLICATION_NOT_OPEN');
    const types = (await u.c.get('/api/application-types')).json();
    expect(types.items[0].batch.open).toBe(false);
  });

  it('a return deadline in the past is refused', async () => {
    const u = await unitAdmin(env);
    const app = await submitted(u.c);
    const city = await cityReviewer(env);
    const res = await city.post(`/api/application-reviews/${app.id}/return`, {
      ...returnBody(env, { basic: '请修改' }),
      deadline: new Date(env.clock.now().getTime() - 1000).toISOString(),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields.deadline).toBe('修改截止时间应晚于当前时间');
    const none = await city.post(`/api/application-reviews/${app.id}/return`, returnBody(env, { basic: ' ' }));
    expect(none.json().fields.comments).toBe('请至少对一个填报项填写修改意见');
  });
});

describe('permissions', () => {
  it('another unit cannot read or change an application (403); strangers get 401', async () => {
    const owner = await unitAdmin(env);
    const other = await unitAdmin(env);
    const app = await submitted(owner.c);
    for (const res of [
      await other.c.get(`/api/applications/${app.id}`),
      await put(other.c, `/api/applications/${app.id}/sections/basic`, { projectName: '篡改' }),
      await other.c.post(`/api/applications/${app.id}/withdraw`),
      await other.c.get(`/api/applications/${app.id}/pdf`),
    ]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().code).toBe('APPLICATION_FORBIDDEN');
    }
    expect((await other.c.get(`/api/applications?type=${TYPE}`)).json().items).toEqual([]);
    const yz = await districtStaff(env);
    expect((await yz.get(`/api/applications/${app.id}`)).statusCode).toBe(403);
    expect((await new Client(env.publicApp).get(`/api/applications/${app.id}`)).statusCode).toBe(401);
    // On the public listener only a 主管部门 reviews; an ordinary unit's administrator is refused.
    const asReviewer = await owner.c.get(`/api/application-reviews/${app.id}`);
    expect(asReviewer.statusCode).toBe(403);
    expect(asReviewer.json().code).toBe('APPLICATION_REVIEWER_FORBIDDEN');
  });

  it('a person who administers no unit cannot file', async () => {
    const c = new Client(env.publicApp);
    const p = await register(c);
    await login(c, p.username, p.password);
    const res = await c.post('/api/applications', { type: TYPE });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('APPLICATION_FILER_FORBIDDEN');
  });

  it('batches: 市人社局 only, one per year, deadline after opening', async () => {
    const city = await cityReviewer(env);
    const yz = await districtStaff(env);
    const body = {
      type: TYPE,
      year: 2031,
      opensAt: '2031-03-01T00:00:00+08:00',
      deadline: '2031-09-30T17:00:00+08:00',
    };
    expect((await yz.post('/api/application-batches', body)).statusCode).toBe(403);
    expect((await city.post('/api/application-batches', body)).statusCode).toBe(200);
    const dup = await city.post('/api/application-batches', body);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('APPLICATION_BATCH_EXISTS');
    const bad = await city.post('/api/application-batches', {
      ...body,
      year: 2032,
      deadline: '2032-01-01T00:00:00+08:00',
      opensAt: '2032-02-01T00:00:00+08:00',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields.deadline).toBe('申报截止时间应晚于开放时间');
  });
});

describe('attachments (其他附件)', () => {
  it('accepts a PDF by content, refuses a disguised file and an oversized one; reviewers can download', async () => {
    const u = await unitAdmin(env);
    const draft = (await u.c.post('/api/applications', { type: TYPE })).json();
    const send = (data: Buffer, filename: string, type: string) =>
      u.c.request(
        'POST',
        `/api/applications/${draft.id}/attachments`,
        undefined,
        multipartFile({}, { data, filename, type }),
      );
    const ok = await send(PDF, '项目方案.pdf', 'application/pdf');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ name: '项目方案.pdf', mime: 'application/pdf' });
    const fake = await send(Buffer.from('MZ\x90\x00 not a pdf'), '方案.pdf', 'application/pdf');
    expect(fake.statusCode).toBe(400);
    expect(fake.json().fields.file).toContain('PDF、JPG、PNG、DOCX');
    const big = await send(Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]), '大.pdf', 'application/pdf');
    expect(big.statusCode).toBe(413);

    await fillAll(u.c, draft.id, completeSeminar({ attachments: { files: [ok.json()] } }));
    expect((await u.c.post(`/api/applications/${draft.id}/submit`)).statusCode).toBe(200);
    const city = await cityReviewer(env);
    const file = await city.get(`/api/application-reviews/${draft.id}/files/${ok.json().fileId}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment/);
    expect(file.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    // A file id that is not part of this application is not served through it.
    const other = await unitAdmin(env);
    const foreign = (await other.c.post('/api/applications', { type: TYPE })).json();
    const up = await other.c.request(
      'POST',
      `/api/applications/${foreign.id}/attachments`,
      undefined,
      multipartFile({}, { data: PDF, filename: 'x.pdf', type: 'application/pdf' }),
    );
    expect((await city.get(`/api/application-reviews/${draft.id}/files/${up.json().fileId}`)).statusCode).toBe(404);
  });
});

describe('numbering', () => {
  it('50 parallel first submissions get 50 distinct consecutive numbers', async () => {
    const e = await createTestEnv();
    const { year } = await openBatch(e);
    const u = await unitAdmin(e);
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const id = (await u.c.post('/api/applications', { type: TYPE })).json().id as string;
      await fillAll(u.c, id, completeSeminar());
      ids.push(id);
    }
    const results = await Promise.all(ids.map((id) => u.c.post(`/api/applications/${id}/submit`)));
    for (const r of results) expect(r.statusCode, r.body).toBe(200);
    const numbers = results.map((r) => r.json().number as string).sort();
    expect(new Set(numbers).size).toBe(50);
    const prefix = `${String(year % 100).padStart(2, '0')}01`;
    expect(numbers.map((n) => Number(n.slice(prefix.length)))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});

describe('input hardening', () => {
  it('injection strings are stored verbatim and searched literally', async () => {
    const u = await unitAdmin(env);
    const name = "研修'); DROP TABLE applications;-- %_<script>";
    const app = await submitted(u.c, completeSeminar({ basic: { ...completeSeminar().basic, projectName: name } }));
    const city = await cityReviewer(env);
    const hit = (
      await city.get(`/api/application-reviews?type=${TYPE}&keyword=${encodeURIComponent("'); DROP")}`)
    ).json();
    expect(hit.items.map((i: { id: string }) => i.id)).toEqual([app.id]);
    expect(hit.items[0].projectName).toBe(name);
    const percent = (
      await city.get(`/api/application-reviews?type=${TYPE}&keyword=${encodeURIComponent('%_<')}`)
    ).json();
    expect(percent.items.map((i: { id: string }) => i.id)).toEqual([app.id]);
  });

  it('unknown sections, bad shapes and bad queries are 4xx with the field named', async () => {
    const u = await unitAdmin(env);
    const draft = (await u.c.post('/api/applications', { type: TYPE })).json();
    expect((await put(u.c, `/api/applications/${draft.id}/sections/nosuch`, {})).statusCode).toBe(404);
    const badPeriod = await put(u.c, `/api/applications/${draft.id}/sections/basic`, {
      period: { from: '2026-02-30', to: '2026-03-01' },
    });
    expect(badPeriod.json().fields['basic.period']).toBe('举办时间日期格式无效');
    const badAccount = await put(u.c, `/api/applications/${draft.id}/sections/account`, {
      accountNumber: '6222 0212 3456 7890 127',
    });
    expect(badAccount.json().fields['account.accountNumber']).toBe('账号校验位不正确，请核对');
    const badPhone = await put(u.c, `/api/applications/${draft.id}/sections/host`, { hostPhone: '12345' });
    expect(badPhone.json().fields['host.hostPhone']).toContain('联系电话格式不正确');
    const senior = await put(u.c, `/api/applications/${draft.id}/sections/trainees`, { count: 10, seniorCount: 11 });
    expect(senior.json().fields['trainees.seniorCount']).toBe('其中高级职称人数不能大于培训人数');
    expect((await u.c.get('/api/applications?type=nosuch')).statusCode).toBe(400);
    expect((await u.c.post('/api/applications', { type: 'nosuch' })).statusCode).toBe(400);
    expect((await u.c.get('/api/applications/not-a-uuid')).statusCode).toBe(400);
  });
});
