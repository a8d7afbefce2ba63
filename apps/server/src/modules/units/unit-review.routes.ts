import { ZOk, ZReviewDecision, ZReviewList, ZReviewListQuery, ZUnitApplication } from '@cpe/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { meta } from '../../http/auth.js';
import { sendXlsx } from '../../http/download.js';
import type { ReviewerScope } from './unit-review.service.js';

/**
 * 单位注册审核 routes, the same on both listeners: the staff listener resolves a bureau's scope, the
 * public one a 主管部门's. `guard` authenticates; `scopeOf` decides what the caller may review.
 */
export function unitReviewRoutes(
  ctx: AppContext,
  guard: (req: FastifyRequest, reply: FastifyReply) => Promise<void>,
  scopeOf: (principalId: string) => Promise<ReviewerScope>,
): FastifyPluginAsyncZod {
  return async (app) => {
    const scope = (req: { principalId?: string }) => scopeOf(req.principalId as string);
    const params = z.object({ id: z.uuid('申请编号无效') });
    const tags = ['单位注册审核'];

    app.get(
      '/api/unit-reviews',
      {
        onRequest: guard,
        schema: { tags, summary: '单位注册审核列表', querystring: ZReviewListQuery, response: { 200: ZReviewList } },
      },
      async (req) => ctx.unitReview.list(await scope(req), req.query),
    );
    app.get(
      '/api/unit-reviews/export',
      {
        onRequest: guard,
        schema: { tags, summary: '导出筛选结果（Excel，记入审计日志）', querystring: ZReviewListQuery },
      },
      async (req, reply) => {
        const data = await ctx.unitReview.export(await scope(req), req.query, meta(req));
        return sendXlsx(reply, '单位注册审核.xlsx', data);
      },
    );
    app.get(
      '/api/unit-reviews/:id',
      {
        onRequest: guard,
        schema: { tags, summary: '申请详情（含审核历史）', params, response: { 200: ZUnitApplication } },
      },
      async (req) => ctx.unitReview.get(await scope(req), req.params.id),
    );
    app.get(
      '/api/unit-reviews/:id/files/:fileId',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '申请材料（营业执照、单位授权书）',
          params: params.extend({ fileId: z.uuid('文件编号无效') }),
        },
      },
      async (req, reply) => {
        const file = await ctx.unitReview.file(await scope(req), req.params.id, req.params.fileId);
        reply.type(file.mime).header('cache-control', 'private, no-store').header('content-disposition', 'inline');
        return file.data;
      },
    );
    app.post(
      '/api/unit-reviews/:id/decision',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '审核通过 / 审核不通过（需填写原因）',
          params,
          body: ZReviewDecision,
          response: { 200: ZOk },
        },
      },
      async (req) => ctx.unitReview.decide(await scope(req), req.params.id, req.body, meta(req)),
    );
  };
}
