import type { FastifyInstance } from 'fastify';
import { AppError } from '../lib/errors.js';

/**
 * Text PostgreSQL cannot store, whatever the column: U+0000 (refused in text and in jsonb) and UTF-16 code units
 * of a surrogate pair without their partner (a lone surrogate cannot be encoded as UTF-8, so jsonb refuses its
 * `\ud800` escape). Both arrive from pasted text and fuzzers, never from a person meaning them.
 */
const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Drops U+0000 and replaces each lone surrogate with U+FFFD (what a UTF-8 decoder shows for it); a pair is kept. */
export function normaliseText(s: string): string {
  const nul = s.includes('\u0000');
  const surrogate = SURROGATE.test(s);
  if (!nul && !surrogate) return s;
  const stripped = nul ? s.replaceAll('\u0000', '') : s;
  return surrogate ? stripped.replace(LONE_SURROGATE, '\ufffd') : stripped;
}

/** Keys that, arriving through a renamed key, would reach an object's prototype (JSON.parse refuses them as typed). */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * normaliseText over a parsed request value: strings, arrays and plain objects (keys too), 64 levels deep. Anything
 * else (a Buffer kept raw for a signature check, a number) is returned as it is. Unchanged values keep their
 * identity, so the common request costs one regex test per string and allocates nothing.
 */
export function normaliseDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return normaliseText(value);
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = normaliseDeep(value[i], depth + 1);
      if (v !== value[i]) {
        out ??= value.slice();
        out[i] = v;
      }
    }
    return out ?? value;
  }
  // Plain objects only: Object.prototype, none, or a prototype-less one (the query parser's dictionaries).
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null && Object.getPrototypeOf(proto) !== null) return value;
  let out: Record<string, unknown> | undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [k, v] of entries) {
    const key = normaliseText(k);
    const nv = normaliseDeep(v, depth + 1);
    if (key === k && nv === v) continue;
    if (key !== k && PROTOTYPE_KEYS.has(key)) throw new AppError('VALIDATION_FAILED', { message: '请求格式错误' });
    const target: Record<string, unknown> = out ?? Object.assign(Object.create(proto), value);
    out = target;
    if (key !== k) delete target[k];
    target[key] = nv;
  }
  return out ?? value;
}

/**
 * Installed once per listener (buildBase in app.ts), so every route of both the public and the staff listener,
 * including routes added later and routes without a schema, gets it without anyone remembering: the decision
 * "normalise, don't refuse" lives here and nowhere else. preValidation is the one point where the JSON body,
 * the query string and the route params are all parsed and none has reached a zod schema or a service yet.
 * Normalising rather than refusing with 400: a NUL or a broken surrogate pair is an artefact of copy and paste
 * (a PDF, a spreadsheet, a half-cut emoji), and a person cannot see what to fix in their text.
 * Multipart bodies are streamed by the route, so readMultipart (http/multipart.ts) applies normaliseText to
 * its text fields and file names itself.
 */
export function installTextNormalisation(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    if (req.body !== undefined) req.body = normaliseDeep(req.body);
    req.query = normaliseDeep(req.query) as typeof req.query;
    req.params = normaliseDeep(req.params) as typeof req.params;
  });
}
