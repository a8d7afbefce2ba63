import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { buildPublicApp, buildStaffApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { type ContextOptions, createContext } from '../src/context.js';
import { type Database, openDatabase } from '../src/db/client.js';
import { type InstanceLink, linkInstances } from '../src/http/instance-events.js';
import { TestClock } from '../src/lib/clock.js';

/** A fresh database for this test file, copied from the migrated template of this run (url: PostgreSQL's). */
export async function freshDatabase(): Promise<Database & { url?: string }> {
  if (process.env.TEST_DB_KIND === 'postgres') {
    const url = process.env.TEST_DATABASE_URL as string;
    const template = inject('pgTemplate');
    const name = `${template}_f${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${template}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    return { ...(await openDatabase({ databaseUrl: u.toString(), poolSize: 4 })), url: u.toString() };
  }
  const tar = fs.readFileSync(inject('pgliteTemplate'));
  return openDatabase({ loadDataDir: new Blob([tar]) });
}

export interface TestEnv {
  ctx: ReturnType<typeof createContext>;
  clock: TestClock;
  publicApp: FastifyInstance;
  staffApp: FastifyInstance;
  dataDir: string;
}

/** Builds both apps on a fresh database with a movable clock; closed after the file's tests. */
export async function createTestEnv(
  env: Record<string, string> = {},
  adapters?: ContextOptions['adapters'],
  log?: { level: string; stream: NodeJS.WritableStream },
): Promise<TestEnv> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-test-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_MODE: 'true', ...env });
  const database = await freshDatabase();
  const clock = new TestClock();
  const ctx = createContext({ config, database, clock, adapters });
  await ctx.org.seed();
  const logOpts = { logLevel: log?.level ?? 'silent', logStream: log?.stream };
  const publicApp = await buildPublicApp(ctx, logOpts);
  const staffApp = await buildStaffApp(ctx, logOpts);
  afterAll(async () => {
    await publicApp.close();
    await staffApp.close();
    // A test may have closed it already (readyz with the database gone).
    await database.close().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return { ctx, clock, publicApp, staffApp, dataDir };
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * A browser-like client: keeps cookies, echoes the CSRF cookie in the header, remembers the IP it claims.
 * Requests go through Fastify's inject (real routing, hooks, serialisation), not through our services.
 */
export class Client {
  readonly cookies = new Map<string, string>();
  /** The Host the browser sends: the portal's address it opened (unset: light-my-request's `localhost:80`). */
  host: string | undefined;
  constructor(
    readonly app: FastifyInstance,
    readonly csrfCookie: 'cpe_csrf' | 'cpe_staff_csrf' = 'cpe_csrf',
    public ip = `10.${rand()}.${rand()}.${rand()}`,
  ) {}

  private store(res: LightMyRequestResponse) {
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()) || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async ensureCsrf(): Promise<string> {
    if (!this.cookies.has(this.csrfCookie)) await this.request('GET', '/api/csrf');
    return this.cookies.get(this.csrfCookie) as string;
  }

  async request(
    method: Method,
    url: string,
    body?: unknown,
    opts: { csrf?: boolean; headers?: Record<string, string>; payload?: Buffer | string } = {},
  ): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = {
      'user-agent': 'vitest',
      ...(this.host ? { host: this.host } : {}),
      ...opts.headers,
    };
    if (method !== 'GET' && opts.csrf !== false) headers['x-csrf-token'] = await this.ensureCsrf();
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await this.app.inject({
      method,
      url,
      headers,
      remoteAddress: this.ip,
      ...(opts.payload !== undefined
        ? { payload: opts.payload }
        : body !== undefined
          ? { payload: body as object }
          : {}),
    });
    this.store(res);
    return res;
  }

  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: unknown) => this.request('POST', url, body ?? {});
  del = (url: string) => this.request('DELETE', url);
}

function rand() {
  return crypto.randomInt(1, 254);
}

/**
 * Several instances of the platform on one database, as behind a load balancer, linked as server.ts links them:
 * through PostgreSQL NOTIFY (`linkInstances`) when the database is PostgreSQL; PGlite is one process, so an
 * in-memory channel stands in (skipping the sender, as the real one does). After the file's tests it closes what
 * was registered with `onClose` (the apps), the links, the database and the data directory.
 */
export function instanceBus(database: Database & { url?: string }, dataDir: string) {
  const members: Array<{ evict(ids: string[]): void; released(ids: string[]): void }> = [];
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of closers) await close();
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const others = (index: number) => members.filter((_, i) => i !== index);
  return {
    onClose(...fns: Array<() => Promise<void>>) {
      closers.push(...fns);
    },
    async join(): Promise<InstanceLink> {
      if (database.url) {
        const link = await linkInstances(database.url);
        closers.push(link.close);
        return link;
      }
      const index = members.push({ evict: () => {}, released: () => {} }) - 1;
      const me = members[index] as (typeof members)[number];
      return {
        sessionEvents: {
          async publishRevoked(ids) {
            for (const m of others(index)) m.evict(ids);
          },
        },
        studyEvents: {
          async publishClaimed(ids) {
            for (const m of others(index)) m.released(ids);
          },
        },
        attach(ctx) {
          me.evict = ctx.sessions.evict;
          me.released = ctx.study.released;
        },
      };
    },
  };
}
