import {
  CREDIT_IMPORT_MAX_BYTES,
  CREDIT_IMPORT_TEMPLATE_FILENAME,
  ZCreditImport,
  ZCreditImportList,
  ZCreditImportQuery,
} from '@cpe/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { meta } from '../../http/auth.js';
import { sendXlsx } from '../../http/download.js';
import { readMultipart } from '../../http/multipart.js';
import { AppError } from '../../lib/errors.js';
import type { CreditImportActor, CreditImportService } from './credit-import.service.js';

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

const tags = ['学时批量导入'];
const id = z.object({ id: z.uuid('导入记录编号无效') });

/** The four routes under `prefix`; `actor` says who the signed-in user is (staff or a unit's administrator). */
function routes(
  service: CreditImportService,
  prefix: string,
  guard: Hook[],
  actor: (req: FastifyRequest) => CreditImportActor,
): FastifyPluginAsyncZod {
  return async (app) => {
    // Registered before `${prefix}/:id/…` so the literal path wins.
    app.get(
      `${prefix}/template.xlsx`,
      { onRequest: guard, schema: { tags, summary: '下载学时批量导入模板' } },
      async (_req, reply) => sendXlsx(reply, CREDIT_IMPORT_TEMPLATE_FILENAME, await service.templateXlsx()),
    );
    app.get(
      prefix,
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '导入记录（分页，最新的在前）',
          querystring: ZCreditImportQuery,
          response: { 200: ZCreditImportList },
        },
      },
      async (req) => service.list(actor(req), req.query),
    );
    app.post(
      prefix,
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '上传学时批量导入文件（xlsx，字段 file，≤5M，≤10000行）：校验并导入通过的行',
          consumes: ['multipart/form-data'],
          response: { 200: ZCreditImport },
        },
      },
      async (req) => {
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '请以表单方式上传文件' });
        const { files, names } = await readMultipart(req, { maxFileBytes: CREDIT_IMPORT_MAX_BYTES, maxFiles: 1 });
        const data = files.file;
        if (!data) throw new AppError('VALIDATION_FAILED', { message: '请选择文件', fields: { file: '请选择文件' } });
        return service.upload(actor(req), { data, name: names.file || '学时批量导入.xlsx' }, meta(req));
      },
    );
    app.get(
      `${prefix}/:id/errors.xlsx`,
      { onRequest: guard, schema: { tags, summary: '下载错误文件（未通过校验的行及错误原因）', params: id } },
      async (req, reply) => {
        const f = await service.errorFile(actor(req), req.params.id);
        return sendXlsx(reply, f.filename, f.data);
      },
    );
  };
}

/** 单位中心 → 学时批量导入 (public listener): a 继续教育基地's administrator, for its own classes (待认定). */
export function creditImportPublicRoutes(service: CreditImportService, auth: Hook): FastifyPluginAsyncZod {
  return routes(service, '/api/unit-center/credit-imports', [auth], (req) => ({
    type: 'account',
    id: req.principalId as string,
  }));
}

/** 学时管理 → 学时批量导入 (staff listener): the 培训中心 (已认定); the guard checks the roles. */
export function creditImportStaffRoutes(service: CreditImportService, guard: Hook[]): FastifyPluginAsyncZod {
  return routes(service, '/api/admin/credit-imports', guard, (req) => ({
    type: 'staff',
    id: req.principalId as string,
  }));
}
