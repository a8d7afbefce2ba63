/** The unique index a failed insert ran into, from either driver's error (pg and PGlite both expose `constraint`). */
export function uniqueViolation(err: unknown): string | null {
  let e: unknown = err;
  for (let depth = 0; e && depth < 3; depth++) {
    const x = e as { code?: string; constraint?: string; cause?: unknown };
    if (x.code === '23505') return x.constraint ?? 'unknown';
    e = x.cause;
  }
  return null;
}

/** What a database error says about the request, by its SQLSTATE class; null for a fault of ours (500). */
export interface DatabaseRefusal {
  code: 'DATA_UNSTORABLE' | 'DATA_CONFLICT' | 'DATABASE_BUSY';
  /** SQLSTATE and the constraint, table and column when the server names them: safe to log (no values). */
  sqlState: string;
  constraint?: string;
  table?: string;
  column?: string;
}

/**
 * The database's refusal of a query, from either driver (drizzle wraps it as `cause`). Only errors carrying a
 * server `severity` count: other libraries use five-letter codes too (EPIPE). The message and detail are left
 * out on purpose: PostgreSQL quotes the refused value in them (an ID number, a phone).
 */
export function databaseRefusal(err: unknown): DatabaseRefusal | null {
  let e: unknown = err;
  for (let depth = 0; e && depth < 3; depth++) {
    const x = e as {
      code?: unknown;
      severity?: unknown;
      constraint?: string;
      table?: string;
      column?: string;
      cause?: unknown;
    };
    if (typeof x.code === 'string' && /^[0-9A-Z]{5}$/.test(x.code) && typeof x.severity === 'string') {
      const code = refusalCode(x.code);
      if (!code) return null;
      return { code, sqlState: x.code, constraint: x.constraint, table: x.table, column: x.column };
    }
    e = x.cause;
  }
  return null;
}

function refusalCode(sqlState: string): DatabaseRefusal['code'] | null {
  const cls = sqlState.slice(0, 2);
  // 22: data exception (NUL in text, a bad surrogate in jsonb, out-of-range numbers and dates, malformed uuid);
  // 54: program limit (a value too long for its index); 23502/23514: a value a NOT NULL or CHECK refuses.
  if (cls === '22' || cls === '54' || sqlState === '23502' || sqlState === '23514') return 'DATA_UNSTORABLE';
  // 23: the rest of integrity (unique, foreign key, exclusion): another request got there first.
  if (cls === '23') return 'DATA_CONFLICT';
  // 40: serialization failure or deadlock; 55P03 lock not available; 57014 statement timeout; 53 out of
  // resources; 08 connection; 57P0x shutting down: a retry later can succeed.
  if (cls === '40' || cls === '53' || cls === '08' || sqlState === '55P03' || sqlState.startsWith('57'))
    return 'DATABASE_BUSY';
  return null;
}
