import crypto from 'node:crypto';
import { maskIdNumber } from '@cpe/shared';
import { platformDay } from '@cpe/shared/platform-zone';
import {
  CREDIT_ENTRY_ACTION_LABELS,
  CREDIT_ENTRY_STATUS_LABELS,
  creditEntryNext,
  creditMaxHours,
  type TCreditClaimInput,
  type TCreditEntry,
  type TCreditEntryAction,
  type TCreditReviewItem,
  type TCreditReviewList,
  type TCreditReviewQuery,
  type TCreditStandard,
} from '@cpe/shared/schemas/credits';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { FilesService } from '../files/files.service.js';
import type { NotifyService } from '../notify/notify.service.js';
import type { ReviewerScope } from '../units/unit-review.service.js';
import type { CreditClaimsRepo, CreditQueueScope } from './credit-claims.repo.js';
import { entryViews, standardLabel, standardView } from './credit-views.js';
import type { CreditEntryRow } from './credits.repo.js';

export const CREDIT_EVIDENCE = 'credit-evidence';
export const CLAIM_SOURCE = 'claim';

type Actor = { type: 'account' | 'staff'; id: string; name: string };

/**
 * 学时登记: the person files (evidence, 学时 no more than the 学时折算标准 allows) → the confirmed 工作单位's
 * administrator confirms or returns → the bureau (by configuration: the unit's 区县人社局 or its 主管部门) 认定s or
 * returns. Every step is a transition of CREDIT_ENTRY_TRANSITIONS, recorded in credit_entry_events and audited.
 */
export function createCreditClaimsService(deps: {
  db: Db;
  repo: CreditClaimsRepo;
  files: FilesService;
  clock: Clock;
  pii: Pii;
  audit: AuditRepo;
  notify: NotifyService;
  /** The person's ID number hash and name. */
  holder: (accountId: string) => Promise<{ hash: string; realName: string } | null>;
  /** The person's confirmed 工作单位, if any. */
  currentUnit: (ex: Executor, accountId: string) => Promise<{ id: string; name: string } | undefined>;
  /** The approved unit the account administers, if any. */
  unitOfAdmin: (accountId: string) => Promise<{ id: string; name: string } | undefined>;
  /** The node that 认定s a unit's entries (null = 市人社局) and its name. */
  recognizerOf: (ex: Executor, unitId: string) => Promise<{ nodeId: string | null; name: string }>;
}) {
  const { db, repo, files, clock, pii, audit } = deps;

  async function holderOf(accountId: string) {
    const h = await deps.holder(accountId);
    if (!h) throw new AppError('CREDIT_NO_IDENTITY');
    return h;
  }

  async function own(ex: Executor, accountId: string, id: string) {
    const r = await repo.forUpdate(ex, id);
    if (!r || r.accountId !== accountId || r.source !== CLAIM_SOURCE)
      throw new AppError('CREDIT_NOT_FOUND', { message: '学时登记不存在' });
    return r;
  }

  /** Validates a claim against its standard and the person's evidence; returns the columns it sets. */
  async function checked(ex: Executor, accountId: string, idHash: string, input: TCreditClaimInput, exceptId?: string) {
    const standard = await repo.standards.byId(ex, input.standardId);
    if (!standard) throw fieldError('VALIDATION_FAILED', 'standardId', '请选择学习形式');
    if (!standard.active) throw fieldError('CREDIT_STANDARD_INACTIVE', 'standardId');
    if (input.endedOn > platformDay(clock.now())) throw fieldError('CREDIT_DATE_FUTURE', 'endedOn');
    const year = Number(input.endedOn.slice(0, 4));
    const used = (await repo.usedByForm(ex, idHash, year, exceptId)).get(standard.form) ?? 0;
    const max = creditMaxHours(
      { basis: standard.basis as 'day' | 'item', hours: standard.hours, yearlyCap: standard.yearlyCap },
      input.startedOn,
      input.endedOn,
      used,
    );
    if (input.hours > max) {
      const why =
        max === 0 && standard.yearlyCap !== null
          ? `${standardLabel(standard)}${year}年度已达上限${standard.yearlyCap}学时，不能再登记`
          : `按学时折算标准最多可登记${max}学时`;
      throw fieldError('CREDIT_HOURS_OVER', 'hours', why);
    }
    const ids = [...new Set(input.evidenceFileIds)];
    const meta = await repo.filesMeta(ex, ids);
    if (meta.length !== ids.length || meta.some((f) => f.purpose !== CREDIT_EVIDENCE || f.ownerAccountId !== accountId))
      throw fieldError('VALIDATION_FAILED', 'evidenceFileIds', '证明材料无效，请重新上传');
    return {
      year,
      category: standard.category,
      form: standard.form,
      title: input.title,
      hours: input.hours,
      startedOn: input.startedOn,
      endedOn: input.endedOn,
      host: input.host,
      content: input.content,
      standardId: standard.id,
      standardHours: max,
      evidenceFileIds: ids,
    };
  }

  /** Moves an entry by the transition table, with its history row and audit record, in the caller's transaction. */
  async function move(
    tx: Executor,
    r: CreditEntryRow,
    action: TCreditEntryAction,
    actor: Actor,
    meta: RequestMeta,
    opts: { reason?: string; set?: Partial<CreditEntryRow> } = {},
  ) {
    const to = creditEntryNext(action, r.status);
    if (!to) {
      const from = CREDIT_ENTRY_STATUS_LABELS[r.status as keyof typeof CREDIT_ENTRY_STATUS_LABELS] ?? r.status;
      throw new AppError('CREDIT_STATE', { message: `该学时记录${from}，不能${CREDIT_ENTRY_ACTION_LABELS[action]}` });
    }
    const now = clock.now();
    const updated = await repo.update(tx, r.id, {
      ...opts.set,
      status: to,
      reason: opts.reason ?? null,
      actedBy: actor.name,
      actedAt: now,
      updatedAt: now,
    });
    await repo.addEvents(tx, [
      {
        entryId: r.id,
        action,
        fromStatus: r.status,
        toStatus: to,
        actorType: actor.type,
        actorId: actor.id,
        actorName: actor.name,
        reason: opts.reason ?? null,
        at: now,
      },
    ]);
    await audit.record(tx, {
      actorType: actor.type,
      actorId: actor.id,
      action: `credit.${action}`,
      targetType: 'credit_entry',
      targetId: r.id,
      ip: meta.ip,
      userAgent: meta.userAgent,
      summary: { title: r.title, hours: r.hours, year: r.year, ...(opts.reason ? { reason: opts.reason } : {}) },
    });
    return updated;
  }

  async function one(id: string): Promise<TCreditEntry> {
    const r = await repo.byId(db, id);
    if (!r) throw new AppError('CREDIT_NOT_FOUND');
    return (await entryViews(db, repo, [r]))[0] as TCreditEntry;
  }

  async function reviewItems(
    rows: Awaited<ReturnType<CreditClaimsRepo['queue']>>['rows'],
  ): Promise<TCreditReviewItem[]> {
    const views = await entryViews(
      db,
      repo,
      rows.map((x) => x.entry),
    );
    return rows.map((x, i) => ({
      ...(views[i] as TCreditEntry),
      // A base's 批量导入 may name someone who has not registered yet: the entry waits under the ID number's hash.
      holderName: x.realName ?? '（尚未注册）',
      idNumberMasked: x.idNumberEnc ? maskIdNumber(pii.decrypt(x.idNumberEnc)) : '',
      unitName: x.unitName,
      standardHours: x.entry.standardHours,
    }));
  }
  async function reviewItem(id: string) {
    const x = await repo.queueItem(db, id);
    if (!x) throw new AppError('CREDIT_NOT_FOUND');
    return (await reviewItems([x]))[0] as TCreditReviewItem;
  }

  async function queue(scope: CreditQueueScope, q: TCreditReviewQuery): Promise<TCreditReviewList> {
    const r = await repo.queue(db, scope, { ...q, keyword: q.keyword || undefined });
    return { items: await reviewItems(r.rows), total: r.total, page: q.page, pageSize: q.pageSize, pending: r.pending };
  }

  async function adminUnit(adminId: string) {
    const unit = await deps.unitOfAdmin(adminId);
    if (!unit) throw new AppError('CREDIT_UNIT_FORBIDDEN');
    return unit;
  }
  /** The unit's administrator as the history names them: 单位（姓名）. */
  async function unitActor(adminId: string, unit: { name: string }): Promise<Actor> {
    const name = (await deps.holder(adminId))?.realName ?? '单位管理员';
    return { type: 'account', id: adminId, name: `${unit.name}（${name}）` };
  }
  /** An entry of the unit's queue (or one it decided); another unit's answers 403, not its content. */
  async function unitEntry(ex: Executor, unitId: string, id: string) {
    const r = await repo.forUpdate(ex, id);
    if (!r || r.source !== CLAIM_SOURCE) throw new AppError('CREDIT_NOT_FOUND');
    if (r.unitId !== unitId) throw new AppError('CREDIT_FORBIDDEN');
    return r;
  }
  async function bureauEntry(ex: Executor, scope: ReviewerScope, id: string) {
    const r = await repo.forUpdate(ex, id);
    if (!r) throw new AppError('CREDIT_NOT_FOUND');
    if (scope.nodeId !== null && r.recognizerNodeId !== scope.nodeId) throw new AppError('CREDIT_FORBIDDEN');
    return r;
  }
  const bureauActor = (scope: ReviewerScope): Actor => ({
    type: scope.actorType,
    id: scope.actorId,
    name: `${scope.reviewerName}（${scope.actorName}）`,
  });

  async function evidence(r: CreditEntryRow, fileId: string) {
    if (!(r.evidenceFileIds ?? []).includes(fileId)) throw new AppError('NOT_FOUND', { message: '文件不存在' });
    const meta = await files.meta(fileId);
    const f = await files.read(fileId);
    return { ...f, name: meta?.originalName ?? null };
  }

  return {
    /** Active standards with what the person's claims of each form already use in `year`. */
    async standardsFor(accountId: string, year: number): Promise<{ items: TCreditStandard[] }> {
      const h = await deps.holder(accountId);
      const used = h ? await repo.usedByForm(db, h.hash, year) : new Map<string, number>();
      const rows = await repo.standards.list(db, true);
      return { items: rows.map((s) => standardView(s, used.get(s.form) ?? 0)) };
    },

    async upload(accountId: string, input: { data: Buffer; mime: string; name?: string }) {
      const id = await files.save(db, {
        data: input.data,
        mime: input.mime,
        purpose: CREDIT_EVIDENCE,
        ownerAccountId: accountId,
        originalName: input.name,
      });
      return { id, mime: input.mime, size: input.data.length, name: input.name ?? null };
    },

    /** One of the person's own evidence files (uploaded by them, attached or not yet). */
    async ownFile(accountId: string, fileId: string) {
      const meta = await files.meta(fileId);
      if (!meta || meta.purpose !== CREDIT_EVIDENCE || meta.ownerAccountId !== accountId)
        throw new AppError('NOT_FOUND', { message: '文件不存在' });
      return { ...(await files.read(fileId)), name: meta.originalName };
    },

    async submit(accountId: string, input: TCreditClaimInput, meta: RequestMeta): Promise<TCreditEntry> {
      const h = await holderOf(accountId);
      const id = await db.transaction(async (tx) => {
        const unit = await deps.currentUnit(tx, accountId);
        if (!unit) throw new AppError('CREDIT_NO_UNIT');
        const cols = await checked(tx, accountId, h.hash, input);
        const now = clock.now();
        const entryId = crypto.randomUUID();
        await repo.insert(tx, {
          id: entryId,
          idHash: h.hash,
          ...cols,
          source: CLAIM_SOURCE,
          sourceId: entryId,
          status: 'pending-unit',
          accountId,
          unitId: unit.id,
          actedBy: h.realName,
          actedAt: now,
          createdAt: now,
          updatedAt: now,
        });
        await repo.addEvents(tx, [
          {
            entryId,
            action: 'file',
            fromStatus: null,
            toStatus: 'pending-unit',
            actorType: 'account',
            actorId: accountId,
            actorName: h.realName,
            at: now,
          },
        ]);
        await audit.record(tx, {
          actorType: 'account',
          actorId: accountId,
          action: 'credit.file',
          targetType: 'credit_entry',
          targetId: entryId,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: { title: cols.title, hours: cols.hours, year: cols.year, form: cols.form },
        });
        return entryId;
      });
      return one(id);
    },

    /** 修改后重新提交: a returned or withdrawn claim, edited, goes to the (current) unit again. */
    async resubmit(accountId: string, id: string, input: TCreditClaimInput, meta: RequestMeta): Promise<TCreditEntry> {
      const h = await holderOf(accountId);
      await db.transaction(async (tx) => {
        const locked = await own(tx, accountId, id);
        if (!creditEntryNext('resubmit', locked.status)) throw new AppError('CREDIT_STATE');
        const unit = await deps.currentUnit(tx, accountId);
        if (!unit) throw new AppError('CREDIT_NO_UNIT');
        const cols = await checked(tx, accountId, h.hash, input, locked.id);
        await move(tx, locked, 'resubmit', { type: 'account', id: accountId, name: h.realName }, meta, {
          set: { ...cols, unitId: unit.id, recognizerNodeId: null },
        });
      });
      return one(id);
    },

    async withdraw(accountId: string, id: string, meta: RequestMeta): Promise<TCreditEntry> {
      const h = await holderOf(accountId);
      await db.transaction(async (tx) => {
        const locked = await own(tx, accountId, id);
        await move(tx, locked, 'withdraw', { type: 'account', id: accountId, name: h.realName }, meta);
      });
      return one(id);
    },

    // 单位中心 → 学时审核
    async unitPendingCount(adminId: string): Promise<number> {
      const unit = await deps.unitOfAdmin(adminId);
      return unit ? repo.unitPendingCount(db, unit.id) : 0;
    },
    async unitQueue(adminId: string, q: TCreditReviewQuery) {
      const unit = await adminUnit(adminId);
      return queue({ kind: 'unit', unitId: unit.id }, q);
    },
    async unitFile(adminId: string, id: string, fileId: string) {
      const unit = await adminUnit(adminId);
      return evidence(await unitEntry(db, unit.id, id), fileId);
    },
    async unitConfirm(adminId: string, id: string, meta: RequestMeta) {
      const unit = await adminUnit(adminId);
      const actor = await unitActor(adminId, unit);
      await db.transaction(async (tx) => {
        const r = await unitEntry(tx, unit.id, id);
        const bureau = await deps.recognizerOf(tx, unit.id);
        await move(tx, r, 'unit-confirm', actor, meta, {
          set: { recognizerNodeId: bureau.nodeId },
        });
        if (r.accountId)
          await deps.notify.event(tx, {
            accountId: r.accountId,
            event: 'credit-claim-unit-confirmed',
            params: { title: r.title, hours: String(r.hours), unitName: unit.name, bureauName: bureau.name },
            link: '/credits',
          });
      });
      return reviewItem(id);
    },
    async unitReturn(adminId: string, id: string, reason: string, meta: RequestMeta) {
      const unit = await adminUnit(adminId);
      const actor = await unitActor(adminId, unit);
      await db.transaction(async (tx) => {
        const r = await unitEntry(tx, unit.id, id);
        await move(tx, r, 'unit-return', actor, meta, {
          reason,
        });
        if (r.accountId)
          await deps.notify.event(tx, {
            accountId: r.accountId,
            event: 'credit-claim-returned',
            params: { title: r.title, by: unit.name, reason },
            link: '/credits',
          });
      });
      return reviewItem(id);
    },

    // The bureau's 认定 queue (console; or a 主管部门 on the portal when configured so)
    bureauQueue: (scope: ReviewerScope, q: TCreditReviewQuery) => queue({ kind: 'bureau', nodeId: scope.nodeId }, q),
    async bureauFile(scope: ReviewerScope, id: string, fileId: string) {
      return evidence(await bureauEntry(db, scope, id), fileId);
    },
    async recognise(scope: ReviewerScope, id: string, meta: RequestMeta) {
      await db.transaction(async (tx) => {
        const r = await bureauEntry(tx, scope, id);
        await move(tx, r, 'recognise', bureauActor(scope), meta);
        if (r.accountId)
          await deps.notify.event(tx, {
            accountId: r.accountId,
            event: 'credit-claim-recognised',
            params: { title: r.title, hours: String(r.hours), year: String(r.year) },
            link: '/credits',
          });
      });
      return reviewItem(id);
    },
    async bureauReturn(scope: ReviewerScope, id: string, reason: string, meta: RequestMeta) {
      await db.transaction(async (tx) => {
        const r = await bureauEntry(tx, scope, id);
        await move(tx, r, 'bureau-return', bureauActor(scope), meta, { reason });
        if (r.accountId)
          await deps.notify.event(tx, {
            accountId: r.accountId,
            event: 'credit-claim-returned',
            params: { title: r.title, by: scope.reviewerName, reason },
            link: '/credits',
          });
      });
      return reviewItem(id);
    },
  };
}
export type CreditClaimsService = ReturnType<typeof createCreditClaimsService>;
