import {
  areaLabel,
  maskIdNumber,
  maskPhone,
  type TMyWorkUnit,
  type TUnitMemberAction,
  type TUnitMemberList,
  type TUnitMemberStatus,
  type TWorkUnitLink,
  UNIT_MEMBER_SOURCE_LABELS,
  UNIT_MEMBER_STATUS_LABELS,
  UNIT_MEMBER_TRANSITIONS,
} from '@cpe/shared';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { uniqueViolation } from '../../lib/pg-errors.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { NotifyService } from '../notify/notify.service.js';
import type { UnitMemberRow, UnitMembersRepo } from './unit-members.repo.js';

/** The status an action leads to from `from`, or a 409 when the table does not allow it. */
function next(action: TUnitMemberAction, from: string): TUnitMemberStatus {
  const to = (UNIT_MEMBER_TRANSITIONS[action] as Partial<Record<string, TUnitMemberStatus>>)[from];
  if (!to) throw new AppError('MEMBER_STATE');
  return to;
}

const linkView = (m: UnitMemberRow, unitName: string): TWorkUnitLink => ({
  id: m.id,
  unitId: m.unitId,
  unitName,
  status: m.status as TUnitMemberStatus,
  statusLabel: UNIT_MEMBER_STATUS_LABELS[m.status as TUnitMemberStatus] ?? m.status,
  source: m.source,
  requestedAt: m.requestedAt.toISOString(),
  decidedAt: m.decidedAt?.toISOString() ?? null,
  joinedAt: m.joinedAt?.toISOString() ?? null,
  leftAt: m.leftAt?.toISOString() ?? null,
  reason: m.reason,
});

/**
 * 工作单位: a person asks to join an approved unit, the unit's administrator confirms or declines (单位中心 →
 * 单位人员) and may 移出 later; the person may withdraw a request or leave. One current unit and one pending request
 * per person (the table's partial unique indexes hold it under concurrency too); every change is audited.
 */
export function createUnitMembersService(deps: {
  db: Db;
  repo: UnitMembersRepo;
  clock: Clock;
  pii: Pii;
  audit: AuditRepo;
  notify: NotifyService;
  /** The approved unit the account administers, if any. */
  unitOfAdmin: (accountId: string) => Promise<{ id: string; name: string } | undefined>;
}) {
  const { db, repo, clock, pii, audit } = deps;

  async function record(
    tx: Executor,
    actorId: string,
    action: 'request' | 'cancel' | 'leave' | 'leave-on-move' | 'confirm' | 'decline' | 'remove',
    m: UnitMemberRow,
    meta: RequestMeta,
    extra: Record<string, unknown> = {},
  ) {
    await audit.record(tx, {
      actorType: 'account',
      actorId,
      action: `unit-member.${action}` as const,
      targetType: 'unit_member',
      targetId: m.id,
      ip: meta.ip,
      userAgent: meta.userAgent,
      summary: { unitId: m.unitId, accountId: m.accountId, status: m.status, ...extra },
    });
  }

  async function adminUnit(accountId: string) {
    const unit = await deps.unitOfAdmin(accountId);
    if (!unit) throw new AppError('MEMBER_FORBIDDEN');
    return unit;
  }

  return {
    async searchUnits(keyword: string) {
      const rows = await repo.searchUnits(db, keyword, 20);
      return {
        items: rows.map((u) => ({ id: u.id, name: u.name, uscc: u.uscc, locatedAreaLabel: areaLabel(u.locatedArea) })),
      };
    },

    async mine(accountId: string): Promise<TMyWorkUnit> {
      const links = (await repo.linksOf(db, accountId)).map((r) => linkView(r.m, r.unitName));
      return {
        current: links.find((l) => l.status === 'confirmed') ?? null,
        pending: links.find((l) => l.status === 'pending') ?? null,
        history: links.filter((l) => l.status !== 'confirmed' && l.status !== 'pending'),
      };
    },

    async request(accountId: string, unitId: string, meta: RequestMeta): Promise<TMyWorkUnit> {
      const unit = await repo.unit(db, unitId);
      if (!unit) throw new AppError('MEMBER_UNIT_NOT_FOUND');
      try {
        await db.transaction(async (tx) => {
          if (await repo.ofAccountInStatus(tx, accountId, 'pending')) throw new AppError('MEMBER_PENDING_EXISTS');
          const current = await repo.ofAccountInStatus(tx, accountId, 'confirmed');
          if (current?.unitId === unitId) throw new AppError('MEMBER_ALREADY');
          const m = await repo.insert(tx, {
            accountId,
            unitId,
            status: 'pending',
            source: 'self',
            requestedAt: clock.now(),
          });
          await record(tx, accountId, 'request', m, meta, { unitName: unit.name });
        });
      } catch (err) {
        // Two requests at once: the partial unique index lets one in.
        if (uniqueViolation(err) === 'unit_members_one_pending_uq') throw new AppError('MEMBER_PENDING_EXISTS');
        throw err;
      }
      return this.mine(accountId);
    },

    /** 撤回 (the person's pending request) or 退出 (their current unit). */
    async withdraw(accountId: string, action: 'cancel' | 'leave', meta: RequestMeta): Promise<TMyWorkUnit> {
      await db.transaction(async (tx) => {
        const m = await repo.ofAccountInStatus(tx, accountId, action === 'cancel' ? 'pending' : 'confirmed');
        if (!m) throw new AppError('MEMBER_STATE');
        const now = clock.now();
        const updated = await repo.update(tx, m.id, {
          status: next(action, m.status),
          decidedAt: action === 'cancel' ? now : m.decidedAt,
          decidedBy: action === 'cancel' ? accountId : m.decidedBy,
          leftAt: action === 'leave' ? now : null,
        });
        await record(tx, accountId, action, updated, meta);
      });
      return this.mine(accountId);
    },

    /** 单位中心 → 单位人员. */
    async list(
      adminId: string,
      q: { status: 'pending' | 'confirmed' | 'left'; keyword?: string; page: number; pageSize: number },
    ): Promise<TUnitMemberList> {
      const unit = await adminUnit(adminId);
      const { rows, total, pendingCount } = await repo.listOfUnit(db, unit.id, q);
      return {
        items: rows.map((r) => ({
          id: r.m.id,
          realName: r.realName,
          idNumberMasked: maskIdNumber(pii.decrypt(r.idNumberEnc)),
          phoneMasked: r.phoneEnc ? maskPhone(pii.decrypt(r.phoneEnc)) : '',
          status: r.m.status as TUnitMemberStatus,
          statusLabel: UNIT_MEMBER_STATUS_LABELS[r.m.status as TUnitMemberStatus] ?? r.m.status,
          source: r.m.source,
          sourceLabel: UNIT_MEMBER_SOURCE_LABELS[r.m.source as keyof typeof UNIT_MEMBER_SOURCE_LABELS] ?? r.m.source,
          requestedAt: r.m.requestedAt.toISOString(),
          joinedAt: r.m.joinedAt?.toISOString() ?? null,
          leftAt: r.m.leftAt?.toISOString() ?? null,
          reason: r.m.reason,
        })),
        total,
        page: q.page,
        pageSize: q.pageSize,
        pendingCount,
      };
    },

    async pendingCount(adminId: string): Promise<number> {
      const unit = await deps.unitOfAdmin(adminId);
      return unit ? repo.pendingCountOfUnit(db, unit.id) : 0;
    },

    /**
     * 确认 / 拒绝 a request, or 移出 a member, of the administrator's own unit (another unit's row is 404: its
     * existence is not confirmed). Confirming ends the person's link to another unit, if any, the same moment.
     */
    async decide(
      adminId: string,
      id: string,
      action: 'confirm' | 'decline' | 'remove',
      reason: string | undefined,
      meta: RequestMeta,
    ) {
      const unit = await adminUnit(adminId);
      if (action !== 'confirm' && !reason) throw fieldError('VALIDATION_FAILED', 'reason', '请填写原因');
      await db.transaction(async (tx) => {
        const m = await repo.forUpdate(tx, id);
        if (!m || m.unitId !== unit.id) throw new AppError('MEMBER_NOT_FOUND');
        const to = next(action, m.status);
        const now = clock.now();
        if (action === 'confirm') {
          const before = await repo.ofAccountInStatus(tx, m.accountId, 'confirmed');
          if (before) {
            const left = await repo.update(tx, before.id, { status: 'left', leftAt: now });
            await record(tx, adminId, 'leave-on-move', left, meta, { toUnitId: unit.id });
          }
        }
        const updated = await repo.update(tx, id, {
          status: to,
          decidedAt: now,
          decidedBy: adminId,
          joinedAt: action === 'confirm' ? now : m.joinedAt,
          leftAt: action === 'remove' ? now : m.leftAt,
          reason: action === 'confirm' ? null : (reason ?? null),
        });
        await record(tx, adminId, action, updated, meta, reason ? { reason } : {});
        await deps.notify.event(tx, {
          accountId: m.accountId,
          event:
            action === 'confirm'
              ? 'work-unit-confirmed'
              : action === 'decline'
                ? 'work-unit-declined'
                : 'work-unit-removed',
          params: { unitName: unit.name, reason: reason ?? '' },
          link: '/me',
        });
      });
      return { ok: true as const };
    },
  };
}
export type UnitMembersService = ReturnType<typeof createUnitMembersService>;
