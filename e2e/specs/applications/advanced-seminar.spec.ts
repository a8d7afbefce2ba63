import crypto from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../apps/server/test/pdf-text.js';
import { newPage, publicUrl, screenshot, staffUrl, VIEWPORTS } from '../../browser.js';
import { portalLogin, staffLogin } from '../../session.js';

const DEMO_PASSWORD = 'Demo@2026';
const REVIEW_PASSWORD = 'Review@2026';
const SAVE_NEXT = '保存并进入下一页';

/** One row of the section form, by its `section.field` key. */
const field = (page: Page, key: string): Locator => page.locator(`[data-field="${key}"]`);
const input = (page: Page, key: string) => field(page, key).locator('input, textarea').first();

async function saveAndNext(page: Page, next: string) {
  await page.getByRole('button', { name: SAVE_NEXT }).click();
  await field(page, next).first().waitFor();
}

async function pickDate(page: Page, target: Locator, day: string) {
  await target.click();
  await target.fill(day);
  await page.keyboard.press('Enter');
}

/**
 * 新增申报 and the nine sections, one 保存并进入下一页 at a time, as a person fills them. 承办单位's 联系电话
 * is left out on purpose: the preview must list it as missing.
 */
async function fillSections(page: Page, projectName: string) {
  await page.getByRole('button', { name: '新增申报' }).click();
  await page.getByText('您当前申报的是：市级高级研修项目').waitFor();
  for (const title of ['基本信息', '研修目的和作用', '授课专家情况', '收款账户', '其他附件'])
    await page.getByRole('navigation', { name: '填报项' }).getByText(title).waitFor();

  await input(page, 'basic.projectName').fill(projectName);
  const range = field(page, 'basic.period').locator('input');
  await range.first().click();
  await range.first().fill('2026-09-14');
  await range.nth(1).click();
  await range.nth(1).fill('2026-09-18');
  await page.keyboard.press('Enter');
  await input(page, 'basic.venue').fill('重庆市渝中区解放碑培训中心');
  await input(page, 'basic.estimatedFen').fill('12.5');
  await input(page, 'basic.subsidyFen').fill('8');
  await saveAndNext(page, 'purpose.purpose');

  await input(page, 'purpose.purpose').fill('提升全市智能制造领域高层次专业技术人才的创新能力和实践水平。');
  await saveAndNext(page, 'content.content');

  await input(page, 'content.content').fill('人工智能基础、工业互联网、智能产线改造案例。');
  await input(page, 'content.method').fill('专家授课、现场教学、分组研讨');
  await page.getByRole('button', { name: '添加一行' }).click();
  await pickDate(page, page.getByLabel('第1行日期'), '2026-09-14');
  await page.getByLabel('第1行时段').fill('上午');
  await page.getByLabel('第1行内容').fill('开班仪式与人工智能前沿');
  await saveAndNext(page, 'experts.experts');

  await page.getByRole('button', { name: '添加一行' }).click();
  await page.getByLabel('第1行姓名').fill('李明');
  await page.getByLabel('第1行工作单位').fill('重庆大学');
  await page.getByLabel('第1行职称/职务').fill('教授');
  await page.getByLabel('第1行专业领域').fill('人工智能');
  await page.getByLabel('第1行授课内容').fill('人工智能前沿');
  await saveAndNext(page, 'trainees.audience');

  await input(page, 'trainees.audience').fill('全市制造业企业高级工程师及技术骨干');
  await input(page, 'trainees.count').fill('80');
  await input(page, 'trainees.seniorCount').fill('50');
  await saveAndNext(page, 'applicant.unitName');

  // 申报单位 comes prefilled with the filer's name.
  expect(await input(page, 'applicant.unitName').inputValue()).not.toBe('');
  await input(page, 'applicant.address').fill('重庆市渝中区解放碑民族路188号');
  await input(page, 'applicant.contactName').fill('张联系');
  await input(page, 'applicant.contactPhone').fill('023-63891234');
  await saveAndNext(page, 'host.hostName');

  await input(page, 'host.hostName').fill('重庆市继续教育培训中心');
  await input(page, 'host.hostContact').fill('刘老师');
  await saveAndNext(page, 'account.accountName');

  await input(page, 'account.accountName').fill('重庆市继续教育培训中心');
  await input(page, 'account.bankName').fill('中国工商银行重庆解放碑支行');
  await input(page, 'account.accountNumber').fill('3100 0215 0902 4567 890');
  await saveAndNext(page, 'attachments.files');
}

/** 预览申报书 names the missing 联系电话; its link leads to the field; filled and saved, 提交申报书 gives a 编号. */
async function previewFixSubmit(page: Page): Promise<string> {
  await page.getByRole('button', { name: '预览申报书' }).click();
  const missing = page.getByTestId('missing-list').first();
  await missing.waitFor();
  expect(await missing.textContent()).toContain('联系电话');
  await screenshot(page, `applications-preview-missing-${shotTag(page)}`);
  await missing.getByRole('link', { name: /联系电话/ }).click();
  await input(page, 'host.hostPhone').fill('13800138001');
  await page.getByRole('button', { name: SAVE_NEXT }).click();
  await field(page, 'account.accountName').waitFor();

  await page.getByRole('button', { name: '提交申报书' }).click();
  await page.getByRole('button', { name: '提交', exact: true }).click();
  const done = page.getByText(/提交成功，编号：\d{16}/);
  await done.waitFor();
  await page.locator('.ant-modal-confirm').waitFor({ state: 'detached' });
  return /\d{16}/.exec((await done.textContent()) ?? '')?.[0] as string;
}

/** 市人社局: finds the 编号 in 项目审核管理 and opens it. */
async function openReview(page: Page, number: string) {
  await page.goto(`${staffUrl()}/application-reviews?keyword=${number}`);
  const row = page.locator('.ant-table-row', { hasText: number });
  await row.getByRole('link', { name: '审核' }).click();
  await page.locator('[data-section="basic"]').first().waitFor();
}

async function returnWithComments(page: Page, number: string, comments: Record<string, string>) {
  await openReview(page, number);
  for (const [section, text] of Object.entries(comments)) await page.locator(`[data-comment="${section}"]`).fill(text);
  await page.getByRole('button', { name: '退回修改' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByLabel('联系电话').fill('023-86861234');
  await dialog.getByRole('button', { name: '确认退回' }).click();
  await page.waitForURL((u) => u.pathname === '/application-reviews', { timeout: 60_000 });
}

/**
 * The filer opens the returned application: 改 on exactly the commented sections, the 修改意见记录 at
 * the foot of each, fixes 研修目的和作用 and resubmits.
 */
async function fixAndResubmit(page: Page, comments: Record<string, string>, addition: string) {
  await page.getByText('您当前申报的是：市级高级研修项目').waitFor();
  const nav = page.getByRole('navigation', { name: '填报项' });
  const marked = await nav
    .locator('li', { has: page.locator('.cpe-app-nav-mark') })
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-section')));
  expect(marked.sort()).toEqual(Object.keys(comments).sort());
  await nav.locator('[data-section="purpose"] a').click();
  const record = page.getByTestId('review-comments-record');
  await record.waitFor();
  const text = (await record.textContent()) ?? '';
  for (const label of ['审核部门', '审核时间', '联系人', '联系电话', '审核操作', '修改意见'])
    expect(text).toContain(label);
  expect(text).toContain('已退回');
  expect(text).toContain(comments.purpose);
  expect(text).toContain('023-86861234');
  await screenshot(page, `applications-returned-section-${shotTag(page)}`);
  const purpose = input(page, 'purpose.purpose');
  await purpose.fill(`${await purpose.inputValue()}${addition}`);
  await page.getByRole('button', { name: SAVE_NEXT }).click();
  await field(page, 'content.content').waitFor();
  await page.getByRole('button', { name: '提交申报书' }).click();
  await page.getByRole('button', { name: '提交', exact: true }).click();
  await page.getByText(/提交成功，编号：\d{16}/).waitFor();
}

/** The reviewer sees what changed and approves. */
async function seeDiffAndApprove(page: Page, number: string, addition: string) {
  await openReview(page, number);
  const diff = page.getByText('本轮修改内容（与上次提交相比）');
  await diff.waitFor();
  const panel = page.locator('section', { has: diff });
  expect(await panel.textContent()).toContain(addition);
  await screenshot(page, 'applications-review-diff-1280');
  await page.getByRole('button', { name: '审核通过' }).click();
  const confirm = page.getByRole('dialog').getByRole('button', { name: '确认通过' });
  await confirm.waitFor();
  await confirm.click();
  await page
    .waitForURL((u) => u.pathname === '/application-reviews', { timeout: 60_000 })
    .catch(async (err) => {
      await screenshot(page, 'applications-approve-stuck');
      throw err;
    });
}

/** The PDF 申报书 as the filer downloads it, read back as text. */
async function pdfOf(page: Page, listener: string, number: string): Promise<string> {
  const list = await page.request.get(`${listener}/api/applications?type=advanced-seminar&pageSize=100`);
  const item = ((await list.json()) as { items: Array<{ id: string; number: string | null }> }).items.find(
    (i) => i.number === number,
  );
  expect(item).toBeTruthy();
  const res = await page.request.get(`${listener}/api/applications/${item?.id}/pdf`);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('application/pdf');
  return pdfText(await res.body());
}

/** Which app a page is on, for screenshot names. */
const shotTag = (page: Page) => (page.url().startsWith(staffUrl()) ? 'console' : 'portal');

const COMMENTS = { purpose: '请补充研修对产业发展的作用', experts: '请增加一位企业专家' };

describe('市级高级研修项目申报 → 项目审核管理', () => {
  it('a unit files in 单位中心; 市人社局 returns it with comments; the unit fixes it; 市人社局 approves', async () => {
    const unit = await newPage(VIEWPORTS.desktop);
    const name = `智能制造高级研修班${crypto.randomBytes(2).toString('hex')}`;
    await portalLogin(unit, 'wangwu', DEMO_PASSWORD);
    await unit.goto(`${publicUrl()}/unit-center/advanced-seminars`);
    await unit.getByText('您当前选择的是：市级高级研修项目申报').waitFor();
    await fillSections(unit, name);
    const number = await previewFixSubmit(unit);
    // The list: the 编号 line with 申报截止时间 above the record, status 待市人社局审核.
    const head = unit.getByTestId('application-record-head').filter({ hasText: number });
    await head.waitFor();
    expect(await head.textContent()).toContain('申报截止时间');
    const row = head.locator('xpath=following-sibling::tr[1]');
    expect(await row.textContent()).toContain('待市人社局审核');
    await screenshot(unit, 'applications-unit-list-1280');

    const city = await newPage(VIEWPORTS.desktop);
    await staffLogin(city, 'shiju', REVIEW_PASSWORD);
    await returnWithComments(city, number, COMMENTS);

    await unit.reload();
    await head.locator('xpath=following-sibling::tr[1]').getByRole('link', { name: '修改' }).click();
    const addition = '并服务成渝地区双城经济圈建设。';
    await fixAndResubmit(unit, COMMENTS, addition);
    await screenshot(unit, 'applications-unit-resubmitted-1280');

    await seeDiffAndApprove(city, number, addition);
    await city.goto(`${staffUrl()}/application-reviews?status=approved&keyword=${number}`);
    await city.locator('.ant-table-row', { hasText: number }).waitFor();
    await screenshot(city, 'applications-review-approved-1280');

    const text = await pdfOf(unit, publicUrl(), number);
    expect(text).toContain(name);
    expect(text).toContain(number);
    await unit.context().close();
    await city.context().close();
  });

  it('a 区县人社局 files the same way in the staff console', async () => {
    const district = await newPage(VIEWPORTS.desktop);
    const name = `乡村振兴人才高级研修班${crypto.randomBytes(2).toString('hex')}`;
    await staffLogin(district, 'yuzhong', REVIEW_PASSWORD);
    await district.getByRole('menuitem', { name: '市级高级研修项目申报' }).click();
    await district.getByRole('button', { name: '刷新' }).waitFor();
    await fillSections(district, name);
    const number = await previewFixSubmit(district);
    const row = district.locator('.ant-table-row', { hasText: number });
    await row.waitFor();
    expect(await row.textContent()).toContain('待市人社局审核');

    const city = await newPage(VIEWPORTS.desktop);
    await staffLogin(city, 'shiju', REVIEW_PASSWORD);
    await returnWithComments(city, number, COMMENTS);

    await district.reload();
    await district.locator('.ant-table-row', { hasText: number }).getByRole('link', { name: '修改' }).click();
    const addition = '重点面向乡村基层专业技术人员。';
    await fixAndResubmit(district, COMMENTS, addition);
    await seeDiffAndApprove(city, number, addition);
    await screenshot(district, 'applications-district-1280');

    const text = await pdfOf(district, staffUrl(), number);
    expect(text).toContain(name);
    expect(text).toContain(number);
    await district.context().close();
    await city.context().close();
  });
});
