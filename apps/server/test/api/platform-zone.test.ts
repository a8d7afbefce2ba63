import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPublicApp, buildStaffApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createTestEnv } from '../harness.js';
import { registered, staffWith } from '../purchase-factories.js';

/**
 * Issue 21 §1: the platform's time zone is configuration (PLATFORM_TIME_ZONE, default Asia/Shanghai). Here a platform
 * configured for New York, a zone with daylight saving: the web apps are told the zone in their index.html, and the
 * 数据看板 counts by New York days across the spring-forward change.
 */
const web = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-web-zone-'));
for (const app of ['portal', 'console']) {
  fs.mkdirSync(path.join(web, app), { recursive: true });
  fs.writeFileSync(
    path.join(web, app, 'index.html'),
    `<!doctype html><html><head>\n<meta name="cpe-time-zone" content="Asia/Shanghai" />\n<title>${app}</title></head></html>`,
  );
}
afterAll(() => fs.rmSync(web, { recursive: true, force: true }));

const env = await createTestEnv({ PLATFORM_TIME_ZONE: 'America/New_York', WEB_DIST_DIR: web });
const apps = {
  portal: await buildPublicApp(env.ctx, { logLevel: 'silent', serveWeb: true }),
  console: await buildStaffApp(env.ctx, { logLevel: 'silent', serveWeb: true }),
};
afterAll(() => Promise.all(Object.values(apps).map((a) => a.close())));

describe('PLATFORM_TIME_ZONE', () => {
  it('is checked at start: an unknown zone stops it, naming the variable; the default is China’s', () => {
    expect(loadConfig({}).platformTimeZone).toBe('Asia/Shanghai');
    expect(loadConfig({ PLATFORM_TIME_ZONE: 'europe/london' }).platformTimeZone).toBe('Europe/London');
    for (const bad of ['Beijing', 'UTC+8', '', '"><script>'])
      expect(() => loadConfig({ PLATFORM_TIME_ZONE: bad }), bad).toThrow(/PLATFORM_TIME_ZONE/);
  });

  it.each(['/', '/index.html', '/login', '/dashboard?from=2026-03-07'])(
    'both web apps are told the zone in index.html (%s)',
    async (url) => {
      for (const app of Object.values(apps)) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode).toBe(200);
        expect(res.body).toContain('<meta name="cpe-time-zone" content="America/New_York" />');
        expect(res.body).not.toContain('Asia/Shanghai');
      }
    },
  );

  it('the 数据看板 counts New York days, 23 hours long on the day the clocks spring forward', async () => {
    const people = await registered(env, 5);
    const at = [
      '2026-03-08T04:59:59Z', // 03-07 23:59:59 EST
      '2026-03-08T05:00:00Z', // 03-08 00:00:00 EST
      '2026-03-08T16:30:00Z', // 03-08 12:30 EDT (03-09 00:30 in China)
      '2026-03-09T03:59:59Z', // 03-08 23:59:59 EDT: the day ended 23 hours after it began
      '2026-03-09T04:00:00Z', // 03-09 00:00:00 EDT
    ];
    for (const [i, p] of people.entries())
      await env.ctx.db.execute(
        sql`update accounts set created_at = ${at[i]}::timestamptz where lower(username) = lower(${p.username})`,
      );
    const op = await staffWith(env, ['training-operator']);
    const res = await op.get('/api/admin/dashboard?from=2026-03-07&to=2026-03-09');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().days.map((d: { day: string; registrations: number }) => [d.day, d.registrations])).toEqual([
      ['2026-03-07', 1],
      ['2026-03-08', 3],
      ['2026-03-09', 1],
    ]);
    const oneDay = (await op.get('/api/admin/dashboard?from=2026-03-08&to=2026-03-08')).json();
    expect(oneDay.kpis.registrations).toBe(3);
  });
});
