import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/seed.js';
import { startServer } from './server-process.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-restart-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function json(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json(), headers: res.headers };
}

describe('npm start on embedded PGlite', () => {
  it('prints both URLs and the demo accounts, seeds once, keeps data across Ctrl-C and restart', async () => {
    const first = await startServer({ DATA_DIR: dataDir });
    expect(first.output()).toMatch(/门户 public portal/);
    expect(first.output()).toMatch(/内网 staff console/);
    expect(first.output()).toMatch(/zhangsan \/ Demo@2026/);
    // Login names only: the demo learner's phone and ID number have the form of personal data.
    expect(first.output()).not.toContain(DEMO_ACCOUNTS.learner.phone);
    expect(first.output()).not.toContain(DEMO_ACCOUNTS.learner.idNumber);
    expect(first.output()).toMatch(
      /created: staff:admin, staff:yuzhong, staff:shiju, account:zhangsan, .*unit:重庆市卫生健康委员会/,
    );
    expect((await json(`${first.publicUrl}/readyz`)).body).toEqual({ status: 'ready' });
    expect((await json(`${first.staffUrl}/readyz`)).body).toEqual({ status: 'ready' });

    // Write something through the API: an image captcha lands in the outbox.
    const csrf = await fetch(`${first.publicUrl}/api/csrf`);
    const cookie = (csrf.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const { token } = await csrf.json();
    const captcha = await json(`${first.publicUrl}/api/captchas/image`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': token },
    });
    expect(captcha.status).toBe(200);

    expect(await first.stop('SIGINT')).toBe(0);
    expect(first.output()).toMatch(/database closed cleanly/);

    const second = await startServer({ DATA_DIR: dataDir });
    try {
      expect(second.output()).not.toMatch(/created:/);
      const outbox = await json(`${second.publicUrl}/api/dev/outbox?kind=image-captcha&to=${captcha.body.id}`);
      expect(outbox.body.items).toHaveLength(1);
      expect((await json(`${second.publicUrl}/readyz`)).status).toBe(200);
    } finally {
      expect(await second.stop('SIGTERM')).toBe(0);
    }
  });

  it('refuses to start in production with unsafe defaults and says which variable to set', async () => {
    await expect(startServer({ DATA_DIR: dataDir, NODE_ENV: 'production' })).rejects.toThrow(/SESSION_SECRET/);
  });
});

describe('npm start on PostgreSQL', () => {
  // Needs a server: CI always sets TEST_DATABASE_URL (.ci/run fails without it).
  it.runIf(process.env.TEST_DATABASE_URL)('runs the same code with DATABASE_URL', async () => {
    const pg = (await import('pg')).default;
    const url = process.env.TEST_DATABASE_URL as string;
    const name = `cpe_start_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    const u = new URL(url);
    u.pathname = `/${name}`;
    try {
      const server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: u.toString() });
      expect(server.output()).toMatch(/PostgreSQL/);
      expect((await json(`${server.publicUrl}/readyz`)).body).toEqual({ status: 'ready' });
      expect(await server.stop('SIGINT'), server.output()).toBe(0);
      const again = await startServer({ DATA_DIR: dataDir, DATABASE_URL: u.toString() });
      expect(again.output()).not.toMatch(/created:/);
      expect(await again.stop('SIGINT'), again.output()).toBe(0);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
