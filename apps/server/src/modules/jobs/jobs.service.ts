import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { jobs } from '../../db/schema/index.js';
import type { Clock } from '../../lib/clock.js';
import { loggableMessage } from '../../lib/loggable-error.js';

export type JobRow = typeof jobs.$inferSelect;
export type JobHandler = (payload: Record<string, unknown>, job: JobRow) => Promise<void>;

/** Backoff between attempts: 5 s, 15 s, 45 s … capped at 30 min. */
const backoffMs = (attempt: number) => Math.min(5_000 * 3 ** (attempt - 1), 30 * 60_000);

/**
 * A small job queue in the database (one table, rows claimed with SKIP LOCKED), chosen over pg-boss because
 * it needs no adapter for PGlite and the work here is light: invoices, refunds, order expiry, the demo
 * gateway's notifications. A job is enqueued in the caller's transaction, so it exists exactly when the
 * change that asked for it committed. Handlers must be idempotent: a crash between the work and `done`
 * runs the job again.
 */
export function createJobs(deps: { db: Db; clock: Clock; log?: (msg: string, err?: unknown) => void }) {
  const { db, clock } = deps;
  const handlers = new Map<string, JobHandler>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  const periodic: Array<{ kind: string; everyMs: number; last: number }> = [];

  async function claim(): Promise<JobRow | undefined> {
    const now = clock.now();
    return db.transaction(async (tx) => {
      const row = (
        await tx
          .select()
          .from(jobs)
          .where(and(eq(jobs.status, 'queued'), lte(jobs.runAt, now)))
          .orderBy(asc(jobs.runAt))
          .limit(1)
          .for('update', { skipLocked: true })
      )[0];
      if (!row) return undefined;
      // Claimed by pushing run_at ahead: a crashed worker's job comes back after this lease.
      await tx
        .update(jobs)
        .set({ runAt: new Date(now.getTime() + 5 * 60_000), attempts: row.attempts + 1, updatedAt: now })
        .where(eq(jobs.id, row.id));
      return { ...row, attempts: row.attempts + 1 };
    });
  }

  async function runOne(job: JobRow): Promise<void> {
    const handler = handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler for job ${job.kind}`);
      await handler(job.payload as Record<string, unknown>, job);
      await db.update(jobs).set({ status: 'done', updatedAt: clock.now(), lastError: null }).where(eq(jobs.id, job.id));
    } catch (err) {
      const failed = job.attempts >= job.maxAttempts;
      deps.log?.(`job ${job.kind} ${job.id} attempt ${job.attempts} failed`, err);
      await db
        .update(jobs)
        .set({
          status: failed ? 'failed' : 'queued',
          runAt: new Date(clock.now().getTime() + backoffMs(job.attempts)),
          // Kept in the jobs table: a refused query's values (an SMS job's phone) stay out of it.
          lastError: loggableMessage(err).slice(0, 1000),
          updatedAt: clock.now(),
        })
        .where(eq(jobs.id, job.id));
    }
  }

  /** Runs every due job once (and the periodic ones that are due); returns how many ran. */
  async function runDue(limit = 100): Promise<number> {
    const now = clock.now().getTime();
    for (const p of periodic)
      if (now - p.last >= p.everyMs) {
        p.last = now;
        await enqueue(db, p.kind, {});
      }
    let n = 0;
    for (; n < limit; n++) {
      const job = await claim();
      if (!job) break;
      await runOne(job);
      // PGlite never yields inside a loop of awaited queries: let signals and requests in.
      await new Promise((r) => setImmediate(r));
    }
    return n;
  }

  async function enqueue(ex: Executor, kind: string, payload: Record<string, unknown>, runAt?: Date, maxAttempts = 8) {
    await ex.insert(jobs).values({ kind, payload, runAt: runAt ?? clock.now(), maxAttempts });
  }

  /** Many jobs of one kind in one INSERT (a roster batch notifies hundreds of people at once). */
  async function enqueueMany(ex: Executor, kind: string, payloads: Array<Record<string, unknown>>, maxAttempts = 8) {
    if (payloads.length === 0) return;
    const runAt = clock.now();
    await ex.insert(jobs).values(payloads.map((payload) => ({ kind, payload, runAt, maxAttempts })));
  }

  return {
    register(kind: string, handler: JobHandler) {
      handlers.set(kind, handler);
    },
    /** A job enqueued every `everyMs` while the worker runs (e.g. the order-expiry sweep). */
    every(kind: string, everyMs: number) {
      periodic.push({ kind, everyMs, last: 0 });
    },
    enqueue,
    enqueueMany,
    runDue,
    /** Polls for due jobs until stopped (the server starts it; tests call runDue themselves). */
    start(intervalMs = 500) {
      const tick = async () => {
        running = runDue().catch((err) => {
          deps.log?.('job loop failed', err);
          return 0;
        });
        await running;
        if (timer) timer = setTimeout(tick, intervalMs);
      };
      timer = setTimeout(tick, intervalMs);
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
    async counts() {
      const rows = await db
        .select({ kind: jobs.kind, status: jobs.status, n: sql<number>`count(*)::int` })
        .from(jobs)
        .groupBy(jobs.kind, jobs.status);
      return rows;
    },
  };
}
export type Jobs = ReturnType<typeof createJobs>;
