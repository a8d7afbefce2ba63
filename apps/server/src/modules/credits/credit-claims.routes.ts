import { ZUploadedFile } from '@cpe/shared';
import {
  ZCreditClaimInput,
  ZCreditEntry,
  ZCreditProofQuery,
  ZCreditReturn,
  ZCreditReviewItem,
  ZCreditReviewList,
  ZCreditReviewQuery,
  ZCreditStandard,
  ZCreditStandardInput,
  ZCreditStandardList,
} from '@cpe/shared/schemas/credits';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { meta } from '../../http/auth.js';
import { sendPdf, sendStoredFile } from '../../http/download.js';
import { readMultipart } from '../../http/multipart.js';
import { AppError } from '../../lib/errors.js';
import { checkUpload, UPLOAD_PURPOSES } from '../files/uploads.js';
import type { ReviewerScope } from '../units/unit-review.service.js';
import type { CreditClaimsService } from './credit-claims.service.js';
import type { CreditProofsService } from './credit-proofs.service.js';
import type { CreditStandardsService } from './credit-standards.service.js';

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
const idParams = z.object({ id: z.uuid('学时记录编号格式不正确') });
const fileParams = z.object({ id: z.uuid('学时记录编号格式不正确'), fileId: z.uuid('文件编号格式不正确') });
const onlyFile = z.object({ fileId: z.uuid('文件编号格式不正确') });
const yearQuery = z.object({
  year: z.coerce
    .number({ error: '年度应为数字' })
    .int('年度应为整数')
    .min(2000, '年度不能早于2000年')
    .max(2100, '年度不能晚于2100年'),
});
const me = (req: { principalId?: string }) => req.principalId as string;

/** 学时登记 and 学时证明 of the signed-in person, 单位中心 → 学时审核 — public listener. */
export function creditClaimsPublicRoutes(
  claims: CreditClaimsService,
  proofs: CreditProofsService,
  auth: Hook,
): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['学时档案'];
    app.get(
      '/api/my/credits/standards',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '学时登记可选的学习形式（学时折算标准，含本人该年度已登记学时）',
          querystring: yearQuery,
          response: { 200: ZCreditStandardList },
        },
      },
      async (req) => claims.standardsFor(me(req), req.query.year),
    );
    app.post(
      '/api/my/credits/files',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '上传学时登记的证明材料（JPG、PNG或PDF，不超过10M，按文件内容识别）',
          consumes: ['multipart/form-data'],
          response: { 200: ZUploadedFile },
        },
      },
      async (req) => {
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '请以表单方式上传' });
        const { files, names } = await readMultipart(req, {
          maxFileBytes: UPLOAD_PURPOSES['credit-evidence'].maxBytes,
          maxFiles: 1,
        });
        const data = files.file;
        if (!data) throw new AppError('VALIDATION_FAILED', { message: '请选择文件', fields: { file: '请选择文件' } });
        const clean = await checkUpload('credit-evidence', data);
        return claims.upload(me(req), { ...clean, name: names.file });
      },
    );
    app.get(
      '/api/my/credits/files/:fileId',
      { onRequest: auth, schema: { tags, summary: '查看本人上传的证明材料', params: onlyFile } },
      async (req, reply) => sendStoredFile(reply, await claims.ownFile(me(req), req.params.fileId)),
    );
    app.post(
      '/api/my/credits/claims',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '学时登记：提交后由工作单位确认，再由主管部门或区县人社局认定',
          body: ZCreditClaimInput,
          response: { 200: ZCreditEntry },
        },
      },
      async (req) => claims.submit(me(req), req.body, meta(req)),
    );
    app.put(
      '/api/my/credits/claims/:id',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '修改后重新提交（不予认定或已撤回的学时登记）',
          params: idParams,
          body: ZCreditClaimInput,
          response: { 200: ZCreditEntry },
        },
      },
      async (req) => claims.resubmit(me(req), req.params.id, req.body, meta(req)),
    );
    app.post(
      '/api/my/credits/claims/:id/withdraw',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '撤回学时登记（待单位确认或待认定时）',
          params: idParams,
          response: { 200: ZCreditEntry },
        },
      },
      async (req) => claims.withdraw(me(req), req.params.id, meta(req)),
    );
    app.get(
      '/api/my/credits/proof',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '下载学时证明（已认定学时，带电子印章和数字签名的PDF，可扫码查验）',
          querystring: ZCreditProofQuery,
        },
      },
      async (req, reply) => {
        const f = await proofs.pdf(me(req), req.query);
        return sendPdf(reply, f.filename, f.data);
      },
    );

    const unitTags = ['单位中心'];
    app.get(
      '/api/unit-center/credit-claims',
      {
        onRequest: auth,
        schema: {
          tags: unitTags,
          summary: '学时审核：本单位人员的学时登记（待确认、已处理）',
          querystring: ZCreditReviewQuery,
          response: { 200: ZCreditReviewList },
        },
      },
      async (req) => claims.unitQueue(me(req), req.query),
    );
    app.get(
      '/api/unit-center/credit-claims/:id/files/:fileId',
      { onRequest: auth, schema: { tags: unitTags, summary: '查看学时登记的证明材料', params: fileParams } },
      async (req, reply) => sendStoredFile(reply, await claims.unitFile(me(req), req.params.id, req.params.fileId)),
    );
    app.post(
      '/api/unit-center/credit-claims/:id/confirm',
      {
        onRequest: auth,
        schema: {
          tags: unitTags,
          summary: '单位确认学时登记（转主管部门或区县人社局认定）',
          params: idParams,
          response: { 200: ZCreditReviewItem },
        },
      },
      async (req) => claims.unitConfirm(me(req), req.params.id, meta(req)),
    );
    app.post(
      '/api/unit-center/credit-claims/:id/return',
      {
        onRequest: auth,
        schema: {
          tags: unitTags,
          summary: '退回学时登记（须填写原因）',
          params: idParams,
          body: ZCreditReturn,
          response: { 200: ZCreditReviewItem },
        },
      },
      async (req) => claims.unitReturn(me(req), req.params.id, req.body.reason, meta(req)),
    );
  };
}

/**
 * The 认定 queue. Mounted on the staff listener for 区县人社局 / 市人社局 reviewers, and on the portal for a 主管部门's
 * administrator when CREDIT_RECOGNITION_BY=department (the scope function decides who sees what).
 */
export function creditRecognitionRoutes(
  claims: CreditClaimsService,
  guard: Hook | Hook[],
  scopeOf: (principalId: string) => Promise<ReviewerScope>,
  prefix: '/api/admin' | '/api/unit-center',
): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['学时认定'];
    const base = `${prefix}/credit-recognition`;
    const path = prefix === '/api/admin' ? '/api/admin/credit-claims' : base;
    app.get(
      path,
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '学时认定：经单位确认的学时登记（待认定、已处理）',
          querystring: ZCreditReviewQuery,
          response: { 200: ZCreditReviewList },
        },
      },
      async (req) => claims.bureauQueue(await scopeOf(me(req)), req.query),
    );
    app.get(
      `${path}/:id/files/:fileId`,
      { onRequest: guard, schema: { tags, summary: '查看学时登记的证明材料', params: fileParams } },
      async (req, reply) =>
        sendStoredFile(reply, await claims.bureauFile(await scopeOf(me(req)), req.params.id, req.params.fileId)),
    );
    app.post(
      `${path}/:id/recognise`,
      {
        onRequest: guard,
        schema: { tags, summary: '认定（计入学时档案）', params: idParams, response: { 200: ZCreditReviewItem } },
      },
      async (req) => claims.recognise(await scopeOf(me(req)), req.params.id, meta(req)),
    );
    app.post(
      `${path}/:id/return`,
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '退回（不予认定，须填写原因）',
          params: idParams,
          body: ZCreditReturn,
          response: { 200: ZCreditReviewItem },
        },
      },
      async (req) => claims.bureauReturn(await scopeOf(me(req)), req.params.id, req.body.reason, meta(req)),
    );
  };
}

/** 学时折算标准 editor — staff listener. */
export function creditStandardsRoutes(
  standards: CreditStandardsService,
  guard: Hook[],
  staffOf: (staffId: string) => Promise<{ id: string; name: string }>,
): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['学时折算标准'];
    app.get(
      '/api/admin/credit-standards',
      {
        onRequest: guard,
        schema: { tags, summary: '学时折算标准（含已停用）', response: { 200: ZCreditStandardList } },
      },
      async () => standards.list(),
    );
    app.post(
      '/api/admin/credit-standards',
      {
        onRequest: guard,
        schema: { tags, summary: '新增学时折算标准', body: ZCreditStandardInput, response: { 200: ZCreditStandard } },
      },
      async (req) => standards.create(await staffOf(me(req)), req.body, meta(req)),
    );
    app.put(
      '/api/admin/credit-standards/:id',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '修改、停用或启用学时折算标准（只影响之后提交的学时登记）',
          params: z.object({ id: z.uuid('编号格式不正确') }),
          body: ZCreditStandardInput,
          response: { 200: ZCreditStandard },
        },
      },
      async (req) => standards.update(await staffOf(me(req)), req.params.id, req.body, meta(req)),
    );
  };
}
