import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seminarData } from '../../../apps/server/src/modules/applications/applications.demo.js';
import { newPage, screenshot, staffUrl, VIEWPORTS } from '../../browser.js';
import { chinaDay } from '../../filing.js';
import { portalLoginByApi, staffLogin } from '../../session.js';

/** A 市级高级研修项目 filed and submitted by wangwu's unit (the demo's 单位管理员), as 单位中心 would. */
async function submitSeminar(projectName: string): Promise<string> {
  const unit = await portalLoginByApi('wangwu', 'Demo@2026');
  const draft = await unit.ok<{ id: string; data: Record<string, Record<string, unknown>> }>(
    'POST',
    '/api/applications',
    { type: 'advanced-seminar' },
  );
  const from = chinaDay(20);
  const to = chinaDay(22);
  const sections = seminarData(projectName, from, to) as Record<string, Record<string, unknown>>;
  // As the form saves a section: what the draft holds (prefilled from the unit) with the typed values over it.
  for (const [id, values] of Object.entries(sections))
    await unit.ok('PUT', `/api/applications/${draft.id}/sections/${id}`, { ...(draft.data[id] ?? {}), ...values });
  await unit.ok('POST', `/api/applications/${draft.id}/submit`);
  return draft.id;
}

/**
 * Issue 21 §2: the console's 首页 lists what waits for the signed-in staff member. 市人社局's reviewer sees the
 * 市级高级研修项目 waiting at its step (the demo approves its own projects; this spec files one more), and 去处理
 * opens 项目审核管理 on its 待市人社局审核 tab; a 区县人社局 reviewer with nothing waiting sees 暂无待办事项.
 */
describe('首页 → 待办事项', () => {
  it('市人社局审核员: 项目审核管理 · 待审核 with its count, and 去处理 opens the filtered list', async () => {
    const project = `数字乡村建设高级研修班${crypto.randomBytes(2).toString('hex')}`;
    await submitSeminar(project);

    const page = await newPage(VIEWPORTS.desktop);
    await staffLogin(page, 'shiju', 'Review@2026');
    await page.goto(`${staffUrl()}/`);
    const card = page.locator('.cpe-todos');
    const line = card.locator('[data-todo="application-reviews:city"]');
    await line.waitFor();
    expect(await line.locator('.cpe-todo-label').innerText()).toBe('项目审核管理 · 待审核');
    const count = Number(await line.locator('.cpe-todo-count strong').innerText());
    expect(count).toBeGreaterThanOrEqual(1);
    // Nothing else of the demo waits for 市人社局: the other review queues are named as empty.
    expect(await card.locator('.cpe-todo-idle').innerText()).toContain('单位注册审核');
    expect(await card.getByText('暂无待办事项').count()).toBe(0);
    await screenshot(page, 'console-todos-city-1280');

    await line.getByRole('link', { name: /去处理/ }).click();
    await page.waitForURL(
      (u) => u.pathname === '/application-reviews' && u.searchParams.get('stage') === 'pending-city',
    );
    const tab = page.locator('.ant-tabs-tab-active');
    await tab.waitFor();
    expect(await tab.innerText()).toContain('待市人社局审核');
    await page.locator('.ant-table-row', { hasText: project }).waitFor();
    expect(await page.locator('.ant-table-row').count()).toBe(Math.min(count, 20));
    await screenshot(page, 'console-todos-city-list-1280');
    await page.context().close();
  });

  it('系统管理员: every queue of the console, each with its count or named in the line of empty ones', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await staffLogin(page, 'admin', 'Admin@2026');
    await page.goto(`${staffUrl()}/`);
    const card = page.locator('.cpe-todos');
    await card.locator('[data-todo="application-reviews:city"]').waitFor();
    // What waits depends on the specs that ran before (a roster with failed rows, a ticket): every queue is there,
    // as a line with its count or among the empty ones.
    const text = await card.innerText();
    for (const name of ['单位注册审核', '补学审核', '在线客服', '学员注册名单', '人工找回审核', '实名审核'])
      expect(text).toContain(name);
    expect(await card.locator('.cpe-todo-idle').innerText()).toMatch(/^无待办：/);
    await screenshot(page, 'console-todos-admin-1280');
    await page.context().close();
  });

  it('渝中区审核员 with nothing waiting: 暂无待办事项, the watched queues named', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await staffLogin(page, 'yuzhong', 'Review@2026');
    await page.goto(`${staffUrl()}/`);
    const card = page.locator('.cpe-todos');
    await card.getByText('暂无待办事项').waitFor();
    expect(await card.locator('.cpe-todo-item').count()).toBe(0);
    const idle = await card.locator('.cpe-todo-idle').innerText();
    expect(idle).toContain('单位注册审核');
    expect(idle).toContain('继续教育基地认定');
    expect(idle).not.toContain('项目审核管理');
    await screenshot(page, 'console-todos-empty-1280');
    await page.context().close();
  });
});
