import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLASS_PLAN, COMPLETION, idNumberCheckChar, maskIdNumber } from '@cpe/shared';
import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { accounts } from '../../src/db/schema/index.js';
import { cityReviewer, fillAll, openBatch, submitted, unitAdmin } from '../applications-factories.js';
import { login, multipartFile, randomPhone } from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { pdfText } from '../pdf-text.js';
import { LATER, learner, onSalePlan, staffWith } from '../purchase-factories.js';
import { completedEnrolment } from '../study-factories.js';
import { PDF, png } from '../units-factories.js';

/**
 * Every place that identifies a person by a number typed, pasted or uploaded without its type takes every 证件类型
 * recognisable by its shape — 身份证, 港澳居民居住证, 台湾居民居住证, 外国人永久居留身份证 (2023 18-digit and the
 * older 15-character one) — checks it by that type's rules and looks the person up by type and number: the
 * 学员注册名单 creates their accounts, they sign in with the number, 团体购买 and 结业 学员名单 find them, 学员管理
 * and 订单管理 search them, their certificates name the document they hold.
 */

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
  await openBatch(env);
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const withCheck = (first17: string) => first17 + idNumberCheckChar(first17);
const wrongCheck = (id: string) => `${id.slice(0, 17)}${idNumberCheckChar(id.slice(0, 17)) === '1' ? '2' : '1'}`;
const seq = () => String(crypto.randomInt(0, 1000)).padStart(3, '0');
/** A valid number of each type, with a random sequence (the sex follows its parity). */
const hk = withCheck(`810000${'19900101'}${seq()}`);
const tw = withCheck(`830000${'19850312'}${seq()}`);
/** 2023 永居证: 9, 上海 (31), 美国 (840), birth date, sequence, check character. */
const pr = withCheck(`931840${'19800101'}${seq()}`);
/** Older 永居证: nationality letters and 12 digits, no check character, no sex. */
const prOld = `CAN${String(crypto.randomInt(0, 1e12)).padStart(12, '0')}`;
const sexOf = (id: string) => (Number(id[16]) % 2 === 1 ? '男' : '女');
const initial = (id: string) => `edu@${id.slice(-6)}`;

interface Line {
  name: string;
  idNumber: string;
  phone: string;
  sex: string;
}
const line = (name: string, idNumber: string, sex = sexOf(idNumber)): Line => ({
  name,
  idNumber,
  phone: randomPhone(),
  sex,
});

async function rosterFile(c: Client, lines: Line[]): Promise<Buffer> {
  const res = await c.get('/api/rosters/template.xlsx');
  expect(res.statusCode).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0] as ExcelJS.Worksheet;
  ws.getCell('B3').value = '渝中区';
  ws.getCell('B4').value = '重庆市渝中区证件测试单位';
  lines.forEach((l, i) => {
    const row = ws.getRow(6 + i);
    row.getCell(2).value = l.name;
    row.getCell(3).value = l.idNumber;
    row.getCell(4).value = l.phone;
    row.getCell(5).value = l.sex;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const accountOf = async (idType: string, idNumber: string) =>
  (
    await env.ctx.db
      .select()
      .from(accounts)
      .where(and(eq(accounts.idType, idType), eq(accounts.idNumberHash, env.ctx.pii.lookupHash(idNumber))))
  )[0];

/**
 * Signs in with the number as login identifier and the initial password, replaces the password as the person must
 * first, and signs in again with the new one (changing it ends the session).
 */
async function signInByNumber(idNumber: string): Promise<Client> {
  const first = new Client(env.publicApp);
  const res = await login(first, idNumber, initial(idNumber));
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().mustChangePassword).toBe(true);
  const changed = await first.post('/api/me/password', {
    oldPassword: initial(idNumber),
    password: 'NewPass#2026',
    confirmPassword: 'NewPass#2026',
  });
  expect(changed.statusCode, changed.body).toBe(200);
  const c = new Client(env.publicApp);
  const again = await login(c, idNumber, 'NewPass#2026');
  expect(again.statusCode, again.body).toBe(200);
  expect(again.json().mustChangePassword).toBe(false);
  return c;
}

const people = {
  hk: line('陈港生', hk),
  tw: line('林台妹', tw),
  pr: line('JOHN SMITH', pr),
  prOld: line('ANNE MARIE', prOld, '女'),
};
const clients: Partial<Record<keyof typeof people, Client>> = {};

describe('学员注册名单 with 居住证 and 永居证 numbers', () => {
  it('checks each number by its own rules, creates the accounts with their 证件类型, masks them by their rule', async () => {
    const admin = (await unitAdmin(env)).c;
    const badHk = wrongCheck(withCheck(`810000${'19920202'}${seq()}`));
    const hkWrongSex = withCheck(`820000${'19930303'}${seq()}`);
    const lines = [
      people.hk,
      people.tw,
      people.pr,
      people.prOld,
      line('错港生', badHk, '男'),
      line('澳门生', hkWrongSex, sexOf(hkWrongSex) === '男' ? '女' : '男'),
      line('外国人', 'XYZ123456789012', '男'),
    ];
    const m = multipartFile({}, { data: await rosterFile(admin, lines), filename: '学员注册名单.xlsx', type: XLSX });
    const up = await admin.request('POST', '/api/rosters', undefined, { payload: m.payload, headers: m.headers });
    expect(up.statusCode, up.body).toBe(200);
    const body = up.json();
    expect(body).toMatchObject({ total: 7, valid: 4, invalid: 3 });
    const rows = body.rows as Array<{ status: string; reason: string | null; idNumberMasked: string }>;
    expect(rows.slice(0, 4).map((r) => r.status)).toEqual(['valid', 'valid', 'valid', 'valid']);
    expect(rows[4]).toMatchObject({ status: 'invalid', reason: '港澳居民居住证号码校验位错误，请核对后重新输入' });
    expect(rows[5]).toMatchObject({ status: 'invalid', reason: '性别与港澳居民居住证号码不一致' });
    expect(rows[6]).toMatchObject({ status: 'invalid', reason: '外国人永久居留身份证号码中的国籍代码无效' });
    // Masked by each type's rule: a 居住证 keeps 81/83, an old 永居证 its nationality letters.
    expect(rows.slice(0, 4).map((r) => r.idNumberMasked)).toEqual([
      `81${'*'.repeat(15)}${hk[17]}`,
      `83${'*'.repeat(15)}${tw[17]}`,
      `9${'*'.repeat(16)}${pr[17]}`,
      `CAN${'*'.repeat(11)}${prOld[14]}`,
    ]);

    const started = await admin.post(`/api/rosters/${body.id}/import`);
    expect(started.statusCode, started.body).toBe(200);
    for (let i = 0; i < 10 && (await admin.get(`/api/rosters/${body.id}`)).json().status !== 'done'; i++)
      await env.ctx.jobs.runDue();
    const done = (await admin.get(`/api/rosters/${body.id}`)).json();
    expect(done).toMatchObject({ status: 'done', createdCount: 4, existingCount: 0 });
    // The username is the number: shown masked like it.
    expect(done.rows.slice(0, 4).map((r: { username: string }) => r.username)).toEqual(
      [hk, tw, pr, prOld].map(maskIdNumber),
    );

    for (const [idType, l] of [
      ['hkMacaoResidence', people.hk],
      ['taiwanResidence', people.tw],
      ['foreignPermanent', people.pr],
      ['foreignPermanent', people.prOld],
    ] as const) {
      const a = await accountOf(idType, l.idNumber);
      expect(a, `${idType} ${l.idNumber}`).toMatchObject({
        idType,
        username: l.idNumber,
        realName: l.name,
        realNameSource: 'roster',
        mustChangePassword: true,
      });
      expect(env.ctx.pii.decrypt(a?.idNumberEnc as string)).toBe(l.idNumber);
    }
    expect(await accountOf('idCard', hk)).toBeUndefined();

    // Uploaded again: each of them is found as 已注册, whatever the type.
    const m2 = multipartFile({}, { data: await rosterFile(admin, lines.slice(0, 4)), filename: 'a.xlsx', type: XLSX });
    const again = await admin.request('POST', '/api/rosters', undefined, { payload: m2.payload, headers: m2.headers });
    expect(again.json()).toMatchObject({ total: 4, existingCount: 4, invalid: 0 });
  });

  it('each of them signs in with the number as login identifier (the old 永居证 as its username)', async () => {
    for (const key of ['hk', 'tw', 'pr', 'prOld'] as const) clients[key] = await signInByNumber(people[key].idNumber);
    const me = (await (clients.hk as Client).get('/api/me')).json();
    expect(me).toMatchObject({ realName: people.hk.name, idType: 'hkMacaoResidence', mustChangePassword: false });
    // Typed in lower case, the old card still signs in (the username is case-insensitive).
    const lower = await login(new Client(env.publicApp), prOld.toLowerCase(), 'NewPass#2026');
    expect(lower.statusCode, lower.body).toBe(200);
  });
});

describe('团体购买, 学员管理 and 订单管理 find them by the number', () => {
  let plan: Awaited<ReturnType<typeof onSalePlan>>;
  let op: Client;
  beforeAll(async () => {
    plan = await onSalePlan(env);
    op = await staffWith(env, ['training-operator']);
  });

  it('a 团体购买 check of their numbers finds them; an unregistered 居住证 is named as such', async () => {
    const designee = await learner(env);
    const unregistered = withCheck(`820000${'19950505'}${seq()}`);
    const lines = [hk, ` ${tw} `, pr, prOld.toLowerCase(), unregistered, wrongCheck(pr), pr];
    const check = await designee.c.post('/api/group-checks', { planId: plan.id, idNumbers: lines.join('\n') });
    expect(check.statusCode, check.body).toBe(200);
    expect(check.json()).toMatchObject({ valid: 4, invalid: 3, amountFen: 4 * plan.priceFen });
    expect(check.json().errors.map((e: { line: number; reason: string }) => [e.line, e.reason])).toEqual([
      [5, '该港澳居民居住证号码未注册平台账号'],
      [6, '外国人永久居留身份证号码校验位错误，请核对后重新输入'],
      [7, '与第3行重复'],
    ]);
    const order = await designee.c.post('/api/group-orders', { checkId: check.json().checkId, invoice: LATER });
    expect(order.statusCode, order.body).toBe(200);
    expect(order.json()).toMatchObject({ kind: 'group', quantity: 4 });
  });

  it('学员管理 finds each by the whole number (any case) and shows it masked with its type', async () => {
    for (const [q, idType, id] of [
      [hk, 'hkMacaoResidence', hk],
      [tw, 'taiwanResidence', tw],
      [pr, 'foreignPermanent', pr],
      [prOld.toLowerCase(), 'foreignPermanent', prOld],
    ] as const) {
      const res = await op.get(`/api/admin/learners?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().total, q).toBe(1);
      expect(res.json().items[0]).toMatchObject({ idType, idNumberMasked: maskIdNumber(id) });
    }
  });

  it('订单管理 finds the orders of a buyer by a 居住证 number', async () => {
    const own = await (clients.tw as Client).post('/api/orders', {
      planId: (await onSalePlan(env)).id,
      invoice: LATER,
    });
    expect(own.statusCode, own.body).toBe(200);
    const found = (await op.get(`/api/admin/orders?buyer=${tw}`)).json();
    expect(found.items.map((o: { id: string }) => o.id)).toEqual([own.json().id]);
    expect(found.items[0].buyerIdMasked).toBe(maskIdNumber(tw));
  });
});

describe('结业 学员名单 and certificates', () => {
  /** An approved 高级研修项目 → an approved 开班方案 (5 days, 12 学时) → a 结业上报 ready but for its 学员名单. */
  async function completion() {
    const u = await unitAdmin(env);
    const city = await cityReviewer(env);
    const approve = async (id: string) => {
      const res = await city.post(`/api/application-reviews/${id}/approve`, { opinion: '同意' });
      expect(res.statusCode, res.body).toBe(200);
    };
    const attach = async (appId: string, data: Buffer, filename: string, type: string) => {
      const m = multipartFile({}, { data, filename, type });
      const res = await u.c.request('POST', `/api/applications/${appId}/attachments`, undefined, m);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const seminar = await submitted(u.c);
    await approve(seminar.id);
    const projectName = (await u.c.get(`/api/applications/${seminar.id}`)).json().data.basic.projectName as string;
    const plan = (await u.c.post('/api/applications', { type: CLASS_PLAN.key, parentId: seminar.id })).json();
    await fillAll(u.c, plan.id, {
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
        schedule: ['上午', '下午'].map((half) => ({
          date: '2026-05-11',
          half,
          topic: '人工智能前沿',
          lecturer: '李明',
          lecturerTitle: '教授',
          lecturerUnit: '重庆大学',
        })),
      },
      notice: { files: [await attach(plan.id, PDF, '开班通知.pdf', 'application/pdf')] },
    });
    expect((await u.c.post(`/api/applications/${plan.id}/submit`)).statusCode).toBe(200);
    await approve(plan.id);
    const draft = (await u.c.post('/api/applications', { type: COMPLETION.key, parentId: plan.id })).json();
    const image = await png();
    const photo = async (name: string) => [await attach(draft.id, image, `${name}.png`, 'image/png')];
    await fillAll(u.c, draft.id, {
      report: {
        projectName,
        summary: '本期高级研修班按方案完成全部研修内容，学员出勤良好，研修成果显著，达到预期目标。',
        files: [await attach(draft.id, PDF, '总结报告.pdf', 'application/pdf')],
      },
      budget: { items: [{ item: '专家授课费', amountFen: 3_000_000, note: '' }], subsidyUsedFen: 2_000_000 },
      photos: {
        opening: await photo('开班'),
        lecture: await photo('授课'),
        visit: await photo('考察'),
        exchange: await photo('交流'),
      },
      evaluation: { files: [await attach(draft.id, PDF, '质量评估表.pdf', 'application/pdf')] },
    });
    return { u, city, id: draft.id as string };
  }

  const row = (name: string, id: string) => [name, id, '香港大学', '教授', '', '5', '合格'].join('\t');

  it('a 学员名单 with a 居住证 is accepted; 结业 gives its holder the certificate, naming the 居住证', async () => {
    const c = await completion();
    const bad = await c.u.c.request('PUT', `/api/applications/${c.id}/trainees`, {
      text: [row(people.hk.name, hk), row('错号码', wrongCheck(tw)), row('重复', hk.toLowerCase())].join('\n'),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().lines).toEqual([
      { line: 2, name: '错号码', reason: '台湾居民居住证号码校验位错误，请核对后重新输入' },
      { line: 3, name: '重复', reason: '港澳居民居住证号码与第1行重复' },
    ]);
    const newcomer = withCheck(`830000${'19881212'}${seq()}`);
    const saved = await c.u.c.request('PUT', `/api/applications/${c.id}/trainees`, {
      text: [
        '姓名\t证件号码\t工作单位\t职称/职务\t手机号码\t出勤天数\t研修成果',
        row(people.hk.name, hk),
        row('林新来', newcomer),
        row(people.prOld.name, prOld.toLowerCase()),
      ].join('\n'),
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({ total: 3, passed: 3 });
    const list = (await c.u.c.get(`/api/applications/${c.id}/trainees`)).json();
    expect(list.items.map((t: { idNumberMasked: string }) => t.idNumberMasked)).toEqual(
      [hk, newcomer, prOld].map(maskIdNumber),
    );

    expect((await c.u.c.post(`/api/applications/${c.id}/submit`)).statusCode).toBe(200);
    const ok = await c.city.post(`/api/application-reviews/${c.id}/approve`, { opinion: '同意结业' });
    expect(ok.statusCode, ok.body).toBe(200);

    // Kept by the number's hash as the account keys it: the 居住证 holder's certificate and 学时 are theirs.
    const holder = clients.hk as Client;
    const mine = (await holder.get('/api/my/seminar-certificates')).json().items;
    expect(mine).toHaveLength(1);
    expect(mine[0].idNumberMasked).toBe(`${hk.slice(0, 3)}***********${hk.slice(-4)}`);
    expect((await holder.get('/api/my/credits')).json().years).toContainEqual({
      year: 2026,
      hours: 8,
      publicHours: 0,
      professionalHours: 8,
      met: false,
      pendingHours: 0,
    });
    expect((await (clients.prOld as Client).get('/api/my/seminar-certificates')).json().items).toHaveLength(1);
    const pdf = await holder.get(`/api/my/seminar-certificates/${mine[0].id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    const text = (await pdfText(pdf.rawPayload)).replace(/\s+/g, '');
    expect(text).toContain(`${people.hk.name}（港澳居民居住证号码：${hk.slice(0, 3)}***********${hk.slice(-4)}）`);
    expect(text).not.toContain(hk);
  });

  it('the 合格证书 of a 台湾居民居住证 holder names the document it prints', async () => {
    const account = await accountOf('taiwanResidence', tw);
    const plan = await onSalePlan(env);
    await completedEnrolment(env, account?.id as string, plan.id);
    await env.ctx.jobs.runDue();
    const holder = clients.tw as Client;
    const cert = (await holder.get('/api/certificates')).json().items[0];
    expect(cert.idNumberMasked).toBe(`${tw.slice(0, 3)}***********${tw.slice(-4)}`);
    const district = (await env.ctx.org.reviewers()).find((n) => n.kind === 'district');
    const org = await holder.post(`/api/certificates/${cert.id}/organisation`, {
      kind: 'district',
      orgNodeId: district?.id,
    });
    expect(org.statusCode, org.body).toBe(200);
    const pdf = await holder.get(`/api/certificates/${cert.id}/pdf`);
    expect(pdf.statusCode, pdf.body).toBe(200);
    const text = (await pdfText(pdf.rawPayload)).replace(/\s+/g, '');
    expect(text).toContain(`${people.tw.name}（台湾居民居住证号码：${cert.idNumberMasked}）`);
  });
});

/**
 * The class of bug: a module that looks people up by a number, or creates them, with the 身份证 hard-coded. Every .ts
 * file of the server (seed and tests aside) is parsed: no `'idCard'` literal (a query's type, an insert's, a cast),
 * and no use of the 身份证-only validators — a number goes through `untypedIdDocument`/`validateIdDocument` and is
 * looked up by the type it has. The one literal allowed everywhere is the documented fallback of a number typed
 * without its type, `inferIdType(…) ?? 'idCard'`.
 */
describe('no module is tied to the 身份证', () => {
  const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
  const FORBIDDEN_NAMES = new Set(['validateIdNumber', 'ID_NUMBER_MESSAGES', 'idNumberSex']);
  /** file (relative to apps/server/src) → why its `'idCard'` literals are right. */
  const ALLOWED: Record<string, string> = {
    'db/schema/identity.ts':
      'the id_type column default of the migration that added the column (existing rows were 身份证); every insert states its type',
  };

  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return e.name === 'migrations' ? [] : files(full);
      return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && e.name !== 'seed.ts' ? [full] : [];
    });

  const isInferFallback = (node: ts.Node) => {
    const p = node.parent;
    return (
      ts.isBinaryExpression(p) &&
      p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken &&
      p.right === node &&
      ts.isCallExpression(p.left) &&
      p.left.expression.getText() === 'inferIdType'
    );
  };

  it('finds no hard-coded 身份证 type and no 身份证-only validator in apps/server/src', () => {
    const found: string[] = [];
    const all = files(SRC);
    expect(all.length).toBeGreaterThan(100);
    for (const file of all) {
      const rel = path.relative(SRC, file).split(path.sep).join('/');
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node) => {
        const where = () => `${rel}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text === 'idCard') {
          if (!ALLOWED[rel] && !isInferFallback(node)) found.push(`${where()} 'idCard': ${node.parent.getText()}`);
        }
        if (ts.isIdentifier(node) && FORBIDDEN_NAMES.has(node.text)) found.push(`${where()} ${node.text}`);
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(found).toEqual([]);
  });

  it('would catch the mistakes it is meant for', () => {
    const scan = (code: string) => {
      const source = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
      const hits: string[] = [];
      const visit = (node: ts.Node) => {
        if (ts.isStringLiteral(node) && node.text === 'idCard' && !isInferFallback(node))
          hits.push(node.parent.getText());
        if (ts.isIdentifier(node) && FORBIDDEN_NAMES.has(node.text)) hits.push(node.text);
        ts.forEachChild(node, visit);
      };
      visit(source);
      return hits;
    };
    expect(scan("where(and(eq(accounts.idType, 'idCard'), eq(accounts.idNumberHash, h)))")).toHaveLength(1);
    expect(scan("insert(accounts).values({ idType: 'idCard', username })")).toHaveLength(1);
    expect(scan("import { validateIdNumber, ID_NUMBER_MESSAGES } from '@cpe/shared';")).toHaveLength(2);
    expect(scan("repo.accountByIdDocument(db, inferIdType(n) ?? 'idCard', hash)")).toEqual([]);
    for (const reason of Object.values(ALLOWED)) expect(reason.length).toBeGreaterThan(20);
  });
});
