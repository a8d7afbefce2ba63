import {
  ZLearnerDetail,
  ZLearnerList,
  ZLearnerQuery,
  ZLearnerResetResult,
  ZLearnerReveal,
  ZLearnerUnlockResult,
} from '@cpe/shared';
import { ZCreditList } from '@cpe/shared/schemas/credits';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { meta } from '../../http/auth.js';

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

const tags = ['学员管理'];
const params = z.object({ id: z.uuid('学员编号无效') });

/** 学员管理 on the console (培训中心运营 or 系统管理员: the guard); 查看完整信息 also needs pii-viewer. */
export function learnersStaffRoutes(ctx: AppContext, guard: Hook[]): FastifyPluginAsyncZod {
  return async (app) => {
    const { learners } = ctx;
    const staffId = (req: FastifyRequest) => req.principalId as string;

    app.get(
      '/api/admin/learners',
      {
        onRequest: guard,
        schema: {
          tags,
          summary:
            '学员查询：姓名（包含）、完整证件号码（身份证、居住证、永居证）或手机号（精确）；证件号码与手机号脱敏',
          querystring: ZLearnerQuery,
          response: { 200: ZLearnerList },
        },
      },
      async (req) => learners.list(req.query),
    );
    app.get(
      '/api/admin/learners/:id',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '学员详情：基本信息（脱敏）、订单、学习计划与学时、证书',
          params,
          response: { 200: ZLearnerDetail },
        },
      },
      async (req) => learners.detail(req.params.id),
    );
    app.get(
      '/api/admin/learners/:id/credits',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '学员的学时档案：各年度总学时、公需科目、专业科目、是否达标及明细',
          params,
          response: { 200: ZCreditList },
        },
      },
      async (req) => {
        await learners.detail(req.params.id);
        return ctx.credits.recordOf(req.params.id);
      },
    );
    app.post(
      '/api/admin/learners/:id/reveal',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '查看完整证件号码和手机号（须“查看完整身份信息”角色；限频，记入审计日志）',
          params,
          response: { 200: ZLearnerReveal },
        },
      },
      async (req) => learners.reveal(await ctx.staff.load(staffId(req)), req.params.id, meta(req)),
    );
    app.post(
      '/api/admin/learners/:id/reset-password',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '重置密码：随机临时密码短信通知本人（无手机号时仅向操作员显示一次），首次登录须修改，结束全部会话',
          params,
          response: { 200: ZLearnerResetResult },
        },
      },
      async (req) => learners.resetPassword(staffId(req), req.params.id, meta(req)),
    );
    app.post(
      '/api/admin/learners/:id/unlock',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '解除锁定（短信通知本人，记入审计日志）',
          params,
          response: { 200: ZLearnerUnlockResult },
        },
      },
      async (req) => learners.unlock(staffId(req), req.params.id, meta(req)),
    );
  };
}
