import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { imageLoaded, newPage, publicUrl, screenshot, solidPng, staffUrl, VIEWPORTS } from '../../browser.js';
import { staffLogin, staffLoginByApi } from '../../session.js';

const OPERATOR = { username: 'peixun', password: 'Train@2026' };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

const homeTitles = (page: Page) => page.locator('.cpe-home-notices .cpe-notice-list li a').allInnerTexts();

describe('通知公告', () => {
  it('staff publish a pinned notice with a picture and an attachment; the portal shows it first; 撤回 takes it off', async () => {
    // Enough notices that the home page has to choose its five.
    const api = await staffLoginByApi(OPERATOR.username, OPERATOR.password);
    const dayAgo = new Date(Date.now() - 86_400_000).toISOString();
    for (let i = 1; i <= 4; i++) {
      const n = await api.ok<{ id: string }>('POST', '/api/admin/notices', {
        title: `公需科目学习提示（第${i}期）`,
        body: '请按计划完成学习。',
        audience: 'all',
        pinned: false,
        publishAt: dayAgo,
      });
      await api.ok('POST', `/api/admin/notices/${n.id}/publish`);
    }

    // 1. The operator writes the notice in the console: body with a picture, an attachment, 置顶.
    const title = `关于做好2026年度公需科目学习的通知 ${Date.now() % 100000}`;
    const op = await newPage(VIEWPORTS.desktop);
    await staffLogin(op, OPERATOR.username, OPERATOR.password);
    await op.getByRole('menuitem', { name: '通知公告' }).click();
    await op.waitForURL(`${staffUrl()}/notices`);
    await op.getByRole('button', { name: /新增通知公告/ }).click();
    const dialog = op.getByRole('dialog', { name: '新增通知公告' });
    await dialog.getByLabel('标题').fill(title);
    await dialog
      .getByLabel('正文')
      .fill('各位专业技术人员：\n\n## 一、学习要求\n- 每人完成**30学时**\n- 年底前打印合格证书\n');
    await dialog
      .locator('.cpe-notice-toolbar input[type=file]')
      .setInputFiles({ name: '学习海报.png', mimeType: 'image/png', buffer: await solidPng(800, 360, '#1677ff') });
    await expect
      .poll(() => dialog.getByLabel('正文').inputValue())
      .toMatch(/!\[学习海报\.png\]\(image:[0-9a-f-]{36}\)/);
    await dialog
      .locator('input[type=file][accept*=".pdf"]')
      .setInputFiles({ name: '2026年度学习安排.pdf', mimeType: 'application/pdf', buffer: PDF });
    await dialog.getByText('2026年度学习安排.pdf').waitFor();
    await dialog.getByLabel('置顶').click();
    await dialog.getByRole('tab', { name: '预览' }).click();
    await dialog.locator('.cpe-notice-body img').waitFor();
    await expect.poll(() => imageLoaded(op, '.ant-modal .cpe-notice-body img')).toBe(true);
    await dialog.locator('.cpe-notice-body strong', { hasText: '30学时' }).waitFor();
    await screenshot(op, 'notices-console-editor-1280');
    await dialog.getByRole('button', { name: '保存并发布' }).click();
    await op
      .locator('.ant-modal-confirm')
      .getByRole('button', { name: /发\s*布/ })
      .click();
    await op.getByText('已发布', { exact: true }).first().waitFor();
    const row = op.locator('.ant-table-row', { hasText: title });
    await row.getByText('置顶').waitFor();
    await row.getByText('已发布').waitFor();
    await screenshot(op, 'notices-console-list-1280');

    // 2. The portal home shows it first among the latest five, at 1280 and 375 px.
    for (const [name, viewport] of [
      ['1280', VIEWPORTS.desktop],
      ['375', VIEWPORTS.phone],
    ] as const) {
      const home = await newPage(viewport);
      await home.goto(`${publicUrl()}/`);
      await home.locator('.cpe-home-notices .cpe-notice-list li').first().waitFor();
      const titles = await homeTitles(home);
      expect(titles).toHaveLength(5);
      expect(titles[0]).toBe(title);
      await home.locator('.cpe-home-notices li').first().getByText('置顶').waitFor();
      // Nothing sticks out sideways on a phone.
      expect(await home.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await screenshot(home, `notices-home-${name}`);

      // 3. 更多 → the list; the title → the detail with its picture and the attachment.
      await home.getByRole('link', { name: /更多/ }).click();
      await home.waitForURL(`${publicUrl()}/notices`);
      await home.locator('.cpe-notice-page .cpe-notice-list li').first().getByText(title).waitFor();
      await screenshot(home, `notices-list-${name}`);
      await home.getByRole('link', { name: title }).click();
      await home.waitForURL(/\/notices\/[0-9a-f-]{36}$/);
      await home.getByRole('heading', { name: title }).waitFor();
      await expect.poll(() => imageLoaded(home, '.cpe-notice-body img')).toBe(true);
      expect(await home.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await screenshot(home, `notices-detail-${name}`);
      const [download] = await Promise.all([
        home.waitForEvent('download'),
        home.getByRole('link', { name: '2026年度学习安排.pdf' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('2026年度学习安排.pdf');
      expect(fs.readFileSync(await download.path()).equals(PDF)).toBe(true);
      if (name === '375') {
        // 4. 撤回 in the console takes it off the portal at once.
        const detailUrl = home.url();
        await row.getByRole('button', { name: /撤\s*回/ }).click();
        await op
          .locator('.ant-modal-confirm')
          .getByRole('button', { name: /撤\s*回/ })
          .click();
        await row.getByText('已撤回').waitFor();
        await home.goto(`${publicUrl()}/`);
        await home.locator('.cpe-home-notices .cpe-notice-list li').first().waitFor();
        expect(await homeTitles(home)).not.toContain(title);
        await home.goto(detailUrl);
        await home.getByText('通知公告不存在或已撤回').waitFor();
      }
      await home.context().close();
    }
    await op.context().close();
  });

  it('a 区县人社局 reviewer writes for its own district only; a draft is deleted after confirmation', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await staffLogin(page, 'yuzhong', 'Review@2026');
    await page.goto(`${staffUrl()}/notices`);
    await page.getByText('您可以向渝中区人力资源和社会保障局所辖范围发布通知公告').waitFor();
    await page.getByRole('button', { name: /新增通知公告/ }).click();
    const dialog = page.getByRole('dialog', { name: '新增通知公告' });
    // The audience is fixed to the reviewer's district.
    await expect.poll(() => dialog.getByRole('radio', { name: '指定区县' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('radio', { name: '所有人' }).isDisabled()).toBe(true);
    await dialog.locator('.ant-select').getByText('渝中区人力资源和社会保障局').waitFor();
    const title = `渝中区继续教育工作提示 ${Date.now() % 100000}`;
    await dialog.getByLabel('标题').fill(title);
    await dialog.getByLabel('正文').fill('请各单位按时组织专业技术人员参加公需科目学习。');
    await screenshot(page, 'notices-console-district-editor-1280');
    await dialog.getByRole('button', { name: '保存草稿' }).click();
    const row = page.locator('.ant-table-row', { hasText: title });
    await row.getByText('草稿').waitFor();
    await row.getByText('渝中区人力资源和社会保障局').waitFor();
    await row.getByRole('button', { name: /删\s*除/ }).click();
    await page.locator('.ant-modal-confirm-title', { hasText: `确认删除草稿“${title}”？` }).waitFor();
    await page
      .locator('.ant-modal-confirm')
      .getByRole('button', { name: /删\s*除/ })
      .click();
    await row.waitFor({ state: 'detached' });
    await page.context().close();
  });
});
