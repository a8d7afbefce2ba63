import { ZOutboxQuery, ZOutboxResponse } from '@cpe/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';

/** Demo mode only (registered only then): the codes the system "sent", newest first. */
export function outboxRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/dev/outbox',
      {
        schema: {
          tags: ['dev'],
          summary: '演示模式发件箱',
          querystring: ZOutboxQuery,
          response: { 200: ZOutboxResponse },
        },
      },
      async (req) => {
        const rows = await ctx.outboxRepo.list(ctx.db, req.query);
        return {
          items: rows.map((r) => ({
            id: String(r.id),
            kind: r.kind,
            to: r.to,
            purpose: r.purpose,
            code: r.code,
            createdAt: r.createdAt.toISOString(),
          })),
        };
      },
    );
  };
}
