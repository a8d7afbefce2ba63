import type { FastifyServerOptions } from 'fastify';
import { loggableError, loggableMessage, scrubText } from '../lib/loggable-error.js';

/** Paths pino blanks out: secrets, codes and personal data must never reach the logs. */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.oldPassword',
  '*.confirmPassword',
  '*.passwordHash',
  '*.idNumber',
  '*.phone',
  '*.newPhone',
  '*.smsCode',
  '*.captchaCode',
  '*.code',
  '*.token',
  '*.sliderToken',
];

/**
 * Path segments that are references to a sign-in under way (the OpenID provider's interaction and its resume): not
 * usable without the browser's cookie, but a ticket all the same, so the access log keeps only the route.
 */
const TICKET_PATHS = [/^(\/oidc\/auth\/)[^/]+/, /^(\/api\/oidc\/interactions\/)[^/]+/];
const loggedPath = (url: string) =>
  TICKET_PATHS.reduce((p, re) => p.replace(re, '$1[REDACTED]'), url.split('?')[0] ?? '');

/** Fastify types the `err` serializer's result as pino's: what loggableError gives for an error. */
const loggedError = (err: unknown) => loggableError(err) as { type: string; message: string; stack: string };

export function loggerOptions(
  level: string,
  name: string,
  stream?: NodeJS.WritableStream,
): FastifyServerOptions['logger'] {
  return {
    level,
    name,
    ...(stream ? { stream } : {}),
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    // Every logged error, ours or Fastify's, passes here: a refused query's values (drizzle's `params: …`, the
    // driver's `detail`) are not under any redaction path, so they are taken out of the error itself.
    serializers: {
      err: loggedError,
      original: loggedError,
      // Query strings can carry personal data (search by phone later): log the path only.
      req: (req: { method: string; url: string; id: string; ip?: string }) => ({
        id: req.id,
        method: req.method,
        path: loggedPath(req.url),
        ip: req.ip,
      }),
    },
    hooks: {
      // Text outside the serializers: pino takes an error's raw message as the line's text when none is given
      // (log.error(err), log.error({ err })), and Fastify's fallback handler passes it as the text itself.
      logMethod(args, method) {
        const out: unknown[] = args.map((a) => (typeof a === 'string' ? scrubText(a) : a));
        const first = args[0] as unknown;
        const err = first instanceof Error ? first : (first as { err?: unknown } | null)?.err;
        if (err instanceof Error && typeof args[1] !== 'string') out.splice(1, 0, loggableMessage(err));
        method.apply(this, out as Parameters<typeof method>);
      },
    },
  };
}
