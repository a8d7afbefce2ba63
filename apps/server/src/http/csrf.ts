import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.js';
import { randomToken, safeEqual, sha256 } from '../lib/pii.js';
import type { Realm } from '../modules/identity/identity.repo.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const CSRF_HEADER = 'x-csrf-token';

const mac = (secret: string, data: string) =>
  crypto
    .createHmac('sha256', crypto.createHash('sha256').update(`csrf:${secret}`).digest())
    .update(data)
    .digest();

/**
 * The CSRF token of a signed-in browser: an HMAC of its session's id (the SHA-256 of the session cookie, as the
 * sessions table keeps it) under a key derived from SESSION_SECRET. Only this server can compute it, and it
 * changes with every session, so a planted cookie pair from another session, or the token from before login,
 * is refused.
 */
export function sessionCsrfToken(secret: string, realm: Realm, sessionToken: string): string {
  return mac(secret, `${realm}|session|${sha256(sessionToken)}`).toString('base64url');
}

/**
 * Before login there is no session to bind to: the token is a fresh pre-session nonce signed by the server
 * (`nonce.mac`), and the readable cookie that carries it is the pre-session. It is accepted only when the cookie
 * and the header agree and the signature is ours, and only on the listener that signed it.
 */
function anonymousToken(secret: string, realm: Realm): string {
  const nonce = randomToken(18);
  return `${nonce}.${mac(secret, `${realm}|anonymous|${nonce}`).toString('base64url')}`;
}

function isAnonymousToken(secret: string, realm: Realm, token: string): boolean {
  const [nonce, signature, extra] = token.split('.');
  if (!nonce || !signature || extra !== undefined) return false;
  return safeEqual(signature, mac(secret, `${realm}|anonymous|${nonce}`).toString('base64url'));
}

export interface CsrfOptions {
  realm: Realm;
  /** The readable cookie carrying the token, and the session cookie it is bound to (COOKIES in auth.ts). */
  cookieName: string;
  sessionCookie: string;
  secret: string;
  secure: boolean;
}

function setCsrfCookie(reply: FastifyReply, opts: CsrfOptions, token: string, maxAgeSeconds?: number): string {
  reply.setCookie(opts.cookieName, token, {
    path: '/',
    httpOnly: false,
    sameSite: 'lax',
    secure: opts.secure,
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
  });
  return token;
}

/**
 * Login: the token now follows the new session. It lives as long as the session cookie, so a browser that drops
 * one drops both and fetches a fresh pre-session token.
 */
export function rotateCsrfForSession(
  reply: FastifyReply,
  opts: CsrfOptions,
  sessionToken: string,
  maxAgeSeconds: number,
): void {
  setCsrfCookie(reply, opts, sessionCsrfToken(opts.secret, opts.realm, sessionToken), maxAgeSeconds);
}

/** Logout (or a session found ended): a new pre-session token; the session's token is spent with it. */
export function rotateCsrfAnonymous(reply: FastifyReply, opts: CsrfOptions): void {
  setCsrfCookie(reply, opts, anonymousToken(opts.secret, opts.realm));
}

/**
 * Double-submit, bound to the session: the page reads a readable cookie and echoes it in a header on every
 * state-changing request. Another site can make the browser send cookies but cannot read one to set the header,
 * and a cookie it manages to plant does not help: the header must be the token this server derives for the
 * session cookie the request carries (or, signed out, a pre-session token this server signed).
 * SameSite=Lax on the session cookie is the second layer.
 */
export function installCsrf(app: FastifyInstance, opts: CsrfOptions & { exemptPrefixes?: readonly string[] }): void {
  const { cookieName, sessionCookie } = opts;

  /** The token this request's cookies call for: the session's, the valid pre-session one it holds, or none. */
  const expected = (req: FastifyRequest): string | undefined => {
    const sid = req.cookies[sessionCookie];
    if (sid) return sessionCsrfToken(opts.secret, opts.realm, sid);
    const held = req.cookies[cookieName];
    return held && isAnonymousToken(opts.secret, opts.realm, held) ? held : undefined;
  };
  const current = (req: FastifyRequest, reply: FastifyReply): string => {
    const token = expected(req) ?? anonymousToken(opts.secret, opts.realm);
    if (req.cookies[cookieName] !== token) setCsrfCookie(reply, opts, token);
    return token;
  };

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!UNSAFE.has(req.method)) {
      if (!req.cookies[cookieName] && req.url.startsWith('/api/') && !req.url.startsWith('/api/csrf')) {
        current(req, reply);
      }
      return;
    }
    // Server-to-server callers (payment notifications, the demo gateway's own forms) carry their own signatures.
    if (opts.exemptPrefixes?.some((p) => req.url.startsWith(p))) return;
    const header = req.headers[CSRF_HEADER];
    // Signed out, `expected` is the signed cookie itself: header and cookie must agree, as in any double-submit.
    const want = expected(req);
    if (typeof header !== 'string' || want === undefined || !safeEqual(header, want)) {
      // The page gets the right cookie with the refusal, so reloading (or simply retrying) works.
      current(req, reply);
      throw new AppError('CSRF_INVALID');
    }
  });

  app.get('/api/csrf', { schema: { hide: true } }, async (req, reply) => ({ token: current(req, reply) }));
}
