import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { newPage, publicUrl, screenshot, staffUrl, VIEWPORTS } from '../../browser.js';
import { newPerson, portalLogin, registerByApi, staffLogin } from '../../session.js';

const OPERATOR = { username: 'peixun', password: 'Train@2026' };

/** A 缴费平台网页截图 stand-in. */
function png(): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 200, channels: 3, background: '#e6f4ff' } })
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

describe('补学: 2011–2022 make-up study', () => {
  it('a learner asks for 2019 with a 缴费凭证, the operator approves it, and 2019 is open for free', async () => {
    const p = newPerson('补学学员');
    await registerByApi(p);

    // 1. The learner fills 附件3's table with one payment and its screenshot.
    const me = await newPage(VIEWPORTS.desktop);
    await portalLogin(me, p.username, p.password);
    await me.goto(`${publicUrl()}/makeup`);
    await me.getByText('工作人员审核通过后（一般在3个工作日内完成审核）可免费进入现平台进行补学。').waitFor();
    await me.getByText('暂无补学申请').waitFor();

    await field(me, '补学年度').locator('.ant-select').click();
    await pickOption(me, '2019年');
    await me.locator('.ant-radio-button-wrapper', { hasText: '缴费凭证' }).click();
    const row = me.locator('.cpe-mk-rows .ant-table-row').first();
    expect(await row.getByLabel('缴费年度').inputValue()).toBe('2019');
    expect(await row.getByLabel('付款人').inputValue()).toBe(p.realName);
    await row.getByLabel('订单编号').fill('2019000123');
    await row.getByLabel('付款人').fill(p.realName);
    const paidAt = row.locator('.ant-picker input');
    await paidAt.click();
    await paidAt.fill('2019-05-10');
    await paidAt.press('Enter');
    await row.getByLabel('缴费平台').fill('重庆人社培训网');
    await row
      .locator('input[type="file"]')
      .setInputFiles({ name: 'receipt-2019.png', mimeType: 'image/png', buffer: await png() });
    await row.getByText('receipt-2019.png').waitFor();
    await expect.poll(() => row.getByText('请上传缴费截图').count()).toBe(0);
    expect(await paidAt.inputValue()).toBe('2019-05-10');
    await screenshot(me, 'makeup-form-1280');

    await me.getByRole('button', { name: '提交申请' }).click();
    await me
      .locator('.ant-modal-confirm')
      .getByRole('button', { name: /确认提交/ })
      .click();
    await me.getByText('补学申请已提交，请等待审核').waitFor();
    const mine = me.locator('.ant-table-row[data-year="2019"]');
    await mine.getByText('待审核').waitFor();
    await mine.getByText(/预计 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 前完成/).waitFor();
    await screenshot(me, 'makeup-pending-1280');

    // 2. The operator finds the request in 补学审核, sees the screenshot and approves it.
    const op = await newPage(VIEWPORTS.desktop);
    await staffLogin(op, OPERATOR.username, OPERATOR.password);
    await op.getByRole('menuitem', { name: '补学审核' }).click();
    await op.waitForURL(`${staffUrl()}/makeup-requests`);
    await op.getByPlaceholder('学员姓名').fill(p.realName);
    await op.getByRole('button', { name: /筛\s*选/ }).click();
    const listed = op.locator(`.ant-table-row[data-name="${p.realName}"][data-status="pending"]`).first();
    await listed.getByText('2019年').waitFor();
    await screenshot(op, 'makeup-admin-list-1280');
    await listed.getByRole('button', { name: /^审\s*核$/ }).click();
    const drawer = op.locator('.ant-drawer-section');
    await drawer.getByText('补学申请详情').waitFor();
    await drawer.getByText('2019000123').waitFor();
    await drawer.getByText('重庆人社培训网').waitFor();
    const shot = drawer.getByRole('img', { name: '缴费截图1' });
    await shot.waitFor();
    await expect.poll(() => shot.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(320);
    await drawer.getByRole('button', { name: '审核通过' }).click({ trial: true });
    await screenshot(op, 'makeup-admin-drawer-1280');
    await drawer.getByRole('button', { name: '审核通过' }).click();
    await op.locator('.ant-modal-confirm').getByRole('button', { name: '审核通过' }).click();
    await op.getByText('已审核通过，已为学员开通补学').waitFor();
    await drawer.getByText('已通过').waitFor();
    await op.context().close();

    // 3. The learner sees 2019 open (a free enrolment, no payment asked).
    await me.reload();
    const enrolled = me.getByTestId('makeup-enrolled').locator('li[data-year="2019"]');
    await enrolled.getByText('已开通补学').waitFor();
    await enrolled.getByText(/免费开通/).waitFor();
    await mine.getByText('已通过').waitFor();
    const orders = await me.evaluate(async () => {
      const res = await fetch('/api/makeup/enrollments', { credentials: 'same-origin' });
      return (await res.json()) as { items: Array<{ year: number; orderNo: string }> };
    });
    expect(orders.items.map((e) => e.year)).toEqual([2019]);
    await screenshot(me, 'makeup-enrolled-1280');

    // 4. …and studies it: 课程培训 lists the 2019 plan, its courses open, the player starts a session with a video.
    await me.goto(`${publicUrl()}/study`);
    const plan2019 = me.locator('.cpe-study-plan', { hasText: '2019' });
    await plan2019.getByText('学分要求').waitFor();
    await plan2019.getByRole('button', { name: '进入学习' }).click();
    await me.locator('.cpe-study-course-name a').first().click();
    await me.getByRole('button', { name: '开始学习' }).click();
    await me.locator('video.cpe-study-video').waitFor();
    await me.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 1);
    await screenshot(me, 'makeup-study-2019-1280');
    await me.context().close();
  });
});
