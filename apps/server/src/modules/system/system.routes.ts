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
});

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
      async () => ({
        ...ctx.config.branding,
        demoMode: ctx.config.demoMode,
      }),
    );
  };
}
