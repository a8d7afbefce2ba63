import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildPublicApp, buildStaffApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { antiIdleChecks, chapterProgress, studySessions } from '../../src/db/schema/index.js';
import { TestClock } from '../../src/lib/clock.js';
import { Client, freshDatabase, instanceBus, type TestEnv } from '../harness.js';
import { enrolled, start } from '../study-factories.js';
import { connectLive, liveChannelsOf } from '../study-live-client.js';

/**
 * Several instances of the platform on one database behind a load balancer that does not keep a learner on one
 * of them: a beat or an answer may reach any instance. Each holds the study sessions it credits in memory; the
 * one that gets a session it does not hold takes it over from the database and tells the others (PostgreSQL
 * NOTIFY, what server.ts wires; PGlite has one process, so an in-memory channel stands in for it).
 */
const S = 1000;
const database = await freshDatabase();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-test-study-instances-'));
// 防挂机 after exactly 60 s of credited play.
const config = loadConfig({
  NODE_ENV: 'test',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  DEMO_MODE: 'true',
  STUDY_CHECK_MIN_SECONDS: '60',
  STUDY_CHECK_MAX_SECONDS: '60',
});
const clock = new TestClock();
const bus = instanceBus(database, dataDir);

/** An instance, linked as server.ts links them; `linked: false` is one whose messages never arrive either way. */
async function instance(linked = true): Promise<TestEnv> {
  const link = linked ? await bus.join() : undefined;
  const ctx = createContext({ config, database, clock, ...link });
  link?.attach(ctx);
  const publicApp = await buildPublicApp(ctx, { logLevel: 'silent' });
  const staffApp = await buildStaffApp(ctx, { logLevel: 'silent' });
  bus.onClose(
    () => publicApp.close(),
    () => staffApp.close(),
  );
  return { ctx, clock, publicApp, staffApp, dataDir };
}

const a = await instance();
await a.ctx.org.seed();
const b = await instance();

/** The same browser on another instance: its cookies, its address. */
function on(e: TestEnv, c: Client): Client {
  const other = new Client(e.publicApp, 'cpe_csrf', c.ip);
  for (const [k, v] of c.cookies) other.cookies.set(k, v);
  return other;
}

async function beat(c: Client, sessionId: string, position: number) {
  const res = await c.post(`/api/study/sessions/${sessionId}/heartbeat`, { position, playing: true, rate: 1 });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    creditedSeconds: number;
    creditedNow: number;
    check: { id: string; prompt: string; options: string[] } | null;
  };
}

/** NOTIFY arrives asynchronously: the instance lets go within moments. */
async function lets(e: TestEnv, sessionId: string) {
  for (let i = 0; i < 200 && e.ctx.study.holds(sessionId); i++) await new Promise((r) => setTimeout(r, 10));
  expect(e.ctx.study.holds(sessionId)).toBe(false);
}

/** Who holds the session in the database, and the credit written for the session and its chapter. */
async function expectStored(sessionId: string, owner: string, seconds: number) {
  const [session] = await database.db.select().from(studySessions).where(eq(studySessions.id, sessionId));
  const [progress] = await database.db
    .select()
    .from(chapterProgress)
    .where(eq(chapterProgress.enrollmentId, session?.enrollmentId as string));
  expect({ owner: session?.owner, session: session?.creditedSeconds, chapter: progress?.creditedSeconds }).toEqual({
    owner,
    session: seconds,
    chapter: seconds,
  });
}

async function studying(durationSeconds = 600) {
  const e = await enrolled(a, [{ hours: 30, chapters: [{ durationSeconds }] }]);
  const { sessionId } = await start(e.c, e.plan.id, e.courses[0]?.chapters[0]?.id as string);
  return { onA: e.c, onB: on(b, e.c), sessionId, accountId: e.accountId };
}

describe('a study session across instances', () => {
  it('credits beats that reach either instance once, each going on from where the other left off', async () => {
    const { onA, onB, sessionId } = await studying();
    clock.advance(15 * S);
    expect((await beat(onA, sessionId, 15)).creditedSeconds).toBe(15);
    await a.ctx.study.buffer.flush();

    clock.advance(15 * S);
    expect((await beat(onB, sessionId, 30)).creditedSeconds).toBe(30);
    await lets(a, sessionId);
    await b.ctx.study.buffer.flush();
    await expectStored(sessionId, b.ctx.study.instanceId, 30);

    clock.advance(15 * S);
    expect((await beat(onA, sessionId, 45)).creditedSeconds).toBe(45);
    await lets(b, sessionId);
    // B's copy was dropped with what it had not written: only A writes now.
    await b.ctx.study.buffer.flush();
    await a.ctx.study.buffer.flush();
    await expectStored(sessionId, a.ctx.study.instanceId, 45);
  });

  it('refuses the writes of an instance that did not hear of the takeover, which then reads the session again', async () => {
    const { onA, sessionId } = await studying();
    clock.advance(15 * S);
    await beat(onA, sessionId, 15);
    await a.ctx.study.buffer.flush();
    // Taken over by an instance whose message never reached A.
    await a.ctx.db.update(studySessions).set({ owner: 'elsewhere' }).where(eq(studySessions.id, sessionId));

    clock.advance(15 * S);
    expect((await beat(onA, sessionId, 30)).creditedSeconds).toBe(30);
    await a.ctx.study.buffer.flush();
    await expectStored(sessionId, 'elsewhere', 15);
    expect(a.ctx.study.holds(sessionId)).toBe(false);

    // Its next beat takes the session over from what the database holds: the time is credited once.
    clock.advance(15 * S);
    expect((await beat(onA, sessionId, 45)).creditedSeconds).toBe(45);
    await a.ctx.study.buffer.flush();
    await expectStored(sessionId, a.ctx.study.instanceId, 45);
  });

  it('takes a 防挂机 answer on the other instance, and the player goes on without the question', async () => {
    const { onA, onB, sessionId } = await studying(1000);
    let last = await beat(onA, sessionId, 0);
    for (let pos = 15; pos <= 60; pos += 15) {
      clock.advance(15 * S);
      last = await beat(onA, sessionId, pos);
    }
    const check = last.check;
    expect(check).not.toBeNull();
    const [x, y] = (check?.prompt.match(/\d/g) ?? []).map(Number);
    const right = check?.options.indexOf(String((x as number) + (y as number)));

    const answered = await onB.post(`/api/study/checks/${check?.id}/answer`, { answer: right });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ outcome: 'correct', voidedSeconds: 0, creditedSeconds: 60 });
    await lets(a, sessionId);

    clock.advance(15 * S);
    const next = await beat(onA, sessionId, 75);
    expect(next.check).toBeNull();
    expect(next.creditedSeconds).toBe(75);
    const [row] = await a.ctx.db
      .select()
      .from(antiIdleChecks)
      .where(eq(antiIdleChecks.id, check?.id as string));
    expect(row).toMatchObject({ outcome: 'correct', voidedSeconds: 0 });
  });

  it('answers a question on an instance whose copy of the session is out of date', async () => {
    const c = await instance(false);
    const { onA, onB, sessionId } = await studying(1000);
    const onC = on(c, onA);
    // B holds the session; C takes it over without B hearing of it, plays on, and asks the question.
    clock.advance(15 * S);
    await beat(onB, sessionId, 15);
    await b.ctx.study.buffer.flush();
    let last = await beat(onC, sessionId, 15);
    for (let pos = 30; pos <= 60; pos += 15) {
      clock.advance(15 * S);
      last = await beat(onC, sessionId, pos);
    }
    expect(last.check).not.toBeNull();
    expect(b.ctx.study.holds(sessionId)).toBe(true);
    const [x, y] = (last.check?.prompt.match(/\d/g) ?? []).map(Number);
    const right = last.check?.options.indexOf(String((x as number) + (y as number)));

    // B's copy knows no question; the database does. B reads the session again and takes the answer.
    const answered = await onB.post(`/api/study/checks/${last.check?.id}/answer`, { answer: right });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ outcome: 'correct', creditedSeconds: 60 });
  });
});

describe('the live channel across instances', () => {
  it('caps a learner at five open channels on all instances together, and takes one again once one closes', async () => {
    const listen = async (e: TestEnv) => {
      await e.publicApp.listen({ port: 0, host: '127.0.0.1' });
      return `http://127.0.0.1:${(e.publicApp.server.address() as AddressInfo).port}`;
    };
    const [baseA, baseB] = [await listen(a), await listen(b)];
    const { onA, onB, sessionId, accountId } = await studying();
    // Three on A and two on B, each claimed before the next opens: together they are claimed in any order.
    const open = [];
    for (const [base, c] of [
      [baseA, onA],
      [baseA, onA],
      [baseA, onA],
      [baseB, onB],
      [baseB, onB],
    ] as const) {
      open.push(await connectLive(base, c, sessionId));
      await liveChannelsOf(database.db, accountId, open.length);
    }
    const sixth = await connectLive(baseB, onB, sessionId);
    expect(await sixth.next()).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect((await sixth.closed).code).toBe(1008);
    expect(await (await connectLive(baseA, onA, sessionId)).closed).toMatchObject({ code: 1008 });

    // One closed on A: B may open one.
    const [first] = open as [(typeof open)[number]];
    first.ws.close();
    await first.closed;
    await liveChannelsOf(database.db, accountId, 4);
    const again = await connectLive(baseB, onB, sessionId);
    clock.advance(5 * S);
    expect((await again.ok(5)).creditedSeconds).toBe(5);
    for (const l of [...open, again]) l.ws.close();
  });
});
