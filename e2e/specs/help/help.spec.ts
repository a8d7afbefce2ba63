import { describe, expect, it } from 'vitest';
import { imageLoaded, newPage, publicUrl, screenshot, solidPng, staffUrl, VIEWPORTS } from '../../browser.js';
import { portalLogin, staffLogin } from '../../session.js';

const LEARNER = { username: 'zhangsan', password: 'Demo@2026' };
const OPERATOR = { username: 'peixun', password: 'Train@2026' };

describe('咨询方式 / 在线客服', () => {
  it('a learner asks from the side panel with a screenshot, the operator replies, the learner reads it', async () => {
    // 1. The side panel (seed: 在首页侧边栏选择在线客服) shows the seed's hotlines and leads to 在线客服.
    const me = await newPage(VIEWPORTS.desktop);
    await portalLogin(me, LEARNER.username, LEARNER.password);
    await me.goto(`${publicUrl()}/`);
    const tab = me.getByRole('button', { name: /在线客服/ });
    await tab.click();
    expect(await tab.getAttribute('aria-expanded')).toBe('true');
    const panel = me.getByRole('region', { name: '咨询方式' });
    await panel.getByRole('link', { name: /400-023-9229/ }).waitFor();
    expect(await panel.getByRole('link', { name: /400-023-9229/ }).getAttribute('href')).toBe('tel:4000239229');
    await panel.getByText('按2选择售后服务').waitFor();
    await me.keyboard.press('Escape');
    expect(await tab.getAttribute('aria-expanded')).toBe('false');
    await tab.click();
    await panel.getByRole('link', { name: '在线客服', exact: true }).click();
    await me.waitForURL(`${publicUrl()}/help/tickets/new`);

    // 2. 新建咨询 with one screenshot (previewed, removable).
    const subject = `视频卡住 ${Date.now() % 100000}`;
    await me.locator('.ant-radio-button-wrapper', { hasText: '在线学习' }).click();
    await me.getByLabel('标题').fill(subject);
    await me.getByLabel('问题描述').fill('学习第三章时视频播放到12分钟就停住，刷新后也无法继续。');
    await me
      .getByLabel('添加截图')
      .setInputFiles({ name: '报错截图.png', mimeType: 'image/png', buffer: await solidPng(640, 400, '#e6f4ff') });
    await me.locator('.cpe-help-shot img').waitFor();
    expect(await imageLoaded(me, '.cpe-help-shot img')).toBe(true);
    await screenshot(me, 'help-new-ticket-1280');
    await me.getByRole('button', { name: /提交咨询/ }).click();
    await me.waitForURL(/\/help\/tickets\/[0-9a-f-]{36}$/);
    const ticketUrl = me.url();
    const meta = await me.locator('.cpe-help-ticket-meta').first().innerText();
    const ticketNo = /KF\d{10}/.exec(meta)?.[0] as string;
    expect(ticketNo).toBeTruthy();
    await me.locator('.cpe-help-msg img').waitFor();
    await expect.poll(() => imageLoaded(me, '.cpe-help-msg img')).toBe(true);
    await me.getByText('待回复').first().waitFor();

    // 3. The operator finds it under 在线客服 › 待回复, sees the screenshot and replies.
    const op = await newPage(VIEWPORTS.desktop);
    await staffLogin(op, OPERATOR.username, OPERATOR.password);
    await op.getByRole('menuitem', { name: '在线客服' }).click();
    await op.waitForURL(`${staffUrl()}/tickets`);
    const row = op.locator(`.ant-table-row[data-ticket-no="${ticketNo}"]`);
    await row.getByText('待处理').waitFor();
    await screenshot(op, 'help-console-tickets-1280');
    await row.getByRole('button', { name: /回\s*复/ }).click();
    await op.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    await op.locator('.cpe-help-msg img').waitFor();
    await expect.poll(() => imageLoaded(op, '.cpe-help-msg img')).toBe(true);
    const answer = '您好，请清除浏览器缓存后重新进入学习页面。';
    await op.getByLabel('回复', { exact: true }).fill(answer);
    await op.getByRole('button', { name: /^回\s*复$/ }).click();
    await op.getByText('已回复，学员将在“我的咨询”看到新回复').waitFor();
    await op.locator('.ant-descriptions').getByText('培训中心运营').waitFor();
    await screenshot(op, 'help-console-ticket-1280');

    // 4. The learner sees the badge, the unread mark in 我的咨询, and the reply from 在线客服.
    await me.goto(`${publicUrl()}/`);
    await me.locator('.cpe-help-dock-badge').getByText('1').waitFor();
    await me.goto(`${publicUrl()}/help/tickets`);
    const item = me.locator(`.cpe-help-ticket[data-ticket-no="${ticketNo}"]`);
    await item.getByText('1条新回复').waitFor();
    await item.getByText('已回复').waitFor();
    await screenshot(me, 'help-my-tickets-1280');
    await item.getByRole('link').click();
    await me.waitForURL(ticketUrl);
    const reply = me.locator('.cpe-help-msg[data-author="staff"]');
    await reply.getByText(answer).waitFor();
    await reply.getByText('在线客服').waitFor();
    await screenshot(me, 'help-ticket-answered-1280');
    await me.goto(`${publicUrl()}/help/tickets`);
    await expect.poll(() => item.getByText('1条新回复').count()).toBe(0);

    // 5. On a phone the same thread reads in one centred column; the closed panel is a round button at the bottom
    // right (no gutter kept for it: phone-layout.spec checks the margins of every page).
    const phone = await newPage(VIEWPORTS.phone);
    await portalLogin(phone, LEARNER.username, LEARNER.password);
    await phone.goto(ticketUrl);
    await phone.locator('.cpe-help-msg[data-author="staff"]').getByText(answer).waitFor();
    const dock = await phone.locator('.cpe-help-dock-tab').boundingBox();
    const content = await phone.locator('.cpe-help-page').boundingBox();
    expect(dock && Math.round(dock.width) === 44 && Math.round(dock.height) === 44).toBe(true);
    expect(dock && dock.x + dock.width <= 375 - 8).toBe(true);
    expect(content && Math.abs(content.x - (375 - content.x - content.width)) <= 2).toBe(true);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(phone, 'help-ticket-375');
    await phone.goto(`${publicUrl()}/help`);
    await phone.getByText('如何打印合格证书？').click();
    await phone.getByText('合格证已采用电子印章，无需加盖鲜章。').waitFor();
    await screenshot(phone, 'help-page-375');
  });
});
