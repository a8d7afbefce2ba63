import { inferIdType, maskIdNumber, maskPhone } from '@cpe/shared';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { uniqueViolation } from '../../lib/pg-errors.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { FilesService } from '../files/files.service.js';
import { sanitizeImage } from '../files/images.js';
import type { RateLimitService } from '../ratelimit/ratelimit.service.js';
import type { IdentityRepo } from './identity.repo.js';
import type { SessionService } from './session.service.js';

type RecoveryStatus = 'pending' | 'approved' | 'rejected';

/**
 * 通过人工找回: the person sends name, ID number, a new phone and a photo of the ID card; staff compare
 * and approve (the new phone is bound) or reject. Both sides are audited.
 */
export function createRecoveryService(deps: {
  db: Db;
  repo: IdentityRepo;
  clock: Clock;
  pii: Pii;
  files: FilesService;
  sessions: SessionService;
  rateLimits: RateLimitService;
  audit: AuditRepo;
  /** Drops cached views of an account whose phone changed here. */
  onAccountChanged: (accountId: string) => void;
}) {
  const { db, repo, clock, pii, files, sessions, rateLimits, audit } = deps;

  return {
    async submit(
      input: { realName: string; idNumber: string; newPhone: string; note: string; photo: Buffer | undefined },
      meta: RequestMeta,
    ) {
      await rateLimits.consume({ key: `recovery:ip:${meta.ip}`, max: 10, windowMs: 24 * 3_600_000 });
      if (!input.photo) throw fieldError('VALIDATION_FAILED', 'photo', '请上传身份证照片');
      const photo = await sanitizeImage(input.photo, 'photo');
      const idNumberHash = pii.lookupHash(input.idNumber);
      if (await repo.pendingRecoveryByIdHash(db, idNumberHash)) throw new AppError('RECOVERY_DUPLICATE');
      // zIdNumber admitted only numbers whose type their shape tells.
      const account = await repo.accountByIdDocument(db, inferIdType(input.idNumber) ?? 'idCard', idNumberHash);
      try {
        return await db.transaction(async (tx) => {
          const photoFileId = await files.save(tx, { data: photo.data, mime: photo.mime, purpose: 'recovery' });
          const row = await repo.insertRecovery(tx, {
            realName: input.realName,
            idNumberHash,
            idNumberEnc: pii.encrypt(input.idNumber),
            newPhoneEnc: pii.encrypt(input.newPhone),
            newPhoneHash: pii.lookupHash(input.newPhone),
            note: input.note,
            photoFileId,
            accountId: account && account.realName === input.realName ? account.id : null,
          });
          if (!row) throw new Error('insert returned nothing');
          await audit.record(tx, {
            actorType: 'anonymous',
            action: 'recovery.submit',
            targetType: 'manual_recovery',
            targetId: row.id,
            ip: meta.ip,
            userAgent: meta.userAgent,
            summary: { idNumber: maskIdNumber(input.idNumber), newPhone: maskPhone(input.newPhone) },
          });
          return { id: row.id };
        });
      } catch (err) {
        if (uniqueViolation(err) === 'manual_recoveries_pending_uq') throw new AppError('RECOVERY_DUPLICATE');
        throw err;
      }
    },

    async list(opts: { status?: RecoveryStatus; page: number; pageSize: number }) {
      const { rows, total } = await repo.listRecoveries(db, {
        status: opts.status,
        offset: (opts.page - 1) * opts.pageSize,
        limit: opts.pageSize,
      });
      return {
        items: rows.map(({ r, handler }) => ({
          id: r.id,
          realName: r.realName,
          idNumberMasked: maskIdNumber(pii.decrypt(r.idNumberEnc)),
          newPhoneMasked: maskPhone(pii.decrypt(r.newPhoneEnc)),
          note: r.note,
          status: r.status as RecoveryStatus,
          accountFound: r.accountId !== null,
          createdAt: r.createdAt.toISOString(),
          handledAt: r.handledAt?.toISOString() ?? null,
          handledBy: handler ?? null,
          reason: r.reason,
        })),
        total,
        page: opts.page,
        pageSize: opts.pageSize,
      };
    },

    /** Viewing the ID-card photo is a privileged read of personal data: audited. */
    async photo(id: string, staffId: string, meta: RequestMeta) {
      const row = await repo.recoveryById(db, id);
      if (!row) throw new AppError('NOT_FOUND');
      const file = await files.read(row.photoFileId);
      await audit.record(db, {
        actorType: 'staff',
        actorId: staffId,
        action: 'recovery.photo.view',
        targetType: 'manual_recovery',
        targetId: id,
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
      return file;
    },

    async decide(
      id: string,
      input: { decision: 'approve' | 'reject'; reason: string },
      staffId: string,
      meta: RequestMeta,
    ) {
      try {
        return await db.transaction(async (tx) => {
          const row = await repo.recoveryByIdForUpdate(tx, id);
          if (!row) throw new AppError('NOT_FOUND');
          if (row.status !== 'pending') throw new AppError('RECOVERY_NOT_PENDING');
          const now = clock.now();
          if (input.decision === 'approve') {
            if (!row.accountId) {
              throw fieldError('VALIDATION_FAILED', 'decision', '未找到姓名与身份证号码一致的账号，无法通过，请驳回');
            }
            const holder = await repo.activeAccountByPhoneHash(tx, row.newPhoneHash);
            if (holder && holder.id !== row.accountId)
              throw fieldError('PHONE_TAKEN', 'decision', '新手机号已被其他账号绑定，无法通过');
            await repo.updateAccount(tx, row.accountId, { phoneHash: row.newPhoneHash, phoneEnc: row.newPhoneEnc });
            await sessions.revokeAll(tx, 'public', row.accountId);
            deps.onAccountChanged(row.accountId);
            await audit.record(tx, {
              actorType: 'staff',
              actorId: staffId,
              action: 'account.phone.change',
              targetType: 'account',
              targetId: row.accountId,
              ip: meta.ip,
              userAgent: meta.userAgent,
              summary: { via: 'manual_recovery', recoveryId: id, to: maskPhone(pii.decrypt(row.newPhoneEnc)) },
            });
          } else if (!input.reason) {
            throw fieldError('VALIDATION_FAILED', 'reason', '驳回时请填写处理意见');
          }
          const status = input.decision === 'approve' ? 'approved' : 'rejected';
          await repo.updateRecovery(tx, id, {
            status,
            reason: input.reason || null,
            handledBy: staffId,
            handledAt: now,
          });
          await audit.record(tx, {
            actorType: 'staff',
            actorId: staffId,
            action: `recovery.${input.decision}`,
            targetType: 'manual_recovery',
            targetId: id,
            ip: meta.ip,
            userAgent: meta.userAgent,
            summary: { status, reason: input.reason || null },
          });
          return { ok: true as const };
        });
      } catch (err) {
        if (uniqueViolation(err) === 'accounts_phone_active_uq') throw fieldError('PHONE_TAKEN', 'decision');
        throw err;
      }
    },
  };
}
export type RecoveryService = ReturnType<typeof createRecoveryService>;
