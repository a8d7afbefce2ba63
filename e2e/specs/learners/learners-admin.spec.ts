import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newPage, screenshot, staffUrl, VIEWPORTS } from '../../browser.js';
import { newPerson, portalLoginByApi, registerByApi, staffLogin, staffLoginByApi } from '../../session.js';

const PASSWORD = 'Train@2026';

describe('学员管理 and 退款 in the console', () => {
  it('an operator finds a learner (masked), a pii-viewer reveals the numbers (audited), an order is refunded', async () => {
    // A learner who bought this year's plan and paid on the demo gateway's cashier.
    const p = newPerson('退款学员');
    await registerByApi(p);
    const learner = await portalLoginByApi(p.username, p.password);
    const { items: plans } = await learner.ok<{ items: Array<{ id: string }> }>('GET', '/api/plans');
    const order = await learner.ok<{ id: string; orderNo: string }>('POST', '/api/orders', {
      planId: plans[0]?.id,
      invoice: { mode: 'later' },
    });
    const pay = await learner.ok<{ url: string }>('POST', `/api/orders/${order.id}/payments`, {
      channel: 'alipay',
      device: 'desktop',
    });
    const cashier = await newPage(VIEWPORTS.desktop);
    await cashier.goto(pay.url);
    await cashier.getByRole('button', { name: '确认支付' }).click();
    await expect
      .poll(async () => (await learner.ok<{ status: string }>('GET', `/api/orders/${order.id}`)).status, {
        timeout: 40_000,
      })
      .toBe('paid');
    await cashier.context().close();

    // An operator with 查看完整身份信息.
    const admin = await staffLoginByApi('admin', 'Admin@2026');
    const username = `e2epv${crypto.randomBytes(3).toString('hex')}`;
    await admin.ok('POST', '/api/staff-accounts', {
      username,
      password: PASSWORD,
      displayName: '培训中心王查看',
      roles: ['training-operator', 'pii-viewer'],
      orgNodeId: null,
    });

    const op = await newPage(VIEWPORTS.desktop);
    await staffLogin(op, username, PASSWORD);
    await op.getByRole('menuitem', { name: '学员管理' }).click();
    await op.waitForURL(`${staffUrl()}/learners`);
    await op.getByPlaceholder('姓名/证件号码/手机号').fill(p.idNumber);
    await op.getByRole('button', { name: /查\s*询/ }).click();
    const row = op.locator('.ant-table-row', { hasText: p.username });
    await row.waitFor();
    expect(await row.innerText()).toContain(`${p.idNumber[0]}${'*'.repeat(16)}${p.idNumber.slice(-1)}`);
    // Typed into the search box by the operator, but never in what the server sent back.
    expect(await op.locator('.ant-table').innerText()).not.toContain(p.idNumber);
    // 订单 and 学习计划 counts.
    expect(await row.locator('td').nth(5).innerText()).toBe('1');
    expect(await row.locator('td').nth(6).innerText()).toBe('1');
    await op.getByPlaceholder('姓名/证件号码/手机号').fill(p.realName);
    await op.getByRole('button', { name: /查\s*询/ }).click();
    await op.waitForURL(/q=/);
    await row.waitFor();
    await screenshot(op, 'learners-list-1280');

    await row.getByRole('link', { name: p.realName }).click();
    await op.waitForURL(/\/learners\/[0-9a-f-]+$/);
    await op.getByText('基本信息').waitFor();
    expect(await op.content()).not.toContain(p.idNumber);
    await op.getByRole('tab', { name: /学习计划/ }).click();
    await op.locator('.ant-progress').first().waitFor();
    await op.getByText('0/30').waitFor();
    await op.getByRole('tab', { name: '基本信息' }).click();
    await op.waitForTimeout(500);
    await screenshot(op, 'learner-detail-1280');

    await op.getByRole('button', { name: '查看完整信息' }).click();
    const confirm = op.locator('.ant-modal-confirm');
    await confirm.getByText(/查看操作将被记录/).waitFor();
    await op.waitForTimeout(500);
    await screenshot(op, 'learner-reveal-confirm-1280');
    await confirm.getByRole('button', { name: '确认查看' }).click();
    const shown = op.locator('.ant-modal-confirm', { hasText: '完整身份信息' });
    await shown.getByText(p.idNumber).waitFor();
    await shown.getByText(p.phone).waitFor();
    await op.waitForTimeout(500);
    await screenshot(op, 'learner-reveal-1280');
    await shown.getByRole('button', { name: /关\s*闭/ }).click();
    const audit = await admin.ok<{ items: Array<{ action: string }> }>('GET', '/api/audit-logs?action=learner.reveal');
    expect(audit.items.length).toBeGreaterThan(0);

    // 退款 from 订单管理's order detail.
    await op.goto(`${staffUrl()}/orders-admin?orderNo=${order.orderNo}`);
    await op
      .locator('.ant-table-row', { hasText: order.orderNo })
      .getByRole('button', { name: /详\s*情/ })
      .click();
    const drawer = op.locator('.ant-drawer-section');
    await drawer.getByRole('button', { name: /退\s*款/ }).click();
    const dialog = op.locator('.ant-modal', { hasText: '退款原因' });
    await dialog.getByRole('button', { name: /下一步/ }).click();
    await dialog.getByText('请填写退款原因').waitFor();
    await dialog.getByLabel('退款原因').fill('学员因工作调动申请退款');
    await op.waitForTimeout(500);
    await screenshot(op, 'order-refund-dialog-1280');
    await dialog.getByRole('button', { name: /下一步/ }).click();
    const sure = op.locator('.ant-modal-confirm', { hasText: '确认退款' });
    await sure.getByText(/该学员的学习资格和学习记录将被删除/).waitFor();
    await op.waitForTimeout(500);
    await screenshot(op, 'order-refund-confirm-1280');
    await sure.getByRole('button', { name: '确定退款' }).click();
    const done = op.locator('.ant-modal-confirm', { hasText: '已退款' });
    await done.getByText(/退款单号/).waitFor();
    await done.getByRole('button', { name: /知道了/ }).click();
    await drawer.locator('.ant-tag', { hasText: '已退款' }).first().waitFor();
    await screenshot(op, 'order-refunded-1280');
    expect((await learner.ok<{ status: string }>('GET', `/api/orders/${order.id}`)).status).toBe('refunded');

    // 培训中心运营 without the role: masked, and no 查看完整信息 at all.
    const peixun = await newPage(VIEWPORTS.desktop);
    await staffLogin(peixun, 'peixun', PASSWORD);
    await peixun.goto(`${staffUrl()}/learners`);
    await peixun.getByPlaceholder('姓名/证件号码/手机号').fill(p.phone);
    await peixun.getByRole('button', { name: /查\s*询/ }).click();
    await peixun.waitForURL(/q=/);
    await peixun.locator('.ant-table-row', { hasText: p.username }).getByRole('link', { name: p.realName }).click();
    await peixun.getByText('基本信息').waitFor();
    await peixun.getByText(/查看完整信息需具有“查看完整身份信息”角色/).waitFor();
    expect(await peixun.getByRole('button', { name: '查看完整信息' }).count()).toBe(0);
    expect(await peixun.content()).not.toContain(p.idNumber);
    expect(await peixun.content()).not.toContain(p.phone);

    for (const page of [op, peixun]) await page.context().close();
  });
});
