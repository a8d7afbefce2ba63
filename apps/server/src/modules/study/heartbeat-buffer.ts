import type { ProgressBeatRow, SessionBeatRow } from './study.repo.js';

export interface BeatBatch {
  sessions: SessionBeatRow[];
  progress: ProgressBeatRow[];
}

/**
 * Heartbeats are written in batches: each session's and chapter's latest state waits here (one entry per key,
 * the newest wins) and a flush writes all of them as one statement per table, at most `delayMs` after the first
 * change. One UPDATE per heartbeat made PGlite the bottleneck (790 req/s vs 8,209 batched, notes/database.md).
 * A crash loses at most the last `delayMs` of beats: with the player beating every 15 s, at most one per learner,
 * and the next beat after a restart is credited from the last persisted one, so the time is not lost either.
 */
export function createHeartbeatBuffer(opts: {
  write: (batch: BeatBatch) => Promise<void>;
  delayMs?: number;
  onError?: (err: unknown) => void;
}) {
  const delayMs = opts.delayMs ?? 500;
  let sessions = new Map<string, SessionBeatRow>();
  let progress = new Map<string, ProgressBeatRow>();
  let timer: NodeJS.Timeout | undefined;
  /** Flushes run one after another so a later state is never overwritten by an earlier one. */
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;

  const progressKey = (r: { enrollmentId: string; chapterId: string }) => `${r.enrollmentId}:${r.chapterId}`;

  function schedule() {
    if (timer || stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      flush().catch((err) => opts.onError?.(err));
    }, delayMs);
    timer.unref();
  }

  async function flushOnce(): Promise<void> {
    if (!sessions.size && !progress.size) return;
    const batch: BeatBatch = { sessions: [...sessions.values()], progress: [...progress.values()] };
    sessions = new Map();
    progress = new Map();
    try {
      await opts.write(batch);
    } catch (err) {
      // Put the rows back unless a newer state for the same key arrived meanwhile, and try again later.
      for (const r of batch.sessions) if (!sessions.has(r.id)) sessions.set(r.id, r);
      for (const r of batch.progress) if (!progress.has(progressKey(r))) progress.set(progressKey(r), r);
      schedule();
      throw err;
    }
  }

  function flush(): Promise<void> {
    const next = chain.then(flushOnce);
    chain = next.catch(() => {});
    return next;
  }

  return {
    session(row: SessionBeatRow) {
      sessions.set(row.id, row);
      schedule();
    },
    progress(row: ProgressBeatRow) {
      progress.set(progressKey(row), row);
      schedule();
    },
    flush,
    /** Rows waiting to be written (for tests and the shutdown log). */
    pending() {
      return sessions.size + progress.size;
    },
    /** Writes what is waiting and stops scheduling (server shutdown). */
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await flush();
    },
    /**
     * Forgets what is waiting for these sessions: another instance took them over from the database and
     * goes on from there, so this instance's older state must not be written after theirs.
     */
    forget(sessionIds: readonly string[]) {
      const ids = new Set(sessionIds);
      for (const id of ids) sessions.delete(id);
      for (const [key, r] of progress) if (ids.has(r.sessionId)) progress.delete(key);
    },
    /** Forgets what is waiting without writing it: what a crash does (tests simulate one with this). */
    discard() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      sessions = new Map();
      progress = new Map();
    },
  };
}
export type HeartbeatBuffer = ReturnType<typeof createHeartbeatBuffer>;
