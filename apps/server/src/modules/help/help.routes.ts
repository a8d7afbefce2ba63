import {
  TICKET_SCREENSHOT_MAX_BYTES,
  ZAdminTicketDetail,
  ZAdminTicketList,
  ZAdminTicketQuery,
  ZAdminTicketReply,
  ZFaq,
  ZFaqInput,
  ZFaqList,
  ZFaqMove,
  ZFaqPublish,
  ZHelpContact,
  ZHelpPage,
  ZHelpQuery,
  ZTicketCreate,
  ZTicketDetail,
  ZTicketList,
  ZTicketQuery,
  ZTicketReply,
  ZTicketUnread,
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

function sendImage(reply: FastifyReply, f: { data: Buffer; mime: string }) {
  // Screenshots are private: never cached by shared caches, never sniffed into something else.
  reply.type(f.mime).header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff');
  return f.data;
}

/** 咨询方式 and 在线客服 on the portal: the public help page, and a signed-in learner's own tickets. */
export function helpPublicRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireSession(ctx, 'public');
    const me = (req: { principalId?: string }) => req.principalId as string;
    const tags = ['咨询方式'];

    app.get(
      '/api/help',
      {
        schema: {
          tags,
          summary: '咨询方式：咨询热线与常见问题（已发布，按分类；q 按字面搜索）',
          querystring: ZHelpQuery,
          response: { 200: ZHelpPage },
        },
      },
      async (req) => ctx.help.page(req.query.q),
    );

    app.post(
      '/api/tickets/files',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '上传在线客服截图（JPG或PNG，不超过5M）',
          consumes: ['multipart/form-data'],
          response: { 200: ZUploadedFile },
        },
      },
      async (req) => {
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '请以表单方式上传' });
        const { files, names } = await readMultipart(req, { maxFileBytes: TICKET_SCREENSHOT_MAX_BYTES, maxFiles: 1 });
        const data = files.file;
        if (!data) throw new AppError('VALIDATION_FAILED', { message: '请选择截图', fields: { file: '请选择截图' } });
        const clean = await checkUpload('ticket-screenshot', data);
        return ctx.help.upload(me(req), { ...clean, name: names.file });
      },
    );
    app.post(
      '/api/tickets',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '在线客服：提交咨询（每人每小时最多5条）',
          body: ZTicketCreate,
          response: { 200: ZTicketDetail },
        },
      },
      async (req) => ctx.help.create(me(req), req.body, meta(req)),
    );
    app.get(
      '/api/tickets',
      {
        onRequest: auth,
        schema: { tags, summary: '我的咨询', querystring: ZTicketQuery, response: { 200: ZTicketList } },
      },
      async (req) => ctx.help.mine(me(req), req.query.page, req.query.pageSize),
    );
    app.get(
      '/api/tickets/unread-count',
      { onRequest: auth, schema: { tags, summary: '未读的客服回复条数', response: { 200: ZTicketUnread } } },
      async (req) => ctx.help.unreadCount(me(req)),
    );
    app.get(
      '/api/tickets/:id',
      {
        onRequest: auth,
        schema: { tags, summary: '咨询详情（打开即标记回复为已读）', params: id, response: { 200: ZTicketDetail } },
      },
      async (req) => ctx.help.get(me(req), req.params.id),
    );
    app.post(
      '/api/tickets/:id/messages',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '继续咨询（已回复的咨询重新变为待回复）',
          params: id,
          body: ZTicketReply,
          response: { 200: ZTicketDetail },
        },
      },
      async (req) => ctx.help.learnerMessage(me(req), req.params.id, req.body, meta(req)),
    );
    app.post(
      '/api/tickets/:id/close',
      {
        onRequest: auth,
        schema: { tags, summary: '关闭咨询', params: id, response: { 200: ZTicketDetail } },
      },
      async (req) => ctx.help.learnerClose(me(req), req.params.id, meta(req)),
    );
    app.get(
      '/api/tickets/:id/files/:fileId',
      { onRequest: auth, schema: { tags, summary: '查看咨询中的截图（本人）', params: idAndFile } },
      async (req, reply) => sendImage(reply, await ctx.help.learnerFile(me(req), req.params.id, req.params.fileId)),
    );
  };
}

/** 在线客服, 常见问题 and 咨询热线 in the console (培训中心运营 or 系统管理员). */
export function helpStaffRoutes(ctx: AppContext, guard: Hook[]): FastifyPluginAsyncZod {
  return async (app) => {
    const staff = (req: { principalId?: string }) => req.principalId as string;
    const tags = ['在线客服'];

    app.get(
      '/api/admin/tickets',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '咨询列表（按最后消息时间排序，附各状态数量）',
          querystring: ZAdminTicketQuery,
          response: { 200: ZAdminTicketList },
        },
      },
      async (req) => ctx.help.adminList(req.query),
    );
    app.get(
      '/api/admin/tickets/:id',
      { onRequest: guard, schema: { tags, summary: '咨询详情', params: id, response: { 200: ZAdminTicketDetail } } },
      async (req) => ctx.help.adminGet(req.params.id),
    );
    app.post(
      '/api/admin/tickets/:id/replies',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '回复咨询（状态变为已回复）',
          params: id,
          body: ZAdminTicketReply,
          response: { 200: ZAdminTicketDetail },
        },
      },
      async (req) => ctx.help.adminReply(staff(req), req.params.id, req.body.body, meta(req)),
    );
    app.post(
      '/api/admin/tickets/:id/close',
      {
        onRequest: guard,
        schema: { tags, summary: '关闭咨询', params: id, response: { 200: ZAdminTicketDetail } },
      },
      async (req) => ctx.help.adminClose(staff(req), req.params.id, meta(req)),
    );
    app.get(
      '/api/admin/tickets/:id/files/:fileId',
      { onRequest: guard, schema: { tags, summary: '查看咨询中的截图', params: idAndFile } },
      async (req, reply) => sendImage(reply, await ctx.help.adminFile(req.params.id, req.params.fileId)),
    );

    const faqTags = ['常见问题'];
    app.get(
      '/api/admin/faqs',
      { onRequest: guard, schema: { tags: faqTags, summary: '常见问题（含未发布）', response: { 200: ZFaqList } } },
      async () => ctx.help.faqList(),
    );
    app.post(
      '/api/admin/faqs',
      {
        onRequest: guard,
        schema: { tags: faqTags, summary: '新增常见问题（排在该分类最后）', body: ZFaqInput, response: { 200: ZFaq } },
      },
      async (req) => ctx.help.faqCreate(staff(req), req.body, meta(req)),
    );
    app.put(
      '/api/admin/faqs/:id',
      {
        onRequest: guard,
        schema: { tags: faqTags, summary: '修改常见问题', params: id, body: ZFaqInput, response: { 200: ZFaq } },
      },
      async (req) => ctx.help.faqUpdate(staff(req), req.params.id, req.body, meta(req)),
    );
    app.post(
      '/api/admin/faqs/:id/publish',
      {
        onRequest: guard,
        schema: { tags: faqTags, summary: '发布 / 取消发布', params: id, body: ZFaqPublish, response: { 200: ZFaq } },
      },
      async (req) => ctx.help.faqPublish(staff(req), req.params.id, req.body.published, meta(req)),
    );
    app.post(
      '/api/admin/faqs/:id/move',
      {
        onRequest: guard,
        schema: {
          tags: faqTags,
          summary: '上移 / 下移（同一分类内）',
          params: id,
          body: ZFaqMove,
          response: { 200: ZFaqList },
        },
      },
      async (req) => ctx.help.faqMove(staff(req), req.params.id, req.body.direction, meta(req)),
    );
    app.delete(
      '/api/admin/faqs/:id',
      { onRequest: guard, schema: { tags: faqTags, summary: '删除常见问题', params: id } },
      async (req, reply) => {
        await ctx.help.faqDelete(staff(req), req.params.id, meta(req));
        return reply.code(204).send();
      },
    );
    app.get(
      '/api/admin/help/hotlines',
      { onRequest: guard, schema: { tags: faqTags, summary: '咨询热线设置', response: { 200: ZHelpContact } } },
      async () => ctx.help.contact(),
    );
    app.put(
      '/api/admin/help/hotlines',
      {
        onRequest: guard,
        schema: { tags: faqTags, summary: '保存咨询热线', body: ZHelpContact, response: { 200: ZHelpContact } },
      },
      async (req) => ctx.help.putContact(staff(req), req.body, meta(req)),
    );
  };
}
