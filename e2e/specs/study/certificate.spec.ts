import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { verifyPdfSignature } from '../../../apps/server/test/pdf-signature.js';
import { pdfText } from '../../../apps/server/test/pdf-text.js';
import { newPage, publicUrl, screenshot, VIEWPORTS } from '../../browser.js';
import { newPerson, portalLogin, portalLoginByApi, registerByApi, staffLoginByApi } from '../../session.js';
import { answerBook, buyThisYearsPlan, studyRestByApi } from '../../study.js';

/** Plays the open chapter muted from where it is; the player itself reports to the server. */
const play = (page: Page) =>
  page.evaluate(async () => {
    const v = document.querySelector('video') as HTMLVideoElement;
    v.muted = true;
    await v.play();
  });

/** Counts each 本章节已学习完成 message the page shows from now on (distinct message elements, polled). */
const countCompletionToasts = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { completionToasts: number };
    w.completionToasts = 0;
    const seen = new WeakSet<Element>();
    setInterval(() => {
      for (const el of document.querySelectorAll('.ant-message-notice'))
        if (!seen.has(el) && el.textContent?.includes('本章节已学习完成')) {
          seen.add(el);
          w.completionToasts++;
        }
    }, 50);
  });
const completionToasts = (page: Page) =>
  page.evaluate(() => (window as unknown as { completionToasts: number }).completionToasts);
/** Longer than a heartbeat (5 s in e2e): answers already in flight when the chapter completed have arrived. */
const pastNextHeartbeat = () => new Promise((r) => setTimeout(r, 7_000));

const chapterDone = (page: Page) =>
  page.locator('.cpe-study-chapter-heading').getByText('已完成').waitFor({ timeout: 60_000 });

/*
 * The e2e platform runs with short demo chapters (DEMO_CHAPTER_SECONDS=8) and a 防挂机 question after every 10 s of
 * credited play (STUDY_CHECK_MIN/MAX_SECONDS): see e2e/global-setup.ts.
 */
describe('学完公需科目 → 合格证书 → 证书查验', () => {
  it('a learner studies to completion with a 防挂机 question, prints the signed certificate, and 证书查验 confirms it', async () => {
    const p = newPerson('周学成');
    await registerByApi(p);
    const page = await newPage(VIEWPORTS.desktop);
    await portalLogin(page, p.username, p.password);
    await buyThisYearsPlan(page);
    await page.getByRole('button', { name: '进入学习' }).click();
    await page.waitForURL(/\/study\/plans\/[0-9a-f-]+$/);
    const planId = new URL(page.url()).pathname.split('/').pop() as string;
    const answer = await answerBook(await staffLoginByApi('peixun', 'Train@2026'));

    // 1. The first chapter, played to its end in the player.
    await page.locator('.cpe-study-course-name a').first().click();
    await page.getByRole('button', { name: '开始学习' }).click();
    await page.locator('video.cpe-study-video').waitFor();
    await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 1);
    await countCompletionToasts(page);
    await play(page);
    await chapterDone(page);
    // One 本章节已学习完成, however many heartbeats answer after the completing one.
    await pastNextHeartbeat();
    expect(await completionToasts(page)).toBe(1);

    // 2. The next chapter: after 10 s of credited play the player stops and asks; the right answer keeps the credit.
    await page.getByRole('button', { name: '下一章' }).click();
    await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 1);
    await play(page);
    const dialog = page.getByRole('dialog').filter({ hasText: '防挂机答题' });
    await dialog.waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => (document.querySelector('video') as HTMLVideoElement).paused)).toBe(true);
    const prompt = await dialog.locator('.cpe-study-check-prompt').innerText();
    const options = (await dialog.locator('.cpe-study-check-options label').allInnerTexts()).map((t) =>
      t.replace(/^[A-Z]\.\s*/, '').trim(),
    );
    await screenshot(page, 'study-check-1280');
    const right = answer({ id: '', prompt, options });
    await dialog.locator('.cpe-study-check-options label').nth(right).click();
    await dialog.getByRole('button', { name: '提交答案' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await play(page);
    await chapterDone(page);
    // A complete chapter gets no 防挂机 question, and one toast.
    await pastNextHeartbeat();
    expect(await dialog.isVisible()).toBe(false);
    expect(await completionToasts(page)).toBe(2);
    await page.goto(`${publicUrl()}/study`);

    // 3. The remaining chapters, in real time through the same study API the player uses.
    const me = await portalLoginByApi(p.username, p.password);
    await studyRestByApi(me, planId, answer);
    await expect
      .poll(
        async () =>
          (
            await me.ok<{ items: Array<{ planId: string; percent: number; certificate: boolean }> }>(
              'GET',
              '/api/study/plans',
            )
          ).items.find((x) => x.planId === planId),
        { timeout: 20_000 },
      )
      .toMatchObject({ percent: 100, certificate: true });
    await page.reload();
    await page.getByRole('progressbar', { name: '计划完成度 100%' }).waitFor();
    await screenshot(page, 'study-plan-complete-1280');

    // 4. 我的证书 → 打印证书: the 组织机构 first (the district keeping the file), then the signed PDF.
    await page.getByRole('button', { name: '我的证书' }).click();
    await page.waitForURL(/\/certificates$/);
    await page.getByRole('button', { name: '打印证书' }).click({ timeout: 30_000 });
    const print = page.getByRole('dialog').filter({ hasText: '打印证书' });
    await print.getByText('组织机构选择贵单位，若查找不到贵单位，请选择您档案所在区县').waitFor();
    await print.getByText('档案所在区县', { exact: true }).first().click();
    await print.locator('.ant-select').click();
    await page.keyboard.type('渝中区');
    await page.locator('.ant-select-item-option', { hasText: '渝中区' }).first().click();
    await print.getByRole('button', { name: '确定，生成证书' }).click();
    await print.locator('.cpe-cert-viewer').waitFor();
    await screenshot(page, 'certificate-print-1280');
    // On a short phone (375 × 667, shorter than VIEWPORTS.phone) the dialog's buttons stay on screen beside the frame.
    const shortPhone = { width: VIEWPORTS.phone.width, height: 667 };
    await page.setViewportSize(shortPhone);
    const box = await print.getByRole('button', { name: '下载证书' }).boundingBox();
    expect((box?.y ?? Number.POSITIVE_INFINITY) + (box?.height ?? 0)).toBeLessThanOrEqual(shortPhone.height);
    await screenshot(page, 'certificate-print-375');
    await page.setViewportSize(VIEWPORTS.desktop);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      print.getByRole('button', { name: '下载证书' }).click(),
    ]);
    const pdf = fs.readFileSync((await download.path()) as string);
    expect(verifyPdfSignature(pdf)).toMatchObject({ valid: true, wholeDocument: true });
    const text = (await pdfText(pdf)).replace(/\s+/g, '');
    expect(text).toContain(p.realName);
    expect(text).toContain('渝中区');
    expect(text).not.toContain(p.idNumber);

    // 5. 证书查验, as anyone scanning the QR code would open it.
    const { items } = await me.ok<{ items: Array<{ certNo: string; planId: string }> }>('GET', '/api/certificates');
    const certNo = items.find((c) => c.planId === planId)?.certNo as string;
    expect(text).toContain(certNo);
    const anyone = await newPage(VIEWPORTS.phone);
    await anyone.goto(`${publicUrl()}/verify?no=${certNo}`);
    await anyone.getByText(`证书编号：${certNo}`).waitFor();
    await anyone.locator('.ant-tag', { hasText: /^有效$/ }).waitFor();
    await anyone.getByText(`${p.realName[0]}*${p.realName.slice(-1)}`).waitFor();
    expect(await anyone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(anyone, 'certificate-verify-375');
  }, 360_000);
});
