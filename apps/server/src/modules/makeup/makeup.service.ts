import crypto from 'node:crypto';
import {
  type IdType,
  maskIdNumber,
  maskPhone,
  type TAdminMakeupQuery,
  type TAdminMakeupRequest,
  type TMakeupReceiptRow,
  type TMakeupRequest,
  type TMakeupRequestInput,
} from '@cpe/shared';
import { platformDayEnd, platformDayStart, platformStamp } from '@cpe/shared/platform-zone';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { uniqueViolation } from '../../lib/pg-errors.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import type { FilesService } from '../files/files.service.js';
import type { IdentityRepo } from '../identity/identity.repo.js';
import type { NotifyService } from '../notify/notify.service.js';
import type { PurchaseRepo } from '../purchase/purchase.repo.js';
import type { MakeupRepo, MakeupRow } from './makeup.repo.js';

export const MAKEUP_EVIDENCE = 'makeup-evidence';
/** 补学审核 is due 3 working days after submission, same time of day (工作日历: weekends, holidays and 调休). */
const REVIEW_WORKING_DAYS = 3;

const digits = (n: number) => String(crypto.randomInt(0, 10 ** n)).padStart(n, '0');

/**
 * 补学 (2011–2022): learners ask with 缴费凭证 or a 缴费承诺书; the training centre approves (→ a 0-amount
 * makeup order, an enrollment in that year's plan) or rejects with a reason.
 */
export function createMakeupService(deps: {
  db: Db;
  repo: MakeupRepo;
  purchase: PurchaseRepo;
  identity: IdentityRepo;
  files: FilesService;
  clock: Clock;
  pii: Pii;
  audit: AuditRepo;
  /** Gives a plan created for 补学 the current catalogue courses, so it can be studied. */
  planCourses: { copyDefaultTo(ex: Executor, planId: string): Promise<void> };
  calendar: Pick<CalendarService, 'addWorkingDaysAt'>;
  notify: NotifyService;
}) {
  const { db, repo, purchase, identity, files, clock, pii, audit } = deps;

  function view(r: MakeupRow): TMakeupRequest {
    return {
      id: r.id,
      year: r.year,
      evidenceKind: r.evidenceKind as TMakeupRequest['evidenceKind'],
      rows: (r.rows ?? []) as TMakeupReceiptRow[],
      pledge: (r.pledge ?? null) as TMakeupRequest['pledge'],
      pledgeFileId: r.pledgeFileId,
      status: r.status as TMakeupRequest['status'],
      reason: r.reason,
      submittedAt: r.submittedAt.toISOString(),
      dueAt: r.dueAt.toISOString(),
      decidedAt: r.decidedAt?.toISOString() ?? null,
      planId: r.planId,
      orderId: r.orderId,
    };
  }

  function adminView(x: NonNullable<Awaited<ReturnType<MakeupRepo['adminById']>>>): TAdminMakeupRequest {
    const r = x.request;
    return {
      ...view(r),
      learnerName: x.realName,
      username: x.username,
      idNumberMasked: maskIdNumber(pii.decrypt(x.idNumberEnc)),
      phoneMasked: x.phoneEnc ? maskPhone(pii.decrypt(x.phoneEnc)) : null,
      overdue: r.status === 'pending' && clock.now() > r.dueAt,
      decidedBy: r.decidedBy,
    };
  }

  /** The file must be this person's own makeup-evidence upload. */
  async function checkFile(accountId: string, fileId: string, field: string) {
    const f = await files.meta(fileId);
    if (!f || f.purpose !== MAKEUP_EVIDENCE || f.ownerAccountId !== accountId)
      throw fieldError('VALIDATION_FAILED', field, '缴费证明材料无效，请重新上传');
  }

  async function own(accountId: string, id: string) {
    const r = await repo.byId(db, id);
    if (!r) throw new AppError('NOT_FOUND', { message: '补学申请不存在' });
    if (r.accountId !== accountId) throw new AppError('MAKEUP_FORBIDDEN');
    return r;
  }

  const fileIdsOf = (r: MakeupRow) => [
    ...((r.rows ?? []) as TMakeupReceiptRow[]).map((x) => x.fileId),
    ...(r.pledgeFileId ? [r.pledgeFileId] : []),
  ];

  async function fileOf(r: MakeupRow, fileId: string) {
    if (!fileIdsOf(r).includes(fileId)) throw new AppError('NOT_FOUND', { message: '文件不存在' });
    const meta = await files.meta(fileId);
    const f = await files.read(fileId);
    return { ...f, name: meta?.originalName ?? null };
  }

  async function decidable(tx: Executor, id: string) {
    const r = await repo.forUpdate(tx, id);
    if (!r) throw new AppError('NOT_FOUND', { message: '补学申请不存在' });
    if (r.status !== 'pending') throw new AppError('MAKEUP_STATE');
    return r;
  }

  return {
    view,
    async upload(accountId: string, input: { data: Buffer; mime: string; name?: string }) {
      const id = await files.save(db, {
        data: input.data,
        mime: input.mime,
        purpose: MAKEUP_EVIDENCE,
        ownerAccountId: accountId,
        originalName: input.name,
      });
      return { id, mime: input.mime, size: input.data.length, name: input.name ?? null };
    },

    async submit(accountId: string, input: TMakeupRequestInput, meta: RequestMeta) {
      if (input.evidenceKind === 'receipt') {
        for (const [i, row] of input.rows.entries()) {
          if (row.year !== input.year)
            throw fieldError('VALIDATION_FAILED', `rows.${i}.year`, `缴费年度应为${input.year}年`);
          const paidYear = Number(row.paidAt.slice(0, 4));
          if (paidYear !== input.year && paidYear !== input.year + 1)
            throw fieldError(
              'VALIDATION_FAILED',
              `rows.${i}.paidAt`,
              `缴费时间应在${input.year}—${input.year + 1}年内`,
            );
          await checkFile(accountId, row.fileId, `rows.${i}.fileId`);
        }
      } else {
        const paidYear = Number(input.pledge.paidOn.slice(0, 4));
        if (paidYear !== input.year && paidYear !== input.year + 1)
          throw fieldError('VALIDATION_FAILED', 'pledge.paidOn', `缴费日期应在${input.year}—${input.year + 1}年内`);
        await checkFile(accountId, input.pledgeFileId, 'pledgeFileId');
      }
      const now = clock.now();
      const dueAt = await deps.calendar.addWorkingDaysAt(now, REVIEW_WORKING_DAYS);
      try {
        return view(
          await db.transaction(async (tx) => {
            const r = await repo.insert(tx, {
              accountId,
              year: input.year,
              evidenceKind: input.evidenceKind,
              rows: input.evidenceKind === 'receipt' ? input.rows : [],
              pledge: input.evidenceKind === 'pledge' ? input.pledge : null,
              pledgeFileId: input.evidenceKind === 'pledge' ? input.pledgeFileId : null,
              status: 'pending',
              submittedAt: now,
              dueAt,
            });
            await audit.record(tx, {
              actorType: 'account',
              actorId: accountId,
              action: 'makeup.submit',
              targetType: 'makeup_request',
              targetId: r.id,
              ip: meta.ip,
              userAgent: meta.userAgent,
              summary: { year: r.year, evidenceKind: r.evidenceKind },
            });
            return r;
          }),
        );
      } catch (err) {
        if (uniqueViolation(err) === 'makeup_requests_open_uq') throw new AppError('MAKEUP_DUPLICATE');
        throw err;
      }
    },
    async mine(accountId: string) {
      return { items: (await repo.mine(db, accountId)).map(view) };
    },
    async get(accountId: string, id: string) {
      return view(await own(accountId, id));
    },
    async file(accountId: string, id: string, fileId: string) {
      return fileOf(await own(accountId, id), fileId);
    },
    async enrollments(accountId: string) {
      return {
        items: (await repo.enrollmentsOf(db, accountId)).map((e) => ({
          ...e,
          enrolledAt: e.enrolledAt.toISOString(),
        })),
      };
    },
    /** 缴费承诺书 pre-filled for the signed-in person: their own full numbers (it is their own download). */
    async pledgeLetter(accountId: string, year: number) {
      const a = await identity.accountById(db, accountId);
      if (!a) throw new AppError('UNAUTHENTICATED');
      // The letter's module (docx, ~80 ms to load) is loaded with the first letter asked for, not at start (issue 22).
      const { renderPledgeLetter } = await import('./pledge-letter.js');
      return renderPledgeLetter({
        realName: a.realName,
        idType: a.idType as IdType,
        idNumber: pii.decrypt(a.idNumberEnc),
        phone: a.phoneEnc ? pii.decrypt(a.phoneEnc) : '',
        username: a.username,
        year,
      });
    },

    // ---- 内网 补学审核 ----
    async adminList(q: TAdminMakeupQuery) {
      const { rows, total } = await repo.adminList(
        db,
        { status: q.status, year: q.year, name: q.name, overdueAt: q.overdue ? clock.now() : undefined },
        q.pageSize,
        (q.page - 1) * q.pageSize,
      );
      return { items: rows.map(adminView), total, page: q.page, pageSize: q.pageSize };
    },
    async adminGet(id: string) {
      const x = await repo.adminById(db, id);
      if (!x) throw new AppError('NOT_FOUND', { message: '补学申请不存在' });
      return adminView(x);
    },
    async adminFile(id: string, fileId: string) {
      const r = await repo.byId(db, id);
      if (!r) throw new AppError('NOT_FOUND', { message: '补学申请不存在' });
      return fileOf(r, fileId);
    },
    /** 审核通过: that year's plan (created if missing), a 0-amount makeup order, member, enrollment — one transaction. */
    async approve(staffId: string, id: string, meta: RequestMeta) {
      const now = clock.now();
      await db.transaction(async (tx) => {
        const r = await decidable(tx, id);
        await repo.lockYear(tx, r.year);
        let plan = await repo.planOfYear(tx, r.year);
        if (!plan) {
          // No plan for that year (the platform did not exist then): one is created on the first approval.
          // It is free (price 0) and unpublished, so it never shows in 公需科目 and cannot be bought; its sale
          // period is the year itself (China time), for reports only. The centre may edit it like any plan.
          plan = await purchase.insertPlan(tx, {
            name: `重庆市${r.year}年专技人员继续教育公需科目培训（补学）`,
            year: r.year,
            priceFen: 0,
            requiredHours: 30,
            saleFrom: platformDayStart(`${r.year}-01-01`),
            saleTo: platformDayEnd(`${r.year}-12-31`),
            description: `${r.year}年度专业技术人员继续教育公需科目补学`,
            published: false,
          });
          await deps.planCourses.copyDefaultTo(tx, plan.id);
          await audit.record(tx, {
            actorType: 'staff',
            actorId: staffId,
            action: 'plan.create.makeup',
            targetType: 'training_plan',
            targetId: plan.id,
            ip: meta.ip,
            userAgent: meta.userAgent,
            summary: { year: r.year, name: plan.name },
          });
        }
        const order = await purchase.insertOrder(tx, {
          orderNo: `${platformStamp(now)}${digits(6)}`,
          kind: 'makeup',
          planId: plan.id,
          buyerAccountId: r.accountId,
          unitPriceFen: 0,
          quantity: 1,
          amountFen: 0,
          status: 'paid',
          expiresAt: now,
          paidAt: now,
          channel: null,
          invoiceMode: 'later',
        });
        await repo.enrol(tx, { orderId: order.id, planId: plan.id, accountId: r.accountId, at: now });
        await repo.update(tx, r.id, {
          status: 'approved',
          planId: plan.id,
          orderId: order.id,
          decidedAt: now,
          decidedBy: staffId,
          updatedAt: now,
        });
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staffId,
          action: 'makeup.approve',
          targetType: 'makeup_request',
          targetId: r.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: { year: r.year, planId: plan.id, orderNo: order.orderNo },
        });
        await deps.notify.event(tx, {
          accountId: r.accountId,
          event: 'makeup-approved',
          params: { year: String(r.year) },
          link: '/makeup',
        });
      });
      return this.adminGet(id);
    },
    async reject(staffId: string, id: string, reason: string, meta: RequestMeta) {
      const now = clock.now();
      await db.transaction(async (tx) => {
        const r = await decidable(tx, id);
        await repo.update(tx, r.id, { status: 'rejected', reason, decidedAt: now, decidedBy: staffId, updatedAt: now });
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staffId,
          action: 'makeup.reject',
          targetType: 'makeup_request',
          targetId: r.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: { year: r.year, reason },
        });
        await deps.notify.event(tx, {
          accountId: r.accountId,
          event: 'makeup-rejected',
          params: { year: String(r.year), reason },
          link: '/makeup',
        });
      });
      return this.adminGet(id);
    },
  };
}
export type MakeupService = ReturnType<typeof createMakeupService>;
