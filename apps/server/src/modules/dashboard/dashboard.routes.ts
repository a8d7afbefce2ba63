import { ZDashboard, ZDashboardQuery } from '@cpe/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { meta, requireSession } from '../../http/auth.js';
import { sendXlsx } from '../../http/download.js';

/** 数据看板 (staff listener only). Who sees which district is decided in the service. */
export function dashboardRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireSession(ctx, 'staff');
    const staff = (req: { principalId?: string }) => req.principalId as string;
    const tags = ['数据看板'];

    app.get(
      '/api/admin/dashboard',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '数据看板：注册、销售、开通与完成学习（按日、按计划、按区县、按单位类型）',
          querystring: ZDashboardQuery,
          response: { 200: ZDashboard },
        },
      },
      async (req) => ctx.dashboard.figures(staff(req), req.query),
    );
    app.get(
      '/api/admin/dashboard/export',
      {
        onRequest: auth,
        schema: { tags, summary: '导出数据看板（Excel）', querystring: ZDashboardQuery },
      },
      async (req, reply) => {
        const { filename, data } = await ctx.dashboard.export(staff(req), req.query, meta(req));
        return sendXlsx(reply, filename, data);
      },
    );
  };
}
