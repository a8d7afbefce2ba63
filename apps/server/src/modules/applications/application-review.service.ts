import {
  type ApplicationData,
  type ApplicationTypeDef,
  areaLabel,
  diffData,
  type FilerKind,
  fenToWanText,
  nextStep,
  type TApplicationAction,
  type TApplicationReview,
  type TApplicationReviewQuery,
  type TReturnRequest,
} from '@cpe/shared';
import { platformDateTime } from '@cpe/shared/platform-zone';
import type { Executor } from '../../db/client.js';
import { AppError, fieldError } from '../../lib/errors.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import { writeWorkbook } from '../../lib/xlsx-writer.js';
import type { MessageEvent } from '../notify/templates.js';
import { APPLICATION_MENU_KEYS } from '../notify/templates.js';
import { type ApplicationCore, type ApplicationDeps, type Reviewer, stateError, typeOf } from './application-core.js';
import type { ApplicationRow } from './applications.repo.js';

const EXPORT_LIMIT = 20_000;

/**
 * 审核 at every step of a chain: a 主管部门 in its 单位中心, a 区县人社局 and 市人社局 in the console. A reviewer
 * sees what passes through its node (市人社局: everything submitted) and acts only at its own step.
 */
export function createApplicationReviewService(deps: ApplicationDeps, core: ApplicationCore) {
  const { db, repo, clock, audit, notify } = deps;
  const { batchMap, batchOf, listCore, detail, publicDetail, transition } = core;

  /**
   * The filer hears of 退回修改 and of the final decision in 消息中心, with a link to the 申报书 in 单位中心. Only a
   * unit's administrator has portal messages: a 区县人社局 files from the console, and staff have none, so its
   * filings are not announced here.
   */
  async function announce(tx: Executor, app: ApplicationRow, event: MessageEvent, params: Record<string, string>) {
    if (app.filerKind !== 'unit' || app.createdByType !== 'account') return;
    const menu = APPLICATION_MENU_KEYS[app.type];
    await notify.event(tx, {
      accountId: app.createdById,
      event,
      params: {
        typeLabel: typeOf(app.type).menuLabel,
        projectName: app.projectName || app.number || '未命名',
        ...params,
      },
      link: menu ? `/unit-center/${menu}/${app.id}` : '/unit-center',
    });
  }

  /** In this reviewer's scope: 市人社局 sees every submitted application; a node what its chain names. */
  function inScope(reviewer: Reviewer, app: ApplicationRow): boolean {
    if (app.status === 'draft') return false;
    if (reviewer.level === 'city') return true;
    return reviewer.nodeId !== null && (app.reviewNodes ?? []).includes(reviewer.nodeId);
  }
  function canAct(reviewer: Reviewer, app: ApplicationRow): boolean {
    if (app.status !== 'pending') return false;
    const step = core.chainOf(app)[app.step];
    return step?.level === reviewer.level && (reviewer.level === 'city' || step.nodeId === reviewer.nodeId);
  }
  /** A reviewer outside the chain's nodes gets 403; one inside it, at another step, learns whose turn it is. */
  function assertActs(reviewer: Reviewer, app: ApplicationRow, action: TApplicationAction) {
    if (!inScope(reviewer, app)) throw new AppError('APPLICATION_REVIEWER_FORBIDDEN');
    if (app.status !== 'pending') throw stateError(action, app.status);
    if (!canAct(reviewer, app)) {
      const step = core.chainOf(app)[app.step];
      throw new AppError('APPLICATION_STATE', { message: `该申报书当前由${step?.name ?? '上级'}审核` });
    }
  }
  async function loadVisible(reviewer: Reviewer, id: string): Promise<ApplicationRow> {
    const app = await repo.byId(db, id);
    if (!app || app.status === 'draft') throw new AppError('NOT_FOUND', { message: '申报书不存在' });
    if (!inScope(reviewer, app)) throw new AppError('APPLICATION_REVIEWER_FORBIDDEN');
    return app;
  }

  return {
    /** For the routes: a submitted application this reviewer may see (PDF, attachments). */
    visible: loadVisible,
    async reviewList(reviewer: Reviewer, q: TApplicationReviewQuery) {
      typeOf(q.type);
      const { rows, counts, total } = await repo.reviewList(db, q, reviewer.nodeId);
      const batches = await batchMap();
      return {
        items: rows.map((r) => ({
          ...listCore(r, batchOf(r, batches)),
          actionable: canAct(reviewer, r),
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

    /**
     * The review screen of any reviewer whose chain the application passes through; opening it at one's own
     * step starts the review (撤回 is then refused).
     */
    async review(reviewer: Reviewer, id: string): Promise<TApplicationReview> {
      let app = await loadVisible(reviewer, id);
      const mine = canAct(reviewer, app);
      if (mine && !app.reviewStartedAt) app = await repo.update(db, id, { reviewStartedAt: clock.now() });
      const def = typeOf(app.type);
      const { events, ...d } = await detail(app);
      const submissions = events.filter((e) => e.action === 'submit' || e.action === 'resubmit');
      const previous = submissions.length >= 2 ? submissions[submissions.length - 2] : undefined;
      const pending = mine;
      return {
        ...d,
        diff: previous
          ? diffData(def, (previous.snapshot ?? {}) as ApplicationData, app.data as ApplicationData)
          : null,
        draftComments: (app.reviewDraft ?? {}) as Record<string, string>,
        reviewActions: { return: pending, approve: pending, reject: pending },
      };
    },
    async saveDraftComments(reviewer: Reviewer, id: string, comments: Record<string, string>) {
      const app = await loadVisible(reviewer, id);
      assertActs(reviewer, app, 'return');
      const def = typeOf(app.type);
      const clean = sanitizeComments(def, comments);
      await repo.update(db, id, { reviewDraft: clean });
      return { ok: true as const };
    },

    /** 退回修改: comments per section and a deadline for resubmission; no applicant-side validation. */
    async returnForChanges(reviewer: Reviewer, id: string, input: TReturnRequest, meta: RequestMeta) {
      const app = await loadVisible(reviewer, id);
      const def = typeOf(app.type);
      const comments = sanitizeComments(def, input.comments);
      if (Object.keys(comments).length === 0)
        throw fieldError('VALIDATION_FAILED', 'comments', '请至少对一个填报项填写修改意见');
      const now = clock.now();
      const deadline = new Date(input.deadline);
      if (deadline <= now) throw fieldError('VALIDATION_FAILED', 'deadline', '修改截止时间应晚于当前时间');
      const updated = await transition(
        reviewer,
        id,
        'return',
        meta,
        async (tx, row) => {
          await repo.insertEvent(tx, {
            applicationId: id,
            action: 'return',
            round: row.round,
            step: row.step,
            level: reviewer.level,
            actorType: reviewer.actorType,
            actorId: reviewer.actorId,
            actorName: reviewer.actorName,
            departmentName: reviewer.departmentName,
            contactName: input.contactName,
            contactPhone: input.contactPhone,
            comments,
            deadline,
            at: now,
          });
          await announce(tx, row, 'application-returned', {
            reviewerName: reviewer.departmentName || reviewer.actorName,
            deadline: platformDateTime(deadline),
          });
          return { status: 'returned', returnDeadline: deadline, reviewDraft: {}, decidedAt: null };
        },
        (row) => assertActs(reviewer, row, 'return'),
      );
      return publicDetail(updated);
    },

    /**
     * 审核通过 at a step moves the application to the next step of its chain; at the last step it is approved and
     * the type's effects run in the same transaction (计划变化 rewrites its 开班方案, 结业 issues certificates …).
     */
    async decide(reviewer: Reviewer, id: string, decision: 'approve' | 'reject', reason: string, meta: RequestMeta) {
      await loadVisible(reviewer, id);
      const now = clock.now();
      const updated = await transition(
        reviewer,
        id,
        decision,
        meta,
        async (tx, row) => {
          await repo.insertEvent(tx, {
            applicationId: id,
            action: decision,
            round: row.round,
            step: row.step,
            level: reviewer.level,
            actorType: reviewer.actorType,
            actorId: reviewer.actorId,
            actorName: reviewer.actorName,
            departmentName: reviewer.departmentName,
            reason: reason || null,
            at: now,
          });
          if (decision === 'reject') {
            await announce(tx, row, 'application-rejected', { reason: reason || '未填写' });
            return { status: 'rejected', decidedAt: now, reason: reason || null, reviewDraft: {} };
          }
          const next = nextStep(core.chainOf(row), row.step);
          if (next !== null) return { step: next, reviewDraft: {} };
          for (const effect of core.effects.get(row.type) ?? [])
            await effect({ tx, app: row, ...(await core.related(row, tx)), actor: reviewer, meta, now });
          await announce(tx, row, 'application-approved', {});
          return { status: 'approved', decidedAt: now, reason: reason || null, reviewDraft: {} };
        },
        (row) => assertActs(reviewer, row, decision),
      );
      return publicDetail(updated);
    },

    /** 导出: the filtered list as Excel (amounts in 万元), audited. */
    async export(reviewer: Reviewer, q: TApplicationReviewQuery, meta: RequestMeta): Promise<Buffer> {
      const def = typeOf(q.type);
      const rows = await repo.reviewAll(db, q, EXPORT_LIMIT, reviewer.nodeId);
      let estimated = 0;
      let subsidy = 0;
      const wan = (fen: number | null) => (fen === null ? '' : Number(fenToWanText(fen)));
      const body = rows.map((r, i) => {
        estimated += r.estimatedFen ?? 0;
        subsidy += r.subsidyFen ?? 0;
        return [
          i + 1,
          r.number ?? '',
          r.projectName,
          r.year,
          r.heldFrom ? (r.heldFrom === r.heldTo ? r.heldFrom : `${r.heldFrom} 至 ${r.heldTo}`) : '',
          r.filerName,
          areaLabel(r.filerArea),
          r.filerUnitType,
          r.hostUnit,
          wan(r.estimatedFen),
          wan(r.subsidyFen),
          r.submittedAt,
          listCore(r, undefined).stageLabel,
        ];
      });
      const total = ['合计', '', `${rows.length}项`, '', '', '', '', '', '', wan(estimated), wan(subsidy)];
      const data = await writeWorkbook([
        {
          name: def.label,
          columns: [
            { header: '序号', width: 6 },
            { header: '编号', width: 20 },
            { header: '项目名称', width: 36 },
            { header: '年度', width: 8 },
            { header: '举办时间', width: 24 },
            { header: '申报单位', width: 30 },
            { header: '所在区县', width: 20 },
            { header: '单位类型', width: 14 },
            { header: '承办单位', width: 30 },
            { header: '预计费用（万元）', width: 14, kind: 'decimal' },
            { header: '需资助费用（万元）', width: 16, kind: 'decimal' },
            { header: '提交时间', width: 20, kind: 'datetime' },
            { header: '状态', width: 10 },
          ],
          rows: [...body, total],
          style: (ws) => {
            ws.getRow(body.length + 2).font = { bold: true };
          },
        },
      ]);
      await audit.record(db, {
        actorType: reviewer.actorType,
        actorId: reviewer.actorId,
        action: 'application.export',
        targetType: 'application',
        ip: meta.ip,
        userAgent: meta.userAgent,
        summary: { rows: rows.length, filter: q },
      });
      return data;
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
