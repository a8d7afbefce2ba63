import fs from 'node:fs/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../lib/errors.js';

export const ZSiteResponse = z.object({
  name: z.string(),
  authCenterName: z.string(),
  staffConsoleName: z.string(),
  hotline: z.string(),
  demoMode: z.boolean(),
  /** 手机学习: the 微信公众号 and where its QR code image is (null when none is configured). */
  wechatMp: z.object({ name: z.string(), qrUrl: z.string().nullable() }),
});

const MP_QR_PATH = '/api/site/wechat-mp-qr';

/** The branding as /api/site answers it and as index.html carries it (http/web-index.ts): one source for both. */
export function siteInfo(config: AppContext['config']): z.infer<typeof ZSiteResponse> {
  return {
    ...config.branding,
    demoMode: config.demoMode,
    wechatMp: { name: config.wechatMp.name, qrUrl: config.wechatMp.qrFile ? MP_QR_PATH : null },
  };
}

/** Liveness, readiness and the branding the web apps render (configuration, not code). */
export function systemRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
    app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
      if (!(await ctx.database.ready())) {
        const e = new AppError('NOT_READY', { message: '数据库不可用或迁移未完成' });
        return reply.status(503).send(e.toBody());
      }
      return { status: 'ready' };
    });
    app.get(
      '/api/site',
      { schema: { tags: ['系统'], summary: '站点配置', response: { 200: ZSiteResponse } } },
      async () => siteInfo(ctx.config),
    );
    app.get(
      MP_QR_PATH,
      { schema: { tags: ['系统'], summary: '手机学习：微信公众号二维码图片' } },
      async (_req, reply) => {
        const file = ctx.config.wechatMp.qrFile;
        if (!file) throw new AppError('NOT_FOUND', { message: '未配置微信公众号二维码' });
        const data = await fs.readFile(file).catch(() => null);
        if (!data) throw new AppError('NOT_FOUND', { message: '微信公众号二维码图片不存在' });
        const type = /\.jpe?g$/i.test(file) ? 'image/jpeg' : 'image/png';
        return reply.header('content-type', type).header('cache-control', 'public, max-age=3600').send(data);
      },
    );
  };
}
