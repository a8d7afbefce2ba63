import {
  ZManualRecoveryDecision,
  ZManualRecoveryList,
  ZOk,
  ZPageQuery,
  ZStaffLoginRequest,
  ZStaffMeResponse,
} from '@cpe/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { COOKIES, meta, requireSession, setSessionCookie } from '../../http/auth.js';
import { AppError } from '../../lib/errors.js';
import type { StaffRole } from './staff.service.js';

/** Staff API: only ever registered on the staff listener. */
export function staffRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireSession(ctx, 'staff');
    const requireRole = (...roles: StaffRole[]) => [
      auth,
      async (req: { principalId?: string }) => {
        const staff = await ctx.staff.load(req.principalId as string);
        if (!roles.some((r) => staff.roles.includes(r))) throw new AppError('FORBIDDEN');
      },
    ];

    app.post(
      '/api/sessions',
      {
        schema: {
          tags: ['内网'],
          summary: '工作人员登录',
          body: ZStaffLoginRequest,
          response: { 200: ZStaffMeResponse },
        },
      },
      async (req, reply) => {
        const { session, staff } = await ctx.auth.loginStaff(req.body, meta(req));
        setSessionCookie(ctx, reply, 'staff', session.token, session.maxAgeSeconds);
        return ctx.staff.toMe(staff);
      },
    );
    app.delete(
      '/api/sessions/current',
      { onRequest: auth, schema: { tags: ['内网'], summary: '退出登录', response: { 200: ZOk } } },
      async (req, reply) => {
        await ctx.auth.logout('staff', req.sessionToken as string, req.principalId as string, meta(req));
        reply.clearCookie(COOKIES.staff.session, { path: '/' });
        return { ok: true as const };
      },
    );
    app.get(
      '/api/me',
      { onRequest: auth, schema: { tags: ['内网'], summary: '当前工作人员', response: { 200: ZStaffMeResponse } } },
      async (req) => ctx.staff.toMe(await ctx.staff.load(req.principalId as string)),
    );

    app.get(
      '/api/manual-recoveries',
      {
        onRequest: requireRole('sysadmin', 'recovery-handler'),
        schema: {
          tags: ['内网'],
          summary: '人工找回申请列表',
          querystring: ZPageQuery.extend({ status: z.enum(['pending', 'approved', 'rejected']).optional() }),
          response: { 200: ZManualRecoveryList },
        },
      },
      async (req) => ctx.recovery.list(req.query),
    );
    app.get(
      '/api/manual-recoveries/:id/photo',
      {
        onRequest: requireRole('sysadmin', 'recovery-handler'),
        schema: {
          tags: ['内网'],
          summary: '身份证照片（查看将记入审计日志）',
          params: z.object({ id: z.uuid('申请编号无效') }),
        },
      },
      async (req, reply) => {
        const file = await ctx.recovery.photo(req.params.id, req.principalId as string, meta(req));
        reply.header('cache-control', 'private, no-store').type(file.mime);
        return file.data;
      },
    );
    app.post(
      '/api/manual-recoveries/:id/decision',
      {
        onRequest: requireRole('sysadmin', 'recovery-handler'),
        schema: {
          tags: ['内网'],
          summary: '处理人工找回申请（通过 / 驳回）',
          params: z.object({ id: z.uuid('申请编号无效') }),
          body: ZManualRecoveryDecision,
          response: { 200: ZOk },
        },
      },
      async (req) => ctx.recovery.decide(req.params.id, req.body, req.principalId as string, meta(req)),
    );
  };
}
