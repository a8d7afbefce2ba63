import { describe, expect, it } from 'vitest';
import { newPage, publicUrl, screenshot, VIEWPORTS } from '../../browser.js';
import { newPerson, portalLogin, registerByApi } from '../../session.js';

/**
 * Issue 22 §5: the portal is reached at two addresses (PUBLIC_URL lists http://127.0.0.1:PORT first and
 * http://localhost:PORT — global-setup.ts). A person who opened it at either pays on the demo cashier (which, like
 * 支付宝, lives at one address: the first) and comes back to the address they came from, still signed in — their
 * session cookie belongs to that host.
 */
const canonical = () => publicUrl();
const localhost = () => publicUrl().replace('//127.0.0.1:', '//localhost:');

describe('returns from the payment cashier', () => {
  for (const [name, base] of [
    ['localhost', localhost],
    ['127.0.0.1', canonical],
  ] as const) {
    it(`signed in at ${name}, pays on the demo cashier and is still signed in at ${name} after the return`, async () => {
      const p = newPerson('吴十');
      await registerByApi(p);
      const page = await newPage(VIEWPORTS.desktop);
      await portalLogin(page, p.username, p.password, base());
      expect(new URL(page.url()).origin).toBe(base());

      await page.goto(`${base()}/gxkm`);
      await page
        .getByRole('link', { name: /专技人员继续教育公需科目培训/ })
        .first()
        .click();
      await page.getByRole('button', { name: '个人购买' }).click();
      await page.getByText('以后申请').click();
      await page.getByRole('button', { name: '提交订单' }).click();
      await page.waitForURL(/\/orders\/[0-9a-f-]+$/);
      const orderId = new URL(page.url()).pathname.split('/').pop() as string;
      await page.getByText('支付宝', { exact: true }).click();
      await page.getByRole('button', { name: '立即支付' }).click();

      await page.waitForURL(/\/pay-gateway\/cashier\//);
      expect(new URL(page.url()).origin).toBe(canonical());
      await screenshot(page, `return-host-cashier-${name}`);
      await page.getByRole('button', { name: '确认支付' }).click();

      await page.waitForURL(/\/orders\/[0-9a-f-]+\/result/);
      const back = new URL(page.url());
      expect(back.origin).toBe(base());
      expect(back.pathname).toBe(`/orders/${orderId}/result`);
      await page.getByText('支付成功').waitFor({ timeout: 40_000 });
      await page.locator('.cpe-user-name', { hasText: p.realName }).waitFor();
      expect(await page.getByText('请登录后继续访问').count()).toBe(0);
      await screenshot(page, `return-host-paid-${name}`);

      // Still signed in on the address they came from: 我的订单 shows the paid order.
      await page.goto(`${base()}/orders`);
      await page.locator('.cpe-user-name', { hasText: p.realName }).waitFor();
      await page.locator('tr', { hasText: '已支付' }).first().waitFor();
      expect(await page.getByText('请登录后继续访问').count()).toBe(0);
      await screenshot(page, `return-host-orders-${name}`);
      await page.context().close();
    });
  }
});

describe('CA 证书登录 at the second address', () => {
  it('at localhost the demo signing program opens at localhost too, gets the challenge and signs wangwu in', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await page.goto(`${localhost()}/login?redirect=${encodeURIComponent('/unit-center')}`);
    await page.getByRole('button', { name: '使用CA 证书登录' }).click();
    const dialog = page.getByRole('dialog', { name: 'CA 证书登录' });
    const popup = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: '读取证书并签名' }).click();
    const signer = await popup;
    // Same origin as the login page: a cross-origin popup would lose its opener (COOP) and never get the challenge.
    expect(new URL(signer.url()).origin).toBe(localhost());
    await signer.getByText('签名原文').waitFor();
    await signer.getByText(localhost()).waitFor();
    expect(await signer.getByText(/^CPE-CA-LOGIN /).textContent()).toContain(
      `CPE-CA-LOGIN ${new URL(localhost()).host} `,
    );
    await signer.setViewportSize({ width: 520, height: 640 });
    await screenshot(signer, 'return-host-ca-signer-localhost');
    await signer.getByRole('radio', { name: /重庆渝中示例科技有限公司/ }).check();
    const hint = (await signer.getByText(/^演示 PIN：/).textContent()) ?? '';
    await signer.getByLabel('PIN 码').fill(hint.replace('演示 PIN：', '').trim());
    const closed = signer.waitForEvent('close');
    await signer.getByRole('button', { name: /^签\s*名$/ }).click();
    await closed;
    await page.waitForURL(/\/unit-center/);
    expect(new URL(page.url()).origin).toBe(localhost());
    await page.locator('.cpe-user-name', { hasText: '王五' }).waitFor();
    await page.getByText('重庆渝中示例科技有限公司').first().waitFor();
    await screenshot(page, 'return-host-ca-unit-center-localhost');
    await page.context().close();
  });
});
