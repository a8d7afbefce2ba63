import { describe, expect, it } from 'vitest';
import { newPage, publicUrl, screenshot, VIEWPORTS } from '../../browser.js';
import { portalLogin } from '../../session.js';

/**
 * Issue 21 §2: 新增申报 then leaving leaves no （未填写名称） row behind — the next 新增申报 opens the same draft —
 * and 提交申报书 on an incomplete 申报书 lists what is missing (each a link) instead of asking to confirm.
 */
describe('新增申报 and 提交申报书 on an incomplete draft', () => {
  it('opening and leaving adds no row; submitting first lists the missing items, whose links lead to the field', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await portalLogin(page, 'wangwu', 'Demo@2026');
    const list = `${publicUrl()}/unit-center/advanced-seminars`;
    await page.goto(list);
    await page.getByText('您当前选择的是：市级高级研修项目申报').waitFor();
    const rowsBefore = await page.getByTestId('application-record-head').count();

    await page.getByRole('button', { name: '新增申报' }).click();
    await page.getByText('您当前申报的是：市级高级研修项目').waitFor();
    const firstDraft = page.url();

    // Left without saving: the list is as it was, with no unnamed row.
    await page.goto(list);
    await page.getByText('您当前选择的是：市级高级研修项目申报').waitFor();
    await page.getByRole('button', { name: '新增申报' }).waitFor();
    expect(await page.getByTestId('application-record-head').count()).toBe(rowsBefore);
    expect(await page.getByText('（未填写名称）').count()).toBe(0);
    await screenshot(page, 'applications-list-after-leaving-1280');

    // 新增申报 again opens that same draft.
    await page.getByRole('button', { name: '新增申报' }).click();
    await page.getByText('您当前申报的是：市级高级研修项目').waitFor();
    expect(page.url()).toBe(firstDraft);

    // 提交申报书 at once: no confirmation, the missing items with links.
    await page.getByRole('button', { name: '提交申报书' }).click();
    const missing = page.getByTestId('missing-list').first();
    await missing.waitFor();
    expect(await missing.textContent()).toMatch(/申报书还有\d+项未填写或填写有误/);
    expect(await page.getByText('确认提交申报书？').count()).toBe(0);
    await screenshot(page, 'applications-submit-incomplete-1280');
    const link = missing.getByRole('link', { name: /项目名称/ }).first();
    await link.click();
    await page.locator('[data-field="basic.projectName"]').first().waitFor();
    await page.context().close();
  });
});
