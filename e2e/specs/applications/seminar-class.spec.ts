import crypto from 'node:crypto';
import fs from 'node:fs';
import { idNumberCheckChar } from '@cpe/shared';
import ExcelJS from 'exceljs';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { verifyPdfSignature } from '../../../apps/server/test/pdf-signature.js';
import { pdfText } from '../../../apps/server/test/pdf-text.js';
import { newPage, publicUrl, screenshot, VIEWPORTS } from '../../browser.js';
import {
  approveOpen,
  chinaDay,
  field,
  fillRow,
  input,
  openConsoleReview,
  pdfFile,
  pickDate,
  pngFile,
  returnWithComments,
  SAVE_NEXT,
  saveAndNext,
  submitApplication,
  uploadFiles,
} from '../../filing.js';
import { portalLogin, staffLogin } from '../../session.js';

const DEMO_PASSWORD = 'Demo@2026';
const REVIEW_PASSWORD = 'Review@2026';
const PROJECT = '数字经济与智能制造高级研修班';
const OLD_VENUE = '重庆市渝中区解放碑培训中心';
const NEW_VENUE = '重庆市江北区观音桥智能制造实训基地';
const ZHANGSAN = { name: '张三', idNumber: '500103199001011232' };

/*
 * The class is held on two days before today (China dates) so that 结业 can be reported at once: 开班 today−6,
 * 结业 today−5, or 1 and 2 January early in the year — both must be in the approved project's year (this year),
 * so the spec cannot run on 1 or 2 January.
 */
const THIS_YEAR = chinaDay().slice(0, 4);
const notBefore = (day: string, floor: string) => (day < floor ? floor : day);
const DAY1 = notBefore(chinaDay(-6), `${THIS_YEAR}-01-01`);
const DAY2 = notBefore(chinaDay(-5), `${THIS_YEAR}-01-02`);
const LECTURER = { 授课专家: '李明', 职称: '教授', 工作单位: '重庆大学' };
const SCHEDULE: Array<Record<string, string>> = [
  { 日期: DAY1, 时段: '上午', 授课内容: '开班仪式与数字经济前沿', ...LECTURER },
  {
    日期: DAY1,
    时段: '下午',
    授课内容: '工业互联网平台建设',
    授课专家: '王芳',
    职称: '研究员',
    工作单位: '中国信息通信研究院',
  },
  {
    日期: DAY2,
    时段: '上午',
    授课内容: '智能产线改造案例',
    授课专家: '王芳',
    职称: '研究员',
    工作单位: '中国信息通信研究院',
  },
];
const ADDED_ROW = { 日期: DAY2, 时段: '下午', 授课内容: '分组研讨与成果交流', ...LECTURER };
/** 4 学时 per distinct half day: four half days once the fourth row is added. */
const CLASS_HOURS = 16;

const SURNAMES = '王李赵钱孙周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施孔曹严华金魏陶姜';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超'];

/** A valid 身份证号码 (渝中区, born 1975–1994) no run has used. */
function idNumber(): string {
  const y = 1975 + crypto.randomInt(0, 20);
  const m = String(crypto.randomInt(1, 13)).padStart(2, '0');
  const d = String(crypto.randomInt(1, 29)).padStart(2, '0');
  const first17 = `500103${y}${m}${d}${String(crypto.randomInt(0, 1000)).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

/** A wrong check character for a valid number. */
function withWrongCheck(id: string): string {
  const chars = '0123456789X'.replace(id.slice(-1), '');
  return id.slice(0, 17) + chars[crypto.randomInt(0, chars.length)];
}

interface Trainee {
  name: string;
  idNumber: string;
}
const line = (t: Trainee, i: number) =>
  [
    t.name,
    t.idNumber,
    '重庆数字科技有限公司',
    i % 3 ? '工程师' : '高级工程师',
    `139${String(23000000 + i * 7919).padStart(8, '0')}`,
    '2',
    '合格',
  ].join('\t');

/** 30 participants: zhangsan among them, and one line (BAD_LINE) whose 身份证号码 has a wrong check character. */
function traineeList() {
  const people: Trainee[] = [];
  const ids = new Set([ZHANGSAN.idNumber]);
  while (people.length < 29) {
    const id = idNumber();
    if (ids.has(id)) continue;
    ids.add(id);
    const n = people.length;
    people.push({
      name: `${SURNAMES[n % SURNAMES.length]}${GIVEN[n % GIVEN.length]}${GIVEN[(n * 7 + 3) % GIVEN.length]}`,
      idNumber: id,
    });
  }
  people.splice(4, 0, ZHANGSAN);
  return people;
}
const BAD_LINE = 17;

const listPath = (menu: string) => `${publicUrl()}/unit-center/${menu}`;
const candidate = (page: Page, name: string): Locator =>
  page.getByTestId('application-candidate').filter({ hasText: name });
/** The list row under the 编号 line of a record (单位中心 layout). */
const recordRow = (page: Page, number: string) =>
  page.getByTestId('application-record-head').filter({ hasText: number }).locator('xpath=following-sibling::tr[1]');

describe('高研班 after approval: 开班方案 → 计划变化 → 结业 → 高研班结业证书', () => {
  it('a unit files a class, changes its place and reports 结业; the learner gets the certificate and the 学时', async () => {
    expect(
      DAY2 < chinaDay(),
      'the class must have ended before today in the project year (not on 1 or 2 January)',
    ).toBe(true);
    const unit = await newPage(VIEWPORTS.desktop);
    await portalLogin(unit, 'wangwu', DEMO_PASSWORD);

    // 1. 开班方案上报: the approved project waits in the candidates block.
    await unit.goto(listPath('class-plans'));
    await unit.getByText('您当前选择的是：开班方案上报').waitFor();
    const project = candidate(unit, PROJECT);
    await project.getByRole('button', { name: '上报开班方案' }).waitFor();
    expect(await project.textContent()).toContain('重庆渝中示例科技有限公司');
    await screenshot(unit, 'seminar-class-candidates');
    await project.getByRole('button', { name: '上报开班方案' }).click();
    await unit.getByText('您当前申报的是：开班方案').waitFor();
    for (const title of ['开班信息', '日程安排', '开班通知'])
      await unit.getByRole('navigation', { name: '填报项' }).getByText(title).waitFor();

    // 开班信息: the project's name, 承办单位 and place come from the approved project.
    expect(await input(unit, 'basic.projectName').inputValue()).toBe(PROJECT);
    expect(await input(unit, 'basic.hostName').inputValue()).toBe('重庆渝中示例科技有限公司');
    expect(await input(unit, 'basic.venue').inputValue()).toBe(OLD_VENUE);
    await pickDate(unit, input(unit, 'basic.startDate'), DAY1);
    await pickDate(unit, input(unit, 'basic.endDate'), DAY2);
    await input(unit, 'basic.quota').fill('60');
    await input(unit, 'basic.enrolment').fill(
      '各区县人力社保局和市级有关部门统一组织报名，报名表加盖公章后报送承办单位。',
    );
    await input(unit, 'basic.contactName').fill('王五');
    await input(unit, 'basic.contactPhone').fill('023-63891234');
    await saveAndNext(unit, 'schedule.schedule');

    // 日程安排: one row per half day, 上午/下午 from the select; the 学时 follow the rows.
    for (const [i, row] of SCHEDULE.entries()) {
      await unit.getByRole('button', { name: '添加一行' }).click();
      await fillRow(unit, i + 1, row, ['时段']);
    }
    await expect.poll(() => unit.getByTestId('class-hours').textContent()).toBe('共3个半天，计12学时');
    await screenshot(unit, 'seminar-class-form-schedule');
    await saveAndNext(unit, 'notice.files');

    await uploadFiles(unit, 'notice.files', [await pngFile('开班通知.png', '#fff8e1')]);
    await saveAndNext(unit, 'preview');
    await unit.getByText('学时：共3个半天，计12学时').waitFor();
    const planNumber = await submitApplication(unit);
    await recordRow(unit, planNumber).getByText('待市人社局审核').waitFor();

    // 2. 市人社局 returns it with a comment on 日程安排.
    const city = await newPage(VIEWPORTS.desktop);
    await staffLogin(city, 'shiju', REVIEW_PASSWORD);
    await openConsoleReview(city, '/class-plan-reviews', planNumber);
    await city.getByText('所属项目：').waitFor();
    const comment = '请补充第二天下午的安排';
    await returnWithComments(city, '/class-plan-reviews', { schedule: comment });

    // 3. The unit sees the comment on 日程安排 (marked 改), adds the afternoon and resubmits.
    await unit.reload();
    await recordRow(unit, planNumber).getByText('已退回').waitFor();
    await recordRow(unit, planNumber).getByRole('link', { name: '修改' }).click();
    await unit.getByText('申报书已退回修改').waitFor();
    const nav = unit.getByRole('navigation', { name: '填报项' });
    const marked = await nav
      .locator('li', { has: unit.locator('.cpe-app-nav-mark') })
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-section')));
    expect(marked).toEqual(['schedule']);
    await nav.locator('[data-section="schedule"] a').click();
    await unit.locator('.ant-alert', { hasText: '修改意见' }).getByText(comment).waitFor();
    const record = unit.getByTestId('review-comments-record');
    await record.waitFor();
    expect(await record.textContent()).toContain(comment);
    await screenshot(unit, 'seminar-class-returned');
    await unit.getByRole('button', { name: '添加一行' }).click();
    await fillRow(unit, SCHEDULE.length + 1, ADDED_ROW, ['时段']);
    await expect.poll(() => unit.getByTestId('class-hours').textContent()).toBe(`共4个半天，计${CLASS_HOURS}学时`);
    await unit.getByRole('button', { name: SAVE_NEXT }).click();
    await field(unit, 'notice.files').waitFor();
    await submitApplication(unit);
    await recordRow(unit, planNumber).getByText('待市人社局审核').waitFor();

    // 4. 市人社局 sees the change and the timeline, and approves.
    await openConsoleReview(city, '/class-plan-reviews', planNumber);
    await city.getByText('本轮修改内容（与上次提交相比）').waitFor();
    const timeline = city.locator('#ar-history');
    await timeline.locator('.cpe-rt-item[data-action="return"]').getByText(comment).waitFor();
    await timeline.getByTestId('review-chain').getByText('审核中').waitFor();
    await timeline.scrollIntoViewIfNeeded();
    await screenshot(city, 'seminar-class-review-timeline');
    await approveOpen(city, '/class-plan-reviews', 'seminar-class-approve-stuck');

    // 5. 计划变化情况上报: a new 举办地点, ticked as the change.
    await unit.goto(listPath('plan-changes'));
    await unit.getByText('您当前选择的是：计划变化情况上报').waitFor();
    const plan = candidate(unit, planNumber);
    await plan.getByRole('button', { name: '上报计划变化' }).click();
    await unit.getByText('您当前申报的是：计划变化情况').waitFor();
    expect(await input(unit, 'change.projectName').inputValue()).toBe(PROJECT);
    await field(unit, 'change.items').locator('label', { hasText: '举办地点' }).click();
    await input(unit, 'change.reason').fill('原培训场地装修改造，无法使用，改至江北区实训基地举办。');
    await saveAndNext(unit, 'plan.venue');
    expect(await input(unit, 'plan.venue').inputValue()).toBe(OLD_VENUE);
    await input(unit, 'plan.venue').fill(NEW_VENUE);
    await field(unit, 'plan.venue').getByTestId('original-value').getByText('已修改').waitFor();
    await screenshot(unit, 'seminar-plan-change-form');
    await saveAndNext(unit, 'attachments.files');
    await saveAndNext(unit, 'preview');
    const changeNumber = await submitApplication(unit);
    await recordRow(unit, changeNumber).getByText('待市人社局审核').waitFor();

    await openConsoleReview(city, '/plan-change-reviews', changeNumber);
    await city.locator('[data-section="plan"]').getByText(NEW_VENUE).waitFor();
    await approveOpen(city, '/plan-change-reviews', 'seminar-plan-change-approve-stuck');

    // 6. The 开班方案 in force has the new place, and its 计划变化记录 says what changed.
    await unit.goto(listPath('class-plans'));
    await recordRow(unit, planNumber).getByRole('link', { name: '预览' }).click();
    await unit.getByText(`学时：共4个半天，计${CLASS_HOURS}学时`).waitFor();
    const versions = unit.getByTestId('plan-versions');
    await versions.waitFor();
    const change = versions.locator('tbody tr', { hasText: '举办地点' });
    expect(await change.locator('.cpe-filing-before').textContent()).toBe(OLD_VENUE);
    expect(await change.locator('.cpe-filing-after').textContent()).toBe(NEW_VENUE);
    for (const head of ['修改前', '修改后']) await versions.getByRole('columnheader', { name: head }).waitFor();
    const preview = unit.locator('.cpe-app-page');
    await preview.getByText(NEW_VENUE).first().waitFor();
    await screenshot(unit, 'seminar-class-plan-versions');

    // 7. 结业上报 for this class (its 结业日期 has passed).
    await unit.goto(listPath('completions'));
    await unit.getByText('您当前选择的是：结业上报').waitFor();
    await candidate(unit, planNumber).getByRole('button', { name: '上报结业' }).click();
    await unit.getByText('您当前申报的是：结业情况').waitFor();
    expect(await input(unit, 'report.projectName').inputValue()).toBe(PROJECT);
    await input(unit, 'report.summary').fill(
      '本期研修班按开班方案顺利举办，围绕数字经济与智能制造开展专题讲座、案例教学和分组研讨，学员出勤率高，考核合格率达到百分之百，取得预期成效。',
    );
    await uploadFiles(unit, 'report.files', [pdfFile('总结报告.pdf')]);
    await saveAndNext(unit, 'trainees.list');

    // 学员名单 pasted from Excel: one line with a wrong check character is refused with its reason.
    const people = traineeList();
    const bad = people[BAD_LINE - 1] as Trainee;
    const wrong = withWrongCheck(bad.idNumber);
    const text = (rows: Trainee[]) => rows.map(line).join('\n');
    const box = unit.getByLabel('粘贴学员名单');
    await box.fill(text(people.map((p, i) => (i === BAD_LINE - 1 ? { ...p, idNumber: wrong } : p))));
    await unit.getByRole('button', { name: '校验并保存' }).click();
    const errors = unit.locator('.ant-alert-error', { hasText: '学员名单有1行错误' });
    await errors.waitFor();
    const errorRow = errors.locator('tbody tr');
    expect(await errorRow.count()).toBe(1);
    const errorText = (await errorRow.textContent()) ?? '';
    expect(errorText).toContain(`第${BAD_LINE}行`);
    expect(errorText).toContain(bad.name);
    expect(errorText).toContain('身份证号码校验位错误');
    await screenshot(unit, 'seminar-completion-trainee-errors');

    // 下载错误文件: the bad line as sent, with 错误原因.
    const [download] = await Promise.all([
      unit.waitForEvent('download'),
      errors.getByRole('button', { name: '下载错误文件' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(fs.readFileSync((await download.path()) as string) as unknown as ArrayBuffer);
    const cells: string[] = [];
    book.worksheets[0]?.eachRow((row) => row.eachCell((c) => cells.push(String(c.text))));
    expect(cells).toContain('错误原因');
    expect(cells).toContain(wrong);
    expect(cells).toContain(bad.name);
    expect(cells.some((c) => c.includes('身份证号码校验位错误'))).toBe(true);

    // Fixed in the paste box, the list is saved: 30 人.
    await box.fill(text(people));
    await unit.getByRole('button', { name: '校验并保存' }).click();
    await unit.getByText('学员名单已保存：共30人，合格30人').waitFor();
    await errors.waitFor({ state: 'detached' });
    await expect.poll(() => box.inputValue()).toBe('');
    await unit.getByText(ZHANGSAN.name, { exact: true }).first().waitFor();
    await unit.getByRole('button', { name: SAVE_NEXT }).click();
    await field(unit, 'budget.items').waitFor();

    // 经费决算表 and 使用资助资金 (万元).
    const budget = [
      { 支出项目: '专家授课费', '金额（万元）': '3.2', 说明: '6名专家' },
      { 支出项目: '场地及设备租赁费', '金额（万元）': '1.5', 说明: '' },
      { 支出项目: '资料印刷费', '金额（万元）': '0.6', 说明: '学员手册' },
    ];
    for (const [i, row] of budget.entries()) {
      await unit.getByRole('button', { name: '添加一行' }).click();
      await fillRow(unit, i + 1, Object.fromEntries(Object.entries(row).filter(([, v]) => v)));
    }
    await input(unit, 'budget.subsidyUsedFen').fill('4');
    await saveAndNext(unit, 'photos.opening');

    // 照片: four PNG pictures, one per field.
    const photos: Array<[string, string, string]> = [
      ['opening', '开班照片.png', '#c8e6c9'],
      ['lecture', '授课照片.png', '#bbdefb'],
      ['visit', '考察照片.png', '#ffe0b2'],
      ['exchange', '交流照片.png', '#e1bee7'],
    ];
    for (const [name, file, colour] of photos) await uploadFiles(unit, `photos.${name}`, [await pngFile(file, colour)]);
    await screenshot(unit, 'seminar-completion-photos');
    await saveAndNext(unit, 'papers.files');
    await saveAndNext(unit, 'evaluation.files');
    await uploadFiles(unit, 'evaluation.files', [pdfFile('质量评估表.pdf')]);
    await saveAndNext(unit, 'preview');
    const completionNumber = await submitApplication(unit);
    await recordRow(unit, completionNumber).getByText('待市人社局审核').waitFor();

    // 8. 市人社局 approves 结业: certificates and 学时 are issued.
    await openConsoleReview(city, '/completion-reviews', completionNumber);
    await city.locator('[data-section="trainees"]').getByText('30').first().waitFor();
    await approveOpen(city, '/completion-reviews', 'seminar-completion-approve-stuck');

    // 9. zhangsan: 我的证书 → 高研班结业证书, 下载证书 (signed PDF), 证书查验, 学时记录.
    const learner = await newPage(VIEWPORTS.desktop);
    await portalLogin(learner, 'zhangsan', DEMO_PASSWORD);
    await learner.goto(`${publicUrl()}/certificates`);
    await learner.getByRole('heading', { name: '高研班结业证书' }).waitFor();
    const card = learner.locator('.cpe-cert-card', { hasText: PROJECT });
    await card.waitFor();
    const cardText = (await card.textContent()) ?? '';
    expect(cardText).toContain(`${CLASS_HOURS}学时`);
    expect(cardText).toContain(`${DAY1} 至 ${DAY2}`);
    const certNo = /GYB\d{10}/.exec(cardText)?.[0] as string;
    expect(certNo).toMatch(/^GYB\d{10}$/);
    const [pdfDownload] = await Promise.all([
      learner.waitForEvent('download'),
      card.getByRole('button', { name: '下载证书' }).click(),
    ]);
    const pdf = fs.readFileSync((await pdfDownload.path()) as string);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(verifyPdfSignature(pdf)).toMatchObject({ valid: true, wholeDocument: true });
    const pdfWords = (await pdfText(pdf)).replace(/\s+/g, '');
    expect(pdfWords).toContain(PROJECT);
    expect(pdfWords).toContain(certNo);
    expect(pdfWords).toContain(ZHANGSAN.name);
    await card.scrollIntoViewIfNeeded();
    await screenshot(learner, 'seminar-certificate');

    const credits = learner.locator('.cpe-cert-section', { hasText: '学时记录' });
    const credit = credits.locator('.ant-table-row', { hasText: PROJECT });
    await credit.waitFor();
    expect((await credit.locator('td').last().textContent())?.trim()).toBe(String(CLASS_HOURS));
    // The year's tag is 张三's whole year as the server counts it (the demo and other specs add entries too).
    const creditYear = Number(DAY2.slice(0, 4));
    const yearTotal = await learner.evaluate(async (y) => {
      const res = await fetch('/api/my/credits');
      return ((await res.json()).years as Array<{ year: number; hours: number }>).find((r) => r.year === y)?.hours;
    }, creditYear);
    expect(yearTotal).toBeGreaterThanOrEqual(CLASS_HOURS);
    await credits.getByText(`${creditYear}年度 ${yearTotal}学时`).waitFor();
    await credits.scrollIntoViewIfNeeded();
    await screenshot(learner, 'seminar-credit-record');

    const anyone = await newPage(VIEWPORTS.desktop);
    await anyone.goto(`${publicUrl()}/verify`);
    await anyone.getByLabel('证书编号').fill(certNo);
    await anyone.getByLabel('证书编号').press('Enter');
    await anyone.getByText(`证书编号：${certNo}`).waitFor();
    await anyone.locator('.ant-tag', { hasText: /^有效$/ }).waitFor();
    const facts = anyone.locator('.ant-descriptions');
    await facts.getByText('高研班结业证书').waitFor();
    await facts.getByText(PROJECT).waitFor();
    await facts.getByText(`专业科目 ${CLASS_HOURS}学时`).waitFor();
    await screenshot(anyone, 'seminar-certificate-verify');

    for (const p of [unit, city, learner, anyone]) await p.context().close();
  }, 480_000);
});
