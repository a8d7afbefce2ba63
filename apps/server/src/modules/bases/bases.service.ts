import {
  areaLabel,
  BASE_EXPIRY_REMINDER_DAYS,
  BASE_KIND_LABELS,
  BASE_KINDS,
  BASE_STATUS_LABELS,
  BASE_VALID_YEARS,
  type TBaseAdmin,
  type TBaseAdminList,
  type TBaseAdminQuery,
  type TBaseExportQuery,
  type TBaseKind,
  type TBasePublic,
  type TBasePublicList,
  type TBasePublicQuery,
  type TBaseStatus,
} from '@cpe/shared';
import { platformDay } from '@cpe/shared/platform-zone';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import { writeWorkbook } from '../../lib/xlsx-writer.js';
import type { ApprovalContext } from '../applications/effects.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { Jobs } from '../jobs/jobs.service.js';
import type { NotifyService } from '../notify/notify.service.js';
import type { BaseFilter, BaseRow, BasesRepo } from './bases.repo.js';

/** The periodic sweep that sends the 60-day expiry reminders (scheduled in context.ts). */
export const BASE_REMIND_JOB = 'bases.remind';

/** 编号 prefixes: JXJY2026 0001 (继续教育基地), GCS2026 0001 (工程师基地); one sequence per prefix and year. */
export const BASE_NUMBER_PREFIXES: Record<TBaseKind, string> = { education: 'JXJY', engineer: 'GCS' };

const EXPORT_LIMIT = 20_000;
const REMIND_BATCH = 200;

/** Who looks at 基地名单: every district (市人社局, 系统管理员) or one 区县人社局's. */
export interface BaseViewer {
  staffId: string;
  scope: { areaCode: string; name: string } | null;
  canRevoke: boolean;
}

export interface BasesDeps {
  db: Db;
  repo: BasesRepo;
  clock: Clock;
  audit: AuditRepo;
  jobs: Jobs;
  notify: NotifyService;
  pii: Pii;
  /** The application engine's consecutive sequence per (code, year), locked until the caller's transaction ends. */
  nextNumber: (tx: Executor, code: string, year: number) => Promise<number>;
  /** The encrypted phone of the unit's administrator (who receives the expiry reminder), if any. */
  unitAdminPhoneEnc: (unitId: string) => Promise<string | null>;
}

const utcDay = (day: string) => new Date(`${day}T00:00:00Z`);
export function addDays(day: string, n: number): string {
  const d = utcDay(day);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
/**
 * 有效期 of a designation from its first day: BASE_VALID_YEARS later, less a day (2026-05-20 → 2029-05-19).
 * From 29 February the same date does not exist: the period ends on 28 February.
 */
export function validToOf(validFrom: string): string {
  const [y, m, d] = validFrom.split('-').map(Number) as [number, number, number];
  return addDays(new Date(Date.UTC(y + BASE_VALID_YEARS, m - 1, d)).toISOString().slice(0, 10), -1);
}
const chineseDay = (day: string) => {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};
const countyName = (code: string) => areaLabel(code).split(' ').pop() || code;

/**
 * 继续教育基地 / 工程师基地: designated when 市人社局 approves a 基地申报 (an approval effect), listed publicly while
 * in force, revoked by 市人社局, exported, and announced to the unit BASE_EXPIRY_REMINDER_DAYS before they end.
 */
export function createBasesService(deps: BasesDeps) {
  const { db, repo, clock, audit, notify, pii } = deps;

  function statusOf(b: BaseRow, today: string): TBaseStatus {
    if (b.status === 'revoked') return 'revoked';
    if (b.validTo < today) return 'expired';
    return b.validTo <= addDays(today, BASE_EXPIRY_REMINDER_DAYS) ? 'expiring' : 'valid';
  }

  function publicView(b: BaseRow): TBasePublic {
    return {
      id: b.id,
      kind: b.kind as TBaseKind,
      number: b.number,
      unitName: b.unitName,
      field: b.field,
      areaCode: b.areaCode,
      areaName: countyName(b.areaCode),
      validFrom: b.validFrom,
      validTo: b.validTo,
    };
  }

  function adminView(b: BaseRow, today: string): TBaseAdmin {
    return {
      ...publicView(b),
      applicationId: b.applicationId,
      status: statusOf(b, today),
      revokedAt: b.revokedAt?.toISOString() ?? null,
      revokeReason: b.revokeReason,
      remindedAt: b.remindedAt?.toISOString() ?? null,
      createdAt: b.createdAt.toISOString(),
    };
  }

  function adminFilter(viewer: BaseViewer, q: TBaseExportQuery): BaseFilter {
    return {
      kind: q.kind,
      status: q.status,
      keyword: q.keyword || undefined,
      area: q.area,
      scopeArea: viewer.scope?.areaCode,
      today: platformDay(clock.now()),
    };
  }

  /** The reminders due now: one SMS to each unit's administrator, each base once (remindedAt). */
  async function remindDue(): Promise<number> {
    const now = clock.now();
    const today = platformDay(now);
    const due = await repo.dueForReminder(db, today, addDays(today, BASE_EXPIRY_REMINDER_DAYS), REMIND_BATCH);
    let sent = 0;
    for (const b of due) {
      // Read outside the transaction: the unit module answers from its own tables.
      const phoneEnc = await deps.unitAdminPhoneEnc(b.unitId);
      await db.transaction(async (tx) => {
        if (!(await repo.markReminded(tx, b.id, now))) return;
        // A unit designated again meanwhile has nothing to renew.
        const renewed = await repo.laterOfUnit(tx, b.unitId, b.kind, b.validTo);
        const notified = Boolean(phoneEnc) && !renewed;
        if (notified)
          await notify.sms(tx, pii.decrypt(phoneEnc as string), 'base-expiring', {
            unit: b.unitName,
            kind: BASE_KIND_LABELS[b.kind as TBaseKind] ?? '基地',
            number: b.number,
            validTo: chineseDay(b.validTo),
          });
        await audit.record(tx, {
          actorType: 'system',
          action: 'base.remind',
          targetType: 'base',
          targetId: b.id,
          summary: { number: b.number, validTo: b.validTo, notified, renewed },
        });
        if (notified) sent++;
      });
    }
    return sent;
  }

  deps.jobs.register(BASE_REMIND_JOB, async () => {
    await remindDue();
  });

  return {
    /**
     * 认定: the approval effect of 继续教育基地申报 / 工程师基地申报, run in 市人社局's approving transaction.
     * 有效期 runs from the approval's China date for BASE_VALID_YEARS.
     */
    async designate({ tx, app, actor, meta, now }: ApprovalContext): Promise<void> {
      const kind = BASE_KINDS[app.type as keyof typeof BASE_KINDS];
      if (!kind) throw new Error(`application type ${app.type} designates no base`);
      if (!app.unitId) throw new Error(`application ${app.id} has no unit`);
      const validFrom = platformDay(now);
      const year = Number(validFrom.slice(0, 4));
      const prefix = BASE_NUMBER_PREFIXES[kind];
      const seq = await deps.nextNumber(tx, prefix, year);
      const basic = ((app.data as Record<string, Record<string, unknown>> | null)?.basic ?? {}) as Record<
        string,
        unknown
      >;
      const row = await repo.insert(tx, {
        kind,
        applicationId: app.id,
        unitId: app.unitId,
        unitName: app.filerName,
        number: `${prefix}${year}${String(seq).padStart(4, '0')}`,
        field: typeof basic.field === 'string' ? basic.field.trim() : '',
        areaCode: app.filerArea,
        validFrom,
        validTo: validToOf(validFrom),
        status: 'active',
        createdAt: now,
      });
      await audit.record(tx, {
        actorType: actor.actorType,
        actorId: actor.actorId,
        action: 'base.designate',
        targetType: 'base',
        targetId: row.id,
        ip: meta.ip,
        userAgent: meta.userAgent,
        summary: {
          number: row.number,
          kind,
          applicationId: app.id,
          unitId: app.unitId,
          unitName: row.unitName,
          validFrom: row.validFrom,
          validTo: row.validTo,
        },
      });
    },

    /** 继续教育基地名单 (public): bases in force today, neither revoked nor past 有效期至. */
    async publicList(q: TBasePublicQuery): Promise<TBasePublicList> {
      const { items, total } = await repo.page(
        db,
        {
          kind: q.kind,
          status: 'valid',
          keyword: q.keyword || undefined,
          area: q.area,
          today: platformDay(clock.now()),
        },
        q.page,
        q.pageSize,
      );
      return { items: items.map(publicView), total, page: q.page, pageSize: q.pageSize };
    },

    async adminList(viewer: BaseViewer, q: TBaseAdminQuery): Promise<TBaseAdminList> {
      const f = adminFilter(viewer, q);
      const { items, total } = await repo.page(db, f, q.page, q.pageSize);
      return {
        items: items.map((b) => adminView(b, f.today)),
        total,
        page: q.page,
        pageSize: q.pageSize,
        scope: viewer.scope,
        canRevoke: viewer.canRevoke,
      };
    },

    /** 撤销 (市人社局): the base leaves the public list at once; the reason is kept and audited. */
    async revoke(viewer: BaseViewer, id: string, reason: string, meta: RequestMeta): Promise<TBaseAdmin> {
      if (!viewer.canRevoke) throw new AppError('BASE_REVOKE_FORBIDDEN');
      const now = clock.now();
      const row = await db.transaction(async (tx) => {
        const b = await repo.forUpdate(tx, id);
        if (!b) throw new AppError('NOT_FOUND', { message: '基地不存在' });
        if (b.status === 'revoked') throw new AppError('BASE_STATE');
        const updated = await repo.update(tx, id, {
          status: 'revoked',
          revokedAt: now,
          revokedBy: viewer.staffId,
          revokeReason: reason,
        });
        await audit.record(tx, {
          actorType: 'staff',
          actorId: viewer.staffId,
          action: 'base.revoke',
          targetType: 'base',
          targetId: id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: { number: b.number, unitName: b.unitName, reason },
        });
        return updated;
      });
      return adminView(row, platformDay(now));
    },

    /** 导出Excel: the filtered list (the viewer's district only for a 区县人社局), audited. */
    async export(
      viewer: BaseViewer,
      q: TBaseExportQuery,
      meta: RequestMeta,
    ): Promise<{ filename: string; data: Buffer }> {
      const f = adminFilter(viewer, q);
      const rows = await repo.all(db, f, EXPORT_LIMIT);
      const title = q.kind ? `${BASE_KIND_LABELS[q.kind]}名单` : '基地名单';
      const data = await writeWorkbook([
        {
          name: title,
          columns: [
            { header: '序号', width: 6 },
            { header: '编号', width: 16 },
            { header: '基地类型', width: 14 },
            { header: '单位名称', width: 36 },
            { header: '专业领域', width: 24 },
            { header: '所在区县', width: 14 },
            { header: '有效期起', width: 12, kind: 'date' },
            { header: '有效期至', width: 12, kind: 'date' },
            { header: '状态', width: 10 },
            { header: '撤销原因', width: 30 },
          ],
          rows: rows.map((b, i) => [
            i + 1,
            b.number,
            BASE_KIND_LABELS[b.kind as TBaseKind] ?? b.kind,
            b.unitName,
            b.field,
            countyName(b.areaCode),
            b.validFrom,
            b.validTo,
            BASE_STATUS_LABELS[statusOf(b, f.today)],
            b.revokeReason ?? '',
          ]),
        },
      ]);
      await audit.record(db, {
        actorType: 'staff',
        actorId: viewer.staffId,
        action: 'base.export',
        targetType: 'base',
        ip: meta.ip,
        userAgent: meta.userAgent,
        summary: { rows: rows.length, filter: q, scope: viewer.scope?.areaCode ?? null },
      });
      return {
        filename: `${viewer.scope ? `${viewer.scope.name}` : ''}${title}-${f.today}.xlsx`,
        data,
      };
    },

    remindDue,
  };
}
export type BasesService = ReturnType<typeof createBasesService>;
