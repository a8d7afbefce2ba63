import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { screenshot, solidPng, staffUrl } from './browser.js';

/**
 * Filling and reviewing 申报书 of the application engine through the UI, as the 单位中心 and the console show them:
 * section fields by `data-field="section.field"`, table cells by their aria-labels (第1行日期 …), the review page's
 * `data-comment` boxes and decision dialogs.
 */

export const SAVE_NEXT = '保存并进入下一页';

/** One row of the section form, by its `section.field` key. */
export const field = (page: Page, key: string): Locator => page.locator(`[data-field="${key}"]`);
export const input = (page: Page, key: string) => field(page, key).locator('input, textarea').first();

/** 保存并进入下一页, then waits for a field of the next section (or the preview after the last one). */
export async function saveAndNext(page: Page, next: string | 'preview') {
  await page.getByRole('button', { name: SAVE_NEXT }).click();
  if (next === 'preview') await page.waitForURL(/view=preview/);
  else await field(page, next).first().waitFor();
}

/** A date picker (a field or a table cell): typed as a person would, confirmed with Enter. */
export async function pickDate(page: Page, target: Locator, day: string) {
  await target.click();
  await target.fill(day);
  await page.keyboard.press('Enter');
}

/** Opens an antd Select and clicks the option with exactly this text. */
export async function pickSelect(page: Page, select: Locator, option: string) {
  await select.click();
  const item = page.locator(
    `.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${option}"]`,
  );
  await item.waitFor();
  await item.click();
  await item.waitFor({ state: 'hidden' });
}

/** Fills one row of an editable table by column label → value (select columns picked from their dropdown). */
export async function fillRow(page: Page, row: number, cells: Record<string, string>, selects: string[] = []) {
  for (const [label, value] of Object.entries(cells)) {
    const cell = page.getByLabel(`第${row}行${label}`, { exact: true });
    if (selects.includes(label)) await pickSelect(page, cell, value);
    else if (label === '日期') await pickDate(page, cell, value);
    else await cell.fill(value);
  }
}

/** Uploads files into a 附件 field and waits until each is listed. */
export async function uploadFiles(
  page: Page,
  key: string,
  files: Array<{ name: string; mimeType: string; buffer: Buffer }>,
) {
  const row = field(page, key);
  await row.locator('input[type="file"]').setInputFiles(files);
  // A file is listed once the server has stored it.
  for (const f of files) await row.locator('.cpe-app-file-name', { hasText: f.name }).waitFor();
}

/** A tiny valid PDF (the server checks the content's type). */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
export const pdfFile = (name: string) => ({ name, mimeType: 'application/pdf', buffer: PDF });

/** A PNG picture of one colour (a 照片, a scanned notice). */
export async function pngFile(name: string, background: string) {
  return { name, mimeType: 'image/png', buffer: await solidPng(480, 320, background) };
}

/** 提交申报书 → 提交: the 编号 the success message gives. */
export async function submitApplication(page: Page): Promise<string> {
  await page.getByRole('button', { name: '提交申报书' }).click();
  // The browser asks for reduced motion (see newPage): the dialog opens in place, nothing animates. For one step
  // rc-dialog still passes through ant-zoom-appear-prepare (its prepare handler places the transform origin, with or
  // without motion), so the class is not the test: the animation's duration is, and the class goes at once.
  const dialog = page.locator('.ant-modal-confirm');
  await dialog.waitFor();
  expect(await dialog.evaluate((el) => getComputedStyle(el).animationDuration)).toBe('0s');
  await expect.poll(() => dialog.getAttribute('class'), { timeout: 1000 }).not.toMatch(/zoom/);
  await page.getByRole('button', { name: '提交', exact: true }).click();
  const done = page.getByText(/提交成功，编号：\d{16}/);
  await done.waitFor();
  await page.locator('.ant-modal-confirm').waitFor({ state: 'detached' });
  return /\d{16}/.exec((await done.textContent()) ?? '')?.[0] as string;
}

/** A console review list (`/class-plan-reviews` …): finds the 编号 and opens it with 审核. */
export async function openConsoleReview(page: Page, listPath: string, number: string) {
  await page.goto(`${staffUrl()}${listPath}?keyword=${number}`);
  await page.locator('.ant-table-row', { hasText: number }).getByRole('link', { name: '审核' }).click();
  await page.locator('[data-section]').first().waitFor();
}

/**
 * Waits until the page is back on `listPath` after a decision; an error message the page shows instead (the
 * server refused, a request failed) fails at once with its text, and a screenshot is kept either way.
 */
async function backOnList(page: Page, listPath: string, shot: string) {
  const error = page.locator('.ant-message-error');
  const outcome = await Promise.race([
    page.waitForURL((u) => u.pathname === listPath, { timeout: 60_000 }).then(() => null),
    error
      .first()
      .waitFor({ timeout: 60_000 })
      .then(async () => (await error.first().innerText()) || 'error'),
  ]).catch((err: Error) => `timeout: ${err.message}`);
  if (outcome === null) return;
  await screenshot(page, shot);
  throw new Error(`the decision did not go through: ${outcome}`);
}

/** 修改意见 under the sections, 退回修改 → 联系电话 → 确认退回; back on the list. */
export async function returnWithComments(page: Page, listPath: string, comments: Record<string, string>) {
  for (const [section, text] of Object.entries(comments)) await page.locator(`[data-comment="${section}"]`).fill(text);
  await page.getByRole('button', { name: '退回修改' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByLabel('联系电话').fill('023-86861234');
  await dialog.getByRole('button', { name: '确认退回' }).click();
  await backOnList(page, listPath, 'return-stuck');
}

/** 审核通过 → 确认通过; back on the list (`listPath`, the page's own pathname). */
export async function approveOpen(page: Page, listPath: string, shot?: string) {
  await page.getByRole('button', { name: '审核通过' }).click();
  const confirm = page.getByRole('dialog').getByRole('button', { name: '确认通过' });
  await confirm.waitFor();
  await confirm.click();
  await backOnList(page, listPath, shot ?? 'approve-stuck');
}

/** Today and other days as China dates (YYYY-MM-DD), `offset` days from now. */
export const chinaDay = (offset = 0) =>
  new Date(Date.now() + offset * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
