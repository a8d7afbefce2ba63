import {
  ZMyWorkUnit,
  ZUnitMemberList,
  ZUnitMemberQuery,
  ZUnitMemberReason,
  ZWorkUnitRequest,
  ZWorkUnitSearchQuery,
  ZWorkUnitSearchResult,
} from '@cpe/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { meta } from '../../http/auth.js';
import type { UnitMembersService } from './unit-members.service.js';

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
const idParams = z.object({ id: z.uuid('人员记录编号格式不正确') });
const ZOk = z.object({ ok: z.literal(true) });

/** 个人中心 → 工作单位 and 单位中心 → 单位人员 — public listener. */
export function unitMembersRoutes(members: UnitMembersService, auth: Hook): FastifyPluginAsyncZod {
  return async (app) => {
    const me = (req: { principalId?: string }) => req.principalId as string;
    const tags = ['工作单位'];
    app.get(
      '/api/me/work-unit',
      {
        onRequest: auth,
        schema: { tags, summary: '我的工作单位：当前单位、待确认的申请、历史', response: { 200: ZMyWorkUnit } },
      },
      async (req) => members.mine(me(req)),
    );
    app.get(
      '/api/work-units',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '查找已审核通过的单位（名称或统一社会信用代码）',
          querystring: ZWorkUnitSearchQuery,
          response: { 200: ZWorkUnitSearchResult },
        },
      },
      async (req) => members.searchUnits(req.query.keyword),
    );
    app.post(
      '/api/me/work-unit/requests',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '申请加入单位（待单位管理员确认）',
          body: ZWorkUnitRequest,
          response: { 200: ZMyWorkUnit },
        },
      },
      async (req) => members.request(me(req), req.body.unitId, meta(req)),
    );
    app.post(
      '/api/me/work-unit/cancel',
      { onRequest: auth, schema: { tags, summary: '撤回待确认的申请', response: { 200: ZMyWorkUnit } } },
      async (req) => members.withdraw(me(req), 'cancel', meta(req)),
    );
    app.post(
      '/api/me/work-unit/leave',
      { onRequest: auth, schema: { tags, summary: '退出当前工作单位', response: { 200: ZMyWorkUnit } } },
      async (req) => members.withdraw(me(req), 'leave', meta(req)),
    );

    const unitTags = ['单位中心'];
    app.get(
      '/api/unit-center/members',
      {
        onRequest: auth,
        schema: {
          tags: unitTags,
          summary: '单位人员：待确认、已确认、已离开',
          querystring: ZUnitMemberQuery,
          response: { 200: ZUnitMemberList },
        },
      },
      async (req) => members.list(me(req), req.query),
    );
    app.post(
      '/api/unit-center/members/:id/confirm',
      {
        onRequest: auth,
        schema: { tags: unitTags, summary: '确认加入申请', params: idParams, response: { 200: ZOk } },
      },
      async (req) => members.decide(me(req), req.params.id, 'confirm', undefined, meta(req)),
    );
    // 拒绝 and 移出 take a reason the person then reads.
    for (const [action, summary] of [
      ['decline', '拒绝加入申请（填写原因）'],
      ['remove', '移出本单位（填写原因）'],
    ] as const)
      app.post(
        `/api/unit-center/members/:id/${action}`,
        {
          onRequest: auth,
          schema: { tags: unitTags, summary, params: idParams, body: ZUnitMemberReason, response: { 200: ZOk } },
        },
        async (req) => members.decide(me(req), req.params.id, action, req.body.reason, meta(req)),
      );
  };
}
