import { ZSeminarCertificateList, ZTraineeList, ZTraineeListQuery, ZTraineesSaved, ZTraineesText } from '@cpe/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { meta, requireSession } from '../../http/auth.js';
import { sendXlsx } from '../../http/download.js';
import { readMultipart } from '../../http/multipart.js';
import { fieldError } from '../../lib/errors.js';
import type { Filer } from '../applications/applications.service.js';
import { districtFiler, unitFiler } from '../applications/principals.js';
import type { TraineesInput } from './seminars.service.js';
import {
  TRAINEES_ERRORS_FILENAME,
  TRAINEES_TEMPLATE_FILENAME,
  TRAINEES_UPLOAD,
  traineesTemplateXlsx,
} from './trainees-excel.js';

type Guard = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
const params = z.object({ id: z.uuid('申报书编号无效') });
const certParams = z.object({ id: z.uuid('证书编号无效') });
/** Pasted text is JSON up to ~1M characters (3 bytes each in UTF-8). */
const BODY_LIMIT = 4 * 1024 * 1024;

/** The paste box's JSON { text }, or a multipart upload with the .xlsx in `file`. */
async function traineesInput(req: FastifyRequest): Promise<TraineesInput> {
  if (req.isMultipart()) {
    const { files } = await readMultipart(req, { maxFileBytes: TRAINEES_UPLOAD.maxBytes, maxFiles: 1 });
    if (!files.file) throw fieldError('VALIDATION_FAILED', 'file', '请选择Excel文件');
    return { file: files.file };
  }
  return ZTraineesText.parse(req.body ?? {});
}

/**
 * 结业上报's 学员名单, the same on both listeners like the other 申报 routes: a unit administrator from 单位中心
 * (public), a 区县人社局 from the console (staff). Only for a 结业上报 the caller filed and may still edit.
 */
export function seminarFilingRoutes(
  ctx: AppContext,
  guard: Guard,
  filerOf: (principalId: string) => Promise<Filer>,
): FastifyPluginAsyncZod {
  return async (app) => {
    const svc = ctx.seminars;
    const filer = (req: { principalId?: string }) => filerOf(req.principalId as string);
    const tags = ['结业上报'];
    const consumes = ['application/json', 'multipart/form-data'];

    app.get(
      '/api/applications/:id/trainees/template',
      { onRequest: guard, schema: { tags, summary: '下载学员名单模板（Excel）' } },
      async (_req, reply) => sendXlsx(reply, TRAINEES_TEMPLATE_FILENAME, await traineesTemplateXlsx()),
    );
    app.get(
      '/api/applications/:id/trainees',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '学员名单（分页，按姓名查询；证件号码、手机号码脱敏）',
          params,
          querystring: ZTraineeListQuery,
          response: { 200: ZTraineeList },
        },
      },
      async (req) => svc.listOwn(await filer(req), req.params.id, req.query),
    );
    app.put(
      '/api/applications/:id/trainees',
      {
        onRequest: guard,
        bodyLimit: BODY_LIMIT,
        schema: {
          tags,
          summary:
            '校验并保存学员名单（JSON {text}：从Excel复制的行；或 multipart file：.xlsx，≤5M、≤2000人）。' +
            '有错误行时返回 400 TRAINEES_INVALID 及每行原因 lines，不保存',
          params,
          consumes,
          response: { 200: ZTraineesSaved },
        },
      },
      async (req) => {
        const f = await filer(req);
        return svc.replace(f, req.params.id, await traineesInput(req), meta(req));
      },
    );
    app.post(
      '/api/applications/:id/trainees/errors',
      {
        onRequest: guard,
        bodyLimit: BODY_LIMIT,
        schema: {
          tags,
          summary: '下载错误文件：同样的输入，返回错误行及错误原因（Excel），不保存',
          params,
          consumes,
        },
      },
      async (req, reply) => {
        const f = await filer(req);
        return sendXlsx(
          reply,
          TRAINEES_ERRORS_FILENAME,
          await svc.errorsXlsx(f, req.params.id, await traineesInput(req)),
        );
      },
    );
    app.delete(
      '/api/applications/:id/trainees',
      { onRequest: guard, schema: { tags, summary: '清空学员名单', params, response: { 200: ZTraineesSaved } } },
      async (req) => svc.clear(await filer(req), req.params.id, meta(req)),
    );
  };
}

/** 我的证书 (高研班结业证书) of the signed-in person — public listener (their 学时: modules/credits). */
export function seminarLearnerRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireSession(ctx, 'public');
    const me = (req: { principalId?: string }) => req.principalId as string;
    const tags = ['高研班结业证书'];
    app.get(
      '/api/my/seminar-certificates',
      { onRequest: auth, schema: { tags, summary: '我的高研班结业证书', response: { 200: ZSeminarCertificateList } } },
      async (req) => ctx.seminars.myCertificates(me(req)),
    );
    app.get(
      '/api/my/seminar-certificates/:id/pdf',
      {
        onRequest: auth,
        schema: { tags, summary: '下载证书：带电子印章和数字签名的PDF', params: certParams },
      },
      async (req, reply) => {
        const f = await ctx.seminars.certificatePdf(me(req), req.params.id);
        reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
          .header('cache-control', 'private, no-store');
        return f.data;
      },
    );
  };
}

/** Public listener: 单位中心's 学员名单 and the learner's certificates and 学时. */
export function seminarPublicRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(seminarFilingRoutes(ctx, requireSession(ctx, 'public'), (id) => unitFiler(ctx, id)));
    await app.register(seminarLearnerRoutes(ctx));
  };
}

/** Staff listener: a 区县人社局's 学员名单. */
export function seminarStaffRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(seminarFilingRoutes(ctx, requireSession(ctx, 'staff'), (id) => districtFiler(ctx, id)));
  };
}
