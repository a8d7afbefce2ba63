import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { publicUrl, staffUrl } from '../../browser.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const LINKS = ['apps/web/dist', 'apps/server/dist', 'packages/shared/dist'];
const links = () => LINKS.map((l) => fs.readlinkSync(path.join(ROOT, l)));

/** The build folders a live process marked in use (apps/server/src/lib/build-in-use.ts): what the server runs. */
function inUse(): string[] {
  return LINKS.flatMap((link) => {
    const dir = path.join(ROOT, path.dirname(link));
    return fs
      .readdirSync(dir)
      .filter((n) => n.startsWith(`${path.basename(link)}.`))
      .map((n) => path.join(dir, n))
      .filter((folder) => {
        const markers = path.join(folder, '.in-use');
        if (!fs.existsSync(markers)) return false;
        return fs.readdirSync(markers).some((pid) => {
          try {
            process.kill(Number(pid), 0);
            return true;
          } catch {
            return false;
          }
        });
      });
  });
}

function build(...args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), ...args], { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/**
 * The production runtime (issue 22 §1), on what `npm run build` made before these specs: the server these specs
 * talk to is the compiled one (e2e/global-setup.ts), a second build with nothing changed builds nothing, and a build
 * beside the running instance never leaves it answering from a half-written folder.
 */
describe('npm start after a build', () => {
  it('runs the compiled server: JavaScript with source maps, no TypeScript beside it', () => {
    const dist = path.join(ROOT, 'apps/server/dist');
    expect(fs.existsSync(path.join(dist, 'server.js'))).toBe(true);
    expect(fs.existsSync(path.join(dist, 'server.js.map'))).toBe(true);
    expect(fs.readdirSync(path.join(dist, 'db/migrations')).some((f) => f.endsWith('.sql'))).toBe(true);
    const ts = fs.readdirSync(dist, { recursive: true }).filter((f) => String(f).endsWith('.ts'));
    expect(ts).toEqual([]);
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.serve).not.toMatch(/tsx/);
  });

  it('builds nothing the second time when nothing changed', async () => {
    const before = links();
    const { code, out } = await build();
    expect(code, out).toBe(0);
    expect(out).toMatch(/构建已是最新（[0-9a-f]{12}），跳过构建/);
    expect(links()).toEqual(before);
  });

  it('keeps answering from its own build while a build runs beside it; the new build is switched to when whole', async () => {
    const before = links();
    const served = inUse();
    expect(served.length, 'the running server marks its server and web builds').toBeGreaterThanOrEqual(2);
    const index = await (await fetch(`${publicUrl()}/`)).text();
    const asset = /\/assets\/[^"]+\.js/.exec(index)?.[0] as string;
    expect(asset).toBeTruthy();
    const urls = [`${publicUrl()}/`, `${publicUrl()}/login`, `${publicUrl()}${asset}`, `${staffUrl()}/`];
    const failures: string[] = [];
    let requests = 0;
    let building = true;
    const poll = (async () => {
      while (building) {
        for (const url of urls) {
          const res = await fetch(url).catch((err: Error) => ({ status: err.message }) as { status: number | string });
          requests++;
          if (res.status !== 200) failures.push(`${url} → ${res.status}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const { code, out } = await build('--force');
    building = false;
    await poll;
    expect(code, out).toBe(0);
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(20);
    const after = links();
    // A forced build of the same inputs is a new folder; the one before it — which the running instance serves
    // until it is restarted — is kept.
    for (const [i, link] of LINKS.entries()) {
      expect(after[i]).not.toBe(before[i]);
      expect(fs.existsSync(path.join(ROOT, path.dirname(link), before[i] as string))).toBe(true);
    }
    expect((await fetch(`${publicUrl()}${asset}`)).status).toBe(200);

    // Two builds later the folders the running instance started from are still there: it marked them in use.
    const again = await build('--force');
    expect(again.code, again.out).toBe(0);
    for (const folder of served) expect(fs.existsSync(folder), folder).toBe(true);
    for (const url of urls) expect((await fetch(url)).status, url).toBe(200);
  });
});
