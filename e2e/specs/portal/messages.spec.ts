import { describe, expect, it } from 'vitest';
import { newPage, publicUrl, screenshot, VIEWPORTS } from '../../browser.js';
import { newPerson, portalLogin, portalLoginByApi, registerByApi, staffLoginByApi } from '../../session.js';

const OPERATOR = { username: 'peixun', password: 'Train@2026' };

describe('消息中心', () => {
  it('a 在线客服 reply arrives as a message: count in the header (1280) and in 菜单 (375), read, count drops', async () => {
    // A new person (no messages yet) asks two questions; the training centre answers both.
    const p = newPerson('消息测试');
    await registerByApi(p);
    const learner = await portalLoginByApi(p.username, p.password);
    const op = await staffLoginByApi(OPERATOR.username, OPERATOR.password);
    const tickets: string[] = [];
    for (const subject of ['证书打印不出来', '视频播放卡顿']) {
      const t = await learner.ok<{ id: string }>('POST', '/api/tickets', {
        topic: 'study',
        subject,
        body: `${subject}，请问应该如何处理？`,
      });
      await op.ok('POST', `/api/admin/tickets/${t.id}/replies`, { body: '您好，请清除浏览器缓存后重试。' });
      tickets.push(t.id);
    }

    // 1280 px: 消息 with 2 in the header; 消息中心 lists both, unread.
    const me = await newPage(VIEWPORTS.desktop);
    await portalLogin(me, p.username, p.password);
    const entry = me.locator('.cpe-user-nav').getByRole('link', { name: '消息中心，2条未读' });
    await entry.waitFor();
    expect(await entry.innerText()).toContain('2');
    await screenshot(me, 'messages-header-1280');
    await entry.click();
    await me.waitForURL(`${publicUrl()}/messages`);
    const items = me.locator('.cpe-msg-item');
    await expect.poll(() => items.count()).toBe(2);
    expect(await me.locator('.cpe-msg-item.is-unread').count()).toBe(2);
    await me.getByRole('button', { name: '全部标为已读（2）' }).waitFor();
    await me.getByRole('tab', { name: '未读（2）' }).waitFor();
    await screenshot(me, 'messages-list-1280');

    // Opening the newest (the second question's answer) marks it read and lands on its ticket.
    const newest = items.first();
    expect(await newest.innerText()).toContain('视频播放卡顿');
    await newest.getByRole('button').click();
    await me.waitForURL(`${publicUrl()}/help/tickets/${tickets[1]}`);
    await me.locator('.cpe-user-nav').getByRole('link', { name: '消息中心，1条未读' }).waitFor();
    await me.goto(`${publicUrl()}/messages?tab=unread`);
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().innerText()).toContain('证书打印不出来');

    // 375 px: the header has no room; 菜单 carries a dot and, opened, 消息中心 with the count.
    const phone = await newPage(VIEWPORTS.phone);
    await portalLogin(phone, p.username, p.password);
    expect(await phone.locator('.cpe-user-nav .cpe-msg-link').isVisible()).toBe(false);
    await phone.getByRole('img', { name: '1条未读消息' }).waitFor();
    await phone.getByRole('button', { name: /菜单/ }).click();
    const menuEntry = phone.locator('.cpe-main-nav').getByRole('link', { name: '消息中心，1条未读' });
    await menuEntry.waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(phone, 'messages-menu-375');
    await menuEntry.click();
    await phone.waitForURL(`${publicUrl()}/messages`);
    await expect.poll(() => phone.locator('.cpe-msg-item').count()).toBe(2);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(phone, 'messages-list-375');
    await phone.getByRole('button', { name: '全部标为已读（1）' }).click();
    await expect.poll(() => phone.locator('.cpe-msg-item.is-unread').count()).toBe(0);
    await phone.getByRole('tab', { name: '未读' }).click();
    await phone.getByText('暂无未读消息').waitFor();
    expect(await phone.getByRole('img', { name: /条未读消息/ }).count()).toBe(0);
    await screenshot(phone, 'messages-empty-375');

    // Back on the desktop the count is gone after its next refresh (focus, or the minute's poll).
    await me.goto(`${publicUrl()}/`);
    await me.locator('.cpe-user-nav').getByRole('link', { name: '消息中心', exact: true }).waitFor();
  });
});
