import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, publicUrl, screenshot, VIEWPORTS } from '../../browser.js';
import { portalLogin } from '../../session.js';

interface Stat {
  realName: string;
  hours: number;
  publicHours: number;
  professionalHours: number;
  met: boolean;
}

/** What the server counts for 张三 in `year`, asked through the page's own session. */
const zhangsanIn = (page: Page, year: number) =>
  page.evaluate(async (y) => {
    const res = await fetch(`/api/unit-center/credit-stats?year=${y}&keyword=${encodeURIComponent('张三')}`);
    return ((await res.json()).items as Stat[]).find((i) => i.realName === '张三');
  }, year);

const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/**
 * Issue 19 §4: 单位中心 → 学时统计. The demo's 张三 works at 王五's unit: last year complete (30 + 60, 达标), this year
 * short. 王五 reads both years, filters 未达标, searches by name and exports the list; at 375 px nothing scrolls sideways.
 */
describe('单位中心 → 学时统计', () => {
  it('王五 sees 张三 未达标 this year and 达标 last year, filters, and exports', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await portalLogin(page, 'wangwu', 'Demo@2026');
    await page.goto(`${publicUrl()}/unit-center/credit-stats`);
    const stats = page.locator('.cpe-credit-stats');
    await stats.getByTestId('credit-stats-summary').waitFor();
    const year = Number((await stats.getByLabel('年度').locator('..').innerText()).match(/(\d{4})年度/)?.[1]);
    const now = await zhangsanIn(page, year);
    expect(now).toBeTruthy();
    const row = stats.locator('.ant-table-row', { hasText: '张三' });
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    expect(cells.slice(3, 7)).toEqual([
      String(now?.hours),
      String(now?.publicHours),
      String(now?.professionalHours),
      now?.met ? '达标' : '未达标',
    ]);
    await screenshot(page, 'credit-stats-1280');

    // Last year: 90 学时 of which 60 专业科目, 达标; then 未达标 leaves 张三 out.
    await stats.getByLabel('年度').click();
    await page
      .locator('.ant-select-dropdown')
      .getByText(`${year - 1}年度`)
      .click();
    const last = stats.locator('.ant-table-row', { hasText: '张三' });
    await expect
      .poll(async () => (await last.locator('td').allInnerTexts()).slice(3, 7))
      .toEqual(['90', '30', '60', '达标']);
    await stats.getByText('未达标', { exact: true }).first().click();
    await expect.poll(() => last.count()).toBe(0);
    await stats.getByText('全部人员', { exact: true }).click();
    await last.waitFor();
    await stats.getByPlaceholder('按姓名查找').fill('张三');
    await stats.getByPlaceholder('按姓名查找').press('Enter');
    await expect.poll(() => stats.locator('.ant-table-row').count()).toBe(1);

    const download = page.waitForEvent('download');
    await stats.getByRole('button', { name: /导出Excel/ }).click();
    expect((await download).suggestedFilename()).toMatch(new RegExp(`${year - 1}年度学时统计\\.xlsx$`));

    // 提醒未达标人员: last year everyone is 达标 (nothing to send); this year 张三 is reminded, once a day.
    await stats.getByPlaceholder('按姓名查找').fill('');
    await stats.getByPlaceholder('按姓名查找').press('Enter');
    await stats.getByLabel('年度').click();
    await page.locator('.ant-select-dropdown').getByText(`${year}年度`).click();
    await stats.locator('.ant-table-row', { hasText: '张三' }).waitFor();
    const unmet = Number((await stats.getByTestId('credit-stats-summary').innerText()).match(/未达标\s*(\d+)/)?.[1]);
    expect(unmet).toBeGreaterThanOrEqual(1);
    await stats.getByRole('button', { name: /提醒未达标人员/ }).click();
    const confirm = page.locator('.ant-modal-confirm');
    // The reminder reaches those still in the unit: other specs may have moved someone out during the year.
    await expect.poll(() => confirm.innerText()).toMatch(/将向本单位 \d+ 名未达标的在职人员/);
    const reach = Number((await confirm.innerText()).match(/将向本单位 (\d+) 名/)?.[1]);
    expect(reach).toBeGreaterThanOrEqual(1);
    expect(reach).toBeLessThanOrEqual(unmet);
    await confirm.getByRole('button', { name: '发送提醒' }).click();
    await page.getByText(`已向 ${reach} 名未达标人员发送提醒`).waitFor();
    await stats.getByRole('button', { name: /提醒未达标人员/ }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '发送提醒' }).click();
    await page.getByText('今天已向这些人员发送过学时提醒，请明天再试').waitFor();
    await page.context().close();
  });

  it('at 375 px the page does not scroll sideways', async () => {
    const page = await newPage(VIEWPORTS.phone);
    await portalLogin(page, 'wangwu', 'Demo@2026');
    await page.goto(`${publicUrl()}/unit-center/credit-stats`);
    await page.locator('.cpe-credit-stats .ant-table-row', { hasText: '张三' }).waitFor();
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'credit-stats-375');
    await page.context().close();
  });
});
