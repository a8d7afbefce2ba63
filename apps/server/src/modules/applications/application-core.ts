import {
  APPLICATION_STAGE_LABELS,
  APPLICATION_STATUS_LABELS,
  type ApplicationData,
  type ApplicationTypeDef,
  applicationType,
  areaLabel,
  type ChainStep,
  canTransition,
  checkComplete,
  diffData,
  type FieldErrors,
  type FilerKind,
  REVIEW_LEVEL_LABELS,
  type RelatedData,
  stageOf,
  type TApplicationAction,
  type TApplicationDetail,
  type TApplicationStatus,
  type TBatch,
  type TReviewRound,
} from '@cpe/shared';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { FilesService } from '../files/files.service.js';
import type { NotifyService } from '../notify/notify.service.js';
import type { ApplicationEventRow, ApplicationRow, ApplicationsRepo, BatchRow } from './applications.repo.js';
import type { ApprovalEffect } from './effects.js';

/** The transitions that change or end the record, each audited as `application.${action}`; 修改 (edit) is not one. */
export type AuditedTransition = Exclude<TApplicationAction, 'edit'>;

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
  /** The nodes that review for this filer at each level of a chain (absent: the level is skipped). */
  chainNodes: { department?: { id: string; name: string }; district?: { id: string; name: string } };
}

/** Who opens 申报批次 (市人社局). */
export interface ProjectReviewer {
  actorId: string;
  actorName: string;
  departmentName: string;
}

/** A reviewer at one level of a chain: a 主管部门 (portal), a 区县人社局 or 市人社局 (console). */
export interface Reviewer extends ProjectReviewer {
  level: ChainStep['level'];
  /** The 主管部门 or 区县人社局 node; null for 市人社局 (every application at its 市人社局 step). */
  nodeId: string | null;
  actorType: 'account' | 'staff';
}

export interface ApplicationDeps {
  db: Db;
  repo: ApplicationsRepo;
  files: FilesService;
  clock: Clock;
  audit: AuditRepo;
  platformName: string;
  cityBureauName: string;
  /** The working-day calendar: 结业上报 is due 15 working days after 结业日期. */
  calendar: { addWorkingDays(day: string, n: number, ex?: Executor): Promise<string> };
  /** 消息中心: the unit filer hears of 退回修改 and the final decision. */
  notify: NotifyService;
}

export const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

export function typeOf(key: string): ApplicationTypeDef {
  const def = applicationType(key);
  if (!def) throw new AppError('NOT_FOUND', { message: '申报类型不存在' });
  return def;
}

const ACTION_VERBS: Record<TApplicationAction, string> = {
  edit: '修改',
  submit: '提交',
  withdraw: '撤回',
  delete: '删除',
  return: '退回修改',
  approve: '审核通过',
  reject: '审核不通过',
};
export const stateError = (action: TApplicationAction, status: string) =>
  new AppError('APPLICATION_STATE', {
    message: `申报书${APPLICATION_STATUS_LABELS[status as TApplicationStatus] ?? status}，不能${ACTION_VERBS[action]}`,
  });

const ROUND_LABELS: Record<TReviewRound['action'], string> = {
  submit: '提交申报',
  resubmit: '修改后重新提交',
  withdraw: '已撤回',
  return: '已退回',
  approve: '审核通过',
  reject: '审核不通过',
  amend: '计划变化生效',
};

/** 申报截止时间 that applies to the row now: the reviewer's for a returned one, else the batch's. */
export const deadlineOf = (app: ApplicationRow, batch: BatchRow | undefined) =>
  app.status === 'returned' ? app.returnDeadline : (batch?.deadline ?? null);

/**
 * What the filing and the review services share: views of a row, its chain, its related applications,
 * and the one transaction every transition runs in (row lock, state table, audit).
 */
export function createApplicationCore(deps: ApplicationDeps) {
  const { db, repo, clock, audit } = deps;
  const effects = new Map<string, ApprovalEffect[]>();
  const cityStep: ChainStep = { level: 'city', nodeId: null, name: deps.cityBureauName };

  /** The chain resolved at submission; rows filed before chains existed were reviewed by 市人社局 alone. */
  function chainOf(app: Pick<ApplicationRow, 'chain'>): ChainStep[] {
    const c = app.chain as ChainStep[];
    return Array.isArray(c) && c.length ? c : [cityStep];
  }

  function resolveChain(def: ApplicationTypeDef, filer: Filer): ChainStep[] {
    const out: ChainStep[] = [];
    for (const level of def.reviewChain) {
      if (level === 'city') out.push(cityStep);
      else {
        const node = filer.chainNodes[level];
        if (node) out.push({ level, nodeId: node.id, name: node.name });
      }
    }
    return out.length ? out : [cityStep];
  }

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
  const batchOf = (app: ApplicationRow, batches: Map<string, BatchRow>) =>
    app.batchId ? batches.get(app.batchId) : undefined;

  function actionsOf(app: ApplicationRow, batch: BatchRow | undefined) {
    const now = clock.now();
    const status = app.status as TApplicationStatus;
    const def = typeOf(app.type);
    const deadline = deadlineOf(app, batch);
    const inTime =
      app.status === 'returned'
        ? Boolean(deadline && now <= deadline)
        : !def.batched || Boolean(batch && deadline && now >= batch.opensAt && now <= deadline);
    return {
      edit: canTransition('edit', status),
      submit: canTransition('submit', status) && inTime,
      withdraw: canTransition('withdraw', status) && !app.reviewStartedAt,
      delete: canTransition('delete', status),
    };
  }

  /** 逾期: a report with its own due date not submitted by then (or submitted after it). */
  function overdue(app: ApplicationRow): boolean {
    if (!app.dueAt) return false;
    const first = app.firstSubmittedAt;
    return first ? first > app.dueAt : clock.now() > app.dueAt;
  }

  function listCore(app: ApplicationRow, batch: BatchRow | undefined) {
    const status = app.status as TApplicationStatus;
    const stage = stageOf(status, chainOf(app), app.step);
    return {
      id: app.id,
      type: app.type,
      number: app.number,
      status,
      stage,
      stageLabel: APPLICATION_STAGE_LABELS[stage],
      parentId: app.parentId,
      year: app.year,
      projectName: app.projectName,
      heldFrom: app.heldFrom,
      heldTo: app.heldTo,
      hostUnit: app.hostUnit,
      filerName: app.filerName,
      submittedAt: iso(app.submittedAt),
      deadline: iso(deadlineOf(app, batch)),
      dueAt: iso(app.dueAt),
      overdue: overdue(app),
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
      level: (e.level as ChainStep['level'] | null) ?? null,
      levelLabel: e.level ? REVIEW_LEVEL_LABELS[e.level as ChainStep['level']] : null,
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

  /** Each step of the chain and where the application stands on it (the timeline's head). */
  function chainView(app: ApplicationRow) {
    const chain = chainOf(app);
    const submitted = app.status !== 'draft' && app.round > 0;
    return chain.map((s, i) => {
      let state: 'done' | 'current' | 'waiting' | 'returned' | 'rejected' = 'waiting';
      if (submitted) {
        if (i < app.step || (i === app.step && app.status === 'approved')) state = 'done';
        else if (i === app.step && app.status === 'pending') state = 'current';
        else if (i === app.step && app.status === 'returned') state = 'returned';
        else if (i === app.step && app.status === 'rejected') state = 'rejected';
      }
      return { level: s.level, levelLabel: REVIEW_LEVEL_LABELS[s.level], name: s.name, state };
    });
  }

  /** The approved applications above a row: its parent and the 市级高级研修项目 at the root. */
  async function related(app: Pick<ApplicationRow, 'parentId'>, ex: Executor = db) {
    const parent = app.parentId ? await repo.byId(ex, app.parentId) : undefined;
    const project = parent?.parentId ? await repo.byId(ex, parent.parentId) : parent;
    return { parent, project };
  }
  async function relatedData(app: Pick<ApplicationRow, 'parentId'>): Promise<RelatedData> {
    const r = await related(app);
    return {
      parent: r.parent?.data as ApplicationData | undefined,
      project: r.project?.data as ApplicationData | undefined,
    };
  }

  /** What a submission still needs: the type's own rules and its rules against the approved data above it. */
  async function missingOf(def: ApplicationTypeDef, app: ApplicationRow): Promise<FieldErrors> {
    const data = app.data as ApplicationData;
    const own = checkComplete(def, data);
    if (!def.checkRelated) return own;
    const rel = def.checkRelated(data, await relatedData(app));
    for (const [k, m] of Object.entries(rel)) own[k] ??= m;
    return own;
  }

  /** Earlier versions of a 开班方案 changed by approved 计划变化, each with what changed. */
  function versionsOf(def: ApplicationTypeDef, app: ApplicationRow, events: ApplicationEventRow[]) {
    const amends = events.filter((e) => e.action === 'amend');
    return amends.map((e, i) => {
      const after = (amends[i + 1]?.snapshot ?? app.data) as ApplicationData;
      return {
        at: e.at.toISOString(),
        reason: e.reason,
        changes: diffData(def, (e.snapshot ?? {}) as ApplicationData, after),
      };
    });
  }

  async function detail(app: ApplicationRow): Promise<TApplicationDetail & { events: ApplicationEventRow[] }> {
    const def = typeOf(app.type);
    const batch = app.batchId ? await repo.batchById(db, app.batchId) : undefined;
    const events = await repo.events(db, app.id);
    const data = app.data as ApplicationData;
    const lastReturn = [...events].reverse().find((e) => e.action === 'return');
    const commented =
      app.status === 'returned' && lastReturn
        ? Object.entries((lastReturn.comments ?? {}) as Record<string, string>)
            .filter(([, t]) => t.trim() !== '')
            .map(([s]) => s)
        : [];
    const parent = app.parentId ? await repo.byId(db, app.parentId) : undefined;
    return {
      ...listCore(app, batch),
      label: def.label,
      filerKind: app.filerKind as FilerKind,
      filerAreaLabel: areaLabel(app.filerArea),
      filerUnitType: app.filerUnitType,
      data,
      missing: await missingOf(def, app),
      commentedSections: commented,
      history: historyOf(events),
      chain: chainView(app),
      parent: parent
        ? {
            id: parent.id,
            type: parent.type,
            label: typeOf(parent.type).label,
            number: parent.number,
            projectName: parent.projectName,
            data: parent.data as ApplicationData,
          }
        : null,
      versions: versionsOf(def, app, events),
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

  async function transition(
    actor: { actorType: 'account' | 'staff'; actorId: string },
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
        actorType: actor.actorType,
        actorId: actor.actorId,
        action: `application.${action}`,
        targetType: 'application',
        targetId: id,
        ip: meta.ip,
        userAgent: meta.userAgent,
        summary: {
          type: app.type,
          from: app.status,
          to: updated.status,
          step: updated.step,
          number: updated.number,
          round: updated.round,
        },
      });
      return updated;
    });
  }

  return {
    effects,
    chainOf,
    resolveChain,
    batchView,
    batchMap,
    batchOf,
    actionsOf,
    listCore,
    historyOf,
    related,
    relatedData,
    missingOf,
    detail,
    publicDetail,
    columnsOf,
    transition,
  };
}
export type ApplicationCore = ReturnType<typeof createApplicationCore>;
