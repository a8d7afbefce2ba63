import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildPublicApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { afterCommit } from '../../src/db/client.js';
import { siteSettings } from '../../src/db/schema/index.js';
import { login, register } from '../factories.js';
import { Client, freshDatabase, instanceBus } from '../harness.js';

/**
 * Two instances of the platform on one database, as behind a load balancer. Each caches sessions for up to a
 * minute; an ended session must be refused by the other instance at once. On PostgreSQL the instances talk
 * through NOTIFY (what server.ts wires); PGlite has one process, so an in-memory channel stands in for it.
 */
const database = await freshDatabase();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-test-sessions-'));
const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_MODE: 'true' });

const bus = instanceBus(database, dataDir);

async function instance() {
  const link = await bus.join();
  const ctx = createContext({ config, database, ...link });
  link.attach(ctx);
  const app = await buildPublicApp(ctx, { logLevel: 'silent' });
  bus.onClose(() => app.close());
  return { ctx, app };
}

const a = await instance();
await a.ctx.org.seed();
const b = await instance();

/** Signed in on A; the same browser's next request may land on B. */
async function signedInOnBoth() {
  const p = await register(new Client(a.app));
  const onA = new Client(a.app);
  expect((await login(onA, p.username, p.password)).statusCode).toBe(200);
  const onB = new Client(b.app, 'cpe_csrf', onA.ip);
  for (const [k, v] of onA.cookies) onB.cookies.set(k, v);
  expect((await onB.get('/api/me')).statusCode).toBe(200);
  return { p, onA, onB };
}

/** NOTIFY arrives asynchronously: the other instance refuses within moments, not after its cache time. */
const refusedSoon = (c: Client) =>
  expect.poll(async () => (await c.get('/api/me')).statusCode, { timeout: 3_000, interval: 50 }).toBe(401);

describe('sessions on two instances', () => {
  it('a password change on one instance ends the session on the other at once', async () => {
    const { p, onA, onB } = await signedInOnBoth();
    const changed = await onA.post('/api/me/password', {
      oldPassword: p.password,
      password: 'N3w-Secret!',
      confirmPassword: 'N3w-Secret!',
    });
    expect(changed.statusCode).toBe(200);
    await refusedSoon(onB);
  });

  it('signing out on one instance ends the session on the other', async () => {
    const { onA, onB } = await signedInOnBoth();
    expect((await onA.del('/api/sessions/current')).statusCode).toBe(200);
    await refusedSoon(onB);
  });
});

describe('afterCommit', () => {
  const key = (name: string) => `test.after-commit.${name}.${Math.random()}`;
  const stored = async (k: string) =>
    (await database.db.select().from(siteSettings).where(eq(siteSettings.key, k))).length;

  it('runs once the transaction is committed, and sees what it wrote from another connection', async () => {
    const k = key('commit');
    const seen: number[] = [];
    let ranInside = false;
    await database.db.transaction(async (tx) => {
      await tx.insert(siteSettings).values({ key: k, value: 1 });
      afterCommit(() => {
        seen.push(1);
      });
      ranInside = seen.length > 0;
    });
    expect(ranInside).toBe(false);
    expect(seen).toEqual([1]);
    expect(await stored(k)).toBe(1);
  });

  it('never runs after a rollback; outside a transaction it runs at once', async () => {
    const k = key('rollback');
    let ran = false;
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(siteSettings).values({ key: k, value: 1 });
        afterCommit(() => {
          ran = true;
        });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(ran).toBe(false);
    expect(await stored(k)).toBe(0);
    afterCommit(() => {
      ran = true;
    });
    expect(ran).toBe(true);
  });
});
