/**
 * 课程培训 heartbeats under load: BENCH_STUDY_LEARNERS (default 200) learners, each with a signed-in portal session
 * and an open study session, send heartbeats over BENCH_CONNECTIONS (default 50) connections as fast as the machine
 * allows, through the real public app (session cookie → session → heartbeat rules → buffered, batched persistence),
 * beside a bare Fastify POST route in the same run, and an authenticated GET /api/me of the same learners for
 * reference. Target: heartbeat req/s ≥ 0.6 × bare. At the end the buffer is flushed and every session's row checked.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { and, eq, gt, inArray } from 'drizzle-orm';
import Fastify from 'fastify';
import { buildPublicApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config.js';
import { createContext } from '../apps/server/src/context.js';
import { openDatabase } from '../apps/server/src/db/client.js';
import {
  accounts,
  chapterProgress,
  courseChapters,
  courses,
  enrollments,
  planCourses,
  studySessions,
  trainingPlans,
} from '../apps/server/src/db/schema/index.js';

const LEARNERS = Number(process.env.BENCH_STUDY_LEARNERS ?? 200);
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Math.min(LEARNERS, Number(process.env.BENCH_CONNECTIONS ?? 50));
const CSRF = 'bench-csrf-token-0000000000000000';

interface Learner {
  cookie: string;
  sessionId: string;
}

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/**
 * CONNECTIONS keep-alive connections (as a proxy's pool would) carry the heartbeats of all learners in turn; each
 * learner's position creeps forward like a playing video.
 */
async function load(
  url: string,
  learners: Array<{ path: string; headers: Record<string, string> }>,
  seconds: number,
  method: 'POST' | 'GET' = 'POST',
): Promise<Measured> {
  let next = 0;
  const positions = learners.map(() => 0);
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method,
        setupRequest: (req) => {
          const i = next++ % learners.length;
          positions[i] = (positions[i] ?? 0) + 0.01;
          const l = learners[i] as (typeof learners)[number];
          if (method === 'GET') return { ...req, method, path: l.path, headers: l.headers };
          return {
            ...req,
            path: l.path,
            headers: { ...l.headers, 'content-type': 'application/json' },
            body: JSON.stringify({ position: Math.round((positions[i] ?? 0) * 100) / 100, playing: true, rate: 1 }),
          };
        },
      },
    ],
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

async function bareRoute() {
  const app = Fastify({ logger: false });
  app.post('/bare/:id', async () => ({
    creditedSeconds: 0,
    creditedNow: 0,
    maxPosition: 0,
    chapterComplete: false,
    seekTo: null,
    check: null,
    videoUrl: null,
    videoExpiresAt: null,
    voidedSeconds: 0,
  }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

async function platform(databaseUrl?: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-bench-study-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl ?? '' });
  const database = await openDatabase({ databaseUrl, dataDir: databaseUrl ? undefined : path.join(dataDir, 'pglite') });
  await database.migrate();
  const ctx = createContext({ config, database });
  const db = ctx.db;
  const now = new Date();
  const [plan] = await db
    .insert(trainingPlans)
    .values({
      name: '压测公需科目',
      year: now.getUTCFullYear(),
      priceFen: 12_000,
      requiredHours: 30,
      saleFrom: new Date(now.getTime() - 86_400_000),
      saleTo: new Date(now.getTime() + 86_400_000),
      published: true,
    })
    .returning();
  const [course] = await db.insert(courses).values({ title: '压测课程', hours: 30 }).returning();
  if (!plan || !course) throw new Error('fixture rows missing');
  await db.insert(planCourses).values({ planId: plan.id, courseId: course.id, position: 1 });
  const [chapter] = await db
    .insert(courseChapters)
    .values({ courseId: course.id, title: '第一章', position: 1, durationSeconds: 3600 })
    .returning();
  if (!chapter) throw new Error('chapter missing');

  const run = crypto.randomBytes(3).toString('hex');
  const people = await db
    .insert(accounts)
    .values(
      Array.from({ length: LEARNERS }, (_, i) => ({
        username: `bench${run}${i}`,
        // Never used to sign in: the sessions below are created directly.
        passwordHash: 'x',
        realName: '压测学员',
        idNumberHash: ctx.pii.lookupHash(`bench-${run}-${i}`),
        idNumberEnc: ctx.pii.encrypt(`bench-${run}-${i}`),
      })),
    )
    .returning({ id: accounts.id });
  await db
    .insert(enrollments)
    .values(people.map((p) => ({ accountId: p.id, planId: plan.id, orderId: crypto.randomUUID() })));

  const app = await buildPublicApp(ctx, { logLevel: 'silent' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  const base = `http://127.0.0.1:${port}`;
  const learners: Learner[] = [];
  for (const p of people) {
    const s = await ctx.sessions.create(db, { realm: 'public', principalId: p.id, ip: '127.0.0.1' });
    const cookie = `cpe_sid=${s.token}; cpe_csrf=${CSRF}`;
    const res = await fetch(`${base}/api/study/sessions`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': CSRF, 'content-type': 'application/json' },
      body: JSON.stringify({ planId: plan.id, chapterId: chapter.id }),
    });
    if (res.status !== 200) throw new Error(`start answered ${res.status}: ${await res.text()}`);
    learners.push({ cookie, sessionId: ((await res.json()) as { sessionId: string }).sessionId });
  }
  const startedAt = new Date();
  return {
    base,
    learners,
    /** Flushes the buffer and counts the sessions whose beats reached the database. */
    async verify() {
      const pending = ctx.study.buffer.pending();
      await ctx.study.stop();
      const ids = learners.map((l) => l.sessionId);
      const beaten = await db
        .select({ id: studySessions.id })
        .from(studySessions)
        .where(and(inArray(studySessions.id, ids), gt(studySessions.lastBeatAt, startedAt)));
      const progress = await db
        .select({ id: chapterProgress.accountId })
        .from(chapterProgress)
        .where(and(eq(chapterProgress.chapterId, chapter.id), gt(chapterProgress.updatedAt, startedAt)));
      return { pending, sessions: beaten.length, progress: progress.length };
    },
    close: async () => {
      await app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function benchStudy() {
  const targets: Array<[string, string | undefined]> = [['PGlite', undefined]];
  if (process.env.BENCH_DATABASE_URL) targets.push(['PostgreSQL', process.env.BENCH_DATABASE_URL]);
  const bare = await bareRoute();
  console.log(
    `\n课程培训 heartbeats: ${LEARNERS} learners with open study sessions over ${CONNECTIONS} connections, ${DURATION} s per route, autocannon on the same ${os.cpus().length} cores\n`,
  );
  console.log('| route | req/s | p50 | p99 | errors | ratio to bare | rows flushed |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  let worst = Number.POSITIVE_INFINITY;
  for (const [label, url] of targets) {
    const p = await platform(url);
    const bareLearners = p.learners.map((l) => ({ path: `/bare/${l.sessionId}`, headers: { cookie: l.cookie } }));
    const ours = p.learners.map((l) => ({
      path: `/api/study/sessions/${l.sessionId}/heartbeat`,
      headers: { cookie: l.cookie, 'x-csrf-token': CSRF },
    }));
    // Warm-up, then bare and ours back to back so both see the same machine state.
    await load(bare.url, bareLearners, 1);
    await load(p.base, ours, 1);
    const b = await load(bare.url, bareLearners, DURATION);
    const h = await load(p.base, ours, DURATION);
    // For reference: the same learners' authenticated GET /api/me (session and profile from the 5 s caches).
    const me = await load(
      p.base,
      p.learners.map((l) => ({ path: '/api/me', headers: { cookie: l.cookie } })),
      DURATION,
      'GET',
    );
    const v = await p.verify();
    const ratio = h.rps / b.rps;
    worst = Math.min(worst, ratio);
    const fmt = (name: string, m: Measured, r: string, rows: string) =>
      `| ${name} | ${Math.round(m.rps).toLocaleString('en')} | ${m.p50} ms | ${m.p99} ms | ${m.errors + m.non2xx} | ${r} | ${rows} |`;
    console.log(fmt('bare Fastify POST', b, '1.00', '—'));
    console.log(
      fmt(
        `POST …/heartbeat (${label})`,
        h,
        ratio.toFixed(2),
        `${v.sessions}/${LEARNERS} sessions, ${v.progress}/${LEARNERS} progress (${v.pending} waiting at the end)`,
      ),
    );
    console.log(fmt(`GET /api/me, same learners (${label}, reference)`, me, (me.rps / b.rps).toFixed(2), '—'));
    if (v.sessions !== LEARNERS || v.progress !== LEARNERS) console.log(`  NOT all heartbeats reached ${label}`);
    await p.close();
  }
  await bare.close();
  console.log(
    `\nratio (heartbeat ÷ bare route): ${worst.toFixed(2)} — target ≥ 0.60: ${worst >= 0.6 ? 'met' : 'NOT met'}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchStudy();
