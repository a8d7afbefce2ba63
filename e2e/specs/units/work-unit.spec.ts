import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, publicUrl, screenshot, VIEWPORTS } from '../../browser.js';
import { type Api, newPerson, type Person, portalLogin, portalLoginByApi, registerByApi } from '../../session.js';

const DEMO_PASSWORD = 'Demo@2026';

const workUnit = (page: Page) => page.locator('#work-unit');
const members = (page: Page) => page.locator('.cpe-unit-members');
/** The success or error message at the top of the page. */
const toast = (page: Page, text: string | RegExp) => page.locator('.ant-message-notice').filter({ hasText: text });

/** The page scrolls sideways by this many px (0 when it fits). */
const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** wangwu's unit, read from his 单位中心 as he would see it. */
async function wangwusUnit(): Promise<{ api: Api; name: string }> {
  const api = await portalLoginByApi('wangwu', DEMO_PASSWORD);
  const center = await api.ok<{ unit: { name: string } }>('GET', '/api/unit-center');
  return { api, name: center.unit.name };
}

async function signedUpPerson(name: string, viewport: { width: number; height: number }): Promise<[Person, Page]> {
  const person = newPerson(name);
  await registerByApi(person);
  const page = await newPage(viewport);
  await portalLogin(page, person.username, person.password);
  return [person, page];
}

/** 个人中心 → 工作单位: finds the unit by part of its name and 申请加入. */
async function applyTo(page: Page, unitName: string) {
  await page.goto(`${publicUrl()}/me`);
  const card = workUnit(page);
  await card.getByText('您尚未加入工作单位').waitFor();
  await card.locator('.cpe-work-unit-select').click();
  // One character is not searched: the dropdown says how many are needed.
  await page.keyboard.type(unitName.slice(2, 3));
  await page.locator('.ant-select-dropdown').getByText('请输入至少2个字').waitFor();
  await page.keyboard.type(unitName.slice(3, 6));
  const option = page.locator('.ant-select-dropdown .ant-select-item-option').filter({ hasText: unitName });
  await option.waitFor();
  // The option shows 所在地 · 统一社会信用代码 under the name.
  expect(await option.locator('.cpe-muted-note').innerText()).toMatch(/ · [0-9A-Z]{18}$/);
  await option.click();
  await card.getByRole('button', { name: '申请加入' }).click();
  await toast(page, '请等待单位确认').waitFor();
  const pending = card.getByTestId('work-unit-pending');
  await pending.waitFor();
  expect(await pending.innerText()).toContain(unitName);
  expect(await pending.innerText()).toContain('待单位确认');
  expect(await pending.innerText()).toMatch(/申请时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
}

/** wangwu's 单位中心 → 单位人员 (through the menu at 1280 px, the chips at 375 px). */
async function openMembers(page: Page) {
  await page.goto(`${publicUrl()}/unit-center`);
  await page.locator('.cpe-unit-center-menu').getByRole('link', { name: '单位人员' }).click();
  await page.waitForURL((u) => u.pathname === '/unit-center/members');
  await members(page).locator('.ant-table').waitFor();
}

const tab = (page: Page, name: string) => members(page).getByRole('tab', { name: new RegExp(`^${name}`) });
/** The 待确认 tab's count (none shown at 0). */
const badge = async (page: Page) => {
  const count = tab(page, '待确认').locator('.ant-scroll-number');
  await page.waitForLoadState('networkidle');
  return (await count.count()) ? count.getAttribute('title') : null;
};
const row = (page: Page, realName: string) => members(page).locator('.ant-table-row').filter({ hasText: realName });

/** 拒绝 / 移出: the reason is asked for and checked (2–200 characters) before it is sent. */
async function giveReason(page: Page, okText: string, reason: string) {
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: okText }).click();
  await dialog.getByText('请填写原因').waitFor();
  await dialog.getByRole('textbox').fill('走');
  await dialog.getByText('原因至少2个字').waitFor();
  await dialog.getByRole('textbox').fill(reason);
  await dialog.getByRole('button', { name: okText }).click();
  await dialog.waitFor({ state: 'hidden' });
}

describe('工作单位: a person asks to join a unit, its administrator confirms and later removes them', () => {
  it('at 1280 px: 申请加入 → 撤回 → 申请加入 → 确认 → 移出, seen on both sides', async () => {
    const unit = await wangwusUnit();
    const [person, page] = await signedUpPerson('周单位', VIEWPORTS.desktop);

    // A request, taken back, and asked again.
    await applyTo(page, unit.name);
    await screenshot(page, 'work-unit-pending-1280');
    await workUnit(page).getByRole('button', { name: '撤回申请' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '撤回申请' }).click();
    await toast(page, '已撤回申请').waitFor();
    await workUnit(page).getByText('已撤回').waitFor();
    await applyTo(page, unit.name);

    // wangwu sees the request under 待确认, with the count of requests waiting.
    const admin = await newPage(VIEWPORTS.desktop);
    await portalLogin(admin, 'wangwu', DEMO_PASSWORD);
    await openMembers(admin);
    const waiting = await unit.api.ok<{ pendingCount: number }>('GET', '/api/unit-center/members?status=pending');
    expect(waiting.pendingCount).toBeGreaterThanOrEqual(1);
    expect(await badge(admin)).toBe(String(waiting.pendingCount));
    const search = members(admin).getByRole('searchbox', { name: '按姓名查找' });
    await search.fill(person.realName);
    await members(admin)
      .getByRole('button', { name: /^查\s*询$/ })
      .click();
    const pendingRow = row(admin, person.realName);
    await pendingRow.waitFor();
    expect(await pendingRow.innerText()).toContain('本人申请');
    await screenshot(admin, 'unit-members-pending-1280');
    await pendingRow.getByRole('button', { name: /^确\s*认$/ }).click();
    await admin
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /^确\s*认$/ })
      .click();
    await toast(admin, `已确认${person.realName}加入本单位`).waitFor();
    await pendingRow.waitFor({ state: 'detached' });
    const after = await unit.api.ok<{ pendingCount: number }>('GET', '/api/unit-center/members?status=pending');
    expect(after.pendingCount).toBe(waiting.pendingCount - 1);
    expect(await badge(admin)).toBe(after.pendingCount ? String(after.pendingCount) : null);
    await search.fill('');
    await search.press('Enter');
    if (after.pendingCount === 0) await members(admin).getByText('暂无待确认的申请').waitFor();

    // The person's 个人中心 now shows the unit as theirs.
    await page.reload();
    const current = workUnit(page).getByTestId('work-unit-confirmed');
    await current.waitFor();
    expect(await current.innerText()).toContain(unit.name);
    expect(await current.innerText()).toMatch(/加入时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    await workUnit(page).getByRole('button', { name: '退出单位' }).waitFor();
    await screenshot(page, 'work-unit-current-1280');

    // wangwu removes them, giving a reason.
    await tab(admin, '已确认').click();
    const memberRow = row(admin, person.realName);
    await memberRow.waitFor();
    await memberRow.getByRole('button', { name: /^移\s*出$/ }).click();
    await giveReason(admin, '确认移出', '已调离本单位');
    await toast(admin, `已将${person.realName}移出本单位`).waitFor();
    await memberRow.waitFor({ state: 'detached' });
    await tab(admin, '已离开').click();
    const gone = row(admin, person.realName);
    await gone.waitFor();
    expect(await gone.innerText()).toContain('已调离本单位');
    await screenshot(admin, 'unit-members-left-1280');

    // The person sees it in the history, with the reason, and may look for a unit again.
    await page.reload();
    const history = workUnit(page).locator('.cpe-work-unit-history');
    await history.waitFor();
    const entry = history.locator('li').filter({ hasText: '已离开' });
    expect(await entry.innerText()).toContain(unit.name);
    expect(await entry.innerText()).toContain('原因：已调离本单位');
    await workUnit(page).getByText('您尚未加入工作单位').waitFor();
    await screenshot(page, 'work-unit-history-1280');
    await page.context().close();
    await admin.context().close();
  });

  it('at 375 px: the card and 单位人员 fit the width; a declined request shows its reason', async () => {
    const unit = await wangwusUnit();
    const [person, page] = await signedUpPerson('吴单位', VIEWPORTS.phone);
    await applyTo(page, unit.name);
    await workUnit(page).scrollIntoViewIfNeeded();
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'work-unit-pending-375');

    const admin = await newPage(VIEWPORTS.phone);
    await portalLogin(admin, 'wangwu', DEMO_PASSWORD);
    await admin.goto(`${publicUrl()}/unit-center`);
    await admin.locator('.cpe-unit-center-chips').getByRole('link', { name: '单位人员' }).click();
    await admin.waitForURL((u) => u.pathname === '/unit-center/members');
    const pendingRow = row(admin, person.realName);
    await pendingRow.waitFor();
    expect(await sideways(admin)).toBeLessThanOrEqual(0);
    await screenshot(admin, 'unit-members-pending-375');
    await pendingRow.getByRole('button', { name: /^拒\s*绝$/ }).click();
    await giveReason(admin, '确认拒绝', '本单位无此人员');
    await toast(admin, `已拒绝${person.realName}的申请`).waitFor();
    await pendingRow.waitFor({ state: 'detached' });

    await page.reload();
    const entry = workUnit(page).locator('.cpe-work-unit-history li').filter({ hasText: '单位已拒绝' });
    await entry.waitFor();
    expect(await entry.innerText()).toContain('原因：本单位无此人员');
    // The search is back, and its dropdown stays within the screen too.
    await workUnit(page).locator('.cpe-work-unit-select').click();
    await page.keyboard.type(unit.name.slice(2, 6));
    await page.locator('.ant-select-dropdown .ant-select-item-option').filter({ hasText: unit.name }).waitFor();
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'work-unit-search-375');
    await page.keyboard.press('Escape');
    await workUnit(page).scrollIntoViewIfNeeded();
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'work-unit-declined-375');
    await page.context().close();
    await admin.context().close();
  });
});
