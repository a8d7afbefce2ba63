import {
  ZOk,
  ZQrLoginPollRequest,
  ZQrLoginPollResponse,
  ZQrLoginScanRequest,
  ZQrLoginScanResponse,
  ZQrLoginTicket,
} from '@cpe/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { meta, requireSession, setSessionCookie } from '../../http/auth.js';

const tags = ['统一认证'];

/** 扫码登录 on the public listener only: the staff console signs in with password and slider alone. */
export function qrLoginRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireSession(ctx, 'public');
    const principal = (req: { principalId?: string }) => req.principalId as string;

    app.post(
      '/api/qr-logins',
      { schema: { tags, summary: '扫码登录：电脑端取二维码（2分钟有效）', response: { 200: ZQrLoginTicket } } },
      async (req) => ctx.qrLogin.create(meta(req)),
    );
    app.post(
      '/api/qr-logins/poll',
      {
        schema: {
          tags,
          summary: '扫码登录：电脑端查询结果；已确认时登录本浏览器',
          body: ZQrLoginPollRequest,
          response: { 200: ZQrLoginPollResponse },
        },
      },
      async (req, reply) => {
        const r = await ctx.qrLogin.poll(req.body.pollToken, meta(req));
        if (!('session' in r) || !r.session) return r;
        setSessionCookie(ctx, reply, 'public', r.session.token, r.session.maxAgeSeconds);
        return { status: r.status, expiresAt: r.expiresAt, me: await ctx.profile.toMe(r.account) };
      },
    );
    app.post(
      '/api/qr-logins/scan',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '扫码登录：手机端打开二维码，查看登录请求',
          body: ZQrLoginScanRequest,
          response: { 200: ZQrLoginScanResponse },
        },
      },
      async (req) => ctx.qrLogin.scan(req.body.code, principal(req)),
    );
    app.post(
      '/api/qr-logins/confirm',
      {
        onRequest: auth,
        schema: { tags, summary: '扫码登录：手机端确认登录', body: ZQrLoginScanRequest, response: { 200: ZOk } },
      },
      async (req) => ctx.qrLogin.confirm(req.body.code, principal(req), meta(req)),
    );
    app.post(
      '/api/qr-logins/cancel',
      {
        onRequest: auth,
        schema: { tags, summary: '扫码登录：手机端取消登录', body: ZQrLoginScanRequest, response: { 200: ZOk } },
      },
      async (req) => ctx.qrLogin.cancel(req.body.code, principal(req), meta(req)),
    );
  };
}
