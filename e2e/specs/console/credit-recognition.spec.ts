import crypto from 'node:crypto';
import type {
  TCreditEntry,
  TCreditList,
  TCreditReviewList,
  TCreditStandard,
  TCreditStandardInput,
} from '@cpe/shared/schemas/credits';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, screenshot, solidPng, staffUrl, VIEWPORTS } from '../../browser.js';
import { chinaDay } from '../../filing.js';
import { type Api, portalLoginByApi, staffLogin, staffLoginByApi } from '../../session.js';

const DEMO = 'Demo@2026';
const REVIEW = 'Review@2026';
const EVIDENCE = { width: 320, height: 200 };

/** POST /api/my/credits/files with the person's session: a picture as 证明材料. */
async function uploadEvidence(api: Api, name: string): Promise<string> {
  const png = await solidPng(EVIDENCE.width, EVIDENCE.height, '#fff7e6');
  return api.uploadTo('/api/my/credits/files', name, png, 'image/png');
}

/**
 * 张三 registers one day of 面授培训 (today, so the year is this one and nothing is in the future) with a picture as
 * evidence, and 王五, the administrator of his unit, confirms it: it now waits for the bureau (待认定).
 */
async function confirmedClaim(title: string, hours: number, evidenceName: string): Promise<TCreditEntry> {
  const zhangsan = await portalLoginByApi('zhangsan', DEMO);
  const today = chinaDay(0);
  const { items } = await zhangsan.ok<{ items: TCreditStandard[] }>(
    'GET',
    `/api/my/credits/standards?year=${today.slice(0, 4)}`,
  );
  const standard = items.find((s) => s.form === '面授培训' && s.level === '');
  if (!standard) throw new Error('no active 面授培训 standard');
  const fileId = await uploadEvidence(zhangsan, evidenceName);
  const entry = await zhangsan.ok<TCreditEntry>('POST', '/api/my/credits/claims', {
    standardId: standard.id,
    title,
    host: '重庆市建筑业协会',
    startedOn: today,
    endedOn: today,
    content: '装配式建筑施工质量控制要点与典型案例研讨，含现场观摩。',
    hours,
    evidenceFileIds: [fileId],
  });
  expect(entry.status).toBe('pending-unit');
  const wangwu = await portalLoginByApi('wangwu', DEMO);
  const confirmed = await wangwu.ok<{ status: string }>('POST', `/api/unit-center/credit-claims/${entry.id}/confirm`);
  expect(confirmed.status).toBe('pending-bureau');
  return entry;
}

/** What the page itself is answered (the signed-in reviewer's scope): the 待认定 count behind the tab. */
const queue = (page: Page, status: string) =>
  page.evaluate(async (s) => {
    const res = await fetch(`/api/admin/credit-claims?status=${s}&pageSize=1`, { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`GET /api/admin/credit-claims → ${res.status}`);
    return (await res.json()) as TCreditReviewList;
  }, status);

const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Searches the queue by 姓名/项目名称 and waits for the table to show the rows of this run. */
async function search(page: Page, keyword: string) {
  await page.getByPlaceholder('姓名或项目名称').fill(keyword);
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await page.waitForURL((u) => u.searchParams.get('keyword') === keyword);
}

const drawerOf = (page: Page): Locator => page.locator('.ant-drawer-section');

async function expectEvidenceImage(drawer: Locator, name: string) {
  const img = drawer.getByRole('img', { name });
  await img.waitFor();
  await expect
    .poll(() => img.evaluate((i: HTMLImageElement) => (i.complete ? i.naturalWidth : 0)))
    .toBe(EVIDENCE.width);
}

/**
 * Issue 19: 学时登记 a unit has confirmed waits for the bureau in 继续教育管理 → 学时管理 → 学时认定. The reviewer reads
 * the entry with its evidence, 认定s it (the 学时 count in the person's record) or 退回s it with a reason the person
 * reads. 学时折算标准 (培训中心) say how many 学时 a form may claim.
 */
describe('学时认定 (console)', () => {
  it('渝中区审核员: the queue with its count, the evidence, 认定 one and 退回（不予认定） another with a reason', async () => {
    const tag = crypto.randomBytes(3).toString('hex');
    const a = await confirmedClaim(`装配式建筑质量控制培训${tag}`, 6, `attendance-${tag}.png`);
    const b = await confirmedClaim(`BIM技术应用研讨班${tag}`, 4, `notice-${tag}.png`);

    const page = await newPage(VIEWPORTS.desktop);
    await staffLogin(page, 'yuzhong', REVIEW);
    await page.getByRole('menuitem', { name: '学时认定' }).click();
    await page.waitForURL(`${staffUrl()}/credit-recognition`);
    expect(await page.getByRole('menuitem', { name: '学时折算标准' }).count()).toBe(0);

    // 待认定 with the count of the reviewer's district, and this run's two entries in it.
    const { pending } = await queue(page, 'pending');
    expect(pending).toBeGreaterThanOrEqual(2);
    await page.getByRole('tab', { name: `待认定（${pending}）` }).waitFor();
    await search(page, tag);
    const rowA = page.locator(`.ant-table-row[data-id="${a.id}"]`);
    const rowB = page.locator(`.ant-table-row[data-id="${b.id}"]`);
    await rowA.waitFor();
    await rowB.waitFor();
    expect(await page.locator('.ant-table-row').count()).toBe(2);
    const cells = await rowA.locator('td').allInnerTexts();
    expect(cells[0]).toMatch(/^张三\n\S*\*+\S*$/);
    expect(cells.slice(1, 4)).toEqual(['重庆渝中示例科技有限公司', '面授培训', a.title]);
    expect(cells[4]).toBe(a.startedOn);
    expect(cells[5]).toMatch(/^6\s*上限 8$/);
    expect(cells[7]).toBe('待认定');
    await screenshot(page, 'credit-recognition-1280');

    // The entry: content, evidence picture shown in place, history; 认定 after a confirmation.
    await rowA.getByRole('button', { name: /^认\s*定$/ }).click();
    const drawer = drawerOf(page);
    await drawer.getByText('学时登记详情').waitFor();
    await drawer.getByText('装配式建筑施工质量控制要点与典型案例研讨，含现场观摩。').waitFor();
    await drawer.getByText('重庆市建筑业协会').waitFor();
    await drawer.getByText('（折算标准最多 8 学时）').waitFor();
    await expectEvidenceImage(drawer, `attendance-${tag}.png`);
    await drawer.locator('.cpe-credit-history').getByText('提交学时登记').waitFor();
    await drawer.locator('.cpe-credit-history').getByText('单位确认').waitFor();
    await screenshot(page, 'credit-recognition-drawer-1280');
    await drawer.getByRole('button', { name: /^认\s*定$/ }).click();
    const confirm = page.locator('.ant-modal-confirm');
    await confirm.getByText(`认定后，6 学时将计入 张三 ${a.year}年度学时档案（专业科目）。`).waitFor();
    await confirm.getByRole('button', { name: /^认\s*定$/ }).click();
    await page.getByText('已认定，学时已计入学时档案').waitFor();
    await drawer.locator('.ant-descriptions').getByText('已认定').waitFor();
    await drawer.locator('.cpe-credit-history').getByText('认定', { exact: true }).waitFor();
    expect(await drawer.getByRole('button', { name: /^认\s*定$/ }).count()).toBe(0);
    await drawer.locator('.ant-drawer-close').click();
    // The queue refreshed: only the other one still waits.
    await expect.poll(() => rowA.count()).toBe(0);

    // 退回（不予认定）: the reason is required, 2–200 characters, as the server checks it.
    await rowB.getByRole('button', { name: /^认\s*定$/ }).click();
    await drawer.getByText(b.title).waitFor();
    await expectEvidenceImage(drawer, `notice-${tag}.png`);
    await drawer.getByRole('button', { name: '退回（不予认定）' }).click();
    const modal = page.locator('.ant-modal').filter({ hasText: '不予认定原因' });
    await modal.getByRole('button', { name: '确认退回' }).click();
    await modal.getByText('请填写不予认定原因').waitFor();
    await modal.getByLabel('不予认定原因').fill('无');
    await modal.getByText('原因至少2个字').waitFor();
    const reason = '证明材料为会议通知，缺少参会签到或结业证明，请补充后重新提交。';
    await modal.getByLabel('不予认定原因').fill(reason);
    await screenshot(page, 'credit-recognition-return-1280');
    await modal.getByRole('button', { name: '确认退回' }).click();
    await page.getByText('已退回（不予认定），原因已告知本人').waitFor();
    await drawer.locator('.ant-descriptions').getByText('不予认定', { exact: true }).waitFor();
    await drawer.locator('.ant-descriptions').getByText(reason).waitFor();
    await drawer.locator('.ant-drawer-close').click();
    await expect.poll(() => rowB.count()).toBe(0);

    // 已处理: both, with their outcome; the person reads them so in 学时档案.
    await page.getByRole('tab', { name: '已处理' }).click();
    await page.waitForURL((u) => u.searchParams.get('status') === 'done');
    expect(await rowA.locator('td').nth(7).innerText()).toBe('已认定');
    expect(await rowB.locator('td').nth(7).innerText()).toBe('不予认定');
    await page.getByRole('tab', { name: `待认定（${pending - 2}）` }).waitFor();
    const zhangsan = await portalLoginByApi('zhangsan', DEMO);
    const mine = await zhangsan.ok<TCreditList>('GET', '/api/my/credits');
    expect(mine.items.find((e) => e.id === a.id)?.status).toBe('confirmed');
    const returned = mine.items.find((e) => e.id === b.id);
    expect(returned?.status).toBe('rejected');
    expect(returned?.reason).toBe(reason);
    await page.context().close();
  });

  it('市人社局审核员 at 375 px: the queue of every district without sideways scrolling, and 认定 from the drawer', async () => {
    const tag = crypto.randomBytes(3).toString('hex');
    const c = await confirmedClaim(`城市更新政策解读专题培训${tag}`, 2, `certificate-${tag}.png`);

    const page = await newPage(VIEWPORTS.phone);
    await staffLogin(page, 'shiju', REVIEW);
    // On a phone the console's menu is folded away behind the title bar's button and lies over the page when opened.
    expect(await page.getByRole('menuitem', { name: '学时认定' }).isVisible()).toBe(false);
    await page.getByRole('button', { name: '打开菜单' }).click();
    await page.getByRole('menuitem', { name: '学时认定' }).click();
    await page.waitForURL(`${staffUrl()}/credit-recognition`);
    await page.getByRole('button', { name: '打开菜单' }).waitFor();
    expect(await page.getByRole('menuitem', { name: '学时认定' }).isVisible()).toBe(false);
    const { pending } = await queue(page, 'pending');
    await page.getByRole('tab', { name: `待认定（${pending}）` }).waitFor();
    await search(page, tag);
    const row = page.locator(`.ant-table-row[data-id="${c.id}"]`);
    await row.waitFor();
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'credit-recognition-375');

    await row.getByRole('button', { name: /^认\s*定$/ }).click();
    const drawer = drawerOf(page);
    await drawer.getByText(c.title).waitFor();
    await expectEvidenceImage(drawer, `certificate-${tag}.png`);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'credit-recognition-drawer-375');
    await drawer.getByRole('button', { name: /^认\s*定$/ }).click();
    await page
      .locator('.ant-modal-confirm')
      .getByRole('button', { name: /^认\s*定$/ })
      .click();
    await page.getByText('已认定，学时已计入学时档案').waitFor();
    await drawer.locator('.ant-descriptions').getByText('已认定').waitFor();
    await page.context().close();
  });

  it('培训中心运营: 学时折算标准 — 新增 checks the fields, 编辑 学术会议’s 年度上限, 停用 and 启用', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await staffLogin(page, 'peixun', 'Train@2026');
    await page.getByRole('menuitem', { name: '学时折算标准' }).click();
    await page.waitForURL(`${staffUrl()}/credit-standards`);
    expect(await page.getByRole('menuitem', { name: '学时认定' }).count()).toBe(0);
    await page.getByText('个人登记时，学时按“每天学时×天数”或“每项学时”计算，且不超过该形式的年度上限。').waitFor();

    const meeting = page.locator('.ant-table-row[data-label="学术会议"]');
    await meeting.waitFor();
    const before = await meeting.locator('td').allInnerTexts();
    expect(before.slice(0, 4)).toEqual(['学术会议', '—', '专业科目', '按天折算']);
    expect(before[4]).toMatch(/^\d+ 学时\/天$/);
    expect(before[6]).toBe('启用');
    const oldCap = Number(before[5]?.match(/^(\d+) 学时$/)?.[1]);
    expect(oldCap).toBeGreaterThan(0);
    const newCap = oldCap === 48 ? 56 : 48;
    await page.locator('.ant-table-row[data-label="论文论著（核心期刊）"]').getByText('学时/项').waitFor();
    await screenshot(page, 'credit-standards-1280');

    // 新增 with nothing filled: the shared schema's messages.
    await page.getByRole('button', { name: /新\s*增/ }).click();
    const create = page.locator('.ant-modal').filter({ hasText: '新增学时折算标准' });
    await create.getByRole('button', { name: /保\s*存/ }).click();
    await create.getByText('请填写学习形式').waitFor();
    await create.getByText('请填写学时').waitFor();
    await create.getByText('按项计算').click();
    await create.getByText('每项学时').waitFor();
    await create.getByRole('button', { name: /取\s*消/ }).click();
    await create.waitFor({ state: 'hidden' });

    const peixun = await staffLoginByApi('peixun', 'Train@2026');
    try {
      // 编辑: 学术会议's 年度上限.
      await meeting.getByRole('button', { name: /编\s*辑/ }).click();
      const edit = page.locator('.ant-modal').filter({ hasText: '编辑学时折算标准：学术会议' });
      const cap = edit.getByLabel('年度上限');
      expect(await cap.inputValue()).toBe(String(oldCap));
      await cap.fill(String(newCap));
      await screenshot(page, 'credit-standards-edit-1280');
      await edit.getByRole('button', { name: /保\s*存/ }).click();
      await page.getByText('学时折算标准已保存').waitFor();
      await expect.poll(() => meeting.locator('td').nth(5).innerText()).toBe(`${newCap} 学时`);
      // …and 学时登记 uses it from now on.
      const zhangsan = await portalLoginByApi('zhangsan', DEMO);
      const { items } = await zhangsan.ok<{ items: TCreditStandard[] }>(
        'GET',
        `/api/my/credits/standards?year=${chinaDay(0).slice(0, 4)}`,
      );
      expect(items.find((s) => s.form === '学术会议')?.yearlyCap).toBe(newCap);

      // 停用 after a confirmation, then 启用 again.
      const other = page.locator('.ant-table-row[data-label="其他"]');
      await other.getByRole('button', { name: /停\s*用/ }).click();
      const confirm = page.locator('.ant-modal-confirm');
      await confirm.getByText('停用后，个人登记学时时不能再选择该学习形式；已提交和已认定的学时不受影响。').waitFor();
      await confirm.getByRole('button', { name: /停\s*用/ }).click();
      await page.getByText('已停用').waitFor();
      await expect.poll(() => other.getAttribute('data-active')).toBe('false');
      expect(await other.locator('td').nth(6).innerText()).toBe('停用');
      await other.getByRole('button', { name: /启\s*用/ }).click();
      await page
        .locator('.ant-modal-confirm')
        .getByRole('button', { name: /启\s*用/ })
        .click();
      await expect.poll(() => other.getAttribute('data-active')).toBe('true');

      await page.setViewportSize(VIEWPORTS.phone);
      await meeting.waitFor();
      expect(await sideways(page)).toBeLessThanOrEqual(0);
      await screenshot(page, 'credit-standards-375');
    } finally {
      // Other specs register 学术会议 under the demo's cap.
      const { items } = await peixun.ok<{ items: TCreditStandard[] }>('GET', '/api/admin/credit-standards');
      const s = items.find((i) => i.form === '学术会议' && i.level === '');
      if (s && s.yearlyCap !== oldCap) {
        const { form, level, category, basis, hours, active, sort } = s;
        const input: TCreditStandardInput = { form, level, category, basis, hours, yearlyCap: oldCap, active, sort };
        await peixun.ok('PUT', `/api/admin/credit-standards/${s.id}`, input);
      }
    }
    await page.context().close();
  });
});
