import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, publicUrl, screenshot, staffUrl, VIEWPORTS } from '../../browser.js';
import { newPerson, portalLogin, staffLogin } from '../../session.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The downloaded template with the lines typed in, as the 培训中心 fills it in Excel. */
async function fillTemplate(path: string, lines: Array<Array<string | number | Date>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.worksheets[0];
  if (!ws) throw new Error('template has no worksheet');
  expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([
    '姓名',
    '身份证号码',
    '项目名称',
    '类别',
    '学习形式',
    '学时',
    '结束日期',
  ]);
  lines.forEach((l, i) => {
    ws.getRow(2 + i).values = l;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function upload(page: Page, buffer: Buffer, name: string) {
  await page.locator('.cpe-ci-upload input[type="file"]').setInputFiles({ name, mimeType: XLSX, buffer });
}

describe('学时批量导入 (console)', () => {
  it('peixun downloads the template, imports 2 good lines and 1 bad one, and downloads the error file', async () => {
    const year = new Date().getFullYear() - 1;
    const a = newPerson('导入学员甲');
    const b = newPerson('导入学员乙');
    const c = newPerson('导入学员丙');
    const tag = a.idNumber.slice(-6);
    const lines = [
      [a.realName, a.idNumber, `装配式建筑专题培训${tag}`, '专业科目', '面授培训', 24, new Date(Date.UTC(year, 5, 30))],
      [b.realName, b.idNumber, `公需科目网络培训${tag}`, '公需科目', '网络学习', 30, `${year}-11-20`],
      // 学时 over the limit: refused, the other two still land.
      [c.realName, c.idNumber, `超长培训${tag}`, '专业科目', '面授培训', 260, `${year}-12-01`],
    ];

    const page = await newPage(VIEWPORTS.desktop);
    await staffLogin(page, 'peixun', 'Train@2026');
    await page.getByRole('menuitem', { name: '学时批量导入' }).click();
    await page.waitForURL(`${staffUrl()}/credit-imports`);
    await page.getByRole('heading', { name: '学时批量导入' }).waitFor();

    const [template] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /下载模板/ }).click(),
    ]);
    expect(template.suggestedFilename()).toBe('学时批量导入模板.xlsx');
    const filled = await fillTemplate((await template.path()) as string, lines);

    await upload(page, filled, `学时导入${tag}.xlsx`);
    const result = page.getByTestId('credit-import-result');
    await result.waitFor({ timeout: 30_000 });
    const counts = await result.locator('.cpe-ci-counts').innerText();
    expect(counts).toMatch(/总行数\D*3/);
    expect(counts).toMatch(/新导入\D*2/);
    expect(counts).toMatch(/已存在\D*0/);
    expect(counts).toMatch(/未通过\D*1/);
    await result.getByText('已认定').waitFor();
    await result.getByText('1 行未通过校验，未导入').waitFor();
    // The history lists it first.
    await page.locator('.cpe-ci-history .ant-table-row', { hasText: `学时导入${tag}.xlsx` }).waitFor();
    await screenshot(page, 'credit-import-1280');

    const [errors] = await Promise.all([
      page.waitForEvent('download'),
      result.getByRole('button', { name: /下载错误文件/ }).click(),
    ]);
    expect(errors.suggestedFilename()).toBe(`学时导入${tag}-错误行.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await errors.path()) as string);
    const rows = (wb.worksheets[0]?.getSheetValues() ?? [])
      .slice(1)
      .map((r) => (r as unknown[]).slice(1).map((v) => String(v ?? '')));
    expect(rows[0]).toEqual(['姓名', '身份证号码', '项目名称', '类别', '学习形式', '学时', '结束日期', '错误原因']);
    expect(rows).toHaveLength(2);
    expect(rows[1]?.slice(0, 3)).toEqual([c.realName, c.idNumber, `超长培训${tag}`]);
    expect(rows[1]?.[7]).toBe('第4行：学时不能超过200');
    await page.context().close();
  });

  it('on a phone: the same file again adds nothing, and the page fits 375 px', async () => {
    const year = new Date().getFullYear() - 1;
    const a = newPerson('导入学员丁');
    const tag = a.idNumber.slice(-6);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('学时导入');
    ws.addRow(['姓名', '身份证号码', '项目名称', '类别', '学习形式', '学时', '结束日期']);
    ws.addRow([a.realName, a.idNumber, `手机端导入培训${tag}`, '专业科目', '学术会议', 16, `${year}-04-18`]);
    ws.addRow([a.realName, a.idNumber, `手机端导入培训${tag}`, '专业科目', '周末沙龙', 16, `${year}-04-18`]);
    const file = Buffer.from(await wb.xlsx.writeBuffer());

    const page = await newPage(VIEWPORTS.phone);
    await staffLogin(page, 'peixun', 'Train@2026');
    await page.goto(`${staffUrl()}/credit-imports`);
    await page.getByRole('heading', { name: '学时批量导入' }).waitFor();
    const result = page.getByTestId('credit-import-result');
    await upload(page, file, `手机导入${tag}.xlsx`);
    await result
      .locator('.cpe-ci-counts')
      .getByText(/新导入\s*1/)
      .waitFor({ timeout: 30_000 });
    await upload(page, file, `手机导入${tag}.xlsx`);
    await result
      .locator('.cpe-ci-counts')
      .getByText(/已存在\s*1/)
      .waitFor({ timeout: 30_000 });
    expect(await result.locator('.cpe-ci-counts').innerText()).toMatch(/新导入\D*0/);
    await result.getByText('1 行与已有学时记录相同（此前已导入），未重复计入。').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'credit-import-375');
    await page.context().close();
  });

  it('单位中心: a unit that is not a 继续教育基地 sees why it cannot import (1280 and 375)', async () => {
    for (const [viewport, name] of [
      [VIEWPORTS.desktop, 'credit-import-unit-center-1280'],
      [VIEWPORTS.phone, 'credit-import-unit-center-375'],
    ] as const) {
      const page = await newPage(viewport);
      // lisi's 卫生健康委员会 never files as a 继续教育基地; wangwu's unit becomes one in bases.spec.
      await portalLogin(page, 'lisi', 'Demo@2026');
      await page.goto(`${publicUrl()}/unit-center/credit-imports`);
      await page.getByRole('heading', { name: '学时批量导入' }).waitFor();
      await page.getByText('仅有效期内的继续教育基地可以导入本基地培训班的学时').waitFor();
      expect(await page.locator('.cpe-ci-upload').count()).toBe(0);
      await page.getByText('暂无导入记录').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, name);
      await page.context().close();
    }
  });
});
