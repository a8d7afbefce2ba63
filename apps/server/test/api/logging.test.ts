import { PassThrough } from 'node:stream';
import { maskIdNumber } from '@cpe/shared';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { basicBody, buildPerson, lastSmsCode, login, register, sendSms } from '../factories.js';
import { Client, createTestEnv } from '../harness.js';

const stream = new PassThrough();
let logs = '';
stream.on('data', (d) => {
  logs += d;
});
const env = await createTestEnv({}, undefined, { level: 'trace', stream });

describe('logs', () => {
  it('carry request ids but never passwords, codes, ID numbers, phones or session tokens', async () => {
    const c = new Client(env.publicApp);
    const p = await register(c, buildPerson());
    await login(c, p.username, p.password);
    await login(new Client(env.publicApp), p.phone, 'Wrong-Passw0rd');
    env.clock.advance(61_000);
    await sendSms(c, p.phone);
    const code = await lastSmsCode(c, p.phone);
    await c.post('/api/registrations', basicBody({ ...p, username: 'another1' }, code));
    await c.get(`/api/me?phone=${p.phone}`);
    const sid = c.cookies.get('cpe_sid') as string;

    expect(logs).toMatch(/"reqId":"[0-9a-f-]{36}"/);
    expect(logs).toContain('/api/registrations');
    for (const secret of [p.password, p.idNumber, p.phone, code, sid]) expect(logs).not.toContain(secret);
  });

  it('show a refused query by its SQL and code, never by the ID number or phone it was run with', async () => {
    const p = buildPerson();
    const since = logs.length;
    // The database refuses the public search (its table is gone for a moment): a fault of ours, logged in full.
    await env.ctx.db.execute(sql`alter table faqs rename to faqs_away`);
    try {
      const res = await new Client(env.publicApp).get(`/api/help?q=${encodeURIComponent(`${p.idNumber} ${p.phone}`)}`);
      expect(res.statusCode).toBe(500);
    } finally {
      await env.ctx.db.execute(sql`alter table faqs_away rename to faqs`);
    }
    const logged = logs.slice(since);
    expect(logged).toContain('unhandled error');
    expect(logged).toContain('42P01');
    expect(logged).toContain('from \\"faqs\\"');
    expect(logged).not.toContain(p.idNumber);
    expect(logged).not.toContain(p.phone);
  });

  it('keep values out whichever way an error is logged, even where PostgreSQL quotes them', async () => {
    const p = buildPerson();
    await env.ctx.db.execute(
      sql`create table log_probe (phone text not null, id_number text not null check (length(id_number) < 4))`,
    );
    const refusals: unknown[] = [];
    // "Failing row contains (…)" in the detail; the values among the parameters.
    await env.ctx.db
      .execute(sql`insert into log_probe (phone, id_number) values (${p.phone}, ${p.idNumber})`)
      .catch((err) => refusals.push(err));
    // The refused value in PostgreSQL's own message: invalid input syntax for type bigint: "…".
    await env.ctx.db.execute(sql`select ${`${p.idNumber}号`}::bigint, ${p.phone}`).catch((err) => refusals.push(err));
    expect(refusals).toHaveLength(2);

    const since = logs.length;
    for (const err of refusals) {
      env.publicApp.log.error({ err }, 'unhandled error');
      env.staffApp.log.error(err);
      env.publicApp.log.warn({ err });
    }
    const logged = logs.slice(since);
    expect(logged).toContain('23514');
    expect(logged).toContain('log_probe');
    // PostgreSQL's message stays readable, with the value in it masked as lists mask it.
    expect(logged).toContain(maskIdNumber(p.idNumber));
    expect(logged).not.toContain(p.idNumber);
    expect(logged).not.toContain(p.phone);

    // A failed job keeps its error for staff (jobs.last_error): the same rules.
    env.ctx.jobs.register('test.refused', async () => {
      await env.ctx.db.execute(sql`insert into log_probe (phone, id_number) values (${p.phone}, ${p.idNumber})`);
    });
    await env.ctx.jobs.enqueue(env.ctx.db, 'test.refused', {}, undefined, 1);
    await env.ctx.jobs.runDue();
    const job = await env.ctx.db.execute(sql`select last_error from jobs where kind = 'test.refused'`);
    const lastError = String((job.rows[0] as { last_error: string }).last_error);
    expect(lastError).toContain('log_probe');
    expect(lastError).not.toContain(p.idNumber);
    expect(lastError).not.toContain(p.phone);
  });
});
