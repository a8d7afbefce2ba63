import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, publicUrl, screenshot, solveSlider, VIEWPORTS } from '../../browser.js';
import { landedHome, newPerson, portalLogin, registerByApi } from '../../session.js';
import { openThisYearsPlan } from '../../study.js';

/** Safari on an iPhone: the portal asks for 微信支付 H5 (a phone browser outside WeChat). */
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

/** The same phone inside the WeChat app: 微信支付 there is JSAPI, after 微信网页授权. */
const IN_WECHAT = `${IPHONE.replace(' Version/17.4', '').replace(' Safari/604.1', '')} MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN`;

function phonePage(userAgent = IPHONE): Promise<Page> {
  return newPage(VIEWPORTS.phone, { userAgent, isMobile: true, hasTouch: true });
}

/** Nothing on the page is wider than the phone: no sideways scrolling of the whole page. */
async function fitsPhone(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  await screenshot(page, `mobile-${name}`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${name} is ${width} px wide`).toBeLessThanOrEqual(VIEWPORTS.phone.width);
}

describe('公需科目 on a phone (375 px)', () => {
  it('a new learner logs in, buys the plan with 微信支付 (H5 via the gateway) and sees the order paid', async () => {
    const p = newPerson('孙七');
    await registerByApi(p);
    const page = await phonePage();

    await page.goto(`${publicUrl()}/`);
    await fitsPhone(page, 'home');
    // The main navigation folds into 菜单 on a phone.
    await page.getByRole('button', { name: '菜单' }).click();
    await expect.poll(() => page.getByRole('link', { name: '首页' }).isVisible()).toBe(true);
    await fitsPhone(page, 'nav-open');
    await page.getByRole('button', { name: '菜单' }).click();

    await page.goto(`${publicUrl()}/login`);
    await fitsPhone(page, 'login');
    await page.getByRole('tab', { name: '个人用户' }).click();
    await page.getByPlaceholder('用户名/手机号码/身份证号').fill(p.username);
    await page.getByPlaceholder('请输入密码').first().fill(p.password);
    await solveSlider(page);
    await page.getByRole('button', { name: /^登\s*录$/ }).click();
    await page.waitForURL(landedHome);
    await fitsPhone(page, 'home-signed-in');
    await page.goto(`${publicUrl()}/me`);
    await fitsPhone(page, 'me');

    await page.goto(`${publicUrl()}/gxkm`);
    await fitsPhone(page, 'plans');
    await page
      .getByRole('link', { name: /专技人员继续教育公需科目培训/ })
      .first()
      .click();
    await page.getByText('选择购买方式').waitFor();
    await fitsPhone(page, 'plan');
    const buy = page.getByRole('button', { name: '个人购买' });
    expect((await buy.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(40);
    await buy.click();
    await page.getByRole('button', { name: '提交订单' }).waitFor();
    await fitsPhone(page, 'order-submit');
    await page.getByRole('button', { name: '提交订单' }).click();

    await page.waitForURL(/\/orders\/[0-9a-f-]+$/);
    const payButton = page.getByRole('button', { name: '立即支付' });
    await payButton.waitFor();
    await fitsPhone(page, 'order-pay');
    expect((await payButton.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(40);
    await page.getByText('微信支付', { exact: true }).click();
    await payButton.click();

    // The demo gateway's cashier in its H5 form, as WeChat's h5_url page would be.
    await page.waitForURL(/\/pay-gateway\/cashier\/.+scene=h5/);
    await page.getByText('手机网页支付').waitFor();
    await fitsPhone(page, 'cashier-h5');
    await page.getByRole('button', { name: '确认支付' }).click();
    await page.waitForURL(/\/result/);
    await page.getByText('支付成功').waitFor({ timeout: 40_000 });
    await fitsPhone(page, 'pay-result');

    await page.goto(`${publicUrl()}/orders`);
    await page.getByText('已支付').first().waitFor();
    await fitsPhone(page, 'orders');
    await page.goto(`${publicUrl()}/invoices`);
    await fitsPhone(page, 'invoices');
  });

  it('inside WeChat the same purchase goes through 微信网页授权 and the in-app pay sheet (JSAPI)', async () => {
    const p = newPerson('周八');
    await registerByApi(p);
    const page = await phonePage(IN_WECHAT);
    await portalLogin(page, p.username, p.password);

    await openThisYearsPlan(page);
    await page.getByRole('button', { name: '个人购买' }).click();
    await page.getByRole('button', { name: '提交订单' }).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]+$/);
    await page.getByText('微信支付', { exact: true }).click();
    await page.getByRole('button', { name: '立即支付' }).click();
    // No openid yet: the portal goes through 微信网页授权 (silent) and comes back with 微信 still chosen.
    // (The browser keeps WeChat's #wechat_redirect fragment across the redirects; it means nothing here.)
    await page.waitForURL(/\/orders\/[0-9a-f-]+\?wxpay=1(#.*)?$/);
    await page.getByRole('button', { name: '立即支付' }).waitFor();
    await fitsPhone(page, 'order-pay-wechat');
    await page.getByRole('button', { name: '立即支付' }).click();
    await page.waitForURL(/\/pay-gateway\/cashier\/.+scene=jsapi/);
    await page.getByText('微信内支付（模拟）').waitFor();
    await fitsPhone(page, 'cashier-jsapi');
    await page.getByRole('button', { name: '确认支付' }).click();
    await page.getByText('支付成功').waitFor({ timeout: 40_000 });
  });
});
