import crypto from 'node:crypto';
import { idNumberCheckChar } from '@cpe/shared';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, outboxCode, publicUrl, screenshot, solveImageCaptcha, VIEWPORTS } from '../../browser.js';
import { portalLogin } from '../../session.js';

function person() {
  const first17 = `500103${1970 + crypto.randomInt(0, 30)}0${crypto.randomInt(1, 10)}1${crypto.randomInt(0, 10)}${String(crypto.randomInt(0, 1000)).padStart(3, '0')}`;
  return {
    username: `e2e${crypto.randomBytes(4).toString('hex')}`,
    password: 'E2e-Passw0rd',
    newPassword: 'N3w-E2e-Secret',
    realName: '李小明',
    idNumber: first17 + idNumberCheckChar(first17),
    phone: `139${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`,
  };
}

/** Logs in (landing on 首页), then opens 个人中心 where the rest of this walk looks. */
async function login(page: Page, identifier: string, password: string) {
  await portalLogin(page, identifier, password);
  await page.goto(`${publicUrl()}/me`);
}

async function logout(page: Page) {
  await page.getByRole('button', { name: /退出/ }).first().click();
  await page.waitForURL(/\/login|\/$/);
}

describe.each(Object.entries(VIEWPORTS))('统一认证中心 at %s width', (name, viewport) => {
  it('registers, logs in by account, phone and ID number, resets the password, logs in with the new one', async () => {
    const p = person();
    const page = await newPage(viewport);

    // 新用户注册: 1 基本信息
    await page.goto(`${publicUrl()}/register`);
    await page.getByText('新用户注册').first().waitFor();
    await page.getByPlaceholder('请输入以字母开头的4-30位字母、数字或下划线的组合').fill(p.username);
    await page
      .getByPlaceholder(/请输入8-20位大写字母/)
      .first()
      .fill(p.password);
    await page.getByPlaceholder('请输入确认密码').fill(p.password);
    await page.getByPlaceholder('请输入您的真实姓名').fill(p.realName);
    await page.getByPlaceholder('请输入您的身份证号码').fill(p.idNumber);
    await page.getByPlaceholder('请输入您的手机号码').fill(p.phone);
    await solveImageCaptcha(page);
    await page.getByRole('button', { name: '获取短信验证码' }).click();
    await page.getByText(/秒后重新获取/).waitFor();
    await page.getByPlaceholder('请输入短信验证码').fill(await outboxCode('sms', p.phone));
    await page.getByRole('checkbox').check();
    await screenshot(page, `register-step1-${name}`);
    await page.getByRole('button', { name: /^注\s*册$/ }).click();

    // 2 实名认证 → 3 注册成功
    await page.getByRole('button', { name: '实名认证' }).click();
    await page.getByText('注册成功').first().waitFor();
    await page.getByText(p.username).first().waitFor();
    await screenshot(page, `register-done-${name}`);

    // 登录 by 用户账号, 手机号码, 身份证号
    for (const identifier of [p.username, p.phone, p.idNumber]) {
      await login(page, identifier, p.password);
      await page.getByText(p.realName).first().waitFor();
      await logout(page);
    }

    // 忘记密码: 确认账号 → 验证方式 → 安全验证 → 重置密码 → 完成
    await page.goto(`${publicUrl()}/login`);
    await page.getByText('忘记密码?').click();
    await page.waitForURL(/\/reset/);
    await page.getByPlaceholder('用户名/手机号/身份证号').fill(p.username);
    await solveImageCaptcha(page);
    await page.getByRole('button', { name: /下一步/ }).click();
    await page
      .getByText(`${p.phone.slice(0, 3)}****${p.phone.slice(-4)}`)
      .first()
      .waitFor();
    await screenshot(page, `reset-method-${name}`);
    await page.getByRole('button', { name: '手机找回' }).click();
    await page.getByText('您正在使用手机进行校验').waitFor();
    await solveImageCaptcha(page);
    await page.getByRole('button', { name: '获取短信验证码' }).click();
    await page.getByText(/秒后重新获取/).waitFor();
    await page.getByPlaceholder('请输入短信验证码').fill(await outboxCode('sms', p.phone));
    await page.getByRole('button', { name: /下一步/ }).click();
    await page
      .getByPlaceholder(/请输入8-20位大写字母/)
      .first()
      .fill(p.newPassword);
    await page.getByPlaceholder(/确认/).last().fill(p.newPassword);
    await page
      .getByRole('button', { name: /下一步|确\s*定|提\s*交|重置密码/ })
      .last()
      .click();
    await page.getByText('密码重置成功').first().waitFor();
    await screenshot(page, `reset-done-${name}`);

    await login(page, p.username, p.newPassword);
    await page.getByText(p.realName).first().waitFor();
    await screenshot(page, `me-${name}`);

    // No horizontal scrolling on a phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.context().close();
  });
});
