import fs from 'node:fs';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { accounts, certificates, creditEntries } from '../../src/db/schema/index.js';
import { CERTIFICATE_ISSUE_JOB } from '../../src/modules/certificates/certificates.service.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { learner, onSalePlan, staffWith } from '../purchase-factories.js';
import { completedEnrolment } from '../study-factories.js';

/**
 * 学时档案 (issue 19 §2): a 公需科目 合格证书 adds its plan's 学时 as 公需科目 in the plan's year, once however often
 * it is issued; revoking it takes them away. The year's totals say whether it is 达标 (90, of which 专业科目 60).
 */
let env: TestEnv;
let plan: Awaited<ReturnType<typeof onSalePlan>>;
beforeAll(async () => {
  env = await createTestEnv();
  plan = await onSalePlan(env);
});

const accountIdOf = async (username: string) =>
  (await env.ctx.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.username, username)))[0]?.id as string;

describe('学时档案 fed by 公需科目 certificates', () => {
  it('a person with nothing yet: this year listed with 0 学时, not 达标; signed out is 401', async () => {
    const me = await learner(env);
    const res = await me.c.get('/api/my/credits');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([]);
    expect(res.json().years).toEqual([
      { year: expect.any(Number), hours: 0, publicHours: 0, professionalHours: 0, met: false, pendingHours: 0 },
    ]);
    expect((await new Client(env.publicApp).get('/api/my/credits')).statusCode).toBe(401);
  });

  it('issuing adds one 公需科目 entry (a second issuance adds none); revoking removes it', async () => {
    const me = await learner(env);
    const accountId = await accountIdOf(me.p.username);
    const enrollmentId = await completedEnrolment(env, accountId, plan.id);
    await env.ctx.jobs.runDue();
    // The job again (a retry, a second instance): still one certificate and one entry.
    await env.ctx.jobs.enqueue(env.ctx.db, CERTIFICATE_ISSUE_JOB, { enrollmentId });
    await env.ctx.jobs.runDue();
    const record = (await me.c.get('/api/my/credits')).json();
    expect(record.items).toEqual([
      expect.objectContaining({
        year: plan.year,
        category: 'public',
        categoryLabel: '公需科目',
        form: '网络学习',
        title: plan.name,
        hours: 30,
      }),
    ]);
    expect(record.years).toContainEqual({
      year: plan.year,
      hours: 30,
      publicHours: 30,
      professionalHours: 0,
      met: false,
      pendingHours: 0,
    });

    const [cert] = await env.ctx.db.select().from(certificates).where(eq(certificates.enrollmentId, enrollmentId));
    const op = await staffWith(env, ['training-operator']);
    const revoked = await op.post(`/api/admin/certificates/${cert?.id}/revoke`, { reason: '学习记录经核查无效' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    const after = (await me.c.get('/api/my/credits')).json();
    // The entry stays on the record as 已撤销 and no longer counts.
    expect(after.items).toEqual([expect.objectContaining({ hours: 30, status: 'revoked', statusLabel: '已撤销' })]);
    expect(after.years.find((y: { year: number }) => y.year === plan.year)).toMatchObject({ hours: 0, publicHours: 0 });
    const [entry] = await env.ctx.db
      .select()
      .from(creditEntries)
      .where(and(eq(creditEntries.source, 'gxkm-certificate'), eq(creditEntries.sourceId, cert?.id as string)));
    expect(entry?.status).toBe('revoked');
  });

  it('a year with 30 公需 and 60 专业 is 达标; 30 + 59 is not', async () => {
    const me = await learner(env);
    const accountId = await accountIdOf(me.p.username);
    await completedEnrolment(env, accountId, plan.id);
    await env.ctx.jobs.runDue();
    const [a] = await env.ctx.db.select().from(accounts).where(eq(accounts.id, accountId));
    const professional = (hours: number) =>
      env.ctx.db.insert(creditEntries).values({
        idHash: a?.idNumberHash as string,
        year: plan.year,
        category: 'professional',
        form: '高级研修',
        title: '高研班',
        hours,
        source: 'seminar-completion',
        sourceId: crypto.randomUUID(),
      });
    await professional(59);
    const short = (await me.c.get('/api/my/credits')).json().years.find((y: { year: number }) => y.year === plan.year);
    expect(short).toEqual({
      year: plan.year,
      hours: 89,
      publicHours: 30,
      professionalHours: 59,
      met: false,
      pendingHours: 0,
    });
    await professional(1);
    const met = (await me.c.get('/api/my/credits')).json().years.find((y: { year: number }) => y.year === plan.year);
    expect(met).toEqual({
      year: plan.year,
      hours: 90,
      publicHours: 30,
      professionalHours: 60,
      met: true,
      pendingHours: 0,
    });
  });

  it('the migration records the certificates issued before it, once, revoked ones as revoked', async () => {
    const me = await learner(env);
    const accountId = await accountIdOf(me.p.username);
    const enrollmentId = await completedEnrolment(env, accountId, plan.id);
    await env.ctx.jobs.runDue();
    const [cert] = await env.ctx.db.select().from(certificates).where(eq(certificates.enrollmentId, enrollmentId));
    // As before the feed existed: the certificate without its entry.
    await env.ctx.db.delete(creditEntries).where(eq(creditEntries.sourceId, cert?.id as string));
    const migration = fs.readFileSync(
      new URL('../../src/db/migrations/0030_public_certificate_credits.sql', import.meta.url),
      'utf8',
    );
    await env.ctx.db.execute(sql.raw(migration));
    await env.ctx.db.execute(sql.raw(migration));
    const rows = await env.ctx.db
      .select()
      .from(creditEntries)
      .where(eq(creditEntries.sourceId, cert?.id as string));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ category: 'public', hours: 30, year: plan.year, status: 'confirmed' });
  });
});
