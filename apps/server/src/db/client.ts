import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Pool } from 'pg';
import { PGLITE_SHARED_BUFFERS_DEFAULT } from '../config.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** Both drivers expose the same query builder; the node-postgres type stands for both. */
export type Db = NodePgDatabase<Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Repos accept either the database or a transaction, so a service can compose them in one transaction. */
export type Executor = Db | Tx;

export const MIGRATIONS_DIR = path.join(import.meta.dirname, 'migrations');

/** The advisory lock instances take in turn at start (Database.exclusive). */
const STARTUP_LOCK = 'cpe.startup';

const commitHooks = new AsyncLocalStorage<Array<() => unknown>>();

/**
 * Runs fn once the enclosing `db.transaction` has committed (at once outside a transaction; never after a
 * rollback). Caches use it: dropping an entry inside the transaction lets a concurrent reader on another
 * connection load the old row again before the commit and keep it. A promise fn returns is awaited before the
 * transaction's caller goes on, so what it tells other instances (NOTIFY) has left before the request is answered.
 */
export function afterCommit(fn: () => unknown): void {
  const hooks = commitHooks.getStore();
  if (hooks) hooks.push(fn);
  else fn();
}

function runCommitHooks(db: Db): void {
  const transaction = db.transaction.bind(db);
  db.transaction = (async (fn: (tx: Tx) => Promise<unknown>, config?: unknown) => {
    const hooks: Array<() => unknown> = [];
    const result = await commitHooks.run(hooks, () => transaction(fn, config as never));
    for (const hook of hooks) await hook();
    return result;
  }) as Db['transaction'];
}

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  migrate(): Promise<void>;
  /** True when the database answers and every migration in MIGRATIONS_DIR is recorded as applied. */
  ready(): Promise<boolean>;
  /**
   * Runs fn while no other instance on this database runs its own `exclusive` step: what every instance does at
   * start (migrations, reference and demo data) must not run twice at once, or both would create the same rows.
   * PostgreSQL: a session advisory lock held on one connection of the pool while fn uses the others. PGlite has
   * one process (its data folder cannot be opened twice), so fn just runs.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data directory; omitted means in-memory. */
  dataDir?: string;
  /** A PGlite dump (from dumpDataDir) to start from: tests copy a migrated template this way. */
  loadDataDir?: Blob | File;
  poolSize?: number;
  /**
   * PGlite's shared_buffers (PostgreSQL's own page cache). PostgreSQL's default, 128MB, is memory a PGlite process
   * touches at start whatever the data (~110 MB of its resident size, issue 22); the embedded database serves one
   * machine's demo or a small office, its files stay in the operating system's cache anyway, so 16MB is the default.
   */
  pgliteSharedBuffers?: string;
}

function migrationCount(): number {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

async function readyCheck(db: Db): Promise<boolean> {
  try {
    const res = await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    const n = (res.rows[0] as { n: number } | undefined)?.n ?? 0;
    return n >= migrationCount();
  } catch {
    return false;
  }
}

export async function openDatabase(opts: OpenOptions): Promise<Database & { pglite?: PGlite; pool?: Pool }> {
  // Only the driver in use is loaded: node-postgres's modules and PGlite's take ~50 ms and more to load, and a start
  // never needs both (issue 22).
  if (opts.databaseUrl) {
    const [{ default: pg }, { drizzle: drizzlePg }, { migrate: migratePg }] = await Promise.all([
      import('pg'),
      import('drizzle-orm/node-postgres'),
      import('drizzle-orm/node-postgres/migrator'),
    ]);
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    // A failed idle client must not crash the process; the next query reports the problem.
    pool.on('error', () => {});
    const db = drizzlePg(pool, { schema });
    runCommitHooks(db);
    return {
      db,
      pool,
      kind: 'postgres',
      migrate: async () => {
        if (await readyCheck(db)) return;
        await migratePg(db, { migrationsFolder: MIGRATIONS_DIR });
      },
      ready: () => readyCheck(db),
      exclusive: async (fn) => {
        const holder = await pool.connect();
        try {
          await holder.query('select pg_advisory_lock(hashtext($1))', [STARTUP_LOCK]);
          try {
            return await fn();
          } finally {
            await holder.query('select pg_advisory_unlock(hashtext($1))', [STARTUP_LOCK]);
          }
        } finally {
          holder.release();
        }
      },
      close: () => pool.end(),
    };
  }
  const [{ PGlite }, { pg_trgm }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  if (opts.dataDir) fs.mkdirSync(opts.dataDir, { recursive: true });
  // Extensions used by migrations (0002) must be loaded into PGlite as well.
  const pglite = new PGlite({
    dataDir: opts.dataDir,
    loadDataDir: opts.loadDataDir,
    extensions: { pg_trgm },
    startParams: [
      ...PGlite.defaultStartParams,
      '-c',
      `shared_buffers=${opts.pgliteSharedBuffers ?? PGLITE_SHARED_BUFFERS_DEFAULT}`,
    ],
  });
  await pglite.waitReady;
  const db = drizzlePglite(pglite, { schema }) as unknown as Db;
  guardSingleConnection(pglite, db);
  runCommitHooks(db);
  return {
    db,
    pglite,
    kind: 'pglite',
    migrate: async () => {
      // Every migration recorded already (each start but the first after an upgrade): one query instead of the
      // migrator reading and hashing every file (~0.1 s of a PGlite start, issue 22).
      if (await readyCheck(db)) return;
      await migratePglite(db as never, { migrationsFolder: MIGRATIONS_DIR });
    },
    ready: () => readyCheck(db),
    exclusive: (fn) => fn(),
    close: () => pglite.close(),
  };
}

/**
 * PGlite has one connection: a query on the root database made inside a transaction callback waits for
 * that transaction forever (a silent deadlock). This turns the mistake into an immediate error naming it.
 * The transaction's own queries go through its own object and are not affected.
 */
function guardSingleConnection(pglite: PGlite, db: Db): void {
  const inTransaction = new AsyncLocalStorage<true>();
  const target = pglite as unknown as Record<'query' | 'exec', (...args: unknown[]) => unknown>;
  for (const method of ['query', 'exec'] as const) {
    const original = target[method].bind(pglite);
    target[method] = (...args: unknown[]) => {
      if (inTransaction.getStore()) {
        throw new Error('database used outside its transaction: pass the transaction (tx) to this query');
      }
      return original(...args);
    };
  }
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: (tx: Tx) => Promise<unknown>, config?: unknown) =>
    transaction((tx) => inTransaction.run(true, () => fn(tx)), config as never)) as Db['transaction'];
}
