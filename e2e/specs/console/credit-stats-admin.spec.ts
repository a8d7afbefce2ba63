import crypto from 'node:crypto';
import type { TCreditPersonRecord, TCreditStats } from '@cpe/shared/schemas/credit-admin';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, screenshot, staffUrl, VIEWPORTS } from '../../browser.js';
import { staffLogin } from '../../session.js';

const DEMO_UNIT = '重庆渝中示例科技有限公司';

const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** What the server answers the page's own session (figures other specs may have moved meanwhile). */
const getJson = <T>(page: Page, path: string) =>
  page.evaluate(async (p) => {
    const res = await fetch(p, { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`GET ${p} → ${res.status}`);
    return res.json();
  }, path) as Promise<T>;

/** 学时查询: 张三 by name, then his record from the row. */
async function openZhangsan(page: Page) {
  await page.getByRole('menuitem', { name: '学时查询与更正' }).click();
  await page.waitForURL(`${staffUrl()}/credits-admin`);
  await page.getByPlaceholder('姓名/证件号码/手机号').fill('张三');
  await page.getByRole('button', { name: /查\s*询/ }).click();
  const row = page.locator('.ant-table-row', { hasText: DEMO_UNIT }).filter({ hasText: '张三' }).first();
  await row.waitFor();
  return row;
}

/**
 * Issue 19 §4: 学时管理 → 学时查询与更正 and 学时统计 on the console. 培训中心 finds 张三 (masked), reads his record and
 * adds a 学时更正 with its reason (shown on the record, counted in the year); 学时统计 shows the year's 达标率 by 区县
 * and 单位类型, opens the units of 渝中区 and exports; a 区县人社局 reviewer sees its district only and cannot correct.
 */
describe('学时管理 (console)', () => {
  it('培训中心: finds 张三 masked, corrects his 学时 with a reason (+2 then −2), the record shows both', async () => {
    const tag = crypto.randomBytes(3).toString('hex');
    const page = await newPage(VIEWPORTS.desktop);
    await staffLogin(page, 'peixun', 'Train@2026');
    const row = await openZhangsan(page);
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[1]).toMatch(/^\d\*+[\dX]$/);
    await screenshot(page, 'credits-admin-search-1280');

    await row.getByRole('link', { name: '学时档案' }).click();
    await page.waitForURL(/\/credits-admin\/[0-9a-f-]{36}/);
    const accountId = page.url().split('/').pop()?.split('?')[0] as string;
    await page.getByRole('heading', { name: '张三的学时档案' }).waitFor();
    const before = await getJson<TCreditPersonRecord>(page, `/api/admin/credits/people/${accountId}`);
    const year = before.person.year;
    const yearOf = (r: TCreditPersonRecord) => r.record.years.find((y) => y.year === year);
    await page.getByRole('link', { name: '在学员管理中查看完整信息' }).waitFor();

    const correct = async (hours: number, title: string, reason: string) => {
      await page.getByRole('button', { name: /学时更正/ }).click();
      const modal = page.locator('.ant-modal').filter({ hasText: '更正原因' });
      await modal.locator('.ant-radio-button-wrapper', { hasText: '专业科目' }).click();
      await modal.getByLabel('更正学时').fill(String(hours));
      await modal.getByLabel('项目名称').fill(title);
      // Without a reason the form says so and nothing is sent.
      await modal.getByRole('button', { name: /确认更正/ }).click();
      await modal.getByText('请填写更正原因').waitFor();
      await modal.getByLabel('更正原因').fill(reason);
      await modal
        .getByText(`将为张三的${year}年度专业科目${hours > 0 ? '增加' : '扣减'} ${Math.abs(hours)} 学时。`)
        .waitFor();
      if (hours > 0) await screenshot(page, 'credits-admin-correction-1280');
      await modal.getByRole('button', { name: /确认更正/ }).click();
      await page.getByText('学时已更正，已记入处理记录和审计日志').waitFor();
      await modal.waitFor({ state: 'hidden' });
    };
    await correct(2, `补记面授培训${tag}`, `单位补交培训证明${tag}`);
    const plus = page.locator('.ant-table-row[data-source="correction"]', { hasText: `补记面授培训${tag}` });
    await plus.getByText('+2').waitFor();
    await plus.getByText(`更正原因：单位补交培训证明${tag}`).waitFor();
    const after = await getJson<TCreditPersonRecord>(page, `/api/admin/credits/people/${accountId}`);
    expect(yearOf(after)?.hours).toBe((yearOf(before)?.hours ?? 0) + 2);
    await page
      .getByTestId('credit-year-figures')
      .getByText(`${year}年度已认定 ${Math.max(0, yearOf(after)?.hours ?? 0)} / 90 学时`)
      .waitFor();
    // The history of the correction: who, and the reason again.
    await plus.click();
    await page.locator('.cpe-credit-history').getByText('学时更正').first().waitFor();
    await screenshot(page, 'credits-admin-record-1280');

    await correct(-2, `撤回测试更正${tag}`, `测试更正撤回${tag}`);
    const minus = page.locator('.ant-table-row[data-source="correction"]', { hasText: `撤回测试更正${tag}` });
    await minus.getByText('−2').waitFor();
    const back = await getJson<TCreditPersonRecord>(page, `/api/admin/credits/people/${accountId}`);
    expect(yearOf(back)?.hours).toBe(yearOf(before)?.hours);
    await page.context().close();
  });

  it('市人社局: 学时统计 by 区县 and 单位类型, the units of 渝中区, Excel; the dashboard shows the 达标率', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await staffLogin(page, 'shiju', 'Review@2026');
    await page.getByRole('menuitem', { name: '学时统计' }).click();
    await page.waitForURL(`${staffUrl()}/credit-stats-admin`);
    const total = page.getByTestId('credit-stats-total');
    await total.waitFor();
    const year = Number((await page.getByLabel('年度').locator('..').innerText()).match(/(\d{4})年度/)?.[1]);
    const stats = await getJson<TCreditStats>(page, `/api/admin/credits/stats?year=${year}`);
    await total.getByText(`${stats.year}年度全市学时达标率`).waitFor();
    const yz = page.locator('.ant-table-row[data-key="500103"]');
    await yz.waitFor();
    const yzFigures = stats.rows.find((r) => r.key === '500103');
    expect(yzFigures?.members).toBeGreaterThanOrEqual(1);
    expect((await yz.locator('td').allInnerTexts()).slice(0, 4)).toEqual([
      '渝中区',
      String(yzFigures?.members),
      String(yzFigures?.met),
      String(yzFigures?.unmet),
    ]);
    await yz.locator('.ant-progress').waitFor();
    await screenshot(page, 'credit-stats-admin-1280');

    const download = page.waitForEvent('download');
    await page
      .getByRole('button', { name: /导出Excel/ })
      .first()
      .click();
    expect((await download).suggestedFilename()).toMatch(/年度学时统计（按区县）\.xlsx$/);

    await yz.getByRole('button', { name: '查看单位' }).click();
    const drawer = page.locator('.ant-drawer-section');
    await drawer.getByText(`渝中区 · ${stats.year}年度各单位学时达标情况`).waitFor();
    await drawer.locator('.ant-table-row', { hasText: DEMO_UNIT }).waitFor();
    await screenshot(page, 'credit-stats-admin-units-1280');
    const unitsDownload = page.waitForEvent('download');
    await drawer.getByRole('button', { name: /导出Excel/ }).click();
    expect((await unitsDownload).suggestedFilename()).toMatch(/（渝中区）\.xlsx$/);
    await page.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });

    await page.getByText('按单位类型').click();
    await page.waitForURL((u) => u.searchParams.get('by') === 'unit-type');
    await page.getByRole('columnheader', { name: '单位类型' }).waitFor();
    await page.locator('.ant-table-row[data-key="企业"]').waitFor();

    await page.goto(`${staffUrl()}/dashboard`);
    await page.getByText(`${stats.year}年度学时达标率`).first().waitFor();
    const block = page.getByRole('region', { name: `${stats.year}年度学时达标率（按区县）` });
    await block.locator('canvas').waitFor();
    await block.scrollIntoViewIfNeeded();
    await screenshot(page, 'dashboard-credit-rates-1280');
    await page.context().close();
  });

  it('渝中区 reviewer: its district only, no 学时更正; at 375 px nothing scrolls sideways', async () => {
    const page = await newPage(VIEWPORTS.phone);
    await staffLogin(page, 'yuzhong', 'Review@2026');
    await page.goto(`${staffUrl()}/credit-stats-admin`);
    await page
      .getByTestId('credit-stats-total')
      .getByText(/渝中区人力资源和社会保障局学时达标率/)
      .waitFor();
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(1);
    await page.locator('.ant-table-row[data-key="500103"]').waitFor();
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'credit-stats-admin-375');

    await page.locator('.ant-table-row[data-key="500103"]').getByRole('button', { name: '查看单位' }).click();
    await page.locator('.ant-drawer-section .ant-table-row', { hasText: DEMO_UNIT }).waitFor();
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'credit-stats-admin-units-375');

    await page.goto(`${staffUrl()}/credits-admin?keyword=${encodeURIComponent('张三')}`);
    const row = page.locator('.ant-table-row', { hasText: DEMO_UNIT }).first();
    await row.waitFor();
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'credits-admin-search-375');
    await row.getByRole('link', { name: '张三' }).click();
    await page.getByRole('heading', { name: '张三的学时档案' }).waitFor();
    await page.getByTestId('credit-year-figures').waitFor();
    expect(await page.getByRole('button', { name: /学时更正/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: '在学员管理中查看完整信息' }).count()).toBe(0);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'credits-admin-record-375');
    await page.context().close();
  });
});
