import crypto from 'node:crypto';
import {
  STUDY_CHECK_ANSWER_SECONDS,
  STUDY_COMPLETE_RATIO,
  STUDY_MAX_RATE,
  type TStudyAnswerResult,
  type TStudyCheck,
  type TStudyCourse,
  type TStudyCourseDetail,
  type TStudyCourseList,
  type TStudyCoursesQuery,
  type TStudyHeartbeat,
  type TStudyHeartbeatResult,
  type TStudyPlan,
  type TStudySession,
  type TStudyStart,
} from '@cpe/shared';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { uniqueViolation } from '../../lib/pg-errors.js';
import type { VideoTokens } from '../courses/video-token.js';
import { createHeartbeatBuffer } from './heartbeat-buffer.js';
import type { StudyRepo } from './study.repo.js';

/** Wall-clock tolerance (s) for network jitter: credit never exceeds real time by more than this per session. */
const SLACK_SECONDS = 2;
/** A position this close beyond the credited frontier is rounding, not a skip. */
const POSITION_TOLERANCE = 1;
/** A fresh video URL is handed out when the current one has less than this left. */
const VIDEO_REFRESH_MS = 2 * 60_000;
/** Sessions with no beat for this long leave memory (they are reloaded from the database when they come back). */
const IDLE_EVICT_MS = 30 * 60_000;

interface PoolQuestion {
  id?: string;
  prompt: string;
  options: string[];
  answer: number;
}

interface OpenCheck {
  id: string;
  prompt: string;
  options: string[];
  answer: number;
  deadlineAt: number;
  creditedSincePrevious: number;
}

/**
 * A study session as the heartbeat path sees it: kept in memory while the learner studies (loaded from the
 * database on a miss), validated and credited without a query, written through the heartbeat buffer.
 * Credit is in fractional seconds here and whole seconds in the database.
 */
interface Live {
  id: string;
  accountId: string;
  enrollmentId: string;
  planId: string;
  chapterId: string;
  durationSeconds: number;
  videoFileId: string | null;
  questions: PoolQuestion[];
  lastBeatAt: number;
  lastPosition: number;
  /** Unused wall time (s), at most SLACK_SECONDS: absorbs jitter between beats without ever accumulating. */
  bank: number;
  sessionCredited: number;
  chapterCredited: number;
  /** The credited frontier: the learner may not be credited for, nor seek to, anything beyond it. */
  maxPosition: number;
  chapterComplete: boolean;
  /** Credited seconds of play until the next 防挂机 question. */
  untilCheck: number;
  openCheck: OpenCheck | null;
  /** Session credit when the previous question was settled: a failed question voids what came after it. */
  baseline: number;
  ended: boolean;
  videoExpiresAt: number;
  /** Beats and answers of one session run one at a time. */
  queue: Promise<unknown>;
}

export interface StudyServiceDeps {
  db: Db;
  repo: StudyRepo;
  clock: Clock;
  videoTokens: VideoTokens;
  jobs: { enqueue(ex: Executor, kind: string, payload: Record<string, unknown>): Promise<void> };
  config: { checkMinSeconds: number; checkMaxSeconds: number; heartbeatSeconds: number };
  log?: (msg: string, err?: unknown) => void;
  /** Flush delay of the heartbeat buffer (ms). */
  flushDelayMs?: number;
  /** This app instance in `study_sessions.owner` (one per process; tests run two in one process). */
  instanceId?: string;
  /** Tells the other instances which sessions this one took over (PostgreSQL NOTIFY); none with PGlite. */
  events?: StudyEvents;
  /** Refuses (REALNAME_REQUIRED) a learner whose 实名 is not verified (人工实名审核 pending or refused). */
  assertRealnameVerified: (accountId: string) => Promise<void>;
}

export interface StudyEvents {
  publishClaimed(sessionIds: string[]): Promise<void>;
}

export function createStudyService(deps: StudyServiceDeps) {
  const { db, repo, clock } = deps;
  const logFlushFailure = (err: unknown) =>
    deps.log?.('study heartbeat flush failed; rows kept for the next flush', err);
  const instanceId = deps.instanceId ?? crypto.randomUUID();
  /**
   * Sessions whose state this instance holds. Several instances behind a load balancer share the work: whichever
   * gets a session's beat or answer without holding it takes it over from the database (`claimSession`) and tells
   * the others, who drop their copy and what of it was still waiting to be written; a write from an instance that
   * no longer holds the session is refused by the database (a NOTIFY that came late). A takeover loses at most the
   * previous holder's last beat, the same as a restart. The live channel keeps a player's beats on one instance.
   */
  const live = new Map<string, Live>();
  const buffer = createHeartbeatBuffer({
    delayMs: deps.flushDelayMs ?? 900,
    write: async (batch) => {
      const written = await db.transaction(async (tx) => {
        const ids = new Set(await repo.writeSessionBeats(tx, batch.sessions, instanceId));
        await repo.writeProgressBeats(
          tx,
          batch.progress.filter((r) => ids.has(r.sessionId)),
        );
        return ids;
      });
      // Ended (another tab started studying) or taken over by another instance: the next beat reads the database.
      for (const r of batch.sessions) if (!written.has(r.id)) live.delete(r.id);
      evictIdle();
    },
    onError: logFlushFailure,
  });

  let lastEviction = 0;
  function evictIdle() {
    const now = clock.now().getTime();
    if (now - lastEviction < 60_000) return;
    lastEviction = now;
    for (const [id, s] of live) if (s.ended || now - s.lastBeatAt > IDLE_EVICT_MS) live.delete(id);
  }

  const randomCheckDelay = () => crypto.randomInt(deps.config.checkMinSeconds, deps.config.checkMaxSeconds + 1);
  const completeAt = (duration: number) => duration * STUDY_COMPLETE_RATIO;

  function persist(s: Live) {
    const at = new Date(s.lastBeatAt);
    buffer.session({
      id: s.id,
      lastBeatAt: at,
      lastPosition: s.lastPosition,
      creditedSeconds: Math.max(0, s.sessionCredited),
      // Stored as a time relative to the last beat, so the remaining play survives a reload exactly.
      nextCheckAt: new Date(s.lastBeatAt + Math.max(0, s.untilCheck) * 1000),
    });
    buffer.progress({
      sessionId: s.id,
      enrollmentId: s.enrollmentId,
      chapterId: s.chapterId,
      creditedSeconds: s.chapterCredited,
      maxPosition: s.maxPosition,
      lastPosition: s.lastPosition,
      updatedAt: at,
    });
  }

  function serialize<T>(s: Live, fn: () => Promise<T>): Promise<T> {
    const run = s.queue.then(fn);
    s.queue = run.catch(() => {});
    return run;
  }

  const checkView = (c: OpenCheck): TStudyCheck => ({
    id: c.id,
    prompt: c.prompt,
    options: c.options,
    deadlineAt: new Date(c.deadlineAt).toISOString(),
  });

  /** The session from memory, or rebuilt from the database (another process started, or this one restarted). */
  async function load(sessionId: string): Promise<Live> {
    const cached = live.get(sessionId);
    if (cached) return cached;
    const row = await repo.claimSession(db, sessionId, instanceId);
    if (!row) throw new AppError('STUDY_SESSION_NOT_FOUND');
    if (row.endedAt) throw new AppError('STUDY_SESSION_REPLACED');
    deps.events
      ?.publishClaimed([sessionId])
      .catch((err) => deps.log?.('study takeover not published; the old holder learns it at its next write', err));
    const [chapter, progress, checks, enrollment] = await Promise.all([
      repo.chapterById(db, row.chapterId),
      repo.progressOf(db, row.enrollmentId, row.chapterId),
      repo.checksOfSession(db, row.id),
      repo.enrollmentById(db, row.enrollmentId),
    ]);
    if (!chapter || !enrollment) throw new AppError('STUDY_SESSION_NOT_FOUND');
    const open = checks.find((c) => c.outcome === 'open');
    const q = open?.question as (PoolQuestion & { source: string }) | undefined;
    const baseline = checks
      .filter((c) => c.outcome !== 'open')
      .reduce((sum, c) => sum + c.creditedSincePrevious - c.voidedSeconds, 0);
    const s: Live = {
      id: row.id,
      accountId: row.accountId,
      enrollmentId: row.enrollmentId,
      planId: enrollment.planId,
      chapterId: row.chapterId,
      durationSeconds: chapter.durationSeconds,
      videoFileId: chapter.videoFileId,
      questions: chapter.questions as PoolQuestion[],
      lastBeatAt: row.lastBeatAt.getTime(),
      lastPosition: row.lastPosition,
      bank: 0,
      sessionCredited: row.creditedSeconds,
      chapterCredited: progress?.creditedSeconds ?? 0,
      maxPosition: progress?.maxPosition ?? 0,
      chapterComplete: Boolean(progress?.completedAt),
      untilCheck: row.nextCheckAt
        ? Math.max(0, (row.nextCheckAt.getTime() - row.lastBeatAt.getTime()) / 1000)
        : randomCheckDelay(),
      openCheck:
        open && q
          ? {
              id: open.id,
              prompt: q.prompt,
              options: q.options,
              answer: q.answer,
              deadlineAt: open.deadlineAt.getTime(),
              creditedSincePrevious: open.creditedSincePrevious,
            }
          : null,
      baseline,
      ended: false,
      videoExpiresAt: 0,
      queue: Promise.resolve(),
    };
    // Two concurrent misses for one session: keep the first.
    const again = live.get(sessionId);
    if (again) return again;
    live.set(sessionId, s);
    return s;
  }

  async function own(sessionId: string, accountId: string): Promise<Live> {
    const s = await load(sessionId);
    if (s.accountId !== accountId) throw new AppError('STUDY_SESSION_NOT_FOUND');
    return s;
  }

  function pickQuestion(s: Live): Omit<PoolQuestion, 'id'> & { source: 'pool' | 'arithmetic'; questionId?: string } {
    const pool = s.questions.filter((q) => q.options?.length >= 2 && q.answer >= 0 && q.answer < q.options.length);
    if (pool.length) {
      const q = pool[crypto.randomInt(pool.length)] as PoolQuestion;
      return { prompt: q.prompt, options: q.options, answer: q.answer, source: 'pool', questionId: q.id };
    }
    const a = crypto.randomInt(1, 10);
    const b = crypto.randomInt(1, 10);
    const sum = a + b;
    const values = new Set([sum]);
    while (values.size < 4) values.add(Math.max(0, sum + crypto.randomInt(-5, 6)));
    const options = [...values].map(String);
    for (let i = options.length - 1; i > 0; i--) {
      const j = crypto.randomInt(i + 1);
      [options[i], options[j]] = [options[j] as string, options[i] as string];
    }
    return { prompt: `${a} + ${b} = ?`, options, answer: options.indexOf(String(sum)), source: 'arithmetic' };
  }

  /** Asks a 防挂机 question now (recorded at once: the record is what an auditor looks at). */
  async function ask(s: Live, now: number) {
    const q = pickQuestion(s);
    const creditedSincePrevious = Math.max(0, s.sessionCredited - s.baseline);
    const row = await repo.insertCheck(db, {
      sessionId: s.id,
      enrollmentId: s.enrollmentId,
      chapterId: s.chapterId,
      accountId: s.accountId,
      question: q,
      askedAt: new Date(now),
      deadlineAt: new Date(now + STUDY_CHECK_ANSWER_SECONDS * 1000),
      creditedSincePrevious: Math.floor(creditedSincePrevious),
    });
    s.openCheck = {
      id: row.id,
      prompt: q.prompt,
      options: q.options,
      answer: q.answer,
      deadlineAt: row.deadlineAt.getTime(),
      creditedSincePrevious: Math.floor(creditedSincePrevious),
    };
  }

  /**
   * Settles the open question. Wrong or late voids what was credited since the previous question: the chapter's
   * credit and frontier go back by that much. A chapter already marked complete stays complete (its completion
   * may already count toward the course, the plan and a certificate), so voiding never un-completes one.
   */
  async function settle(s: Live, outcome: 'correct' | 'wrong' | 'timeout', given: number | null, now: number) {
    const c = s.openCheck;
    if (!c) return 0;
    const voided = outcome === 'correct' ? 0 : Math.min(c.creditedSincePrevious, Math.floor(s.chapterCredited));
    const settled = await repo.settleCheck(db, c.id, {
      outcome,
      answeredAt: given === null ? null : new Date(now),
      givenAnswer: given,
      voidedSeconds: voided,
    });
    s.openCheck = null;
    if (!settled) return 0;
    if (voided) {
      s.sessionCredited -= voided;
      s.chapterCredited = Math.max(0, s.chapterCredited - voided);
      s.maxPosition = Math.max(0, s.maxPosition - voided);
      s.lastPosition = Math.min(s.lastPosition, s.maxPosition);
    }
    s.baseline = s.sessionCredited;
    s.untilCheck = randomCheckDelay();
    s.lastBeatAt = Math.max(s.lastBeatAt, now);
    persist(s);
    return voided;
  }

  /**
   * Chapter complete: written at once with its consequences in one transaction — the course's 学时 once every
   * chapter is complete, the plan's credited 学时, and when they reach the requirement, the enrolment's
   * completion with exactly one `certificate.issue` job.
   */
  async function completeChapter(s: Live, now: number) {
    const at = new Date(now);
    await db.transaction(async (tx) => {
      await repo.writeProgressBeats(tx, [
        {
          sessionId: s.id,
          enrollmentId: s.enrollmentId,
          chapterId: s.chapterId,
          creditedSeconds: s.chapterCredited,
          maxPosition: s.maxPosition,
          lastPosition: s.lastPosition,
          updatedAt: at,
        },
      ]);
      await repo.markChapterComplete(tx, s.enrollmentId, s.chapterId, at);
      await recomputeEnrollment(tx, s.enrollmentId, s.accountId, s.planId, at);
    });
    s.chapterComplete = true;
    // The buffer may hold an older state of this row: queue the current one behind it.
    persist(s);
  }

  async function recomputeEnrollment(tx: Executor, enrollmentId: string, accountId: string, planId: string, at: Date) {
    const { hours } = await repo.completedHours(tx, planId, enrollmentId);
    await repo.upsertEnrollmentHours(tx, { enrollmentId, accountId, hours, at });
    const required = await repo.requiredHours(tx, planId);
    if (required > 0 && hours >= required && (await repo.completeEnrollment(tx, enrollmentId, at)))
      await deps.jobs.enqueue(tx, 'certificate.issue', { enrollmentId });
  }

  function freshVideo(s: Live, now: number) {
    if (!s.videoFileId || s.videoExpiresAt - now > VIDEO_REFRESH_MS) return null;
    const signed = deps.videoTokens.sign({
      fileId: s.videoFileId,
      accountId: s.accountId,
      enrollmentId: s.enrollmentId,
    });
    s.videoExpiresAt = signed.expiresAt.getTime();
    return { url: signed.url, expiresAt: signed.expiresAt.toISOString() };
  }

  /**
   * Writes what is buffered now. A failure does not fail the beat or answer that asked for it: the rows stay in the
   * buffer, which tries again shortly.
   */
  async function flushSoon() {
    await buffer.flush().catch(logFlushFailure);
  }

  /** The answer to a beat. Declared here, not inside heartbeatLocked: a closure made per beat costs a name helper. */
  function beatResult(
    s: Live,
    now: number,
    creditedNow: number,
    seekTo: number | null,
    voidedSeconds = 0,
  ): TStudyHeartbeatResult {
    const video = freshVideo(s, now);
    return {
      creditedSeconds: Math.floor(s.chapterCredited),
      creditedNow,
      maxPosition: s.maxPosition,
      chapterComplete: s.chapterComplete,
      seekTo,
      check: s.openCheck ? checkView(s.openCheck) : null,
      videoUrl: video?.url ?? null,
      videoExpiresAt: video?.expiresAt ?? null,
      voidedSeconds,
    };
  }

  async function heartbeatLocked(s: Live, beat: TStudyHeartbeat): Promise<TStudyHeartbeatResult> {
    if (s.ended) throw new AppError('STUDY_SESSION_REPLACED');
    const now = clock.now().getTime();
    const elapsed = Math.max(0, (now - s.lastBeatAt) / 1000);
    // Nothing is credited while a question is open, nor for the interval in which it went unanswered.
    if (s.openCheck) {
      const voided = now > s.openCheck.deadlineAt ? await settle(s, 'timeout', null, now) : 0;
      s.lastBeatAt = now;
      s.lastPosition = Math.min(beat.position, s.maxPosition);
      persist(s);
      return beatResult(s, now, 0, beat.position > s.maxPosition + POSITION_TOLERANCE ? s.maxPosition : null, voided);
    }

    const frontier = s.maxPosition;
    // Even at the fastest rate the player allows, the video could not have got further than this.
    const reachable = frontier + (elapsed + SLACK_SECONDS) * STUDY_MAX_RATE + POSITION_TOLERANCE;
    let credit = 0;
    let seekTo: number | null = null;
    if (beat.position > reachable) {
      seekTo = frontier;
      s.lastPosition = frontier;
      s.bank = Math.min(SLACK_SECONDS, s.bank + elapsed);
    } else {
      if (beat.playing && beat.position > s.lastPosition) {
        const newGround = beat.position - frontier;
        const remaining = s.durationSeconds - s.chapterCredited;
        credit = Math.max(0, Math.min(newGround, elapsed + s.bank, remaining));
      }
      s.bank = Math.min(SLACK_SECONDS, s.bank + elapsed - credit);
      s.maxPosition = Math.min(s.durationSeconds, frontier + credit);
      s.sessionCredited += credit;
      s.chapterCredited = Math.min(s.durationSeconds, s.chapterCredited + credit);
      s.untilCheck -= credit;
      // Played faster than real time: the part beyond the credited frontier has to be watched again.
      if (beat.position > s.maxPosition + POSITION_TOLERANCE && s.maxPosition < s.durationSeconds) {
        seekTo = s.maxPosition;
        s.lastPosition = s.maxPosition;
      } else s.lastPosition = Math.min(beat.position, s.durationSeconds);
    }
    s.lastBeatAt = now;
    if (!s.chapterComplete && s.chapterCredited >= completeAt(s.durationSeconds)) await completeChapter(s, now);
    const asking = s.untilCheck <= 0 && credit > 0;
    if (asking) await ask(s, now);
    persist(s);
    // The answer is an HTTP request that any instance may get: the state the question was asked in is written now.
    if (asking) await flushSoon();
    return beatResult(s, now, Math.round(credit * 10) / 10, seekTo);
  }

  async function planSummary(accountId: string, planId: string): Promise<TStudyPlan> {
    const [row] = await repo.plansOf(db, accountId, planId);
    if (!row) throw new AppError((await repo.planExists(db, planId)) ? 'STUDY_NOT_ENROLLED' : 'NOT_FOUND');
    return toPlan(row, await repo.completedHours(db, planId, row.enrollmentId));
  }

  function toPlan(
    row: Awaited<ReturnType<StudyRepo['plansOf']>>[number],
    done: { hours: number; courses: number },
  ): TStudyPlan {
    const credited = row.completedAt ? Math.max(row.creditedHours, done.hours) : done.hours;
    return {
      enrollmentId: row.enrollmentId,
      planId: row.planId,
      name: row.name,
      year: row.year,
      requiredHours: row.requiredHours,
      creditedHours: credited,
      percent: row.requiredHours > 0 ? Math.min(100, Math.floor((credited * 100) / row.requiredHours)) : 0,
      courseCount: row.courseCount,
      completedCourses: done.courses,
      completedAt: row.completedAt?.toISOString() ?? null,
      certificate: Boolean(row.completedAt),
    };
  }

  function toCourse(c: Awaited<ReturnType<StudyRepo['coursesOfPlan']>>[number]): TStudyCourse {
    return {
      id: c.id,
      title: c.title,
      teacher: c.teacher,
      hours: c.hours,
      coverFileId: c.coverFileId,
      chapterCount: c.chapterCount,
      completedChapters: c.completedChapters,
      durationSeconds: c.durationSeconds,
      creditedSeconds: c.creditedSeconds,
      percent:
        c.chapterCount > 0 && c.completedChapters === c.chapterCount
          ? 100
          : c.durationSeconds > 0
            ? Math.min(99, Math.floor((c.creditedSeconds * 100) / c.durationSeconds))
            : 0,
      complete: c.chapterCount > 0 && c.completedChapters === c.chapterCount,
    };
  }

  return {
    buffer,

    /** 课程培训: my enrolled plans with 学分要求 and 计划完成度. */
    async plans(accountId: string): Promise<TStudyPlan[]> {
      await buffer.flush();
      const rows = await repo.plansOf(db, accountId);
      return Promise.all(rows.map(async (r) => toPlan(r, await repo.completedHours(db, r.planId, r.enrollmentId))));
    },

    async courses(accountId: string, planId: string, q: TStudyCoursesQuery): Promise<TStudyCourseList> {
      await buffer.flush();
      const plan = await planSummary(accountId, planId);
      const [rows, total] = await Promise.all([
        repo.coursesOfPlan(db, planId, plan.enrollmentId, { limit: q.pageSize, offset: (q.page - 1) * q.pageSize }),
        repo.countCoursesOfPlan(db, planId),
      ]);
      return { plan, items: rows.map(toCourse), total, page: q.page, pageSize: q.pageSize };
    },

    async course(accountId: string, planId: string, courseId: string): Promise<TStudyCourseDetail> {
      await buffer.flush();
      const plan = await planSummary(accountId, planId);
      const [c] = await repo.coursesOfPlan(db, planId, plan.enrollmentId, undefined, courseId);
      if (!c) throw new AppError('NOT_FOUND', { message: '该学习计划中没有这门课程' });
      const chapters = await repo.chaptersWithProgress(db, courseId, plan.enrollmentId);
      return {
        plan,
        course: { ...toCourse(c), description: c.description },
        chapters: chapters.map((ch) => ({
          id: ch.id,
          title: ch.title,
          position: ch.position,
          durationSeconds: ch.durationSeconds,
          hasVideo: Boolean(ch.videoFileId),
          creditedSeconds: Math.min(ch.creditedSeconds, ch.durationSeconds),
          percent: ch.completedAt
            ? 100
            : Math.min(99, Math.floor((ch.creditedSeconds * 100) / Math.max(1, ch.durationSeconds))),
          complete: Boolean(ch.completedAt),
          lastPosition: ch.lastPosition,
          maxPosition: ch.maxPosition,
        })),
      };
    },

    /**
     * 开始学习 a chapter: ends the learner's open session anywhere (end_reason 'replaced'; an open question there
     * counts as unanswered) and opens a new one. Two starts at once are safe: the partial unique index lets
     * one insert win and the other retries, ending the winner's session in turn.
     */
    async start(accountId: string, input: TStudyStart, userAgent?: string): Promise<TStudySession> {
      await deps.assertRealnameVerified(accountId);
      const enrollment = await repo.enrollmentOf(db, accountId, input.planId);
      if (!enrollment)
        throw new AppError((await repo.planExists(db, input.planId)) ? 'STUDY_NOT_ENROLLED' : 'NOT_FOUND');
      const chapter = await repo.chapterInPlan(db, input.planId, input.chapterId);
      if (!chapter) throw new AppError('NOT_FOUND', { message: '该学习计划中没有这个章节' });

      const previous = await repo.latestSessionOf(db, accountId);
      let carried: number | null = null;
      if (previous && !previous.endedAt) {
        const prev = await load(previous.id).catch(() => undefined);
        if (prev)
          await serialize(prev, async () => {
            if (prev.openCheck) await settle(prev, 'timeout', null, clock.now().getTime());
            carried = prev.untilCheck;
          });
      } else if (previous?.nextCheckAt)
        carried = (previous.nextCheckAt.getTime() - previous.lastBeatAt.getTime()) / 1000;

      // The learner's last beats elsewhere are written before that session ends (an ended one is not written).
      await buffer.flush();
      const nowDate = clock.now();
      const untilCheck = carried !== null && carried > 0 ? carried : randomCheckDelay();
      let created: Awaited<ReturnType<StudyRepo['insertSession']>> | undefined;
      let ended: string[] = [];
      for (let attempt = 0; !created; attempt++) {
        try {
          [created, ended] = await db.transaction(async (tx) => {
            const gone = await repo.endOpenSessions(tx, accountId, nowDate, 'replaced');
            await repo.ensureProgress(tx, {
              enrollmentId: enrollment.id,
              chapterId: chapter.id,
              accountId,
              at: nowDate,
            });
            const row = await repo.insertSession(tx, {
              accountId,
              enrollmentId: enrollment.id,
              chapterId: chapter.id,
              startedAt: nowDate,
              lastBeatAt: nowDate,
              nextCheckAt: new Date(nowDate.getTime() + untilCheck * 1000),
              userAgent: userAgent?.slice(0, 300) ?? null,
              owner: instanceId,
            });
            return [row, gone] as const;
          });
        } catch (err) {
          if (!uniqueViolation(err) || attempt >= 4) throw err;
        }
      }
      for (const id of ended) {
        const old = live.get(id);
        if (old) old.ended = true;
        live.delete(id);
      }
      const progress = await repo.progressOf(db, enrollment.id, chapter.id);
      const s: Live = {
        id: created.id,
        accountId,
        enrollmentId: enrollment.id,
        planId: input.planId,
        chapterId: chapter.id,
        durationSeconds: chapter.durationSeconds,
        videoFileId: chapter.videoFileId,
        questions: chapter.questions as PoolQuestion[],
        lastBeatAt: nowDate.getTime(),
        lastPosition: progress?.lastPosition ?? 0,
        bank: SLACK_SECONDS,
        sessionCredited: 0,
        chapterCredited: progress?.creditedSeconds ?? 0,
        maxPosition: progress?.maxPosition ?? 0,
        chapterComplete: Boolean(progress?.completedAt),
        untilCheck,
        openCheck: null,
        baseline: 0,
        ended: false,
        videoExpiresAt: 0,
        queue: Promise.resolve(),
      };
      live.set(s.id, s);
      const video = freshVideo(s, nowDate.getTime());
      // A finished chapter opens at the beginning again; otherwise where the learner left off.
      const resumeAt = s.lastPosition >= s.durationSeconds - 1 ? 0 : Math.min(s.lastPosition, s.maxPosition);
      return {
        sessionId: s.id,
        chapterId: s.chapterId,
        videoUrl: video?.url ?? null,
        videoExpiresAt: video?.expiresAt ?? null,
        resumeAt,
        maxPosition: s.maxPosition,
        durationSeconds: s.durationSeconds,
        creditedSeconds: Math.floor(s.chapterCredited),
        chapterComplete: s.chapterComplete,
        heartbeatSeconds: deps.config.heartbeatSeconds,
        nextCheckInSeconds: Math.ceil(s.untilCheck),
        check: null,
      };
    },

    async heartbeat(accountId: string, sessionId: string, beat: TStudyHeartbeat): Promise<TStudyHeartbeatResult> {
      const s = await own(sessionId, accountId);
      return serialize(s, () => heartbeatLocked(s, beat));
    },

    async answer(accountId: string, checkId: string, answer: number): Promise<TStudyAnswerResult> {
      const row = await repo.checkById(db, checkId);
      if (!row || row.accountId !== accountId) throw new AppError('STUDY_CHECK_NOT_FOUND');
      if (row.outcome !== 'open') throw new AppError('STUDY_CHECK_CLOSED');
      // Open in the database but not in this instance's copy: another instance asked it and this one has not heard
      // of the takeover yet. The database is the truth; the session is read again from it.
      if (live.get(row.sessionId)?.openCheck?.id !== checkId) live.delete(row.sessionId);
      const s = await own(row.sessionId, accountId);
      return serialize(s, async () => {
        if (s.ended) throw new AppError('STUDY_SESSION_REPLACED');
        if (s.openCheck?.id !== checkId) throw new AppError('STUDY_CHECK_CLOSED');
        const now = clock.now().getTime();
        const outcome = now > s.openCheck.deadlineAt ? 'timeout' : answer === s.openCheck.answer ? 'correct' : 'wrong';
        const voided = await settle(s, outcome, answer, now);
        // Written now, not within the second: the next beat may reach another instance, which reads it.
        await flushSoon();
        return {
          outcome,
          voidedSeconds: voided,
          creditedSeconds: Math.floor(s.chapterCredited),
          maxPosition: s.maxPosition,
          chapterComplete: s.chapterComplete,
        };
      });
    },

    /** The page is closing: the session ends (an open question counts as unanswered). */
    async close(accountId: string, sessionId: string): Promise<void> {
      const s = await own(sessionId, accountId).catch((err) => {
        // Closing what another tab already replaced is not an error for a page that is going away.
        if (err instanceof AppError && err.code === 'STUDY_SESSION_REPLACED') return undefined;
        throw err;
      });
      if (!s) return;
      await serialize(s, async () => {
        if (s.ended) return;
        const now = clock.now().getTime();
        if (s.openCheck) await settle(s, 'timeout', null, now);
        s.ended = true;
        persist(s);
        await buffer.flush();
        await repo.endSession(db, s.id, new Date(now), 'closed');
        live.delete(s.id);
      });
    },

    instanceId,

    /** Whether this instance holds the session's state in memory (tests, diagnostics). */
    holds(sessionId: string): boolean {
      return live.has(sessionId);
    },

    /** Another instance took these sessions over: drop this instance's copy and its unwritten state. */
    released(sessionIds: string[]) {
      for (const id of sessionIds) live.delete(id);
      buffer.forget(sessionIds);
    },

    /** Server shutdown: writes every buffered beat. */
    async stop() {
      await buffer.stop();
    },

    /** What a crash does to this process's memory (tests): buffered beats and cached sessions are gone. */
    crash() {
      buffer.discard();
      live.clear();
    },
  };
}
export type StudyService = ReturnType<typeof createStudyService>;
