/**
 * A second `npm start` (issue 22 §1): the time to ready and the idle memory of the compiled server (what `npm start`
 * runs) side by side with the same server through the tsx loader (what ran before), on one PGlite data folder that
 * already holds the demo data; the compiled server once more on PostgreSQL when BENCH_DATABASE_URL is set (a scratch
 * database, dropped afterwards), which shows PGlite's own share of the memory; and the build check `npm start` does
 * first. Needs `npm run build`. Alone: node --import tsx bench/startup.ts (BENCH_STARTS runs per variant, default 3).
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type RunningServer, startServer } from '../apps/server/test/process/server-process.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_STARTS ?? 3);

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}
interface Sample {
  readyMs: number;
  /** The server's own figures (MB), logged 10 s after the start. */
  memory: Memory;
  /** Phases of the start (ms since the process began), from the `started in` line. */
  phases: Record<string, number>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** The JSON log line of the server whose message is `msg`. */
function logged(server: RunningServer, msg: RegExp): Record<string, unknown> | undefined {
  for (const line of server.output().split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string };
    if (entry.msg && msg.test(entry.msg)) return entry;
  }
  return undefined;
}

async function sample(env: Record<string, string>, compiled: boolean): Promise<Sample> {
  const started = performance.now();
  const server = await startServer({ LOG_LEVEL: 'info', ...env }, { compiled });
  try {
    const res = await fetch(`${server.publicUrl}/readyz`);
    if (!res.ok) throw new Error(`readyz ${res.status}`);
    const readyMs = performance.now() - started;
    let idle: Record<string, unknown> | undefined;
    for (let i = 0; i < 150 && !idle; i++) {
      await new Promise((r) => setTimeout(r, 100));
      idle = logged(server, /^memory 10 s after start$/);
    }
    if (!idle) throw new Error(`no memory line:\n${server.output()}`);
    const start = logged(server, /^started in /) as { phases: Record<string, number> };
    return { readyMs, memory: idle.memoryMb as Memory, phases: start.phases };
  } finally {
    await server.stop('SIGINT');
  }
}

async function variant(name: string, dirs: Record<string, string>, compiled: boolean, runs: number) {
  // Each start listens on new ports; PUBLIC_URL stays what `npm start` has, as the demo seed's record of what it made
  // names it (a new address seeds again).
  const env = { PUBLIC_URL: 'http://localhost:3000', ...dirs };
  // The first start creates the database and the demo data; every measured start is a second start.
  await (await startServer(env, { compiled })).stop('SIGINT');
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await sample(env, compiled));
  const m = (f: (s: Sample) => number) => median(samples.map(f));
  const phases = Object.keys(samples[0]?.phases ?? {}).map((k) => `${k} ${m((s) => s.phases[k] ?? 0)}`);
  console.log(
    `${name.padEnd(22)} ready ${m((s) => s.readyMs).toFixed(0)} ms; 10 s after: RSS ${m((s) => s.memory.rss)} MB, ` +
      `heap ${m((s) => s.memory.heapUsed)} MB, external ${m((s) => s.memory.external)} MB ` +
      `(array buffers ${m((s) => s.memory.arrayBuffers)} MB)`,
  );
  console.log(`${''.padEnd(22)} phases (ms since the process began): ${phases.join(', ')}`);
  return { readyMs: m((s) => s.readyMs), rss: m((s) => s.memory.rss), external: m((s) => s.memory.external) };
}

export async function benchStartup() {
  if (!fs.existsSync(path.join(ROOT, 'apps/server/dist/server.js'))) throw new Error('run npm run build first');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-bench-start-'));
  const pgUrl = process.env.BENCH_DATABASE_URL;
  const scratch = `cpe_bench_start_${crypto.randomBytes(4).toString('hex')}`;
  const admin = pgUrl ? new pg.Client({ connectionString: pgUrl }) : undefined;
  try {
    const t0 = performance.now();
    const check = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    const buildCheckMs = performance.now() - t0;
    if (!check.stdout.includes('构建已是最新')) throw new Error(`the build was not up to date:\n${check.stdout}`);

    console.log('\n== second start (demo data), median of', RUNS);
    console.log(`build check (npm start, nothing changed): ${buildCheckMs.toFixed(0)} ms`);
    const compiled = await variant('compiled, PGlite', { DATA_DIR: dataDir }, true, RUNS);
    const tsx = await variant('tsx (source), PGlite', { DATA_DIR: fs.mkdtempSync(`${dataDir}-tsx-`) }, false, RUNS);
    console.log(
      `ratio compiled/tsx: ready ${(compiled.readyMs / tsx.readyMs).toFixed(2)}, RSS ${(compiled.rss / tsx.rss).toFixed(2)}`,
    );
    if (admin && pgUrl) {
      await admin.connect();
      await admin.query(`create database ${scratch}`);
      const u = new URL(pgUrl);
      u.pathname = `/${scratch}`;
      const onPg = await variant(
        'compiled, PostgreSQL',
        { DATA_DIR: fs.mkdtempSync(`${dataDir}-pg-`), DATABASE_URL: u.toString() },
        true,
        RUNS,
      );
      console.log(
        `PGlite's share: RSS ${compiled.rss - onPg.rss} MB more than on PostgreSQL ` +
          `(its WebAssembly memory, in external: ${compiled.external} MB vs ${onPg.external} MB)`,
      );
    }
  } finally {
    if (admin && pgUrl) {
      await admin.query(`drop database if exists ${scratch} with (force)`).catch(() => {});
      await admin.end();
    }
    for (const d of fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(path.basename(dataDir)))) {
      fs.rmSync(path.join(os.tmpdir(), d), { recursive: true, force: true });
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchStartup();
