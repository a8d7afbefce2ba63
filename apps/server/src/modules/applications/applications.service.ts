import {
  APPLICATION_TYPES,
  type ApplicationData,
  type ApplicationTypeDef,
  applyPlanChange,
  COMPLETION_DUE_WORKING_DAYS,
  canTransition,
  checkSectionDraft,
  IMAGE_MIMES,
  isBlank,
  type TApplicationListQuery,
  type TApplicationStatus,
  type TAttachment,
  type TBatchInput,
} from '@cpe/shared';
import { platformDay, platformDayEnd } from '@cpe/shared/platform-zone';
import type { Executor } from '../../db/client.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { uniqueViolation } from '../../lib/pg-errors.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import { checkUpload } from '../files/uploads.js';
import {
  type ApplicationCore,
  type ApplicationDeps,
  createApplicationCore,
  type Filer,
  type ProjectReviewer,
  stateError,
  typeOf,
} from './application-core.js';
import { createApplicationReviewService } from './application-review.service.js';
import type { ApplicationRow, BatchRow } from './applications.repo.js';
import type { ApprovalEffect } from './effects.js';

export type { ApplicationDeps, Filer, ProjectReviewer, Reviewer } from './application-core.js';

/** A live child of a parent (counts against `once`): anything not ended by 审核不通过. */
const LIVE = (s: string) => s !== 'rejected';
/** An open child (one at a time for 计划变化): not yet decided. */
const OPEN = (s: string) => s !== 'rejected' && s !== 'approved';
/** A draft opened by 新增申报 and never saved: not listed, not counted, opened again by the next 新增申报. */
const untouched = (a: ApplicationRow) => a.status === 'draft' && !a.savedAt;

/**
 * 申报 (filing) of every application type: drafts saved section by section, submission with numbering and its
 * review chain, 撤回, and the types that follow an approved one (开班方案 → 计划变化 / 结业). The review side
 * (审核 at each step of the chain) is `application-review.service.ts`; both share `application-core.ts`.
 */
export function createApplicationsService(deps: ApplicationDeps) {
  const { db, repo, files, clock, audit } = deps;
  const core: ApplicationCore = createApplicationCore(deps);
  const { batchView, batchMap, batchOf, actionsOf, listCore, publicDetail, columnsOf, transition } = core;

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

  /** 结业上报 is due 15 working days after the class's 结业日期, at the end of that day (platform's zone). */
  async function completionDue(classPlan: Pick<ApplicationRow, 'data'>, ex?: Executor): Promise<Date | null> {
    const end = (classPlan.data as ApplicationData).basic?.endDate;
    if (typeof end !== 'string' || !end) return null;
    const day = await deps.calendar.addWorkingDays(end, COMPLETION_DUE_WORKING_DAYS, ex);
    return platformDayEnd(day);
  }

  /** Why `filer` may not file `def` under `parent` now (null: it may). */
  async function parentRefusal(def: ApplicationTypeDef, filer: Filer, parent: ApplicationRow | undefined) {
    if (!def.parent) return null;
    if (!parent || !owns(filer, parent) || parent.type !== def.parent.type) return '所选项目不存在或不属于本单位';
    if (parent.status !== 'approved') return '所选项目尚未审核通过';
    const siblings = (await repo.children(db, parent.id)).filter((c) => c.type === def.key && !untouched(c));
    if (def.parent.once && siblings.some((c) => LIVE(c.status))) return `该项目已上报${def.label}`;
    if (!def.parent.once && siblings.some((c) => OPEN(c.status))) return `该项目有一份${def.label}尚未审核完成`;
    if (def.key === 'completion') {
      const end = (parent.data as ApplicationData).basic?.endDate;
      if (typeof end === 'string' && platformDay(clock.now()) <= end) return `结业日期（${end}）之后方可上报结业`;
    }
    // 计划变化 only until 结业 is reported.
    if (
      def.key === 'plan-change' &&
      (await repo.children(db, parent.id)).some((c) => c.type === 'completion' && LIVE(c.status) && c.firstSubmittedAt)
    )
      return '该项目已上报结业，不能再上报计划变化';
    return null;
  }

  /** 照片 fields take JPG and PNG only: the type stored with each file is checked, not the one the browser sent. */
  async function checkImages(section: ApplicationTypeDef['sections'][number], values: Record<string, unknown>) {
    for (const f of section.fields) {
      if (f.kind !== 'files' || f.accept !== 'images' || !Array.isArray(values[f.name])) continue;
      for (const a of values[f.name] as TAttachment[]) {
        const meta = await files.meta(a.fileId);
        if (!meta || !IMAGE_MIMES.includes(meta.mime)) {
          const message = `${f.label}只能上传JPG或PNG图片`;
          throw new AppError('VALIDATION_FAILED', { message, fields: { [`${section.id}.${f.name}`]: message } });
        }
      }
    }
  }

  const batchConflict = (err: unknown) =>
    uniqueViolation(err) === 'application_batches_uq' ? new AppError('APPLICATION_BATCH_EXISTS') : undefined;

  /** 计划变化 approved: the 开班方案 takes the new values; the version before is kept with the event. */
  const applyChange: ApprovalEffect = async ({ tx, app, parent, actor, now }) => {
    if (!parent) throw new AppError('INTERNAL_ERROR');
    const locked = await repo.forUpdate(tx, parent.id);
    if (!locked) throw new AppError('INTERNAL_ERROR');
    const before = locked.data as ApplicationData;
    const after = applyPlanChange(before, app.data as ApplicationData);
    const classDef = typeOf(locked.type);
    await repo.update(tx, locked.id, { data: after, ...columnsOf(classDef, after) });
    await repo.insertEvent(tx, {
      applicationId: locked.id,
      action: 'amend',
      round: locked.round,
      actorType: actor.actorType,
      actorId: actor.actorId,
      actorName: actor.actorName,
      departmentName: actor.departmentName,
      reason: `计划变化情况上报 ${app.number ?? ''}`.trim(),
      snapshot: before,
      at: now,
    });
    // A 结业上报 already drafted follows the new 结业日期.
    for (const c of await repo.children(tx, locked.id))
      if (c.type === 'completion') {
        const due = await completionDue({ data: after }, tx);
        await repo.update(tx, c.id, { dueAt: due });
      }
  };
  core.effects.set('plan-change', [applyChange]);

  const review = createApplicationReviewService(deps, core);

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
          return {
            key: t.key,
            label: t.label,
            menuLabel: t.menuLabel,
            batched: t.batched,
            parentType: t.parent?.type ?? null,
            batch: t.batched && current ? batchView(current) : null,
          };
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
          ...listCore(r, batchOf(r, batches)),
          actions: actionsOf(r, batchOf(r, batches)),
        })),
        total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },

    /**
     * For a type that follows an approved one: the filer's approved parents, each with what has been filed under
     * it and whether a new filing may start now (开班方案上报 lists the approved projects not yet opened …).
     */
    async candidates(filer: Filer, type: string) {
      const def = typeOf(type);
      if (!def.parent) return { items: [] };
      const parents = await repo.approvedOfFiler(db, {
        unitId: filer.unitId ?? undefined,
        orgNodeId: filer.orgNodeId ?? undefined,
        type: def.parent.type,
      });
      const items = [];
      for (const p of parents) {
        const children = (await repo.children(db, p.id)).filter((c) => c.type === type && !untouched(c));
        const refusal = await parentRefusal(def, filer, p);
        const due = type === 'completion' ? await completionDue(p) : null;
        const reported = children.some((c) => c.firstSubmittedAt);
        items.push({
          id: p.id,
          number: p.number,
          projectName: p.projectName,
          heldFrom: p.heldFrom,
          heldTo: p.heldTo,
          hostUnit: p.hostUnit,
          children: children.map((c) => core.listCore(c, undefined)),
          canFile: refusal === null,
          refusal,
          dueAt: due?.toISOString() ?? null,
          overdue: Boolean(due && !reported && clock.now() > due),
        });
      }
      return { items };
    },

    /** 新增申报: a draft (in the batch open now, for batched types), prefilled from the filer and the parent. */
    async create(filer: Filer, type: string, meta: RequestMeta, parentId?: string) {
      const def = typeOf(type);
      if (!def.filers.includes(filer.kind)) throw new AppError('APPLICATION_FILER_FORBIDDEN');
      const now = clock.now();
      let batch: BatchRow | undefined;
      let year = Number(platformDay(now).slice(0, 4));
      if (def.batched) {
        const batches = await repo.batches(db, type);
        batch = batches.find((b) => now >= b.opensAt && now <= b.deadline);
        if (!batch) {
          const closed = batches.find((b) => b.opensAt <= now);
          throw closed && closed.year >= now.getUTCFullYear()
            ? new AppError('APPLICATION_DEADLINE_PASSED', { message: '本年度申报已截止，不能新增申报' })
            : new AppError('APPLICATION_NOT_OPEN');
        }
        year = batch.year;
      }
      if (def.parent && !parentId)
        throw fieldError('APPLICATION_PARENT_REQUIRED', 'parentId', '请选择已审核通过的项目');
      if (!def.parent && parentId) throw fieldError('VALIDATION_FAILED', 'parentId', `${def.label}不需要选择项目`);
      // A draft this filer opened here before and never saved is opened again: 新增申报 then leaving adds no row.
      const reopened = await repo.untouchedDraft(db, {
        unitId: filer.unitId,
        orgNodeId: filer.orgNodeId,
        type,
        parentId: parentId ?? null,
        batchId: batch?.id ?? null,
      });
      if (reopened) return publicDetail(reopened);
      let parent: ApplicationRow | undefined;
      if (def.parent) {
        parent = await repo.byId(db, parentId as string);
        const refusal = await parentRefusal(def, filer, parent);
        if (refusal) throw fieldError('APPLICATION_PARENT_INVALID', 'parentId', refusal);
        year = (parent as ApplicationRow).year;
      }
      const data = prefillOf(def, filer);
      if (parent && def.prefillFromParent)
        for (const [sid, values] of Object.entries(
          def.prefillFromParent(await core.relatedData({ parentId: parent.id })),
        ))
          data[sid] = { ...(data[sid] ?? {}), ...values };
      const dueAt = def.key === 'completion' && parent ? await completionDue(parent) : null;
      const app = await db.transaction(async (tx) => {
        const row = await repo.insert(tx, {
          type,
          year,
          batchId: batch?.id ?? null,
          parentId: parent?.id ?? null,
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
          dueAt,
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
          summary: { type, year, parentId: parent?.id ?? null },
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
      for (const [key, message] of Object.entries(def.forbiddenFields ?? {}))
        if (key in values)
          throw new AppError('APPLICATION_FIELD_LOCKED', { message, fields: { [`${sectionId}.${key}`]: message } });
      // Values the server computes (the 学员名单's totals) are never taken from the browser.
      const computed = section.fields.filter((f) => f.kind === 'trainees').map((f) => f.name);
      const typed = Object.fromEntries(Object.entries(values).filter(([k]) => !computed.includes(k)));
      const checked = checkSectionDraft(section, typed);
      if (!checked.ok) {
        const first = Object.values(checked.errors)[0] as string;
        throw new AppError('VALIDATION_FAILED', { message: first, fields: checked.errors });
      }
      await checkImages(section, checked.values);
      const app = await db.transaction(async (tx) => {
        const row = await repo.forUpdate(tx, id);
        if (!row || !owns(filer, row)) throw new AppError('APPLICATION_FORBIDDEN');
        if (!canTransition('edit', row.status as TApplicationStatus)) throw stateError('edit', row.status);
        const kept = Object.fromEntries(
          computed.map((k) => [k, (row.data as ApplicationData)[sectionId]?.[k]]).filter(([, v]) => v !== undefined),
        );
        const data = { ...(row.data as ApplicationData), [sectionId]: { ...checked.values, ...kept } };
        return repo.update(tx, id, { data, ...columnsOf(def, data), savedAt: row.savedAt ?? clock.now() });
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
      const missing = await core.missingOf(def, app);
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
          } else if (def.batched) {
            const batch = row.batchId ? await repo.batchById(tx, row.batchId) : undefined;
            if (!batch || now < batch.opensAt) throw new AppError('APPLICATION_NOT_OPEN');
            if (now > batch.deadline) throw new AppError('APPLICATION_DEADLINE_PASSED');
          }
          if (def.parent) {
            // The parent may have changed since the draft began (another filing under it, a decision).
            const parent = row.parentId ? await repo.byId(tx, row.parentId) : undefined;
            if (parent?.status !== 'approved')
              throw fieldError('APPLICATION_PARENT_INVALID', 'parentId', '所选项目不再是审核通过状态');
          }
          const number = row.number ?? def.number(row.year, await repo.nextSequence(tx, def.typeCode, row.year));
          const round = row.round + 1;
          // A resubmission goes back to the step that returned it; a first (or withdrawn) one starts the chain.
          const resumed = row.status === 'returned';
          const chain = resumed ? core.chainOf(row) : core.resolveChain(def, filer);
          const step = resumed ? row.step : 0;
          await repo.insertEvent(tx, {
            applicationId: id,
            action: row.round === 0 ? 'submit' : 'resubmit',
            round,
            step,
            level: chain[step]?.level ?? 'city',
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
            chain,
            step,
            reviewNodes: chain.map((c) => c.nodeId).filter((n): n is string => n !== null),
            reviewStartedAt: null,
            returnDeadline: row.status === 'returned' ? row.returnDeadline : null,
          };
        },
        mustOwn(filer),
      );
      return publicDetail(updated);
    },

    /** 撤回: only before a reviewer has opened it in this round. */
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

    /** For the routes and other modules: an application the filer owns. */
    own: loadOwn,
    /** The approved applications above a row (for a 结业上报: its 开班方案 and the 市级高级研修项目). */
    related: (app: Pick<ApplicationRow, 'parentId'>) => core.related(app),

    /** A value the server computes into the data (the 学员名单's totals), inside the caller's transaction. */
    async setComputed(tx: Executor, id: string, sectionId: string, field: string, value: unknown) {
      const row = await repo.forUpdate(tx, id);
      if (!row) throw new AppError('NOT_FOUND', { message: '申报书不存在' });
      if (!canTransition('edit', row.status as TApplicationStatus)) throw stateError('edit', row.status);
      const data = row.data as ApplicationData;
      const next = { ...data, [sectionId]: { ...(data[sectionId] ?? {}), [field]: value } };
      if (isBlank(value)) delete (next[sectionId] as Record<string, unknown>)[field];
      return repo.update(tx, id, { data: next, ...columnsOf(typeOf(row.type), next) });
    },

    /**
     * The next number of a consecutive sequence per code and year (certificates, base numbers); with `count`, the
     * first of a block of that many (one statement for a whole 学员名单).
     */
    nextNumber: (tx: Executor, code: string, year: number, count = 1) => repo.nextSequence(tx, code, year, count),

    /** Registers what the final 审核通过 of a type does, run inside the approving transaction. */
    onApproved(type: string, effect: ApprovalEffect) {
      typeOf(type);
      core.effects.set(type, [...(core.effects.get(type) ?? []), effect]);
    },

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
      // The renderer (pdf-lib, fontkit) is loaded with the first PDF asked for, not at start (issue 22).
      const { renderApplicationPdf } = await import('./application-pdf.js');
      return renderApplicationPdf({
        def,
        year: app.year,
        number: app.number,
        statusLabel: core.listCore(app, undefined).stageLabel,
        filerName: app.filerName,
        projectName: app.projectName,
        data: app.data as ApplicationData,
        generatedAt: clock.now(),
        platformName: deps.platformName,
        submittedAt: app.submittedAt,
      });
    },

    ...review,
  };
}
export type ApplicationsService = ReturnType<typeof createApplicationsService>;
