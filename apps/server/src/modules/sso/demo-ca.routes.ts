import { ZDemoCaCertificates } from '@cpe/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../lib/errors.js';
import { demoSignerView, readDemoCa } from './demo-ca.js';

/** Demo mode only (registered only then): the 演示证书 the demo signing page holds in place of a USB key. */
export function demoCaRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/dev/ca/certificates',
      {
        schema: {
          tags: ['dev'],
          summary: '演示模式：演示证书（含私钥，代替 USB Key）',
          response: { 200: ZDemoCaCertificates },
        },
      },
      async (_req, reply) => {
        const file = await readDemoCa(ctx.config.dataDir);
        if (!file) throw new AppError('NOT_FOUND', { message: '演示证书尚未生成' });
        reply.header('cache-control', 'no-store');
        return demoSignerView(file);
      },
    );
  };
}
