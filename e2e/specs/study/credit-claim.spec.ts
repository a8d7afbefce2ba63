import type { TCreditList, TCreditReviewList, TCreditStandard } from '@cpe/shared/schemas/credits';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { imageLoaded, newPage, publicUrl, screenshot, solidPng, VIEWPORTS } from '../../browser.js';
import { pickDate, platformDays } from '../../credits.js';
import { newPerson, portalLogin, registerByApi } from '../../session.js';

const DEMO_PASSWORD = 'Demo@2026';
const run = Date.now().toString(36).slice(-5);
/** Three 学术会议 claims of this run: filed in the form (确认 by the unit), by API (退回), by API (撤回). */
const TITLES = {
  filed: `西部先进制造学术年会${run}`,
  returned: `智能装备技术研讨会${run}`,
  withdrawn: `工业互联网创新论坛${run}`,
};
/** What the standard allowed for the claim filed in the form (set by the first test). */
let filedMax = 0;
const RETURN_REASON = '会议通知与参会照片不能证明本人参会，请补充参会证明';

/** A GET of the page's own API with its session. */
const get = <T>(page: Page, path: string): Promise<T> =>
  page.evaluate(async (p) => {
    const res = await fetch(p, { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`GET ${p} → ${res.status}`);
    return res.json();
  }, path);

/** A state-changing call as the web app makes it (the CSRF cookie echoed in the header); answers status and body. */
const send = (page: Page, method: string, path: string, body?: unknown) =>
  page.evaluate(
    async ({ method, path, body }) => {
      const csrf = decodeURIComponent(/(?:^|;\s*)cpe_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '');
      const res = await fetch(path, {
        method,
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    },
    { method, path, body },
  );

/** Stores a PNG as 证明材料 through the page's session, as the upload control does. */
const uploadPng = (page: Page, png: Buffer, name: string): Promise<string> =>
  page.evaluate(
    async ({ b64, name }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const form = new FormData();
      form.append('file', new Blob([bytes], { type: 'image/png' }), name);
      const csrf = decodeURIComponent(/(?:^|;\s*)cpe_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '');
      const res = await fetch('/api/my/credits/files', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'x-csrf-token': csrf },
        body: form,
      });
      if (!res.ok) throw new Error(`upload → ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: string }).id;
    },
    { b64: png.toString('base64'), name },
  );

const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

const entryRow = (page: Page, title: string) => page.locator('.cpe-credit-entries .ant-table-row', { hasText: title });

/**
 * Issue 19: 学时登记. 张三 files a 学术会议 with a photo of it (no more than the 学时折算标准 allows: 8 a day), withdraws
 * one, 王五 (his unit's administrator) confirms one and returns another with a reason; 张三 then reads 待认定 and the
 * reason of the 不予认定. At 375 px nothing scrolls sideways.
 */
describe('学时登记 → 单位确认', () => {
  it('zhangsan files a 学术会议 with a PNG, is held to the maximum, and withdraws one', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await portalLogin(page, 'zhangsan', DEMO_PASSWORD);
    await page.goto(`${publicUrl()}/credits`);
    await page.locator('.cpe-credit-summary').waitFor();
    await page
      .getByRole('link', { name: /学时登记/ })
      .first()
      .click();
    await page.waitForURL((u) => u.pathname === '/credits/claim');
    await page.getByRole('heading', { name: /学时登记/ }).waitFor();

    const { today, yesterday } = await platformDays(page);
    const year = Number(today.slice(0, 4));
    const { items: standards } = await get<{ items: TCreditStandard[] }>(
      page,
      `/api/my/credits/standards?year=${year}`,
    );
    const conference = standards.find((s) => s.form === '学术会议' && !s.level);
    expect(conference, '学术会议 is among the active standards').toBeDefined();
    if (!conference) return;
    const used = conference.usedThisYear ?? 0;
    // Two days at 8 a day, within what is left of the yearly cap; the two claims by API share what is left after it.
    const cap = conference.yearlyCap ?? 999;
    const max = Math.min(conference.hours * 2, cap - used);
    const each = Math.min(conference.hours, Math.floor((cap - used - max) / 2));
    expect(each, 'the demo leaves room for this run’s three claims').toBeGreaterThanOrEqual(1);
    filedMax = max;
    const pendingBefore =
      (await get<TCreditList>(page, '/api/my/credits')).years.find((y) => y.year === year)?.pendingHours ?? 0;

    // 学习形式 shows each standard's rule.
    await page.getByLabel('学习形式').click();
    const option = page.locator('.ant-select-item-option', { hasText: conference.label }).first();
    expect((await option.innerText()).replace(/\s+/g, '')).toContain(
      `每天${conference.hours}学时，年度上限${conference.yearlyCap}学时（已用${used}）`,
    );
    await option.click();
    await page.getByTestId('credit-rule').waitFor();

    await page.getByLabel('项目名称').fill(TITLES.filed);
    await page.getByLabel('主办单位').fill('中国机械工程学会');
    await pickDate(page, '开始日期', yesterday);
    await pickDate(page, '结束日期', today);
    await page.getByLabel('学习内容').fill('参加大会报告及智能制造分论坛，交流产线数字化改造经验。');
    await expect.poll(() => page.getByTestId('credit-max').innerText()).toBe(`按学时折算标准最多可登记${max}学时`);

    // More than the standard allows: refused on the field, here and by the server.
    await page.getByLabel('学时').fill(String(max + 1));
    await page.getByLabel('学时').blur();
    await page.getByText(`学时不能超过按学时折算标准可登记的${max}学时`).waitFor();

    // The photo of the conference, uploaded at once.
    const png = await solidPng(320, 240, '#3b7dd8');
    await page
      .locator('.cpe-credit-files input[type="file"]')
      .setInputFiles({ name: '参会照片.png', mimeType: 'image/png', buffer: png });
    await page.locator('.cpe-credit-file', { hasText: '参会照片.png' }).waitFor();
    await page.getByRole('button', { name: /提交登记/ }).click();
    await page.getByText(`学时不能超过按学时折算标准可登记的${max}学时`).waitFor();
    expect(page.url()).toContain('/credits/claim');
    await screenshot(page, 'credit-claim-form-1280');

    // The server holds to the same maximum whatever the browser sends.
    const photo = await uploadPng(page, png, '会议通知.png');
    const standardId = conference.id;
    const over = await send(page, 'POST', '/api/my/credits/claims', {
      standardId,
      title: '超出标准的学时登记',
      host: '中国机械工程学会',
      startedOn: yesterday,
      endedOn: today,
      content: '参加大会报告及分论坛交流。',
      hours: max + 1,
      evidenceFileIds: [photo],
    });
    expect(over.status).toBe(400);
    expect(over.json.code).toBe('CREDIT_HOURS_OVER');
    expect(over.json.fields?.hours).toContain(`${max}`);

    await page.getByLabel('学时').fill(String(max));
    await page.getByRole('button', { name: /提交登记/ }).click();
    await page.waitForURL((u) => u.pathname === '/credits');
    const filed = entryRow(page, TITLES.filed);
    await filed.getByText('待单位确认').waitFor();
    expect(await filed.innerText()).toContain('学时登记');
    await expect
      .poll(() => page.getByTestId('credit-pending').innerText())
      .toBe(`另有${pendingBefore + max}学时待确认/认定`);

    // Two more by API: one for 王五 to return, one to withdraw now.
    for (const title of [TITLES.returned, TITLES.withdrawn]) {
      const res = await send(page, 'POST', '/api/my/credits/claims', {
        standardId,
        title,
        host: '重庆市机械工程学会',
        startedOn: today,
        endedOn: today,
        content: '参加会议并听取专题报告。',
        hours: each,
        evidenceFileIds: [photo],
      });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
    }
    await page.reload();
    const withdrawn = entryRow(page, TITLES.withdrawn);
    await withdrawn.getByText('待单位确认').waitFor();

    // 撤回 asks first; 取消 leaves it as it was.
    await withdrawn.getByRole('button', { name: '撤回' }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: '确认撤回该学时登记？' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await withdrawn.getByText('待单位确认').waitFor();
    await withdrawn.getByRole('button', { name: '撤回' }).click();
    await dialog.getByRole('button', { name: /确认撤回/ }).click();
    await withdrawn.getByText('已撤回').waitFor();
    await withdrawn.getByRole('link', { name: '修改后重新提交' }).waitFor();

    // The filed one's particulars: source, dates, 主办单位, the photo, its history.
    await filed.locator('.ant-table-row-expand-icon').click();
    const detail = page.locator('.cpe-credit-detail').first();
    await detail.waitFor();
    const text = await detail.innerText();
    expect(text).toContain(`${yesterday} 至 ${today}`);
    expect(text).toContain('中国机械工程学会');
    expect(text).toContain('提交学时登记');
    const link = detail.getByRole('link', { name: /参会照片\.png/ });
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('href')).toMatch(/^\/api\/my\/credits\/files\/[0-9a-f-]{36}$/);
    await screenshot(page, 'credit-claim-record-1280');

    // 学时证明 of last year (达标 in the demo) downloads as a PDF.
    await page.getByRole('button', { name: /下载学时证明/ }).click();
    const proof = page.getByRole('dialog').filter({ hasText: '下载学时证明' });
    await proof.getByLabel('起始年度').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: `${year - 1}年度` }).click();
    const years = proof.locator('.cpe-credit-proof-range .ant-select');
    await expect.poll(() => years.nth(0).innerText()).toContain(`${year - 1}年度`);
    expect(await years.nth(1).innerText()).toContain(`${year}年度`);
    const download = page.waitForEvent('download');
    await proof.getByRole('button', { name: /下\s*载/ }).click();
    const certNo = /(XS\d{12})\.pdf$/.exec((await download).suggestedFilename())?.[1];
    expect(certNo, 'the file is named by the proof’s number').toBeDefined();
    const record = await get<TCreditList>(page, '/api/my/credits');
    await page.context().close();

    // Anyone scanning its QR code reads it on 证书查验: the range, the figures of both years, 达标 only if both were.
    const both = record.years.filter((y) => y.year === year || y.year === year - 1);
    const anyone = await newPage(VIEWPORTS.phone);
    await anyone.goto(`${publicUrl()}/verify?no=${certNo}`);
    await anyone.getByText(`证明编号：${certNo}`).waitFor();
    const facts = anyone.locator('.cpe-verify-facts');
    const cell = async (label: string) =>
      (await facts.locator('tr', { hasText: label }).locator('td').first().innerText()).trim();
    expect(await cell('证明类型')).toBe('学时证明');
    expect(await cell('年度')).toBe(`${year - 1}—${year}年度`);
    expect(await cell('总学时')).toBe(`${both.reduce((n, y) => n + y.hours, 0)}学时`);
    expect(await cell('公需科目')).toBe(`${both.reduce((n, y) => n + y.publicHours, 0)}学时`);
    expect(await cell('专业科目')).toBe(`${both.reduce((n, y) => n + y.professionalHours, 0)}学时`);
    expect(await cell('是否达标')).toBe(both.every((y) => y.met) ? '达标' : '未达标');
    expect(await cell('姓名')).toMatch(/^张\*/);
    expect(await cell('状态')).toBe('有效');
    expect(await sideways(anyone)).toBeLessThanOrEqual(0);
    await screenshot(anyone, 'credit-proof-verify-375');
    await anyone.context().close();
  });

  it('wangwu in 单位中心 → 学时审核 confirms one and returns another with a reason', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await portalLogin(page, 'wangwu', DEMO_PASSWORD);
    await page.goto(`${publicUrl()}/unit-center`);
    await page.getByRole('navigation', { name: '单位中心' }).getByRole('link', { name: '学时审核' }).click();
    await page.waitForURL((u) => u.pathname === '/unit-center/credit-claims');
    const section = page.locator('.cpe-credit-claims');
    const queue = await get<TCreditReviewList>(page, '/api/unit-center/credit-claims?status=pending');
    expect(queue.items.map((c) => c.title)).toEqual(expect.arrayContaining([TITLES.filed, TITLES.returned]));
    expect(queue.items.map((c) => c.title)).not.toContain(TITLES.withdrawn);
    await expect
      .poll(() => section.locator('.ant-tabs-tab', { hasText: '待确认' }).innerText())
      .toContain(String(queue.pending));

    // The search finds this run's by 项目名称; the row names the person, masked, and the standard's maximum.
    await section.getByPlaceholder('按姓名或项目名称查找').fill(run);
    await section.getByPlaceholder('按姓名或项目名称查找').press('Enter');
    await expect.poll(() => section.locator('.ant-table-row').count()).toBe(2);
    const filed = section.locator('.ant-table-row', { hasText: TITLES.filed });
    const cells = await filed.locator('td').allInnerTexts();
    expect(cells[0]).toMatch(/^张三\s+\S*\*+\S*$/);
    expect(cells[1]).toBe('学术会议');
    expect(cells[3]?.split(/\s+/)).toEqual([String(filedMax), `上限${filedMax}`]);
    await screenshot(page, 'credit-claims-unit-1280');

    // The detail: the photo shown inline through the unit's file route, the history; 确认 after a confirmation.
    await filed.getByRole('button', { name: '查看' }).click();
    const drawer = page.locator('.ant-drawer-section', { hasText: '学时登记详情' });
    await drawer.getByText(TITLES.filed).waitFor();
    await drawer.getByText('参加大会报告及智能制造分论坛').waitFor();
    await expect.poll(() => imageLoaded(page, '.ant-drawer .cpe-credit-evidence img')).toBe(true);
    expect(await drawer.locator('.cpe-credit-evidence img').first().getAttribute('src')).toMatch(
      /^\/api\/unit-center\/credit-claims\/[0-9a-f-]{36}\/files\/[0-9a-f-]{36}$/,
    );
    await drawer.getByText('提交学时登记').waitFor();
    await screenshot(page, 'credit-claims-drawer-1280');
    await drawer.getByRole('button', { name: /^确\s*认$/ }).click();
    const ask = page.getByRole('dialog').filter({ hasText: `确认张三的学时登记？` });
    await ask.getByRole('button', { name: /^确\s*认$/ }).click();
    await page.getByText('已确认张三的学时登记，待人社部门认定').waitFor();
    await expect.poll(() => section.locator('.ant-table-row').count()).toBe(1);

    // 退回 needs a reason of 2–200 characters.
    const returned = section.locator('.ant-table-row', { hasText: TITLES.returned });
    await returned.getByRole('button', { name: '退回' }).click();
    const modal = page.getByRole('dialog').filter({ hasText: '退回张三的学时登记' });
    await modal.getByLabel('退回原因').fill('否');
    await modal.getByRole('button', { name: /确认退回/ }).click();
    await modal.getByText('原因至少2个字').waitFor();
    await modal.getByLabel('退回原因').fill(RETURN_REASON);
    await modal.getByRole('button', { name: /确认退回/ }).click();
    await modal.waitFor({ state: 'hidden' });
    await expect.poll(() => section.locator('.ant-table-row').count()).toBe(0);

    // 已处理: 待认定 and 不予认定.
    await section.getByRole('tab', { name: '已处理' }).click();
    await section.locator('.ant-table-row', { hasText: TITLES.filed }).getByText('待认定').waitFor();
    await section.locator('.ant-table-row', { hasText: TITLES.returned }).getByText('不予认定').waitFor();
    await page.context().close();
  });

  it('zhangsan then reads 待认定 and the reason of the 不予认定, and may file it again', async () => {
    const page = await newPage(VIEWPORTS.desktop);
    await portalLogin(page, 'zhangsan', DEMO_PASSWORD);
    await page.goto(`${publicUrl()}/credits`);
    await entryRow(page, TITLES.filed).getByText('待认定').waitFor();
    const returned = entryRow(page, TITLES.returned);
    await returned.getByText('不予认定').waitFor();
    expect(await returned.innerText()).toContain(`原因：${RETURN_REASON}`);

    const mine = await get<TCreditList>(page, '/api/my/credits');
    const entry = mine.items.find((e) => e.title === TITLES.returned);
    expect(entry?.status).toBe('rejected');
    expect(entry?.events.map((e) => e.actionLabel)).toEqual(expect.arrayContaining(['提交学时登记', '单位退回']));

    await returned.locator('.ant-table-row-expand-icon').click();
    const history = page.locator('.cpe-credit-detail .cpe-credit-history').first();
    await history.getByText('单位退回').waitFor();
    await history.getByText(`原因：${RETURN_REASON}`).waitFor();
    await screenshot(page, 'credit-claim-returned-1280');

    // 修改后重新提交 opens the form filled in, with the reason above it.
    await returned.getByRole('link', { name: '修改后重新提交' }).click();
    await page.waitForURL((u) => u.pathname === `/credits/claims/${entry?.id}`);
    // The form's page (the record stays on screen while its code loads).
    const again = page.locator('.cpe-credit-claim-page');
    await again.locator('.ant-alert', { hasText: `原因：${RETURN_REASON}` }).waitFor();
    expect(await again.getByLabel('项目名称').inputValue()).toBe(TITLES.returned);
    await page.locator('.cpe-credit-file').first().waitFor();
    await page.getByRole('button', { name: /重新提交/ }).waitFor();
    await page.context().close();
  });

  it('someone with no 工作单位 is sent to 个人中心 → 工作单位, keeps the draft, and gets no empty 学时证明', async () => {
    const person = newPerson('赵六');
    await registerByApi(person);
    const page = await newPage(VIEWPORTS.desktop);
    await portalLogin(page, person.username, person.password);
    await page.goto(`${publicUrl()}/credits`);
    await page.locator('.cpe-credit-summary').waitFor();

    // Nothing 已认定 yet: the server's own message, in the dialog.
    await page.getByRole('button', { name: /下载学时证明/ }).click();
    const proof = page.getByRole('dialog').filter({ hasText: '下载学时证明' });
    await proof.getByRole('button', { name: /下\s*载/ }).click();
    await proof.getByRole('alert').getByText('所选年度没有已认定的学时，暂不能出具学时证明').waitFor();
    await proof.getByRole('button', { name: /取\s*消/ }).click();

    // Told before filling the form in.
    await page.goto(`${publicUrl()}/credits/claim`);
    await page.locator('.cpe-credit-form-alert', { hasText: '您还没有经单位确认的工作单位' }).waitFor();
    const { today } = await platformDays(page);
    await page.getByLabel('学习形式').click();
    await page.locator('.ant-select-item-option', { hasText: '学术会议' }).first().click();
    await page.getByLabel('项目名称').fill('川渝人工智能应用论坛');
    await page.getByLabel('主办单位').fill('重庆市人工智能学会');
    await pickDate(page, '开始日期', today);
    await pickDate(page, '结束日期', today);
    await page.getByLabel('学习内容').fill('参加论坛主旨报告及圆桌讨论。');
    await page.getByLabel('学时').fill('8');
    await page
      .locator('.cpe-credit-files input[type="file"]')
      .setInputFiles({ name: '论坛照片.png', mimeType: 'image/png', buffer: await solidPng(200, 150, '#e0a030') });
    await page.locator('.cpe-credit-file', { hasText: '论坛照片.png' }).waitFor();
    await page.getByRole('button', { name: /提交登记/ }).click();

    // The server refuses (CREDIT_NO_UNIT): its message, the way to 工作单位, and the draft as it was.
    const alert = page.locator('.cpe-credit-form-alert', { hasText: '请先在个人中心设置工作单位' });
    await alert.waitFor();
    expect(await alert.getByRole('link', { name: '个人中心 → 工作单位' }).getAttribute('href')).toBe('/me#work-unit');
    expect(await page.getByLabel('项目名称').inputValue()).toBe('川渝人工智能应用论坛');
    expect(await page.locator('.cpe-credit-file').count()).toBe(1);
    expect(page.url()).toContain('/credits/claim');
    await screenshot(page, 'credit-claim-no-unit-1280');
    await alert.getByRole('link', { name: '个人中心 → 工作单位' }).click();
    await page.waitForURL((u) => u.pathname === '/me');
    await page.locator('#work-unit').waitFor();
    await page.context().close();
  });

  it('at 375 px the record, the form and 学时审核 do not scroll sideways', async () => {
    const page = await newPage(VIEWPORTS.phone);
    await portalLogin(page, 'zhangsan', DEMO_PASSWORD);
    await page.goto(`${publicUrl()}/credits`);
    const filed = entryRow(page, TITLES.filed);
    await filed.getByText('待认定').waitFor();
    await filed.locator('.ant-table-row-expand-icon').click();
    await page.locator('.cpe-credit-detail').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'credit-claim-record-375');

    await page.goto(`${publicUrl()}/credits/claim`);
    await page.getByLabel('学习形式').waitFor();
    await page.getByRole('button', { name: /提交登记/ }).click();
    await page.getByText('请上传至少1份证明材料（证书、通知或照片）').waitFor();
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'credit-claim-form-375');
    await page.context().close();

    const unit = await newPage(VIEWPORTS.phone);
    await portalLogin(unit, 'wangwu', DEMO_PASSWORD);
    await unit.goto(`${publicUrl()}/unit-center/credit-claims`);
    const section = unit.locator('.cpe-credit-claims');
    await section.getByRole('tab', { name: '全部' }).click();
    await section.locator('.ant-table-row', { hasText: TITLES.filed }).waitFor();
    expect(await sideways(unit)).toBeLessThanOrEqual(0);
    await screenshot(unit, 'credit-claims-unit-375');
    await section.locator('.ant-table-row', { hasText: TITLES.filed }).getByRole('button', { name: '查看' }).click();
    await unit.locator('.ant-drawer-section', { hasText: '学时登记详情' }).getByText(TITLES.filed).waitFor();
    await expect.poll(() => imageLoaded(unit, '.ant-drawer .cpe-credit-evidence img')).toBe(true);
    await screenshot(unit, 'credit-claims-drawer-375');
    await unit.context().close();
  });
});
