import { idNumberCheckChar } from '@cpe/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcProvider } from '../../../apps/server/test/sso-providers.js';
import { newPage, publicUrl, screenshot, solveSlider, staffUrl, VIEWPORTS } from '../../browser.js';
import { landedHome, staffLogin, staffLoginByApi } from '../../session.js';

/** The demo learner (seed.ts): 张三, whose 身份证号码 the provider vouches for. */
const LEARNER = { username: 'zhangsan', password: 'Demo@2026', realName: '张三' };
const LEARNER_ID = `50010319900101123${idNumberCheckChar('50010319900101123')}`;

let provider: Awaited<ReturnType<typeof startOidcProvider>>;

beforeAll(async () => {
  // 政务服务网: a real OpenID Connect provider in this process, registered by the system administrator.
  provider = await startOidcProvider({
    clientId: 'cpe-portal',
    clientSecret: 'e2e-provider-secret',
    redirectUri: `${publicUrl()}/api/sso/zwfw/callback`,
    accounts: { 'gov-zhangsan': { name: LEARNER.realName, id_card: LEARNER_ID } },
    title: '重庆市政务服务网',
  });
  const admin = await staffLoginByApi('admin', 'Admin@2026');
  await admin.ok('POST', '/api/login-providers', {
    id: 'zwfw',
    name: '重庆市政务服务网',
    type: 'oidc',
    icon: 'gov',
    issuer: provider.issuer,
    clientId: 'cpe-portal',
    clientSecret: 'e2e-provider-secret',
    scopes: 'openid profile idcard',
    idNumberClaim: 'id_card',
    nameClaim: 'name',
    enabled: true,
    sortOrder: 10,
  });
});
afterAll(() => provider?.close());

describe('第三方登录: 政务服务网', () => {
  it('zhangsan’s first login links the account with its password; after logging out, the next login goes straight in', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await page.goto(`${publicUrl()}/login`);
    const icon = page.getByRole('link', { name: '使用重庆市政务服务网登录' });
    await icon.waitFor();
    await screenshot(page, 'sso-1-login-icons');

    // To the provider, which signs its user in and sends the browser back.
    await icon.click();
    await page.getByRole('button', { name: '同意授权并登录' }).click();
    await page.waitForURL(/\/login\/link$/);
    const notice = page.getByText('该账号已实名为');
    await notice.waitFor();
    // Masked: the last character of the name, the first and last of the number.
    expect(await notice.textContent()).toBe(`该账号已实名为 *三（5****************${LEARNER_ID.slice(-1)}）`);
    await screenshot(page, 'sso-2-link-page');

    await page.getByPlaceholder('请输入本平台账号的密码').fill(LEARNER.password);
    await solveSlider(page);
    await page.getByRole('button', { name: '确认绑定并登录' }).click();
    await page.waitForURL(landedHome);
    await page.goto(`${publicUrl()}/me`);
    await page.getByText('第三方账号').waitFor();
    await page.locator('#logins').getByText('重庆市政务服务网').waitFor();
    await page.locator('#logins').scrollIntoViewIfNeeded();
    await screenshot(page, 'sso-3-me-linked');

    await page
      .getByRole('button', { name: /退出登录/ })
      .first()
      .click();
    await page.waitForURL(/\/login$/);
    // The provider still knows its user: one click, and the portal signs zhangsan in without asking anything.
    await page.getByRole('link', { name: '使用重庆市政务服务网登录' }).click();
    await page.waitForURL(landedHome);
    await page.getByText(LEARNER.realName).first().waitFor();
    await page.context().close();
  });

  it('a provider that is down: the login page says so, and the password form still signs in', async () => {
    const page = await newPage(VIEWPORTS.phone);
    await provider.close();
    await page.goto(`${publicUrl()}/login`);
    await page.getByRole('link', { name: '使用重庆市政务服务网登录' }).click();
    await page.waitForURL(/sso_error=SSO_PROVIDER_UNAVAILABLE/);
    await page.getByText('第三方登录服务暂时无法访问').waitFor();
    await screenshot(page, 'sso-4-provider-down-phone');
    await page.getByPlaceholder('用户名/手机号码/身份证号').fill(LEARNER.username);
    await page.getByPlaceholder('请输入密码').first().fill(LEARNER.password);
    await solveSlider(page);
    await page.getByRole('button', { name: /^登\s*录$/ }).click();
    await page.waitForURL(landedHome);
    await page.context().close();
  });

  it('the system administrator sees it under 系统管理 → 第三方登录', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await staffLogin(page, 'admin', 'Admin@2026');
    await page.goto(`${staffUrl()}/login-providers`);
    // The page's own item under 系统管理 is the one highlighted.
    await page.locator('.ant-menu-item-selected', { hasText: '第三方登录' }).waitFor();
    await page.getByRole('cell', { name: /重庆市政务服务网/ }).waitFor();
    // The table's loading veil fades out after the rows arrive.
    await page.locator('.ant-spin-blur').waitFor({ state: 'detached' });
    await screenshot(page, 'sso-5-console-providers');
    await page
      .getByRole('button', { name: '编 辑' })
      .or(page.getByRole('button', { name: '编辑' }))
      .first()
      .click();
    await page.getByText('编辑第三方登录').waitFor();
    await screenshot(page, 'sso-6-console-edit');
    await page.context().close();
  });
});
