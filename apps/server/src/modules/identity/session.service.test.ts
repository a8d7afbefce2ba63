import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { TestClock } from '../../lib/clock.js';
import { sha256 } from '../../lib/pii.js';
import type { IdentityRepo, LiveSessionRow } from './identity.repo.js';
import { createSessionService } from './session.service.js';

/** A repo whose session reads are held until the test lets them go, counting them. */
function slowRepo(row: LiveSessionRow) {
  const waiting: Array<() => void> = [];
  let reads = 0;
  const repo = {
    async sessionById() {
      reads++;
      // The row as it was when the read started: a later revocation is not in it.
      const snapshot = { ...row };
      await new Promise<void>((resolve) => waiting.push(resolve));
      return snapshot;
    },
    async touchSession() {},
    async revokeSession() {},
  } as unknown as IdentityRepo;
  return {
    repo,
    reads: () => reads,
    release: () => {
      for (const go of waiting.splice(0)) go();
    },
  };
}

function session(token: string): LiveSessionRow {
  const now = new Date();
  return {
    id: sha256(token),
    realm: 'public',
    principalId: '00000000-0000-4000-8000-000000000001',
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + 3_600_000),
    revokedAt: null,
    ip: null,
    userAgent: null,
    mustChangePassword: false,
  };
}

const deps = (repo: IdentityRepo) => ({
  db: {} as Db,
  repo,
  clock: new TestClock(),
  idleMs: 30 * 60_000,
  absoluteMs: 8 * 3_600_000,
});

describe('session cache', () => {
  it('reads a session once for all the requests that arrive while it loads, then serves it from memory', async () => {
    const fake = slowRepo(session('t1'));
    const sessions = createSessionService(deps(fake.repo));
    const all = Promise.all([1, 2, 3, 4, 5].map(() => sessions.resolve('public', 't1')));
    fake.release();
    expect((await all).every((s) => s?.principalId)).toBe(true);
    expect(await sessions.resolve('public', 't1')).not.toBeNull();
    expect(fake.reads()).toBe(1);
  });

  it('does not keep a read that was under way when the session was ended', async () => {
    const row = session('t2');
    const fake = slowRepo(row);
    const sessions = createSessionService(deps(fake.repo));
    const first = sessions.resolve('public', 't2');
    // Ended (e.g. the password changed) while the read above is on its way; it still returns the old row.
    row.revokedAt = new Date();
    sessions.evict([row.id]);
    fake.release();
    await first;
    const next = sessions.resolve('public', 't2');
    fake.release();
    await expect(next).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(fake.reads()).toBe(2);
  });
});
