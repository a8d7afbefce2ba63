import {
  ZAuditLogList,
  ZAuditLogQuery,
  ZManualRecoveryDecision,
  ZManualRecoveryList,
  ZOk,
  ZOrgDistrictRequest,
  ZOrgNode,
  ZOrgNodeList,
  ZPageQuery,
  ZStaffCreateRequest,
  ZStaffList,
  ZStaffLoginRequest,
  ZStaffMeResponse,
  ZStaffUpdateRequest,
  ZUnitType,
  ZUnitTypeList,
  ZUnitTypeRequest,
} from '@cpe/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { clearSessionCookie, meta, requireSession, setSessionCookie } from '../../http/auth.js';
import { AppError } from '../../lib/errors.js';
import {
  applicationBatchRoutes,
  applicationFilingRoutes,
  applicationReviewRoutes,
} from '../applications/applications.routes.js';
import { consoleReviewer, districtFiler, projectReviewer } from '../applications/principals.js';
import { certificatesStaffRoutes } from '../certificates/certificates.routes.js';
import { coursesStaffRoutes } from '../courses/courses.routes.js';
import { creditAdminRoutes } from '../credits/credit-admin.routes.js';
import { creditRecognitionRoutes, creditStandardsRoutes } from '../credits/credit-claims.routes.js';
import { creditImportStaffRoutes } from '../credits/credit-import.routes.js';
import { helpStaffRoutes } from '../help/help.routes.js';
import { learnersStaffRoutes } from '../learners/learners.routes.js';
import { makeupStaffRoutes } from '../makeup/makeup.routes.js';
import { noticesStaffRoutes } from '../notices/notices.routes.js';
import { plansStaffRoutes } from '../purchase/plans.routes.js';
import { realnameReviewStaffRoutes } from '../realname-review/realname-review.routes.js';
import { rosterStaffRoutes } from '../roster/roster.routes.js';
import { unitReviewRoutes } from '../units/unit-review.routes.js';
import { DESK_ROLES, type StaffRole } from './staff.service.js';

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
        clearSessionCookie(ctx, reply, 'staff');
        return { ok: true as const };
      },
    );
    app.get(
      '/api/me',
      { onRequest: auth, schema: { tags: ['内网'], summary: '当前工作人员', response: { 200: ZStaffMeResponse } } },
      async (req) => ctx.staff.toMe(await ctx.staff.load(req.principalId as string)),
    );

    // ---- 组织机构, 工作人员与角色, 审计日志 (system administrators) ----
    app.get(
      '/api/org/nodes',
      {
        onRequest: auth,
        schema: {
          tags: ['内网'],
          summary: '组织机构（市人社局、区县人社局、主管部门）',
          response: { 200: ZOrgNodeList },
        },
      },
      async () => ({
        items: (await ctx.org.all()).map((n) => ({
          id: n.id,
          kind: n.kind,
          name: n.name,
          areaCode: n.areaCode,
          active: n.active,
        })),
      }),
    );
    const orgNodeOut = (n: { id: string; kind: string; name: string; areaCode: string | null; active: boolean }) => ({
      id: n.id,
      kind: n.kind,
      name: n.name,
      areaCode: n.areaCode,
      active: n.active,
    });
    app.post(
      '/api/org/nodes',
      {
        onRequest: requireRole('sysadmin'),
        schema: { tags: ['内网'], summary: '新增区县人社局', body: ZOrgDistrictRequest, response: { 200: ZOrgNode } },
      },
      async (req) => orgNodeOut(await ctx.org.saveDistrict(req.principalId as string, req.body, meta(req))),
    );
    app.put(
      '/api/org/nodes/:id',
      {
        onRequest: requireRole('sysadmin'),
        schema: {
          tags: ['内网'],
          summary: '修改组织机构（名称、行政区划代码、是否启用）',
          params: z.object({ id: z.uuid('编号无效') }),
          body: ZOrgDistrictRequest,
          response: { 200: ZOrgNode },
        },
      },
      async (req) =>
        orgNodeOut(
          await ctx.org.saveDistrict(req.principalId as string, { ...req.body, id: req.params.id }, meta(req)),
        ),
    );
    app.get(
      '/api/unit-types',
      {
        onRequest: auth,
        schema: { tags: ['内网'], summary: '单位类型（含停用的）', response: { 200: ZUnitTypeList } },
      },
      async () => ({ items: await ctx.org.unitTypes(false) }),
    );
    app.post(
      '/api/unit-types',
      {
        onRequest: requireRole('sysadmin'),
        schema: { tags: ['内网'], summary: '新增单位类型', body: ZUnitTypeRequest, response: { 200: ZUnitType } },
      },
      async (req) => ctx.org.saveUnitType(req.principalId as string, req.body, meta(req)),
    );
    app.put(
      '/api/unit-types/:id',
      {
        onRequest: requireRole('sysadmin'),
        schema: {
          tags: ['内网'],
          summary: '修改单位类型（名称、排序、是否启用）',
          params: z.object({ id: z.coerce.number().int().min(1, '编号无效') }),
          body: ZUnitTypeRequest,
          response: { 200: ZUnitType },
        },
      },
      async (req) => ctx.org.saveUnitType(req.principalId as string, { ...req.body, id: req.params.id }, meta(req)),
    );
    app.get(
      '/api/staff-accounts',
      {
        onRequest: requireRole('sysadmin'),
        schema: {
          tags: ['内网'],
          summary: '工作人员列表',
          querystring: ZPageQuery.extend({ keyword: z.string().trim().max(30).optional() }),
          response: { 200: ZStaffList },
        },
      },
      async (req) => ctx.staff.list(req.query),
    );
    app.post(
      '/api/staff-accounts',
      {
        onRequest: requireRole('sysadmin'),
        schema: {
          tags: ['内网'],
          summary: '新增工作人员',
          body: ZStaffCreateRequest,
          response: { 200: ZStaffMeResponse },
        },
      },
      async (req) => ctx.staff.create(req.principalId as string, req.body, meta(req)),
    );
    app.put(
      '/api/staff-accounts/:id',
      {
        onRequest: requireRole('sysadmin'),
        schema: {
          tags: ['内网'],
          summary: '修改工作人员（角色、所属单位、状态）',
          params: z.object({ id: z.uuid('编号无效') }),
          body: ZStaffUpdateRequest,
          response: { 200: ZStaffMeResponse },
        },
      },
      async (req) => ctx.staff.update(req.principalId as string, req.params.id, req.body, meta(req)),
    );
    app.get(
      '/api/audit-logs',
      {
        onRequest: requireRole('sysadmin'),
        schema: { tags: ['内网'], summary: '审计日志', querystring: ZAuditLogQuery, response: { 200: ZAuditLogList } },
      },
      async (req) => ctx.staff.auditLog(req.query),
    );

    await app.register(unitReviewRoutes(ctx, auth, (staffId) => ctx.staff.reviewerScope(staffId)));
    await app.register(applicationFilingRoutes(ctx, auth, (staffId) => districtFiler(ctx, staffId)));
    await app.register(applicationBatchRoutes(ctx, auth, (staffId) => projectReviewer(ctx, staffId)));
    await app.register(applicationReviewRoutes(ctx, auth, (staffId) => consoleReviewer(ctx, staffId)));
    await app.register(plansStaffRoutes(ctx, requireRole(...DESK_ROLES.training)));
    await app.register(coursesStaffRoutes(ctx, requireRole(...DESK_ROLES.training)));
    await app.register(rosterStaffRoutes(ctx, requireRole(...DESK_ROLES.training)));
    await app.register(makeupStaffRoutes(ctx, requireRole(...DESK_ROLES.training)));
    await app.register(learnersStaffRoutes(ctx, requireRole(...DESK_ROLES.training)));
    await app.register(certificatesStaffRoutes(ctx, requireRole(...DESK_ROLES.training)));
    await app.register(helpStaffRoutes(ctx, requireRole(...DESK_ROLES.training)));
    // 学时认定: the bureaus' reviewers (a 区县人社局 for the units of its district); 学时折算标准: the training centre.
    await app.register(
      creditRecognitionRoutes(ctx.creditClaims, auth, (staffId) => ctx.staff.reviewerScope(staffId), '/api/admin'),
    );
    await app.register(
      creditStandardsRoutes(ctx.creditStandards, requireRole(...DESK_ROLES.training), async (staffId) => {
        const s = await ctx.staff.load(staffId);
        return { id: s.id, name: s.displayName };
      }),
    );
    // 学时查询与更正, 学时统计: the training centre, administrators and 市人社局 (all), a 区县人社局 (its district).
    await app.register(creditAdminRoutes(ctx.creditAdmin, auth));
    // 学时批量导入: the training centre (entries 已认定).
    await app.register(creditImportStaffRoutes(ctx.creditImports, requireRole(...DESK_ROLES.training)));
    // 通知公告: the training centre, the bureaus' reviewers (a 区县人社局 for its own district) and the administrator.
    await app.register(noticesStaffRoutes(ctx, requireRole('sysadmin', 'training-operator', 'reviewer')));
    // 人工实名审核: the same people as 人工找回 (both compare a person with a photo of their document).
    await app.register(realnameReviewStaffRoutes(ctx.realnameReview, requireRole(...DESK_ROLES.identityChecks)));

    app.get(
      '/api/manual-recoveries',
      {
        onRequest: requireRole(...DESK_ROLES.identityChecks),
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
        onRequest: requireRole(...DESK_ROLES.identityChecks),
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
        onRequest: requireRole(...DESK_ROLES.identityChecks),
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
