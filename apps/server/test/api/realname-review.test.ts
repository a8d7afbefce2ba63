import crypto from 'node:crypto';
import { type IdType, idNumberCheckChar } from '@cpe/shared';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createHttpRealname } from '../../src/adapters/realname/http-realname.js';
import {
  basicBody,
  buildPerson,
  lastSmsCode,
  login,
  multipartFile,
  outbox,
  type Person,
  randomIdNumber,
  sendSms,
  sliderToken,
} from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { LATER, onSalePlan } from '../purchase-factories.js';

// The local 实名认证 verifies 身份证, 居住证 and 永居证; a 护照 always goes to staff.
const env = await createTestEnv();
// A contracted service that verifies no 证件类型 at all (REALNAME_HTTP_TYPES={}): every registration goes to staff.
const staffOnly = await createTestEnv(
  {},
  { realname: createHttpRealname({ url: 'http://127.0.0.1:9/', appCode: 'x', types: {} }) },
);

interface Document {
  idType: IdType;
  idNumber: string;
  nationality?: string;
}
type Registrant = Person & Document;

const passportNumber = () => `E${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`;
const hkResidenceNumber = () => {
  const first17 = `8100001990${String(crypto.randomInt(1, 13)).padStart(2, '0')}15${String(crypto.randomInt(0, 1000)).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
};
const foreigner = (over: Partial<Registrant> = {}): Registrant => ({
  ...buildPerson({ realName: 'John Smith' }),
  idType: 'passport',
  idNumber: passportNumber(),
  nationality: 'USA',
  ...over,
});

async function jpeg(): Promise<Buffer> {
  return sharp({ create: { width: 80, height: 56, channels: 3, background: '#8899aa' } })
    .jpeg()
    .toBuffer();
}
const photoPart = async () => ({ name: 'photo', data: await jpeg(), filename: 'passport.jpg', type: 'image/jpeg' });

/** 1 基本信息 with the document; the flow says how step 2 verifies. */
async function startRegistration(c: Client, p: Registrant) {
  expect((await sendSms(c, p.phone)).statusCode).toBe(200);
  return c.post('/api/registrations', {
    ...basicBody(p, await lastSmsCode(c, p.phone)),
    idType: p.idType,
    idNumber: p.idNumber,
    nationality: p.nationality,
  });
}

/** The whole registration of someone staff must verify: step 1, then the photo of the document. */
async function registerManually(e: TestEnv, p: Registrant) {
  const c = new Client(e.publicApp);
  const step1 = await startRegistration(c, p);
  expect(step1.statusCode, step1.body).toBe(200);
  expect(step1.json()).toMatchObject({ idType: p.idType, verification: 'manual' });
  const done = await c.request(
    'POST',
    '/api/registrations/manual',
    undefined,
    multipartFile({ token: step1.json().token }, await photoPart()),
  );
  expect(done.statusCode, done.body).toBe(200);
  expect(done.json()).toEqual({ username: p.username, realNameStatus: 'pending' });
  return p;
}

async function signedIn(e: TestEnv, p: Person) {
  const c = new Client(e.publicApp);
  const res = await login(c, p.username, p.password);
  expect(res.statusCode, res.body).toBe(200);
  return c;
}

async function staffAs(e: TestEnv, roles: Array<'sysadmin' | 'recovery-handler' | 'training-operator'>) {
  const username = `rr${crypto.randomBytes(4).toString('hex')}`;
  await e.ctx.staff.ensure({ username, password: 'Review@2026', displayName: '实名审核员', roles });
  const s = new Client(e.staffApp, 'cpe_staff_csrf');
  const res = await s.post('/api/sessions', {
    username,
    password: 'Review@2026',
    sliderToken: await sliderToken(s, new Client(e.publicApp)),
  });
  expect(res.statusCode, res.body).toBe(200);
  return s;
}

async function reviewOf(s: Client, realName: string, status = 'pending') {
  const res = await s.get(`/api/realname-reviews?status=${status}&q=${encodeURIComponent(realName)}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as Array<Record<string, unknown> & { id: string }>;
}

async function smsNotices(e: TestEnv, phone: string) {
  await e.ctx.jobs.runDue();
  return (await outbox(new Client(e.publicApp), `kind=sms&to=${phone}`)).filter((m) =>
    m.purpose?.startsWith('realname'),
  );
}

describe('人工实名审核 of a 护照 holder', () => {
  it('registers pending, signs in, may not buy or study until staff approve; a rejection is explained and resubmitted', async () => {
    const plan = await onSalePlan(env);
    const p = await registerManually(env, foreigner({ realName: 'Maria Garcia', nationality: 'ESP' }));
    const c = await signedIn(env, p);
    expect((await c.get('/api/me')).json()).toMatchObject({
      idType: 'passport',
      nationality: 'ESP',
      realNameVerified: false,
      realNameStatus: 'pending',
      realNameRejectReason: null,
    });
    const [stored] = (
      await env.ctx.db.execute(
        sql`select real_name_verified_at, real_name_source, nationality from accounts where username = ${p.username}`,
      )
    ).rows as Array<Record<string, unknown>>;
    expect(stored).toEqual({ real_name_verified_at: null, real_name_source: 'manual', nationality: 'ESP' });

    // Neither 个人购买 nor 开始学习 before the 实名 is verified.
    const refused = await c.post('/api/orders', { planId: plan.id, invoice: LATER });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({ code: 'REALNAME_REQUIRED', message: '实名审核通过后才能购买和学习' });
    const study = await c.post('/api/study/sessions', { planId: plan.id, chapterId: crypto.randomUUID() });
    expect(study.json().code).toBe('REALNAME_REQUIRED');
    // While pending, nothing is resubmitted.
    const early = await c.request(
      'POST',
      '/api/me/realname-review',
      undefined,
      multipartFile(
        { realName: p.realName, idType: 'passport', idNumber: p.idNumber, nationality: 'ESP' },
        await photoPart(),
      ),
    );
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('REALNAME_REVIEW_PENDING');

    // Staff without the role see nothing; 人工找回/实名审核 handlers decide.
    const operator = await staffAs(env, ['training-operator']);
    expect((await operator.get('/api/realname-reviews')).statusCode).toBe(403);
    const reviewer = await staffAs(env, ['recovery-handler']);
    const [item] = await reviewOf(reviewer, 'Maria Garcia');
    expect(item).toMatchObject({
      username: p.username,
      realName: 'Maria Garcia',
      idType: 'passport',
      nationality: 'ESP',
      attempt: 1,
      status: 'pending',
    });
    expect(JSON.stringify(item)).not.toContain(p.idNumber);
    const id = item?.id as string;
    expect((await operator.get(`/api/realname-reviews/${id}/photo`)).statusCode).toBe(403);
    const photo = await reviewer.get(`/api/realname-reviews/${id}/photo`);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect((await reviewer.get(`/api/realname-reviews/${id}`)).json()).toMatchObject({ id, status: 'pending' });

    const noReason = await reviewer.post(`/api/realname-reviews/${id}/decision`, { decision: 'reject' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields.reason).toMatch(/退回原因/);
    const tooLong = await reviewer.post(`/api/realname-reviews/${id}/decision`, {
      decision: 'reject',
      reason: '照'.repeat(201),
    });
    expect(tooLong.json().fields.reason).toMatch(/200字/);
    const reason = '照片模糊，看不清护照号码，请重新拍摄资料页';
    expect(
      (await reviewer.post(`/api/realname-reviews/${id}/decision`, { decision: 'reject', reason })).statusCode,
    ).toBe(200);
    const again = await reviewer.post(`/api/realname-reviews/${id}/decision`, { decision: 'approve' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('REALNAME_REVIEW_DECIDED');
    expect((await smsNotices(env, p.phone)).map((m) => m.code)).toEqual([
      'Maria Garcia您好，您的人工实名审核未通过，请登录继续教育平台“个人中心”查看原因并重新提交。',
    ]);

    // The person reads the reason and submits again, correcting the name as the passport spells it.
    expect((await c.get('/api/me')).json()).toMatchObject({ realNameStatus: 'rejected', realNameRejectReason: reason });
    const badPhoto = await c.request(
      'POST',
      '/api/me/realname-review',
      undefined,
      multipartFile(
        { realName: 'Maria Garcia Lopez', idType: 'passport', idNumber: p.idNumber, nationality: 'ESP' },
        { name: 'photo', data: Buffer.from('%PDF-1.4 not an image'), filename: 'p.jpg', type: 'image/jpeg' },
      ),
    );
    expect(badPhoto.statusCode).toBe(400);
    expect(badPhoto.json()).toMatchObject({ code: 'UPLOAD_INVALID', fields: { photo: expect.any(String) } });
    const noNationality = await c.request(
      'POST',
      '/api/me/realname-review',
      undefined,
      multipartFile({ realName: 'Maria Garcia Lopez', idType: 'passport', idNumber: p.idNumber }, await photoPart()),
    );
    expect(noNationality.json().fields.nationality).toMatch(/国籍/);
    const resubmit = await c.request(
      'POST',
      '/api/me/realname-review',
      undefined,
      multipartFile(
        { realName: 'Maria Garcia Lopez', idType: 'passport', idNumber: p.idNumber.toLowerCase(), nationality: 'esp' },
        await photoPart(),
      ),
    );
    expect(resubmit.statusCode, resubmit.body).toBe(200);
    expect(resubmit.json()).toEqual({ realNameStatus: 'pending' });
    // The account keeps its name until staff approve the new one.
    expect((await c.get('/api/me')).json()).toMatchObject({ realName: 'Maria Garcia', realNameStatus: 'pending' });

    const [second] = await reviewOf(reviewer, 'Maria Garcia Lopez');
    expect(second).toMatchObject({ attempt: 2, status: 'pending' });
    const approved = await reviewer.post(`/api/realname-reviews/${second?.id}/decision`, { decision: 'approve' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(
      (await reviewer.post(`/api/realname-reviews/${second?.id}/decision`, { decision: 'reject', reason: 'x' })).json()
        .code,
    ).toBe('REALNAME_REVIEW_DECIDED');
    expect((await c.get('/api/me')).json()).toMatchObject({
      realName: 'Maria Garcia Lopez',
      realNameVerified: true,
      realNameStatus: 'verified',
      realNameRejectReason: null,
    });
    expect((await smsNotices(env, p.phone)).map((m) => m.purpose)).toEqual(['realname-approved', 'realname-rejected']);
    const verified = await env.ctx.db.execute(
      sql`select real_name_source from accounts where username = ${p.username} and real_name_verified_at is not null`,
    );
    expect(verified.rows).toEqual([{ real_name_source: 'manual-review' }]);

    const order = await c.post('/api/orders', { planId: plan.id, invoice: LATER });
    expect(order.statusCode, order.body).toBe(200);
    const after = await c.request(
      'POST',
      '/api/me/realname-review',
      undefined,
      multipartFile(
        { realName: p.realName, idType: 'passport', idNumber: p.idNumber, nationality: 'ESP' },
        await photoPart(),
      ),
    );
    expect(after.json().code).toBe('REALNAME_ALREADY_VERIFIED');

    const actions = await env.ctx.db.execute(
      sql`select action from audit_logs where target_id in (${item?.id}, ${second?.id}) order by id`,
    );
    expect(actions.rows.map((r) => (r as { action: string }).action)).toEqual([
      'realname.review.submit',
      'realname.review.photo.view',
      'realname.review.reject',
      'realname.review.submit',
      'realname.review.approve',
    ]);
    const accountActions = await env.ctx.db.execute(
      sql`select a.action from audit_logs a join accounts u on u.id::text = a.target_id
          where u.username = ${p.username} and a.action like 'account.%' order by a.id`,
    );
    expect(accountActions.rows.map((r) => (r as { action: string }).action)).toEqual([
      'account.register',
      'account.realname.verify',
    ]);
  });

  it('keys a passport by its nationality: the same number of another country registers, the same country is taken', async () => {
    const number = passportNumber();
    await registerManually(env, foreigner({ idNumber: number, nationality: 'USA' }));
    await registerManually(env, foreigner({ idNumber: number, nationality: 'GBR' }));
    const c = new Client(env.publicApp);
    const taken = await startRegistration(c, foreigner({ idNumber: number.toLowerCase(), nationality: 'USA' }));
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'ID_NUMBER_TAKEN', fields: { idNumber: expect.any(String) } });
  });

  it('takes only an image of the document, refuses the online step for it, and keeps the flow for a retry', async () => {
    const c = new Client(env.publicApp);
    const p = foreigner();
    const step1 = await startRegistration(c, p);
    const token = step1.json().token as string;
    const online = await c.post('/api/registrations/complete', { token });
    expect(online.statusCode).toBe(400);
    expect(online.json()).toMatchObject({
      code: 'REALNAME_MANUAL_REQUIRED',
      message: '该证件类型须上传证件照片，由工作人员人工审核',
    });
    const manual = (file?: { name: string; data: Buffer; filename: string; type: string }) =>
      c.request('POST', '/api/registrations/manual', undefined, multipartFile({ token }, file));
    const pdf = await manual({
      name: 'photo',
      data: Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj'),
      filename: 'a.pdf',
      type: 'application/pdf',
    });
    expect(pdf.statusCode).toBe(400);
    expect(pdf.json()).toMatchObject({ code: 'UPLOAD_INVALID', fields: { photo: expect.stringMatching(/JPG、PNG/) } });
    const garbage = await manual({
      name: 'photo',
      data: crypto.randomBytes(2048),
      filename: 'a.png',
      type: 'image/png',
    });
    expect(garbage.statusCode).toBe(400);
    const big = await manual({
      name: 'photo',
      data: Buffer.alloc(5 * 1024 * 1024 + 10, 1),
      filename: 'b.png',
      type: 'image/png',
    });
    expect(big.statusCode).toBe(413);
    expect((await manual()).json().fields.photo).toMatch(/证件照片/);
    const json = await c.post('/api/registrations/manual', { token });
    expect(json.statusCode).toBe(415);
    const noAccount = await env.ctx.db.execute(
      sql`select count(*)::int as n from accounts where username = ${p.username}`,
    );
    expect(noAccount.rows).toEqual([{ n: 0 }]);
    expect((await manual(await photoPart())).statusCode).toBe(200);
    // The flow is spent.
    expect((await manual(await photoPart())).json().code).toBe('REGISTRATION_EXPIRED');
  });

  it('keeps the 身份证 path online: a manual submission for it is refused', async () => {
    const c = new Client(env.publicApp);
    const p: Registrant = { ...buildPerson(), idType: 'idCard' };
    const step1 = await startRegistration(c, p);
    expect(step1.json().verification).toBe('online');
    const manual = await c.request(
      'POST',
      '/api/registrations/manual',
      undefined,
      multipartFile({ token: step1.json().token }, await photoPart()),
    );
    expect(manual.json().code).toBe('REALNAME_ONLINE_AVAILABLE');
  });

  it('answers 401 without a session on both listeners and 400 on bad input', async () => {
    expect((await new Client(env.publicApp).post('/api/me/realname-review')).statusCode).toBe(401);
    expect((await new Client(env.staffApp, 'cpe_staff_csrf').get('/api/realname-reviews')).statusCode).toBe(401);
    const reviewer = await staffAs(env, ['sysadmin']);
    expect((await reviewer.get('/api/realname-reviews?status=unknown')).json().fields.status).toBeDefined();
    expect((await reviewer.get('/api/realname-reviews/not-a-uuid')).statusCode).toBe(400);
    expect((await reviewer.get(`/api/realname-reviews/${crypto.randomUUID()}`)).statusCode).toBe(404);
    // The public listener has no staff route.
    expect((await new Client(env.publicApp).get('/api/realname-reviews')).statusCode).toBe(404);
  });
});

describe('人工实名审核 when the 实名认证 service verifies no 证件类型', () => {
  it('sends a 居住证 holder to staff, and 团体购买 leaves out whoever is not verified yet', async () => {
    const resident = await registerManually(staffOnly, {
      ...buildPerson({ realName: '陈港生' }),
      idType: 'hkMacaoResidence',
      idNumber: hkResidenceNumber(),
    });
    const buyer = await signedIn(staffOnly, resident);
    const me = (await buyer.get('/api/me')).json();
    expect(me).toMatchObject({ idType: 'hkMacaoResidence', nationality: null, realNameStatus: 'pending' });

    const member = await registerManually(staffOnly, {
      ...buildPerson(),
      idType: 'idCard',
      idNumber: randomIdNumber(),
    });
    const plan = await onSalePlan(staffOnly);
    // The buyer of a 团体购买 (here the pending resident) need not be verified; the people bought for must be.
    const check = await buyer.post('/api/group-checks', { planId: plan.id, idNumbers: member.idNumber });
    expect(check.statusCode, check.body).toBe(200);
    expect(check.json()).toMatchObject({ valid: 0, invalid: 1 });
    expect(check.json().errors[0]).toMatchObject({ line: 1, reason: '该学员尚未通过实名认证' });

    const reviewer = await staffAs(staffOnly, ['recovery-handler']);
    const [item] = await reviewOf(reviewer, member.realName);
    expect(
      (await reviewer.post(`/api/realname-reviews/${item?.id}/decision`, { decision: 'approve' })).statusCode,
    ).toBe(200);
    const recheck = await buyer.post('/api/group-checks', { planId: plan.id, idNumbers: member.idNumber });
    expect(recheck.json()).toMatchObject({ valid: 1, invalid: 0 });
  });
});
