import {
  applicationType,
  ZApplicationCandidates,
  ZApplicationCandidatesQuery,
  ZApplicationCreate,
  ZApplicationDetail,
  ZApplicationList,
  ZApplicationListQuery,
  ZApplicationReview,
  ZApplicationReviewList,
  ZApplicationReviewQuery,
  ZApplicationStats,
  ZApplicationStatsQuery,
  ZApplicationTypeList,
  ZApproveRequest,
  ZAttachment,
  ZBatch,
  ZBatchInput,
  ZBatchList,
  ZDraftComments,
  ZOk,
  ZRejectRequest,
  ZReturnRequest,
  ZSectionParams,
  ZSectionValues,
  ZTraineeList,
  ZTraineeListQuery,
} from '@cpe/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { meta } from '../../http/auth.js';
import { sendXlsx } from '../../http/download.js';
import { readMultipart } from '../../http/multipart.js';
import { AppError } from '../../lib/errors.js';
import type { ApplicationRow } from './applications.repo.js';
import type { Filer, ProjectReviewer, Reviewer } from './applications.service.js';

type Guard = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
const params = z.object({ id: z.uuid('申报书编号无效') });
const fileParams = params.extend({ fileId: z.uuid('文件编号无效') });

function sendPdf(reply: FastifyReply, app: ApplicationRow, pdf: Buffer) {
  const def = applicationType(app.type);
  const name = `${def?.label ?? '申报书'}申报书${app.number ? `-${app.number}` : ''}.pdf`;
  reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(name)}`)
    .header('cache-control', 'private, no-store');
  return pdf;
}

function sendFile(reply: FastifyReply, f: { data: Buffer; mime: string; name: string }) {
  // Attachments are always downloaded: a PDF or DOCX from an applicant is never rendered in our origin.
  reply
    .type(f.mime)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`)
    .header('cache-control', 'private, no-store');
  return f.data;
}

/**
 * 申报 routes, the same on both listeners: a unit administrator files from 单位中心 (public listener),
 * a 区县人社局 from the staff console. `filerOf` says who the caller files as.
 */
export function applicationFilingRoutes(
  ctx: AppContext,
  guard: Guard,
  filerOf: (principalId: string) => Promise<Filer>,
): FastifyPluginAsyncZod {
  return async (app) => {
    const svc = ctx.applications;
    const filer = (req: { principalId?: string }) => filerOf(req.principalId as string);
    const tags = ['申报'];

    app.get(
      '/api/application-types',
      { onRequest: guard, schema: { tags, summary: '申报类型与本年度批次', response: { 200: ZApplicationTypeList } } },
      async () => svc.types(),
    );
    app.get(
      '/api/applications',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '我的申报列表',
          querystring: ZApplicationListQuery,
          response: { 200: ZApplicationList },
        },
      },
      async (req) => svc.list(await filer(req), req.query),
    );
    app.post(
      '/api/applications',
      {
        onRequest: guard,
        schema: { tags, summary: '新增申报（草稿）', body: ZApplicationCreate, response: { 200: ZApplicationDetail } },
      },
      async (req) => svc.create(await filer(req), req.body.type, meta(req), req.body.parentId),
    );
    app.get(
      '/api/application-candidates',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '可上报的已审核通过项目（开班方案、计划变化、结业）',
          querystring: ZApplicationCandidatesQuery,
          response: { 200: ZApplicationCandidates },
        },
      },
      async (req) => svc.candidates(await filer(req), req.query.type),
    );
    app.get(
      '/api/applications/:id',
      {
        onRequest: guard,
        schema: { tags, summary: '申报书（含修改意见记录）', params, response: { 200: ZApplicationDetail } },
      },
      async (req) => svc.get(await filer(req), req.params.id),
    );
    app.put(
      '/api/applications/:id/sections/:sectionId',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '保存一个填报项（可部分填写）',
          params: ZSectionParams,
          body: ZSectionValues,
          response: { 200: ZApplicationDetail },
        },
      },
      async (req) => svc.saveSection(await filer(req), req.params.id, req.params.sectionId, req.body),
    );
    app.post(
      '/api/applications/:id/attachments',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '上传附件（multipart：file；PDF/JPG/PNG/DOCX，≤10M）',
          params,
          consumes: ['multipart/form-data'],
          response: { 200: ZAttachment },
        },
      },
      async (req) => {
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '请以表单方式上传' });
        const f = await filer(req);
        const { files, names } = await readMultipart(req, { maxFileBytes: 10 * 1024 * 1024, maxFiles: 1 });
        const data = files.file;
        if (!data) throw new AppError('VALIDATION_FAILED', { message: '请选择文件', fields: { file: '请选择文件' } });
        return svc.attach(f, req.params.id, data, names.file);
      },
    );
    app.post(
      '/api/applications/:id/submit',
      { onRequest: guard, schema: { tags, summary: '提交申报书', params, response: { 200: ZApplicationDetail } } },
      async (req) => svc.submit(await filer(req), req.params.id, meta(req)),
    );
    app.post(
      '/api/applications/:id/withdraw',
      {
        onRequest: guard,
        schema: { tags, summary: '撤回（审核开始前）', params, response: { 200: ZApplicationDetail } },
      },
      async (req) => svc.withdraw(await filer(req), req.params.id, meta(req)),
    );
    app.delete(
      '/api/applications/:id',
      { onRequest: guard, schema: { tags, summary: '删除草稿', params, response: { 200: ZOk } } },
      async (req) => svc.remove(await filer(req), req.params.id, meta(req)),
    );
    app.get(
      '/api/applications/:id/pdf',
      { onRequest: guard, schema: { tags, summary: '申报书 PDF', params } },
      async (req, reply) => {
        const row = await svc.own(await filer(req), req.params.id);
        return sendPdf(reply, row, await svc.pdf(row));
      },
    );
    app.get(
      '/api/applications/:id/files/:fileId',
      { onRequest: guard, schema: { tags, summary: '下载附件', params: fileParams } },
      async (req, reply) => {
        const row = await svc.own(await filer(req), req.params.id);
        return sendFile(reply, await svc.file(row, req.params.fileId));
      },
    );
  };
}

/** Hooks that sign in, then resolve the reviewer before the handler runs; and the reviewer for the handler. */
function reviewerFirst<R>(guard: Guard, reviewerOf: (principalId: string) => Promise<R>) {
  return {
    onRequest: [
      guard,
      async (req: FastifyRequest) => {
        await reviewerOf(req.principalId as string);
      },
    ],
    reviewer: (req: { principalId?: string }) => reviewerOf(req.principalId as string),
  };
}

/** 申报批次 and 项目统计 (staff listener, 市人社局 only). */
export function applicationBatchRoutes(
  ctx: AppContext,
  guard: Guard,
  reviewerOf: (staffId: string) => Promise<ProjectReviewer>,
): FastifyPluginAsyncZod {
  return async (app) => {
    const svc = ctx.applications;
    const tags = ['项目审核'];
    // Anyone but 市人社局 gets 403 before any read.
    const { onRequest, reviewer } = reviewerFirst(guard, reviewerOf);
    app.get(
      '/api/application-batches',
      {
        onRequest,
        schema: {
          tags,
          summary: '申报批次',
          querystring: z.object({ type: z.string().max(40).optional() }),
          response: { 200: ZBatchList },
        },
      },
      async (req) => svc.batches(req.query.type),
    );
    app.post(
      '/api/application-batches',
      { onRequest, schema: { tags, summary: '开启年度申报批次', body: ZBatchInput, response: { 200: ZBatch } } },
      async (req) => svc.createBatch(await reviewer(req), req.body, meta(req)),
    );
    app.put(
      '/api/application-batches/:id',
      {
        onRequest,
        schema: {
          tags,
          summary: '修改开放时间与申报截止时间',
          params: z.object({ id: z.uuid('批次编号无效') }),
          body: ZBatchInput,
          response: { 200: ZBatch },
        },
      },
      async (req) => svc.updateBatch(await reviewer(req), req.params.id, req.body, meta(req)),
    );

    app.get(
      '/api/application-reviews/stats',
      {
        onRequest,
        schema: {
          tags,
          summary: '按区县、单位类型统计',
          querystring: ZApplicationStatsQuery,
          response: { 200: ZApplicationStats },
        },
      },
      async (req) => svc.stats(req.query),
    );
  };
}

/**
 * 审核 at every step of a chain, the same routes on both listeners: a 主管部门 in its 单位中心 (public), a 区县人社局
 * or 市人社局 in the console. `reviewerOf` says who reviews, at which level and node.
 */
export function applicationReviewRoutes(
  ctx: AppContext,
  guard: Guard,
  reviewerOf: (principalId: string) => Promise<Reviewer>,
): FastifyPluginAsyncZod {
  return async (app) => {
    const svc = ctx.applications;
    const tags = ['项目审核'];
    // Someone who reviews nothing gets 403 before any read.
    const { onRequest, reviewer } = reviewerFirst(guard, reviewerOf);

    app.get(
      '/api/application-reviews',
      {
        onRequest,
        schema: {
          tags,
          summary: '项目审核列表',
          querystring: ZApplicationReviewQuery,
          response: { 200: ZApplicationReviewList },
        },
      },
      async (req) => svc.reviewList(await reviewer(req), req.query),
    );
    app.get(
      '/api/application-reviews/export',
      {
        onRequest,
        schema: { tags, summary: '导出筛选结果（Excel，记入审计日志）', querystring: ZApplicationReviewQuery },
      },
      async (req, reply) => {
        const data = await svc.export(await reviewer(req), req.query, meta(req));
        return sendXlsx(reply, '项目审核.xlsx', data);
      },
    );
    app.get(
      '/api/application-reviews/:id',
      {
        onRequest,
        schema: {
          tags,
          summary: '审核：申报书全部填报项、修改对比、历史',
          params,
          response: { 200: ZApplicationReview },
        },
      },
      async (req) => svc.review(await reviewer(req), req.params.id),
    );
    app.put(
      '/api/application-reviews/:id/comments',
      { onRequest, schema: { tags, summary: '暂存修改意见', params, body: ZDraftComments, response: { 200: ZOk } } },
      async (req) => svc.saveDraftComments(await reviewer(req), req.params.id, req.body.comments),
    );
    app.post(
      '/api/application-reviews/:id/return',
      {
        onRequest,
        schema: {
          tags,
          summary: '退回修改（按填报项的修改意见，修改截止时间）',
          params,
          body: ZReturnRequest,
          response: { 200: ZApplicationDetail },
        },
      },
      async (req) => svc.returnForChanges(await reviewer(req), req.params.id, req.body, meta(req)),
    );
    app.post(
      '/api/application-reviews/:id/approve',
      {
        onRequest,
        schema: { tags, summary: '审核通过', params, body: ZApproveRequest, response: { 200: ZApplicationDetail } },
      },
      async (req) => svc.decide(await reviewer(req), req.params.id, 'approve', req.body.opinion, meta(req)),
    );
    app.post(
      '/api/application-reviews/:id/reject',
      {
        onRequest,
        schema: {
          tags,
          summary: '审核不通过（需填写原因）',
          params,
          body: ZRejectRequest,
          response: { 200: ZApplicationDetail },
        },
      },
      async (req) => svc.decide(await reviewer(req), req.params.id, 'reject', req.body.reason, meta(req)),
    );
    app.get(
      '/api/application-reviews/:id/pdf',
      { onRequest, schema: { tags, summary: '申报书 PDF', params } },
      async (req, reply) => {
        const row = await svc.visible(await reviewer(req), req.params.id);
        return sendPdf(reply, row, await svc.pdf(row));
      },
    );
    app.get(
      '/api/application-reviews/:id/trainees',
      {
        onRequest,
        schema: {
          tags,
          summary: '结业上报的学员名单（证件号码、手机号码脱敏）',
          params,
          querystring: ZTraineeListQuery,
          response: { 200: ZTraineeList },
        },
      },
      async (req) => {
        const row = await svc.visible(await reviewer(req), req.params.id);
        return ctx.seminars.list(row.id, req.query);
      },
    );
    app.get(
      '/api/application-reviews/:id/files/:fileId',
      { onRequest, schema: { tags, summary: '下载附件', params: fileParams } },
      async (req, reply) => {
        const row = await svc.visible(await reviewer(req), req.params.id);
        return sendFile(reply, await svc.file(row, req.params.fileId));
      },
    );
  };
}
