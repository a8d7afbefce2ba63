import fs from 'node:fs';
import { idNumberCheckChar } from '@cpe/shared';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../apps/server/test/pdf-text.js';
import { newPage, publicUrl, screenshot, VIEWPORTS } from '../../browser.js';
import { newPerson, type Person, portalLogin, registerByApi } from '../../session.js';
import { openThisYearsPlan } from '../../study.js';

/** On the order page: choose the channel, 立即支付, 确认支付 on the gateway's cashier, back on 支付成功. */
async function payOnCashier(page: Page, channel: '支付宝' | '微信支付' | '银联') {
  await page.waitForURL(/\/orders\/[0-9a-f-]+$/);
  await page.getByRole('button', { name: '立即支付' }).waitFor();
  await page.getByText(channel, { exact: true }).click();
  await page.getByRole('button', { name: '立即支付' }).click();
  await page.waitForURL(/\/pay-gateway\/cashier\//);
  await page.getByRole('button', { name: '确认支付' }).click();
  await page.waitForURL(/\/result/);
  // Paid only when the server has the provider's verified notification (or asked the provider itself).
  await page.getByText('支付成功').waitFor({ timeout: 40_000 });
}

async function signedIn(p: Person) {
  const page = await newPage(VIEWPORTS.desktop);
  await portalLogin(page, p.username, p.password);
  return page;
}

/** The invoice list, reloaded until the background job has issued what is expected. */
async function waitForInvoices(page: Page, issued: number) {
  for (let i = 0; i < 40; i++) {
    await page.goto(`${publicUrl()}/invoices`);
    await page.waitForLoadState('networkidle');
    if ((await page.getByText('已开具', { exact: true }).count()) >= issued) return;
    await page.waitForTimeout(500);
  }
  await screenshot(page, 'purchase-invoices-missing');
  throw new Error(`fewer than ${issued} invoices issued`);
}

describe('公需科目: 个人购买, 团体购买, 电子发票', () => {
  it('a learner buys with 立即申请, pays on the gateway, is enrolled and downloads the invoice', async () => {
    const p = newPerson('赵六');
    await registerByApi(p);
    const page = await signedIn(p);
    await openThisYearsPlan(page);
    await page.getByRole('button', { name: '个人购买' }).click();
    await page.getByRole('button', { name: '提交订单' }).waitFor();
    await page.getByText('立即申请').click();
    expect(await page.getByLabel('发票抬头').inputValue()).toBe(p.realName);
    await page.getByRole('button', { name: '提交订单' }).click();
    await payOnCashier(page, '支付宝');
    await screenshot(page, 'purchase-paid-1280');

    await openThisYearsPlan(page);
    await page.getByText('已购买').first().waitFor();

    await waitForInvoices(page, 1);
    await screenshot(page, 'purchase-invoices-1280');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /下载/ }).first().click(),
    ]);
    const text = await pdfText(fs.readFileSync((await download.path()) as string));
    expect(text).toContain('电子发票');
    expect(text).toContain(p.realName);
    expect(text).toContain('¥120.00');
    await page.context().close();
  });

  it('a designee pastes 12 ID numbers (3 bad), downloads the error file, pays for 9; all 9 are enrolled; 申请开票 and one 修改', async () => {
    const members = Array.from({ length: 9 }, (_, i) => newPerson(`学员${'甲乙丙丁戊己庚辛壬'[i]}`));
    const bought = newPerson('钱七');
    const unregistered = newPerson('孙八');
    for (const m of [...members, bought]) await registerByApi(m);
    // One of them has already bought the plan himself.
    const buyer = await signedIn(bought);
    await openThisYearsPlan(buyer);
    await buyer.getByRole('button', { name: '个人购买' }).click();
    await buyer.getByText('以后申请').click();
    await buyer.getByRole('button', { name: '提交订单' }).click();
    await payOnCashier(buyer, '微信支付');
    await buyer.context().close();

    const designee = newPerson('周九');
    await registerByApi(designee);
    const page = await signedIn(designee);
    await openThisYearsPlan(page);
    await page.getByRole('button', { name: '团体购买' }).click();
    const body17 = (members[0] as Person).idNumber.slice(0, 17);
    const wrongCheck = `${body17}${idNumberCheckChar(body17) === '1' ? '2' : '1'}`;
    const lines = [...members.map((m) => m.idNumber), wrongCheck, unregistered.idNumber, bought.idNumber];
    await page.locator('#cpe-group-ids').fill(lines.join('\n'));
    await page.getByRole('button', { name: '立即购买' }).click();
    const counts = page.getByTestId('group-counts');
    await counts.waitFor();
    const summary = await counts.innerText();
    expect(summary).toMatch(/有效\D*9/);
    expect(summary).toMatch(/无效\D*3/);
    await screenshot(page, 'purchase-group-check-1280');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载错误文件' }).click(),
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path()) as string);
    const rows = (wb.worksheets[0]?.getSheetValues() ?? []).slice(2).map((r) => (r as unknown[]).slice(1, 4));
    expect(rows.map((r) => r[0])).toEqual([10, 11, 12]);
    expect(String(rows[0]?.[2])).toContain('校验位');
    expect(rows[1]?.[2]).toBe('该身份证号码未注册平台账号');
    expect(rows[2]?.[2]).toBe('该学员已购买该学习计划');

    await page.getByText('以后申请').click();
    await page.getByRole('button', { name: '提交订单' }).click();
    await payOnCashier(page, '银联');
    await page.getByRole('button', { name: '查看订单' }).click();
    await page.getByText('学员名单（9人）').waitFor();
    await page.locator('tr', { hasText: '已开通' }).first().waitFor();
    expect(await page.locator('tr', { hasText: '已开通' }).count()).toBe(9);
    await screenshot(page, 'purchase-group-members-1280');

    // 以后申请 → 申请开票 in 我的发票, to the unit's title.
    await page.goto(`${publicUrl()}/invoices`);
    await page.getByRole('button', { name: '申请开票' }).first().click();
    const apply = page.getByRole('dialog');
    const unit = apply.getByRole('radio', { name: '单位' });
    if ((await unit.count()) > 0 && !(await unit.isChecked())) await unit.check();
    await apply.getByLabel('发票抬头').fill('重庆渝中示例科技有限公司');
    await apply.getByLabel('纳税人识别号').fill('91500103MA5U7Q2X83');
    await apply.getByRole('button', { name: '提交申请' }).click();
    await apply.waitFor({ state: 'hidden' });
    await waitForInvoices(page, 1);

    // One 修改 within 15 days: red-letter reversal + a new invoice, both listed.
    await page.getByRole('button', { name: '修改' }).first().click();
    const modify = page.getByRole('dialog').filter({ has: page.getByRole('button', { name: '提交修改' }) });
    await modify.getByLabel('发票抬头').fill('重庆渝中示例科技有限公司财务部');
    await modify.getByRole('button', { name: '提交修改' }).click();
    await page.getByRole('button', { name: '确认修改' }).click();
    await waitForInvoices(page, 2);
    await page.getByText('已红冲').first().waitFor();
    await screenshot(page, 'purchase-invoice-modified-1280');
    // The second modification is refused with the rule: 修改 is off, and says why.
    const again = page.getByRole('button', { name: '修改' }).first();
    expect(await again.isDisabled()).toBe(true);
    await again.hover({ force: true });
    await page
      .getByText(/15日内可修改发票1次/)
      .first()
      .waitFor();
    await page.context().close();
  });
});
