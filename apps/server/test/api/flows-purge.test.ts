import { count } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { flows } from '../../src/db/schema/index.js';
import { basicBody, buildPerson, lastSmsCode, sendSms } from '../factories.js';
import { Client, createTestEnv } from '../harness.js';

const env = await createTestEnv();

async function flowsLeft(): Promise<number> {
  const [row] = await env.ctx.db.select({ n: count() }).from(flows);
  return row?.n ?? 0;
}

describe('expired multi-step flows are deleted', () => {
  it('a registration left at step 2 is kept for a day after it expires, then the hourly job deletes it', async () => {
    const c = new Client(env.publicApp);
    const p = buildPerson();
    expect((await sendSms(c, p.phone)).statusCode).toBe(200);
    const start = await c.post('/api/registrations', basicBody(p, await lastSmsCode(c, p.phone)));
    expect(start.statusCode, start.body).toBe(200);
    const before = await flowsLeft();
    expect(before).toBeGreaterThan(0);

    // Expired (30 minutes) but less than a day ago: kept.
    env.clock.advance(2 * 3_600_000);
    await env.ctx.jobs.runDue();
    expect(await flowsLeft()).toBe(before);

    // More than a day past expiry: gone, and its token answers as expired.
    env.clock.advance(26 * 3_600_000);
    await env.ctx.jobs.runDue();
    expect(await flowsLeft()).toBe(0);
    const late = await c.post('/api/registrations/complete', { token: start.json().token });
    expect(late.json().code).toBe('REGISTRATION_EXPIRED');
  });
});
