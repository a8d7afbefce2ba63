import crypto from 'node:crypto';
import sharp from 'sharp';
import { describe, it } from 'vitest';
import { newPage, outboxCode, publicUrl, screenshot, solveImageCaptcha, VIEWPORTS } from '../../browser.js';

describe('新用户注册 with a 护照', () => {
  it('goes to 人工实名审核: the photo of the passport is sent and the account waits for staff', async () => {
    const username = `e2ep${crypto.randomBytes(4).toString('hex')}`;
    const phone = `136${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`;
    const page = await newPage(VIEWPORTS.desktop);

    await page.goto(`${publicUrl()}/register`);
    await page.getByPlaceholder('请输入以字母开头的4-30位字母、数字或下划线的组合').fill(username);
    await page
      .getByPlaceholder(/请输入8-20位大写字母/)
      .first()
      .fill('E2e-Passw0rd');
    await page.getByPlaceholder('请输入确认密码').fill('E2e-Passw0rd');
    await page.getByPlaceholder('请输入您的真实姓名').fill('John Smith');
    await page.getByLabel('证件类型').selectOption({ label: '护照' });
    await page.getByPlaceholder('请输入护照号码').fill(`E${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`);
    await page.getByLabel('国籍').fill('美国');
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="美国"]')
      .click();
    await page.getByPlaceholder('请输入您的手机号码').fill(phone);
    await solveImageCaptcha(page);
    await page.getByRole('button', { name: '获取短信验证码' }).click();
    await page.getByText(/秒后重新获取/).waitFor();
    await page.getByPlaceholder('请输入短信验证码').fill(await outboxCode('sms', phone));
    await page.getByRole('checkbox').check();
    await screenshot(page, 'register-passport-step1');
    await page.getByRole('button', { name: /^注\s*册$/ }).click();

    // 2 实名认证: no online check for a passport; its photo page goes to staff.
    await page.getByText('该证件类型须上传证件照片，由工作人员人工审核').waitFor();
    const photo = await sharp({ create: { width: 320, height: 220, channels: 3, background: '#c9d6e8' } })
      .jpeg()
      .toBuffer();
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'passport.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.locator('.ant-upload-list-item img').waitFor();
    await screenshot(page, 'register-passport-step2');
    await page.getByRole('button', { name: '提交人工审核' }).click();
    await page.getByText('已提交人工实名审核').waitFor();
    await page.getByText(username).first().waitFor();
    await screenshot(page, 'register-passport-done');
    await page.context().close();
  });
});
