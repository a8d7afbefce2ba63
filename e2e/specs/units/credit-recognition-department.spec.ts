import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TCreditEntry, TCreditList, TCreditReviewList } from '@cpe/shared/schemas/credits';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../../apps/server/test/process/server-process.js';
import { newPage, screenshot, VIEWPORTS } from '../../browser.js';
import { portalLogin, portalLoginByApi } from '../../session.js';

const DEMO = 'Demo@2026';
/** The demo 学时登记 zhangsan has filed (credits.demo.ts), waiting for wangwu. */
const DEMO_CLAIM = '西部建筑科技创新学术年会';
const DEPARTMENT = '重庆市卫生健康委员会';

/**
 * Issue 19 §2: with CREDIT_RECOGNITION_BY=department, a unit registered under a 市级主管部门 has its members' 学时登记
 * 认定d by that department in 单位中心 → 学时认定. A second platform so configured: wangwu's unit is registered under
 * lisi's 卫生健康委员会, so zhangsan's demo 学时登记, once wangwu confirms it, waits for lisi.
 */
let server: RunningServer;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-e2e-dept-'));
beforeAll(async () => {
  server = await startServer({ DATA_DIR: dataDir, CREDIT_RECOGNITION_BY: 'department' }, { compiled: true });
}, 120_000);
afterAll(async () => {
  await server?.stop('SIGINT');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const sideways = (page: import('playwright-core').Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('学时认定 by a 主管部门 (CREDIT_RECOGNITION_BY=department)', () => {
  it('wangwu confirms; lisi finds it in 单位中心 → 学时认定, reads the evidence and 认定s it; zhangsan’s year counts it', async () => {
    const wangwu = await portalLoginByApi('wangwu', DEMO, server.publicUrl);
    const waiting = await wangwu.ok<TCreditReviewList>(
      'GET',
      `/api/unit-center/credit-claims?status=pending&keyword=${encodeURIComponent(DEMO_CLAIM)}`,
    );
    const claim = waiting.items[0];
    expect(claim?.title).toBe(DEMO_CLAIM);
    const confirmed = await wangwu.ok<TCreditEntry>('POST', `/api/unit-center/credit-claims/${claim?.id}/confirm`);
    expect(confirmed.status).toBe('pending-bureau');

    const page = await newPage(VIEWPORTS.desktop);
    await portalLogin(page, 'lisi', DEMO, server.publicUrl);
    await page.goto(`${server.publicUrl}/unit-center`);
    await page.locator('.cpe-unit-center-unit').getByText(DEPARTMENT).waitFor();
    await page
      .getByRole('navigation', { name: '单位中心' })
      .getByRole('link', { name: /^学时认定/ })
      .click();
    await page.waitForURL((u) => u.pathname === '/unit-center/credit-recognition');
    const row = page.locator(`.ant-table-row[data-id="${claim?.id}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[0]).toMatch(/^张三\n/);
    expect(cells.slice(1, 4)).toEqual(['重庆渝中示例科技有限公司', '学术会议', DEMO_CLAIM]);
    expect(cells[7]).toBe('待认定');
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'credit-recognition-department-1280');

    await row.getByRole('button', { name: /^认\s*定$/ }).click();
    const drawer = page.locator('.ant-drawer-section');
    await drawer.getByText('学时登记详情').waitFor();
    await drawer.getByText(DEMO_CLAIM).first().waitFor();
    // The evidence opens through the department's own route (the unit centre's), not the console's.
    const img = drawer.locator('.cpe-credit-evidence img').first();
    await img.waitFor();
    await expect
      .poll(() => img.evaluate((i: HTMLImageElement) => (i.complete ? i.naturalWidth : 0)))
      .toBeGreaterThan(0);
    await drawer.locator('.cpe-credit-history').getByText('单位确认').waitFor();
    await screenshot(page, 'credit-recognition-department-drawer-1280');
    await drawer.getByRole('button', { name: /^认\s*定$/ }).click();
    await page
      .locator('.ant-modal-confirm')
      .getByRole('button', { name: /^认\s*定$/ })
      .click();
    await page.getByText('已认定，学时已计入学时档案').waitFor();
    await drawer.locator('.cpe-credit-history').getByText(DEPARTMENT, { exact: false }).first().waitFor();
    await page.context().close();

    const zhangsan = await portalLoginByApi('zhangsan', DEMO, server.publicUrl);
    const mine = await zhangsan.ok<TCreditList>('GET', '/api/my/credits');
    const entry = mine.items.find((e) => e.id === claim?.id);
    expect(entry?.status).toBe('confirmed');
    expect(entry?.events.at(-1)?.actorName).toContain(DEPARTMENT);
    const year = mine.years.find((y) => y.year === entry?.year);
    expect(year?.pendingHours).toBe(0);
  });

  it('at 375 px the department’s 学时认定 fits the phone', async () => {
    const page = await newPage(VIEWPORTS.phone);
    await portalLogin(page, 'lisi', DEMO, server.publicUrl);
    await page.goto(`${server.publicUrl}/unit-center/credit-recognition`);
    await page.getByRole('tab', { name: /已处理/ }).click();
    await page.locator('.ant-table-row', { hasText: DEMO_CLAIM }).waitFor();
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'credit-recognition-department-375');
    await page.context().close();
  });
});
