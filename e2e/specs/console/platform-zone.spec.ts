import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { platformDateTime, zonedInstant } from '@cpe/shared/platform-zone';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../../apps/server/test/process/server-process.js';
import { newPage, screenshot, VIEWPORTS } from '../../browser.js';
import { staffLogin } from '../../session.js';

const ZONE = 'America/New_York';
/** New York's wall clock now, YYYY-MM-DD HH:mm:ss. */
const newYorkNow = () => platformDateTime(new Date(), ZONE);

/**
 * Issue 21 §1: the platform's time zone is configuration. A second platform, configured with
 * PLATFORM_TIME_ZONE=America/New_York (a zone with daylight saving), opened in a browser set to China: the console's
 * 数据看板 ends its default range on New York's today and says when its data was made in New York time, and a
 * 申报批次's times are picked and kept as New York's.
 */
let server: RunningServer;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-e2e-zone-'));
beforeAll(async () => {
  server = await startServer({ DATA_DIR: dataDir, PLATFORM_TIME_ZONE: ZONE }, { compiled: true });
}, 120_000);
afterAll(async () => {
  await server?.stop('SIGINT');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a platform whose PLATFORM_TIME_ZONE is America/New_York', () => {
  it('数据看板: New York’s today and New York’s clock, in a browser set to China', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await staffLogin(page, 'peixun', 'Train@2026', server);
    await page.goto(`${server.staffUrl}/dashboard`);
    const meta = page.locator('.cpe-dash-meta', { hasText: '数据生成于' });
    await meta.waitFor();
    const range = await page
      .locator('.cpe-dash-toolbar .ant-picker-range input')
      .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    await screenshot(page, 'dashboard-new-york-zone-1280');
    expect(range[1]).toBe(newYorkNow().slice(0, 10));
    const shown = /数据生成于(\d\d):(\d\d)/.exec(await meta.innerText());
    expect(shown).toBeTruthy();
    const minutes = Number(shown?.[1]) * 60 + Number(shown?.[2]);
    const [h, m] = newYorkNow().slice(11, 16).split(':').map(Number) as [number, number];
    const diff = Math.abs(minutes - (h * 60 + m));
    expect(Math.min(diff, 1440 - diff)).toBeLessThanOrEqual(2);
    await page.context().close();
  });

  it('a 申报批次 picked as 30 June 17:00 is 17:00 in New York (EDT, UTC−4)', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await staffLogin(page, 'shiju', 'Review@2026', server);
    await page.goto(`${server.staffUrl}/application-batches`);
    await page.getByRole('button', { name: '新增批次' }).click();
    const dialog = page.getByRole('dialog', { name: '新增申报批次' });
    await dialog.waitFor();
    const year = Number(await dialog.getByLabel('年度').inputValue());
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText(`已新增${year}年度申报批次`).waitFor();
    const row = page.locator('tr', { hasText: `${year}-06-30` });
    await row.waitFor();
    expect(await row.innerText()).toContain(`${year}-06-30 17:00:00`);

    // What the server keeps, read through the page's own session: New York's 17:00 in summer is 21:00 UTC.
    const items = await page.evaluate(async () => {
      const res = await fetch('/api/application-batches?type=advanced-seminar');
      return (await res.json()).items as Array<{ year: number; opensAt: string; deadline: string }>;
    });
    const batch = items.find((b) => b.year === year);
    expect(batch && new Date(batch.deadline).toISOString()).toBe(`${year}-06-30T21:00:00.000Z`);
    expect(batch && new Date(batch.opensAt).toISOString()).toBe(
      zonedInstant(`${year}-01-01T00:00:00`, ZONE).toISOString(),
    );
    await page.context().close();
  });
});
