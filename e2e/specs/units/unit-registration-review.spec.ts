import crypto from 'node:crypto';
import { USCC_CHARSET, usccCheckChar } from '@cpe/shared';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { newPage, publicUrl, screenshot, staffUrl, VIEWPORTS } from '../../browser.js';
import { newPerson, portalLogin, portalLoginByApi, registerByApi, staffLogin, staffLoginByApi } from '../../session.js';

const DEMO_PASSWORD = 'Demo@2026';
const REVIEW_PASSWORD = 'Review@2026';
const YUZHONG_BUREAU = '渝中区人力资源和社会保障局';
const JIANGBEI_BUREAU = '江北区人力资源和社会保障局';
const HEALTH_COMMISSION = '重庆市卫生健康委员会';

type NodeList = { items: Array<{ id: string; name: string }> };

const hex = (n: number) => crypto.randomBytes(n).toString('hex');

/** A unit no run has used: 91500103 (企业, 渝中区) + 9 random code characters + the check character. */
function newUnit(prefix: string) {
  let first17 = '91500103';
  while (first17.length < 17) first17 += USCC_CHARSET[crypto.randomInt(0, USCC_CHARSET.length)];
  const tag = hex(3).toUpperCase();
  return { name: `${prefix}${tag}有限公司`, uscc: first17 + usccCheckChar(first17) };
}

async function png(label: string): Promise<Buffer> {
  const background = label === 'licence' ? '#eeeeee' : '#fff3e0';
  return sharp({ create: { width: 300, height: 200, channels: 3, background } })
    .png()
    .toBuffer();
}

/** One row of an antd form, found by its label as the person reads it. */
function field(scope: Page | Locator, label: string): Locator {
  return scope.locator('.ant-form-item').filter({ has: scope.locator(`.ant-form-item-label label[title="${label}"]`) });
}

/** The open antd Select dropdown's option with exactly this text. */
async function pickOption(page: Page, label: string) {
  await page
    .locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${label}"]`)
    .click();
}

async function upload(page: Page, label: string, name: string, buffer: Buffer) {
  const row = field(page, label);
  await row.locator('input[type="file"]').setInputFiles({ name, mimeType: 'image/png', buffer });
  await row.getByRole('button', { name: /重新上传/ }).waitFor();
  await row.getByRole('img', { name: label }).waitFor();
}

/** 注册地: 省份/直辖市 → 城市 → 区县, one column at a time. */
async function pickArea(page: Page, label: string, path: [string, string, string]) {
  const row = field(page, label);
  await row.locator('.ant-select').first().click();
  const dropdown = page.locator('.ant-cascader-dropdown:not(.ant-select-dropdown-hidden)');
  const option = (level: number, name: string) =>
    dropdown.locator('.ant-cascader-menu').nth(level).locator(`li[title="${name}"]`);
  for (const [i, name] of path.entries()) {
    await option(i, name).click();
    const next = path[i + 1];
    // A click while the dropdown is still animating in can be lost on a busy machine: click again until the
    // next column opens.
    for (let tries = 0; next && tries < 10 && !(await option(i + 1, next).isVisible()); tries++) {
      await page.waitForTimeout(300);
      if (!(await option(i + 1, next).isVisible())) await option(i, name).click();
    }
  }
  await dropdown.waitFor({ state: 'hidden' });
}

/** The reviewer's drawer and its documents: both pictures load. */
async function expectDocumentsShown(drawer: Locator) {
  for (const title of ['组织机构代码证或营业执照', '单位授权书']) {
    const img = drawer.getByRole('img', { name: title });
    await img.waitFor();
    await expect
      .poll(() => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
  }
}

async function approveInDrawer(page: Page, drawer: Locator) {
  await drawer.getByRole('button', { name: '审核通过' }).click();
  const confirm = page.locator('.ant-popconfirm:not(.ant-popover-hidden)');
  await confirm.getByText('确认审核通过？').waitFor();
  // Issue 21 §3: the confirmation keeps clear of the window's edges (it touched the right one at 1280 px).
  const box = await confirm.boundingBox();
  const width = page.viewportSize()?.width ?? 0;
  expect(box && box.x >= 8 && box.x + box.width <= width - 8, JSON.stringify({ box, width })).toBe(true);
  await screenshot(page, `unit-review-approve-confirm-${width}`);
  await confirm.getByRole('button', { name: '审核通过' }).click();
  await page.getByText('已审核通过').first().waitFor();
  await drawer.waitFor({ state: 'hidden' });
}

describe('单位注册审核 at desktop width', () => {
  it('registers a unit, is rejected, resubmits, is approved; a 主管部门 reviews on the portal; scopes hold', async () => {
    const viewport = VIEWPORTS.desktop;
    const person = newPerson('赵单位');
    const unit = newUnit('重庆e2e测试科技');
    const address1 = '重庆市渝中区解放碑路1号';
    const address2 = '重庆市渝中区民族路88号';
    await registerByApi(person);

    // 1. 注册管理员: the new person fills every field and submits.
    const me = await newPage(viewport);
    await portalLogin(me, person.username, person.password);
    await me.goto(`${publicUrl()}/units/register`);
    await me.getByRole('heading', { name: '单位管理员注册' }).waitFor();
    // A new form starts as the seed shows it: 注册类别 单位, 参保地 / 所在地 同注册地.
    expect(await field(me, '注册类别').getByRole('radio', { name: '单位', exact: true }).isChecked()).toBe(true);
    await me.getByPlaceholder('请输入单位全称，与营业执照一致').fill(unit.name);
    await me.getByPlaceholder('请输入18位统一社会信用代码').fill(unit.uscc);
    await upload(me, '组织机构代码证或营业执照', 'licence.png', await png('licence'));
    await pickArea(me, '注册地', ['重庆市', '重庆市', '渝中区']);
    await expect.poll(() => field(me, '注册地').innerText()).toContain('重庆市 / 渝中区');
    expect(await field(me, '参保地').getByRole('checkbox', { name: '同注册地' }).isChecked()).toBe(true);
    expect(await field(me, '所在地').getByRole('checkbox', { name: '同注册地' }).isChecked()).toBe(true);
    await expect.poll(() => field(me, '参保地').innerText()).toContain('重庆市 / 渝中区');
    await expect.poll(() => field(me, '所在地').innerText()).toContain('重庆市 / 渝中区');
    await me.getByPlaceholder('请输入街道、门牌号等详细地址').fill(address1);
    await field(me, '单位类型').locator('.ant-select').click();
    await pickOption(me, '企业');
    await field(me, '是否为乡镇基层单位').getByText('否', { exact: true }).click();
    await field(me, '申报地区(部门)').locator('.ant-select').click();
    await field(me, '申报地区(部门)').locator('input').fill('渝中区');
    await pickOption(me, YUZHONG_BUREAU);
    await expect.poll(() => field(me, '申报地区(部门)').innerText()).toContain(YUZHONG_BUREAU);
    await upload(me, '单位授权书', 'authorization.png', await png('authorization'));
    // Nothing is flagged: the code passes its check, the name and code are not taken.
    expect(await me.locator('.ant-form-item-explain-error').count()).toBe(0);
    expect(
      await me
        .getByRole('status')
        .filter({ hasText: /该单位已/ })
        .count(),
    ).toBe(0);
    await screenshot(me, 'unit-register-filled');
    await me.getByRole('button', { name: '提交注册' }).click();
    const confirm = me.getByRole('dialog', { name: '确认提交注册？' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: '提交注册' }).click();
    await me.locator('.ant-result-title', { hasText: '待主管部门审核' }).waitFor();
    await me.getByText(`您的单位注册申请已提交至${YUZHONG_BUREAU}`).waitFor();
    await me.getByText(address1).waitFor();

    // 2. 渝中区 reviewer: 单位注册审核 → 筛选 → 审核 → documents → 审核不通过.
    const reviewer = await newPage(viewport);
    await staffLogin(reviewer, 'yuzhong', REVIEW_PASSWORD);
    await reviewer.goto(`${staffUrl()}/unit-reviews`);
    await reviewer.getByText('单位注册审核').first().waitFor();
    await field(reviewer, '单位名称').locator('input').fill(unit.name);
    await reviewer.getByRole('button', { name: /筛\s*选$/ }).click();
    await reviewer.waitForURL(/unitName=/);
    const rows = reviewer.locator('.ant-table-tbody .ant-table-row');
    await expect.poll(() => rows.count()).toBe(1);
    const row = rows.filter({ hasText: unit.name });
    await row.getByText('待审核').waitFor();
    await row.getByRole('button', { name: /^审\s*核$/ }).click();
    const drawer = reviewer.locator('.ant-drawer-section');
    await drawer.getByText('审核单位注册申请').waitFor();
    await drawer.getByText(unit.uscc).waitFor();
    await drawer.getByText(person.realName).first().waitFor();
    await expectDocumentsShown(drawer);
    const applicationId = new URL(reviewer.url()).searchParams.get('id');
    expect(applicationId).toMatch(/^[0-9a-f-]{36}$/);
    // The drawer has finished sliding in (its buttons stand still) before the picture is taken.
    await drawer.getByRole('button', { name: '审核不通过' }).click({ trial: true });
    await screenshot(reviewer, 'unit-review-detail');
    await drawer.getByRole('button', { name: '审核不通过' }).click();
    const rejectModal = reviewer.getByRole('dialog', { name: '审核不通过' });
    await rejectModal.getByPlaceholder(/请填写审核不通过的原因/).fill('授权书未盖章');
    await rejectModal.getByRole('button', { name: '确认不通过' }).click();
    await reviewer.getByText('已审核不通过，申请人可修改后重新提交').waitFor();
    await drawer.waitFor({ state: 'hidden' });
    await row.getByText('审核未通过').waitFor();
    await screenshot(reviewer, 'unit-review-list');

    // 3. The person sees why, changes 详细地址 and submits again.
    await me.reload();
    const rejected = me.locator('.ant-alert-error').filter({ hasText: '审核未通过' });
    await rejected.getByText('原因：授权书未盖章').waitFor();
    expect(await me.getByPlaceholder('请输入单位全称，与营业执照一致').inputValue()).toBe(unit.name);
    await screenshot(me, 'unit-register-rejected');
    await me.getByPlaceholder('请输入街道、门牌号等详细地址').fill(address2);
    await me.getByRole('button', { name: '提交注册' }).click();
    await confirm.waitFor();
    await confirm.getByRole('button', { name: '提交注册' }).click();
    await me.locator('.ant-result-title', { hasText: '待主管部门审核' }).waitFor();
    await me.getByText(address2).waitFor();
    await me.getByText('修改后重新提交').first().waitFor();

    // 4. The reviewer approves the second round; the person now has 单位中心.
    await reviewer.reload();
    await row.getByText('待审核').waitFor();
    await row.getByRole('button', { name: /^审\s*核$/ }).click();
    await drawer.getByText('第2次提交', { exact: true }).waitFor();
    await drawer.getByText(address2).waitFor();
    await expectDocumentsShown(drawer);
    await approveInDrawer(reviewer, drawer);
    await row.getByText('审核通过').waitFor();

    await me.goto(`${publicUrl()}/unit-center`);
    await me.getByRole('heading', { name: '单位中心' }).waitFor();
    await me.locator('.cpe-unit-center-unit').getByText(unit.name).waitFor();
    await me.getByRole('navigation', { name: '单位中心' }).getByText('单位信息修改').waitFor();
    await me.getByText(address2).waitFor();
    await screenshot(me, 'unit-center');

    // 5. A registration addressed to 重庆市卫生健康委员会, reviewed by its administrator (lisi) on the portal.
    const applicant = newPerson('钱申请');
    const deptUnit = newUnit('重庆e2e卫健协作');
    await registerByApi(applicant);
    const applicantApi = await portalLoginByApi(applicant.username, applicant.password);
    const { items: reviewerNodes } = await applicantApi.ok<NodeList>('GET', '/api/org/reviewers');
    const commission = reviewerNodes.find((n) => n.name === HEALTH_COMMISSION);
    expect(commission).toBeDefined();
    await applicantApi.ok('POST', '/api/unit-registration', {
      category: 'unit',
      unitName: deptUnit.name,
      uscc: deptUnit.uscc,
      licenceFileId: await applicantApi.upload('licence', 'licence.png', await png('licence')),
      regArea: '500103',
      insuredArea: '500103',
      locatedArea: '500103',
      address: '重庆市渝中区大坪正街1号',
      unitType: '企业',
      isGrassroots: false,
      reviewerNodeId: commission?.id,
      authorizationFileId: await applicantApi.upload('authorization', 'authorization.png', await png('authorization')),
    });

    const lisi = await newPage(viewport);
    await portalLogin(lisi, 'lisi', DEMO_PASSWORD);
    await lisi.goto(`${publicUrl()}/unit-center`);
    await lisi.locator('.cpe-unit-center-unit').getByText(HEALTH_COMMISSION).waitFor();
    await lisi.getByRole('navigation', { name: '单位中心' }).getByRole('link', { name: '单位注册审核' }).click();
    await lisi.waitForURL(/\/unit-center\/unit-reviews/);
    await lisi.getByText('您当前选择的是：继续教育单位注册审核').waitFor();
    const deptRow = lisi.locator('.ant-table-tbody .ant-table-row').filter({ hasText: deptUnit.name });
    await deptRow.getByText('待主管部门审核').waitFor();
    await deptRow.getByText(applicant.realName).waitFor();
    // A 主管部门 sees only what is addressed to it: not the 渝中区 application.
    expect(await lisi.locator('.ant-table-tbody').getByText(unit.name).count()).toBe(0);
    await screenshot(lisi, 'department-review-list');
    await deptRow.getByRole('button', { name: /^审\s*核$/ }).click();
    const deptDrawer = lisi.locator('.ant-drawer-section');
    await deptDrawer.getByText('审核单位注册申请').waitFor();
    await deptDrawer.getByText(deptUnit.uscc).waitFor();
    await expectDocumentsShown(deptDrawer);
    await approveInDrawer(lisi, deptDrawer);
    await deptRow.getByText('审核通过').waitFor();
    const center = await applicantApi.ok<{ unit: { name: string } }>('GET', '/api/unit-center');
    expect(center.unit.name).toBe(deptUnit.name);

    // 6. A reviewer of another district may not read the 渝中区 application.
    const admin = await staffLoginByApi('admin', 'Admin@2026');
    const { items: nodes } = await admin.ok<NodeList>('GET', '/api/org/nodes');
    const jiangbei = nodes.find((n) => n.name === JIANGBEI_BUREAU);
    expect(jiangbei).toBeDefined();
    const jbUsername = `e2ejb${hex(4)}`;
    await admin.ok('POST', '/api/staff-accounts', {
      username: jbUsername,
      password: REVIEW_PASSWORD,
      displayName: '江北审核员',
      roles: ['reviewer'],
      orgNodeId: jiangbei?.id,
    });
    const jb = await staffLoginByApi(jbUsername, REVIEW_PASSWORD);
    const forbidden = await jb.request('GET', `/api/unit-reviews/${applicationId}`);
    expect(forbidden.status).toBe(403);
    expect((forbidden.json as { code?: string }).code).toBe('UNIT_REVIEW_FORBIDDEN');

    for (const p of [me, reviewer, lisi]) await p.context().close();
  });
});
