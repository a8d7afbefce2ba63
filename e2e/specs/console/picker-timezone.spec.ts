import { describe, expect, it } from 'vitest';
import { newPage, screenshot, staffUrl, VIEWPORTS } from '../../browser.js';
import { staffLogin, staffLoginByApi } from '../../session.js';

/**
 * Issue 21 §1: date-time pickers take the platform's time (China), whatever the browser's zone. In a browser set to
 * UTC, 市人社局 adds a 申报批次 with the form's times (1 January 00:00 to 30 June 17:00): the list shows those times,
 * and the server stores them as China's (17:00 in Chongqing is 09:00 UTC), not the browser's.
 */
describe('date-time pickers in a browser set to UTC', () => {
  it('a 申报批次 picked as 17:00 is 17:00 in China', async () => {
    const page = await newPage(VIEWPORTS.desktop, { timezoneId: 'UTC' });
    await staffLogin(page, 'shiju', 'Review@2026');
    await page.goto(`${staffUrl()}/application-batches`);
    await page.getByRole('button', { name: '新增批次' }).click();
    const dialog = page.getByRole('dialog', { name: '新增申报批次' });
    await dialog.waitFor();
    const year = Number(await dialog.getByLabel('年度').inputValue());
    const values = await dialog
      .locator('.ant-picker input')
      .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    expect(values).toEqual([`${year}-01-01 00:00`, `${year}-06-30 17:00`]);
    await screenshot(page, 'batch-picker-utc-browser-1280');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText(`已新增${year}年度申报批次`).waitFor();

    const row = page.locator('tr', { hasText: `${year}-06-30` });
    await row.waitFor();
    expect(await row.innerText()).toContain(`${year}-06-30 17:00:00`);
    expect(await row.innerText()).toContain(`${year}-01-01 00:00:00`);

    // What the server keeps: the instants of China's times.
    const api = await staffLoginByApi('shiju', 'Review@2026');
    const { items } = await api.ok<{ items: Array<{ year: number; opensAt: string; deadline: string }> }>(
      'GET',
      '/api/application-batches?type=advanced-seminar',
    );
    const batch = items.find((b) => b.year === year);
    expect(batch && new Date(batch.opensAt).toISOString()).toBe(`${year - 1}-12-31T16:00:00.000Z`);
    expect(batch && new Date(batch.deadline).toISOString()).toBe(`${year}-06-30T09:00:00.000Z`);
    await page.context().close();
  });
});
