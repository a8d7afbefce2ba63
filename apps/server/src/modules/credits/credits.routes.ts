import { ZUnitCreditStats, ZUnitCreditStatsQuery } from '@cpe/shared';
import { ZCreditList, ZCreditRemind, ZCreditRemindResult } from '@cpe/shared/schemas/credits';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { meta } from '../../http/auth.js';
import { sendXlsx } from '../../http/download.js';
import type { CreditsService } from './credits.service.js';

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** 学时档案 of the signed-in person — public listener. */
export function creditsRoutes(credits: CreditsService, auth: Hook): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/my/credits',
      {
        onRequest: auth,
        schema: {
          tags: ['学时档案'],
          summary: '我的学时档案（按年度：总学时、公需科目、专业科目、是否达标）',
          response: { 200: ZCreditList },
        },
      },
      async (req) => credits.recordOf(req.principalId as string),
    );
    app.get(
      '/api/unit-center/credit-stats',
      {
        onRequest: auth,
        schema: {
          tags: ['单位中心'],
          summary: '学时统计：本单位人员某年度的学时、公需/专业、是否达标',
          querystring: ZUnitCreditStatsQuery,
          response: { 200: ZUnitCreditStats },
        },
      },
      async (req) => credits.unitStats(req.principalId as string, req.query),
    );
    app.post(
      '/api/unit-center/credit-stats/remind',
      {
        onRequest: auth,
        schema: {
          tags: ['单位中心'],
          summary: '提醒未达标人员（站内消息和短信；每个单位每年度每天一次）',
          body: ZCreditRemind,
          response: { 200: ZCreditRemindResult },
        },
      },
      async (req) => credits.remind(req.principalId as string, req.body.year, meta(req)),
    );
    app.get(
      '/api/unit-center/credit-stats/export',
      {
        onRequest: auth,
        schema: {
          tags: ['单位中心'],
          summary: '学时统计导出Excel（当前筛选的全部人员）',
          querystring: ZUnitCreditStatsQuery,
        },
      },
      async (req, reply) => {
        const f = await credits.unitStatsXlsx(req.principalId as string, req.query);
        return sendXlsx(reply, f.filename, f.data);
      },
    );
  };
}
