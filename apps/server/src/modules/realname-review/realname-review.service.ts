import {
  type IdType,
  idDocumentKey,
  maskIdNumber,
  type TRealnameReviewStatus,
  type TRealnameStatus,
} from '@cpe/shared';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { uniqueViolation } from '../../lib/pg-errors.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { FilesService } from '../files/files.service.js';
import { sanitizeImage } from '../files/images.js';
import type { IdentityRepo } from '../identity/identity.repo.js';
import type { NotifyService } from '../notify/notify.service.js';
import type { RateLimitService } from '../ratelimit/ratelimit.service.js';
import type { RealnameReviewItemRow, RealnameReviewRepo } from './realname-review.repo.js';

/** The name and document a review asks to verify, the number already encrypted and hashed as on an account. */
export interface ReviewedDocument {
  realName: string;
  idType: IdType;
  nationality: string | null;
  idNumberEnc: string;
  idNumberHash: string;
}

const TAKEN_MESSAGE = '该证件号码已被其他账号使用';

/**
 * 人工实名审核: a person whose document the 实名认证 service cannot verify (every 护照; 居住证 / 永居证 when the
 * contracted service checks 身份证 only) registers with a photo of the document's photo page and waits for staff.
 * Until approved the account signs in but cannot buy nor study (`unverified`, `assertVerified`). A rejection gives
 * a reason; the person submits again, possibly with a corrected name or document, which become the account's only
 * on approval. Every step is audited; the person hears of the decision by SMS.
 *
 * The status of a review moves pending → approved | rejected, once (`REALNAME_REVIEW_DECIDED` after that).
 */
export function createRealnameReviewService(deps: {
  db: Db;
  repo: RealnameReviewRepo;
  identity: IdentityRepo;
  files: FilesService;
  pii: Pii;
  clock: Clock;
  audit: AuditRepo;
  notify: NotifyService;
  rateLimits: RateLimitService;
  /** Drops cached views of an account whose 实名 changed here. */
  onAccountChanged: (accountId: string) => void;
}) {
  const { db, repo, identity, files, pii, clock, audit, notify } = deps;

  const view = (row: RealnameReviewItemRow) => ({
    id: row.r.id,
    accountId: row.r.accountId,
    username: row.username,
    realName: row.r.realName,
    idType: row.r.idType as IdType,
    idNumberMasked: maskIdNumber(pii.decrypt(row.r.idNumberEnc)),
    nationality: row.r.nationality,
    attempt: row.attempt,
    status: row.r.status as TRealnameReviewStatus,
    submittedAt: row.r.submittedAt.toISOString(),
    decidedAt: row.r.decidedAt?.toISOString() ?? null,
    decidedBy: row.decider ?? null,
    reason: row.r.reason,
  });

  /**
   * Files a pending review in the caller's transaction (registration creates the account in the same one). The
   * photo must have gone through `sanitizeImage`.
   */
  async function file(
    tx: Executor,
    input: { accountId: string; document: ReviewedDocument; photo: { data: Buffer; mime: string } },
    meta: RequestMeta,
  ) {
    const photoFileId = await files.save(tx, {
      data: input.photo.data,
      mime: input.photo.mime,
      purpose: 'realname',
      ownerAccountId: input.accountId,
    });
    const row = await repo.insert(tx, {
      accountId: input.accountId,
      ...input.document,
      photoFileId,
      status: 'pending',
      submittedAt: clock.now(),
    });
    await audit.record(tx, {
      actorType: 'account',
      actorId: input.accountId,
      action: 'realname.review.submit',
      targetType: 'realname_review',
      targetId: row.id,
      ip: meta.ip,
      userAgent: meta.userAgent,
      summary: {
        idType: input.document.idType,
        idNumber: maskIdNumber(pii.decrypt(input.document.idNumberEnc)),
        nationality: input.document.nationality,
      },
    });
    return row;
  }

  async function unverified(accountIds: string[]): Promise<Set<string>> {
    return new Set(await repo.unverified(db, accountIds));
  }

  return {
    file,
    unverified,

    /** Buying 公需科目 and studying wait for a verified 实名. */
    async assertVerified(accountId: string) {
      if ((await unverified([accountId])).size > 0) throw new AppError('REALNAME_REQUIRED');
    },

    /** What 个人中心 shows of the 实名 (GET /api/me). */
    async statusOf(account: {
      id: string;
      realNameVerifiedAt: Date | null;
    }): Promise<{ status: TRealnameStatus; rejectReason: string | null }> {
      if (account.realNameVerifiedAt) return { status: 'verified', rejectReason: null };
      const latest = await repo.latestOf(db, account.id);
      if (latest?.status === 'pending') return { status: 'pending', rejectReason: null };
      if (latest?.status === 'rejected') return { status: 'rejected', rejectReason: latest.reason };
      return { status: 'none', rejectReason: null };
    },

    /** 重新提交 after a rejection: refused while one is pending or once verified; the document must be free. */
    async resubmit(
      accountId: string,
      input: {
        realName: string;
        idType: IdType;
        idNumber: string;
        nationality?: string | null;
        photo: Buffer | undefined;
      },
      meta: RequestMeta,
    ) {
      await deps.rateLimits.consume({ key: `realname-review:account:${accountId}`, max: 10, windowMs: 24 * 3_600_000 });
      const account = await identity.accountById(db, accountId);
      if (!account) throw new AppError('UNAUTHENTICATED');
      if (account.realNameVerifiedAt) throw new AppError('REALNAME_ALREADY_VERIFIED');
      if ((await repo.latestOf(db, accountId))?.status === 'pending') throw new AppError('REALNAME_REVIEW_PENDING');
      const nationality = input.idType === 'passport' ? (input.nationality ?? null) : null;
      const idNumberHash = pii.lookupHash(idDocumentKey(input.idType, input.idNumber, nationality));
      const holder = await identity.accountByIdDocument(db, input.idType, idNumberHash);
      if (
        (holder && holder.id !== accountId) ||
        (await repo.pendingOfDocument(db, input.idType, idNumberHash, accountId))
      )
        throw fieldError('ID_NUMBER_TAKEN', 'idNumber', TAKEN_MESSAGE);
      if (!input.photo) throw fieldError('VALIDATION_FAILED', 'photo', '请上传证件照片');
      const photo = await sanitizeImage(input.photo, 'photo');
      try {
        await db.transaction((tx) =>
          file(
            tx,
            {
              accountId,
              document: {
                realName: input.realName,
                idType: input.idType,
                nationality,
                idNumberEnc: pii.encrypt(input.idNumber),
                idNumberHash,
              },
              photo,
            },
            meta,
          ),
        );
      } catch (err) {
        if (uniqueViolation(err) === 'realname_reviews_pending_uq') throw new AppError('REALNAME_REVIEW_PENDING');
        throw err;
      }
      deps.onAccountChanged(accountId);
      return { realNameStatus: 'pending' as const };
    },

    async list(q: { status?: TRealnameReviewStatus; q?: string; page: number; pageSize: number }) {
      const { rows, total } = await repo.list(db, {
        status: q.status,
        q: q.q || undefined,
        offset: (q.page - 1) * q.pageSize,
        limit: q.pageSize,
      });
      return { items: rows.map(view), total, page: q.page, pageSize: q.pageSize };
    },

    async get(id: string) {
      const row = await repo.item(db, id);
      if (!row) throw new AppError('NOT_FOUND', { message: '实名审核申请不存在' });
      return view(row);
    },

    /** The photo of the document: a privileged read of personal data, audited each time. */
    async photo(id: string, staffId: string, meta: RequestMeta) {
      const row = await repo.byId(db, id);
      if (!row) throw new AppError('NOT_FOUND', { message: '实名审核申请不存在' });
      const data = await files.read(row.photoFileId);
      await audit.record(db, {
        actorType: 'staff',
        actorId: staffId,
        action: 'realname.review.photo.view',
        targetType: 'realname_review',
        targetId: id,
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
      return data;
    },

    /**
     * 通过: the account takes the reviewed name and document and is verified (source `manual-review`); 退回: with a
     * reason the person reads in 个人中心. Either way an SMS tells them, sent when the decision commits.
     */
    async decide(
      id: string,
      input: { decision: 'approve' | 'reject'; reason: string },
      staffId: string,
      meta: RequestMeta,
    ) {
      let accountId = '';
      try {
        await db.transaction(async (tx) => {
          const row = await repo.byIdForUpdate(tx, id);
          if (!row) throw new AppError('NOT_FOUND', { message: '实名审核申请不存在' });
          if (row.status !== 'pending') throw new AppError('REALNAME_REVIEW_DECIDED');
          if (input.decision === 'reject' && !input.reason)
            throw fieldError('VALIDATION_FAILED', 'reason', '退回时请填写退回原因');
          accountId = row.accountId;
          const account = await identity.accountById(tx, row.accountId);
          if (!account) throw new AppError('NOT_FOUND', { message: '该申请的账号不存在' });
          const now = clock.now();
          if (input.decision === 'approve') {
            const holder = await identity.accountByIdDocument(tx, row.idType as IdType, row.idNumberHash);
            if (holder && holder.id !== row.accountId)
              throw fieldError('ID_NUMBER_TAKEN', 'decision', `${TAKEN_MESSAGE}，无法通过，请退回`);
            await identity.updateAccount(tx, row.accountId, {
              realName: row.realName,
              idType: row.idType,
              nationality: row.nationality,
              idNumberEnc: row.idNumberEnc,
              idNumberHash: row.idNumberHash,
              realNameVerifiedAt: now,
              realNameSource: 'manual-review',
            });
            await audit.record(tx, {
              actorType: 'staff',
              actorId: staffId,
              action: 'account.realname.verify',
              targetType: 'account',
              targetId: row.accountId,
              ip: meta.ip,
              userAgent: meta.userAgent,
              summary: { via: 'realname_review', reviewId: id, idType: row.idType },
            });
          }
          const status = input.decision === 'approve' ? 'approved' : 'rejected';
          await repo.update(tx, id, { status, reason: input.reason || null, decidedBy: staffId, decidedAt: now });
          await audit.record(tx, {
            actorType: 'staff',
            actorId: staffId,
            action: `realname.review.${input.decision}`,
            targetType: 'realname_review',
            targetId: id,
            ip: meta.ip,
            userAgent: meta.userAgent,
            summary: { accountId: row.accountId, status, reason: input.reason || null },
          });
          if (account.phoneEnc)
            await notify.sms(
              tx,
              pii.decrypt(account.phoneEnc),
              input.decision === 'approve' ? 'realname-approved' : 'realname-rejected',
              { name: input.decision === 'approve' ? row.realName : account.realName },
            );
        });
      } catch (err) {
        if (uniqueViolation(err) === 'accounts_id_number_uq')
          throw fieldError('ID_NUMBER_TAKEN', 'decision', `${TAKEN_MESSAGE}，无法通过，请退回`);
        throw err;
      }
      deps.onAccountChanged(accountId);
      return { ok: true as const };
    },
  };
}
export type RealnameReviewService = ReturnType<typeof createRealnameReviewService>;
