import {
  ZAccountLoginList,
  ZCaChallenge,
  ZCaLoginRequest,
  ZCaLoginResponse,
  ZLoginProviderParams,
  ZLoginProviderPublicList,
  ZOk,
  ZSendSmsResponse,
  ZSsoLinked,
  ZSsoLinkPasswordRequest,
  ZSsoLinkSmsRequest,
  ZSsoLinkSmsSendRequest,
  ZSsoPending,
  ZSsoStartQuery,
} from '@cpe/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { meta, requireSession, setSessionCookie } from '../../http/auth.js';
import { publicOrigin } from '../../http/request-origin.js';
import { AppError } from '../../lib/errors.js';
import type { AccountRow } from '../identity/identity.repo.js';
import { SSO_COOKIE } from './sso.service.js';

/**
 * 第三方登录 on the public listener. `start` and `callback` are the browser's navigations (redirects, never JSON);
 * a failure of either sends the browser to /login?sso_error=<code>, where the password form still works. The
 * callback's query (code, state) is read from the raw URL and is never logged (http/logger.ts logs paths only).
 */
export function ssoRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireSession(ctx, 'public');
    const tags = ['第三方登录'];
    const cookieOpts = (maxAge: number) => ({
      path: '/api/',
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: ctx.config.env === 'production',
      maxAge,
    });
    const clearSso = (reply: FastifyReply) => reply.clearCookie(SSO_COOKIE, { path: '/api/' });
    const ssoCookie = (req: FastifyRequest) => req.cookies[SSO_COOKIE];
    const go = (reply: FastifyReply, location: string) =>
      reply.header('cache-control', 'no-store').redirect(location, 302);
    const toLogin = (reply: FastifyReply, err: unknown, redirect?: string) => {
      if (!(err instanceof AppError)) throw err;
      const q = new URLSearchParams({ sso_error: err.code });
      if (redirect) q.set('redirect', redirect);
      return go(reply, `/login?${q}`);
    };
    /** Signed in: the session cookie, like a password login's; the first page, or the forced password change. */
    const signedIn = (reply: FastifyReply, r: { session: { token: string; maxAgeSeconds: number } }) => {
      setSessionCookie(ctx, reply, 'public', r.session.token, r.session.maxAgeSeconds);
      clearSso(reply);
    };
    const landing = (account: AccountRow, redirect: string) =>
      account.mustChangePassword ? `/password/initial?redirect=${encodeURIComponent(redirect)}` : redirect;

    app.get(
      '/api/login-providers',
      {
        schema: { tags, summary: '其它方式登录：已开通的第三方登录', response: { 200: ZLoginProviderPublicList } },
      },
      async (req) => ({ items: await ctx.sso.enabledProviders(publicOrigin(req, ctx.config.publicUrls)) }),
    );

    app.get(
      '/api/sso/:id/start',
      {
        schema: {
          tags,
          summary: '第三方登录：跳转到认证方（授权码 + PKCE、state、nonce），完成后回到 redirect',
          params: ZLoginProviderParams,
          querystring: ZSsoStartQuery,
        },
      },
      async (req, reply) => {
        try {
          const start = await ctx.sso.start(
            req.params.id,
            req.query.redirect,
            meta(req),
            publicOrigin(req, ctx.config.publicUrls),
          );
          reply.setCookie(SSO_COOKIE, start.browserToken, cookieOpts(start.maxAgeSeconds));
          return go(reply, start.url);
        } catch (err) {
          return toLogin(reply, err, req.query.redirect);
        }
      },
    );

    app.get(
      '/api/sso/:id/callback',
      {
        schema: {
          tags,
          summary: '第三方登录：认证方回调（code、state；或 error），登录、待绑定或待注册',
          params: ZLoginProviderParams,
        },
      },
      async (req, reply) => {
        const query = req.raw.url?.split('?')[1] ?? '';
        try {
          const r = await ctx.sso.callback(req.params.id, query, ssoCookie(req), meta(req));
          if (r.kind === 'login') {
            signedIn(reply, r);
            return go(reply, landing(r.account, r.redirect));
          }
          reply.setCookie(SSO_COOKIE, r.browserToken, cookieOpts(r.maxAgeSeconds));
          return go(reply, r.mode === 'register' ? '/register?sso=1' : '/login/link');
        } catch (err) {
          clearSso(reply);
          return toLogin(reply, err);
        }
      },
    );

    app.get(
      '/api/sso/pending',
      {
        schema: {
          tags,
          summary: '第三方登录：待绑定或待注册的信息（本浏览器）',
          response: { 200: ZSsoPending },
        },
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return ctx.sso.pending(ssoCookie(req));
      },
    );
    app.post(
      '/api/sso/pending/password',
      {
        schema: {
          tags,
          summary: '第三方登录：用账号密码确认绑定并登录',
          body: ZSsoLinkPasswordRequest,
          response: { 200: ZSsoLinked },
        },
      },
      async (req, reply) => {
        const r = await ctx.sso.linkWithPassword(ssoCookie(req), req.body, meta(req));
        signedIn(reply, r);
        return { me: await ctx.profile.toMe(r.account), redirect: landing(r.account, r.redirect) };
      },
    );
    app.post(
      '/api/sso/pending/sms-codes',
      {
        schema: {
          tags,
          summary: '第三方登录：发送绑定用的短信验证码（待绑定账号的手机，或所填手机号）',
          body: ZSsoLinkSmsSendRequest,
          response: { 200: ZSendSmsResponse },
        },
      },
      async (req) => ctx.sso.sendLinkSms(ssoCookie(req), req.body, meta(req)),
    );
    app.post(
      '/api/sso/pending/sms',
      {
        schema: {
          tags,
          summary: '第三方登录：用短信验证码确认绑定并登录',
          body: ZSsoLinkSmsRequest,
          response: { 200: ZSsoLinked },
        },
      },
      async (req, reply) => {
        const r = await ctx.sso.linkWithSms(ssoCookie(req), req.body, meta(req));
        signedIn(reply, r);
        return { me: await ctx.profile.toMe(r.account), redirect: landing(r.account, r.redirect) };
      },
    );
    app.delete(
      '/api/sso/pending',
      { schema: { tags, summary: '第三方登录：取消绑定（不登录）', response: { 200: ZOk } } },
      async (req, reply) => {
        await ctx.sso.cancel(ssoCookie(req));
        clearSso(reply);
        return { ok: true as const };
      },
    );

    // ---- CA 证书登录: JSON, not navigations; a pending link continues on the pages above ----
    app.post(
      '/api/ca/:id/challenge',
      {
        schema: {
          tags,
          summary: 'CA 证书登录：取得一次性签名原文（5分钟内有效，只能使用一次）',
          params: ZLoginProviderParams,
          response: { 200: ZCaChallenge },
        },
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return ctx.caLogin.challenge(req.params.id, meta(req), publicOrigin(req, ctx.config.publicUrls));
      },
    );
    app.post(
      '/api/ca/:id/login',
      {
        schema: {
          tags,
          summary: 'CA 证书登录：提交证书和对签名原文的签名；登录，或转到绑定账号 / 注册',
          params: ZLoginProviderParams,
          body: ZCaLoginRequest,
          response: { 200: ZCaLoginResponse },
        },
      },
      async (req, reply) => {
        const r = await ctx.caLogin.login(req.params.id, req.body, meta(req));
        if (r.kind === 'login') {
          signedIn(reply, r);
          return {
            kind: 'login' as const,
            me: await ctx.profile.toMe(r.account),
            redirect: landing(r.account, r.redirect),
          };
        }
        reply.setCookie(SSO_COOKIE, r.browserToken, cookieOpts(r.maxAgeSeconds));
        return { kind: 'pending' as const, next: r.mode === 'register' ? '/register?sso=1' : '/login/link' };
      },
    );

    // ---- 个人中心 → 第三方账号 ----
    app.get(
      '/api/me/logins',
      {
        onRequest: auth,
        schema: { tags: ['个人中心'], summary: '已绑定的第三方账号', response: { 200: ZAccountLoginList } },
      },
      async (req) => ctx.sso.links(req.principalId as string),
    );
    app.delete(
      '/api/me/logins/:id',
      {
        onRequest: auth,
        schema: {
          tags: ['个人中心'],
          summary: '解除绑定第三方账号',
          params: ZLoginProviderParams,
          response: { 200: ZOk },
        },
      },
      async (req) => ctx.sso.unlink(req.principalId as string, req.params.id, meta(req)),
    );
  };
}
