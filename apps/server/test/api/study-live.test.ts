import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { STUDY_LIVE_CLOSE, type TStudyLiveReply, ZStudyLiveReply } from '@cpe/shared';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { accounts, chapterProgress } from '../../src/db/schema/index.js';
import type { Client, TestEnv } from '../harness.js';
import { createTestEnv } from '../harness.js';
import { learner, signIn } from '../purchase-factories.js';
import { enrolled, start } from '../study-factories.js';
import { connectLive, cookieOf, liveChannelsOf } from '../study-live-client.js';

const S = 1000;
let env: TestEnv;
let base: string;

beforeAll(async () => {
  env = await createTestEnv();
  // A WebSocket needs a real socket: inject cannot carry the upgrade the way a browser sends it.
  await env.publicApp.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(env.publicApp.server.address() as AddressInfo).port}`;
});

const liveUrl = (sessionId: string) => `${base.replace('http', 'ws')}/api/study/sessions/${sessionId}/live`;
const connect = (c: Client, sessionId: string) => connectLive(base, c, sessionId);

/** An upgrade the server must refuse: its HTTP status and error body. */
async function refused(sessionId: string, headers: Record<string, string>) {
  const ws = new WebSocket(liveUrl(sessionId), { headers });
  return new Promise<{ status: number; body: { code?: string; message?: string } }>((resolve, reject) => {
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (d: Buffer) => {
        text += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
    });
    ws.on('error', reject);
  });
}

async function studying(durationSeconds = 600) {
  const e = await enrolled(env, [{ hours: 30, chapters: [{ durationSeconds }] }]);
  const chapterId = e.courses[0]?.chapters[0]?.id as string;
  const s = await start(e.c, e.plan.id, chapterId);
  return { ...e, chapterId, sessionId: s.sessionId };
}

describe('the live channel credits like the HTTP heartbeat', () => {
  it('credits real time, caps beats faster than real time and sends a skip ahead back', async () => {
    const { c, sessionId } = await studying();
    const live = await connect(c, sessionId);
    env.clock.advance(15 * S);
    let r = await live.ok(15);
    expect(r).toMatchObject({ creditedNow: 15, creditedSeconds: 15, maxPosition: 15, seekTo: null });
    env.clock.advance(15 * S);
    r = await live.ok(30);
    expect(r.creditedSeconds).toBe(30);

    // 30 s of video claimed in 3 s of wall time: credited no faster than the clock (plus the jitter slack).
    let pos = 30;
    for (let i = 0; i < 10; i++) {
      env.clock.advance(300);
      pos += 3;
      r = await live.ok(pos);
    }
    expect(r.creditedSeconds).toBeLessThanOrEqual(30 + 3 + 2);

    // A skip far ahead: nothing credited, the player is sent back to the frontier.
    const frontier = r.maxPosition;
    env.clock.advance(15 * S);
    r = await live.ok(frontier + 300);
    expect(r.creditedNow).toBe(0);
    expect(r.seekTo).toBe(frontier);
    live.ws.close();
  });

  it('answers several frames sent at once in their order, errors included', async () => {
    const { c, sessionId } = await studying();
    const live = await connect(c, sessionId);
    env.clock.advance(15 * S);
    const frames = [
      { position: 1, playing: true },
      { position: -1, playing: true },
      { position: 2, playing: true },
      'not json',
      { position: 3, playing: true, rate: 9 },
      { position: 3, playing: true },
    ];
    for (const f of frames) live.send(f);
    const replies = await Promise.all(frames.map(() => live.next()));
    expect(replies.map((r) => (r.ok ? r.result.maxPosition : r.error.code))).toEqual([
      1,
      'VALIDATION_FAILED',
      2,
      'VALIDATION_FAILED',
      'VALIDATION_FAILED',
      3,
    ]);
    const [, negative, , garbage, fast] = replies;
    expect(negative).toMatchObject({ error: { fields: { position: '播放位置不能为负数' } } });
    expect(garbage).toMatchObject({ error: { message: '请求格式错误，请检查提交的内容' } });
    expect(fast).toMatchObject({ error: { fields: { rate: '播放速度不能超过4倍' } } });
    // Still open and usable after the bad frames.
    expect(live.ws.readyState).toBe(WebSocket.OPEN);
    live.ws.close();
  });

  it('refuses invalid input with the field named in Chinese and keeps the socket open', async () => {
    const { c, sessionId } = await studying();
    const live = await connect(c, sessionId);
    const bad = await live.error({ position: 'x', playing: 'yes' });
    expect(bad).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: { position: '播放位置应为数字', playing: '播放状态应为true或false' },
    });
    expect(bad.message).toContain('播放位置应为数字');
    expect(await live.error('{"position":')).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await live.error('[1,2]')).toMatchObject({ code: 'VALIDATION_FAILED' });
    live.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await live.next()).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: '心跳应为JSON文本' },
    });
    env.clock.advance(15 * S);
    expect((await live.ok(15)).creditedSeconds).toBe(15);
    live.ws.close();
  });
});

describe('who may use the channel', () => {
  it('refuses the upgrade without a sign-in, from another origin, or before the initial password is changed', async () => {
    const { c, p, sessionId, accountId } = await studying();
    const noCookie = await refused(sessionId, { origin: base });
    expect(noCookie).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });

    // Cross-site WebSocket hijacking: the browser would send the cookie, but not our Origin.
    const foreign = await refused(sessionId, { cookie: cookieOf(c), origin: 'https://evil.example' });
    expect(foreign).toMatchObject({ status: 403, body: { code: 'ORIGIN_FORBIDDEN' } });
    expect(foreign.body.message).toMatch(/[\u4e00-\u9fa5]/);
    expect((await refused(sessionId, { cookie: cookieOf(c) })).status).toBe(403);
    const sameHostOtherPort = base.replace(/:\d+$/, ':1');
    expect((await refused(sessionId, { cookie: cookieOf(c), origin: sameHostOtherPort })).status).toBe(403);

    expect((await refused('not-a-uuid', { cookie: cookieOf(c), origin: base })).status).toBe(400);

    await env.ctx.db.update(accounts).set({ mustChangePassword: true }).where(eq(accounts.id, accountId));
    const { c: fresh } = await signIn(env, p);
    const mustChange = await refused(sessionId, { cookie: cookieOf(fresh), origin: base });
    expect(mustChange).toMatchObject({ status: 403, body: { code: 'PASSWORD_CHANGE_REQUIRED' } });
  });

  it("answers STUDY_SESSION_NOT_FOUND and closes 4004 on another learner's session", async () => {
    const { sessionId } = await studying();
    const { c: other } = await learner(env);
    const live = await connect(other, sessionId);
    expect(await live.error({ position: 1, playing: true })).toMatchObject({
      code: 'STUDY_SESSION_NOT_FOUND',
      message: '学习记录不存在，请重新进入学习',
    });
    expect((await live.closed).code).toBe(STUDY_LIVE_CLOSE.notFound);
  });

  it('stops at the next frame after signing out, closing 4001', async () => {
    const { c, sessionId } = await studying();
    const live = await connect(c, sessionId);
    env.clock.advance(15 * S);
    await live.ok(15);
    expect((await c.del('/api/sessions/current')).statusCode).toBeLessThan(300);
    env.clock.advance(15 * S);
    const err = await live.error({ position: 30, playing: true });
    expect(['SESSION_EXPIRED', 'UNAUTHENTICATED']).toContain(err.code);
    expect((await live.closed).code).toBe(STUDY_LIVE_CLOSE.signedOut);
  });

  it('answers STUDY_SESSION_REPLACED and closes 4009 when another tab starts studying', async () => {
    const { c, plan, chapterId, sessionId } = await studying();
    const live = await connect(c, sessionId);
    env.clock.advance(15 * S);
    await live.ok(15);
    await start(c, plan.id, chapterId);
    env.clock.advance(15 * S);
    expect(await live.error({ position: 30, playing: true })).toMatchObject({
      code: 'STUDY_SESSION_REPLACED',
      message: '您已在其他设备或窗口开始学习，本页学习已停止',
    });
    expect((await live.closed).code).toBe(STUDY_LIVE_CLOSE.replaced);
  });
});

describe('limits', () => {
  it('closes 1009 on a frame over 1 KB', async () => {
    const { c, sessionId } = await studying();
    const live = await connect(c, sessionId);
    live.send(JSON.stringify({ position: 1, playing: true, pad: 'x'.repeat(2048) }));
    expect((await live.closed).code).toBe(1009);
  });

  it('answers a flood with RATE_LIMITED after the frames it accepted, then closes 1008', async () => {
    const { c, sessionId } = await studying();
    const live = await connect(c, sessionId);
    const replies: TStudyLiveReply[] = [];
    for (let i = 0; i < 40; i++) live.send({ position: 0, playing: false });
    const { code } = await live.closed;
    for (;;) {
      const r = await Promise.race([live.next(), new Promise<null>((res) => setTimeout(() => res(null), 50))]);
      if (!r) break;
      replies.push(r);
    }
    expect(code).toBe(1008);
    const last = replies.at(-1);
    expect(last).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    const accepted = replies.slice(0, -1);
    // The burst (10 frames, a little more if the clock moved meanwhile), each answered normally.
    expect(accepted.length).toBeGreaterThanOrEqual(10);
    expect(accepted.length).toBeLessThan(13);
    expect(accepted.every((r) => r.ok)).toBe(true);
  });

  it('refuses a sixth open channel of one learner with RATE_LIMITED and 1008, and takes one again once one closes', async () => {
    const { c, sessionId, accountId } = await studying();
    const open: Array<Awaited<ReturnType<typeof connect>>> = [];
    // One at a time: sockets opened together are claimed in any order on PostgreSQL, and the test needs the sixth
    // to be the one refused.
    for (let i = 0; i < 5; i++) {
      open.push(await connect(c, sessionId));
      await liveChannelsOf(env.ctx.db, accountId, i + 1);
    }
    const sixth = await connect(c, sessionId);
    expect(await sixth.next()).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect((await sixth.closed).code).toBe(1008);
    const [first, last] = [open[0], open[4]] as [(typeof open)[number], (typeof open)[number]];
    // The five open before it still beat.
    env.clock.advance(5 * S);
    expect((await first.ok(5)).creditedSeconds).toBe(5);

    last.ws.close();
    await last.closed;
    await liveChannelsOf(env.ctx.db, accountId, 4);
    const again = await connect(c, sessionId);
    env.clock.advance(5 * S);
    expect((await again.ok(10)).creditedSeconds).toBe(10);
    for (const l of [...open, again]) l.ws.close();
  });
});

describe('failures', () => {
  it('answers INTERNAL_ERROR without the cause and closes 1011 when the server fails unexpectedly', async () => {
    const { c, sessionId } = await studying();
    const live = await connect(c, sessionId);
    const heartbeat = env.ctx.study.heartbeat;
    env.ctx.study.heartbeat = async () => {
      throw new Error('connection to database lost: secret detail');
    };
    try {
      const error = await live.error({ position: 1, playing: true });
      expect(error.code).toBe('INTERNAL_ERROR');
      expect(JSON.stringify(error)).not.toContain('secret detail');
      expect((await live.closed).code).toBe(1011);
    } finally {
      env.ctx.study.heartbeat = heartbeat;
    }
  });
});

describe('keep-alive', () => {
  it('pings every STUDY_LIVE_PING_SECONDS, keeps a socket that answers and ends one that stopped answering', async () => {
    // Its own environment, with a one-second ping (the clock of pings is real time, not the test clock).
    const own = await createTestEnv({ STUDY_LIVE_PING_SECONDS: '1' });
    await own.publicApp.listen({ port: 0, host: '127.0.0.1' });
    const ownBase = `http://127.0.0.1:${(own.publicApp.server.address() as AddressInfo).port}`;
    const e = await enrolled(own, [{ hours: 30, chapters: [{ durationSeconds: 600 }] }]);
    const { sessionId } = await start(e.c, e.plan.id, e.courses[0]?.chapters[0]?.id as string);
    const open = (autoPong: boolean) =>
      new WebSocket(`${ownBase.replace('http', 'ws')}/api/study/sessions/${sessionId}/live`, {
        headers: { cookie: cookieOf(e.c), origin: ownBase },
        autoPong,
      });
    const alive = open(true);
    const gone = open(false);
    let pings = 0;
    gone.on('ping', () => pings++);
    const goneClosed = new Promise<number>((resolve) => gone.on('close', (code) => resolve(code)));
    await Promise.all([once(alive, 'open'), once(gone, 'open')]);

    // Terminated without a closing handshake after one unanswered ping: the client sees 1006.
    expect(await goneClosed).toBe(1006);
    expect(pings).toBeGreaterThanOrEqual(1);
    expect(alive.readyState).toBe(WebSocket.OPEN);
    alive.send(JSON.stringify({ position: 0, playing: false }));
    const [data] = await once(alive, 'message');
    expect(ZStudyLiveReply.parse(JSON.parse(String(data))).ok).toBe(true);
    alive.close();
  });
});

describe('durability', () => {
  it('persists on a graceful stop what the channel credited', async () => {
    // Its own environment: stopping the study service ends its buffer for the rest of the file.
    const own = await createTestEnv();
    await own.publicApp.listen({ port: 0, host: '127.0.0.1' });
    const ownBase = `http://127.0.0.1:${(own.publicApp.server.address() as AddressInfo).port}`;
    const e = await enrolled(own, [{ hours: 30, chapters: [{ durationSeconds: 600 }] }]);
    const chapterId = e.courses[0]?.chapters[0]?.id as string;
    const { sessionId } = await start(e.c, e.plan.id, chapterId);
    const ws = new WebSocket(`${ownBase.replace('http', 'ws')}/api/study/sessions/${sessionId}/live`, {
      headers: { cookie: cookieOf(e.c), origin: ownBase },
    });
    await once(ws, 'open');
    let credited = 0;
    for (let pos = 15; pos <= 60; pos += 15) {
      own.clock.advance(15 * S);
      ws.send(JSON.stringify({ position: pos, playing: true }));
      const [data] = await once(ws, 'message');
      const reply = ZStudyLiveReply.parse(JSON.parse(String(data)));
      if (!reply.ok) throw new Error(reply.error.message);
      credited = reply.result.creditedSeconds;
    }
    expect(credited).toBe(60);
    ws.close();
    await own.ctx.study.stop();
    const [row] = await own.ctx.db
      .select()
      .from(chapterProgress)
      .where(and(eq(chapterProgress.enrollmentId, e.enrollmentId), eq(chapterProgress.chapterId, chapterId)));
    expect(row?.creditedSeconds).toBe(credited);
  });
});
