import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPublicApp, buildStaffApp } from '../../src/app.js';
import { createTestEnv } from '../harness.js';

/**
 * How both listeners serve their built web app (one wildcard route over the build's folder, issue 22): the app's
 * client-side routes get index.html, never cached; hashed assets are cached for a year and sent pre-compressed; a
 * missing asset or API path is a JSON 404, never index.html; nothing outside the build's folder is reachable.
 */
const web = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-web-'));
const asset = 'index-Ab12Cd34.js';
const script = `console.log(${JSON.stringify('门户'.repeat(200))});`;
for (const app of ['portal', 'console']) {
  fs.mkdirSync(path.join(web, app, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(web, app, 'index.html'), `<!doctype html><title>${app}</title>`);
  fs.writeFileSync(path.join(web, app, 'assets', asset), script);
  fs.writeFileSync(path.join(web, app, 'assets', `${asset}.br`), zlib.brotliCompressSync(script));
}
fs.writeFileSync(path.join(web, 'secret.txt'), 'not part of any app');
afterAll(() => fs.rmSync(web, { recursive: true, force: true }));

const env = await createTestEnv({ WEB_DIST_DIR: web });
const apps = {
  portal: await buildPublicApp(env.ctx, { logLevel: 'silent', serveWeb: true }),
  console: await buildStaffApp(env.ctx, { logLevel: 'silent', serveWeb: true }),
};
afterAll(() => Promise.all(Object.values(apps).map((a) => a.close())));

describe.each(Object.keys(apps) as Array<keyof typeof apps>)('the %s listener', (name) => {
  const app = apps[name];
  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

  it.each(['/', '/index.html', '/login', '/gxkm/2026', '/some/deep/route?x=1'])(
    '%s is the app (index.html, revalidated every time)',
    async (url) => {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toBe(`<!doctype html><title>${name}</title>`);
    },
  );

  it('a hashed asset is cached for a year and sent brotli-compressed to a browser that accepts it', async () => {
    const br = await get(`/assets/${asset}`, { 'accept-encoding': 'br, gzip' });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(script);
    const plain = await get(`/assets/${asset}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
    const head = await app.inject({ method: 'HEAD', url: `/assets/${asset}` });
    expect(head.statusCode).toBe(200);
  });

  it.each(['/assets/index-gone0000.js', '/assets/', '/api/no-such-route'])(
    '%s is a JSON 404, not the app',
    async (url) => {
      const res = await get(url);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('ROUTE_NOT_FOUND');
    },
  );

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt'])(
    '%s does not leave the build folder',
    async (url) => {
      const res = await get(url);
      expect(res.body).not.toContain('not part of any app');
      expect(res.statusCode).not.toBe(500);
    },
  );
});
