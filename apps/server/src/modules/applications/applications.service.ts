import {
  APPLICATION_STATUS_LABELS,
  APPLICATION_TYPES,
  type ApplicationData,
  type ApplicationTypeDef,
  applicationType,
  areaLabel,
  canTransition,
  checkComplete,
  checkSectionDraft,
  diffData,
  type FilerKind,
  fenToWanText,
  type TApplicationAction,
  type TApplicationDetail,
  type TApplicationListQuery,
  type TApplicationReview,
  type TApplicationReviewQuery,
  type TApplicationStatus,
  type TAttachment,
  type TBatch,
  type TBatchInput,
  type TReturnRequest,
  type TReviewRound,
} from '@cpe/shared';
import ExcelJS from 'exceljs';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { chinaDateTime } from '../../lib/format.js';
import { uniqueViolation } from '../../lib/pg-errors.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { FilesService } from '../files/files.service.js';
import { checkUpload } from '../files/uploads.js';
import { renderApplicationPdf } from './application-pdf.js';
import type { ApplicationEventRow, ApplicationRow, ApplicationsRepo, BatchRow } from './applications.repo.js';

/** The transitions that change or end the record, each audited as `application.${action}`; 修改 (edit) is not one. */
type AuditedTransition = Exclude<TApplicationAction, 'edit'>;

/** Who files: the administrator of an approved unit, or a staff member of a 区县人社局. */
export interface Filer {
  kind: FilerKind;
  unitId: string | null;
  orgNodeId: string | null;
  name: string;
  /** County code of the unit's 所在地 or of the bureau. */
  area: string;
  unitType: string;
  actorType: 'account' | 'staff';
  actorId: string;
  actorName: string;
  prefill: { unitName: string; unitUscc: string; unitAddress: string; unitType: string };
}

/** A 市人社局 reviewer. */
export interface ProjectReviewer {
  actorId: string;
  actorName: string;
  departmentName: string;
}

export interface ApplicationDeps {
  db: Db;
  repo: ApplicationsRepo;
  files: FilesService;
  clock: Clock;
  audit: AuditRepo;
  platformName: string;
}

const EXPORT_LIMIT = 20_000;
const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

function typeOf(key: string): ApplicationTypeDef {
  const def = applicationType(key);
  if (!def) throw new AppError('NOT_FOUND', { message: '申报类型不存在' });
  return def;
}

const stateError = (action: TApplicationAction, status: string) =>
  new AppError('APPLICATION_STATE', {
    message: `申报书${APPLICATION_STATUS_LABELS[status as TApplicationStatus] ?? status}，不能${ACTION_VERBS[action]}`,
  });
const ACTION_VERBS: Record<TApplicationAction, string> = {
  edit: '修改',
  submit: '提交',
  withdraw: '撤回',
  delete: '删除',
  return: '退回修改',
  approve: '审核通过',
  reject: '审核不通过',
};

const ROUND_LABELS: Record<TReviewRound['action'], string> = {
  submit: '提交申报',
  resubmit: '修改后重新提交',
  withdraw: '已撤回',
  return: '已退回',
  approve: '审核通过',
  reject: '审核不通过',
};

/**
 * 申报 (filing) and 项目审核 (review) of every application type: drafts saved section by section,
 * submission with numbering, 撤回, 退回修改 with per-section comments, 审核通过 / 不通过.
 * Every transition is one transaction with its event and audit record.
 */
export function createApplicationsService(deps: ApplicationDeps) {
  const { db, repo, files, clock, audit } = deps;

  function batchView(b: BatchRow): TBatch {
    const now = clock.now();
    return {
      id: b.id,
      type: b.type,
      year: b.year,
      opensAt: b.opensAt.toISOString(),
      deadline: b.deadline.toISOString(),
      open: now >= b.opensAt && now <= b.deadline,
      createdAt: b.createdAt.toISOString(),
    };
  }

  async function batchMap(): Promise<Map<string, BatchRow>> {
    return new Map((await repo.batches(db)).map((b) => [b.id, b]));
  }

  function owns(filer: Filer, app: ApplicationRow): boolean {
    return filer.unitId ? app.unitId === filer.unitId : app.orgNodeId !== null && app.orgNodeId === filer.orgNodeId;
  }

  /** The check `transition` runs on the locked row (one read, inside the transaction). */
  const mustOwn = (filer: Filer) => (row: ApplicationRow) => {
    if (!owns(filer, row)) throw new AppError('APPLICATION_FORBIDDEN');
  };

  async function loadOwn(filer: Filer, id: string): Promise<ApplicationRow> {
    const app = await repo.byId(db, id);
    if (!app) throw new AppError('NOT_FOUND', { message: '申报书不存在' });
    if (!owns(filer, app)) throw new AppError('APPLICATION_FORBIDDEN');
    return app;
  }

  async function loadSubmitted(id: string): Promise<ApplicationRow> {
    const app = await repo.byId(db, id);
    if (!app || app.status === 'draft') throw new AppError('NOT_FOUND', { message: '申报书不存在' });
    return app;
  }

  /** 申报截止时间 that applies to the row now: the reviewer's for a returned one, else the batch's. */
  const deadlineOf = (app: ApplicationRow, batch: BatchRow | undefined) =>
    app.status === 'returned' ? app.returnDeadline : (batch?.deadline ?? null);

  function actionsOf(app: ApplicationRow, batch: BatchRow | undefined) {
    const now = clock.now();
    const status = app.status as TApplicationStatus;
    const deadline = deadlineOf(app, batch);
    const inTime = Boolean(
      deadline && now <= deadline && (app.status === 'returned' || (batch && now >= batch.opensAt)),
    );
    return {
      edit: canTransition('edit', status),
      submit: canTransition('submit', status) && inTime,
      withdraw: canTransition('withdraw', status) && !app.reviewStartedAt,
      delete: canTransition('delete', status),
    };
  }

  function listCore(app: ApplicationRow, batch: BatchRow | undefined) {
    return {
      id: app.id,
      type: app.type,
      number: app.number,
      status: app.status as TApplicationStatus,
      year: app.year,
      projectName: app.projectName,
      heldFrom: app.heldFrom,
      heldTo: app.heldTo,
      hostUnit: app.hostUnit,
      filerName: app.filerName,
      submittedAt: iso(app.submittedAt),
      deadline: iso(deadlineOf(app, batch)),
      estimatedFen: app.estimatedFen,
      subsidyFen: app.subsidyFen,
      round: app.round,
    };
  }

  function historyOf(events: ApplicationEventRow[]): TReviewRound[] {
    return events.map((e) => ({
      round: e.round,
      action: e.action as TReviewRound['action'],
      actionLabel: ROUND_LABELS[e.action as TReviewRound['action']] ?? e.action,
      departmentName: e.departmentName,
      actorName: e.actorName,
      contactName: e.contactName,
      contactPhone: e.contactPhone,
      comments: (e.comments ?? {}) as Record<string, string>,
      reason: e.reason,
      deadline: iso(e.deadline),
      at: e.at.toISOString(),
    }));
  }

  async function detail(app: ApplicationRow): Promise<TApplicationDetail & { events: ApplicationEventRow[] }> {
    const def = typeOf(app.type);
    const batch = await repo.batchById(db, app.batchId);
    const events = await repo.events(db, app.id);
    const data = app.data as ApplicationData;
    const lastReturn = [...events].reverse().find((e) => e.action === 'return');
    const commented =
      app.status === 'returned' && lastReturn
        ? Object.entries((lastReturn.comments ?? {}) as Record<string, string>)
            .filter(([, t]) => t.trim() !== '')
            .map(([s]) => s)
        : [];
    return {
      ...listCore(app, batch),
      label: def.label,
      filerKind: app.filerKind as FilerKind,
      filerAreaLabel: areaLabel(app.filerArea),
      filerUnitType: app.filerUnitType,
      data,
      missing: checkComplete(def, data),
      commentedSections: commented,
      history: historyOf(events),
      reason: app.reason,
      decidedAt: iso(app.decidedAt),
      actions: actionsOf(app, batch),
      events,
    };
  }
  const publicDetail = async (app: ApplicationRow): Promise<TApplicationDetail> => {
    const { events: _events, ...d } = await detail(app);
    return d;
  };

  /** The columns copied out of the data for lists, filters and statistics. */
  function columnsOf(def: ApplicationTypeDef, data: ApplicationData) {
    const s = def.summary(data);
    return {
      projectName: s.projectName.slice(0, 200),
      heldFrom: s.heldFrom,
      heldTo: s.heldTo,
      hostUnit: s.hostUnit.slice(0, 200),
      estimatedFen: s.estimatedFen,
      subsidyFen: s.subsidyFen,
    };
  }

  function prefillOf(def: ApplicationTypeDef, filer: Filer): ApplicationData {
    const data: ApplicationData = {};
    for (const s of def.sections)
      for (const f of s.fields)
        if (f.prefill) {
          data[s.id] ??= {};
          (data[s.id] as Record<string, unknown>)[f.name] = filer.prefill[f.prefill];
        }
    return data;
  }

  async function transition(
    filerOrReviewer: { actorType: 'account' | 'staff'; actorId: string },
    id: string,
    action: AuditedTransition,
    meta: RequestMeta,
    run: (tx: Executor, app: ApplicationRow) => Promise<Partial<ApplicationRow> | null>,
    guard?: (app: ApplicationRow) => void,
  ) {
    return db.transaction(async (tx) => {
      const app = await repo.forUpdate(tx, id);
      if (!app) throw new AppError('NOT_FOUND', { message: '申报书不存在' });
      guard?.(app);
      if (!canTransition(action, app.status as TApplicationStatus)) throw stateError(action, app.status);
      const patch = await run(tx, app);
      const updated = patch ? await repo.update(tx, id, patch) : app;
      await audit.record(tx, {
        actorType: filerOrReviewer.actorType,
        actorId: filerOrReviewer.actorId,
        action: `application.${action}`,
        targetType: 'application',
        targetId: id,
        ip: meta.ip,
        userAgent: meta.userAgent,
        summary: { type: app.type, from: app.status, to: updated.status, number: updated.number, round: updated.round },
      });
      return updated;
    });
  }

  const batchConflict = (err: unknown) =>
    uniqueViolation(err) === 'application_batches_uq' ? new AppError('APPLICATION_BATCH_EXISTS') : undefined;

  return {
    // ---------------- types and batches ----------------
    async types() {
      const all = await repo.batches(db);
      const now = clock.now();
      return {
        items: APPLICATION_TYPES.map((t) => {
          const mine = all.filter((b) => b.type === t.key);
          const current =
            mine.find((b) => now >= b.opensAt && now <= b.deadline) ?? mine.find((b) => b.opensAt > now) ?? mine[0];
          return { key: t.key, label: t.label, menuLabel: t.menuLabel, batch: current ? batchView(current) : null };
        }),
      };
    },
    async batches(type?: string) {
      return { items: (await repo.batches(db, type)).map(batchView) };
    },
    async createBatch(reviewer: ProjectReviewer, input: TBatchInput, meta: RequestMeta) {
      typeOf(input.type);
      try {
        return batchView(
          await db.transaction(async (tx) => {
            const b = await repo.insertBatch(tx, {
              type: input.type,
              year: input.year,
              opensAt: new Date(input.opensAt),
              deadline: new Date(input.deadline),
              createdBy: reviewer.actorId,
            });
            await audit.record(tx, {
              actorType: 'staff',
              actorId: reviewer.actorId,
              action: 'application.batch.create',
              targetType: 'application_batch',
              targetId: b.id,
              ip: meta.ip,
              userAgent: meta.userAgent,
              summary: { ...input },
            });
            return b;
          }),
        );
      } catch (err) {
        throw batchConflict(err) ?? err;
      }
    },
    async updateBatch(reviewer: ProjectReviewer, id: string, input: TBatchInput, meta: RequestMeta) {
      const before = await repo.batchById(db, id);
      if (!before) throw new AppError('NOT_FOUND', { message: '申报批次不存在' });
      if (before.type !== input.type || before.year !== input.year)
        throw fieldError('VALIDATION_FAILED', 'year', '不能修改批次的申报类型和年度');
      return batchView(
        await db.transaction(async (tx) => {
          const b = await repo.updateBatch(tx, id, {
            opensAt: new Date(input.opensAt),
            deadline: new Date(input.deadline),
          });
          await audit.record(tx, {
            actorType: 'staff',
            actorId: reviewer.actorId,
            action: 'application.batch.update',
            targetType: 'application_batch',
            targetId: id,
            ip: meta.ip,
            userAgent: meta.userAgent,
            summary: {
              from: { opensAt: before.opensAt, deadline: before.deadline },
              to: { opensAt: input.opensAt, deadline: input.deadline },
            },
          });
          return b as BatchRow;
        }),
      );
    },

    // ---------------- filing ----------------
    async list(filer: Filer, q: TApplicationListQuery) {
      typeOf(q.type);
      const { rows, total } = await repo.listOfFiler(
        db,
        { unitId: filer.unitId ?? undefined, orgNodeId: filer.orgNodeId ?? undefined, type: q.type, status: q.status },
        q.page,
        q.pageSize,
      );
      const batches = await batchMap();
      return {
        items: rows.map((r) => ({
          ...listCore(r, batches.get(r.batchId)),
          actions: actionsOf(r, batches.get(r.batchId)),
        })),
        total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },

    /** 新增申报: a draft in the batch open now, with the filer's data prefilled. */
    async create(filer: Filer, type: string, meta: RequestMeta) {
      const def = typeOf(type);
      if (!def.filers.includes(filer.kind)) throw new AppError('APPLICATION_FILER_FORBIDDEN');
      const now = clock.now();
      const batches = await repo.batches(db, type);
      const open = batches.find((b) => now >= b.opensAt && now <= b.deadline);
      if (!open) {
        const closed = batches.find((b) => b.opensAt <= now);
        throw closed && closed.year >= now.getUTCFullYear()
          ? new AppError('APPLICATION_DEADLINE_PASSED', { message: '本年度申报已截止，不能新增申报' })
          : new AppError('APPLICATION_NOT_OPEN');
      }
      const data = prefillOf(def, filer);
      const app = await db.transaction(async (tx) => {
        const row = await repo.insert(tx, {
          type,
          year: open.year,
          batchId: open.id,
          status: 'draft',
          filerKind: filer.kind,
          unitId: filer.unitId,
          orgNodeId: filer.orgNodeId,
          filerName: filer.name,
          filerArea: filer.area,
          filerUnitType: filer.unitType,
          createdByType: filer.actorType,
          createdById: filer.actorId,
          data,
          ...columnsOf(def, data),
        });
        await audit.record(tx, {
          actorType: filer.actorType,
          actorId: filer.actorId,
          action: 'application.create',
          targetType: 'application',
          targetId: row.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: { type, year: open.year },
        });
        return row;
      });
      return publicDetail(app);
    },

    async get(filer: Filer, id: string) {
      return publicDetail(await loadOwn(filer, id));
    },

    /** 保存并进入下一页: a partial section is fine; what is typed must be valid. */
    async saveSection(filer: Filer, id: string, sectionId: string, values: Record<string, unknown>) {
      const current = await loadOwn(filer, id);
      const def = typeOf(current.type);
      const section = def.sections.find((s) => s.id === sectionId);
      if (!section) throw new AppError('NOT_FOUND', { message: '填报项不存在' });
      const checked = checkSectionDraft(section, values);
      if (!checked.ok) {
        const first = Object.values(checked.errors)[0] as string;
        throw new AppError('VALIDATION_FAILED', { message: first, fields: checked.errors });
      }
      const app = await db.transaction(async (tx) => {
        const row = await repo.forUpdate(tx, id);
        if (!row || !owns(filer, row)) throw new AppError('APPLICATION_FORBIDDEN');
        if (!canTransition('edit', row.status as TApplicationStatus)) throw stateError('edit', row.status);
        const data = { ...(row.data as ApplicationData), [sectionId]: checked.values };
        return repo.update(tx, id, { data, ...columnsOf(def, data) });
      });
      return publicDetail(app);
    },

    /** 其他附件: checked by content, stored, and returned for the section to reference. */
    async attach(filer: Filer, id: string, data: Buffer, name: string | undefined): Promise<TAttachment> {
      const app = await loadOwn(filer, id);
      if (!canTransition('edit', app.status as TApplicationStatus)) throw stateError('edit', app.status);
      const clean = await checkUpload('application-attachment', data);
      const fileId = await files.save(db, {
        data: clean.data,
        mime: clean.mime,
        purpose: 'application-attachment',
        ownerAccountId: filer.actorId,
        originalName: name,
      });
      return { fileId, name: (name ?? '附件').slice(0, 200), mime: clean.mime, size: clean.data.length };
    },

    /** 提交申报书: every section complete, in time; the first submission gets its 编号. */
    async submit(filer: Filer, id: string, meta: RequestMeta) {
      const app = await loadOwn(filer, id);
      const def = typeOf(app.type);
      const missing = checkComplete(def, app.data as ApplicationData);
      const count = Object.keys(missing).length;
      if (count > 0 && canTransition('submit', app.status as TApplicationStatus))
        throw new AppError('APPLICATION_INCOMPLETE', {
          message: `申报书还有${count}项未填写或填写有误，请补充后再提交`,
          fields: missing,
        });
      const now = clock.now();
      const updated = await transition(
        filer,
        id,
        'submit',
        meta,
        async (tx, row) => {
          if (row.status === 'returned') {
            if (!row.returnDeadline || now > row.returnDeadline)
              throw new AppError('APPLICATION_DEADLINE_PASSED', { message: '已过退回修改的截止时间，不能再提交' });
          } else {
            const batch = await repo.batchById(tx, row.batchId);
            if (!batch || now < batch.opensAt) throw new AppError('APPLICATION_NOT_OPEN');
            if (now > batch.deadline) throw new AppError('APPLICATION_DEADLINE_PASSED');
          }
          const number = row.number ?? def.number(row.year, await repo.nextSequence(tx, def.typeCode, row.year));
          const round = row.round + 1;
          await repo.insertEvent(tx, {
            applicationId: id,
            action: row.round === 0 ? 'submit' : 'resubmit',
            round,
            actorType: filer.actorType,
            actorId: filer.actorId,
            actorName: filer.actorName,
            departmentName: filer.name,
            snapshot: row.data,
            at: now,
          });
          return {
            status: 'pending',
            number,
            round,
            submittedAt: now,
            firstSubmittedAt: row.firstSubmittedAt ?? now,
            reviewStartedAt: null,
            returnDeadline: row.status === 'returned' ? row.returnDeadline : null,
          };
        },
        mustOwn(filer),
      );
      return publicDetail(updated);
    },

    /** 撤回: only before 市人社局 has opened it in this round. */
    async withdraw(filer: Filer, id: string, meta: RequestMeta) {
      const now = clock.now();
      const updated = await transition(
        filer,
        id,
        'withdraw',
        meta,
        async (tx, row) => {
          if (row.reviewStartedAt) throw new AppError('APPLICATION_REVIEW_STARTED');
          await repo.insertEvent(tx, {
            applicationId: id,
            action: 'withdraw',
            round: row.round,
            actorType: filer.actorType,
            actorId: filer.actorId,
            actorName: filer.actorName,
            departmentName: filer.name,
            at: now,
          });
          return { status: 'withdrawn' };
        },
        mustOwn(filer),
      );
      return publicDetail(updated);
    },

    /** 删除: drafts only (a submitted application keeps its 编号 and history). */
    async remove(filer: Filer, id: string, meta: RequestMeta) {
      await transition(
        filer,
        id,
        'delete',
        meta,
        async (tx) => {
          await repo.remove(tx, id);
          return null;
        },
        mustOwn(filer),
      );
      return { ok: true as const };
    },

    /** For the routes: an application the filer owns, or a submitted one (reviewers). */
    own: loadOwn,
    submitted: loadSubmitted,

    /** An attachment referenced by the application now or by one of its submitted versions. */
    async file(app: ApplicationRow, fileId: string) {
      const events = await repo.events(db, app.id);
      const referenced = [app.data, ...events.map((e) => e.snapshot)].some((d) =>
        JSON.stringify(d ?? {}).includes(`"fileId":"${fileId}"`),
      );
      if (!referenced) throw new AppError('NOT_FOUND', { message: '文件不存在' });
      const meta = await files.meta(fileId);
      return { ...(await files.read(fileId)), name: meta?.originalName ?? '附件' };
    },

    async pdf(app: ApplicationRow) {
      const def = typeOf(app.type);
      return renderApplicationPdf({
        def,
        year: app.year,
        number: app.number,
        statusLabel: APPLICATION_STATUS_LABELS[app.status as TApplicationStatus] ?? app.status,
        filerName: app.filerName,
        data: app.data as ApplicationData,
        generatedAt: clock.now(),
        platformName: deps.platformName,
        submittedAt: app.submittedAt,
      });
    },

    // ---------------- review (市人社局) ----------------
    async reviewList(q: TApplicationReviewQuery) {
      typeOf(q.type);
      const { rows, counts, total } = await repo.reviewList(db, q);
      const batches = await batchMap();
      return {
        items: rows.map((r) => ({
          ...listCore(r, batches.get(r.batchId)),
          filerKind: r.filerKind as FilerKind,
          filerAreaLabel: areaLabel(r.filerArea),
          filerUnitType: r.filerUnitType,
        })),
        total,
        page: q.page,
        pageSize: q.pageSize,
        counts,
      };
    },

    /** The review screen; opening a pending application starts its review (撤回 is then refused). */
    async review(id: string): Promise<TApplicationReview> {
      let app = await loadSubmitted(id);
      if (app.status === 'pending' && !app.reviewStartedAt)
        app = await repo.update(db, id, { reviewStartedAt: clock.now() });
      const def = typeOf(app.type);
      const { events, ...d } = await detail(app);
      const submissions = events.filter((e) => e.action === 'submit' || e.action === 'resubmit');
      const previous = submissions.length >= 2 ? submissions[submissions.length - 2] : undefined;
      const pending = app.status === 'pending';
      return {
        ...d,
        diff: previous
          ? diffData(def, (previous.snapshot ?? {}) as ApplicationData, app.data as ApplicationData)
          : null,
        draftComments: (app.reviewDraft ?? {}) as Record<string, string>,
        reviewActions: { return: pending, approve: pending, reject: pending },
      };
    },
    async saveDraftComments(id: string, comments: Record<string, string>) {
      const app = await loadSubmitted(id);
      if (app.status !== 'pending') throw stateError('return', app.status);
      const def = typeOf(app.type);
      const clean = sanitizeComments(def, comments);
      await repo.update(db, id, { reviewDraft: clean });
      return { ok: true as const };
    },

    /** 退回修改: comments per section and a deadline for resubmission; no applicant-side validation. */
    async returnForChanges(reviewer: ProjectReviewer, id: string, input: TReturnRequest, meta: RequestMeta) {
      const app = await loadSubmitted(id);
      const def = typeOf(app.type);
      const comments = sanitizeComments(def, input.comments);
      if (Object.keys(comments).length === 0)
        throw fieldError('VALIDATION_FAILED', 'comments', '请至少对一个填报项填写修改意见');
      const now = clock.now();
      const deadline = new Date(input.deadline);
      if (deadline <= now) throw fieldError('VALIDATION_FAILED', 'deadline', '修改截止时间应晚于当前时间');
      const updated = await transition(
        { actorType: 'staff', actorId: reviewer.actorId },
        id,
        'return',
        meta,
        async (tx, row) => {
          await repo.insertEvent(tx, {
            applicationId: id,
            action: 'return',
            round: row.round,
            actorType: 'staff',
            actorId: reviewer.actorId,
            actorName: reviewer.actorName,
            departmentName: reviewer.departmentName,
            contactName: input.contactName,
            contactPhone: input.contactPhone,
            comments,
            deadline,
            at: now,
          });
          return { status: 'returned', returnDeadline: deadline, reviewDraft: {}, decidedAt: null };
        },
      );
      return publicDetail(updated);
    },

    async decide(
      reviewer: ProjectReviewer,
      id: string,
      decision: 'approve' | 'reject',
      reason: string,
      meta: RequestMeta,
    ) {
      await loadSubmitted(id);
      const now = clock.now();
      const updated = await transition(
        { actorType: 'staff', actorId: reviewer.actorId },
        id,
        decision,
        meta,
        async (tx, row) => {
          await repo.insertEvent(tx, {
            applicationId: id,
            action: decision,
            round: row.round,
            actorType: 'staff',
            actorId: reviewer.actorId,
            actorName: reviewer.actorName,
            departmentName: reviewer.departmentName,
            reason: reason || null,
            at: now,
          });
          return {
            status: decision === 'approve' ? 'approved' : 'rejected',
            decidedAt: now,
            reason: reason || null,
            reviewDraft: {},
          };
        },
      );
      return publicDetail(updated);
    },

    /** 导出: the filtered list as Excel (amounts in 万元), audited. */
    async export(reviewer: ProjectReviewer, q: TApplicationReviewQuery, meta: RequestMeta): Promise<Buffer> {
      const def = typeOf(q.type);
      const rows = await repo.reviewAll(db, q, EXPORT_LIMIT);
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet(def.label);
      const headers: [string, number][] = [
        ['序号', 6],
        ['编号', 20],
        ['项目名称', 36],
        ['年度', 8],
        ['举办时间', 24],
        ['申报单位', 30],
        ['所在区县', 20],
        ['单位类型', 14],
        ['承办单位', 30],
        ['预计费用（万元）', 14],
        ['需资助费用（万元）', 16],
        ['提交时间', 20],
        ['状态', 10],
      ];
      ws.columns = headers.map(([header, width]) => ({ header, width }));
      ws.getRow(1).font = { bold: true };
      let estimated = 0;
      let subsidy = 0;
      rows.forEach((r, i) => {
        estimated += r.estimatedFen ?? 0;
        subsidy += r.subsidyFen ?? 0;
        ws.addRow([
          i + 1,
          r.number ?? '',
          r.projectName,
          r.year,
          r.heldFrom ? (r.heldFrom === r.heldTo ? r.heldFrom : `${r.heldFrom} 至 ${r.heldTo}`) : '',
          r.filerName,
          areaLabel(r.filerArea),
          r.filerUnitType,
          r.hostUnit,
          r.estimatedFen === null ? '' : Number(fenToWanText(r.estimatedFen)),
          r.subsidyFen === null ? '' : Number(fenToWanText(r.subsidyFen)),
          chinaDateTime(r.submittedAt),
          APPLICATION_STATUS_LABELS[r.status as TApplicationStatus] ?? r.status,
        ]);
      });
      const total = ws.addRow([
        '合计',
        '',
        `${rows.length}项`,
        '',
        '',
        '',
        '',
        '',
        '',
        Number(fenToWanText(estimated)),
        Number(fenToWanText(subsidy)),
      ]);
      total.font = { bold: true };
      ws.getColumn(10).numFmt = '0.00';
      ws.getColumn(11).numFmt = '0.00';
      await audit.record(db, {
        actorType: 'staff',
        actorId: reviewer.actorId,
        action: 'application.export',
        targetType: 'application',
        ip: meta.ip,
        userAgent: meta.userAgent,
        summary: { rows: rows.length, filter: q },
      });
      return Buffer.from(await wb.xlsx.writeBuffer());
    },

    /** 统计: per district and per unit type, counts and 预计费用 / 需资助费用 sums. */
    async stats(q: { type: string; year: number; status?: string }) {
      typeOf(q.type);
      const row = (key: string, label: string, r: { n: number; estimated: string; subsidy: string }) => ({
        key,
        label,
        count: Number(r.n),
        estimatedFen: Number(r.estimated),
        subsidyFen: Number(r.subsidy),
      });
      const byArea = await repo.stats(db, q, 'area');
      const byType = await repo.stats(db, q, 'unitType');
      const total = byArea.reduce(
        (t, r) => ({
          n: t.n + Number(r.n),
          estimated: String(Number(t.estimated) + Number(r.estimated)),
          subsidy: String(Number(t.subsidy) + Number(r.subsidy)),
        }),
        { n: 0, estimated: '0', subsidy: '0' },
      );
      return {
        byDistrict: byArea.map((r) => row(r.key, areaLabel(r.key).split(' ').pop() || r.key, r)),
        byUnitType: byType.map((r) => row(r.key, r.key, r)),
        total: row('total', '合计', total),
      };
    },
  };
}
export type ApplicationsService = ReturnType<typeof createApplicationsService>;

/** Only comments on sections of the type, trimmed, blanks dropped. */
function sanitizeComments(def: ApplicationTypeDef, comments: Record<string, string>): Record<string, string> {
  const ids = new Set(def.sections.map((s) => s.id));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(comments)) {
    if (!ids.has(k)) throw fieldError('VALIDATION_FAILED', `comments.${k}`, '修改意见对应的填报项不存在');
    if (v.trim()) out[k] = v.trim();
  }
  return out;
}
