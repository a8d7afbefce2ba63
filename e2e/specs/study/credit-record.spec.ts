import { platformYear } from '@cpe/shared/platform-zone';
import { CREDIT_PROFESSIONAL_MIN, CREDIT_YEARLY_TARGET, type TCreditList } from '@cpe/shared/schemas/credits';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, publicUrl, screenshot, VIEWPORTS } from '../../browser.js';
import { portalLogin } from '../../session.js';

const DEMO_PASSWORD = 'Demo@2026';

/** What the page itself is answered: GET /api/my/credits with the signed-in person's session. */
const myCredits = (page: Page): Promise<TCreditList> =>
  page.evaluate(async () => {
    const res = await fetch('/api/my/credits', { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`GET /api/my/credits → ${res.status}`);
    return res.json();
  });

/** This year in the platform's time zone (the one the server writes into the page), as the page counts it. */
const thisYear = async (page: Page): Promise<number> => {
  const zone = await page.evaluate(
    () => document.querySelector('meta[name="cpe-time-zone"]')?.getAttribute('content') || null,
  );
  return platformYear(new Date(), zone ?? undefined);
};

const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** Opens 继续教育 ▾ in the main navigation (at 375 px first the 菜单 panel) and returns its dropdown. */
async function openContinuingEducation(page: Page, phone = false) {
  if (phone) await page.getByRole('button', { name: /菜单/ }).click();
  await page.getByRole('button', { name: '继续教育' }).click();
  const menu = page.locator('.cpe-nav-menu.is-open .cpe-nav-dropdown');
  await menu.waitFor();
  return menu;
}

/**
 * 学时档案: a professional needs 90 学时 of continuing education a year, 专业科目 at least 60 of them. The page shows this
 * year's 学时 against that (as GET /api/my/credits counts them), with its entries, and stays within a phone's width.
 */
describe('学时档案 (继续教育 → 学时档案)', () => {
  it('at 1280 px zhangsan finds it under 继续教育 and sees this year’s figures as the server counts them', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await portalLogin(page, 'zhangsan', DEMO_PASSWORD);
    const menu = await openContinuingEducation(page);
    await menu.getByRole('link', { name: '学时档案' }).click();
    await page.waitForURL((u) => u.pathname === '/credits');
    await page.getByRole('heading', { name: '学时档案' }).waitFor();
    const summary = page.locator('.cpe-credit-summary');
    await summary.waitFor();

    const credits = await myCredits(page);
    const year = await thisYear(page);
    const y = credits.years.find((v) => v.year === year);
    expect(y, `${year} is among the years the server lists`).toBeDefined();
    if (!y) return;

    // The year shown is this year, picked in the 年度 select.
    expect(await text(page, '.cpe-credit-year')).toContain(`${year}年度`);
    expect(await text(page, '.cpe-credit-summary .ant-card-head-title')).toBe(`${year}年度`);

    // The total against 90, its progress bar, 公需科目 and 专业科目, and 达标 / 未达标: as the server counts them.
    expect(await text(page, '.cpe-credit-total')).toContain(
      `已获得 ${y.hours} 学时 / 年度要求 ${CREDIT_YEARLY_TARGET} 学时`,
    );
    const percent = Math.min(100, Math.round((y.hours / CREDIT_YEARLY_TARGET) * 100));
    expect(await summary.getByRole('progressbar').getAttribute('aria-valuenow')).toBe(String(percent));
    expect(await text(page, '.cpe-credit-figure[data-category="public"]')).toContain(`${y.publicHours} 学时`);
    const professional = await text(page, '.cpe-credit-figure[data-category="professional"]');
    expect(professional).toContain(`${y.professionalHours} 学时`);
    expect(professional).toContain(
      y.professionalHours >= CREDIT_PROFESSIONAL_MIN
        ? `专业科目已达 ${CREDIT_PROFESSIONAL_MIN} 学时`
        : `专业科目不足 ${CREDIT_PROFESSIONAL_MIN} 学时，还差 ${CREDIT_PROFESSIONAL_MIN - y.professionalHours} 学时`,
    );
    expect(await text(page, '.cpe-credit-summary .ant-card-extra')).toBe(y.met ? '达标' : '未达标');
    expect(y.met).toBe(y.hours >= CREDIT_YEARLY_TARGET && y.professionalHours >= CREDIT_PROFESSIONAL_MIN);

    // The year's entries, or 本年度暂无学时记录.
    const entries = credits.items.filter((e) => e.year === year);
    const records = page.locator('.cpe-credit-entries');
    if (entries.length === 0) {
      await records.getByText('本年度暂无学时记录').waitFor();
    } else {
      const rows = records.locator('.ant-table-row');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(entries.length);
      for (const e of entries) {
        const row = rows.filter({ hasText: e.title }).first();
        expect(await row.textContent()).toContain(e.categoryLabel);
      }
    }
    // Where 学时 come from.
    await page.getByText('公需科目：完成学习计划后发放合格证书时自动记入').waitFor();
    await page.getByText('专业科目：高研班结业审核通过后自动记入').waitFor();
    await screenshot(page, 'credit-record-1280');

    // 我的证书 → 查看学时档案 leads here too, and 学时档案 is in the 在线学习中心 side menu beside 我的证书.
    await page.goto(`${publicUrl()}/certificates`);
    await page.getByRole('link', { name: '查看学时档案' }).click();
    await page.waitForURL((u) => u.pathname === '/credits');
    await page.locator('.cpe-credit-summary').waitFor();
    await page.goto(`${publicUrl()}/orders`);
    const side = page.getByRole('navigation', { name: '在线学习中心' });
    await side.getByRole('link', { name: '学时档案' }).click();
    await page.waitForURL((u) => u.pathname === '/credits');
    await page.context().close();
  });

  it('at 375 px it is in the 菜单 panel and the page does not scroll sideways', async () => {
    const page = await newPage(VIEWPORTS.phone);
    await portalLogin(page, 'zhangsan', DEMO_PASSWORD);
    const menu = await openContinuingEducation(page, true);
    expect(await menu.getByRole('link').allInnerTexts()).toContain('学时档案');
    await screenshot(page, 'credit-record-menu-375');
    await menu.getByRole('link', { name: '学时档案' }).click();
    await page.waitForURL((u) => u.pathname === '/credits');
    const summary = page.locator('.cpe-credit-summary');
    await summary.waitFor();
    await page.locator('.cpe-credit-entries .ant-table, .cpe-credit-entries .ant-empty').first().waitFor();
    await page.waitForLoadState('networkidle');

    const year = await thisYear(page);
    const y = (await myCredits(page)).years.find((v) => v.year === year);
    expect(y, `${year} is among the years the server lists`).toBeDefined();
    expect(await text(page, '.cpe-credit-total')).toContain(
      `已获得 ${y?.hours} 学时 / 年度要求 ${CREDIT_YEARLY_TARGET} 学时`,
    );

    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(widths.scroll, `the page is ${widths.scroll} px wide`).toBeLessThanOrEqual(widths.client);
    // 公需科目 and 专业科目 stack on a phone.
    const pub = await page.locator('.cpe-credit-figure[data-category="public"]').boundingBox();
    const pro = await page.locator('.cpe-credit-figure[data-category="professional"]').boundingBox();
    expect(pub && pro && pro.y >= pub.y + pub.height).toBe(true);
    await screenshot(page, 'credit-record-375');
    await page.context().close();
  });
});
