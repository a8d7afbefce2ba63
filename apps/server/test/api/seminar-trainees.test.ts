import crypto from 'node:crypto';
import { ADVANCED_SEMINAR, CLASS_PLAN, COMPLETION } from '@cpe/shared';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cityReviewer, fillAll, openBatch, submitted, unitAdmin } from '../applications-factories.js';
import { buildPerson, login, multipartFile, randomIdNumber, register } from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { pdfText } from '../pdf-text.js';
import { PDF, png } from '../units-factories.js';
import { xlsxOfSheet } from '../xlsx-bombs.js';
import { hasFormula } from '../xlsx-xml.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
  await openBatch(env);
});

type Unit = Awaited<ReturnType<typeof unitAdmin>>;

/** Registers the person and signs in as them. */
async function signedIn(p: ReturnType<typeof buildPerson>) {
  const c = new Client(env.publicApp);
  await register(c, p);
  const res = await login(c, p.username, p.password);
  expect(res.statusCode, res.body).toBe(200);
  return c;
}
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function attach(c: Client, appId: string, data: Buffer, filename: string, type: string) {
  const res = await c.request(
    'POST',
    `/api/applications/${appId}/attachments`,
    undefined,
    multipartFile({}, { data, filename, type }),
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** A 开班方案 of 5 days (2026-05-11 to 2026-05-15) with three half days (12 学时). */
async function classPlanData(c: Client, id: string, projectName: string) {
  return {
    basic: {
      projectName,
      hostName: '重庆市继续教育培训中心',
      startDate: '2026-05-11',
      endDate: '2026-05-15',
      venue: '重庆市渝中区解放碑培训中心',
      quota: 60,
      enrolment: '各单位推荐，网上报名',
      contactName: '刘老师',
      contactPhone: '13800138001',
    },
    schedule: {
      schedule: [
        {
          date: '2026-05-11',
          half: '上午',
          topic: '人工智能前沿',
          lecturer: '李明',
          lecturerTitle: '教授',
          lecturerUnit: '重庆大学',
        },
        {
          date: '2026-05-11',
          half: '下午',
          topic: '工业互联网',
          lecturer: '王芳',
          lecturerTitle: '研究员',
          lecturerUnit: '中国信通院',
        },
        {
          date: '2026-05-12',
          half: '上午',
          topic: '智能产线改造',
          lecturer: '李明',
          lecturerTitle: '教授',
          lecturerUnit: '重庆大学',
        },
      ],
    },
    notice: { files: [await attach(c, id, PDF, '开班通知.pdf', 'application/pdf')] },
  };
}

/**
 * An approved 市级高级研修项目 → an approved 开班方案 → a 结业上报 draft, all through HTTP as the unit and 市人社局
 * do it.
 */
async function completionDraft(u: Unit) {
  const city = await cityReviewer(env);
  const seminar = await submitted(u.c);
  const approve = async (id: string) => {
    const res = await city.post(`/api/application-reviews/${id}/approve`, { opinion: '同意' });
    expect(res.statusCode, res.body).toBe(200);
  };
  await approve(seminar.id);
  const projectName = (await u.c.get(`/api/applications/${seminar.id}`)).json().data.basic.projectName as string;
  const plan = await u.c.post('/api/applications', { type: CLASS_PLAN.key, parentId: seminar.id });
  expect(plan.statusCode, plan.body).toBe(200);
  await fillAll(u.c, plan.json().id, await classPlanData(u.c, plan.json().id, projectName));
  const sub = await u.c.post(`/api/applications/${plan.json().id}/submit`);
  expect(sub.statusCode, sub.body).toBe(200);
  await approve(plan.json().id);
  const completion = await u.c.post('/api/applications', { type: COMPLETION.key, parentId: plan.json().id });
  expect(completion.statusCode, completion.body).toBe(200);
  return { id: completion.json().id as string, city, projectName, seminarId: seminar.id, planId: plan.json().id };
}

/** Everything of a 结业上报 but the 学员名单. */
async function fillCompletion(c: Client, id: string, projectName: string) {
  const image = await png();
  const photo = async (name: string) => [await attach(c, id, image, `${name}.png`, 'image/png')];
  await fillAll(c, id, {
    report: {
      projectName,
      summary: '本期高级研修班按方案完成全部研修内容，学员出勤良好，研修成果显著，达到预期目标。',
      files: [await attach(c, id, PDF, '总结报告.pdf', 'application/pdf')],
    },
    budget: { items: [{ item: '专家授课费', amountFen: 3_000_000, note: '' }], subsidyUsedFen: 2_000_000 },
    photos: {
      opening: await photo('开班'),
      lecture: await photo('授课'),
      visit: await photo('考察'),
      exchange: await photo('交流'),
    },
    evaluation: { files: [await attach(c, id, PDF, '质量评估表.pdf', 'application/pdf')] },
  });
}

const row = (
  name: string,
  id: string,
  over: Partial<Record<'employer' | 'title' | 'phone' | 'days' | 'result', string>> = {},
) =>
  [
    name,
    id,
    over.employer ?? '重庆大学',
    over.title ?? '高级工程师',
    over.phone ?? '13800138000',
    over.days ?? '5',
    over.result ?? '合格',
  ].join('\t');

const put = (c: Client, id: string, text: string) => c.request('PUT', `/api/applications/${id}/trainees`, { text });

async function xlsxOf(
  rows: string[][],
  header = ['序号', '姓名', '身份证号码', '工作单位', '职称/职务', '手机号码', '出勤天数', '研修成果'],
) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('学员名单');
  ws.addRow(['高级研修班学员名单']);
  ws.addRow(header);
  rows.forEach((r, i) => {
    ws.addRow([i + 1, ...r]);
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const upload = (c: Client, id: string, data: Buffer, method: 'PUT' | 'POST' = 'PUT', path = '') =>
  c.request(
    method,
    `/api/applications/${id}/trainees${path}`,
    undefined,
    multipartFile({}, { data, filename: '学员名单.xlsx', type: XLSX_TYPE }),
  );

describe('学员名单 of a 结业上报', () => {
  let u: Unit;
  let draft: Awaited<ReturnType<typeof completionDraft>>;
  beforeAll(async () => {
    u = await unitAdmin(env);
    draft = await completionDraft(u);
  });

  it('401 without a session, 403 for another unit, 409 for an application that is not a 结业上报', async () => {
    const anon = new Client(env.publicApp);
    expect((await anon.get(`/api/applications/${draft.id}/trainees`)).statusCode).toBe(401);
    expect((await put(anon, draft.id, row('张三', randomIdNumber()))).statusCode).toBe(401);

    const other = await unitAdmin(env);
    const forbidden = await put(other.c, draft.id, row('张三', randomIdNumber()));
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().code).toBe('APPLICATION_FORBIDDEN');
    expect((await other.c.get(`/api/applications/${draft.id}/trainees`)).statusCode).toBe(403);
    expect((await other.c.del(`/api/applications/${draft.id}/trainees`)).statusCode).toBe(403);

    const seminar = await u.c.post('/api/applications', { type: ADVANCED_SEMINAR.key });
    const wrong = await put(u.c, seminar.json().id, row('张三', randomIdNumber()));
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json()).toMatchObject({ code: 'APPLICATION_STATE', message: '只有结业上报需要填写学员名单' });
  });

  it('400 names every bad line with its reasons and writes nothing', async () => {
    const dup = randomIdNumber();
    const text = [
      '姓名\t身份证号码\t工作单位\t职称/职务\t手机号码\t出勤天数\t研修成果',
      row('张三', dup),
      row('李四', dup),
      row('王五', `${dup.slice(0, 17)}${dup[17] === '1' ? '2' : '1'}`),
      row('赵六', randomIdNumber(), { days: '6' }),
      row('', randomIdNumber(), { employer: '', phone: '123', result: '良好' }),
    ].join('\n');
    const res = await put(u.c, draft.id, text);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('TRAINEES_INVALID');
    expect(body.message).toContain('4行错误');
    expect(body.lines).toEqual([
      { line: 3, name: '李四', reason: '身份证号码与第2行重复' },
      { line: 4, name: '王五', reason: '身份证号码校验位错误，请核对后重新输入' },
      { line: 5, name: '赵六', reason: '出勤天数不能超过开班天数5天' },
      { line: 6, name: '', reason: '请填写姓名；请填写工作单位；手机号码格式不正确；研修成果应填写合格或不合格' },
    ]);
    const list = (await u.c.get(`/api/applications/${draft.id}/trainees`)).json();
    expect(list).toMatchObject({ total: 0, summary: { total: 0, passed: 0 }, classDays: 5 });

    // 下载错误文件: the same text gives the bad lines with 错误原因, as they were sent.
    const errors = await u.c.request('POST', `/api/applications/${draft.id}/trainees/errors`, { text });
    expect(errors.statusCode).toBe(200);
    expect(errors.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(errors.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    expect(ws.getRow(2).getCell(9).value).toBe('错误原因');
    expect(ws.getRow(3).values).toEqual([
      undefined,
      3,
      '李四',
      dup,
      '重庆大学',
      '高级工程师',
      '13800138000',
      '5',
      '合格',
      '身份证号码与第2行重复',
    ]);
    expect(ws.getRow(6).getCell(9).value).toBe(
      '请填写姓名；请填写工作单位；手机号码格式不正确；研修成果应填写合格或不合格',
    );

    const empty = await put(u.c, draft.id, '\n\n');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().fields.text).toBe('请粘贴学员名单');
  });

  it('the error file keeps pasted text that looks like a formula as text', async () => {
    const id = randomIdNumber();
    const text = row('@SUM(A1)', id, { employer: '=HYPERLINK("http://x","y")', title: '-1+1', result: '+良好' });
    const errors = await u.c.request('POST', `/api/applications/${draft.id}/trainees/errors`, { text });
    expect(errors.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(errors.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    expect((ws.getRow(3).values as unknown[]).slice(1, 9)).toEqual([
      1,
      "'@SUM(A1)",
      id,
      '\'=HYPERLINK("http://x","y")',
      "'-1+1",
      '13800138000',
      '5',
      "'+良好",
    ]);
    expect(hasFormula(errors.rawPayload)).toBe(false);
  });

  it('pasted lines are saved whole, listed masked and searchable, and the totals reach the application', async () => {
    const people = Array.from({ length: 25 }, (_, i) => ({
      name: `学员${String.fromCharCode(0x4e00 + i)}`,
      id: randomIdNumber(),
    }));
    const text = people
      .map((p, i) => `${i + 1}\t${row(p.name, p.id, { result: i % 5 === 4 ? '不合格' : '合格' })}`)
      .join('\r\n');
    const res = await put(u.c, draft.id, text);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ total: 25, passed: 20 });

    const page = (await u.c.get(`/api/applications/${draft.id}/trainees?page=2&pageSize=10`)).json();
    expect(page).toMatchObject({ total: 25, page: 2, pageSize: 10, summary: { total: 25, passed: 20 } });
    expect(page.items).toHaveLength(10);
    const first = page.items[0];
    expect(first).toMatchObject({ line: 11, name: people[10]?.name, employer: '重庆大学', attendanceDays: 5 });
    expect(first.idNumberMasked).toMatch(/^\d\*{16}[\dX]$/);
    expect(first.phoneMasked).toBe('138****8000');
    expect(JSON.stringify(page)).not.toContain(people[10]?.id);
    const found = (
      await u.c.get(`/api/applications/${draft.id}/trainees?keyword=${encodeURIComponent(people[3]?.name ?? '')}`)
    ).json();
    expect(found.items.map((t: { name: string }) => t.name)).toEqual([people[3]?.name]);

    const detail = (await u.c.get(`/api/applications/${draft.id}`)).json();
    expect(detail.data.trainees.list).toEqual({ total: 25, passed: 20 });

    // A second paste replaces the list.
    const again = await put(u.c, draft.id, row('独一', randomIdNumber()));
    expect(again.json()).toEqual({ total: 1, passed: 1 });
    expect((await u.c.get(`/api/applications/${draft.id}/trainees`)).json().total).toBe(1);

    const cleared = await u.c.del(`/api/applications/${draft.id}/trainees`);
    expect(cleared.statusCode).toBe(200);
    expect((await u.c.get(`/api/applications/${draft.id}/trainees`)).json().total).toBe(0);
    expect((await u.c.get(`/api/applications/${draft.id}`)).json().data.trainees?.list ?? null).toBeNull();
  });

  it('the template downloads, and a filled-in template uploads', async () => {
    const tpl = await u.c.get(`/api/applications/${draft.id}/trainees/template`);
    expect(tpl.statusCode).toBe(200);
    expect(tpl.headers['content-disposition']).toContain(encodeURIComponent('学员名单模板.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    expect(ws.getRow(2).values).toEqual([
      undefined,
      '序号',
      '姓名',
      '身份证号码',
      '工作单位',
      '职称/职务',
      '手机号码',
      '出勤天数',
      '研修成果',
    ]);
    // Filled in the template itself: the numbered empty rows and the notes are not lines.
    ws.getRow(3).getCell(2).value = '张三';
    ws.getRow(3).getCell(3).value = randomIdNumber();
    ws.getRow(3).getCell(4).value = '重庆大学';
    ws.getRow(3).getCell(7).value = 4;
    ws.getRow(3).getCell(8).value = '合格';
    ws.getRow(4).getCell(2).value = '李四';
    ws.getRow(4).getCell(3).value = randomIdNumber();
    ws.getRow(4).getCell(4).value = { richText: [{ text: '重庆' }, { text: '邮电大学' }] };
    ws.getRow(4).getCell(7).value = 5;
    ws.getRow(4).getCell(8).value = '不合格';
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await upload(u.c, draft.id, filled);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ total: 2, passed: 1 });
    const list = (await u.c.get(`/api/applications/${draft.id}/trainees`)).json();
    expect(list.items.map((t: { line: number; employer: string }) => [t.line, t.employer])).toEqual([
      [3, '重庆大学'],
      [4, '重庆邮电大学'],
    ]);

    // A bad line in a file: named by its Excel row, and the error file comes from the upload too.
    const bad = await xlsxOf([['王五', '500103199001011234', '重庆大学', '', '', '3', '合格']]);
    const refused = await upload(u.c, draft.id, bad);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().lines).toEqual([{ line: 3, name: '王五', reason: expect.stringContaining('身份证号码') }]);
    const errorFile = await upload(u.c, draft.id, bad, 'POST', '/errors');
    expect(errorFile.statusCode).toBe(200);
    expect((await u.c.get(`/api/applications/${draft.id}/trainees`)).json().total).toBe(2);

    const notXlsx = await u.c.request(
      'PUT',
      `/api/applications/${draft.id}/trainees`,
      undefined,
      multipartFile({}, { data: PDF, filename: '名单.xlsx', type: XLSX_TYPE }),
    );
    expect(notXlsx.statusCode).toBe(400);
    expect(notXlsx.json().fields.file).toBe('请上传Excel文件（.xlsx，按文件内容识别）');
    const noHeader = await upload(u.c, draft.id, await xlsxOf([['张三']], ['名字', '号码']));
    expect(noHeader.statusCode).toBe(400);
    expect(noHeader.json().fields.file).toContain('未找到“姓名”“身份证号码”表头');
  });

  it('refuses hostile files quickly with a Chinese message: too many rows, a zip bomb, a huge cell', async () => {
    const many = await xlsxOf(
      Array.from({ length: 2101 }, (_, i) => [`学员${i}`, randomIdNumber(), '重庆大学', '', '', '3', '合格']),
    );
    let t = performance.now();
    const tooMany = await upload(u.c, draft.id, many);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json()).toMatchObject({
      code: 'TRAINEES_TOO_MANY',
      message: '学员名单最多2000人，请核对后重新提交',
    });
    expect(performance.now() - t).toBeLessThan(3000);

    // A zip bomb: ~80 MB of text that deflates to ~80 KB, refused once 16 MB are inflated.
    const bomb = xlsxOfSheet(
      Buffer.from(`<worksheet><sheetData/><extLst><ext>${'A'.repeat(80 * 1024 * 1024)}</ext></extLst></worksheet>`),
    );
    expect(bomb.length).toBeLessThan(1024 * 1024);
    t = performance.now();
    const refused = await upload(u.c, draft.id, bomb);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'TRAINEES_FILE_INVALID',
      fields: { file: '文件解压后超过16M，请使用学员名单模板，只保留名单' },
    });
    expect(performance.now() - t).toBeLessThan(3000);

    // A million empty styled cells (no value: no row or column limit applies) cost as much to scan: counted too.
    const empties = xlsxOfSheet(
      Buffer.from(`<worksheet><sheetData><row r="1">${'<c s="1"/>'.repeat(1_000_000)}</row></sheetData></worksheet>`),
    );
    t = performance.now();
    const cells = await upload(u.c, draft.id, empties);
    expect(cells.json().fields.file).toBe(
      '表格中的单元格过多（第1行），含空行和空单元格最多626,510个，请删除多余的行，或使用学员名单模板',
    );
    expect(performance.now() - t).toBeLessThan(3000);

    const wide = xlsxOfSheet(
      Buffer.from(
        '<worksheet><sheetData><row r="1"><c r="AZ1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>',
      ),
    );
    expect((await upload(u.c, draft.id, wide)).json().fields.file).toBe(
      '表格的列数超出学员名单模板（第1行），最多30列，请使用学员名单模板',
    );
    const hugeCell = xlsxOfSheet(
      Buffer.from(
        `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>${'长'.repeat(200_000)}</t></is></c></row></sheetData></worksheet>`,
      ),
    );
    expect((await upload(u.c, draft.id, hugeCell)).json().fields.file).toBe(
      '单元格内容过长（第1行），每个单元格最多500个字',
    );
    const big = await upload(u.c, draft.id, Buffer.concat([many, Buffer.alloc(5 * 1024 * 1024)]));
    expect(big.statusCode).toBe(413);
    // Nothing of it was written.
    expect((await u.c.get(`/api/applications/${draft.id}/trainees`)).json().total).toBe(2);
  });
});

describe('结业 approval: certificates, 学时, the PDF and 证书查验', () => {
  it('issues a numbered certificate and a 专业科目 entry to each 合格 participant, once', async () => {
    const u = await unitAdmin(env);
    const draft = await completionDraft(u);
    await fillCompletion(u.c, draft.id, draft.projectName);

    // zhangsan registers before; the other 合格 participant has no account yet.
    const zhang = buildPerson();
    const learner = await signedIn(zhang);
    const later = buildPerson();
    const failed = randomIdNumber();
    const text = [
      row(zhang.realName, zhang.idNumber),
      row(later.realName, later.idNumber, { days: '4' }),
      row('钱七', failed, { result: '不合格' }),
    ].join('\n');
    expect((await put(u.c, draft.id, text)).statusCode).toBe(200);
    const sub = await u.c.post(`/api/applications/${draft.id}/submit`);
    expect(sub.statusCode, sub.body).toBe(200);
    // Submitted: the list can no longer change.
    const locked = await put(u.c, draft.id, row('孙八', randomIdNumber()));
    expect(locked.statusCode).toBe(409);
    expect(locked.json().code).toBe('APPLICATION_STATE');
    expect(locked.json().message).toContain('不能修改学员名单');

    const ok = await draft.city.post(`/api/application-reviews/${draft.id}/approve`, { opinion: '同意结业' });
    expect(ok.statusCode, ok.body).toBe(200);

    const mine = (await learner.get('/api/my/seminar-certificates')).json();
    expect(mine.items).toHaveLength(1);
    const cert = mine.items[0];
    expect(cert).toMatchObject({
      holderName: zhang.realName,
      projectName: draft.projectName,
      hostUnit: '重庆市继续教育培训中心',
      heldFrom: '2026-05-11',
      heldTo: '2026-05-15',
      year: 2026,
      hours: 12,
      status: 'valid',
    });
    expect(cert.certNo).toMatch(/^GYB2026\d{6}$/);
    expect(cert.idNumberMasked).toBe(`${zhang.idNumber.slice(0, 3)}***********${zhang.idNumber.slice(-4)}`);

    const credits = (await learner.get('/api/my/credits')).json();
    expect(credits.items).toEqual([
      expect.objectContaining({
        year: 2026,
        category: 'professional',
        categoryLabel: '专业科目',
        form: '高级研修',
        title: draft.projectName,
        hours: 12,
      }),
    ]);
    expect(credits.years).toContainEqual({
      year: 2026,
      hours: 12,
      publicHours: 0,
      professionalHours: 12,
      met: false,
      pendingHours: 0,
    });

    // The participant without an account is kept by ID number: registering later finds the certificate.
    const laterClient = await signedIn(later);
    const theirs = (await laterClient.get('/api/my/seminar-certificates')).json().items;
    expect(theirs).toHaveLength(1);
    expect(Number(theirs[0].certNo.slice(-6))).toBe(Number(cert.certNo.slice(-6)) + 1);
    expect((await laterClient.get('/api/my/credits')).json().years).toContainEqual({
      year: 2026,
      hours: 12,
      publicHours: 0,
      professionalHours: 12,
      met: false,
      pendingHours: 0,
    });

    // The PDF: only its holder; rendered once, signed, with the number and the verification link.
    expect((await laterClient.get(`/api/my/seminar-certificates/${cert.id}/pdf`)).statusCode).toBe(404);
    expect((await new Client(env.publicApp).get(`/api/my/seminar-certificates/${cert.id}/pdf`)).statusCode).toBe(401);
    const pdf = await learner.get(`/api/my/seminar-certificates/${cert.id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text2 = await pdfText(pdf.rawPayload);
    expect(text2).toContain('结业证书');
    expect(text2).toContain(cert.certNo);
    expect(text2).toContain('12学时');
    expect(pdf.rawPayload.includes(Buffer.from('/ByteRange'))).toBe(true);
    const again = await learner.get(`/api/my/seminar-certificates/${cert.id}/pdf`);
    expect(Buffer.compare(again.rawPayload, pdf.rawPayload)).toBe(0);

    // 证书查验: the number verifies and says what it is.
    const verified = await new Client(env.publicApp).get(`/api/verify/certificates/${cert.certNo.toLowerCase()}`);
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({
      kind: 'seminar',
      kindLabel: '高研班结业证书',
      certNo: cert.certNo,
      planName: draft.projectName,
      orgName: '重庆市继续教育培训中心',
      hours: 12,
      status: 'valid',
      heldFrom: '2026-05-11',
    });
    expect(verified.json().holderNameMasked).not.toBe(zhang.realName);
    expect((await new Client(env.publicApp).get('/api/verify/certificates/GYB2026999999')).statusCode).toBe(404);
  });

  it('the approval effect is idempotent: run twice, one certificate and one entry each', async () => {
    const u = await unitAdmin(env);
    const draft = await completionDraft(u);
    const a = buildPerson();
    expect(
      (await put(u.c, draft.id, [row(a.realName, a.idNumber), row('钱七', randomIdNumber())].join('\n'))).statusCode,
    ).toBe(200);
    const ctx = env.ctx;
    const app = await ctx.applications.own(await unitFilerOf(u), draft.id);
    const { parent, project } = await ctx.applications.related(app);
    const run = () =>
      ctx.db.transaction((tx) =>
        ctx.seminars.issueOnCompletion({
          tx,
          app,
          parent,
          project,
          actor: {
            actorType: 'staff',
            actorId: crypto.randomUUID(),
            actorName: '测试',
            departmentName: '重庆市人力资源和社会保障局',
          },
          meta: { ip: '127.0.0.1', userAgent: 'vitest' },
          now: ctx.clock.now(),
        }),
      );
    await run();
    await run();
    const learner = await signedIn(a);
    expect((await learner.get('/api/my/seminar-certificates')).json().items).toHaveLength(1);
    expect((await learner.get('/api/my/credits')).json().years).toContainEqual({
      year: 2026,
      hours: 12,
      publicHours: 0,
      professionalHours: 12,
      met: false,
      pendingHours: 0,
    });
  });
});

async function unitFilerOf(u: Unit) {
  const { unitFiler } = await import('../../src/modules/applications/principals.js');
  const me = (await u.c.get('/api/me')).json();
  return unitFiler(env.ctx, me.id);
}
