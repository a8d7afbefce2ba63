import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPublicApp, buildStaffApp } from '../../src/app.js';
import { createTestEnv } from '../harness.js';

/**
 * Issue 22 §4: the demo banner, the header and the footer moved every page down when /api/site answered (CLS 0.07 on
 * 我的证书). The server now writes the branding into index.html; the web apps draw it in their first render. Here
 * with a configured name that tries to close the script element.
 */
const web = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-web-site-'));
for (const app of ['portal', 'console']) {
  fs.mkdirSync(path.join(web, app), { recursive: true });
  fs.writeFileSync(
    path.join(web, app, 'index.html'),
    `<!doctype html><html><head>\n<meta name="cpe-time-zone" content="Asia/Shanghai" />\n<title>${app}</title>\n</head><body><div id="root"></div></body></html>`,
  );
}
afterAll(() => fs.rmSync(web, { recursive: true, force: true }));

const NAME = '某市人社局</script><script>alert(1)</script>\u2028&';
const env = await createTestEnv({ WEB_DIST_DIR: web, BRAND_NAME: NAME, HOTLINE: '0000-1234567' });
const apps = {
  portal: await buildPublicApp(env.ctx, { logLevel: 'silent', serveWeb: true }),
  console: await buildStaffApp(env.ctx, { logLevel: 'silent', serveWeb: true }),
};
afterAll(() => Promise.all(Object.values(apps).map((a) => a.close())));

const embedded = (html: string) => {
  const m = /<script type="application\/json" id="cpe-site">([^<]*)<\/script>/.exec(html);
  expect(m, 'index.html carries the site script').not.toBeNull();
  return JSON.parse(m?.[1] as string) as unknown;
};

describe('index.html carries the site configuration', () => {
  it.each(['/', '/index.html', '/login', '/certificates?tab=seminar'])(
    'as /api/site answers it, in both web apps (%s)',
    async (url) => {
      for (const app of Object.values(apps)) {
        const site = await app.inject({ method: 'GET', url: '/api/site' });
        expect(site.statusCode).toBe(200);
        expect(site.json().name).toBe(NAME);
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode).toBe(200);
        expect(embedded(res.body)).toEqual(site.json());
        // Once, in the head, and no configured text closes the element or starts another script.
        expect(res.body.match(/id="cpe-site"/g)).toHaveLength(1);
        expect(res.body.indexOf('id="cpe-site"')).toBeLessThan(res.body.indexOf('</head>'));
        expect(res.body).not.toContain('<script>alert');
        expect(res.body.match(/<script/g)).toHaveLength(1);
      }
    },
  );
});
