import {
  ZOk,
  ZRealnameResubmitFields,
  ZRealnameResubmitResponse,
  ZRealnameReviewDecision,
  ZRealnameReviewItem,
  ZRealnameReviewList,
  ZRealnameReviewQuery,
} from '@cpe/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { meta } from '../../http/auth.js';
import { readMultipart } from '../../http/multipart.js';
import { AppError } from '../../lib/errors.js';
import { MAX_IMAGE_BYTES } from '../files/images.js';
import type { RealnameReviewService } from './realname-review.service.js';

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

const tags = ['人工实名审核'];
const principal = (req: { principalId?: string }) => req.principalId as string;

/** The document photo travels with the form: one image, the size recovery photos have. */
export async function readPhotoForm(req: FastifyRequest) {
  if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '请以表单方式上传' });
  return readMultipart(req, { maxFileBytes: MAX_IMAGE_BYTES, maxFiles: 1 });
}

/** 个人中心: 重新提交 after a rejection (the status itself is part of GET /api/me). */
export function realnameReviewPublicRoutes(reviews: RealnameReviewService, auth: Hook): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/me/realname-review',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '重新提交人工实名审核（multipart：realName, idType, idNumber, nationality, photo）',
          consumes: ['multipart/form-data'],
          response: { 200: ZRealnameResubmitResponse },
        },
      },
      async (req) => {
        const { fields, files } = await readPhotoForm(req);
        const parsed = ZRealnameResubmitFields.parse(fields);
        return reviews.resubmit(principal(req), { ...parsed, photo: files.photo }, meta(req));
      },
    );
  };
}

/** 实名审核 on the staff listener; `guard` admits 人工找回/实名审核 handlers and system administrators. */
export function realnameReviewStaffRoutes(reviews: RealnameReviewService, guard: Hook[]): FastifyPluginAsyncZod {
  return async (app) => {
    const params = z.object({ id: z.uuid('申请编号无效') });
    app.get(
      '/api/realname-reviews',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '人工实名审核列表（按状态筛选、按姓名搜索）',
          querystring: ZRealnameReviewQuery,
          response: { 200: ZRealnameReviewList },
        },
      },
      async (req) => reviews.list(req.query),
    );
    app.get(
      '/api/realname-reviews/:id',
      {
        onRequest: guard,
        schema: { tags, summary: '人工实名审核详情', params, response: { 200: ZRealnameReviewItem } },
      },
      async (req) => reviews.get(req.params.id),
    );
    app.get(
      '/api/realname-reviews/:id/photo',
      {
        onRequest: guard,
        schema: { tags, summary: '证件照片（查看将记入审计日志）', params },
      },
      async (req, reply) => {
        const file = await reviews.photo(req.params.id, principal(req), meta(req));
        reply.header('cache-control', 'private, no-store').type(file.mime);
        return file.data;
      },
    );
    app.post(
      '/api/realname-reviews/:id/decision',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '审核人工实名申请（通过 / 退回，退回须填写原因）',
          params,
          body: ZRealnameReviewDecision,
          response: { 200: ZOk },
        },
      },
      async (req) => reviews.decide(req.params.id, req.body, principal(req), meta(req)),
    );
  };
}
