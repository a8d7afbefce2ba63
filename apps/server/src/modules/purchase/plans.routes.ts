import {
  ZAdminOrderDetail,
  ZAdminOrderList,
  ZAdminOrderQuery,
  ZOrderRefundRequest,
  ZOrderRefundResult,
  ZPaymentExceptionRefundResult,
  ZPlan,
  ZPlanInput,
  ZPlanList,
  ZUploadedFile,
} from '@cpe/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { meta } from '../../http/auth.js';
import { sendXlsx } from '../../http/download.js';
import { readMultipart } from '../../http/multipart.js';
import { AppError } from '../../lib/errors.js';
import { sanitizeImage } from '../files/images.js';

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** 学习计划管理 and 订单管理 for the training centre (staff listener; 培训中心运营 or 系统管理员). */
export function plansStaffRoutes(ctx: AppContext, guard: Hook[]): FastifyPluginAsyncZod {
  return async (app) => {
    const { plans } = ctx.purchase;
    const tags = ['学习计划管理'];
    const staff = (req: { principalId?: string }) => req.principalId as string;

    app.get(
      '/api/training-plans',
      { onRequest: guard, schema: { tags, summary: '全部学习计划', response: { 200: ZPlanList } } },
      async () => plans.all(),
    );
    app.post(
      '/api/training-plans',
      { onRequest: guard, schema: { tags, summary: '新增学习计划', body: ZPlanInput, response: { 200: ZPlan } } },
      async (req) => plans.create(staff(req), req.body, meta(req)),
    );
    app.put(
      '/api/training-plans/:id',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '修改学习计划（已下单的订单价格不变）',
          params: z.object({ id: z.uuid('编号无效') }),
          body: ZPlanInput,
          response: { 200: ZPlan },
        },
      },
      async (req) => plans.update(staff(req), req.params.id, req.body, meta(req)),
    );
    app.post(
      '/api/training-plans/covers',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '上传封面图片（JPG/PNG，重新编码）',
          consumes: ['multipart/form-data'],
          response: { 200: ZUploadedFile },
        },
      },
      async (req) => {
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '请以表单方式上传' });
        const { files, names } = await readMultipart(req, { maxFileBytes: 5 * 1024 * 1024, maxFiles: 1 });
        if (!files.file)
          throw new AppError('VALIDATION_FAILED', { message: '请选择图片', fields: { file: '请选择图片' } });
        const clean = await sanitizeImage(files.file, 'file');
        const fileId = await ctx.files.save(ctx.db, { data: clean.data, mime: clean.mime, purpose: 'plan-cover' });
        return { id: fileId, mime: clean.mime, size: clean.data.length, name: names.file ?? null };
      },
    );
    app.get(
      '/api/admin/orders',
      {
        onRequest: guard,
        schema: {
          tags: ['订单管理'],
          summary: '订单管理：全部订单',
          querystring: ZAdminOrderQuery,
          response: { 200: ZAdminOrderList },
        },
      },
      async (req) => ctx.purchase.ordersAdmin.list(req.query),
    );
    app.get(
      '/api/admin/orders/export',
      {
        onRequest: guard,
        schema: { tags: ['订单管理'], summary: '导出筛选结果（Excel，记入审计日志）', querystring: ZAdminOrderQuery },
      },
      async (req, reply) =>
        sendXlsx(reply, '订单.xlsx', await ctx.purchase.ordersAdmin.export(staff(req), req.query, meta(req))),
    );
    app.get(
      '/api/admin/orders/:id',
      {
        onRequest: guard,
        schema: {
          tags: ['订单管理'],
          summary: '订单详情：支付记录、通知、退款、发票',
          params: z.object({ id: z.uuid('编号无效') }),
          response: { 200: ZAdminOrderDetail },
        },
      },
      async (req) => ctx.purchase.ordersAdmin.detail(req.params.id),
    );
    app.post(
      '/api/admin/orders/:id/refund',
      {
        onRequest: guard,
        schema: {
          tags: ['订单管理'],
          summary: '退款：已支付订单原路退回，取消学习资格，红冲已开发票（记入审计日志）',
          params: z.object({ id: z.uuid('编号无效') }),
          body: ZOrderRefundRequest,
          response: { 200: ZOrderRefundResult },
        },
      },
      async (req) => ctx.purchase.refundsAdmin.refund(staff(req), req.params.id, req.body, meta(req)),
    );
    app.post(
      '/api/admin/orders/:id/payments/:outTradeNo/refund',
      {
        onRequest: guard,
        schema: {
          tags: ['订单管理'],
          summary: '待处理支付（金额不符）退款：原路退回实收金额（记入审计日志）',
          params: z.object({
            id: z.uuid('编号无效'),
            outTradeNo: z.string().regex(/^[A-Za-z0-9]{6,40}$/, '支付流水号无效'),
          }),
          body: ZOrderRefundRequest,
          response: { 200: ZPaymentExceptionRefundResult },
        },
      },
      async (req) =>
        ctx.purchase.refundsAdmin.refundException(
          staff(req),
          req.params.id,
          req.params.outTradeNo,
          req.body,
          meta(req),
        ),
    );
    app.get(
      '/api/training-plans/covers/:id',
      { onRequest: guard, schema: { tags, summary: '封面图片', params: z.object({ id: z.uuid('编号无效') }) } },
      async (req, reply) => {
        const meta = await ctx.files.meta(req.params.id);
        if (meta?.purpose !== 'plan-cover') throw new AppError('NOT_FOUND', { message: '图片不存在' });
        const file = await ctx.files.read(meta.id);
        reply.type(file.mime).header('cache-control', 'private, max-age=300');
        return file.data;
      },
    );
  };
}
