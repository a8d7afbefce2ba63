import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, publicUrl, screenshot, VIEWPORTS } from '../../browser.js';
import { portalLogin } from '../../session.js';

/**
 * Issue 21 §3: at 1280 px the 单位注册审核 table scrolled sideways and clipped its header, and the 日程安排 table hid
 * its 授课专家 input. Every 单位中心 page a unit administrator and a 主管部门 see (read from the menu, so a new item is
 * covered) must not scroll the page sideways, and each table either fits its card or scrolls inside it with its
 * header in the same scrolling box; the lists named below must fit.
 */
/** What the pinned 操作 column's edge shadow adds to a table's scroll width. */
const SHADOW = 2;
const MUST_FIT = ['/unit-center/unit-reviews', '/unit-center/advanced-seminars', '/unit-center/roster'];

const tablesOf = (page: Page) =>
  page.evaluate(() => ({
    page: document.documentElement.scrollWidth - window.innerWidth,
    tables: [...document.querySelectorAll('.cpe-main .ant-table-content')].map((e) => {
      const el = e as HTMLElement;
      return {
        overflow: el.scrollWidth - el.clientWidth,
        scrolls: ['auto', 'scroll'].includes(getComputedStyle(el).overflowX),
        header: !!el.querySelector('thead'),
      };
    }),
  }));

describe('单位中心 at 1280 px', () => {
  for (const who of ['wangwu', 'lisi']) {
    it(`${who}: no page scrolls sideways; tables fit or scroll inside their card with the header`, async () => {
      const page = await newPage(VIEWPORTS.desktop);
      await portalLogin(page, who, 'Demo@2026');
      await page.goto(`${publicUrl()}/unit-center`);
      await page.waitForLoadState('networkidle');
      const items = await page
        .locator('.cpe-main a[href^="/unit-center/"]')
        .evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href') as string))]);
      expect(items.length).toBeGreaterThan(5);
      const bad: string[] = [];
      for (const item of items) {
        await page.goto(`${publicUrl()}${item}`);
        await page.waitForLoadState('networkidle');
        const t = await tablesOf(page);
        const wrong =
          t.page > 1 ||
          t.tables.some((x) => x.overflow > SHADOW && (!x.scrolls || !x.header || MUST_FIT.includes(item)));
        if (wrong) {
          bad.push(`${item}: ${JSON.stringify(t)}`);
          await screenshot(page, `unit-center-1280-${who}-${item.split('/').pop()}`);
        }
      }
      expect(bad).toEqual([]);
      await page.context().close();
    });
  }

  it('the 日程安排 table of 研修内容和方式 shows every input without scrolling', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await portalLogin(page, 'wangwu', 'Demo@2026');
    await page.goto(`${publicUrl()}/unit-center/advanced-seminars`);
    await page.getByRole('button', { name: '新增申报' }).click();
    await page.getByRole('navigation', { name: '填报项' }).getByText('研修内容和方式').click();
    await page.getByRole('button', { name: '添加一行' }).click();
    await page.getByLabel('第1行授课专家').waitFor();
    const t = await tablesOf(page);
    // Within 2 px: the pinned 操作 column's edge shadow reaches past the table by that much.
    expect(t.tables.map((x) => x.overflow <= SHADOW)).toEqual([true]);
    // The last input ends left of the pinned 操作 column.
    const lecturer = await page.getByLabel('第1行授课专家').boundingBox();
    const actions = await page.getByRole('button', { name: '删除第1行' }).boundingBox();
    expect(lecturer && actions && lecturer.x + lecturer.width < actions.x).toBe(true);
    await screenshot(page, 'application-schedule-1280');
    await page.context().close();
  });
});
