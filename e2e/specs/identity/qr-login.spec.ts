import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, publicUrl, readQrCode, screenshot, solveSlider, VIEWPORTS } from '../../browser.js';
import { landedHome, portalLogin } from '../../session.js';

const LEARNER = { username: 'zhangsan', password: 'Demo@2026' };

/** The QR code the desktop shows, read as a phone's camera would. */
const readQr = (page: Page) => readQrCode(page.getByAltText('扫码登录二维码'));

describe('扫码登录', () => {
  it('the desktop shows a QR; zhangsan’s phone (375 px, signed in) opens it and confirms; the desktop lands signed in', async () => {
    const desktop = await newPage(VIEWPORTS.desktop);
    await desktop.goto(`${publicUrl()}/login`);
    await desktop.getByRole('tab', { name: '扫码登录' }).click();
    const link = await readQr(desktop);
    expect(link).toMatch(new RegExp(`^${publicUrl()}/qr-login#public\\.qr-scan\\.`));
    await desktop.getByText(/二维码 \d+ 秒后失效/).waitFor();
    await screenshot(desktop, 'qr-login-1-desktop-code');

    // The phone is not signed in yet: it is asked to log in and comes back to the confirmation.
    const phone = await newPage(VIEWPORTS.phone);
    await phone.goto(link);
    await phone.waitForURL(/\/login\?redirect=/);
    await phone.getByPlaceholder('用户名/手机号码/身份证号').fill(LEARNER.username);
    await phone.getByPlaceholder('请输入密码').first().fill(LEARNER.password);
    await solveSlider(phone);
    await phone.getByRole('button', { name: /^登\s*录$/ }).click();
    await phone.getByRole('heading', { name: '确认登录' }).waitFor();
    await phone
      .getByText(/Chrome|Chromium/)
      .first()
      .waitFor();
    await screenshot(phone, 'qr-login-2-phone-confirm');

    // Opening the link told the desktop 已扫描.
    await desktop.getByText('扫描成功，请在手机上确认登录').waitFor({ timeout: 5000 });
    await screenshot(desktop, 'qr-login-3-desktop-scanned');

    await phone.getByRole('button', { name: /确认登录/ }).click();
    await phone.getByText('已确认登录').waitFor();
    await screenshot(phone, 'qr-login-4-phone-done');

    await desktop.waitForURL(landedHome, { timeout: 5000 });
    await desktop.getByText('张三').first().waitFor();
    await screenshot(desktop, 'qr-login-5-desktop-signed-in');
    await desktop.context().close();
    await phone.context().close();
  });

  it('取消 on a phone already signed in: the desktop says so and offers a new code', async () => {
    const desktop = await newPage(VIEWPORTS.desktop);
    await desktop.goto(`${publicUrl()}/login`);
    await desktop.getByRole('tab', { name: '扫码登录' }).click();
    const link = await readQr(desktop);
    const phone = await newPage(VIEWPORTS.phone);
    await portalLogin(phone, LEARNER.username, LEARNER.password);
    await phone.goto(link);
    await phone
      .getByRole('button', { name: '取 消' })
      .or(phone.getByRole('button', { name: '取消' }))
      .click();
    await phone.getByText('已取消登录').waitFor();
    await desktop.getByText('已在手机上取消登录').waitFor({ timeout: 5000 });
    await desktop.getByRole('button', { name: /刷新二维码/ }).click();
    expect(await readQr(desktop)).not.toBe(link);
    await desktop.context().close();
    await phone.context().close();
  });
});
