import crypto from 'node:crypto';
import { expect } from 'vitest';
import { createCourse } from './courses-factories.js';
import { buildPerson, login, type Person, register, sliderToken } from './factories.js';
import { Client, type TestEnv } from './harness.js';

const meta = { ip: '127.0.0.1', userAgent: 'vitest' };

/** A published plan on sale now (price in fen) of one 30-学时 catalogue course, created as the training centre would. */
export async function onSalePlan(env: TestEnv, over: { priceFen?: number; year?: number } = {}) {
  const course = await createCourse(env, { hours: 30, title: '数字经济与数字化转型' });
  const now = env.clock.now();
  return env.ctx.purchase.plans.create(
    crypto.randomUUID(),
    {
      name: `重庆市专技人员继续教育公需科目培训${crypto.randomBytes(2).toString('hex')}`,
      year: over.year ?? now.getUTCFullYear(),
      priceFen: over.priceFen ?? 12_000,
      requiredHours: 30,
      saleFrom: new Date(now.getTime() - 86_400_000).toISOString(),
      saleTo: new Date(now.getTime() + 300 * 86_400_000).toISOString(),
      description: '',
      coverFileId: null,
      courseIds: [course.id],
      published: true,
    },
    meta,
  );
}

/** A registered person, signed in on the portal. */
export async function learner(env: TestEnv, p: Person = buildPerson()) {
  await register(new Client(env.publicApp), p);
  return signIn(env, p);
}

/** Signs in someone already registered. */
export async function signIn(env: TestEnv, p: Person) {
  const c = new Client(env.publicApp);
  expect((await login(c, p.username, p.password)).statusCode).toBe(200);
  return { c, p };
}

/** Registered people who are not signed in (团体购买 members). */
export async function registered(env: TestEnv, n: number): Promise<Person[]> {
  const out: Person[] = [];
  for (let i = 0; i < n; i++) {
    const p = buildPerson();
    await register(new Client(env.publicApp), p);
    out.push(p);
  }
  return out;
}

export const LATER = { mode: 'later' } as const;

/** 去支付 with the local gateway: returns the cashier's trade id and the attempt's 商户订单号. */
export async function startPayment(c: Client, orderId: string, channel = 'alipay') {
  const res = await c.post(`/api/orders/${orderId}/payments`, { channel, device: 'desktop' });
  expect(res.statusCode, res.body).toBe(200);
  const url = new URL(res.json().url as string);
  const tradeId = url.pathname.split('/').pop() as string;
  return { tradeId, url };
}

/** The payer presses 确认支付 on the cashier, then the gateway's notifications are delivered. */
export async function payAndDeliver(env: TestEnv, tradeId: string) {
  expect(await env.ctx.purchase.gateway.pay(tradeId)).toBe('paid');
  await env.ctx.jobs.runDue();
}

/** Runs jobs until none is due (invoices, refunds), moving the clock past retry backoffs if asked. */
export async function drainJobs(env: TestEnv, advanceMs = 0) {
  for (let i = 0; i < 10; i++) {
    if (advanceMs) env.clock.advance(advanceMs);
    if ((await env.ctx.jobs.runDue()) === 0 && !advanceMs) return;
  }
}

/** A staff member of the training centre (or another role), signed in on the staff listener. */
export async function staffWith(env: TestEnv, roles: Array<'sysadmin' | 'reviewer' | 'training-operator'>) {
  const username = `st${crypto.randomBytes(4).toString('hex')}`;
  await env.ctx.staff.ensure({ username, password: 'Train@2026', displayName: '培训中心', roles });
  const s = new Client(env.staffApp, 'cpe_staff_csrf');
  const res = await s.post('/api/sessions', {
    username,
    password: 'Train@2026',
    sliderToken: await sliderToken(s, new Client(env.publicApp)),
  });
  expect(res.statusCode, res.body).toBe(200);
  return s;
}
