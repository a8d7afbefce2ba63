import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { accounts, auditLogs, certificates, enrollments, units } from '../../src/db/schema/index.js';
import { CERTIFICATE_ISSUE_JOB } from '../../src/modules/certificates/certificates.service.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { pdfsig, verifyPdfSignature } from '../pdf-signature.js';
import { pdfText } from '../pdf-text.js';
import { learner, onSalePlan, staffWith } from '../purchase-factories.js';
import { completedEnrolment } from '../study-factories.js';

let env: TestEnv;
let plan: Awaited<ReturnType<typeof onSalePlan>>;

beforeAll(async () => {
  env = await createTestEnv();
  plan = await onSalePlan(env);
});

async function accountIdOf(username: string): Promise<string> {
  const [a] = await env.ctx.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.username, username));
  return a?.id as string;
}

const completed = (accountId: string, planId = plan.id) => completedEnrolment(env, accountId, planId);

async function aUnit(name: string) {
  const id = crypto.randomUUID();
  const reviewer = (await env.ctx.org.reviewers()).find((n) => n.kind === 'district');
  await env.ctx.db.insert(units).values({
    id,
    category: 'unit',
    name,
    uscc: `91500103${crypto.randomBytes(5).toString('hex').toUpperCase()}`,
    regArea: '500103',
    insuredArea: '500103',
    locatedArea: '500103',
    address: '重庆市渝中区示例路1号',
    unitType: '企业',
    isGrassroots: false,
    reviewerNodeId: reviewer?.id as string,
    licenceFileId: crypto.randomUUID(),
    authorizationFileId: crypto.randomUUID(),
    approvedAt: env.clock.now(),
  });
  return id;
}

describe('合格证书', () => {
  let me: Awaited<ReturnType<typeof learner>>;
  let accountId: string;
  let enrollmentId: string;
  let certId: string;
  let certNo: string;
  let pdf: Buffer;
  let otherCertId: string;

  it('the certificate.issue job issues one certificate even when it runs twice', async () => {
    me = await learner(env);
    accountId = await accountIdOf(me.p.username);
    enrollmentId = await completed(accountId);
    await env.ctx.jobs.enqueue(env.ctx.db, CERTIFICATE_ISSUE_JOB, { enrollmentId });
    await env.ctx.jobs.runDue();
    await env.ctx.jobs.runDue();
    const rows = await env.ctx.db.select().from(certificates).where(eq(certificates.enrollmentId, enrollmentId));
    expect(rows).toHaveLength(1);
    const res = await me.c.get('/api/certificates');
    expect(res.statusCode, res.body).toBe(200);
    const [c] = res.json().items;
    expect(c).toMatchObject({
      planName: plan.name,
      year: plan.year,
      hours: 30,
      holderName: me.p.realName,
      status: 'valid',
      needsProfile: true,
      missing: ['organisation'],
      orgName: null,
    });
    expect(c.certNo).toMatch(new RegExp(`^GX${plan.year}\\d{8}$`));
    expect(c.idNumberMasked).toBe(`${me.p.idNumber.slice(0, 3)}***********${me.p.idNumber.slice(-4)}`);
    certId = c.id;
    certNo = c.certNo;
    const [audit] = await env.ctx.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.action, 'certificate.issue'), eq(auditLogs.targetId, certId)));
    expect(audit?.actorType).toBe('system');
  });

  it('parallel issuance gives every enrolment one certificate with its own number', async () => {
    const plans = await Promise.all(Array.from({ length: 8 }, () => onSalePlan(env)));
    const ids = await Promise.all(plans.map((p) => completed(accountId, p.id)));
    const issued = await Promise.all([...ids, ...ids].map((id) => env.ctx.certificates.issue(id)));
    const byEnrollment = new Map(issued.map((c) => [c?.enrollmentId, c?.certNo]));
    expect(byEnrollment.size).toBe(8);
    const numbers = new Set(issued.map((c) => c?.certNo));
    expect(numbers.size).toBe(8);
    const rows = await env.ctx.db.select().from(certificates).where(eq(certificates.accountId, accountId));
    expect(rows).toHaveLength(9);
    otherCertId = issued[0]?.id as string;
  });

  it('an enrolment that is not complete gets no certificate', async () => {
    const id = crypto.randomUUID();
    const p = await onSalePlan(env);
    await env.ctx.db.insert(enrollments).values({ id, accountId, planId: p.id, orderId: crypto.randomUUID() });
    expect(await env.ctx.certificates.issue(id)).toBeUndefined();
  });

  it('打印证书 is refused until 组织机构 is chosen, naming the missing field', async () => {
    const res = await me.c.get(`/api/certificates/${certId}/pdf`);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'CERT_PROFILE_INCOMPLETE', fields: { organisation: '请选择组织机构' } });
  });

  it('组织机构: bad input is 400 with the field, an unknown unit is refused, a found unit is taken', async () => {
    const bad = await me.c.post(`/api/certificates/${certId}/organisation`, { kind: 'unit', unitId: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toHaveProperty('unitId');
    const none = await me.c.post(`/api/certificates/${certId}/organisation`, { kind: 'other' });
    expect(none.statusCode).toBe(400);
    const unknown = await me.c.post(`/api/certificates/${certId}/organisation`, {
      kind: 'unit',
      unitId: crypto.randomUUID(),
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().fields.unitId).toContain('未找到该单位');
    const notDistrict = await me.c.post(`/api/certificates/${certId}/organisation`, {
      kind: 'district',
      orgNodeId: (await env.ctx.org.reviewers()).find((n) => n.kind !== 'district')?.id ?? crypto.randomUUID(),
    });
    expect(notDistrict.statusCode).toBe(400);

    const unitName = `重庆证书测试${crypto.randomBytes(2).toString('hex')}科技有限公司`;
    const unitId = await aUnit(unitName);
    const short = await me.c.get(`/api/certificates/units?q=${encodeURIComponent('重')}`);
    expect(short.statusCode).toBe(400);
    const found = await me.c.get(`/api/certificates/units?q=${encodeURIComponent('证书测试')}`);
    expect(found.json().items).toContainEqual({ id: unitId, name: unitName });
    const wildcard = await me.c.get(`/api/certificates/units?q=${encodeURIComponent('%%')}`);
    expect(wildcard.json().items).toEqual([]);

    const ok = await me.c.post(`/api/certificates/${certId}/organisation`, { kind: 'unit', unitId });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ orgName: unitName, orgKind: 'unit', needsProfile: false, missing: [] });
  });

  it('a district keeping the file may be chosen instead', async () => {
    const district = (await env.ctx.org.reviewers()).find((n) => n.kind === 'district');
    const res = await me.c.post(`/api/certificates/${otherCertId}/organisation`, {
      kind: 'district',
      orgNodeId: district?.id,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ orgName: district?.name, orgKind: 'district' });
  });

  it('the PDF carries name, masked ID, plan, 学时, number; it is signed once and served from storage after', async () => {
    const res = await me.c.get(`/api/certificates/${certId}/pdf?download=1`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename*=UTF-8''${encodeURIComponent(`合格证书-${certNo}.pdf`)}`,
    );
    pdf = res.rawPayload;
    const text = (await pdfText(pdf)).replace(/\s+/g, '');
    expect(text).toContain('合格证书');
    expect(text).toContain(me.p.realName);
    expect(text).toContain(`${me.p.idNumber.slice(0, 3)}***********${me.p.idNumber.slice(-4)}`);
    expect(text).not.toContain(me.p.idNumber);
    expect(text).toContain(plan.name);
    expect(text).toContain('完成30学时');
    expect(text).toContain(certNo);
    expect(text).toContain('证书专用章');
    const again = await me.c.get(`/api/certificates/${certId}/pdf`);
    expect(again.headers['content-disposition']).toMatch(/^inline;/);
    // Shown in a frame of the portal's own 打印证书 dialog: same-origin framing only, and only for the inline answer.
    expect(again.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(again.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'self'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(again.rawPayload.equals(pdf)).toBe(true);
    const changed = await me.c.post(`/api/certificates/${certId}/organisation`, {
      kind: 'unit',
      unitId: crypto.randomUUID(),
    });
    expect(changed.statusCode).toBe(409);
  });

  it('the signature verifies; one changed byte breaks it; appended bytes are not "total document signed"', () => {
    expect(verifyPdfSignature(pdf)).toMatchObject({
      valid: true,
      wholeDocument: true,
      subFilter: 'ETSI.CAdES.detached',
    });
    const tampered = Buffer.from(pdf);
    const at = pdf.indexOf('/Title');
    tampered[at + 10] = tampered[at + 10] === 0x41 ? 0x42 : 0x41;
    expect(verifyPdfSignature(tampered)).toMatchObject({ valid: false, problem: 'digest mismatch' });
    const appended = Buffer.concat([pdf, Buffer.from('\n%%EOF\n')]);
    expect(verifyPdfSignature(appended)).toMatchObject({ valid: true, wholeDocument: false });

    const poppler = pdfsig(pdf);
    // .ci/run installs poppler-utils: in CI the independent verifier must have run.
    if (poppler === null && process.env.CI === 'true') throw new Error('CI=true but pdfsig (poppler-utils) is missing');
    if (poppler !== null) {
      expect(poppler).toContain('Signature is Valid');
      expect(poppler).toContain('Total document signed');
      expect(pdfsig(tampered)).not.toContain('Signature is Valid');
      expect(pdfsig(appended)).not.toContain('Total document signed');
    }
  });

  it('证书查验 needs no login and shows the holder masked, never the ID number', async () => {
    const anon = new Client(env.publicApp);
    const res = await anon.get(`/api/verify/certificates/${certNo.toLowerCase()}`);
    expect(res.statusCode, res.body).toBe(200);
    const name = [...me.p.realName];
    expect(res.json()).toMatchObject({
      certNo,
      holderNameMasked: name.length === 2 ? `${name[0]}*` : `${name[0]}${'*'.repeat(name.length - 2)}${name.at(-1)}`,
      planName: plan.name,
      year: plan.year,
      hours: 30,
      status: 'valid',
      revokedAt: null,
    });
    expect(res.body).not.toContain(me.p.realName);
    expect(res.body).not.toContain(me.p.idNumber.slice(-4));
    const bad = await anon.get('/api/verify/certificates/GX12');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('证书编号');
    const unknown = await anon.get('/api/verify/certificates/GX202099999999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'CERT_NOT_FOUND', message: '未查询到该证书，请核对证书编号' });
  });

  it('another learner cannot see, choose for or print my certificate; no session is 401', async () => {
    const other = await learner(env);
    expect((await other.c.get(`/api/certificates/${certId}`)).statusCode).toBe(404);
    expect((await other.c.get(`/api/certificates/${certId}/pdf`)).statusCode).toBe(404);
    const district = (await env.ctx.org.reviewers()).find((n) => n.kind === 'district');
    expect(
      (await other.c.post(`/api/certificates/${certId}/organisation`, { kind: 'district', orgNodeId: district?.id }))
        .statusCode,
    ).toBe(404);
    expect((await other.c.get('/api/certificates')).json().items).toEqual([]);
    expect((await new Client(env.publicApp).get('/api/certificates')).statusCode).toBe(401);
    expect((await me.c.get('/api/certificates/not-a-uuid')).statusCode).toBe(400);
  });

  it('证书管理: learners and reviewers are refused; operators search and page', async () => {
    expect((await me.c.get('/api/admin/certificates')).statusCode).toBe(404);
    expect((await new Client(env.staffApp, 'cpe_staff_csrf').get('/api/admin/certificates')).statusCode).toBe(401);
    const reviewer = await staffWith(env, ['reviewer']);
    expect((await reviewer.get('/api/admin/certificates')).statusCode).toBe(403);
    expect((await reviewer.post(`/api/admin/certificates/${certId}/revoke`, { reason: '信息有误' })).statusCode).toBe(
      403,
    );
    const op = await staffWith(env, ['training-operator']);
    const byNo = await op.get(`/api/admin/certificates?certNo=${certNo}`);
    expect(byNo.statusCode, byNo.body).toBe(200);
    expect(byNo.json()).toMatchObject({ total: 1, items: [{ id: certId, pdfReady: true, status: 'valid' }] });
    const byName = await op.get(
      `/api/admin/certificates?name=${encodeURIComponent(me.p.realName)}&year=${plan.year}&pageSize=5&page=2`,
    );
    expect(byName.json()).toMatchObject({ total: 9, page: 2, pageSize: 5 });
    expect(byName.json().items).toHaveLength(4);
    expect((await op.get('/api/admin/certificates?year=abc')).statusCode).toBe(400);
  });

  it('撤销 needs a reason, is audited, shows 已撤销 on 证书查验 and stops printing', async () => {
    const op = await staffWith(env, ['training-operator']);
    const short = await op.post(`/api/admin/certificates/${certId}/revoke`, { reason: '错' });
    expect(short.statusCode).toBe(400);
    expect(short.json().fields.reason).toBe('撤销原因至少2个字');
    const res = await op.post(`/api/admin/certificates/${certId}/revoke`, { reason: '学习记录经核查无效' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'revoked', revokeReason: '学习记录经核查无效' });
    expect((await op.post(`/api/admin/certificates/${certId}/revoke`, { reason: '重复撤销' })).statusCode).toBe(409);
    const [audit] = await env.ctx.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.action, 'certificate.revoke'), eq(auditLogs.targetId, certId)));
    expect(audit).toMatchObject({ actorType: 'staff', summary: { certNo, reason: '学习记录经核查无效' } });

    const v = await new Client(env.publicApp).get(`/api/verify/certificates/${certNo}`);
    expect(v.json()).toMatchObject({ status: 'revoked' });
    expect(v.json().revokedAt).toBeTruthy();
    expect(v.body).not.toContain('学习记录经核查无效');
    const printed = await me.c.get(`/api/certificates/${certId}/pdf`);
    expect(printed.statusCode).toBe(410);
    expect(printed.json().message).toBe('证书已撤销');
    expect((await me.c.get('/api/certificates')).json().items.find((c: { id: string }) => c.id === certId).status).toBe(
      'revoked',
    );
    const revoked = await op.get('/api/admin/certificates?status=revoked');
    expect(revoked.json().items.map((c: { id: string }) => c.id)).toEqual([certId]);
  });

  it('证书查验 is rate-limited per IP', async () => {
    const anon = new Client(env.publicApp);
    for (let i = 0; i < 30; i++) expect((await anon.get(`/api/verify/certificates/${certNo}`)).statusCode).toBe(200);
    const limited = await anon.get(`/api/verify/certificates/${certNo}`);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeTruthy();
    expect((await new Client(env.publicApp).get(`/api/verify/certificates/${certNo}`)).statusCode).toBe(200);
  });
});
