import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, publicUrl, screenshot, solveSlider, VIEWPORTS } from '../../browser.js';
import { landedHome, portalLogin } from '../../session.js';

const DEMO_PASSWORD = 'Demo@2026';

/** Opens 继续教育 ▾ in the main navigation (at 375 px first the 菜单 panel) and returns its entries. */
async function continuingEducation(page: Page, phone = false): Promise<string[]> {
  if (phone) await page.getByRole('button', { name: /菜单/ }).click();
  await page.getByRole('button', { name: '继续教育' }).click();
  const menu = page.locator('.cpe-nav-menu.is-open .cpe-nav-dropdown');
  await menu.waitFor();
  return menu.getByRole('link').allInnerTexts();
}

/**
 * Issue 21 §2, the seed's path 首页 → 继续教育 → 注册管理员 / 单位中心: the main navigation has 继续教育 (单位中心 for a
 * unit administrator, else 注册管理员), a login lands on the page the person was sent from (else 首页), and a unit
 * administrator's user menu has 单位中心.
 */
describe('继续教育 in the navigation, and where a login lands', () => {
  it('signed out: 继续教育 → 注册管理员 asks for a login and comes back to it', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await page.goto(`${publicUrl()}/`);
    expect(await continuingEducation(page)).toEqual(['注册管理员']);
    await screenshot(page, 'nav-continuing-education-1280');
    await page.locator('.cpe-nav-dropdown').getByRole('link', { name: '注册管理员' }).click();
    await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('redirect') === '/units/register');
    await page.getByRole('tab', { name: '个人用户' }).click();
    await page.getByPlaceholder('用户名/手机号码/身份证号').fill('zhangsan');
    await page.getByPlaceholder('请输入密码').first().fill(DEMO_PASSWORD);
    await solveSlider(page);
    await page.getByRole('button', { name: /^登\s*录$/ }).click();
    await page.waitForURL((u) => u.pathname === '/units/register');
    // zhangsan administers no unit: 继续教育 still offers 注册管理员 (then his 学时档案), and his user menu has no 单位中心.
    expect(await continuingEducation(page)).toEqual(['注册管理员', '学时档案']);
    expect(await page.locator('.cpe-user-nav').getByRole('link', { name: '单位中心' }).count()).toBe(0);
    await page.context().close();
  });

  it('a unit administrator lands on 首页 and finds 单位中心 under 继续教育 and in the user menu', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await portalLogin(page, 'wangwu', DEMO_PASSWORD);
    expect(landedHome(new URL(page.url()))).toBe(true);
    await page.locator('.cpe-user-nav').getByRole('link', { name: '单位中心' }).waitFor();
    expect(await continuingEducation(page)).toEqual(['单位中心', '学时档案']);
    await page.locator('.cpe-nav-dropdown').getByRole('link', { name: '单位中心' }).click();
    await page.waitForURL((u) => u.pathname === '/unit-center');
    await page.getByText('重庆渝中示例科技有限公司').first().waitFor();
    await page.context().close();
  });

  it('at 375 px the same entries are in the 菜单 panel', async () => {
    const page = await newPage(VIEWPORTS.phone);
    await portalLogin(page, 'wangwu', DEMO_PASSWORD);
    expect(await continuingEducation(page, true)).toEqual(['单位中心', '学时档案']);
    await screenshot(page, 'nav-continuing-education-375');
    await page.locator('.cpe-nav-dropdown').getByRole('link', { name: '单位中心' }).click();
    await page.waitForURL((u) => u.pathname === '/unit-center');
    await page.context().close();
  });
});
