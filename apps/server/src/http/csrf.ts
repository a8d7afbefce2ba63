import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.js';
import { randomToken, safeEqual } from '../lib/pii.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Double-submit cookie: the page reads a readable cookie and echoes it in a header on every state-changing
 * request. Another site can make the browser send the cookie but cannot read it to set the header.
 * SameSite=Lax on the session cookie is the second layer.
 */
export function installCsrf(
  app: FastifyInstance,
  opts: { cookieName: string; secure: boolean; exemptPrefixes?: readonly string[] },
): void {
  const issue = (reply: FastifyReply) => {
    const token = randomToken(24);
    reply.setCookie(opts.cookieName, token, { path: '/', httpOnly: false, sameSite: 'lax', secure: opts.secure });
    return token;
  };

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const cookie = req.cookies[opts.cookieName];
    if (!UNSAFE.has(req.method)) {
      if (!cookie && req.url.startsWith('/api/') && !req.url.startsWith('/api/csrf')) issue(reply);
      return;
    }
    // Server-to-server callers (payment notifications, the demo gateway's own forms) carry their own signatures.
    if (opts.exemptPrefixes?.some((p) => req.url.startsWith(p))) return;
    const header = req.headers[CSRF_HEADER];
    if (!cookie || typeof header !== 'string' || !safeEqual(cookie, header)) throw new AppError('CSRF_INVALID');
  });

  app.get('/api/csrf', { schema: { hide: true } }, async (req, reply) => {
    return { token: req.cookies[opts.cookieName] ?? issue(reply) };
  });
}
