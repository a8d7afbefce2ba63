import {
  areaLabel,
  maskName,
  maskPhone,
  type TUnitApplicationKind,
  type TUnitData,
  type TUnitDraft,
  UNIT_APPLICATION_KIND_LABELS,
  validateUscc,
} from '@cpe/shared';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { uniqueViolation } from '../../lib/pg-errors.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { FilesService } from '../files/files.service.js';
import type { UploadPurpose } from '../files/uploads.js';
import type { IdentityRepo } from '../identity/identity.repo.js';
import type { OrgRepo } from '../org/org.repo.js';
import type { UnitApplicationRow, UnitRow, UnitsRepo } from './units.repo.js';

/** The data columns a unit and its application share. */
export function unitDataOf(u: UnitRow): TUnitData {
  return {
    category: u.category as TUnitData['category'],
    unitName: u.name,
    uscc: u.uscc,
    usccManualCheck: u.usccManualCheck,
    licenceFileId: u.licenceFileId,
    regArea: u.regArea,
    insuredArea: u.insuredArea,
    locatedArea: u.locatedArea,
    address: u.address,
    unitType: u.unitType as TUnitData['unitType'],
    isGrassroots: u.isGrassroots,
    reviewerNodeId: u.reviewerNodeId,
    authorizationFileId: u.authorizationFileId,
  };
}

/** The inverse of unitDataOf: a unit's columns from the application data. */
export function unitColumns(d: TUnitData) {
  return {
    category: d.category,
    name: d.unitName,
    uscc: d.uscc,
    usccManualCheck: d.usccManualCheck,
    regArea: d.regArea,
    insuredArea: d.insuredArea,
    locatedArea: d.locatedArea,
    address: d.address,
    unitType: d.unitType,
    isGrassroots: d.isGrassroots,
    reviewerNodeId: d.reviewerNodeId,
    licenceFileId: d.licenceFileId,
    authorizationFileId: d.authorizationFileId,
  };
}

export interface UnitDeps {
  db: Db;
  repo: UnitsRepo;
  org: OrgRepo;
  identity: IdentityRepo;
  files: FilesService;
  clock: Clock;
  pii: Pii;
  audit: AuditRepo;
}

/** Maps the database's unique indexes to the field they protect. */
export function unitConflict(err: unknown): AppError | null {
  switch (uniqueViolation(err)) {
    case 'units_uscc_uq':
    case 'unit_applications_open_uscc_uq':
      return fieldError('UNIT_TAKEN', 'uscc', '该统一社会信用代码的单位已注册或正在审核，可点击“查询或变更管理员”');
    case 'units_name_uq':
      return fieldError('UNIT_TAKEN', 'unitName', '该单位名称已注册，可点击“查询或变更管理员”');
    case 'units_admin_uq':
      return new AppError('UNIT_ADMIN_EXISTS');
    case 'unit_applications_open_per_person_uq':
      return new AppError('UNIT_APPLICATION_OPEN');
    default:
      return null;
  }
}

/**
 * 单位管理员注册 and the applicant's side of 变更管理员 and 单位信息修改. Submissions run in one
 * transaction with their history event and audit record.
 */
export function createUnitRegistrationService(deps: UnitDeps) {
  const { db, repo, org, identity, files, clock, pii, audit } = deps;

  async function view(app: UnitApplicationRow, ex: Executor = db) {
    const [node, events] = await Promise.all([org.byId(ex, app.reviewerNodeId), repo.events(ex, app.id)]);
    return {
      id: app.id,
      kind: app.kind as 'register' | 'change-info' | 'change-admin',
      status: app.status as 'draft' | 'pending' | 'rejected' | 'approved',
      unitId: app.unitId,
      applicantName: app.applicantName,
      applicantPhoneMasked: app.applicantPhoneEnc ? maskPhone(pii.decrypt(app.applicantPhoneEnc)) : null,
      data: app.data as TUnitDraft,
      reviewerName: node?.name ?? '',
      locatedAreaLabel: areaLabel(app.locatedArea),
      round: app.round,
      reason: app.reason,
      submittedAt: app.submittedAt?.toISOString() ?? null,
      reviewedAt: app.reviewedAt?.toISOString() ?? null,
      events: events.map((e) => ({
        action: e.action as 'submit' | 'resubmit' | 'approve' | 'reject',
        round: e.round,
        actorName: e.actorName,
        reviewerName: e.reviewerName,
        reason: e.reason,
        at: e.at.toISOString(),
      })),
    };
  }

  async function applicant(accountId: string) {
    const a = await identity.accountById(db, accountId);
    if (!a) throw new AppError('UNAUTHENTICATED');
    return a;
  }

  /** Files must be the person's own uploads of the right purpose. */
  async function checkFile(id: string | undefined, purpose: UploadPurpose, field: string, accountId: string) {
    if (!id) return;
    const f = await files.meta(id);
    if (!f || f.ownerAccountId !== accountId || f.purpose !== purpose) {
      throw fieldError('UPLOAD_INVALID', field, '文件不存在或不属于您，请重新上传');
    }
  }

  /** 单位类型 must be on the managed list; a unit keeps a type that was retired after it registered. */
  async function checkUnitType(name: string, current?: string) {
    if (name === current) return;
    if (!(await org.unitTypes(db, true)).some((t) => t.name === name)) {
      throw fieldError('VALIDATION_FAILED', 'unitType', '请选择有效的单位类型');
    }
  }

  async function checkReviewer(nodeId: string) {
    const node = await org.byId(db, nodeId);
    if (!node?.active || (node.kind !== 'district' && node.kind !== 'department')) {
      throw fieldError('VALIDATION_FAILED', 'reviewerNodeId', '请选择有效的申报地区(部门)');
    }
    return node;
  }

  const columns = (d: TUnitDraft) => ({
    category: d.category ?? 'unit',
    unitName: d.unitName ?? '',
    uscc: d.uscc ?? '',
    usccManualCheck: d.usccManualCheck ?? false,
    locatedArea: d.locatedArea ?? '',
    unitType: d.unitType ?? '',
  });

  /**
   * 变更管理员 and 单位信息修改 are filed the same way: a pending application about an existing unit,
   * reviewed by the node that reviews the unit now (even when the change moves it elsewhere).
   */
  async function fileUnitChange(
    kind: 'change-admin' | 'change-info',
    person: { id: string; realName: string; phoneHash: string | null; phoneEnc: string | null },
    unit: UnitRow,
    data: TUnitData,
    meta: RequestMeta,
  ) {
    const now = clock.now();
    try {
      return await db.transaction(async (tx) => {
        const open = await repo.openApplicationOf(tx, person.id);
        const fields = {
          status: 'pending',
          applicantName: person.realName,
          applicantPhoneHash: person.phoneHash,
          applicantPhoneEnc: person.phoneEnc,
          reviewerNodeId: unit.reviewerNodeId,
          data,
          ...columns(data),
          reason: null,
          submittedAt: now,
        };
        let row: UnitApplicationRow;
        if (open?.status === 'rejected' && open.kind === kind && open.unitId === unit.id) {
          // A returned change is corrected and sent again, keeping its history (like a registration).
          row = await repo.updateApplication(tx, open.id, { ...fields, round: open.round + 1 });
        } else {
          if (open?.status === 'draft') {
            // An unfinished registration draft gives way to the request (drafts carry no history).
            await repo.deleteDraft(tx, open.id);
          } else if (open) {
            throw new AppError('UNIT_APPLICATION_OPEN', {
              message:
                open.status === 'pending'
                  ? '您已有正在审核的申请，请等待审核结果'
                  : `您有一个审核未通过的${UNIT_APPLICATION_KIND_LABELS[open.kind as TUnitApplicationKind]}申请，请先修改后重新提交`,
            });
          }
          row = await repo.insertApplication(tx, {
            kind,
            unitId: unit.id,
            applicantAccountId: person.id,
            ...fields,
            round: 1,
          });
        }
        await repo.insertEvent(tx, {
          applicationId: row.id,
          action: row.round > 1 ? 'resubmit' : 'submit',
          round: row.round,
          actorType: 'account',
          actorId: person.id,
          actorName: person.realName,
          snapshot: data,
          at: now,
        });
        await audit.record(tx, {
          actorType: 'account',
          actorId: person.id,
          action: kind === 'change-admin' ? 'unit.admin-change.submit' : 'unit.info-change.submit',
          targetType: 'unit',
          targetId: unit.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
        });
        return view(row, tx);
      });
    } catch (err) {
      throw unitConflict(err) ?? err;
    }
  }

  return {
    view,

    async mine(accountId: string) {
      const app = await repo.latestApplicationOf(db, accountId);
      return { application: app ? await view(app) : null };
    },

    /** 若该单位已注册: whether a name or code is taken, without revealing who administers it. */
    async lookup(q: { name?: string; uscc?: string }) {
      const uscc = q.uscc?.toUpperCase();
      const unit = await repo.unitByCodeOrName(db, uscc, q.name);
      const pending =
        !unit && (uscc || q.name) ? await repo.openRegistrationByCode(db, uscc ?? '', q.name ?? '') : undefined;
      let adminMasked: string | null = null;
      if (unit?.adminAccountId) {
        const admin = await identity.accountById(db, unit.adminAccountId);
        adminMasked = admin ? maskName(admin.realName) : null;
      }
      return {
        taken: Boolean(unit || pending),
        unit: unit
          ? {
              id: unit.id,
              name: unit.name,
              uscc: unit.uscc,
              category: unit.category as 'unit' | 'department',
              adminMasked,
            }
          : null,
        pending: Boolean(pending),
      };
    },

    async saveDraft(accountId: string, draft: TUnitDraft) {
      const person = await applicant(accountId);
      const open = await repo.openApplicationOf(db, accountId);
      if (open && open.status === 'pending') throw new AppError('UNIT_APPLICATION_OPEN');
      if (open && open.kind !== 'register') throw new AppError('UNIT_APPLICATION_OPEN');
      if (await repo.unitOfAdmin(db, accountId)) throw new AppError('UNIT_ADMIN_EXISTS');
      const reviewerNodeId = draft.reviewerNodeId ?? open?.reviewerNodeId ?? (await org.city(db))?.id;
      if (!reviewerNodeId) throw new AppError('INTERNAL_ERROR');
      const row = open
        ? await repo.updateApplication(db, open.id, { ...columns(draft), reviewerNodeId, data: draft })
        : await repo.insertApplication(db, {
            kind: 'register',
            status: 'draft',
            applicantAccountId: accountId,
            applicantName: person.realName,
            reviewerNodeId,
            data: draft,
            ...columns(draft),
          });
      return view(row);
    },

    /** 提交注册: status 待主管部门审核, in one transaction with its event and audit record. */
    async submit(accountId: string, data: TUnitData, meta: RequestMeta) {
      const person = await applicant(accountId);
      if (await repo.unitOfAdmin(db, accountId)) throw new AppError('UNIT_ADMIN_EXISTS');
      await checkReviewer(data.reviewerNodeId);
      await checkUnitType(data.unitType);
      await checkFile(data.licenceFileId, 'licence', 'licenceFileId', accountId);
      await checkFile(data.authorizationFileId, 'authorization', 'authorizationFileId', accountId);
      const existing = await repo.unitByCodeOrName(db, data.uscc, data.unitName);
      if (existing) {
        throw existing.uscc === data.uscc
          ? fieldError('UNIT_TAKEN', 'uscc', '该统一社会信用代码的单位已注册，可点击“查询或变更管理员”')
          : fieldError('UNIT_TAKEN', 'unitName', '该单位名称已注册，可点击“查询或变更管理员”');
      }
      const now = clock.now();
      try {
        return await db.transaction(async (tx) => {
          const open = await repo.openApplicationOf(tx, accountId);
          if (open && (open.status === 'pending' || open.kind !== 'register'))
            throw new AppError('UNIT_APPLICATION_OPEN');
          const other = await repo.openRegistrationByCode(tx, data.uscc, data.unitName);
          if (other && other.id !== open?.id) {
            throw fieldError('UNIT_TAKEN', 'uscc', '该单位已有注册申请正在审核中');
          }
          const fields = {
            status: 'pending',
            ...columns(data),
            reviewerNodeId: data.reviewerNodeId,
            data,
            applicantName: person.realName,
            applicantPhoneHash: person.phoneHash,
            applicantPhoneEnc: person.phoneEnc,
            round: (open?.round ?? 0) + 1,
            reason: null,
            submittedAt: now,
          };
          const row = open
            ? await repo.updateApplication(tx, open.id, fields)
            : await repo.insertApplication(tx, { kind: 'register', applicantAccountId: accountId, ...fields });
          await repo.insertEvent(tx, {
            applicationId: row.id,
            action: row.round > 1 ? 'resubmit' : 'submit',
            round: row.round,
            actorType: 'account',
            actorId: accountId,
            actorName: person.realName,
            snapshot: data,
            at: now,
          });
          await audit.record(tx, {
            actorType: 'account',
            actorId: accountId,
            action: row.round > 1 ? 'unit.registration.resubmit' : 'unit.registration.submit',
            targetType: 'unit_application',
            targetId: row.id,
            ip: meta.ip,
            userAgent: meta.userAgent,
            summary: { unitName: data.unitName, uscc: data.uscc, round: row.round, manualCheck: data.usccManualCheck },
          });
          return view(row, tx);
        });
      } catch (err) {
        throw unitConflict(err) ?? err;
      }
    },

    /** 查询或变更管理员: a new administrator asks to take over a registered unit with a new 单位授权书. */
    async requestAdminChange(
      accountId: string,
      input: { unitId: string; authorizationFileId: string },
      meta: RequestMeta,
    ) {
      const person = await applicant(accountId);
      const unit = await repo.unitById(db, input.unitId);
      if (!unit) throw fieldError('NOT_FOUND', 'unitId', '单位不存在');
      if (unit.adminAccountId === accountId)
        throw new AppError('UNIT_ADMIN_EXISTS', { message: '您已是该单位的管理员' });
      if (await repo.unitOfAdmin(db, accountId)) throw new AppError('UNIT_ADMIN_EXISTS');
      await checkFile(input.authorizationFileId, 'authorization', 'authorizationFileId', accountId);
      const data = { ...unitDataOf(unit), authorizationFileId: input.authorizationFileId };
      return fileUnitChange('change-admin', person, unit, data, meta);
    },

    /** 单位信息修改: goes back to review; the data in force stays until approval. */
    async requestInfoChange(accountId: string, data: TUnitData, meta: RequestMeta) {
      const person = await applicant(accountId);
      const unit = await repo.unitOfAdmin(db, accountId);
      if (!unit) throw new AppError('FORBIDDEN', { message: '您还不是单位管理员' });
      if (await repo.openChangeOfUnit(db, unit.id)) throw new AppError('UNIT_APPLICATION_OPEN');
      await checkUnitType(data.unitType, unit.unitType);
      await checkFile(
        data.licenceFileId !== unit.licenceFileId ? data.licenceFileId : undefined,
        'licence',
        'licenceFileId',
        accountId,
      );
      await checkFile(
        data.authorizationFileId !== unit.authorizationFileId ? data.authorizationFileId : undefined,
        'authorization',
        'authorizationFileId',
        accountId,
      );
      const invalid = validateUscc(data.uscc);
      if (invalid && !data.usccManualCheck) throw fieldError('VALIDATION_FAILED', 'uscc', '统一社会信用代码校验未通过');
      return fileUnitChange('change-info', person, unit, data, meta);
    },
  };
}
export type UnitRegistrationService = ReturnType<typeof createUnitRegistrationService>;
