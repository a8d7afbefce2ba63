import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  crlToPem,
  generateKeyPair,
  type IssuerKey,
  issueCertificate,
  issueCrl,
} from '../../../apps/server/src/lib/x509-issue.js';
import { newPage, publicUrl, screenshot, solveSlider, staffUrl, VIEWPORTS } from '../../browser.js';
import { landedHome, staffLogin } from '../../session.js';

/**
 * CA 证书登录 in demo mode: the seeded provider `ca-demo` (CA 证书) trusts the demo CA, whose 演示证书 the demo signing
 * page (/ca-signer) holds in place of a USB key: 张三's personal certificate and the one of wangwu's unit.
 */
const LEARNER = { username: 'zhangsan', password: 'Demo@2026', realName: '张三' };
const UNIT = { admin: '王五', name: '重庆渝中示例科技有限公司' };
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

const caIcon = (page: Page) => page.getByRole('button', { name: '使用CA 证书登录' });
const caDialog = (page: Page) => page.getByRole('dialog', { name: 'CA 证书登录' });

/** 读取证书并签名: the login page opens the signing program in a popup and sends it the challenge. */
async function openSigner(page: Page): Promise<Page> {
  const popup = page.waitForEvent('popup');
  await caDialog(page).getByRole('button', { name: '读取证书并签名' }).click();
  const signer = await popup;
  await signer.getByText('签名原文').waitFor();
  return signer;
}

/** In the signing program: the certificate, the PIN (the demo's, as the page hints it), 签名; the window closes. */
async function signWith(signer: Page, certificate: RegExp) {
  await signer.getByRole('radio', { name: certificate }).check();
  const hint = (await signer.getByText(/^演示 PIN：/).textContent()) ?? '';
  await signer.getByLabel('PIN 码').fill(hint.replace('演示 PIN：', '').trim());
  const closed = signer.waitForEvent('close');
  await signer.getByRole('button', { name: /^签\s*名$/ }).click();
  await closed;
}

describe('CA 证书登录', () => {
  it('张三’s certificate: the first login confirms the link with the password, the next one goes straight in', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await page.goto(`${publicUrl()}/login`);
    await caIcon(page).click();
    const dialog = caDialog(page);
    await dialog.getByText('请插入 CA 数字证书（USB Key）').waitFor();
    await screenshot(page, 'ca-1-login-dialog');

    // Closing the signing program without signing: the dialog says so and offers 重试.
    let signer = await openSigner(page);
    await dialog.getByText('等待签名…').waitFor();
    await screenshot(page, 'ca-2-waiting-for-signature');
    await signer.close();
    await dialog.getByText('已取消签名').waitFor();
    await screenshot(page, 'ca-3-cancelled');

    const popup = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: /重\s*试/ }).click();
    signer = await popup;
    await signer.getByText('签名原文').waitFor();
    // The signing program names the site asking and the text it signs.
    await signer.getByText(new URL(publicUrl()).origin).waitFor();
    expect(await signer.getByText(/^CPE-CA-LOGIN /).textContent()).toMatch(/^CPE-CA-LOGIN \S+ \S+Z [0-9a-f]{32}$/);
    await signer.getByRole('radio', { name: /张三/ }).check();
    await signer.getByLabel('PIN 码').fill('000000');
    await signer.getByRole('button', { name: /^签\s*名$/ }).click();
    await signer.getByText('PIN 码错误').waitFor();
    // As the popup opens (520 × 640).
    await signer.setViewportSize({ width: 520, height: 640 });
    await screenshot(signer, 'ca-4-signer-page');
    await signWith(signer, /张三/);

    // First use: 张三's 身份证号码 is zhangsan's account, which its password confirms once.
    await page.waitForURL(/\/login\/link$/);
    await page.getByText('该账号已实名为').waitFor();
    await screenshot(page, 'ca-5-link-page');
    await page.getByPlaceholder('请输入本平台账号的密码').fill(LEARNER.password);
    await solveSlider(page);
    await page.getByRole('button', { name: '确认绑定并登录' }).click();
    await page.waitForURL(landedHome);
    await page.goto(`${publicUrl()}/me`);
    await page.locator('#logins').getByText('CA 证书').waitFor();

    await page
      .getByRole('button', { name: /退出登录/ })
      .first()
      .click();
    await page.waitForURL(/\/login$/);
    await caIcon(page).click();
    await signWith(await openSigner(page), /张三/);
    await page.waitForURL(landedHome);
    await page.locator('.cpe-user-name', { hasText: LEARNER.realName }).waitFor();
    await page.context().close();
  });

  it('the unit’s certificate signs wangwu in as 法人用户 of 重庆渝中示例科技有限公司', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await page.goto(`${publicUrl()}/login?redirect=${encodeURIComponent('/unit-center')}`);
    await caIcon(page).click();
    await signWith(await openSigner(page), new RegExp(UNIT.name));
    // No link to confirm: a verified 统一社会信用代码 is its unit's administrator, as a 法人用户 password login.
    await page.waitForURL(/\/unit-center/);
    await page.locator('.cpe-user-name', { hasText: UNIT.admin }).waitFor();
    await page.getByText(UNIT.name).first().waitFor();
    await screenshot(page, 'ca-6-unit-center');
    await page.context().close();
  });

  it('a signature the server refuses: its reason in the dialog, and 重试 signs in', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    // What a faulty USB key driver might send: the signature's bytes changed on the way.
    let tamper = true;
    await page.route('**/api/ca/ca-demo/login', async (route) => {
      const body = route.request().postDataJSON() as { signature: string };
      if (!tamper) return route.continue();
      tamper = false;
      const bytes = Buffer.from(body.signature, 'base64');
      bytes[10] = (bytes[10] ?? 0) ^ 0xff;
      await route.continue({ postData: JSON.stringify({ ...body, signature: bytes.toString('base64') }) });
    });
    await page.goto(`${publicUrl()}/login`);
    await caIcon(page).click();
    await signWith(await openSigner(page), /张三/);
    const dialog = caDialog(page);
    await dialog.locator('.ant-alert-error').waitFor();
    expect(await dialog.locator('.ant-alert-error').textContent()).toContain('签名');
    await screenshot(page, 'ca-7-refused');
    const popup = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: /重\s*试/ }).click();
    const signer = await popup;
    await signer.getByText('签名原文').waitFor();
    await signWith(signer, /张三/);
    await page.waitForURL(landedHome);
    await page.context().close();
  });

  it('on a phone the dialog says it needs a computer; a narrow desktop window still signs', async () => {
    const phone = await newPage(VIEWPORTS.phone, { userAgent: IPHONE, isMobile: true, hasTouch: true });
    await phone.goto(`${publicUrl()}/login`);
    await caIcon(phone).click();
    await caDialog(phone).getByText('CA 证书登录需在电脑上使用').waitFor();
    expect(await caDialog(phone).getByRole('button', { name: '读取证书并签名' }).count()).toBe(0);
    await screenshot(phone, 'ca-8-phone');
    await phone.keyboard.press('Escape');
    await caDialog(phone).waitFor({ state: 'hidden' });
    await phone.context().close();

    const narrow = await newPage(VIEWPORTS.phone);
    await narrow.goto(`${publicUrl()}/login`);
    // Keyboard: the icon is a button, and Escape closes the dialog.
    await caIcon(narrow).focus();
    await narrow.keyboard.press('Enter');
    await caDialog(narrow).getByRole('button', { name: '读取证书并签名' }).waitFor();
    await screenshot(narrow, 'ca-9-login-dialog-375');
    await narrow.keyboard.press('Escape');
    await caDialog(narrow).waitFor({ state: 'hidden' });
    await narrow.context().close();
  });

  it('opened directly, the signing program says the login page opens it', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await page.goto(`${publicUrl()}/ca-signer`);
    await page.getByText('本页面由登录页面打开').waitFor();
    await page.getByRole('radio', { name: /张三/ }).waitFor();
    await screenshot(page, 'ca-10-signer-direct');
    await page.context().close();
  });

  it('the system administrator sees the CA under 系统管理 → 第三方登录, adds one from a DER file and uploads its CRL', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await staffLogin(page, 'admin', 'Admin@2026');
    await page.goto(`${staffUrl()}/login-providers`);
    const demoRow = page.getByRole('row', { name: /标识 ca-demo/ });
    await demoRow.getByText('CPE 演示 CA').first().waitFor();
    await demoRow.getByText('未上传吊销列表').waitFor();
    await page.locator('.ant-spin-blur').waitFor({ state: 'detached' });
    await screenshot(page, 'ca-11-console-providers');

    await demoRow.getByRole('button', { name: /测试连接/ }).click();
    const check = page.locator('.ant-modal-confirm');
    await check.locator('.ant-modal-confirm-title', { hasText: '测试连接：CA 证书' }).waitFor();
    await screenshot(page, 'ca-12-console-check');
    await check.getByRole('button').last().click();

    // A CA of the province's own: its certificate as Windows exports it (DER .cer).
    const ca = await makeCa('E2E 省级 CA');
    await page.getByRole('button', { name: /新增第三方登录/ }).click();
    const modal = page.getByRole('dialog', { name: '新增第三方登录' });
    await modal.getByLabel('标识').fill('ca-e2e');
    await modal.getByLabel('显示名称').fill('省级 CA 证书');
    await modal.getByText('CA 数字证书登录（USB Key 签名）').click();
    // The OpenID Connect fields give way to the CA's.
    expect(await modal.getByLabel('Client ID').count()).toBe(0);
    await modal.locator('input[type=file]').setInputFiles({
      name: 'e2e-ca.cer',
      mimeType: 'application/pkix-cert',
      buffer: derOf(ca.certificatePem),
    });
    await expect.poll(() => modal.getByLabel('CA 证书').inputValue()).toContain('-----BEGIN CERTIFICATE-----');
    await modal.getByLabel('签名程序地址').fill('https://ca.example.com/signer');
    await modal.getByRole('switch').click();
    await screenshot(page, 'ca-13-console-new-ca');
    await modal.getByRole('button', { name: /保\s*存/ }).click();
    await modal.waitFor({ state: 'hidden' });

    const row = page.getByRole('row', { name: /标识 ca-e2e/ });
    await row.getByText('E2E 省级 CA').first().waitFor();
    await row.getByText('未上传吊销列表').waitFor();

    // Another CA's list is refused with the server's reason; the CA's own is taken.
    const stranger = await makeCa('E2E 其它 CA');
    const now = Date.now();
    const crlOf = async (issuer: IssuerKey) =>
      issueCrl({
        issuer,
        revoked: [{ serial: 4242, revokedAt: new Date(now - 3_600_000) }],
        thisUpdate: new Date(now - 3_600_000),
        nextUpdate: new Date(now + 7 * 86_400_000),
      });
    await row.locator('input[type=file]').setInputFiles({
      name: 'other.crl',
      mimeType: 'application/pkix-crl',
      buffer: await crlOf(stranger),
    });
    const refused = page.locator('.ant-modal-confirm');
    await refused.locator('.ant-modal-confirm-title', { hasText: '上传吊销列表：省级 CA 证书' }).waitFor();
    await screenshot(page, 'ca-14-console-crl-refused');
    await refused.getByRole('button').last().click();
    await refused.waitFor({ state: 'hidden' });

    await row.locator('input[type=file]').setInputFiles({
      name: 'e2e.crl',
      mimeType: 'application/x-pem-file',
      buffer: Buffer.from(crlToPem(await crlOf(ca))),
    });
    await page.getByText('吊销列表已更新').waitFor();
    await row.getByText(/共 1 条/).waitFor();
    await screenshot(page, 'ca-15-console-crl');
    await page.context().close();
  });
});

async function makeCa(name: string): Promise<IssuerKey> {
  const keys = await generateKeyPair('rsa');
  const certificatePem = await issueCertificate({
    subject: { commonName: name, organization: name },
    serial: 1,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 3650 * 86_400_000),
    publicKey: keys.publicKey,
    ca: true,
  });
  return { certificatePem, privateKey: keys.privateKey };
}

function derOf(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
}
