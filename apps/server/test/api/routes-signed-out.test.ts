import { describe, expect, it } from 'vitest';
import { Client, createTestEnv } from '../harness.js';

/**
 * Every route of both OpenAPI documents, called by someone who is not signed in: never a 5xx, and the routes of
 * the filing, review, base, calendar and personal-record families answer 401. The routes are read from the
 * documents, so a route added later is called here without anyone listing it.
 */
const env = await createTestEnv();

/** Paths whose every method needs a signed-in person or staff member. */
const SIGNED_IN_ONLY = [
  /^\/api\/applications(\/|$)/,
  /^\/api\/application-/,
  /^\/api\/admin\/bases/,
  /^\/api\/calendar-days/,
  /^\/api\/my\//,
  /^\/api\/unit-center/,
];
const ZERO_ID = '00000000-0000-4000-8000-000000000000';

async function routesOf(app: typeof env.publicApp) {
  const doc = (await app.inject({ url: '/api/docs/json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  const out: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string }[] = [];
  for (const [path, methods] of Object.entries(doc.paths))
    for (const m of Object.keys(methods))
      if (['get', 'post', 'put', 'patch', 'delete'].includes(m))
        out.push({ method: m.toUpperCase() as 'GET', path: path.replace(/\{[^}]+\}/g, ZERO_ID) });
  return out;
}

describe('signed out, on every route of both listeners', () => {
  for (const [name, app, cookie] of [
    ['public', env.publicApp, 'cpe_csrf'],
    ['staff', env.staffApp, 'cpe_staff_csrf'],
  ] as const) {
    it(`${name}: no 5xx; the signed-in families answer 401`, async () => {
      const routes = await routesOf(app);
      expect(routes.length).toBeGreaterThan(20);
      expect(routes.map((r) => r.path)).toContain(`/api/application-reviews/${ZERO_ID}/approve`);
      const c = new Client(app, cookie);
      const wrong: string[] = [];
      for (const r of routes) {
        if (r.path.startsWith('/api/docs') || r.path.includes('/live')) continue;
        const res = await c.request(r.method, r.path, r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
        if (res.statusCode >= 500) wrong.push(`${r.method} ${r.path} → ${res.statusCode}`);
        else if (SIGNED_IN_ONLY.some((p) => p.test(r.path)) && res.statusCode !== 401)
          wrong.push(`${r.method} ${r.path} → ${res.statusCode}, expected 401`);
      }
      expect(wrong).toEqual([]);
    });
  }
});
