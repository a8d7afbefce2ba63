import {
  ZAdminCertificate,
  ZAdminCertificateList,
  ZAdminCertificateQuery,
  ZCertificate,
  ZCertificateList,
  ZCertificateOrganisation,
  ZCertificateRevoke,
  ZCertUnitSearchQuery,
  ZCertUnitSearchResult,
  ZCertVerification,
  ZCertVerifyParams,
} from '@cpe/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { meta, requireSession } from '../../http/auth.js';

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

const id = z.object({ id: z.uuid('证书编号无效') });
const pdfQuery = z.object({ download: z.enum(['0', '1']).optional() });

/** 我的证书 / 打印证书 (signed-in learners) and the public 证书查验 — public listener. */
export function certificatesPublicRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireSession(ctx, 'public');
    const me = (req: { principalId?: string }) => req.principalId as string;
    const tags = ['合格证书'];

    app.get(
      '/api/certificates',
      { onRequest: auth, schema: { tags, summary: '我的证书', response: { 200: ZCertificateList } } },
      async (req) => ctx.certificates.mine(me(req)),
    );
    app.get(
      '/api/certificates/units',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '组织机构：按名称查找单位',
          querystring: ZCertUnitSearchQuery,
          response: { 200: ZCertUnitSearchResult },
        },
      },
      async (req) => ctx.certificates.searchUnits(req.query.q),
    );
    app.get(
      '/api/certificates/:id',
      { onRequest: auth, schema: { tags, summary: '证书详情', params: id, response: { 200: ZCertificate } } },
      async (req) => ctx.certificates.get(me(req), req.params.id),
    );
    app.post(
      '/api/certificates/:id/organisation',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '选择组织机构（贵单位，或档案所在区县）',
          params: id,
          body: ZCertificateOrganisation,
          response: { 200: ZCertificate },
        },
      },
      async (req) => ctx.certificates.setOrganisation(me(req), req.params.id, req.body, meta(req)),
    );
    app.get(
      '/api/certificates/:id/pdf',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '打印证书：带电子印章和数字签名的PDF（download=1 时作为附件下载）',
          params: id,
          querystring: pdfQuery,
        },
      },
      async (req, reply) => {
        const f = await ctx.certificates.pdf(me(req), req.params.id);
        const inline = req.query.download !== '1';
        reply
          .type('application/pdf')
          .header(
            'content-disposition',
            `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(f.filename)}`,
          )
          .header('cache-control', 'private, no-store');
        // 打印证书 shows the PDF in a frame of our own page: this response (only) may be framed by the same origin.
        if (inline)
          reply
            .header('x-frame-options', 'SAMEORIGIN')
            .header('content-security-policy', "default-src 'none'; frame-ancestors 'self'");
        return f.data;
      },
    );

    app.get(
      '/api/verify/certificates/:certNo',
      {
        schema: {
          tags: ['证书查验'],
          summary: '证书查验（无需登录）：按证书编号查询',
          params: ZCertVerifyParams,
          response: { 200: ZCertVerification },
        },
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return ctx.certificates.verify(req.params.certNo, req.ip);
      },
    );
  };
}

/** 证书管理 for the training centre (staff listener). */
export function certificatesStaffRoutes(ctx: AppContext, guard: Hook[]): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['证书管理'];
    app.get(
      '/api/admin/certificates',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '证书列表（按证书编号、姓名、学习计划、年度、状态查询）',
          querystring: ZAdminCertificateQuery,
          response: { 200: ZAdminCertificateList },
        },
      },
      async (req) => ctx.certificates.adminList(req.query),
    );
    app.post(
      '/api/admin/certificates/:id/revoke',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '撤销证书（须填写原因，记入审计日志）',
          params: id,
          body: ZCertificateRevoke,
          response: { 200: ZAdminCertificate },
        },
      },
      async (req) => ctx.certificates.revoke(req.principalId as string, req.params.id, req.body.reason, meta(req)),
    );
  };
}
