import {
  ZBaseAdmin,
  ZBaseAdminList,
  ZBaseAdminQuery,
  ZBaseExportQuery,
  ZBasePublicList,
  ZBasePublicQuery,
  ZBaseRevokeRequest,
} from '@cpe/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { meta, requireSession } from '../../http/auth.js';
import { sendXlsx } from '../../http/download.js';
import { baseViewer } from './viewer.js';

const tags = ['基地管理'];

/** 继续教育基地名单 on the portal: no login, only bases in force. */
export function basesPublicRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/bases',
      {
        schema: {
          tags,
          summary: '继续教育基地 / 工程师基地名单（公开，仅有效期内的基地）',
          querystring: ZBasePublicQuery,
          response: { 200: ZBasePublicList },
        },
      },
      async (req) => ctx.bases.publicList(req.query),
    );
  };
}

/** 基地名单 in the console (staff listener only). */
export function basesStaffRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireSession(ctx, 'staff');
    const viewer = (req: { principalId?: string }) => baseViewer(ctx, req.principalId as string);

    app.get(
      '/api/admin/bases',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '基地名单（市人社局看全部，区县人社局看本区县）',
          querystring: ZBaseAdminQuery,
          response: { 200: ZBaseAdminList },
        },
      },
      async (req) => ctx.bases.adminList(await viewer(req), req.query),
    );
    app.get(
      '/api/admin/bases/export',
      { onRequest: auth, schema: { tags, summary: '导出基地名单（Excel）', querystring: ZBaseExportQuery } },
      async (req, reply) => {
        const { filename, data } = await ctx.bases.export(await viewer(req), req.query, meta(req));
        return sendXlsx(reply, filename, data);
      },
    );
    app.post(
      '/api/admin/bases/:id/revoke',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '撤销基地（市人社局）',
          params: z.object({ id: z.uuid('基地编号无效') }),
          body: ZBaseRevokeRequest,
          response: { 200: ZBaseAdmin },
        },
      },
      async (req) => ctx.bases.revoke(await viewer(req), req.params.id, req.body.reason, meta(req)),
    );
  };
}
