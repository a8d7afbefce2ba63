import type { FastifyServerOptions } from 'fastify';

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
    serializers: {
      // Query strings can carry personal data (search by phone later): log the path only.
      req: (req: { method: string; url: string; id: string; ip?: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
        ip: req.ip,
      }),
    },
  };
}
