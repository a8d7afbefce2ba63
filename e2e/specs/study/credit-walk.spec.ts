import fs from 'node:fs';
import type { TCreditList, TCreditStandard } from '@cpe/shared/schemas/credits';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pdfsig, verifyPdfSignature } from '../../../apps/server/test/pdf-signature.js';
import { imageLoaded, newPage, publicUrl, screenshot, solidPng, staffUrl, VIEWPORTS } from '../../browser.js';
import { pickDate, platformDays } from '../../credits.js';
import { newPerson, portalLogin, portalLoginByApi, registerByApi, staffLogin, staffLoginByApi } from '../../session.js';

const DEMO_PASSWORD = 'Demo@2026';
const toast = (page: Page, text: string | RegExp) => page.locator('.ant-message-notice').filter({ hasText: text });

/**
 * Issue 19's acceptance walk, every step in the browser as its user does it: a person asks to join 王五's unit →
 * 王五 confirms → the person files a 学术会议 学时登记 with a photo → 王五 confirms it → 渝中区 (yuzhong) 认定s it → the
 * year's total moves by exactly those 学时 → the 学时证明 downloads with a valid signature (checked here and by
 * poppler's pdfsig) and 证书查验 confirms it; 王五's 学时统计 lists the person 未达标 until the year reaches 90.
 */
describe('学时档案: the acceptance walk', () => {
  it('join → 学时登记 → 单位确认 → 认定 → total, 学时证明, 学时统计', async () => {
    const wangwuApi = await portalLoginByApi('wangwu', DEMO_PASSWORD);
    const unitName = (await wangwuApi.ok<{ unit: { name: string } }>('GET', '/api/unit-center')).unit.name;
    const person = newPerson('学时验收');
    await registerByApi(person);

    // 1. The person asks to join 王五's unit (个人中心 → 工作单位).
    const page = await newPage(VIEWPORTS.desktop);
    await portalLogin(page, person.username, person.password);
    await page.goto(`${publicUrl()}/me`);
    const card = page.locator('#work-unit');
    await card.locator('.cpe-work-unit-select').click();
    await page.keyboard.type(unitName.slice(2, 6));
    await page.locator('.ant-select-dropdown .ant-select-item-option').filter({ hasText: unitName }).click();
    await card.getByRole('button', { name: '申请加入' }).click();
    await toast(page, '请等待单位确认').waitFor();

    // 2. 王五 confirms in 单位中心 → 单位人员.
    const admin = await newPage(VIEWPORTS.desktop);
    await portalLogin(admin, 'wangwu', DEMO_PASSWORD);
    await admin.goto(`${publicUrl()}/unit-center/members`);
    // The menu says something waits there.
    const menu = admin.locator('.cpe-unit-center-menu');
    await menu.getByRole('link', { name: /^单位人员，\d+项待处理$/ }).waitFor();
    const members = admin.locator('.cpe-unit-members');
    await members.getByRole('searchbox', { name: '按姓名查找' }).fill(person.realName);
    await members.getByRole('button', { name: /^查\s*询$/ }).click();
    const memberRow = members.locator('.ant-table-row').filter({ hasText: person.realName });
    await memberRow.getByRole('button', { name: /^确\s*认$/ }).click();
    await admin
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /^确\s*认$/ })
      .click();
    await toast(admin, `已确认${person.realName}加入本单位`).waitFor();

    // 3. The person files a 学术会议 学时登记 with a photo, claiming what the standard allows for two days.
    const { today, yesterday } = await platformDays(page);
    const year = Number(today.slice(0, 4));
    const personApi = await portalLoginByApi(person.username, person.password);
    const standards = await personApi.ok<{ items: TCreditStandard[] }>('GET', `/api/my/credits/standards?year=${year}`);
    const conference = standards.items.find((s) => s.form === '学术会议' && !s.level) as TCreditStandard;
    const hours = Math.min(conference.hours * 2, conference.yearlyCap ?? 999);
    const totalOf = async () =>
      (await personApi.ok<TCreditList>('GET', '/api/my/credits')).years.find((y) => y.year === year);
    expect(await totalOf()).toMatchObject({ hours: 0, pendingHours: 0, met: false });
    const title = `渝中智能建造学术年会${Date.now().toString(36).slice(-5)}`;
    await page.goto(`${publicUrl()}/credits/claim`);
    await page.getByLabel('学习形式').click();
    await page.locator('.ant-select-item-option', { hasText: conference.label }).first().click();
    await page.getByLabel('项目名称').fill(title);
    await page.getByLabel('主办单位').fill('重庆市土木建筑学会');
    await pickDate(page, '开始日期', yesterday);
    await pickDate(page, '结束日期', today);
    await page.getByLabel('学习内容').fill('参加主题报告及装配式建筑分论坛，交流智能建造实践。');
    await expect.poll(() => page.getByTestId('credit-max').innerText()).toBe(`按学时折算标准最多可登记${hours}学时`);
    await page.getByLabel('学时').fill(String(hours));
    await page
      .locator('.cpe-credit-files input[type="file"]')
      .setInputFiles({ name: '会场照片.png', mimeType: 'image/png', buffer: await solidPng(480, 320, '#2f6fb5') });
    await page.locator('.cpe-credit-file', { hasText: '会场照片.png' }).waitFor();
    await page.getByRole('button', { name: /提交登记/ }).click();
    await page.waitForURL((u) => u.pathname === '/credits');
    const entry = page.locator('.cpe-credit-entries .ant-table-row', { hasText: title });
    await entry.getByText('待单位确认').waitFor();
    expect(await totalOf()).toMatchObject({ hours: 0, pendingHours: hours });

    // 4. 王五 confirms it in 单位中心 → 学时审核, after looking at the photo.
    await admin.goto(`${publicUrl()}/unit-center/credit-claims`);
    await menu.getByRole('link', { name: /^学时审核，\d+项待处理$/ }).waitFor();
    const claims = admin.locator('.cpe-credit-claims');
    await claims.getByPlaceholder('按姓名或项目名称查找').fill(title);
    await claims.getByPlaceholder('按姓名或项目名称查找').press('Enter');
    const claimRow = claims.locator('.ant-table-row', { hasText: title });
    await claimRow.getByRole('button', { name: '查看' }).click();
    const drawer = admin.locator('.ant-drawer-section', { hasText: '学时登记详情' });
    await expect.poll(() => imageLoaded(admin, '.ant-drawer .cpe-credit-evidence img')).toBe(true);
    await drawer.getByRole('button', { name: /^确\s*认$/ }).click();
    await admin
      .getByRole('dialog')
      .filter({ hasText: `确认${person.realName}的学时登记？` })
      .getByRole('button', { name: /^确\s*认$/ })
      .click();
    await admin.getByText(`已确认${person.realName}的学时登记，待人社部门认定`).waitFor();
    await page.reload();
    await entry.getByText('待认定').waitFor();

    // 5. yuzhong (渝中区人社局) 认定s it in the console.
    const id = (await personApi.ok<TCreditList>('GET', '/api/my/credits')).items.find((i) => i.title === title)?.id;
    const console = await newPage(VIEWPORTS.desktop);
    await staffLogin(console, 'yuzhong', 'Review@2026');
    await console.goto(`${staffUrl()}/credit-recognition`);
    const row = console.locator(`.ant-table-row[data-id="${id}"]`);
    await row.getByRole('button', { name: /^认\s*定$/ }).click();
    const review = console.locator('.ant-drawer-section');
    await review.locator('.cpe-credit-history').getByText('单位确认').waitFor();
    await review.getByRole('button', { name: /^认\s*定$/ }).click();
    await console
      .locator('.ant-modal-confirm')
      .getByRole('button', { name: /^认\s*定$/ })
      .click();
    await console.getByText('已认定，学时已计入学时档案').waitFor();
    await screenshot(console, 'credit-walk-recognised-1280');
    await console.context().close();

    // 6. The year's total moved by exactly those 学时, on the page and in the record.
    expect(await totalOf()).toMatchObject({ hours, professionalHours: hours, pendingHours: 0, met: false });
    await page.reload();
    await entry.getByText('已认定').waitFor();
    await expect
      .poll(() => page.locator('.cpe-credit-summary .cpe-credit-total').first().innerText())
      .toContain(`已获得 ${hours} 学时`);

    // 7. The 学时证明 downloads; its signature verifies (our check and poppler's pdfsig).
    await page.getByRole('button', { name: /下载学时证明/ }).click();
    const proof = page.getByRole('dialog').filter({ hasText: '下载学时证明' });
    const download = page.waitForEvent('download');
    await proof.getByRole('button', { name: /下\s*载/ }).click();
    const file = await download;
    const certNo = /(XS\d{12})\.pdf$/.exec(file.suggestedFilename())?.[1];
    expect(certNo).toBeDefined();
    const pdf = fs.readFileSync((await file.path()) as string);
    expect(verifyPdfSignature(pdf)).toMatchObject({
      valid: true,
      wholeDocument: true,
      subFilter: 'ETSI.CAdES.detached',
    });
    const poppler = pdfsig(pdf);
    if (poppler === null && process.env.CI === 'true') throw new Error('CI=true but pdfsig (poppler-utils) is missing');
    if (poppler !== null) expect(poppler).toContain('Signature is Valid');
    await screenshot(page, 'credit-walk-record-1280');

    // 8. 证书查验 (public) confirms it: masked name, the year, the totals, 有效.
    const anyone = await newPage(VIEWPORTS.desktop);
    await anyone.goto(`${publicUrl()}/verify?no=${certNo}`);
    await anyone.getByText(`证明编号：${certNo}`).waitFor();
    const facts = anyone.locator('.cpe-verify-facts');
    const cell = async (label: string) =>
      (await facts.locator('tr', { hasText: label }).locator('td').first().innerText()).trim();
    expect(await cell('证明类型')).toBe('学时证明');
    expect(await cell('总学时')).toBe(`${hours}学时`);
    expect(await cell('状态')).toBe('有效');
    expect(await cell('姓名')).not.toContain(person.realName.slice(1));
    await anyone.context().close();

    // 9. 王五's 学时统计 lists the person 未达标; once the year reaches 90 (another 认定 entry), 达标.
    const statsRow = async () => {
      await admin.goto(`${publicUrl()}/unit-center/credit-stats`);
      const stats = admin.locator('.cpe-credit-stats');
      await stats.getByPlaceholder('按姓名查找').fill(person.realName);
      await stats.getByPlaceholder('按姓名查找').press('Enter');
      const r = stats.locator('.ant-table-row', { hasText: person.realName });
      await r.waitFor();
      return r;
    };
    expect((await (await statsRow()).locator('td').allInnerTexts()).slice(3, 7)).toEqual([
      String(hours),
      '0',
      String(hours),
      '未达标',
    ]);
    // The rest to 90 from forms that do not depend on the date (early January has few days behind it): 论文论著
    // (专著, then 核心期刊 up to the form's cap), 其他, and one day of 面授培训 for what is left.
    const yuzhongApi = await staffLoginByApi('yuzhong', 'Review@2026');
    const photo = await personApi.uploadTo(
      '/api/my/credits/files',
      '证书.png',
      await solidPng(200, 140, '#888888'),
      'image/png',
    );
    const pick = (form: string, level = '') =>
      standards.items.find((s) => s.form === form && s.level === level) as TCreditStandard;
    let rest = 90 - hours;
    for (const s of [pick('论文论著', '专著'), pick('论文论著', '核心期刊'), pick('其他'), pick('面授培训')]) {
      if (rest <= 0) break;
      const used = (
        await personApi.ok<{ items: TCreditStandard[] }>('GET', `/api/my/credits/standards?year=${year}`)
      ).items.find((x) => x.id === s.id)?.usedThisYear;
      const take = Math.min(rest, s.hours, (s.yearlyCap ?? 999) - (used ?? 0));
      if (take <= 0) continue;
      const filed = await personApi.ok<{ id: string }>('POST', '/api/my/credits/claims', {
        standardId: s.id,
        title: `${s.label}学时${take}`,
        host: '重庆市住房和城乡建设委员会',
        startedOn: today,
        endedOn: today,
        content: '专业技术工作相关的继续教育活动。',
        hours: take,
        evidenceFileIds: [photo],
      });
      await wangwuApi.ok('POST', `/api/unit-center/credit-claims/${filed.id}/confirm`, {});
      await yuzhongApi.ok('POST', `/api/admin/credit-claims/${filed.id}/recognise`, {});
      rest -= take;
    }
    expect(rest).toBe(0);
    expect((await (await statsRow()).locator('td').allInnerTexts()).slice(3, 7)).toEqual(['90', '0', '90', '达标']);
    await screenshot(admin, 'credit-walk-stats-1280');
    await admin.context().close();
    await page.context().close();
  });
});
