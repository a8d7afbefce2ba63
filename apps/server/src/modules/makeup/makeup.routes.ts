import {
  ZAdminMakeupList,
  ZAdminMakeupQuery,
  ZAdminMakeupRequest,
  ZMakeupEnrollmentList,
  ZMakeupPledgeQuery,
  ZMakeupReject,
  ZMakeupRequest,
  ZMakeupRequestInput,
  ZMakeupRequestList,
  ZUploadedFile,
} from '@cpe/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { meta, requireSession } from '../../http/auth.js';
import { readMultipart } from '../../http/multipart.js';
import { AppError } from '../../lib/errors.js';
import { checkUpload } from '../files/uploads.js';

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

const id = z.object({ id: z.uuid('编号无效') });
const idAndFile = z.object({ id: z.uuid('编号无效'), fileId: z.uuid('文件编号无效') });
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function sendFile(reply: FastifyReply, f: { data: Buffer; mime: string }) {
  reply.type(f.mime).header('cache-control', 'private, no-store');
  return f.data;
}

/** 补学 on the portal (signed-in learners): evidence uploads, requests, 缴费承诺书, 已开通补学. */
export function makeupPublicRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireSession(ctx, 'public');
    const me = (req: { principalId?: string }) => req.principalId as string;
    const tags = ['补学'];

    app.post(
      '/api/makeup/files',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '上传缴费证明材料 / 签字的缴费承诺书（JPG、PNG或PDF，不超过5M）',
          consumes: ['multipart/form-data'],
          response: { 200: ZUploadedFile },
        },
      },
      async (req) => {
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '请以表单方式上传' });
        const { files, names } = await readMultipart(req, { maxFileBytes: 5 * 1024 * 1024, maxFiles: 1 });
        const data = files.file;
        if (!data) throw new AppError('VALIDATION_FAILED', { message: '请选择文件', fields: { file: '请选择文件' } });
        const clean = await checkUpload('makeup-evidence', data);
        return ctx.makeup.upload(me(req), { ...clean, name: names.file });
      },
    );
    app.get(
      '/api/makeup/pledge.docx',
      {
        onRequest: auth,
        schema: { tags, summary: '下载缴费承诺书（已填入本人信息）', querystring: ZMakeupPledgeQuery },
      },
      async (req, reply) => {
        const doc = await ctx.makeup.pledgeLetter(me(req), req.query.year);
        // Not a static import: the letter's module brings docx, loaded on first use (issue 22); loaded by now.
        const { pledgeLetterFilename } = await import('./pledge-letter.js');
        reply
          .header('content-type', DOCX)
          .header(
            'content-disposition',
            `attachment; filename*=UTF-8''${encodeURIComponent(pledgeLetterFilename(req.query.year))}`,
          )
          .header('cache-control', 'private, no-store');
        return doc;
      },
    );
    app.get(
      '/api/makeup/requests',
      { onRequest: auth, schema: { tags, summary: '我的补学申请', response: { 200: ZMakeupRequestList } } },
      async (req) => ctx.makeup.mine(me(req)),
    );
    app.post(
      '/api/makeup/requests',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '提交补学申请（缴费凭证或缴费承诺书）',
          body: ZMakeupRequestInput,
          response: { 200: ZMakeupRequest },
        },
      },
      async (req) => ctx.makeup.submit(me(req), req.body, meta(req)),
    );
    app.get(
      '/api/makeup/requests/:id',
      { onRequest: auth, schema: { tags, summary: '补学申请详情', params: id, response: { 200: ZMakeupRequest } } },
      async (req) => ctx.makeup.get(me(req), req.params.id),
    );
    app.get(
      '/api/makeup/requests/:id/files/:fileId',
      { onRequest: auth, schema: { tags, summary: '查看申请中的材料（本人）', params: idAndFile } },
      async (req, reply) => sendFile(reply, await ctx.makeup.file(me(req), req.params.id, req.params.fileId)),
    );
    app.get(
      '/api/makeup/enrollments',
      { onRequest: auth, schema: { tags, summary: '已开通补学', response: { 200: ZMakeupEnrollmentList } } },
      async (req) => ctx.makeup.enrollments(me(req)),
    );
  };
}

/** 补学审核 for the training centre (staff listener; 培训中心运营 or 系统管理员). */
export function makeupStaffRoutes(ctx: AppContext, guard: Hook[]): FastifyPluginAsyncZod {
  return async (app) => {
    const staff = (req: { principalId?: string }) => req.principalId as string;
    const tags = ['补学审核'];

    app.get(
      '/api/admin/makeup/requests',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '补学申请列表（超期 = 待审核且已过3个工作日）',
          querystring: ZAdminMakeupQuery,
          response: { 200: ZAdminMakeupList },
        },
      },
      async (req) => ctx.makeup.adminList(req.query),
    );
    app.get(
      '/api/admin/makeup/requests/:id',
      {
        onRequest: guard,
        schema: { tags, summary: '补学申请详情', params: id, response: { 200: ZAdminMakeupRequest } },
      },
      async (req) => ctx.makeup.adminGet(req.params.id),
    );
    app.get(
      '/api/admin/makeup/requests/:id/files/:fileId',
      { onRequest: guard, schema: { tags, summary: '查看缴费证明材料', params: idAndFile } },
      async (req, reply) => sendFile(reply, await ctx.makeup.adminFile(req.params.id, req.params.fileId)),
    );
    app.post(
      '/api/admin/makeup/requests/:id/approve',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '审核通过：开通该年度补学（0元订单）',
          params: id,
          response: { 200: ZAdminMakeupRequest },
        },
      },
      async (req) => ctx.makeup.approve(staff(req), req.params.id, meta(req)),
    );
    app.post(
      '/api/admin/makeup/requests/:id/reject',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '审核不通过（须填写原因）',
          params: id,
          body: ZMakeupReject,
          response: { 200: ZAdminMakeupRequest },
        },
      },
      async (req) => ctx.makeup.reject(staff(req), req.params.id, req.body.reason, meta(req)),
    );
  };
}
