import { ZPageQuery, ZRosterDetail, ZRosterDetailQuery, ZRosterList, ZRosterStartImport } from '@cpe/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { meta, requireSession } from '../../http/auth.js';
import { sendXlsx } from '../../http/download.js';
import { readMultipart } from '../../http/multipart.js';
import { AppError } from '../../lib/errors.js';
import { ROSTER_MAX_BYTES, type RosterActor } from './roster.service.js';
import { ROSTER_TEMPLATE_FILENAME, rosterTemplateXlsx } from './roster-excel.js';

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

const tags = ['学员注册名单'];
const id = z.object({ id: z.uuid('编号无效') });

/** The routes both listeners share; `actor` decides whose imports a request may see. */
function rosterRoutes(
  ctx: AppContext,
  prefix: string,
  guard: Hook[],
  actor: (req: FastifyRequest) => Promise<RosterActor>,
): FastifyPluginAsyncZod {
  return async (app) => {
    const { roster } = ctx;
    app.get(
      prefix,
      {
        onRequest: guard,
        schema: { tags, summary: '学员注册名单列表', querystring: ZPageQuery, response: { 200: ZRosterList } },
      },
      async (req) => roster.list(await actor(req), req.query),
    );
    app.post(
      prefix,
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '上传学员注册名单（xlsx，字段 file，≤5M，≤10000行）并校验',
          consumes: ['multipart/form-data'],
          response: { 200: ZRosterDetail },
        },
      },
      async (req) => {
        const who = await actor(req);
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '请以表单方式上传' });
        const { files, names } = await readMultipart(req, { maxFileBytes: ROSTER_MAX_BYTES, maxFiles: 1 });
        const data = files.file;
        if (!data) throw new AppError('VALIDATION_FAILED', { message: '请选择文件', fields: { file: '请选择文件' } });
        return roster.upload(who, { data, name: names.file || '学员注册名单.xlsx' }, meta(req));
      },
    );
    app.get(
      `${prefix}/:id`,
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '名单详情：校验结果、导入进度与逐行结果',
          params: id,
          querystring: ZRosterDetailQuery,
          response: { 200: ZRosterDetail },
        },
      },
      async (req) => roster.get(await actor(req), req.params.id, req.query),
    );
    app.post(
      `${prefix}/:id/import`,
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '确认导入：为校验通过的学员创建账号（可填写接收完成通知的邮箱）',
          params: id,
          body: ZRosterStartImport.optional(),
          response: { 200: ZRosterDetail },
        },
      },
      async (req) => roster.startImport(await actor(req), req.params.id, req.body ?? {}, meta(req)),
    );
    app.get(
      `${prefix}/:id/report.xlsx`,
      { onRequest: guard, schema: { tags, summary: '下载导入结果', params: id } },
      async (req, reply) =>
        sendXlsx(reply, '学员注册结果.xlsx', await roster.reportXlsx(await actor(req), req.params.id)),
    );
  };
}

/** 学员注册名单 on the portal: the administrator of an approved unit; the template for anyone signed in. */
export function rosterPublicRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireSession(ctx, 'public');
    // Registered before /api/rosters/:id so the literal path wins.
    app.get(
      '/api/rosters/template.xlsx',
      { onRequest: auth, schema: { tags, summary: '下载学员注册名单模板（附件2）' } },
      async (_req, reply) => sendXlsx(reply, ROSTER_TEMPLATE_FILENAME, await rosterTemplateXlsx()),
    );
    await app.register(
      rosterRoutes(ctx, '/api/rosters', [auth], async (req) => {
        const accountId = req.principalId as string;
        const unit = await ctx.units.unitOfAdmin(accountId);
        if (!unit) throw new AppError('ROSTER_FORBIDDEN', { message: '仅审核通过的单位管理员可以上传学员注册名单' });
        return { type: 'account', id: accountId, unitId: unit.id };
      }),
    );
  };
}

/** The same on the console for the training centre (sees every import); the guard checks the roles. */
export function rosterStaffRoutes(ctx: AppContext, guard: Hook[]): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/admin/rosters/template.xlsx',
      { onRequest: guard, schema: { tags, summary: '下载学员注册名单模板（附件2）' } },
      async (_req, reply) => sendXlsx(reply, ROSTER_TEMPLATE_FILENAME, await rosterTemplateXlsx()),
    );
    await app.register(
      rosterRoutes(ctx, '/api/admin/rosters', guard, async (req) => ({ type: 'staff', id: req.principalId as string })),
    );
  };
}
