import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { AppError } from '../lib/errors.js';
import type { RequestMeta } from '../lib/request-meta.js';
import type { Realm } from '../modules/identity/identity.repo.js';
import { type CsrfOptions, rotateCsrfAnonymous, rotateCsrfForSession } from './csrf.js';

declare module 'fastify' {
  interface FastifyRequest {
    principalId?: string;
    sessionToken?: string;
  }
}

/** Cookies are per host, not per port: the two listeners need different cookie names on localhost. */
export const COOKIES: Record<Realm, { session: string; csrf: string }> = {
  public: { session: 'cpe_sid', csrf: 'cpe_csrf' },
  staff: { session: 'cpe_staff_sid', csrf: 'cpe_staff_csrf' },
};

/** The CSRF settings of a listener: its cookies and the key its tokens are derived with. */
export function csrfOptions(ctx: AppContext, realm: Realm): CsrfOptions {
  return {
    realm,
    cookieName: COOKIES[realm].csrf,
    sessionCookie: COOKIES[realm].session,
    secret: ctx.config.sessionSecret,
    secure: ctx.config.env === 'production',
  };
}

export function meta(req: FastifyRequest): RequestMeta {
  return { ip: req.ip, userAgent: req.headers['user-agent'] };
}

/**
 * What a person whose account must change its password (created from a 学员注册名单 with 初始密码) may still
 * do: see who they are, change the password, sign out. Everything else that needs a session answers 403.
 */
const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set([
  'GET /api/me',
  'POST /api/me/password',
  'DELETE /api/sessions/current',
]);

/** preHandler: a live session of this realm, or 401 (SESSION_EXPIRED when it ended by time). */
export function requireSession(ctx: AppContext, realm: Realm) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const token = req.cookies[COOKIES[realm].session];
    if (!token) throw new AppError('UNAUTHENTICATED');
    let mustChangePassword: boolean;
    try {
      const session = await ctx.sessions.resolve(realm, token);
      if (!session) throw new AppError('UNAUTHENTICATED');
      req.principalId = session.principalId;
      req.sessionToken = token;
      mustChangePassword = session.mustChangePassword;
    } catch (err) {
      clearSessionCookie(ctx, reply, realm);
      throw err;
    }
    if (mustChangePassword && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(`${req.method} ${req.routeOptions.url}`))
      throw new AppError('PASSWORD_CHANGE_REQUIRED');
  };
}

export function setSessionCookie(
  ctx: AppContext,
  reply: FastifyReply,
  realm: Realm,
  token: string,
  maxAgeSeconds: number,
) {
  reply.setCookie(COOKIES[realm].session, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.env === 'production',
    maxAge: maxAgeSeconds,
  });
  rotateCsrfForSession(reply, csrfOptions(ctx, realm), token, maxAgeSeconds);
}

/** Ends the browser's session cookie; its CSRF token goes with it (a new pre-session one replaces it). */
export function clearSessionCookie(ctx: AppContext, reply: FastifyReply, realm: Realm) {
  reply.clearCookie(COOKIES[realm].session, { path: '/' });
  rotateCsrfAnonymous(reply, csrfOptions(ctx, realm));
}
