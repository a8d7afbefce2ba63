/**
 * A second `npm start` (issue 22 §1): the time to ready and the resident memory of the compiled server (what
 * `npm start` runs) side by side with the same server through the tsx loader (what ran before), on one PGlite data
 * folder that already holds the demo data, plus the build check `npm start` does first. Needs `npm run build`.
 * Alone: node --import tsx bench/startup.ts (BENCH_STARTS runs per variant, default 3).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../apps/server/test/process/server-process.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_STARTS ?? 3);

const rssMb = (pid: number) => {
  const line = fs
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) / 1024;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function benchStartup() {
  if (!fs.existsSync(path.join(ROOT, 'apps/server/dist/server.js'))) throw new Error('run npm run build first');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-bench-start-'));
  try {
    // The first start creates the database and the demo data; every measured start is a second start.
    await (await startServer({ DATA_DIR: dataDir }, { compiled: true })).stop('SIGINT');

    const t0 = performance.now();
    const check = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    const buildCheckMs = performance.now() - t0;
    if (!check.stdout.includes('构建已是最新')) throw new Error(`the build was not up to date:\n${check.stdout}`);

    const results: Record<string, { readyMs: number[]; rss: number[] }> = {
      compiled: { readyMs: [], rss: [] },
      tsx: { readyMs: [], rss: [] },
    };
    for (let i = 0; i < RUNS; i++) {
      for (const variant of ['compiled', 'tsx'] as const) {
        const started = performance.now();
        const server = await startServer({ DATA_DIR: dataDir }, { compiled: variant === 'compiled' });
        const res = await fetch(`${server.publicUrl}/readyz`);
        if (!res.ok) throw new Error(`readyz ${res.status}`);
        results[variant]?.readyMs.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 10_000));
        results[variant]?.rss.push(rssMb(server.child.pid as number));
        await server.stop('SIGINT');
      }
    }
    const c = results.compiled as { readyMs: number[]; rss: number[] };
    const t = results.tsx as { readyMs: number[]; rss: number[] };
    console.log('\n== second start (PGlite, demo data), median of', RUNS);
    console.log(`build check (npm start, nothing changed): ${buildCheckMs.toFixed(0)} ms`);
    console.log(
      `compiled (node dist): ready ${median(c.readyMs).toFixed(0)} ms, RSS 10 s after ${median(c.rss).toFixed(0)} MB`,
    );
    console.log(
      `tsx (source):         ready ${median(t.readyMs).toFixed(0)} ms, RSS 10 s after ${median(t.rss).toFixed(0)} MB`,
    );
    console.log(
      `ratio compiled/tsx: ready ${(median(c.readyMs) / median(t.readyMs)).toFixed(2)}, RSS ${(median(c.rss) / median(t.rss)).toFixed(2)}`,
    );
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchStartup();
