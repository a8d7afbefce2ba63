import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, screenshot, staffUrl, VIEWPORTS } from '../../browser.js';
import { staffLogin } from '../../session.js';

/** China's date and time now (UTC+8 all year), as the platform counts. */
const chinaNow = () => new Date(Date.now() + 8 * 3_600_000).toISOString();

async function openDashboard(page: Page) {
  await staffLogin(page, 'peixun', 'Train@2026');
  await page.goto(`${staffUrl()}/dashboard`);
  const meta = page.locator('.cpe-dash-meta', { hasText: '数据生成于' });
  await meta.waitFor();
  const range = await page
    .locator('.cpe-dash-toolbar .ant-picker-range input')
    .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
  return { range, meta: (await meta.innerText()).trim(), figures: await page.locator('.cpe-dash').innerText() };
}

/**
 * Issue 21 §1: the 数据看板 counts in the platform's time zone whatever the browser's. The same page opened in a
 * browser set to UTC and in one set to China shows the same default range (ending China's today), the same figures
 * and 数据生成于 in China time.
 */
describe('数据看板 in a browser set to UTC', () => {
  it('shows China’s today, the same figures, and China’s time', async () => {
    const utc = await newPage(VIEWPORTS.desktop, { timezoneId: 'UTC' });
    const china = await newPage(VIEWPORTS.desktop);
    const inUtc = await openDashboard(utc);
    const inChina = await openDashboard(china);
    await screenshot(utc, 'dashboard-utc-browser-1280');

    const today = chinaNow().slice(0, 10);
    expect(inUtc.range[1]).toBe(today);
    expect(inUtc.range).toEqual(inChina.range);
    // 数据生成于 HH:mm:ss: China's clock (within a couple of minutes of now), not the browser's.
    const shown = /数据生成于(\d\d):(\d\d)/.exec(inUtc.meta);
    expect(shown, inUtc.meta).toBeTruthy();
    const minutes = Number(shown?.[1]) * 60 + Number(shown?.[2]);
    const [h, m] = chinaNow().slice(11, 16).split(':').map(Number) as [number, number];
    const diff = Math.abs(minutes - (h * 60 + m));
    expect(Math.min(diff, 1440 - diff)).toBeLessThanOrEqual(2);
    expect(inUtc.figures.replace(/数据生成于\S+/, '')).toBe(inChina.figures.replace(/数据生成于\S+/, ''));
    await utc.context().close();
    await china.context().close();
  });
});
