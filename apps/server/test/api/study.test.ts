import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPublicApp } from '../../src/app.js';
import { createContext } from '../../src/context.js';
import { antiIdleChecks, chapterProgress, jobs, studySessions } from '../../src/db/schema/index.js';
import { createHeartbeatBuffer } from '../../src/modules/study/heartbeat-buffer.js';
import { createStudyRepo } from '../../src/modules/study/study.repo.js';
import type { ChapterSpec } from '../courses-factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { learner, signIn } from '../purchase-factories.js';
import { enrolled, start } from '../study-factories.js';

let env: TestEnv;
/** 防挂机 after exactly 60 s of credited play (the defaults are 10–20 minutes). */
let quiz: TestEnv;

beforeAll(async () => {
  env = await createTestEnv();
  quiz = await createTestEnv({ STUDY_CHECK_MIN_SECONDS: '60', STUDY_CHECK_MAX_SECONDS: '60' });
});

const S = 1000;

async function beat(c: Client, sessionId: string, position: number, playing = true, rate = 1) {
  const res = await c.post(`/api/study/sessions/${sessionId}/heartbeat`, { position, playing, rate });
  return res;
}

async function ok(c: Client, sessionId: string, position: number, playing = true, rate = 1) {
  const res = await beat(c, sessionId, position, playing, rate);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    creditedSeconds: number;
    creditedNow: number;
    maxPosition: number;
    chapterComplete: boolean;
    seekTo: number | null;
    check: { id: string; prompt: string; options: string[]; deadlineAt: string } | null;
    voidedSeconds: number;
    videoUrl: string | null;
    videoExpiresAt: string | null;
  };
}

/** Plays `seconds` of real time at rate 1 in 15 s heartbeats, from `from`. */
async function play(e: TestEnv, c: Client, sessionId: string, from: number, seconds: number) {
  let pos = from;
  let last: Awaited<ReturnType<typeof ok>> | undefined;
  for (let left = seconds; left > 0; left -= 15) {
    const step = Math.min(15, left);
    e.clock.advance(step * S);
    pos += step;
    last = await ok(c, sessionId, pos);
  }
  return { pos, last: last as Awaited<ReturnType<typeof ok>> };
}

describe('课程培训 lists, permissions and input', () => {
  it('needs a login, an enrolment and valid input', async () => {
    const { c, plan, courses } = await enrolled(env, [{ hours: 30, chapters: [{ durationSeconds: 120 }] }]);
    const chapterId = courses[0]?.chapters[0]?.id as string;
    const anonymous = new Client(env.publicApp);
    expect((await anonymous.get('/api/study/plans')).statusCode).toBe(401);
    expect((await anonymous.post('/api/study/sessions', { planId: plan.id, chapterId })).statusCode).toBe(401);

    const { c: other } = await learner(env);
    const notMine = await other.get(`/api/study/plans/${plan.id}/courses`);
    expect(notMine.statusCode).toBe(403);
    expect(notMine.json().code).toBe('STUDY_NOT_ENROLLED');
    expect((await other.post('/api/study/sessions', { planId: plan.id, chapterId })).statusCode).toBe(403);
    expect((await c.get(`/api/study/plans/${crypto.randomUUID()}/courses`)).statusCode).toBe(404);
    expect((await c.post('/api/study/sessions', { planId: plan.id, chapterId: crypto.randomUUID() })).statusCode).toBe(
      404,
    );

    const bad = await c.post('/api/study/sessions', { planId: 'x', chapterId });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields.planId).toContain('学习计划');
    const { sessionId } = await start(c, plan.id, chapterId);
    const negative = await beat(c, sessionId, -1);
    expect(negative.statusCode).toBe(400);
    expect(negative.json().fields.position).toBe('播放位置不能为负数');
    // Someone else's session is not theirs to beat.
    const stranger = await beat(other, sessionId, 1);
    expect(stranger.statusCode).toBe(404);

    const plans = (await c.get('/api/study/plans')).json().items;
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ planId: plan.id, requiredHours: 30, creditedHours: 0, percent: 0 });
    const list = (await c.get(`/api/study/plans/${plan.id}/courses?page=1&pageSize=12`)).json();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ hours: 30, chapterCount: 1, complete: false });
    expect((await c.get(`/api/study/plans/${plan.id}/courses?pageSize=500`)).statusCode).toBe(400);
    const detail = (await c.get(`/api/study/plans/${plan.id}/courses/${courses[0]?.id}`)).json();
    expect(detail.chapters[0]).toMatchObject({ id: chapterId, durationSeconds: 120, creditedSeconds: 0 });
  });

  it('pages through the courses of a plan', async () => {
    const { c, plan } = await enrolled(
      env,
      Array.from({ length: 5 }, () => ({ hours: 6 })),
      30,
    );
    const p1 = (await c.get(`/api/study/plans/${plan.id}/courses?page=1&pageSize=2`)).json();
    const p3 = (await c.get(`/api/study/plans/${plan.id}/courses?page=3&pageSize=2`)).json();
    expect(p1.total).toBe(5);
    expect(p1.items).toHaveLength(2);
    expect(p3.items).toHaveLength(1);
    expect(new Set([...p1.items, ...p3.items].map((i: { id: string }) => i.id)).size).toBe(3);
  });
});

describe('server-measured crediting', () => {
  it('credits real time at rate 1 and resumes where the learner left off', async () => {
    const { c, plan, courses } = await enrolled(env, [{ hours: 30, chapters: [{ durationSeconds: 600 }] }]);
    const chapterId = courses[0]?.chapters[0]?.id as string;
    const { sessionId } = await start(c, plan.id, chapterId);
    const { last } = await play(env, c, sessionId, 0, 45);
    expect(last.creditedSeconds).toBe(45);
    expect(last.seekTo).toBeNull();
    await c.post(`/api/study/sessions/${sessionId}/close`);
    const again = await start(c, plan.id, chapterId);
    expect(again.resumeAt).toBe(45);
    expect(again.maxPosition).toBe(45);
    // The closed session is over.
    expect((await beat(c, sessionId, 46)).statusCode).toBe(409);
  });

  it('caps heartbeats faster than real time and rate 2.0 at wall time', async () => {
    const { c, plan, courses } = await enrolled(env, [{ hours: 30, chapters: [{ durationSeconds: 600 }] }]);
    const { sessionId } = await start(c, plan.id, courses[0]?.chapters[0]?.id as string);
    // Beats sent faster than time passes: 30 s of video claimed in 3 s of wall time.
    let pos = 0;
    for (let i = 0; i < 10; i++) {
      env.clock.advance(300);
      pos += 3;
      await ok(c, sessionId, pos);
    }
    let r = await ok(c, sessionId, pos);
    expect(r.creditedSeconds).toBeLessThanOrEqual(3 + 2);
    // Rate 2.0 for a minute: 30 s of video per 15 s beat, credited 15 s each; the player is sent back.
    const before = r.creditedSeconds;
    pos = r.maxPosition;
    for (let i = 0; i < 4; i++) {
      env.clock.advance(15 * S);
      r = await ok(c, sessionId, pos + 30, true, 2);
      expect(r.creditedNow).toBeLessThanOrEqual(15 + 2);
      expect(r.seekTo).not.toBeNull();
      pos = r.seekTo as number;
    }
    expect(r.creditedSeconds - before).toBeLessThanOrEqual(60 + 2);
    expect(r.creditedSeconds - before).toBeGreaterThanOrEqual(58);
  });

  it('ignores skipping ahead, pauses and anything beyond the chapter', async () => {
    const { c, plan, courses } = await enrolled(env, [{ hours: 30, chapters: [{ durationSeconds: 100 }] }]);
    const { sessionId } = await start(c, plan.id, courses[0]?.chapters[0]?.id as string);
    const first = await play(env, c, sessionId, 0, 30);
    expect(first.last.creditedSeconds).toBe(30);

    env.clock.advance(15 * S);
    const skip = await ok(c, sessionId, 90);
    expect(skip.creditedNow).toBe(0);
    expect(skip.seekTo).toBe(30);
    expect(skip.creditedSeconds).toBe(30);

    env.clock.advance(60 * S);
    const paused = await ok(c, sessionId, 30, false);
    expect(paused.creditedNow).toBe(0);
    // Paused for a minute, then playing 15 s: only the 15 s count (plus at most the jitter slack).
    env.clock.advance(15 * S);
    const resumed = await ok(c, sessionId, 45);
    expect(resumed.creditedNow).toBe(15);

    // The remaining duration caps the credit: 55 s left, 70 s played.
    const end = await play(env, c, sessionId, 45, 70);
    expect(end.last.creditedSeconds).toBe(100);
    const [row] = await env.ctx.db.select().from(studySessions).where(eq(studySessions.id, sessionId));
    expect(row?.creditedSeconds ?? 0).toBeLessThanOrEqual(100);
  });

  it('completes a chapter at 95 %, a course only with every chapter, the plan once with one certificate job', async () => {
    const { c, plan, courses, enrollmentId } = await enrolled(
      env,
      [
        { hours: 20, chapters: [{ durationSeconds: 100 }, { durationSeconds: 40 }] },
        { hours: 10, chapters: [{ durationSeconds: 30 }] },
      ],
      30,
    );
    const [c1, c2] = courses;
    const ch1 = c1?.chapters[0]?.id as string;
    const ch2 = c1?.chapters[1]?.id as string;
    const ch3 = c2?.chapters[0]?.id as string;

    const s1 = await start(c, plan.id, ch1);
    let r = (await play(env, c, s1.sessionId, 0, 94)).last;
    expect(r.creditedSeconds).toBe(94);
    expect(r.chapterComplete).toBe(false);
    env.clock.advance(1 * S);
    r = await ok(c, s1.sessionId, 95);
    expect(r.chapterComplete).toBe(true);

    // One of two chapters complete: the course's 学时 do not count yet.
    let plans = (await c.get('/api/study/plans')).json().items;
    expect(plans[0]).toMatchObject({ creditedHours: 0, completedCourses: 0 });

    const s2 = await start(c, plan.id, ch2);
    expect((await play(env, c, s2.sessionId, 0, 40)).last.chapterComplete).toBe(true);
    plans = (await c.get('/api/study/plans')).json().items;
    expect(plans[0]).toMatchObject({ creditedHours: 20, completedCourses: 1, percent: 66, completedAt: null });

    const s3 = await start(c, plan.id, ch3);
    expect((await play(env, c, s3.sessionId, 0, 30)).last.chapterComplete).toBe(true);
    plans = (await c.get('/api/study/plans')).json().items;
    expect(plans[0]).toMatchObject({ creditedHours: 30, percent: 100, certificate: true });
    expect(plans[0].completedAt).not.toBeNull();

    // Studying again after completion queues nothing more.
    const s4 = await start(c, plan.id, ch3);
    await play(env, c, s4.sessionId, 0, 30);
    const queued = await env.ctx.db.select().from(jobs).where(eq(jobs.kind, 'certificate.issue'));
    expect(queued.filter((j) => (j.payload as { enrollmentId: string }).enrollmentId === enrollmentId)).toHaveLength(1);
    const course = (await c.get(`/api/study/plans/${plan.id}/courses/${c1?.id}`)).json();
    expect(course.course.complete).toBe(true);
    expect(course.chapters.map((x: { complete: boolean }) => x.complete)).toEqual([true, true]);
  });
});

describe('one active session per learner', () => {
  it('refuses the stale session after a second start on another device', async () => {
    const { c, p, plan, courses } = await enrolled(env, [{ hours: 30, chapters: [{ durationSeconds: 300 }] }]);
    const chapterId = courses[0]?.chapters[0]?.id as string;
    const first = await start(c, plan.id, chapterId);
    await play(env, c, first.sessionId, 0, 15);
    const { c: phone } = await signIn(env, p);
    const second = await start(phone, plan.id, chapterId);
    expect(second.resumeAt).toBe(15);
    env.clock.advance(15 * S);
    const stale = await beat(c, first.sessionId, 30);
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      code: 'STUDY_SESSION_REPLACED',
      message: '您已在其他设备或窗口开始学习，本页学习已停止',
    });
    expect((await ok(phone, second.sessionId, 30)).creditedSeconds).toBe(30);
    const [old] = await env.ctx.db.select().from(studySessions).where(eq(studySessions.id, first.sessionId));
    expect(old?.endReason).toBe('replaced');
  });

  it('keeps one open session when two starts race', async () => {
    const { c, plan, courses, accountId } = await enrolled(env, [{ hours: 30 }]);
    const chapterId = courses[0]?.chapters[0]?.id as string;
    const results = await Promise.all(
      [0, 1, 2].map(() => c.post('/api/study/sessions', { planId: plan.id, chapterId })),
    );
    for (const r of results) expect(r.statusCode, r.body).toBe(200);
    const rows = await env.ctx.db.select().from(studySessions).where(eq(studySessions.accountId, accountId));
    expect(rows.filter((r) => !r.endedAt)).toHaveLength(1);
  });
});

describe('防挂机', () => {
  async function quizAt60(questions: ChapterSpec['questions'] = []) {
    const e = await enrolled(quiz, [{ hours: 30, chapters: [{ durationSeconds: 1000, questions }] }]);
    const s = await start(e.c, e.plan.id, e.courses[0]?.chapters[0]?.id as string);
    expect(s.nextCheckInSeconds).toBe(60);
    return { ...e, sessionId: s.sessionId };
  }

  it('asks when due, credits nothing while open, and keeps the credit on a right answer', async () => {
    const pool = [{ prompt: '本章讲的是什么？', options: ['数字经济', '烹饪', '园艺'], answer: 0 }];
    const { c, sessionId } = await quizAt60(pool);
    const { last, pos } = await play(quiz, c, sessionId, 0, 60);
    expect(last.check?.prompt).toBe('本章讲的是什么？');
    expect(JSON.stringify(last.check)).not.toContain('"answer"');
    quiz.clock.advance(15 * S);
    const during = await ok(c, sessionId, pos + 15);
    expect(during.creditedNow).toBe(0);
    expect(during.creditedSeconds).toBe(60);
    const ans = await c.post(`/api/study/checks/${last.check?.id}/answer`, { answer: 0 });
    expect(ans.statusCode, ans.body).toBe(200);
    expect(ans.json()).toMatchObject({ outcome: 'correct', voidedSeconds: 0, creditedSeconds: 60 });
    expect((await c.post(`/api/study/checks/${last.check?.id}/answer`, { answer: 0 })).statusCode).toBe(409);
    const [row] = await quiz.ctx.db
      .select()
      .from(antiIdleChecks)
      .where(eq(antiIdleChecks.id, last.check?.id as string));
    expect(row).toMatchObject({ outcome: 'correct', givenAnswer: 0, creditedSincePrevious: 60, voidedSeconds: 0 });
  });

  it('still asks and takes the answer when writing them at once fails (written by the next flush)', async () => {
    const { c, sessionId } = await quizAt60([{ prompt: '本章讲的是什么？', options: ['数字经济', '烹饪'], answer: 0 }]);
    const buffer = quiz.ctx.study.buffer;
    const flush = buffer.flush;
    let refused = 0;
    buffer.flush = async () => {
      refused++;
      throw new Error('database unavailable');
    };
    try {
      const { last } = await play(quiz, c, sessionId, 0, 60);
      expect(last.check).not.toBeNull();
      const ans = await c.post(`/api/study/checks/${last.check?.id}/answer`, { answer: 0 });
      expect(ans.statusCode, ans.body).toBe(200);
      expect(ans.json()).toMatchObject({ outcome: 'correct', creditedSeconds: 60 });
      expect(refused).toBe(2);
    } finally {
      buffer.flush = flush;
    }
    await buffer.flush();
    const [row] = await quiz.ctx.db.select().from(studySessions).where(eq(studySessions.id, sessionId));
    expect(row?.creditedSeconds).toBe(60);
  });

  it('voids the credit since the previous question on a wrong answer', async () => {
    const { c, sessionId, accountId } = await quizAt60();
    const first = await play(quiz, c, sessionId, 0, 60);
    const q1 = first.last.check;
    expect(q1?.prompt).toMatch(/^\d \+ \d = \?$/);
    expect(q1?.options).toHaveLength(4);
    const [a, b] = (q1?.prompt.match(/\d/g) ?? []).map(Number);
    const right = q1?.options.indexOf(String((a as number) + (b as number))) as number;
    expect((await c.post(`/api/study/checks/${q1?.id}/answer`, { answer: right })).json().outcome).toBe('correct');

    const second = await play(quiz, c, sessionId, 60, 60);
    const q2 = second.last.check;
    expect(q2).not.toBeNull();
    const wrong = (right + 1) % 4;
    const [x, y] = (q2?.prompt.match(/\d/g) ?? []).map(Number);
    const answer2 = q2?.options.findIndex((o) => o !== String((x as number) + (y as number))) ?? wrong;
    const res = (await c.post(`/api/study/checks/${q2?.id}/answer`, { answer: answer2 })).json();
    expect(res).toMatchObject({ outcome: 'wrong', voidedSeconds: 60, creditedSeconds: 60, maxPosition: 60 });
    const records = await quiz.ctx.db.select().from(antiIdleChecks).where(eq(antiIdleChecks.accountId, accountId));
    expect(records.map((r) => r.outcome).sort()).toEqual(['correct', 'wrong']);
    // The frontier moved back: the learner must watch 60–120 again.
    quiz.clock.advance(15 * S);
    expect((await ok(c, sessionId, 120)).seekTo).toBe(60);
  });

  it('voids on no answer within 2 minutes, found on the next heartbeat', async () => {
    const { c, sessionId, enrollmentId, courses } = await quizAt60();
    const { last } = await play(quiz, c, sessionId, 0, 60);
    expect(last.check).not.toBeNull();
    quiz.clock.advance(121 * S);
    const r = await ok(c, sessionId, 60);
    expect(r.voidedSeconds).toBe(60);
    expect(r.creditedSeconds).toBe(0);
    expect(r.check).toBeNull();
    const late = await c.post(`/api/study/checks/${last.check?.id}/answer`, { answer: 0 });
    expect(late.statusCode).toBe(409);
    const [row] = await quiz.ctx.db
      .select()
      .from(antiIdleChecks)
      .where(eq(antiIdleChecks.id, last.check?.id as string));
    expect(row).toMatchObject({ outcome: 'timeout', voidedSeconds: 60, givenAnswer: null });
    await quiz.ctx.study.buffer.flush();
    const [progress] = await quiz.ctx.db
      .select()
      .from(chapterProgress)
      .where(
        and(
          eq(chapterProgress.enrollmentId, enrollmentId),
          eq(chapterProgress.chapterId, courses[0]?.chapters[0]?.id as string),
        ),
      );
    expect(progress).toMatchObject({ creditedSeconds: 0, maxPosition: 0 });
  });
});

describe('防挂机 cannot be dodged', () => {
  it('counts an open question as unanswered when the learner starts elsewhere or closes the page', async () => {
    const e = await enrolled(quiz, [{ hours: 30, chapters: [{ durationSeconds: 1000 }] }]);
    const chapterId = e.courses[0]?.chapters[0]?.id as string;
    const first = await start(e.c, e.plan.id, chapterId);
    const { last } = await play(quiz, e.c, first.sessionId, 0, 60);
    expect(last.check).not.toBeNull();
    // A new window instead of answering: the question is settled as timed out and the minute is voided.
    const second = await start(e.c, e.plan.id, chapterId);
    expect(second.maxPosition).toBe(0);
    const [row] = await quiz.ctx.db
      .select()
      .from(antiIdleChecks)
      .where(eq(antiIdleChecks.id, last.check?.id as string));
    expect(row).toMatchObject({ outcome: 'timeout', voidedSeconds: 60 });

    const again = await play(quiz, e.c, second.sessionId, 0, 60);
    expect(again.last.check).not.toBeNull();
    expect((await e.c.post(`/api/study/sessions/${second.sessionId}/close`)).statusCode).toBe(204);
    const [closed] = await quiz.ctx.db
      .select()
      .from(antiIdleChecks)
      .where(eq(antiIdleChecks.id, again.last.check?.id as string));
    expect(closed?.outcome).toBe('timeout');
  });

  it('validates answers and keeps them to their owner', async () => {
    const e = await enrolled(quiz, [{ hours: 30, chapters: [{ durationSeconds: 1000 }] }]);
    const s = await start(e.c, e.plan.id, e.courses[0]?.chapters[0]?.id as string);
    const { last } = await play(quiz, e.c, s.sessionId, 0, 60);
    const url = `/api/study/checks/${last.check?.id}/answer`;
    expect((await new Client(quiz.publicApp).post(url, { answer: 0 })).statusCode).toBe(401);
    const bad = await e.c.post(url, { answer: 'A' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields.answer).toBe('请选择答案');
    const { c: other } = await learner(quiz);
    expect((await other.post(url, { answer: 0 })).statusCode).toBe(404);
    expect((await e.c.post(`/api/study/checks/${crypto.randomUUID()}/answer`, { answer: 0 })).statusCode).toBe(404);
  });
});

describe('video URLs', () => {
  it('hands out a signed URL and a fresh one before it expires', async () => {
    const e = await enrolled(env, [{ hours: 30, chapters: [{ durationSeconds: 3, video: true }] }]);
    const res = await e.c.post('/api/study/sessions', { planId: e.plan.id, chapterId: e.courses[0]?.chapters[0]?.id });
    const s = res.json() as { sessionId: string; videoUrl: string; videoExpiresAt: string };
    expect(s.videoUrl).toMatch(/^\/media\/videos\//);
    const video = await e.c.request('GET', s.videoUrl, undefined, { headers: { range: 'bytes=0-9' } });
    expect(video.statusCode).toBe(206);
    env.clock.advance(5 * S);
    expect((await ok(e.c, s.sessionId, 0, false)).videoUrl).toBeNull();
    // 14 minutes later (< 2 minutes left of 15) the heartbeat carries a new URL.
    env.clock.advance(14 * 60 * S);
    const r = await ok(e.c, s.sessionId, 0, false);
    expect(r.videoUrl).toMatch(/^\/media\/videos\//);
    expect(new Date(r.videoExpiresAt as string).getTime()).toBeGreaterThan(new Date(s.videoExpiresAt).getTime());
  });
});

describe('durability', () => {
  async function persisted(e: TestEnv, enrollmentId: string, chapterId: string) {
    const [row] = await e.ctx.db
      .select()
      .from(chapterProgress)
      .where(and(eq(chapterProgress.enrollmentId, enrollmentId), eq(chapterProgress.chapterId, chapterId)));
    return row?.creditedSeconds ?? 0;
  }

  it('loses at most the last heartbeat in a crash, and gets it back on the next beat after the restart', async () => {
    const { c, plan, courses, enrollmentId } = await enrolled(env, [
      { hours: 30, chapters: [{ durationSeconds: 600 }] },
    ]);
    const chapterId = courses[0]?.chapters[0]?.id as string;
    const { sessionId } = await start(c, plan.id, chapterId);
    await play(env, c, sessionId, 0, 60);
    await env.ctx.study.buffer.flush();
    expect(await persisted(env, enrollmentId, chapterId)).toBe(60);
    env.clock.advance(15 * S);
    expect((await ok(c, sessionId, 75)).creditedSeconds).toBe(75);
    // The process dies before the buffer is flushed.
    env.ctx.study.crash();
    expect(await persisted(env, enrollmentId, chapterId)).toBe(60);

    // A new process on the same database; the player keeps beating the same session.
    const ctx2 = createContext({ config: env.ctx.config, database: env.ctx.database, clock: env.clock });
    const app2 = await buildPublicApp(ctx2, { logLevel: 'silent' });
    try {
      const c2 = new Client(app2);
      for (const [k, v] of c.cookies) c2.cookies.set(k, v);
      env.clock.advance(15 * S);
      const after = await ok(c2, sessionId, 90);
      expect(after.creditedSeconds).toBe(90);
      // Graceful stop writes everything.
      await ctx2.study.stop();
      expect(await persisted(env, enrollmentId, chapterId)).toBe(90);
    } finally {
      await app2.close();
    }
  });

  it('stops a session another instance replaced at its next flush, without writing its stale progress', async () => {
    const { c, plan, courses, enrollmentId } = await enrolled(env, [
      { hours: 30, chapters: [{ durationSeconds: 600 }] },
    ]);
    const chapterId = courses[0]?.chapters[0]?.id as string;
    const first = await start(c, plan.id, chapterId);
    await play(env, c, first.sessionId, 0, 30);
    // The first instance's timer has flushed (≤ 900 ms), then a second instance (no shared memory) starts the
    // chapter for the same learner.
    await env.ctx.study.buffer.flush();
    const ctx2 = createContext({ config: env.ctx.config, database: env.ctx.database, clock: env.clock });
    const app2 = await buildPublicApp(ctx2, { logLevel: 'silent' });
    try {
      const c2 = new Client(app2);
      for (const [k, v] of c.cookies) c2.cookies.set(k, v);
      const second = await start(c2, plan.id, chapterId);
      expect(second.maxPosition).toBe(30);
      // The first instance still answers from memory once, but what it credits is never written.
      env.clock.advance(15 * S);
      expect((await beat(c, first.sessionId, 45)).statusCode).toBe(200);
      await env.ctx.study.buffer.flush();
      expect(await persisted(env, enrollmentId, chapterId)).toBe(30);
      expect((await beat(c, first.sessionId, 45)).statusCode).toBe(409);
      env.clock.advance(15 * S);
      expect((await ok(c2, second.sessionId, 45)).creditedSeconds).toBe(45);
      await ctx2.study.stop();
      expect(await persisted(env, enrollmentId, chapterId)).toBe(45);
    } finally {
      await app2.close();
    }
  });

  it('puts rows back when a flush fails and writes them on the next one', async () => {
    const { c, plan, courses, enrollmentId } = await enrolled(env, [
      { hours: 30, chapters: [{ durationSeconds: 600 }] },
    ]);
    const chapterId = courses[0]?.chapters[0]?.id as string;
    const { sessionId } = await start(c, plan.id, chapterId);
    const repo = createStudyRepo();
    let fail = true;
    const buffer = createHeartbeatBuffer({
      delayMs: 60_000,
      write: async (batch) => {
        if (fail) throw new Error('database unavailable');
        await repo.writeSessionBeats(env.ctx.db, batch.sessions, env.ctx.study.instanceId);
        await repo.writeProgressBeats(env.ctx.db, batch.progress);
      },
    });
    const at = env.clock.now();
    buffer.session({ id: sessionId, lastBeatAt: at, lastPosition: 42, creditedSeconds: 42, nextCheckAt: null });
    buffer.progress({
      sessionId,
      enrollmentId,
      chapterId,
      creditedSeconds: 42,
      maxPosition: 42,
      lastPosition: 42,
      updatedAt: at,
    });
    await expect(buffer.flush()).rejects.toThrow('database unavailable');
    expect(buffer.pending()).toBe(2);
    fail = false;
    await buffer.stop();
    expect(buffer.pending()).toBe(0);
    expect(await persisted(env, enrollmentId, chapterId)).toBe(42);
    const [s] = await env.ctx.db.select().from(studySessions).where(eq(studySessions.id, sessionId));
    expect(s?.lastPosition).toBe(42);
  });
});
