import {
  ZCreditCorrectionInput,
  ZCreditPeopleList,
  ZCreditPeopleQuery,
  ZCreditPersonRecord,
  ZCreditStats,
  ZCreditStatsQuery,
  ZCreditUnitStats,
  ZCreditUnitStatsQuery,
} from '@cpe/shared/schemas/credit-admin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { meta } from '../../http/auth.js';
import { sendXlsx } from '../../http/download.js';
import type { CreditAdminService } from './credit-admin.service.js';

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

const tags = ['学时管理'];
const params = z.object({ accountId: z.uuid('人员编号无效') });

/**
 * 学时管理 on the console (staff listener): 学时查询与更正 and 学时统计. `auth` only signs the caller in; who sees
 * which district and who may correct is decided in the service.
 */
export function creditAdminRoutes(service: CreditAdminService, auth: Hook): FastifyPluginAsyncZod {
  return async (app) => {
    const staffId = (req: FastifyRequest) => req.principalId as string;

    app.get(
      '/api/admin/credits/people',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '学时查询：姓名（包含）、完整证件号码或手机号（精确）；证件号码脱敏，含工作单位和本年度学时',
          querystring: ZCreditPeopleQuery,
          response: { 200: ZCreditPeopleList },
        },
      },
      async (req) => service.people(staffId(req), req.query),
    );
    app.get(
      '/api/admin/credits/people/:accountId',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '某人的学时档案：各年度合计与全部记录（含状态、处理记录、更正原因）',
          params,
          response: { 200: ZCreditPersonRecord },
        },
      },
      async (req) => service.record(staffId(req), req.params.accountId),
    );
    app.post(
      '/api/admin/credits/people/:accountId/corrections',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '学时更正（系统管理员、培训中心运营、市人社局审核人员；须填写原因，记入审计日志）',
          params,
          body: ZCreditCorrectionInput,
          response: { 200: ZCreditPersonRecord },
        },
      },
      async (req) => service.correct(staffId(req), req.params.accountId, req.body, meta(req)),
    );
    app.get(
      '/api/admin/credits/stats',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '学时统计：某年度按区县或单位类型的人数、达标人数、达标率及合计',
          querystring: ZCreditStatsQuery,
          response: { 200: ZCreditStats },
        },
      },
      async (req) => service.stats(staffId(req), req.query),
    );
    app.get(
      '/api/admin/credits/stats/export',
      {
        onRequest: auth,
        schema: { tags, summary: '学时统计导出Excel（记入审计日志）', querystring: ZCreditStatsQuery },
      },
      async (req, reply) => {
        const f = await service.statsXlsx(staffId(req), req.query, meta(req));
        return sendXlsx(reply, f.filename, f.data);
      },
    );
    app.get(
      '/api/admin/credits/stats/units',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '学时统计（单位）：某区县或单位类型的单位，人数、达标人数、达标率，可按达标率排序',
          querystring: ZCreditUnitStatsQuery,
          response: { 200: ZCreditUnitStats },
        },
      },
      async (req) => service.unitStats(staffId(req), req.query),
    );
    app.get(
      '/api/admin/credits/stats/units/export',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '学时统计（单位）导出Excel（全部单位，记入审计日志）',
          querystring: ZCreditUnitStatsQuery,
        },
      },
      async (req, reply) => {
        const f = await service.unitStatsXlsx(staffId(req), req.query, meta(req));
        return sendXlsx(reply, f.filename, f.data);
      },
    );
  };
}
