import { maskIdNumber, maskPhone } from '@cpe/shared';

/**
 * What of an error may be written to a log or kept with a failed job. A refused query carries every value it was
 * given: drizzle's message ends in `params: …`, pg/PGlite errors keep `detail` ("Failing row contains (…)",
 * "Key (…)=(…)") and PGlite adds `params` itself; PostgreSQL's own message can quote a value ("invalid input syntax
 * for type integer: "…""). Those values walk past pino's path redaction, so errors are rebuilt here: values dropped,
 * the SQL, code, constraint and stack kept, and anything still shaped like an ID number or a mobile number masked
 * by the rules of lists.
 */

/** Properties that hold the values a query was run with. */
const VALUE_KEYS = new Set(['params', 'parameters', 'queryOptions', 'detail']);
const MAX_DEPTH = 5;
const REDACTED = '[REDACTED]';
/**
 * Document numbers as they are written, whole tokens only: 18 characters (身份证, 港澳/台湾居民居住证 and the 2023
 * 外国人永久居留身份证 share the shape) or an older 永居证's 3 nationality letters and 12 digits.
 */
const ID_LIKE = /(?<![0-9A-Za-z])(?:\d{17}[\dXx]|[A-Za-z]{3}\d{12})(?![0-9A-Za-z])/g;
const PHONE_LIKE = /(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/g;
/** drizzle's `Failed query: <sql>\nparams: <values>`: the values are the rest of that line. */
const PARAMS_LINE = /^params: .*$/gm;

function isErrorLike(v: unknown): v is Error & Record<string, unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { message?: unknown }).message === 'string';
}

/** The text of the values of every query in the error's chain, as drizzle prints them (`params: a,b`). */
function paramTexts(err: unknown): string[] {
  const texts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; isErrorLike(e) && depth < MAX_DEPTH; depth++) {
    const params = e.params;
    if (Array.isArray(params) && params.length) texts.push(`params: ${String(params)}`);
    e = e.cause;
  }
  return texts;
}

/** A log line or a stored message with query values and personal-data-shaped tokens taken out. */
export function scrubText(text: string, paramLines: readonly string[] = []): string {
  let out = text;
  for (const line of paramLines) out = out.split(line).join(`params: ${REDACTED}`);
  return out
    .replace(PARAMS_LINE, `params: ${REDACTED}`)
    .replace(ID_LIKE, (m) => maskIdNumber(m.toUpperCase()))
    .replace(PHONE_LIKE, (m) => maskPhone(m));
}

function scrubValue(v: unknown, paramLines: readonly string[], depth: number, seen: Set<object>): unknown {
  if (typeof v === 'string') return scrubText(v, paramLines);
  if (typeof v !== 'object' || v === null) return v;
  if (seen.has(v) || depth >= MAX_DEPTH) return '[…]';
  seen.add(v);
  if (isErrorLike(v)) return serialise(v, [...paramLines, ...paramTexts(v)], depth, seen);
  if (Array.isArray(v)) return v.map((x) => scrubValue(x, paramLines, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (!VALUE_KEYS.has(k)) out[k] = scrubValue(x, paramLines, depth + 1, seen);
  return out;
}

function serialise(
  err: Error & Record<string, unknown>,
  paramLines: readonly string[],
  depth: number,
  seen: Set<object>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: typeof err.constructor === 'function' ? err.constructor.name : err.name,
    message: scrubText(err.message, paramLines),
  };
  if (typeof err.stack === 'string') out.stack = scrubText(err.stack, paramLines);
  for (const [k, v] of Object.entries(err)) {
    if (VALUE_KEYS.has(k) || k in out) continue;
    out[k] = scrubValue(v, paramLines, depth + 1, seen);
  }
  // `cause` is often not enumerable (new Error(msg, { cause })): the driver's error is where the code and constraint are.
  if (!('cause' in out) && err.cause !== undefined) out.cause = scrubValue(err.cause, paramLines, depth + 1, seen);
  return out;
}

/** pino's serializer for `err` (and any other key holding an error): a plain object without query values. */
export function loggableError(err: unknown): unknown {
  if (!isErrorLike(err)) return typeof err === 'string' ? scrubText(err) : err;
  return serialise(err, paramTexts(err), 0, new Set([err]));
}

/** The one-line message kept with a failed job or invoice (shown to staff): the same rules, no stack. */
export function loggableMessage(err: unknown): string {
  if (!isErrorLike(err)) return scrubText(String(err));
  return scrubText(err.message, paramTexts(err));
}
