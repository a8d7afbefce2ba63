import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requireSession } from '../../http/auth.js';
import { publicOrigin } from '../../http/request-origin.js';
import { WECHAT_COOKIES } from './wechat-identity.service.js';

const ZWechatIdentity = z.object({
  /** 微信内支付 (JSAPI) can be offered: a 公众号 is configured (or the demo gateway runs). */
  available: z.boolean(),
  /** This browser already holds the signed-in person's openid. */
  bound: z.boolean(),
});

/** 微信网页授权 for 微信支付 inside WeChat (public listener). */
export function wechatRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireSession(ctx, 'public');
    const me = (req: { principalId?: string }) => req.principalId as string;
    const tags = ['微信支付'];
    const cookieOpts = (maxAge: number) => ({
      path: '/api/',
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: ctx.config.env === 'production',
      maxAge,
    });

    app.get(
      '/api/wechat/identity',
      {
        onRequest: auth,
        schema: { tags, summary: '微信身份（openid）是否已授权', response: { 200: ZWechatIdentity } },
      },
      async (req) => ({
        available: ctx.wechat.available(),
        bound: !!ctx.wechat.openIdFor(me(req), req.cookies[WECHAT_COOKIES.openId]),
      }),
    );
    app.get(
      '/api/wechat/oauth',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '跳转微信网页授权（snsapi_base），完成后回到 returnTo',
          querystring: z.object({ returnTo: z.string().max(512).optional() }),
        },
      },
      async (req, reply) => {
        // Back to the host the person is on: the callback needs the session and state cookies kept there (the
        // 公众号's 网页授权域名 lists each public host).
        const start = ctx.wechat.start(
          me(req),
          `${publicOrigin(req, ctx.config.publicUrls)}/api/wechat/oauth/callback`,
          req.query.returnTo ?? '',
        );
        reply.setCookie(WECHAT_COOKIES.state, start.stateCookie, cookieOpts(start.maxAgeSeconds));
        return reply.header('cache-control', 'no-store').redirect(start.url, 302);
      },
    );
    app.get(
      '/api/wechat/oauth/callback',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '微信网页授权回调：以 code 换取 openid',
          querystring: z.object({ code: z.string().max(512).optional(), state: z.string().max(128).optional() }),
        },
      },
      async (req, reply) => {
        const done = await ctx.wechat.finish(me(req), req.query, req.cookies[WECHAT_COOKIES.state]);
        reply.clearCookie(WECHAT_COOKIES.state, { path: '/api/' });
        reply.setCookie(WECHAT_COOKIES.openId, done.openIdCookie, cookieOpts(done.maxAgeSeconds));
        // A path on this host (safeReturnPath), never another: the base only parses it.
        const back = new URL(done.returnTo, 'http://path.invalid');
        back.searchParams.set('wxpay', '1');
        return reply.header('cache-control', 'no-store').redirect(`${back.pathname}${back.search}`, 302);
      },
    );
  };
}
