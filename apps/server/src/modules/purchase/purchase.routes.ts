import {
  ZGroupCheckRequest,
  ZGroupCheckResult,
  ZGroupOrderRequest,
  ZIndividualOrderRequest,
  ZInvoiceList,
  ZInvoiceTitle,
  ZInvoiceVerification,
  ZOk,
  ZOrder,
  ZOrderList,
  ZOrderListQuery,
  ZOrderMembers,
  ZPayRequest,
  ZPayStart,
  ZPlan,
  ZPlanForMe,
  ZPlanList,
} from '@cpe/shared';
import type { FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PAYMENT_CHANNELS, type PaymentChannel } from '../../adapters/payment/payment.js';
import type { AppContext } from '../../context.js';
import { meta, requireSession } from '../../http/auth.js';
import { sendXlsx } from '../../http/download.js';
import { publicOrigin } from '../../http/request-origin.js';
import { AppError } from '../../lib/errors.js';
import { WECHAT_COOKIES } from '../wechat/wechat-identity.service.js';

const id = z.object({ id: z.uuid('编号无效') });

/** 在线学习中心 → 公需科目, 订单, 支付, 我的发票 — public listener. */
export function purchaseRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireSession(ctx, 'public');
    const me = (req: { principalId?: string }) => req.principalId as string;
    const { plans, orders, invoices } = ctx.purchase;
    const tags = ['公需科目'];

    app.get(
      '/api/plans',
      { schema: { tags, summary: '公需科目学习计划（已发布）', response: { 200: ZPlanList } } },
      async () => plans.catalogue(),
    );
    app.get(
      '/api/plans/:id',
      { schema: { tags, summary: '学习计划详情', params: id, response: { 200: ZPlan } } },
      async (req) => plans.view(await plans.get(req.params.id, { publishedOnly: true })),
    );
    app.get(
      '/api/plans/:id/mine',
      {
        onRequest: auth,
        schema: { tags, summary: '学习计划详情与我的购买情况', params: id, response: { 200: ZPlanForMe } },
      },
      async (req) => {
        const plan = await plans.view(await plans.get(req.params.id, { publishedOnly: true }));
        return { ...plan, mine: await orders.standing(me(req), plan.id) };
      },
    );
    app.get(
      '/api/plans/:id/cover',
      { schema: { tags, summary: '学习计划封面图片', params: id } },
      async (req, reply) => {
        const plan = await plans.get(req.params.id, { publishedOnly: true });
        if (!plan.coverFileId) throw new AppError('NOT_FOUND', { message: '没有封面图片' });
        const file = await ctx.files.read(plan.coverFileId);
        reply.type(file.mime).header('cache-control', 'public, max-age=300');
        return file.data;
      },
    );

    app.post(
      '/api/orders',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '个人购买：提交订单（价格以服务器为准）',
          body: ZIndividualOrderRequest,
          response: { 200: ZOrder },
        },
      },
      async (req) => orders.orderIndividual(me(req), req.body, meta(req)),
    );
    app.post(
      '/api/group-checks',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '团体购买：校验证件号码（每行一个；身份证、港澳台居民居住证、外国人永久居留身份证）',
          body: ZGroupCheckRequest,
          response: { 200: ZGroupCheckResult },
        },
      },
      async (req) => orders.groupCheck(me(req), req.body),
    );
    app.get(
      '/api/group-checks/:id/errors.xlsx',
      { onRequest: auth, schema: { tags, summary: '下载错误文件', params: id } },
      async (req, reply) => sendXlsx(reply, '错误文件.xlsx', await orders.groupErrorsXlsx(me(req), req.params.id)),
    );
    app.post(
      '/api/group-orders',
      {
        onRequest: auth,
        schema: { tags, summary: '团体购买：提交订单', body: ZGroupOrderRequest, response: { 200: ZOrder } },
      },
      async (req) => orders.orderGroup(me(req), req.body, meta(req)),
    );
    app.get(
      '/api/orders',
      {
        onRequest: auth,
        schema: { tags, summary: '我的订单 / 团购订单', querystring: ZOrderListQuery, response: { 200: ZOrderList } },
      },
      async (req) => orders.list(me(req), req.query),
    );
    app.get(
      '/api/orders/:id',
      { onRequest: auth, schema: { tags, summary: '订单详情', params: id, response: { 200: ZOrder } } },
      async (req) => orders.get(me(req), req.params.id),
    );
    app.get(
      '/api/orders/:id/members',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '团购订单的学员',
          params: id,
          querystring: z.object({
            page: z.coerce.number().int().min(1).default(1),
            pageSize: z.coerce.number().int().min(1).max(100).default(20),
          }),
          response: { 200: ZOrderMembers },
        },
      },
      async (req) => orders.members(me(req), req.params.id, req.query.page, req.query.pageSize),
    );
    app.post(
      '/api/orders/:id/cancel',
      { onRequest: auth, schema: { tags, summary: '取消订单', params: id, response: { 200: ZOrder } } },
      async (req) => orders.cancel(me(req), req.params.id, meta(req)),
    );
    app.post(
      '/api/orders/:id/payments',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '去支付：支付宝、微信或银联',
          params: id,
          body: ZPayRequest,
          response: { 200: ZPayStart },
        },
      },
      async (req) => {
        const { channel, device } = req.body;
        const returnOrigin = publicOrigin(req, ctx.config.publicUrls);
        // Inside WeChat 微信支付 is JSAPI, which needs the payer's openid from 微信网页授权 first.
        if (device === 'wechat' && channel === 'wechat') {
          const openId = ctx.wechat.openIdFor(me(req), req.cookies[WECHAT_COOKIES.openId]);
          if (!openId) throw new AppError(ctx.wechat.available() ? 'WECHAT_OAUTH_REQUIRED' : 'PAYMENT_UNAVAILABLE');
          return orders.pay(me(req), req.params.id, { channel, device: 'mobile', openId, returnOrigin }, meta(req));
        }
        return orders.pay(
          me(req),
          req.params.id,
          { channel, device: device === 'wechat' ? 'mobile' : device, returnOrigin },
          meta(req),
        );
      },
    );
    app.post(
      '/api/orders/:id/sync',
      {
        onRequest: auth,
        schema: { tags, summary: '支付结果：向支付渠道查询（返回页使用）', params: id, response: { 200: ZOrder } },
      },
      async (req) => orders.sync(me(req), req.params.id),
    );
    app.post(
      '/api/orders/:id/invoice',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '申请开票（以后申请的订单；不能跨年）',
          params: id,
          body: ZInvoiceTitle,
          response: { 200: ZOk },
        },
      },
      async (req) => {
        await invoices.request(me(req), req.params.id, req.body, meta(req));
        return { ok: true as const };
      },
    );
    app.get(
      '/api/invoices',
      { onRequest: auth, schema: { tags, summary: '我的发票', response: { 200: ZInvoiceList } } },
      async (req) => invoices.mine(me(req)),
    );
    app.get(
      '/api/invoices/:id/pdf',
      { onRequest: auth, schema: { tags, summary: '查看 / 下载电子发票（PDF）', params: id } },
      async (req, reply) => {
        const f = await invoices.pdf(me(req), req.params.id);
        reply
          .type('application/pdf')
          .header(
            'content-disposition',
            `inline; filename*=UTF-8''${encodeURIComponent(`电子发票-${f.invoiceNo}.pdf`)}`,
          )
          .header('cache-control', 'private, no-store');
        return f.data;
      },
    );
    app.put(
      '/api/invoices/:id',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '修改发票（15日内1次，跨年不可）',
          params: id,
          body: ZInvoiceTitle,
          response: { 200: ZOk },
        },
      },
      async (req) => invoices.modify(me(req), req.params.id, req.body, meta(req)),
    );

    app.get(
      '/api/invoice-verifications',
      {
        schema: {
          tags,
          summary: '电子发票查验（发票上的二维码指向这里）',
          querystring: z.object({
            no: z.string().regex(/^\d{8,20}$/, '发票号码无效'),
            code: z.string().regex(/^[A-Za-z0-9]{4,40}$/, '校验码无效'),
          }),
          response: { 200: ZInvoiceVerification },
        },
      },
      async (req) => invoices.verify(req.query.no, req.query.code),
    );

    await app.register(paymentNotifyRoutes(ctx));
  };
}

/**
 * The providers' asynchronous notifications. Signatures cover the raw bytes, so this plugin keeps the body
 * as received (its own content-type parsers; encapsulated, the rest of the API is unaffected).
 */
function paymentNotifyRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
    app.post<{ Params: { channel: string } }>(
      '/api/payments/notify/:channel',
      { schema: { hide: true } },
      async (req, reply) => {
        const channel = req.params.channel as PaymentChannel;
        if (!(PAYMENT_CHANNELS as readonly string[]).includes(channel)) throw new AppError('ROUTE_NOT_FOUND');
        const result = await ctx.purchase.orders.notify(
          channel,
          { headers: req.headers, rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0) },
          req.ip,
        );
        req.log.info({ channel, outcome: result.outcome }, 'payment notification');
        reply.status(result.status).type(result.contentType);
        return result.body;
      },
    );
  };
}
