import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, publicUrl, screenshot, VIEWPORTS } from '../../browser.js';
import { newPerson, portalLogin, registerByApi } from '../../session.js';
import { buyThisYearsPlan } from '../../study.js';

const credited = async (page: Page) =>
  page.locator('.cpe-study-credit .cpe-study-label').innerText({ timeout: 10_000 });

describe('课程培训: plans, courses, the player', () => {
  it('a learner enters 课程培训 after buying, plays a chapter with credit, and a second window stops the first', async () => {
    const p = newPerson('钱七');
    await registerByApi(p);
    const page = await newPage(VIEWPORTS.desktop);
    await portalLogin(page, p.username, p.password);

    // Before buying: the empty state points to 公需科目.
    await page.goto(`${publicUrl()}/study`);
    await page.getByText('您还没有已购买的学习计划').waitFor();

    await buyThisYearsPlan(page);
    await page.getByRole('button', { name: '进入学习' }).click();
    await page.waitForURL(/\/study\/plans\/[0-9a-f-]+$/);
    await page.getByText('学分要求').first().waitFor();
    await page.locator('.cpe-study-course').first().waitFor();
    await screenshot(page, 'study-courses-desktop');

    await page.goto(`${publicUrl()}/study`);
    await page.getByText('计划完成度').first().waitFor();
    await screenshot(page, 'study-plans-desktop');
    await page.getByRole('button', { name: '进入学习' }).first().click();
    await page.locator('.cpe-study-course-name a').first().click();
    await page.getByRole('heading', { name: '章节' }).waitFor();
    await screenshot(page, 'study-course-desktop');
    // The player beats over its live channel (a WebSocket), not a request per beat: count the answered frames.
    const liveReplies: string[] = [];
    page.on('websocket', (ws) => {
      if (!ws.url().includes('/live')) return;
      ws.on('framereceived', (f) => liveReplies.push(String(f.payload)));
    });
    await page.getByRole('button', { name: /开始学习|继续学习/ }).click();

    const video = page.locator('video.cpe-study-video');
    await video.waitFor();
    await page.waitForFunction(
      () => ((document.querySelector('video') as HTMLVideoElement | null)?.readyState ?? 0) >= 1,
    );
    await page.evaluate(async () => {
      const v = document.querySelector('video') as HTMLVideoElement;
      v.muted = true;
      await v.play();
    });
    await page.waitForTimeout(4_000);
    // Pausing sends a heartbeat: the server credits the seconds that really passed.
    await page.evaluate(() => (document.querySelector('video') as HTMLVideoElement).pause());
    await expect.poll(async () => credited(page), { timeout: 10_000 }).not.toContain('已计学习时长 00:00 /');
    expect(liveReplies.some((r) => r.includes('"ok":true'))).toBe(true);

    // Seeking beyond what was credited is refused.
    await page.evaluate(() => {
      const v = document.querySelector('video') as HTMLVideoElement;
      v.currentTime = Math.max(0, v.duration - 1);
    });
    await page.getByText('未学习的部分不能快进，已回到已学位置').waitFor();
    // Back at the credited frontier (a few seconds in), far from the end it asked for.
    const { at, end } = await page.evaluate(() => {
      const v = document.querySelector('video') as HTMLVideoElement;
      return { at: v.currentTime, end: v.duration };
    });
    expect(at).toBeLessThan(end - 2);
    await screenshot(page, 'study-player-desktop');

    // The same learner opens the chapter in another window: the first one stops on its next heartbeat.
    const second = await page.context().newPage();
    await second.goto(page.url());
    await second.locator('video.cpe-study-video').waitFor();
    await page.evaluate(async () => {
      const v = document.querySelector('video') as HTMLVideoElement;
      await v.play();
      v.pause();
    });
    await page.getByText('您已在其他设备或窗口开始学习，本页学习已停止').waitFor({ timeout: 20_000 });
    await screenshot(page, 'study-player-replaced');
    await page.getByRole('button', { name: '在此继续学习' }).click();
    await page.locator('video.cpe-study-video').waitFor();

    // Phones: the same pages at 375 px.
    await page.setViewportSize(VIEWPORTS.phone);
    await page.reload();
    await page.locator('video.cpe-study-video').waitFor();
    await screenshot(page, 'study-player-phone');
    await page.goto(`${publicUrl()}/study`);
    await page.getByText('计划完成度').first().waitFor();
    await screenshot(page, 'study-plans-phone');
    await page.getByRole('button', { name: '进入学习' }).first().click();
    await page.locator('.cpe-study-course').first().waitFor();
    await screenshot(page, 'study-courses-phone');
  });
});
