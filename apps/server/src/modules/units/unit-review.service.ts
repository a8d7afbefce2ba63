import {
  areaLabel,
  maskPhone,
  type TReviewListQuery,
  type TUnitApplicationKind,
  type TUnitApplicationStatus,
  type TUnitData,
  UNIT_APPLICATION_KIND_LABELS,
  UNIT_CATEGORY_LABELS,
  unitApplicationStatusLabel,
} from '@cpe/shared';
import { AppError } from '../../lib/errors.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import { writeWorkbook } from '../../lib/xlsx-writer.js';
import type { NotifyService } from '../notify/notify.service.js';
import {
  type UnitDeps,
  type UnitRegistrationService,
  unitColumns,
  unitConflict,
  unitDataOf,
} from './unit-registration.service.js';
import type { UnitApplicationRow } from './units.repo.js';

/** Who reviews: a staff member of a bureau, or the administrator of a 主管部门 on the public portal. */
export interface ReviewerScope {
  /** null = every node (市人社局 and the system administrator). */
  nodeId: string | null;
  actorType: 'staff' | 'account';
  actorId: string;
  actorName: string;
  reviewerName: string;
}

const EXPORT_LIMIT = 50_000;

/** 单位注册审核: the list, the record, and the decision that makes a person a unit's administrator. */
export function createUnitReviewService(
  deps: UnitDeps & { registration: UnitRegistrationService; notify: NotifyService },
) {
  const { db, repo, org, files, clock, pii, audit, registration } = deps;

  const inScope = (scope: ReviewerScope, app: UnitApplicationRow) =>
    scope.nodeId === null || app.reviewerNodeId === scope.nodeId;

  async function load(scope: ReviewerScope, id: string) {
    const app = await repo.applicationById(db, id);
    if (!app || app.status === 'draft') throw new AppError('NOT_FOUND', { message: '申请不存在' });
    if (!inScope(scope, app)) throw new AppError('UNIT_REVIEW_FORBIDDEN');
    return app;
  }

  function filter(scope: ReviewerScope, q: TReviewListQuery) {
    const { phone, ...rest } = q;
    const digits = phone?.replace(/\D/g, '');
    return { ...rest, reviewerNodeId: scope.nodeId, phoneHash: digits ? pii.lookupHash(digits) : undefined };
  }

  const item = (r: UnitApplicationRow) => ({
    id: r.id,
    kind: r.kind as 'register' | 'change-info' | 'change-admin',
    applicantName: r.applicantName,
    applicantPhoneMasked: r.applicantPhoneEnc ? maskPhone(pii.decrypt(r.applicantPhoneEnc)) : null,
    category: r.category as 'unit' | 'department',
    unitName: r.unitName,
    uscc: r.uscc,
    usccManualCheck: r.usccManualCheck,
    locatedAreaLabel: areaLabel(r.locatedArea),
    regAreaLabel: areaLabel((r.data as Partial<TUnitData>).regArea),
    insuredAreaLabel: areaLabel((r.data as Partial<TUnitData>).insuredArea),
    unitType: r.unitType,
    submittedAt: r.submittedAt?.toISOString() ?? null,
    status: r.status as 'pending' | 'rejected' | 'approved',
  });

  return {
    async list(scope: ReviewerScope, q: TReviewListQuery) {
      const { rows, counts, capped, total } = await repo.list(db, filter(scope, q));
      return { items: rows.map(item), total, page: q.page, pageSize: q.pageSize, counts, countsCapped: capped };
    },

    async get(scope: ReviewerScope, id: string) {
      return registration.view(await load(scope, id));
    },

    /** A document of the application, for its reviewers only. */
    async file(scope: ReviewerScope, id: string, fileId: string) {
      const app = await load(scope, id);
      const d = app.data as Partial<TUnitData>;
      if (fileId !== d.licenceFileId && fileId !== d.authorizationFileId)
        throw new AppError('NOT_FOUND', { message: '文件不存在' });
      return files.read(fileId);
    },

    async decide(
      scope: ReviewerScope,
      id: string,
      input: { decision: 'approve' | 'reject'; reason: string },
      meta: RequestMeta,
    ) {
      await load(scope, id);
      const now = clock.now();
      try {
        return await db.transaction(async (tx) => {
          const app = await repo.applicationForUpdate(tx, id);
          if (!app || !inScope(scope, app)) throw new AppError('UNIT_REVIEW_FORBIDDEN');
          if (app.status !== 'pending')
            throw new AppError('UNIT_APPLICATION_STATE', { message: '该申请不是待审核状态' });
          const data = app.data as TUnitData;
          let unitId = app.unitId;
          if (input.decision === 'approve') {
            if (app.kind === 'register') {
              const unit = await repo.insertUnit(tx, {
                ...unitColumns(data),
                adminAccountId: app.applicantAccountId,
                approvedAt: now,
              });
              unitId = unit.id;
              await repo.insertVersion(tx, { unitId: unit.id, version: 1, data, applicationId: app.id });
              // An approved 主管部门 becomes a node of the tree that units can address their registration to.
              if (data.category === 'department') {
                const city = await org.city(tx);
                await org.insert(tx, {
                  kind: 'department',
                  name: data.unitName,
                  unitId: unit.id,
                  parentId: city?.id ?? null,
                  sort: 1000,
                });
              }
            } else if (app.kind === 'change-info' && app.unitId) {
              const before = await repo.unitById(tx, app.unitId);
              if (!before) throw new AppError('NOT_FOUND');
              const updated = await repo.updateUnit(tx, app.unitId, {
                ...unitColumns(data),
                version: before.version + 1,
              });
              await repo.insertVersion(tx, {
                unitId: updated.id,
                version: updated.version,
                data: unitDataOf(updated),
                applicationId: app.id,
              });
            } else if (app.kind === 'change-admin' && app.unitId) {
              const before = await repo.unitById(tx, app.unitId);
              if (!before) throw new AppError('NOT_FOUND');
              await repo.updateUnit(tx, app.unitId, {
                adminAccountId: app.applicantAccountId,
                authorizationFileId: data.authorizationFileId,
              });
              await audit.record(tx, {
                actorType: scope.actorType,
                actorId: scope.actorId,
                action: 'unit.admin.change',
                targetType: 'unit',
                targetId: app.unitId,
                ip: meta.ip,
                userAgent: meta.userAgent,
                summary: { from: before.adminAccountId, to: app.applicantAccountId },
              });
            }
          }
          const status = input.decision === 'approve' ? 'approved' : 'rejected';
          await repo.updateApplication(tx, id, { status, reason: input.reason || null, reviewedAt: now, unitId });
          await repo.insertEvent(tx, {
            applicationId: id,
            action: input.decision,
            round: app.round,
            actorType: scope.actorType,
            actorId: scope.actorId,
            actorName: scope.actorName,
            reviewerName: scope.reviewerName,
            reason: input.reason || null,
            at: now,
          });
          // The applicant (the unit's administrator, or the one becoming it) sees the result in 单位中心, or on the
          // registration page to correct and resubmit a returned registration.
          const kind = app.kind as TUnitApplicationKind;
          await deps.notify.event(tx, {
            accountId: app.applicantAccountId,
            event: input.decision === 'approve' ? 'unit-application-approved' : 'unit-application-rejected',
            params: {
              kind: UNIT_APPLICATION_KIND_LABELS[kind],
              unitName: data.unitName,
              reason: input.reason || '未填写',
            },
            // 变更管理员 is filed on the registration page too, by the person who is not yet the administrator.
            link:
              input.decision === 'approve'
                ? '/unit-center'
                : kind === 'change-info'
                  ? '/unit-center/unit-info'
                  : '/units/register',
          });
          await audit.record(tx, {
            actorType: scope.actorType,
            actorId: scope.actorId,
            action: `unit.${kind}.${input.decision}`,
            targetType: 'unit_application',
            targetId: id,
            ip: meta.ip,
            userAgent: meta.userAgent,
            summary: { status, reason: input.reason || null, round: app.round, unitId },
          });
          return { ok: true as const };
        });
      } catch (err) {
        throw unitConflict(err) ?? err;
      }
    },

    /** 导出: the filtered list as Excel, audited (it carries personal data). */
    async export(scope: ReviewerScope, q: TReviewListQuery, meta: RequestMeta): Promise<Buffer> {
      const rows = await repo.listAll(db, filter(scope, q), EXPORT_LIMIT);
      const data = await writeWorkbook([
        {
          name: '单位注册审核',
          columns: [
            { header: '序号', width: 6 },
            { header: '申请人', width: 12 },
            { header: '手机号', width: 14 },
            { header: '注册类别', width: 10 },
            { header: '单位名称', width: 36 },
            { header: '统一社会信用代码', width: 22 },
            { header: '所在地', width: 24 },
            { header: '单位类型', width: 14 },
            { header: '申请时间', width: 20, kind: 'datetime' },
            { header: '状态', width: 14 },
          ],
          rows: rows.map((r, i) => [
            i + 1,
            r.applicantName,
            r.applicantPhoneEnc ? maskPhone(pii.decrypt(r.applicantPhoneEnc)) : '',
            UNIT_CATEGORY_LABELS[r.category as 'unit' | 'department'] ?? r.category,
            r.unitName,
            r.uscc,
            areaLabel(r.locatedArea),
            r.unitType,
            r.submittedAt,
            unitApplicationStatusLabel(
              r.status as TUnitApplicationStatus,
              scope.actorType === 'staff' ? 'console' : 'portal',
            ) ?? r.status,
          ]),
        },
      ]);
      await audit.record(db, {
        actorType: scope.actorType,
        actorId: scope.actorId,
        action: 'unit.registrations.export',
        targetType: 'unit_application',
        ip: meta.ip,
        userAgent: meta.userAgent,
        summary: { rows: rows.length, filter: { ...q, phone: q.phone ? '[REDACTED]' : undefined } },
      });
      return data;
    },
  };
}
export type UnitReviewService = ReturnType<typeof createUnitReviewService>;
