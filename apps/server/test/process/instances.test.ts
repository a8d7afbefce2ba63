import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingString } from '../../src/adapters/payment/local-gateway.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { jobs } from '../../src/db/schema/index.js';
import { INSTANCE_LINK_APPLICATION } from '../../src/http/instance-events.js';
import { createPii } from '../../src/lib/pii.js';
import { LOCK_AFTER_FAILURES } from '../../src/modules/identity/lockout.js';
import { STUDY_LIVE_LIMITS } from '../../src/modules/study/study.live.js';
import { DEMO_ACCOUNTS } from '../../src/seed.js';
import { basicBody, buildPerson, type Person, randomPhone } from '../factories.js';
import type { Client } from '../harness.js';
import { connectLive, liveChannelsOf } from '../study-live-client.js';
import { Browser } from './http-client.js';
import { type RoundRobinProxy, startProxy } from './proxy.js';
import { type RunningServer, startServer } from './server-process.js';

/**
 * Issue 22 §3: two server processes on one PostgreSQL database behind a load balancer without sticky sessions (the
 * round-robin proxy of proxy.ts, as deploy/nginx's upstream of two), started at the same moment. Each point is shown
 * through the proxy, or by sending one step to instance A and the next to instance B directly, whichever makes the
 * point: what one instance did, the other must know at once.
 */
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
const missing = TEST_DATABASE_URL
  ? null
  : 'TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres): two instances need one PostgreSQL';
// Under CI a missing database fails (beforeAll says why); on a newcomer's machine the tests are reported as not run.
const skip = !!missing && process.env.CI !== 'true';
if (skip) console.warn(`two-instance tests NOT RUN: ${missing}`);

const LOGIN_FAILURES_PER_IP = 8;
const DATA_ENCRYPTION_KEY = `instances-test-data-key-${crypto.randomBytes(16).toString('hex')}`;

/** A browser of its own address (127.0.0.0/8 is all this machine): per-address limits of one test stay its own. */
let lastOctets = 1;
const nextIp = () => {
  lastOctets++;
  return `127.0.${Math.floor(lastOctets / 250) + 10}.${(lastOctets % 250) + 2}`;
};

describe.skipIf(skip)('two instances on one PostgreSQL behind a load balancer', () => {
  const dbName = `cpe_inst_${crypto.randomBytes(5).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-instances-'));
  let databaseUrl: string;
  let database: Database | undefined;
  let proxy: RoundRobinProxy | undefined;
  let a: RunningServer;
  let b: RunningServer;
  const started: RunningServer[] = [];

  const rows = async <T = Record<string, unknown>>(query: ReturnType<typeof sql>) =>
    ((await (database as Database).db.execute(query)) as unknown as { rows: T[] }).rows;
  const one = async (query: ReturnType<typeof sql>) => Number(Object.values((await rows(query))[0] ?? {})[0] ?? 0);

  beforeAll(async () => {
    if (missing) throw new Error(missing);
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const u = new URL(TEST_DATABASE_URL as string);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();

    proxy = await startProxy();
    const env = {
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: '4',
      // One folder for both, as one volume (or S3) behind both containers: files, the demo gateway's keys.
      DATA_DIR: dataDir,
      PUBLIC_URL: proxy.url,
      TRUST_PROXY: 'true',
      DEMO_MODE: 'true',
      // Short demo videos keep the first start quick.
      DEMO_CHAPTER_SECONDS: '2',
      DATA_ENCRYPTION_KEY,
      LOGIN_FAILURES_PER_IP: String(LOGIN_FAILURES_PER_IP),
    };
    // At the same moment, as an orchestrator starts two replicas: each migrates and seeds under the advisory lock.
    const both = await Promise.allSettled([startServer(env), startServer(env)]);
    for (const s of both) if (s.status === 'fulfilled') started.push(s.value);
    const failed = both.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    [a, b] = started as [RunningServer, RunningServer];
    proxy.targets = [a.publicUrl, b.publicUrl];
    database = await openDatabase({ databaseUrl, poolSize: 2 });
  }, 240_000);

  afterAll(async () => {
    const codes = await Promise.all(started.map((s) => s.stop('SIGTERM')));
    await proxy?.close();
    await database?.close();
    if (TEST_DATABASE_URL) {
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    // Both stopped cleanly (their sockets, jobs and buffered beats closed before the database).
    for (const [i, code] of codes.entries()) expect(code, started[i]?.output()).toBe(0);
  }, 60_000);

  // ---- helpers over real HTTP ----

  /** 新用户注册 through the proxy (each step may reach either instance): image captcha → SMS → step 1 → 实名. */
  async function register(p: Person = buildPerson()): Promise<Person> {
    const web = new Browser((proxy as RoundRobinProxy).url, nextIp());
    const captcha = await web.ok('POST', '/api/captchas/image');
    const captchaCode = await outboxCode(web, 'image-captcha', captcha.id);
    await web.ok('POST', '/api/sms-codes', { phone: p.phone, purpose: 'register', captchaId: captcha.id, captchaCode });
    const flow = await web.ok('POST', '/api/registrations', basicBody(p, await outboxCode(web, 'sms', p.phone)));
    await web.ok('POST', '/api/registrations/complete', { token: flow.token });
    return p;
  }

  async function outboxCode(web: Browser, kind: string, to: string): Promise<string> {
    const { items } = await web.ok('GET', `/api/dev/outbox?kind=${kind}&to=${encodeURIComponent(to)}`);
    expect(items, `${kind} to ${to} in the outbox`).toHaveLength(1);
    return items[0].code;
  }

  /** 向右滑动完成验证 on `web`'s instance, answered from the demo outbox. */
  async function sliderToken(web: Browser): Promise<string> {
    const { id } = await web.ok('POST', '/api/captchas/slider');
    const x = Number(await outboxCode(web, 'slider-captcha', id));
    return (await web.ok('POST', `/api/captchas/slider/${id}/verify`, { x })).token;
  }

  async function login(web: Browser, identifier: string, password: string) {
    const token = await sliderToken(web);
    return web.post('/api/sessions', { loginType: 'person', identifier, password, sliderToken: token });
  }

  /** A person signed in on `base` (an instance, or the proxy) from an address of their own. */
  async function signedIn(base: string, p: Person, ip = nextIp()): Promise<Browser> {
    const web = new Browser(base, ip);
    const res = await login(web, p.username, p.password);
    expect(res.status, res.text).toBe(200);
    return web;
  }

  /** The same browser's cookies replayed later (what a second tab, or a copied cookie, would send). */
  const copyOf = (web: Browser, base = web.base) => new Browser(base, web.ip, new Map(web.cookies));

  // connectLive takes the in-process harness's Client but reads only its cookies.
  const asClient = (web: Browser) => ({ cookies: web.cookies }) as unknown as Client;

  const accountIdOf = async (web: Browser) => (await web.ok('GET', '/api/me')).id as string;

  const demoPlan = async () =>
    (await rows<{ id: string; price_fen: string }>(sql`select id, price_fen from training_plans`))[0] as {
      id: string;
      price_fen: string;
    };

  // ---- the points of §3 ----

  it('the demo seed run by both at the same time created everything once, and both are ready', async () => {
    const outputs = [a.output(), b.output()];
    const seeded = outputs.filter((o) => /\(created: /.test(o));
    // One instance created the demo data; the other, waiting on the lock, found all of it.
    expect(seeded, outputs.join('\n----\n')).toHaveLength(1);
    const created = /\(created: (.*)\):/.exec(seeded[0] as string)?.[1]?.split(', ') ?? [];
    expect(new Set(created).size).toBe(created.length);
    expect(created).toEqual(
      expect.arrayContaining(['staff:admin', 'account:zhangsan', 'account:wangwu', 'account:lisi', 'staff:peixun']),
    );
    for (const s of [a, b]) {
      for (const url of [s.publicUrl, s.staffUrl]) {
        const res = await fetch(`${url}/readyz`);
        expect(await res.json()).toEqual({ status: 'ready' });
      }
    }

    const numberOf = (prefix: string) => Number(created.find((c) => c.startsWith(`${prefix}:`))?.split(':')[1]);
    const named = (prefix: string) => created.filter((c) => c.startsWith(`${prefix}:`)).length;
    const demoPeople = Object.values(DEMO_ACCOUNTS)
      .flatMap((x) => (Array.isArray(x) ? x : [x]))
      .map((x) => x.username);
    expect({
      accounts: await one(
        sql`select count(*)::int from accounts where username in (${sql.join(
          demoPeople.map((n) => sql`${n}`),
          sql`, `,
        )})`,
      ),
      staff: await one(sql`select count(*)::int from staff_accounts`),
      units: await one(sql`select count(*)::int from units`),
      plans: await one(sql`select count(*)::int from training_plans`),
      courses: await one(sql`select count(*)::int from courses`),
      faqs: await one(sql`select count(*)::int from faqs`),
      loginProviders: await one(sql`select count(*)::int from login_providers`),
      batches: await one(sql`select count(*)::int from application_batches`),
      accountSeedAudits: await one(sql`select count(*)::int from audit_logs where action = 'account.seed'`),
    }).toEqual({
      accounts: named('account'),
      staff: named('staff'),
      units: named('unit'),
      plans: named('plan'),
      courses: numberOf('courses'),
      faqs: numberOf('faqs'),
      loginProviders: named('login-provider'),
      batches: named('batch'),
      accountSeedAudits: named('account'),
    });
    // Tables without a unique key on what the seed matches them by: no row twice.
    const duplicates = await rows(sql`
      select 'org_nodes' as t, count(*) - count(distinct (kind, name, coalesce(parent_id::text, ''))) as n from org_nodes
      union all select 'units', count(*) - count(distinct uscc) from units
      union all select 'courses', count(*) - count(distinct title) from courses
      union all select 'course_chapters', count(*) - count(distinct (course_id, position)) from course_chapters
      union all select 'plan_courses', count(*) - count(distinct (plan_id, course_id)) from plan_courses
      union all select 'faqs', count(*) - count(distinct (topic, question)) from faqs
      union all select 'application_batches', count(*) - count(distinct (type, year)) from application_batches
      union all select 'applications', count(*) - count(distinct (type, coalesce(parent_id::text, ''), filer_name, data::text)) from applications`);
    expect(duplicates.filter((r) => Number(r.n) !== 0)).toEqual([]);
  });

  it('a session made on A is valid on B; a logout on B ends it on A at once', async () => {
    const p = await register();
    // The registration's steps went to both instances in turn (its flow, captcha and SMS code are in the database).
    expect((proxy as RoundRobinProxy).served.map((n) => n > 0)).toEqual([true, true]);
    const onA = await signedIn(a.publicUrl, p);
    const onB = onA.at(b.publicUrl);
    // Used on both: each instance now has the session in its cache.
    expect((await onA.get('/api/me')).json).toMatchObject({ username: p.username });
    expect((await onB.get('/api/me')).json).toMatchObject({ username: p.username });
    const kept = copyOf(onA);

    expect((await onB.del('/api/sessions/current')).status).toBe(200);
    for (const base of [a.publicUrl, b.publicUrl]) {
      const res = await kept.at(base).get('/api/me');
      expect(res.status, `${base}: ${res.text}`).toBe(401);
    }
  });

  it('a password change on one instance ends every session of the person on both at once', async () => {
    const p = await register();
    const sessions = [
      await signedIn(a.publicUrl, p),
      await signedIn(b.publicUrl, p),
      await signedIn((proxy as RoundRobinProxy).url, p),
    ];
    const replays = sessions.flatMap((s) => [copyOf(s, a.publicUrl), copyOf(s, b.publicUrl)]);
    for (const r of replays) expect((await r.get('/api/me')).status).toBe(200);

    const newPassword = 'Chang3d!Pw9';
    const changed = await (sessions[0] as Browser)
      .at(b.publicUrl)
      .post('/api/me/password', { oldPassword: p.password, password: newPassword, confirmPassword: newPassword });
    expect(changed.status, changed.text).toBe(200);
    for (const r of replays) {
      const res = await r.get('/api/me');
      expect(res.status, `${r.base}: ${res.text}`).toBe(401);
    }
    // The old password no longer signs in anywhere; the new one does on either.
    expect((await login(new Browser(a.publicUrl, nextIp()), p.username, p.password)).json).toMatchObject({
      code: 'LOGIN_FAILED',
    });
    expect((await login(new Browser(b.publicUrl, nextIp()), p.username, newPassword)).status).toBe(200);
  });

  it('one active study session across instances, and the cap of live channels counts both', async () => {
    const p = await register();
    const onA = await signedIn(a.publicUrl, p);
    const onB = onA.at(b.publicUrl);
    const accountId = await accountIdOf(onA);
    const plan = await demoPlan();
    // The enrolment a paid order makes (the payment itself is the last test's subject).
    await rows(
      sql`insert into enrollments (account_id, plan_id, order_id) values (${accountId}, ${plan.id}, ${crypto.randomUUID()})`,
    );
    const [chapter] = await rows<{ id: string }>(sql`
      select ch.id from plan_courses pc join course_chapters ch on ch.course_id = pc.course_id
      where pc.plan_id = ${plan.id} order by pc.position, ch.position limit 1`);
    const startOn = async (web: Browser) => {
      const res = await web.post('/api/study/sessions', { planId: plan.id, chapterId: chapter?.id });
      expect(res.status, res.text).toBe(200);
      return res.json.sessionId as string;
    };
    const beat = (web: Browser, sessionId: string) =>
      web.post(`/api/study/sessions/${sessionId}/heartbeat`, { position: 0, playing: true, rate: 1 });

    // Studying in a window served by A; another window, served by B, starts studying: A's session ends.
    const first = await startOn(onA);
    expect((await beat(onA, first)).status).toBe(200);
    const second = await startOn(onB);
    for (const web of [onA, onB]) {
      const res = await beat(web, first);
      expect({ status: res.status, code: res.json?.code }, `${web.base}: ${res.text}`).toEqual({
        status: 409,
        code: 'STUDY_SESSION_REPLACED',
      });
    }
    expect((await beat(onA, second)).status).toBe(200);
    expect(
      await one(sql`select count(*)::int from study_sessions where account_id = ${accountId} and ended_at is null`),
    ).toBe(1);

    // Live channels: three on A and two on B, each counted before the next opens (claims at once go in any order).
    const open = [];
    for (const base of [a.publicUrl, a.publicUrl, a.publicUrl, b.publicUrl, b.publicUrl]) {
      open.push(await connectLive(base, asClient(onA), second));
      await liveChannelsOf((database as Database).db, accountId, open.length);
    }
    expect(open).toHaveLength(STUDY_LIVE_LIMITS.socketsPerLearner);
    for (const base of [b.publicUrl, a.publicUrl]) {
      const refused = await connectLive(base, asClient(onA), second);
      expect(await refused.next()).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
      expect((await refused.closed).code).toBe(1008);
    }
    // One closed on A: B may open one, and it carries beats.
    const [gone] = open as [(typeof open)[number]];
    gone.ws.close();
    await gone.closed;
    await liveChannelsOf((database as Database).db, accountId, STUDY_LIVE_LIMITS.socketsPerLearner - 1);
    const again = await connectLive(b.publicUrl, asClient(onA), second);
    expect((await again.ok(1)).chapterComplete).toBe(false);
    for (const l of [...open.slice(1), again]) {
      l.ws.close();
      await l.closed;
    }
    await liveChannelsOf((database as Database).db, accountId, 0);
  });

  it('a background job is run exactly once while both instances poll the queue', async () => {
    const pii = createPii(DATA_ENCRYPTION_KEY);
    const phones = Array.from({ length: 40 }, () => randomPhone());
    // Queued as a notice's transaction queues them, due together a moment from now: both pollers find them at once.
    const runAt = new Date(Date.now() + 1500);
    const queued = await (database as Database).db
      .insert(jobs)
      .values(
        phones.map((phone, i) => ({
          kind: 'notify.sms',
          payload: {
            phoneEnc: pii.encrypt(phone),
            template: 'ticket-replied',
            paramsEnc: pii.encrypt(JSON.stringify({ ticketNo: `T${i}` })),
          },
          runAt,
        })),
      )
      .returning({ id: jobs.id });
    const ids = sql.join(
      queued.map((q) => sql`${q.id}::uuid`),
      sql`, `,
    );
    await expect
      .poll(() => one(sql`select count(*)::int from jobs where id in (${ids}) and status = 'done'`), {
        timeout: 30_000,
        interval: 200,
      })
      .toBe(phones.length);
    // Each claimed once (a second claim would count a second attempt), each notice sent once.
    expect(await one(sql`select max(attempts)::int from jobs where id in (${ids})`)).toBe(1);
    const sent = await rows<{ to: string; n: number }>(sql`
      select "to", count(*)::int as n from dev_outbox
      where kind = 'sms' and "to" in (${sql.join(
        phones.map((ph) => sql`${ph}`),
        sql`, `,
      )}) group by "to"`);
    expect(sent).toHaveLength(phones.length);
    expect(sent.filter((r) => r.n !== 1)).toEqual([]);
  });

  it('login lockout and rate limits are counted on both instances together', async () => {
    const p = await register();
    // Wrong passwords, one after another on A and B: the account locks at the configured count.
    const ip = nextIp();
    const at = (i: number) => new Browser(i % 2 === 0 ? a.publicUrl : b.publicUrl, ip);
    for (let i = 1; i < LOCK_AFTER_FAILURES; i++) {
      const res = await login(at(i), p.username, 'Wr0ng!pass');
      expect({ i, code: res.json.code }).toEqual({ i, code: 'LOGIN_FAILED' });
    }
    const locking = await login(at(LOCK_AFTER_FAILURES), p.username, 'Wr0ng!pass');
    expect(locking.json.code).toBe('ACCOUNT_LOCKED');
    // Locked on both, even with the right password.
    for (const base of [a.publicUrl, b.publicUrl]) {
      const res = await login(new Browser(base, nextIp()), p.username, p.password);
      expect({ status: res.status, code: res.json.code }).toEqual({ status: 423, code: 'ACCOUNT_LOCKED' });
    }

    // Failed logins per address (LOGIN_FAILURES_PER_IP), spread over both: then refused on both.
    const guesser = nextIp();
    for (let i = 0; i < LOGIN_FAILURES_PER_IP; i++) {
      const base = i % 2 === 0 ? a.publicUrl : b.publicUrl;
      const res = await login(new Browser(base, guesser), `nobody${crypto.randomBytes(3).toString('hex')}`, 'x');
      expect({ i, code: res.json.code }).toEqual({ i, code: 'LOGIN_FAILED' });
    }
    for (const base of [a.publicUrl, b.publicUrl]) {
      const res = await login(new Browser(base, guesser), DEMO_ACCOUNTS.learner.username, 'Wr0ng!pass');
      expect({ status: res.status, code: res.json.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
    }

    // Captchas per address and minute: half the allowance on each instance, then the next is refused on both.
    const drawer = nextIp();
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const base = i % 2 === 0 ? a.publicUrl : b.publicUrl;
      statuses.push((await new Browser(base, drawer).post('/api/captchas/image')).status);
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    for (const base of [a.publicUrl, b.publicUrl]) {
      const res = await new Browser(base, drawer).post('/api/captchas/image');
      expect({ status: res.status, code: res.json.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('a payment notification delivered twice, to each instance at the same moment, enrols once', async () => {
    const p = await register();
    const web = await signedIn((proxy as RoundRobinProxy).url, p);
    const accountId = await accountIdOf(web);
    const plan = await demoPlan();
    const order = await web.ok('POST', '/api/orders', { planId: plan.id, invoice: { mode: 'later' } });
    const payment = await web.ok('POST', `/api/orders/${order.id}/payments`, { channel: 'alipay', device: 'desktop' });
    // The payer opens the demo gateway's cashier (whichever instance serves it makes the gateway's keys, once).
    const cashier = await fetch(payment.url);
    expect(cashier.status).toBe(200);
    const [pay] = await rows<{ out_trade_no: string; id: string }>(
      sql`select id, out_trade_no from payments where order_id = ${order.id}`,
    );

    // What the gateway posts: one notice, signed with its key in the shared data folder.
    const keys = JSON.parse(fs.readFileSync(path.join(dataDir, 'gateway-keys.json'), 'utf8'));
    const fields: Record<string, string> = {
      notify_id: crypto.randomUUID().replaceAll('-', ''),
      notify_time: new Date().toISOString(),
      channel: 'alipay',
      out_trade_no: pay?.out_trade_no as string,
      trade_no: `LG${Date.now()}`,
      total_fen: String(plan.price_fen),
      trade_status: 'SUCCESS',
      paid_at: new Date().toISOString(),
      sign_type: 'RSA2',
    };
    fields.sign = crypto
      .sign('sha256', Buffer.from(signingString(fields), 'utf8'), crypto.createPrivateKey(keys.privateKeyPem))
      .toString('base64');
    const body = new URLSearchParams(fields).toString();
    const deliver = (base: string) =>
      fetch(`${base}/api/payments/notify/alipay`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      }).then(async (res) => ({ status: res.status, body: await res.text() }));
    const answers = await Promise.all([deliver(a.publicUrl), deliver(b.publicUrl)]);
    // Both acknowledged, so the gateway stops sending: one as the payment, one as its duplicate.
    expect(answers).toEqual([
      { status: 200, body: 'success' },
      { status: 200, body: 'success' },
    ]);

    expect((await web.ok('GET', `/api/orders/${order.id}`)).status).toBe('paid');
    expect({
      enrolments: await one(
        sql`select count(*)::int from enrollments where account_id = ${accountId} and plan_id = ${plan.id}`,
      ),
      paidPayments: await one(sql`select count(*)::int from payments where order_id = ${order.id} and status = 'paid'`),
      paidAudits: await one(
        sql`select count(*)::int from audit_logs where action = 'payment.paid' and target_id = ${pay?.id}`,
      ),
      outcomes: (
        await rows<{ outcome: string }>(
          sql`select outcome from payment_notifications where out_trade_no = ${pay?.out_trade_no} order by outcome`,
        )
      ).map((r) => r.outcome),
    }).toEqual({ enrolments: 1, paidPayments: 1, paidAudits: 1, outcomes: ['duplicate', 'paid'] });
  });

  it('the link between instances heals: with its connections cut a logout still answers, and then reaches the other', async () => {
    const links = sql`select count(*) from pg_stat_activity
      where datname = ${dbName} and application_name = ${INSTANCE_LINK_APPLICATION} and query like 'LISTEN%'`;
    expect(await one(links)).toBe(2);
    // A database restart or a proxy's idle timeout, as the instances see it: their link connections end.
    await rows(sql`select pg_terminate_backend(pid) from pg_stat_activity
      where datname = ${dbName} and application_name = ${INSTANCE_LINK_APPLICATION}`);

    const p = await register();
    const first = await signedIn(a.publicUrl, p);
    const out = await first.del('/api/sessions/current');
    expect(out.status, out.text).toBe(200);

    // Both listen again within seconds, without a restart.
    for (let i = 0; i < 100 && (await one(links)) < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await one(links)).toBe(2);
    const onA = await signedIn(a.publicUrl, p);
    expect((await onA.get('/api/me')).status).toBe(200);
    const kept = copyOf(onA);
    expect((await onA.at(b.publicUrl).del('/api/sessions/current')).status).toBe(200);
    expect((await kept.get('/api/me')).status).toBe(401);
  });
});
