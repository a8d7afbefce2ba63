import {
  areaLabel,
  type IdType,
  UNIT_CENTER_MENU,
  ZChangeAdminRequest,
  ZMyUnitRegistration,
  ZReviewerNodeList,
  ZUnitApplication,
  ZUnitCenter,
  ZUnitCenterPending,
  ZUnitData,
  ZUnitDraft,
  ZUnitLookupQuery,
  ZUnitLookupResponse,
  ZUnitTypeList,
  ZUploadedFile,
} from '@cpe/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { meta, requireSession } from '../../http/auth.js';
import { readMultipart } from '../../http/multipart.js';
import { AppError } from '../../lib/errors.js';
import { applicationFilingRoutes, applicationReviewRoutes } from '../applications/applications.routes.js';
import { departmentReviewer, unitFiler } from '../applications/principals.js';
import { creditRecognitionRoutes } from '../credits/credit-claims.routes.js';
import { checkUpload, type UploadPurpose } from '../files/uploads.js';
import { unitDataOf } from './unit-registration.service.js';
import { unitReviewRoutes } from './unit-review.routes.js';
import type { ReviewerScope } from './unit-review.service.js';

/** 继续教育 → 注册管理员, 单位中心, 单位信息修改, and 单位注册审核 for 主管部门 — public listener. */
export function unitsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireSession(ctx, 'public');
    const tags = ['单位'];

    app.get(
      '/api/org/reviewers',
      { schema: { tags, summary: '申报地区(部门)：区县人社局与市级主管部门', response: { 200: ZReviewerNodeList } } },
      async () => ({
        items: (await ctx.org.reviewers()).map((n) => ({
          id: n.id,
          kind: n.kind as 'district' | 'department',
          name: n.name,
        })),
      }),
    );

    app.get(
      '/api/unit-types',
      { schema: { tags, summary: '单位类型（启用的）', response: { 200: ZUnitTypeList } } },
      async () => ({ items: await ctx.org.unitTypes(true) }),
    );

    app.post(
      '/api/files',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '上传材料（multipart：purpose = licence | authorization，file）',
          consumes: ['multipart/form-data'],
          response: { 200: ZUploadedFile },
        },
      },
      async (req) => {
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '请以表单方式上传' });
        const { fields, files, names } = await readMultipart(req, { maxFileBytes: 5 * 1024 * 1024, maxFiles: 1 });
        const purpose = fields.purpose as UploadPurpose;
        if (purpose !== 'licence' && purpose !== 'authorization') {
          throw new AppError('VALIDATION_FAILED', { message: '上传用途无效', fields: { purpose: '上传用途无效' } });
        }
        const data = files.file;
        if (!data) throw new AppError('VALIDATION_FAILED', { message: '请选择文件', fields: { file: '请选择文件' } });
        const clean = await checkUpload(purpose, data);
        const id = await ctx.files.save(ctx.db, {
          data: clean.data,
          mime: clean.mime,
          purpose,
          ownerAccountId: req.principalId,
          originalName: names.file,
        });
        return { id, mime: clean.mime, size: clean.data.length, name: names.file ?? null };
      },
    );
    app.get(
      '/api/files/:id',
      {
        onRequest: auth,
        schema: { tags, summary: '查看本人上传的文件', params: z.object({ id: z.uuid('文件编号无效') }) },
      },
      async (req, reply) => {
        const f = await ctx.files.meta(req.params.id);
        // The uploader, and the current administrator of the unit whose documents these are (after 变更管理员).
        const unit =
          f && f.ownerAccountId !== req.principalId
            ? await ctx.units.unitOfAdmin(req.principalId as string)
            : undefined;
        const ofMyUnit = unit && (unit.licenceFileId === f?.id || unit.authorizationFileId === f?.id);
        if (!f || (f.ownerAccountId !== req.principalId && !ofMyUnit))
          throw new AppError('NOT_FOUND', { message: '文件不存在' });
        const file = await ctx.files.read(f.id);
        reply.type(file.mime).header('cache-control', 'private, no-store');
        return file.data;
      },
    );

    app.get(
      '/api/units/lookup',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '若该单位已注册：按名称或代码查询',
          querystring: ZUnitLookupQuery,
          response: { 200: ZUnitLookupResponse },
        },
      },
      async (req) => ctx.unitRegistration.lookup(req.query),
    );

    app.get(
      '/api/unit-registration',
      {
        onRequest: auth,
        schema: { tags, summary: '我的单位注册申请（含审核历史）', response: { 200: ZMyUnitRegistration } },
      },
      async (req) => ctx.unitRegistration.mine(req.principalId as string),
    );
    app.put(
      '/api/unit-registration/draft',
      { onRequest: auth, schema: { tags, summary: '保存草稿', body: ZUnitDraft, response: { 200: ZUnitApplication } } },
      async (req) => ctx.unitRegistration.saveDraft(req.principalId as string, req.body),
    );
    app.post(
      '/api/unit-registration',
      {
        onRequest: auth,
        schema: { tags, summary: '提交注册（待主管部门审核）', body: ZUnitData, response: { 200: ZUnitApplication } },
      },
      async (req) => ctx.unitRegistration.submit(req.principalId as string, req.body, meta(req)),
    );
    app.get(
      '/api/unit-registration/authorization-letter',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '下载《单位授权书模板》（.docx，按已填信息生成）',
          querystring: z.object({
            unitName: z.string().max(100).optional(),
            uscc: z.string().max(18).optional(),
            category: z.enum(['unit', 'department']).optional(),
            reviewerNodeId: z.uuid().optional(),
          }),
        },
      },
      async (req, reply) => {
        const person = await ctx.profile.load(req.principalId as string);
        const node = req.query.reviewerNodeId ? await ctx.org.byId(req.query.reviewerNodeId) : undefined;
        // The letter's module (docx, ~80 ms to load) is loaded with the first letter asked for, not at start
        // (issue 22).
        const { AUTHORIZATION_LETTER_FILENAME, renderAuthorizationLetter } = await import('./authorization-letter.js');
        const doc = await renderAuthorizationLetter({
          platformName: ctx.config.branding.name,
          unitName: req.query.unitName ?? '',
          uscc: req.query.uscc?.toUpperCase() ?? '',
          category: req.query.category ?? 'unit',
          adminName: person.realName,
          adminIdType: person.idType as IdType,
          adminIdNumber: ctx.pii.decrypt(person.idNumberEnc),
          adminPhone: person.phoneEnc ? ctx.pii.decrypt(person.phoneEnc) : '',
          reviewerName: node?.name ?? '',
          date: ctx.clock.now(),
        });
        reply
          // The person's full number and phone are in it: no shared cache keeps a copy.
          .header('cache-control', 'no-store')
          .header('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
          .header(
            'content-disposition',
            `attachment; filename*=UTF-8''${encodeURIComponent(AUTHORIZATION_LETTER_FILENAME)}`,
          );
        return doc;
      },
    );
    app.post(
      '/api/unit-admin-changes',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '查询或变更管理员：申请成为已注册单位的管理员',
          body: ZChangeAdminRequest,
          response: { 200: ZUnitApplication },
        },
      },
      async (req) => ctx.unitRegistration.requestAdminChange(req.principalId as string, req.body, meta(req)),
    );

    app.get(
      '/api/unit-center',
      {
        onRequest: auth,
        schema: { tags, summary: '单位中心（审核通过的单位管理员）', response: { 200: ZUnitCenter } },
      },
      async (req) => {
        const unit = await ctx.units.unitOfAdmin(req.principalId as string);
        if (!unit) throw new AppError('FORBIDDEN', { message: '您还不是审核通过的单位管理员，请先注册管理员' });
        const node = await ctx.org.byId(unit.reviewerNodeId);
        const department = unit.category === 'department';
        return {
          unit: {
            id: unit.id,
            category: unit.category as 'unit' | 'department',
            name: unit.name,
            uscc: unit.uscc,
            unitType: unit.unitType,
            locatedAreaLabel: areaLabel(unit.locatedArea),
            address: unit.address,
            reviewerName: node?.name ?? '',
            version: unit.version,
            approvedAt: unit.approvedAt.toISOString(),
          },
          menu: UNIT_CENTER_MENU.filter(
            (m) =>
              (department || !m.departmentOnly) &&
              (m.key !== 'credit-recognition' || ctx.config.credits.recognitionBy === 'department'),
          ).map((m) => ({
            key: m.key,
            label: m.label,
          })),
          data: unitDataOf(unit),
          pendingChange: Boolean(await ctx.units.openChange(unit.id)),
        };
      },
    );
    app.post(
      '/api/unit-center/info-changes',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '单位信息修改（提交后重新审核，审核通过前原信息有效）',
          body: ZUnitData,
          response: { 200: ZUnitApplication },
        },
      },
      async (req) => ctx.unitRegistration.requestInfoChange(req.principalId as string, req.body, meta(req)),
    );

    await app.register(applicationFilingRoutes(ctx, auth, (accountId) => unitFiler(ctx, accountId)));
    // 继续教育基地审核 / 工程师基地审核 in a 主管部门's 单位中心.
    await app.register(applicationReviewRoutes(ctx, auth, (accountId) => departmentReviewer(ctx, accountId)));
    await app.register(
      unitReviewRoutes(ctx, auth, (accountId) =>
        departmentScope(ctx, accountId, '仅审核通过的主管部门管理员可审核单位注册'),
      ),
    );
    app.get(
      '/api/unit-center/pending',
      {
        onRequest: auth,
        schema: {
          tags: ['单位中心'],
          summary: '单位中心待处理数量（待确认的单位人员、待确认的学时登记）',
          response: { 200: ZUnitCenterPending },
        },
      },
      async (req) => {
        const adminId = req.principalId as string;
        const [members, creditClaims] = await Promise.all([
          ctx.unitMembers.pendingCount(adminId),
          ctx.creditClaims.unitPendingCount(adminId),
        ]);
        return { members, creditClaims };
      },
    );
    // 学时认定 by a 主管部门 (CREDIT_RECOGNITION_BY=department): its node's queue, empty otherwise.
    await app.register(
      creditRecognitionRoutes(
        ctx.creditClaims,
        auth,
        (accountId) => departmentScope(ctx, accountId, '仅审核通过的主管部门管理员可认定学时'),
        '/api/unit-center',
      ),
    );
  };
}

/** A 主管部门's administrator reviewing on the portal: the node of their department; anyone else is refused. */
async function departmentScope(ctx: AppContext, accountId: string, refusal: string): Promise<ReviewerScope> {
  const unit = await ctx.units.unitOfAdmin(accountId);
  const node = unit?.category === 'department' ? await ctx.units.nodeOfUnit(unit.id) : undefined;
  if (!unit || !node) throw new AppError('FORBIDDEN', { message: refusal });
  const person = await ctx.profile.load(accountId);
  return {
    nodeId: node.id,
    actorType: 'account',
    actorId: accountId,
    actorName: person.realName,
    reviewerName: unit.name,
  };
}
