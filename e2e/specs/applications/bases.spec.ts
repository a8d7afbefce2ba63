import crypto from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, publicUrl, screenshot, staffUrl, VIEWPORTS } from '../../browser.js';
import {
  approveOpen,
  chinaDay,
  field,
  fillRow,
  input,
  pdfFile,
  pickSelect,
  saveAndNext,
  submitApplication,
  uploadFiles,
} from '../../filing.js';
import { type Api, portalLogin, portalLoginByApi, staffLogin, staffLoginByApi } from '../../session.js';

const DEMO_PASSWORD = 'Demo@2026';
const REVIEW_PASSWORD = 'Review@2026';
const UNIT = '重庆渝中示例科技有限公司';
const DEPARTMENT = '重庆市卫生健康委员会';
const YUZHONG_BUREAU = '渝中区人力资源和社会保障局';
const JIANGBEI_BUREAU = '江北区人力资源和社会保障局';
const FIELD = `数字医疗与健康信息化${crypto.randomBytes(2).toString('hex')}`;

const PORTAL_REVIEWS = '/unit-center/education-base-review';
const CONSOLE_REVIEWS = '/education-base-reviews';

/** 继续教育基地申报 in 单位中心: every section through the form, 管理制度 uploaded; the 编号. */
async function fileBase(page: Page): Promise<string> {
  await page.goto(`${publicUrl()}/unit-center/education-base-apply`);
  await page.getByText('您当前选择的是：继续教育基地申报').waitFor();
  await page.getByRole('button', { name: '新增申报' }).click();
  await page.getByText('您当前申报的是：继续教育基地').waitFor();
  for (const title of ['基本情况', '师资情况', '近三年培训情况', '管理制度', '申报理由'])
    await page.getByRole('navigation', { name: '填报项' }).getByText(title).waitFor();

  expect(await input(page, 'basic.unitName').inputValue()).toBe(UNIT);
  await pickSelect(page, field(page, 'basic.nature').locator('.ant-select'), '企业');
  await input(page, 'basic.field').fill(FIELD);
  await input(page, 'basic.fullTimeStaff').fill('6');
  await input(page, 'basic.partTimeStaff').fill('12');
  await input(page, 'basic.facilities').fill(
    '多媒体培训教室4间、计算机实训室2间，可同时容纳300人培训，配备远程教学系统。',
  );
  await input(page, 'basic.contactName').fill('王五');
  await input(page, 'basic.contactPhone').fill('023-63891234');
  await saveAndNext(page, 'teachers.teachers');

  const teachers = [
    { 姓名: '李明', '职称/职务': '教授', 专业领域: '医学信息学', 工作单位: '重庆医科大学', 专兼职: '兼职' },
    { 姓名: '赵静', '职称/职务': '高级工程师', 专业领域: '健康大数据', 工作单位: UNIT, 专兼职: '专职' },
  ];
  for (const [i, row] of teachers.entries()) {
    await page.getByRole('button', { name: '添加一行' }).click();
    await fillRow(page, i + 1, row, ['专兼职']);
  }
  await saveAndNext(page, 'history.trainings');

  const year = Number(chinaDay().slice(0, 4));
  const trainings = [
    { 年度: String(year - 2), 培训项目: '医疗信息化专题培训', 人次: '180', 学时: '24' },
    { 年度: String(year - 1), 培训项目: '健康大数据应用研修', 人次: '240', 学时: '32' },
  ];
  for (const [i, row] of trainings.entries()) {
    await page.getByRole('button', { name: '添加一行' }).click();
    await fillRow(page, i + 1, row);
  }
  await saveAndNext(page, 'rules.files');

  await uploadFiles(page, 'rules.files', [pdfFile('培训管理制度.pdf'), pdfFile('师资管理办法.pdf')]);
  await saveAndNext(page, 'reason.reason');
  await input(page, 'reason.reason').fill(
    '本单位长期承担全市卫生健康领域专业技术人员信息化培训，师资稳定、制度健全，具备申报继续教育基地的条件。',
  );
  await saveAndNext(page, 'preview');
  await screenshot(page, 'bases-preview');
  return submitApplication(page);
}

/** The tab labels of a review list (全部（n）, 待主管部门审核（n） …), read from the page. */
async function tabs(page: Page): Promise<string[]> {
  const list = page.locator('.cpe-ar-tabs .ant-tabs-tab');
  await list.first().waitFor();
  return (await list.allInnerTexts()).map((t) => t.trim());
}

/** The list filtered to the 编号 shows it with `stage`, counted in its tab (and only there). */
async function expectListed(page: Page, url: string, number: string, stage: string) {
  await page.goto(url);
  const row = page.locator('.ant-table-row', { hasText: number });
  await row.getByText(stage).waitFor();
  const labels = await tabs(page);
  expect(labels).toContain('全部（1）');
  for (const s of ['待主管部门审核', '待区县人社局审核', '待市人社局审核'])
    expect(labels).toContain(`${s}（${s === stage ? 1 : 0}）`);
}

/** GET and approve by a reviewer outside the chain: 403 both. */
async function expectForbidden(api: Api, id: string) {
  const read = await api.request('GET', `/api/application-reviews/${id}`);
  expect(read.status).toBe(403);
  const act = await api.request('POST', `/api/application-reviews/${id}/approve`, { opinion: '' });
  expect(act.status).toBe(403);
  expect((act.json as { code?: string }).code).toBe('APPLICATION_REVIEWER_FORBIDDEN');
}

/** Approve by a reviewer on the chain whose turn it is not: 409. */
async function expectNotYourTurn(api: Api, id: string) {
  const act = await api.request('POST', `/api/application-reviews/${id}/approve`, { opinion: '' });
  expect(act.status).toBe(409);
}

const CITY_BUREAU = '重庆市人力资源和社会保障局';

/** The detail page's 审核进度: each step of the chain as `name state`. */
async function chainStates(page: Page): Promise<string[]> {
  const chain = page.getByTestId('review-chain');
  await chain.waitFor();
  const steps = chain.locator('.cpe-rt-step');
  const out: string[] = [];
  for (let i = 0; i < (await steps.count()); i++) {
    const step = steps.nth(i);
    out.push(
      `${await step.locator('.cpe-rt-step-name').innerText()} ${await step.locator('.cpe-rt-step-state').innerText()}`,
    );
  }
  return out;
}

describe('继续教育基地申报 → 主管部门 → 区县人社局 → 市人社局 → 继续教育基地名单', () => {
  it('a unit files; each reviewer approves at its turn; another district is refused at every step', async () => {
    // A 区县人社局 reviewer of 江北区: outside this unit's chain.
    const admin = await staffLoginByApi('admin', 'Admin@2026');
    const { items: nodes } = await admin.ok<{ items: Array<{ id: string; name: string }> }>('GET', '/api/org/nodes');
    const jiangbei = nodes.find((n) => n.name === JIANGBEI_BUREAU);
    expect(jiangbei).toBeDefined();
    const jbUsername = `e2ejb${crypto.randomBytes(4).toString('hex')}`;
    await admin.ok('POST', '/api/staff-accounts', {
      username: jbUsername,
      password: REVIEW_PASSWORD,
      displayName: '江北审核员',
      roles: ['reviewer'],
      orgNodeId: jiangbei?.id,
    });
    const jb = await staffLoginByApi(jbUsername, REVIEW_PASSWORD);
    const lisiApi = await portalLoginByApi('lisi', DEMO_PASSWORD);
    const yuzhongApi = await staffLoginByApi('yuzhong', REVIEW_PASSWORD);
    const shijuApi = await staffLoginByApi('shiju', REVIEW_PASSWORD);

    // 1. wangwu files in 单位中心 → 继续教育基地申报.
    const unit = await newPage(VIEWPORTS.desktop);
    await portalLogin(unit, 'wangwu', DEMO_PASSWORD);
    const number = await fileBase(unit);
    const head = unit.getByTestId('application-record-head').filter({ hasText: number });
    const unitRow = head.locator('xpath=following-sibling::tr[1]');
    await unitRow.getByText('待主管部门审核').waitFor();
    expect(await unitRow.textContent()).toContain(FIELD);
    await screenshot(unit, 'bases-unit-list');

    // Step 1, 主管部门: 江北区 403; 渝中区 and 市人社局 are on the chain but not yet (409).
    const lisi = await newPage(VIEWPORTS.desktop);
    await portalLogin(lisi, 'lisi', DEMO_PASSWORD);
    await lisi.goto(`${publicUrl()}/unit-center`);
    await lisi.locator('.cpe-unit-center-unit').getByText(DEPARTMENT).waitFor();
    await lisi.getByRole('navigation', { name: '单位中心' }).getByRole('link', { name: '继续教育基地审核' }).click();
    await lisi.waitForURL((u) => u.pathname === PORTAL_REVIEWS);
    await lisi.getByText('您当前选择的是：继续教育基地审核').waitFor();
    await expectListed(lisi, `${publicUrl()}${PORTAL_REVIEWS}?keyword=${number}`, number, '待主管部门审核');
    const lisiRow = lisi.locator('.ant-table-row', { hasText: number });
    expect(await lisiRow.textContent()).toContain(UNIT);
    await screenshot(lisi, 'bases-department-list');
    const { items } = await lisiApi.ok<{ items: Array<{ id: string; number: string }> }>(
      'GET',
      `/api/application-reviews?type=education-base&keyword=${number}`,
    );
    const id = items.find((i) => i.number === number)?.id as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await expectForbidden(jb, id);
    await expectNotYourTurn(yuzhongApi, id);
    await expectNotYourTurn(shijuApi, id);

    await lisiRow.getByRole('link', { name: '审核' }).click();
    await lisi.waitForURL((u) => u.pathname === `${PORTAL_REVIEWS}/${id}`);
    await lisi.getByText('待您审核（主管部门）').waitFor();
    expect(await chainStates(lisi)).toEqual([
      `${DEPARTMENT} 审核中`,
      `${YUZHONG_BUREAU} 待审核`,
      `${CITY_BUREAU} 待审核`,
    ]);
    await screenshot(lisi, 'bases-department-review');
    await approveOpen(lisi, PORTAL_REVIEWS, 'bases-department-approve-stuck');
    await expectListed(lisi, `${publicUrl()}${PORTAL_REVIEWS}?keyword=${number}`, number, '待区县人社局审核');
    // Not its turn any more: 查看, not 审核.
    await lisi.locator('.ant-table-row', { hasText: number }).getByRole('link', { name: '查看' }).waitFor();
    await unit.reload();
    await unitRow.getByText('待区县人社局审核').waitFor();

    // Step 2, 区县人社局 (渝中区).
    await expectForbidden(jb, id);
    await expectNotYourTurn(lisiApi, id);
    await expectNotYourTurn(shijuApi, id);
    const district = await newPage(VIEWPORTS.desktop);
    await staffLogin(district, 'yuzhong', REVIEW_PASSWORD);
    await district.getByRole('menuitem', { name: '继续教育基地认定' }).click();
    await district.waitForURL((u) => u.pathname === CONSOLE_REVIEWS);
    await expectListed(district, `${staffUrl()}${CONSOLE_REVIEWS}?keyword=${number}`, number, '待区县人社局审核');
    await district.locator('.ant-table-row', { hasText: number }).getByRole('link', { name: '审核' }).click();
    await district.getByText('待您审核（区县人社局）').waitFor();
    const timeline = district.locator('#ar-history');
    const approvedByDept = timeline.locator('.cpe-rt-item[data-action="approve"]');
    await approvedByDept.first().waitFor();
    expect(await approvedByDept.count()).toBe(1);
    expect(await approvedByDept.textContent()).toContain(DEPARTMENT);
    expect(await chainStates(district)).toEqual([
      `${DEPARTMENT} 审核通过`,
      `${YUZHONG_BUREAU} 审核中`,
      `${CITY_BUREAU} 待审核`,
    ]);
    await timeline.scrollIntoViewIfNeeded();
    await screenshot(district, 'bases-district-review-timeline');
    await approveOpen(district, CONSOLE_REVIEWS, 'bases-district-approve-stuck');
    await expectListed(district, `${staffUrl()}${CONSOLE_REVIEWS}?keyword=${number}`, number, '待市人社局审核');
    await unit.reload();
    await unitRow.getByText('待市人社局审核').waitFor();

    // Step 3, 市人社局: approval designates the base.
    await expectForbidden(jb, id);
    await expectNotYourTurn(lisiApi, id);
    await expectNotYourTurn(yuzhongApi, id);
    const city = await newPage(VIEWPORTS.desktop);
    await staffLogin(city, 'shiju', REVIEW_PASSWORD);
    await expectListed(city, `${staffUrl()}${CONSOLE_REVIEWS}?keyword=${number}`, number, '待市人社局审核');
    await city.locator('.ant-table-row', { hasText: number }).getByRole('link', { name: '审核' }).click();
    await city.getByText('待您审核（市人社局）').waitFor();
    expect(await city.locator('#ar-history .cpe-rt-item[data-action="approve"]').count()).toBe(2);
    await approveOpen(city, CONSOLE_REVIEWS, 'bases-city-approve-stuck');
    await city.goto(`${staffUrl()}${CONSOLE_REVIEWS}?keyword=${number}`);
    await city.locator('.ant-table-row', { hasText: number }).getByText('审核通过').waitFor();
    expect(await tabs(city)).toContain('审核通过（1）');
    // Decided: nobody on or off the chain acts again.
    await expectForbidden(jb, id);
    for (const api of [lisiApi, yuzhongApi, shijuApi]) await expectNotYourTurn(api, id);

    // The unit sees it approved, with every step done.
    await unit.reload();
    await unitRow.getByText('审核通过').waitFor();
    await unitRow.getByRole('link', { name: '预览' }).click();
    expect(await chainStates(unit)).toEqual([
      `${DEPARTMENT} 审核通过`,
      `${YUZHONG_BUREAU} 审核通过`,
      `${CITY_BUREAU} 审核通过`,
    ]);
    await screenshot(unit, 'bases-unit-approved');

    // 4. The public 继续教育基地名单 lists it.
    const anyone = await newPage(VIEWPORTS.desktop);
    await anyone.goto(`${publicUrl()}/bases`);
    await anyone.getByRole('heading', { name: '继续教育基地名单' }).waitFor();
    await anyone.getByRole('tab', { name: '继续教育基地' }).waitFor();
    await anyone.getByLabel('搜索基地').fill(UNIT);
    await anyone.getByRole('button', { name: '搜索' }).click();
    await anyone.waitForURL(/keyword=/);
    const base = anyone.locator('.ant-table-row', { hasText: FIELD });
    await base.waitFor();
    await anyone.locator('.ant-spin-blur').waitFor({ state: 'detached' });
    const baseText = (await base.textContent()) ?? '';
    expect(baseText).toContain(UNIT);
    expect(baseText).toContain('渝中区');
    await screenshot(anyone, 'bases-public-list');

    for (const p of [unit, lisi, district, city, anyone]) await p.context().close();
  }, 360_000);
});
