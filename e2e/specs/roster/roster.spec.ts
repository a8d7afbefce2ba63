import { idNumberCheckChar } from '@cpe/shared';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, publicUrl, screenshot, solveSlider, VIEWPORTS } from '../../browser.js';
import { landedHome, newPerson, type Person, portalLogin } from '../../session.js';

const DEMO_PASSWORD = 'Demo@2026';
const NAMES = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉';

/** 性别 as the ID number says: the 17th digit, odd for 男. */
const sexOf = (idNumber: string) => (Number(idNumber[16]) % 2 === 1 ? '男' : '女');

/** The 个人用户 login form, without waiting for where it lands. */
async function submitLogin(page: Page, identifier: string, password: string) {
  await page.goto(`${publicUrl()}/login`);
  await page.getByRole('tab', { name: '个人用户' }).click();
  await page.getByPlaceholder('用户名/手机号码/身份证号').fill(identifier);
  await page.getByPlaceholder('请输入密码').first().fill(password);
  await solveSlider(page);
  await page.getByRole('button', { name: /^登\s*录$/ }).click();
}

/** The downloaded 附件2 filled in: the header block and one line per person (name, ID, phone, 性别). */
async function fillTemplate(path: string, lines: Array<[string, string, string, string]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.worksheets[0];
  if (!ws) throw new Error('template has no worksheet');
  expect(String(ws.getCell('A2').value)).toBe('学员注册名单');
  ws.getCell('B3').value = '渝中区';
  ws.getCell('E3').value = '王五';
  ws.getCell('B4').value = '重庆渝中示例科技有限公司';
  ws.getCell('E4').value = '023-63000000';
  lines.forEach(([name, idNumber, phone, sex], i) => {
    const row = ws.getRow(6 + i);
    row.getCell(2).value = name;
    row.getCell(3).value = idNumber;
    row.getCell(4).value = phone;
    row.getCell(5).value = sex;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('学员注册名单', () => {
  it('a unit administrator uploads 20 rows (4 bad), imports 16, and a new person changes the initial password', async () => {
    const good: Person[] = Array.from({ length: 16 }, (_, i) => newPerson(`名单学员${NAMES[i]}`));
    const spaced = newPerson('名单');
    const wrongCheck = newPerson('名单学员错');
    const wrongSex = newPerson('名单学员性');
    const body17 = wrongCheck.idNumber.slice(0, 17);
    const badId = `${body17}${idNumberCheckChar(body17) === '1' ? '2' : '1'}`;
    const first = good[0] as Person;
    const lines: Array<[string, string, string, string]> = [
      ...good.map((p): [string, string, string, string] => [p.realName, p.idNumber, p.phone, sexOf(p.idNumber)]),
      ['张 三', spaced.idNumber, spaced.phone, sexOf(spaced.idNumber)],
      [wrongCheck.realName, badId, wrongCheck.phone, '男'],
      [wrongSex.realName, wrongSex.idNumber, wrongSex.phone, sexOf(wrongSex.idNumber) === '男' ? '女' : '男'],
      // The first person again: 与第6行重复.
      [first.realName, first.idNumber, first.phone, sexOf(first.idNumber)],
    ];

    const page = await newPage(VIEWPORTS.desktop);
    await portalLogin(page, 'wangwu', DEMO_PASSWORD);
    await page.goto(`${publicUrl()}/unit-center`);
    await page.getByRole('link', { name: '学员注册名单' }).first().click();
    await page.waitForURL(/\/unit-center\/roster$/);
    await page.getByText('2.用户名统一为身份证号码，初始密码为edu@身份证号码后六位，首次登录须修改密码。').waitFor();

    const [template] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /下载模板/ }).click(),
    ]);
    expect(template.suggestedFilename()).toBe('学员注册名单.xlsx');
    const filled = await fillTemplate((await template.path()) as string, lines);

    await page.locator('.cpe-roster-upload input[type="file"]').setInputFiles({
      name: '学员注册名单.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: filled,
    });
    const counts = page.getByTestId('roster-counts');
    await counts.waitFor();
    const summary = await counts.innerText();
    expect(summary).toMatch(/总行数\D*20/);
    expect(summary).toMatch(/(^|[^未])通过\D*16/);
    expect(summary).toMatch(/未通过\D*4/);

    await page.getByRole('tab', { name: '未通过' }).click();
    const table = page.locator('.cpe-roster-rows');
    await table.getByText('与第6行重复').waitFor();
    const reasons = await table.innerText();
    expect(reasons).toContain('姓名只能包含汉字、字母或间隔号，中间不能有空格和符号');
    expect(reasons).toContain('身份证号码校验位错误');
    expect(reasons).toContain('性别与身份证号码不一致');
    await screenshot(page, 'roster-validated-1280');

    await page.getByRole('button', { name: /导入通过的16行/ }).click();
    const confirm = page.getByRole('dialog');
    await confirm.getByLabel('导入完成后通知邮箱（选填）').fill('hr@example');
    await confirm.getByRole('button', { name: '确认导入' }).click();
    // A mistyped address is named and the dialog stays for the correction.
    await page.getByText('通知邮箱格式不正确').waitFor();
    await confirm.getByLabel('导入完成后通知邮箱（选填）').fill('hr@example.com');
    await confirm.getByRole('button', { name: '确认导入' }).click();
    await page.getByText(/导入完成：新建账号16个/).waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: '已创建' }).click();
    await page.getByText('共 16 行').waitFor();
    await screenshot(page, 'roster-done-1280');

    const [report] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /下载结果报告/ }).click(),
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await report.path()) as string);
    const rows = (wb.worksheets[0]?.getSheetValues() ?? [])
      .slice(2)
      .map((r) => (r as unknown[]).slice(1).map((v) => String(v ?? '')));
    expect(rows).toHaveLength(20);
    expect(rows.filter((r) => r[4] === '已创建')).toHaveLength(16);
    const bad = rows.filter((r) => r[4] === '未通过').map((r) => r[5]);
    expect(bad).toHaveLength(4);
    expect(bad.join('\n')).toContain('中间不能有空格和符号');
    expect(bad.join('\n')).toContain('校验位错误');
    expect(bad.join('\n')).toContain('性别与身份证号码不一致');
    expect(bad.join('\n')).toContain('与第6行重复');

    await page.goto(`${publicUrl()}/me`);
    await page.getByRole('button', { name: /退出登录/ }).click();
    await page.waitForURL(/\/login/);

    // One of the new people: 用户名 = 身份证号码, 初始密码 = edu@ + the last six characters.
    const learner = good[3] as Person;
    await submitLogin(page, learner.idNumber, `edu@${learner.idNumber.slice(-6)}`);
    await page.waitForURL(/\/password\/initial/);
    await page.getByRole('heading', { name: '修改初始密码' }).waitFor();
    await page.getByText('首次登录请先修改初始密码').waitFor();
    await page.getByLabel('原密码').fill(`edu@${learner.idNumber.slice(-6)}`);
    await page.getByLabel('新密码', { exact: true }).fill('Roster-2026');
    await page.getByLabel('确认新密码').fill('Roster-2026');
    await screenshot(page, 'roster-initial-password-1280');
    await page.getByRole('button', { name: /确认修改/ }).click();
    await page.waitForURL(/\/login/);
    await page.getByText('初始密码修改成功，请使用新密码重新登录').waitFor();

    await submitLogin(page, learner.idNumber, 'Roster-2026');
    await page.waitForURL(landedHome);
    await page.getByText(learner.realName).first().waitFor();
    expect(await page.getByText('为了您的账号安全，请先修改密码。').count()).toBe(0);
    await screenshot(page, 'roster-learner-me-1280');
    await page.context().close();
  });
});
