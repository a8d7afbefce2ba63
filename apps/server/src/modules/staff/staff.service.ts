import { platformDayStart } from '@cpe/shared/platform-zone';
import { and, count, desc, eq, gte, ilike, inArray, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accounts, auditLogs, staffAccounts } from '../../db/schema/index.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { escapeLike } from '../../lib/like.js';
import { hashPassword } from '../../lib/password.js';
import { uniqueViolation } from '../../lib/pg-errors.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { IdentityRepo, StaffRow } from '../identity/identity.repo.js';
import type { OrgRepo } from '../org/org.repo.js';
import type { ReviewerScope } from '../units/unit-review.service.js';

/**
 * Staff roles: 系统管理员, 审核员 (unit registrations of the person's bureau), 人工找回处理, 培训中心运营 (公需科目 plans),
 * 查看完整身份信息 (pii-viewer: may reveal a learner's full ID number and phone, each reveal audited).
 */
export const STAFF_ROLES = ['sysadmin', 'reviewer', 'recovery-handler', 'training-operator', 'pii-viewer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * Who works each desk of the console. The staff routes guard with these lists and the 待办事项 sources read the
 * same ones, so a queue shows on the 首页 of exactly those who may open it.
 */
export const DESK_ROLES = {
  /** 培训中心: 学习计划, 课程, 学员注册名单, 补学审核, 学员, 证书, 在线客服. */
  training: ['sysadmin', 'training-operator'],
  /** 人工找回审核 and 人工实名审核 (both compare a person with a photo of their document). */
  identityChecks: ['sysadmin', 'recovery-handler'],
} as const satisfies Record<string, readonly StaffRole[]>;

export function createStaffService(deps: { db: Db; repo: IdentityRepo; clock: Clock; audit: AuditRepo; org: OrgRepo }) {
  const { db, repo, audit, org } = deps;

  async function toMe(s: StaffRow) {
    const node = s.orgNodeId ? await org.byId(db, s.orgNodeId) : undefined;
    return {
      id: s.id,
      username: s.username,
      displayName: s.displayName,
      roles: s.roles,
      orgNodeId: s.orgNodeId,
      orgNodeName: node?.name ?? null,
      orgNodeKind: (node?.kind ?? null) as 'city' | 'district' | 'department' | null,
      status: s.status as 'active' | 'disabled',
    };
  }

  async function load(id: string): Promise<StaffRow> {
    const s = await repo.staffById(db, id);
    if (s?.status !== 'active') throw new AppError('UNAUTHENTICATED');
    return s;
  }

  async function checkNode(orgNodeId: string | null | undefined) {
    if (!orgNodeId) return;
    const node = await org.byId(db, orgNodeId);
    if (!node || (node.kind !== 'city' && node.kind !== 'district')) {
      throw fieldError('VALIDATION_FAILED', 'orgNodeId', '请选择市人社局或区县人社局');
    }
  }

  return {
    toMe,
    load,

    /** A bureau reviewer sees its district's registrations; 市人社局 and the system administrator see all. */
    async reviewerScope(staffId: string): Promise<ReviewerScope> {
      const s = await load(staffId);
      if (!s.roles.includes('reviewer') && !s.roles.includes('sysadmin')) throw new AppError('FORBIDDEN');
      const node = s.orgNodeId ? await org.byId(db, s.orgNodeId) : undefined;
      const all = !node || node.kind === 'city';
      return {
        nodeId: all ? null : node.id,
        actorType: 'staff',
        actorId: s.id,
        actorName: s.displayName,
        reviewerName: node?.name ?? '系统管理员',
      };
    },

    /** Creates a staff account unless the username exists; returns whether it was created (seeding is idempotent). */
    async ensure(input: {
      username: string;
      password: string;
      displayName: string;
      roles: StaffRole[];
      orgNodeId?: string | null;
    }) {
      if (await repo.staffByUsername(db, input.username)) return false;
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (tx) => {
        const row = await repo.insertStaff(tx, { ...input, orgNodeId: input.orgNodeId ?? null, passwordHash });
        if (!row) return false;
        await audit.record(tx, {
          actorType: 'system',
          action: 'staff.create',
          targetType: 'staff_account',
          targetId: row.id,
          summary: { username: row.username, roles: row.roles },
        });
        return true;
      });
    },

    async list(q: { page: number; pageSize: number; keyword?: string }) {
      const where = q.keyword ? ilike(staffAccounts.displayName, `%${escapeLike(q.keyword)}%`) : undefined;
      const rows = await db
        .select()
        .from(staffAccounts)
        .where(where)
        .orderBy(desc(staffAccounts.createdAt))
        .offset((q.page - 1) * q.pageSize)
        .limit(q.pageSize);
      const total = (await db.select({ n: count() }).from(staffAccounts).where(where))[0]?.n ?? 0;
      return { items: await Promise.all(rows.map(toMe)), total, page: q.page, pageSize: q.pageSize };
    },

    async create(
      actorId: string,
      input: { username: string; password: string; displayName: string; roles: StaffRole[]; orgNodeId: string | null },
      meta: RequestMeta,
    ) {
      await checkNode(input.orgNodeId);
      const passwordHash = await hashPassword(input.password);
      try {
        const created = await db.transaction(async (tx) => {
          const row = await repo.insertStaff(tx, { ...input, passwordHash });
          if (!row) throw fieldError('VALIDATION_FAILED', 'username', '该用户名已存在');
          await audit.record(tx, {
            actorType: 'staff',
            actorId,
            action: 'staff.create',
            targetType: 'staff_account',
            targetId: row.id,
            ip: meta.ip,
            userAgent: meta.userAgent,
            summary: { username: row.username, roles: row.roles, orgNodeId: row.orgNodeId },
          });
          return row;
        });
        // Read after commit: PGlite has one connection, a read outside the transaction would wait for it.
        return toMe(created);
      } catch (err) {
        if (uniqueViolation(err)) throw fieldError('VALIDATION_FAILED', 'username', '该用户名已存在');
        throw err;
      }
    },

    async update(
      actorId: string,
      id: string,
      input: { displayName: string; roles: StaffRole[]; orgNodeId: string | null; status: 'active' | 'disabled' },
      meta: RequestMeta,
    ) {
      if (id === actorId && (input.status === 'disabled' || !input.roles.includes('sysadmin'))) {
        throw fieldError('VALIDATION_FAILED', 'roles', '不能停用自己或取消自己的系统管理员角色');
      }
      await checkNode(input.orgNodeId);
      const updated = await db.transaction(async (tx) => {
        const before = await repo.staffById(tx, id);
        if (!before) throw new AppError('NOT_FOUND', { message: '工作人员不存在' });
        const [row] = await tx
          .update(staffAccounts)
          .set({ ...input, updatedAt: new Date() })
          .where(eq(staffAccounts.id, id))
          .returning();
        await audit.record(tx, {
          actorType: 'staff',
          actorId,
          action: 'staff.update',
          targetType: 'staff_account',
          targetId: id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: {
            before: { roles: before.roles, orgNodeId: before.orgNodeId, status: before.status },
            after: { roles: input.roles, orgNodeId: input.orgNodeId, status: input.status },
          },
        });
        return row as StaffRow;
      });
      return toMe(updated);
    },

    /** 审计日志 viewer: newest first, filtered by action prefix, actor, target and date. */
    async auditLog(q: {
      page: number;
      pageSize: number;
      action?: string;
      actorId?: string;
      targetType?: string;
      targetId?: string;
      from?: string;
      to?: string;
    }) {
      const w: SQL[] = [];
      if (q.action) w.push(ilike(auditLogs.action, `${escapeLike(q.action)}%`));
      if (q.actorId) w.push(eq(auditLogs.actorId, q.actorId));
      if (q.targetType) w.push(eq(auditLogs.targetType, q.targetType));
      if (q.targetId) w.push(eq(auditLogs.targetId, q.targetId));
      if (q.from) w.push(gte(auditLogs.at, platformDayStart(q.from)));
      if (q.to) w.push(lt(auditLogs.at, platformDayStart(q.to, 1)));
      const where = w.length ? and(...w) : undefined;
      const rows = await db
        .select()
        .from(auditLogs)
        .where(where)
        .orderBy(desc(auditLogs.id))
        .offset((q.page - 1) * q.pageSize)
        .limit(q.pageSize);
      const total = (await db.select({ n: count() }).from(auditLogs).where(where))[0]?.n ?? 0;
      // Who did it, by name: staff and accounts of this page, looked up once.
      const ids = (type: string) => [
        ...new Set(rows.filter((r) => r.actorType === type && r.actorId).map((r) => r.actorId as string)),
      ];
      const names = new Map<string, string>();
      const staffIds = ids('staff');
      const accountIds = ids('account');
      if (staffIds.length) {
        for (const r of await db
          .select({ id: staffAccounts.id, name: staffAccounts.displayName })
          .from(staffAccounts)
          .where(inArray(staffAccounts.id, staffIds))) {
          names.set(r.id, r.name);
        }
      }
      if (accountIds.length) {
        for (const r of await db
          .select({ id: accounts.id, name: accounts.realName })
          .from(accounts)
          .where(inArray(accounts.id, accountIds))) {
          names.set(r.id, r.name);
        }
      }
      return {
        items: rows.map((r) => ({
          actorName: r.actorId ? (names.get(r.actorId) ?? null) : null,
          id: String(r.id),
          actorType: r.actorType,
          actorId: r.actorId,
          action: r.action,
          targetType: r.targetType,
          targetId: r.targetId,
          ip: r.ip,
          summary: r.summary as Record<string, unknown>,
          at: r.at.toISOString(),
        })),
        total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },
  };
}
export type StaffService = ReturnType<typeof createStaffService>;
