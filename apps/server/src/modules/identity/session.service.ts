import { afterCommit, type Db, type Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { randomToken, sha256 } from '../../lib/pii.js';
import type { IdentityRepo, LiveSessionRow, Realm } from './identity.repo.js';

/**
 * Sessions are cached in-process: every signed-in request resolves one, and PGlite serves one query at a time
 * (shared/notes/database.md). An ended session is dropped from this cache at once and, after the commit, from
 * every other instance's (NOTIFY); the time limit only bounds how long a lost notification could matter.
 */
const CACHE_MS = 60_000;
/** last_seen_at is written at most this often; idle expiry is measured in minutes, so this is precise enough. */
const TOUCH_EVERY_MS = 60_000;

interface Cached {
  session: LiveSessionRow;
  loadedAt: number;
}

/** A session that ended by logout (`loginAt`: when it began) or all of a principal's (password change, reset). */
export interface SessionEnd {
  realm: Realm;
  principalId: string;
  loginAt?: Date;
}
/**
 * Told, inside the ending transaction, whenever sessions end on purpose (not by time): how the 统一认证中心's
 * OpenID provider ends what was signed in through them, without identity knowing of it.
 */
export type SessionEndListener = (ex: Executor, ended: SessionEnd) => Promise<void>;

export interface SessionEvents {
  /** Tells other instances a session ended (PostgreSQL NOTIFY); a no-op with one embedded instance. */
  publishRevoked(ids: string[]): Promise<void>;
}

export function createSessionService(deps: {
  db: Db;
  repo: IdentityRepo;
  clock: Clock;
  idleMs: number;
  absoluteMs: number;
  events?: SessionEvents;
}) {
  const { db, repo, clock, idleMs, absoluteMs } = deps;
  const cache = new Map<string, Cached>();
  /** One database read per session however many of its requests arrive while it is being loaded. */
  const loading = new Map<string, Promise<LiveSessionRow | undefined>>();
  /** Counts evictions: a read that overlapped one may predate the end of its session and is not kept. */
  let evictions = 0;
  const endListeners: SessionEndListener[] = [];

  const evict = (ids: string[]) => {
    evictions++;
    for (const id of ids) {
      cache.delete(id);
      loading.delete(id);
    }
  };
  const load = (id: string) => {
    let pending = loading.get(id);
    if (!pending) {
      pending = repo.sessionById(db, id).finally(() => {
        if (loading.get(id) === pending) loading.delete(id);
      });
      loading.set(id, pending);
    }
    return pending;
  };

  return {
    evict,

    onEnded(listener: SessionEndListener) {
      endListeners.push(listener);
    },

    async create(ex: Executor, input: { realm: Realm; principalId: string; ip: string; userAgent?: string }) {
      const token = randomToken(32);
      const now = clock.now();
      await repo.insertSession(ex, {
        id: sha256(token),
        realm: input.realm,
        principalId: input.principalId,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + absoluteMs),
        ip: input.ip,
        userAgent: input.userAgent?.slice(0, 500) ?? null,
      });
      return { token, maxAgeSeconds: Math.floor(absoluteMs / 1000) };
    },

    /** Returns the live session for a cookie token, or throws SESSION_EXPIRED for an ended one (null when absent). */
    async resolve(realm: Realm, token: string): Promise<LiveSessionRow | null> {
      const id = sha256(token);
      const now = clock.now();
      let entry = cache.get(id);
      if (!entry || now.getTime() - entry.loadedAt > CACHE_MS || entry.loadedAt > now.getTime()) {
        const before = evictions;
        const session = await load(id);
        if (!session) {
          cache.delete(id);
          return null;
        }
        entry = { session, loadedAt: now.getTime() };
        if (evictions === before) cache.set(id, entry);
      }
      const s = entry.session;
      if (s.realm !== realm) return null;
      const idle = now.getTime() - s.lastSeenAt.getTime() > idleMs;
      if (s.revokedAt || s.expiresAt.getTime() <= now.getTime() || idle) {
        if (!s.revokedAt) await repo.revokeSession(db, id, now);
        cache.delete(id);
        throw new AppError('SESSION_EXPIRED');
      }
      if (now.getTime() - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
        s.lastSeenAt = now;
        await repo.touchSession(db, id, now);
      }
      return s;
    },

    async revoke(token: string) {
      const id = sha256(token);
      const row = cache.get(id)?.session ?? (await repo.sessionById(db, id));
      await db.transaction(async (tx) => {
        await repo.revokeSession(tx, id, clock.now());
        if (row)
          for (const listener of endListeners)
            await listener(tx, { realm: row.realm as Realm, principalId: row.principalId, loginAt: row.createdAt });
      });
      evict([id]);
      await deps.events?.publishRevoked([id]);
    },

    /** Ends all sessions of a person (password change or reset); call with the change's transaction. */
    async revokeAll(ex: Executor, realm: Realm, principalId: string) {
      const ids = await repo.revokeAllSessions(ex, realm, principalId, clock.now());
      for (const listener of endListeners) await listener(ex, { realm, principalId });
      evict(ids);
      // Again once committed: a request on another connection may have read the rows before the commit. The other
      // instances are told before the change is answered (the transaction awaits this), as a logout does.
      afterCommit(() => {
        evict(ids);
        return deps.events?.publishRevoked(ids).catch(() => {});
      });
      return ids.length;
    },

    async purgeExpired() {
      await repo.purgeSessions(db, new Date(clock.now().getTime() - 24 * 3_600_000));
    },
  };
}
export type SessionService = ReturnType<typeof createSessionService>;
