import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { Client, createTestEnv } from '../harness.js';

const env = await createTestEnv();

describe('foundation', () => {
  it('answers healthz and readyz on both listeners', async () => {
    for (const app of [env.publicApp, env.staffApp]) {
      expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
      const ready = await app.inject({ url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready' });
    }
  });

  it('serves an OpenAPI document per listener; staff routes only in the staff one', async () => {
    const pub = (await env.publicApp.inject({ url: '/api/docs/json' })).json();
    const staff = (await env.staffApp.inject({ url: '/api/docs/json' })).json();
    expect(pub.openapi).toMatch(/^3\./);
    expect(Object.keys(pub.paths)).toContain('/api/registrations');
    expect(Object.keys(pub.paths)).not.toContain('/api/manual-recoveries/{id}/decision');
    expect(Object.keys(staff.paths)).toContain('/api/manual-recoveries/{id}/decision');
    expect(Object.keys(staff.paths)).not.toContain('/api/registrations');
    // Request bodies come from the zod schemas, with their field names.
    const body = pub.paths['/api/registrations'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['username', 'idNumber', 'smsCode']));
  });

  it('the staff API is not reachable on the public port', async () => {
    const c = new Client(env.publicApp);
    const res = await c.get('/api/manual-recoveries');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('ROUTE_NOT_FOUND');
    const decide = await c.post('/api/manual-recoveries/00000000-0000-0000-0000-000000000000/decision', {
      decision: 'approve',
    });
    expect(decide.statusCode).toBe(404);
  });

  it('unknown routes give the JSON error shape', async () => {
    const res = await new Client(env.publicApp).get('/api/no-such-thing');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/json/);
    expect(res.json()).toEqual({ code: 'ROUTE_NOT_FOUND', message: expect.stringContaining('接口不存在') });
  });

  it('refuses a state-changing request without the CSRF header', async () => {
    const c = new Client(env.publicApp);
    await c.ensureCsrf();
    const res = await c.request('POST', '/api/captchas/image', {}, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CSRF_INVALID');
    const wrong = await c.request(
      'POST',
      '/api/captchas/image',
      {},
      { csrf: false, headers: { 'x-csrf-token': 'forged' } },
    );
    expect(wrong.statusCode).toBe(403);
    expect((await c.post('/api/captchas/image')).statusCode).toBe(200);
  });

  it('malformed JSON and oversized bodies are 4xx with the error shape, never 500', async () => {
    const c = new Client(env.publicApp);
    const bad = await c.request('POST', '/api/sessions', undefined, {
      payload: '{"loginType": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
    expect(bad.json().message).not.toMatch(/at .*\.ts/);
    const big = await c.request('POST', '/api/sessions', undefined, {
      payload: JSON.stringify({ identifier: 'x'.repeat(2 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('validation errors name each field in Chinese', async () => {
    const c = new Client(env.publicApp);
    const res = await c.post('/api/registrations', { username: '1x', agree: false });
    expect(res.statusCode).toBe(400);
    const { code, fields } = res.json();
    expect(code).toBe('VALIDATION_FAILED');
    expect(fields.username).toMatch(/用户账号/);
    expect(fields.idNumber).toMatch(/证件号码/);
    expect(fields.idType).toMatch(/证件类型/);
    expect(fields.phone).toMatch(/手机/);
    expect(fields.agree).toMatch(/注册协议/);
  });

  it('the audit log refuses UPDATE and DELETE', async () => {
    const { db } = env.ctx;
    // @ts-expect-error: a code outside the catalogue on purpose, so no real entry is mistaken for this one
    await env.ctx.audit.record(db, { actorType: 'system', action: 'test.append' });
    await expect(db.execute(sql`update audit_logs set action = 'changed'`)).rejects.toThrow();
    await expect(db.execute(sql`delete from audit_logs`)).rejects.toThrow();
    const rows = await db.execute(sql`select count(*)::int as n from audit_logs where action = 'test.append'`);
    expect((rows.rows[0] as { n: number }).n).toBe(1);
  });

  it('sets security headers and a request id', async () => {
    const res = await env.publicApp.inject({ url: '/api/site' });
    expect(res.headers['x-request-id']).toBeTruthy();
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.json().name).toBe('重庆市专业技术人员服务平台');
  });
});

describe('demo outbox outside demo mode', async () => {
  const off = await createTestEnv({ DEMO_MODE: 'false' });
  it('answers 404 and records nothing', async () => {
    const c = new Client(off.publicApp);
    expect((await c.post('/api/captchas/image')).statusCode).toBe(200);
    const res = await c.get('/api/dev/outbox');
    expect(res.statusCode).toBe(404);
    const n = await off.ctx.db.execute(sql`select count(*)::int as n from dev_outbox`);
    expect((n.rows[0] as { n: number }).n).toBe(0);
  });
});
