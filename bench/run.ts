/**
 * npm run bench — measured side by side in one run on this machine:
 *   1. a bare Fastify route (the ceiling of the HTTP stack),
 *   2. an authenticated GET /api/me of the public app (session cookie → session → profile),
 * both on embedded PGlite, and on PostgreSQL too when BENCH_DATABASE_URL is set.
 * Prints requests/s, latency, and the ratio of (2) to (1). Target ratio ≥ 0.5.
 * Then the review list at volume (units-list.ts): 1,000,000 accounts, 100,000 units, p50/p95 per query.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { buildPublicApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config.js';
import { createContext } from '../apps/server/src/context.js';
import { openDatabase } from '../apps/server/src/db/client.js';
import { sessionCsrfToken } from '../apps/server/src/http/csrf.js';
import { seedDemoData } from '../apps/server/src/seed.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function measure(name: string, url: string, headers: Record<string, string> = {}): Promise<Result> {
  // A short warm-up so JIT and caches are in the state a running server is in.
  await autocannon({ url, connections: 10, duration: 1, headers });
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  return {
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

async function bareFastify(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = Fastify({ logger: false });
  app.get('/bare', async () => ({
    id: '00000000-0000-0000-0000-000000000000',
    username: 'zhangsan',
    realName: '张三',
  }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/bare`, close: () => app.close() };
}

async function platform(databaseUrl?: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-bench-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl ?? '' });
  const database = await openDatabase({ databaseUrl, dataDir: databaseUrl ? undefined : path.join(dataDir, 'pglite') });
  await database.migrate();
  const ctx = createContext({ config, database });
  await seedDemoData(ctx);
  const app = await buildPublicApp(ctx, { logLevel: 'silent' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  // A real session, created the way login creates one (the slider is for people, not for benchmarks).
  const account = await ctx.auth.findAccount('zhangsan');
  if (!account) throw new Error('demo account missing');
  const session = await ctx.sessions.create(ctx.db, { realm: 'public', principalId: account.id, ip: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}/api/me`;
  // A browser holds both cookies: the session and the CSRF cookie issued on its first visit.
  const cookie = `cpe_sid=${session.token}; cpe_csrf=${sessionCsrfToken(config.sessionSecret, 'public', session.token)}`;
  const check = await fetch(url, { headers: { cookie } });
  if (check.status !== 200 || check.headers.get('set-cookie')) throw new Error(`GET /api/me answered ${check.status}`);
  return {
    url,
    headers: { cookie },
    close: async () => {
      await app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function row(r: Result, base?: Result): string {
  const ratio = base ? (r.rps / base.rps).toFixed(2) : '1.00';
  return `| ${r.name} | ${Math.round(r.rps).toLocaleString('en')} | ${r.p50} ms | ${r.p99} ms | ${r.errors + r.non2xx} | ${ratio} |`;
}

const bare = await bareFastify();
const targets: Array<[string, string | undefined]> = [['PGlite', undefined]];
if (process.env.BENCH_DATABASE_URL) targets.push(['PostgreSQL', process.env.BENCH_DATABASE_URL]);

console.log(
  `autocannon: ${CONNECTIONS} connections, ${DURATION} s per route, client and server on the same ${os.cpus().length} cores\n`,
);
console.log('| route | req/s | p50 | p99 | errors | ratio to bare |');
console.log('| --- | --- | --- | --- | --- | --- |');
let worst = Number.POSITIVE_INFINITY;
for (const [label, url] of targets) {
  const p = await platform(url);
  // Bare and ours alternate so both see the same machine state.
  const base = await measure('bare Fastify GET', bare.url);
  const me = await measure(`GET /api/me (authenticated, ${label})`, p.url, p.headers);
  console.log(row(base));
  console.log(row(me, base));
  worst = Math.min(worst, me.rps / base.rps);
  await p.close();
}
await bare.close();
console.log(
  `\nratio (authenticated /api/me ÷ bare route): ${worst.toFixed(2)} — target ≥ 0.50: ${worst >= 0.5 ? 'met' : 'NOT met'}`,
);

// The volume benchmarks, in the same run (each can be skipped when only the throughput matters).
if (process.env.BENCH_SKIP_UNITS !== 'true') await (await import('./units-list.js')).benchUnitsList();
if (process.env.BENCH_SKIP_PURCHASE !== 'true') await (await import('./purchase.js')).benchPurchase();
if (process.env.BENCH_SKIP_ROSTER !== 'true') await (await import('./roster.js')).benchRoster();
if (process.env.BENCH_SKIP_STUDY !== 'true') await (await import('./study.js')).benchStudy();
if (process.env.BENCH_SKIP_CERTS !== 'true') await (await import('./certificates.js')).benchCertificates();
if (process.env.BENCH_SKIP_TRAINEES !== 'true') await (await import('./trainees.js')).benchTrainees();
if (process.env.BENCH_SKIP_BOMBS !== 'true') await (await import('./spreadsheet-bombs.js')).benchSpreadsheetBombs();
if (process.env.BENCH_SKIP_STARTUP !== 'true') await (await import('./startup.js')).benchStartup();
if (process.env.BENCH_SKIP_CREDIT_IMPORT !== 'true') await (await import('./credit-import.js')).benchCreditImport();
// Last: it seeds 10 million entries (~15 minutes with PostgreSQL).
if (process.env.BENCH_SKIP_CREDITS !== 'true') await (await import('./credits-scale.js')).benchCreditsScale();
