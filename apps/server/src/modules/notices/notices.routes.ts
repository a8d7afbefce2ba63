import {
  NOTICE_ATTACHMENT_MAX_BYTES,
  ZNoticeAdmin,
  ZNoticeAdminList,
  ZNoticeAdminQuery,
  ZNoticeInput,
  ZNoticePublic,
  ZNoticePublicList,
  ZNoticePublicQuery,
  ZNoticeUploadQuery,
  ZUploadedFile,
} from '@cpe/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { COOKIES, meta } from '../../http/auth.js';
import { readMultipart } from '../../http/multipart.js';
import { AppError } from '../../lib/errors.js';
import { checkUpload } from '../files/uploads.js';

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

const id = z.object({ id: z.uuid('编号无效') });
const fileParam = z.object({ fileId: z.uuid('文件编号无效') });
const idAndFile = id.extend(fileParam.shape);

/** Pictures show inline; attachments download under their original name. Never sniffed into something else. */
function sendFile(
  reply: FastifyReply,
  kind: 'image' | 'attachment',
  f: { data: Buffer; mime: string; name: string },
  cache: string,
) {
  reply.type(f.mime).header('cache-control', cache).header('x-content-type-options', 'nosniff');
  if (kind === 'attachment')
    reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`);
  return f.data;
}

/** 通知公告 on the portal: anyone may read; a signed-in reader also sees what is addressed to them. */
export function noticesPublicRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['通知公告'];
    /** The reader's account when a live session comes with the request; signed out otherwise (never an error). */
    const reader = async (req: FastifyRequest) => {
      const token = req.cookies[COOKIES.public.session];
      if (!token) return undefined;
      const session = await ctx.sessions.resolve('public', token).catch(() => undefined);
      return session?.principalId;
    };

    app.get(
      '/api/notices',
      {
        schema: {
          tags,
          summary: '通知公告列表（置顶在前，再按发布时间从新到旧；按读者身份筛选发布范围）',
          querystring: ZNoticePublicQuery,
          response: { 200: ZNoticePublicList },
        },
      },
      async (req) => ctx.notices.publicList(await reader(req), req.query.page, req.query.pageSize),
    );
    app.get(
      '/api/notices/:id',
      { schema: { tags, summary: '通知公告详情', params: id, response: { 200: ZNoticePublic } } },
      async (req) => ctx.notices.publicGet(await reader(req), req.params.id),
    );
    app.get(
      '/api/notices/:id/images/:fileId',
      { schema: { tags, summary: '通知公告正文中的图片', params: idAndFile } },
      async (req, reply) =>
        sendFile(
          reply,
          'image',
          await ctx.notices.publicFile(await reader(req), req.params.id, 'image', req.params.fileId),
          'private, max-age=300',
        ),
    );
    app.get(
      '/api/notices/:id/attachments/:fileId',
      { schema: { tags, summary: '下载通知公告附件', params: idAndFile } },
      async (req, reply) =>
        sendFile(
          reply,
          'attachment',
          await ctx.notices.publicFile(await reader(req), req.params.id, 'attachment', req.params.fileId),
          'private, no-store',
        ),
    );
  };
}

/** 通知公告 in the console: 系统管理员, 培训中心运营 and 审核员 (a 区县人社局's only for its own district). */
export function noticesStaffRoutes(ctx: AppContext, guard: Hook[]): FastifyPluginAsyncZod {
  return async (app) => {
    const staff = (req: { principalId?: string }) => req.principalId as string;
    const tags = ['通知公告'];

    app.get(
      '/api/admin/notices',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '通知公告列表（标题搜索、状态筛选、按发布时间排序；区县人社局只见本区县）',
          querystring: ZNoticeAdminQuery,
          response: { 200: ZNoticeAdminList },
        },
      },
      async (req) => ctx.notices.adminList(staff(req), req.query),
    );
    app.post(
      '/api/admin/notices/files',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '上传通知公告图片（JPG或PNG，不超过5M）或附件（PDF、Word、Excel、ZIP、图片，不超过20M）',
          querystring: ZNoticeUploadQuery,
          consumes: ['multipart/form-data'],
          response: { 200: ZUploadedFile },
        },
      },
      async (req) => {
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '请以表单方式上传' });
        const { files, names } = await readMultipart(req, { maxFileBytes: NOTICE_ATTACHMENT_MAX_BYTES, maxFiles: 1 });
        const data = files.file;
        if (!data) throw new AppError('VALIDATION_FAILED', { message: '请选择文件', fields: { file: '请选择文件' } });
        const kind = req.query.kind;
        const clean = await checkUpload(kind === 'image' ? 'notice-image' : 'notice-attachment', data);
        return ctx.notices.upload(kind, { ...clean, name: names.file });
      },
    );
    app.get(
      '/api/admin/notices/images/:fileId',
      { onRequest: guard, schema: { tags, summary: '通知公告图片', params: fileParam } },
      async (req, reply) =>
        sendFile(reply, 'image', await ctx.notices.adminFile('image', req.params.fileId), 'private, no-store'),
    );
    app.get(
      '/api/admin/notices/attachments/:fileId',
      { onRequest: guard, schema: { tags, summary: '下载通知公告附件', params: fileParam } },
      async (req, reply) =>
        sendFile(
          reply,
          'attachment',
          await ctx.notices.adminFile('attachment', req.params.fileId),
          'private, no-store',
        ),
    );
    app.post(
      '/api/admin/notices',
      {
        onRequest: guard,
        schema: { tags, summary: '新增通知公告（保存为草稿）', body: ZNoticeInput, response: { 200: ZNoticeAdmin } },
      },
      async (req) => ctx.notices.create(staff(req), req.body, meta(req)),
    );
    app.get(
      '/api/admin/notices/:id',
      { onRequest: guard, schema: { tags, summary: '通知公告详情', params: id, response: { 200: ZNoticeAdmin } } },
      async (req) => ctx.notices.adminGet(staff(req), req.params.id),
    );
    app.put(
      '/api/admin/notices/:id',
      {
        onRequest: guard,
        schema: { tags, summary: '修改通知公告', params: id, body: ZNoticeInput, response: { 200: ZNoticeAdmin } },
      },
      async (req) => ctx.notices.update(staff(req), req.params.id, req.body, meta(req)),
    );
    app.post(
      '/api/admin/notices/:id/publish',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '发布（发布时间未到则为定时发布）',
          params: id,
          response: { 200: ZNoticeAdmin },
        },
      },
      async (req) => ctx.notices.publish(staff(req), req.params.id, meta(req)),
    );
    app.post(
      '/api/admin/notices/:id/withdraw',
      {
        onRequest: guard,
        schema: { tags, summary: '撤回（立即从门户下线）', params: id, response: { 200: ZNoticeAdmin } },
      },
      async (req) => ctx.notices.withdraw(staff(req), req.params.id, meta(req)),
    );
    app.delete(
      '/api/admin/notices/:id',
      { onRequest: guard, schema: { tags, summary: '删除草稿', params: id } },
      async (req, reply) => {
        await ctx.notices.remove(staff(req), req.params.id, meta(req));
        return reply.code(204).send();
      },
    );
  };
}
