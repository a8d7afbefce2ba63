import {
  type IdType,
  idDocumentKey,
  idDocumentSex,
  idNumberLabel,
  inferIdType,
  maskIdNumber,
  maskPhone,
  normalizePhone,
  PHONE_RE,
  REAL_NAME_RE,
  ROSTER_MAX_ROWS,
  ROSTER_ROW_STATUS_LABELS,
  rosterExpiredMessage,
  type TRosterDetail,
  type TRosterDetailQuery,
  type TRosterHeader,
  type TRosterRowStatus,
  type TRosterStartImport,
  type TRosterSummary,
  untypedIdDocument,
} from '@cpe/shared';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { loadFileType } from '../../lib/lazy.js';
import { hashPassword } from '../../lib/password.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import { XlsxFormatError, XlsxLimitError, xlsxLimitMessage } from '../../lib/xlsx-reader.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { Jobs } from '../jobs/jobs.service.js';
import type { NotifyService } from '../notify/notify.service.js';
import type { NewRosterRow, RosterImportRow, RosterRepo } from './roster.repo.js';
import {
  parseRosterXlsx,
  ROSTER_UPLOAD,
  RosterParseError,
  RosterTooManyError,
  rosterReportXlsx,
} from './roster-excel.js';

export const ROSTER_MAX_BYTES = ROSTER_UPLOAD.maxBytes;
export const ROSTER_IMPORT_JOB = 'roster.import';
/**
 * Rows that failed count as needing attention this many days after the upload (then they are history); fewer when
 * IMPORT_ERROR_FILE_DAYS is shorter, since the rows to look at are deleted then.
 */
const ROSTER_ATTENTION_DAYS = 7;
const DAY_MS = 86_400_000;
/** An import whose accounts stopped being created this long ago has failed (batches take seconds). */
const ROSTER_STALLED_MS = 30 * 60_000;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Accounts per transaction: large enough to amortise the round trips, small enough to yield often. */
const BATCH = 50;
const PHONE_TAKEN_NOTE = '手机号已被其他账号绑定，未绑定手机号';
/** Rows deleted per statement by the retention job: bounds the locks one statement holds. */
const PURGE_BATCH = 1_000;

/** Who acts: a unit's administrator on the portal (sees own uploads) or training-centre staff (sees all). */
export type RosterActor = { type: 'account'; id: string; unitId: string } | { type: 'staff'; id: string };

/** 初始密码 of the seed: edu@ and the last six characters of the ID number. */
export const initialPassword = (idNumber: string) => `edu@${idNumber.slice(-6)}`;

const SEX: Record<string, 'male' | 'female'> = { 男: 'male', 女: 'female' };

/** The key of a document in maps of lookup results: type and hash, as the accounts' unique index. */
const docKey = (idType: string, hash: string) => `${idType}:${hash}`;

/**
 * 学员注册名单: upload and check a unit's roster (synchronously: it is a few thousand rows at most), then
 * create the accounts in a background job, in batches, resumable after a crash.
 */
export function createRosterService(deps: {
  db: Db;
  repo: RosterRepo;
  clock: Clock;
  pii: Pii;
  audit: AuditRepo;
  jobs: Jobs;
  notify: NotifyService;
  /** A unit's 名单 proposes its people as the unit's members (工作单位, pending until the unit confirms). */
  proposeMembers?: (tx: Executor, unitId: string, accountIds: string[]) => Promise<void>;
  /**
   * IMPORT_ERROR_FILE_DAYS: the 未通过 rows are deleted this many days after the upload, and an upload not imported
   * by then expires (its 通过 rows deleted too).
   */
  invalidRowsDays: number;
}) {
  const { db, repo, clock, pii, audit, jobs, notify, invalidRowsDays } = deps;
  const attentionDays = Math.min(ROSTER_ATTENTION_DAYS, invalidRowsDays);
  /** Uploads made before this are past the retention. */
  const retentionStart = () => new Date(clock.now().getTime() - invalidRowsDays * DAY_MS);
  const expiredError = () => new AppError('ROSTER_EXPIRED', { message: rosterExpiredMessage(invalidRowsDays) });
  /**
   * Expired, or waiting past the retention for the hourly job to say so: shown and refused alike from the moment the
   * days are over, so 导入 never depends on when the job last ran.
   */
  const isExpired = (i: RosterImportRow) =>
    i.status === 'expired' || (i.status === 'validated' && i.createdAt < retentionStart());

  const summary = (i: RosterImportRow): TRosterSummary => {
    const settled = i.createdCount + i.existingCount;
    return {
      id: i.id,
      status: isExpired(i) ? 'expired' : (i.status as TRosterSummary['status']),
      fileName: i.fileName,
      header: i.header as TRosterHeader,
      total: i.total,
      valid: i.valid,
      invalid: i.invalid,
      createdCount: i.createdCount,
      existingCount: i.existingCount,
      progress: i.status === 'done' || i.valid === 0 ? 1 : settled / i.valid,
      createdAt: i.createdAt.toISOString(),
    };
  };

  async function owned(actor: RosterActor, id: string) {
    const imp = await repo.importById(db, id);
    if (!imp) throw new AppError('NOT_FOUND', { message: '学员注册名单不存在' });
    if (actor.type === 'account' && (imp.uploaderType !== 'account' || imp.uploaderId !== actor.id))
      throw new AppError('ROSTER_FORBIDDEN');
    return imp;
  }

  /** Every rule of the template's columns; the reasons are what the sender reads in the report. */
  function checkRows(rows: Awaited<ReturnType<typeof parseRosterXlsx>>['rows']) {
    const today = clock.now();
    const seen = new Map<string, number>();
    return rows.map((r) => {
      const reasons: string[] = [];
      const name = r.name.trim();
      if (!name) reasons.push('请填写姓名');
      else if (!REAL_NAME_RE.test(name)) reasons.push('姓名只能包含汉字、字母或间隔号，中间不能有空格和符号');
      // 身份证, 港澳/台湾居民居住证 or 外国人永久居留身份证: recognised by its shape, checked by its own rules.
      const id = untypedIdDocument(r.idNumber, today);
      const { number: idNumber, type: idType, error: idError } = id;
      if (idError) reasons.push(idError === 'required' ? '请填写身份证号码' : (id.message as string));
      const phone = normalizePhone(r.phone);
      if (!phone) reasons.push('请填写手机号码');
      else if (!PHONE_RE.test(phone)) reasons.push('手机号码格式不正确');
      const sex = r.sex.trim();
      if (!sex) reasons.push('请填写性别');
      else if (!SEX[sex]) reasons.push('性别应填写男或女');
      else if (!idError) {
        // The old 15-character 永居证 does not encode the sex.
        const encoded = idDocumentSex(idType, idNumber);
        if (encoded && SEX[sex] !== encoded) reasons.push(`性别与${idNumberLabel(idType)}不一致`);
      }
      if (!idError) {
        const first = seen.get(idNumber);
        if (first !== undefined) reasons.push(`与第${first}行重复`);
        else seen.set(idNumber, r.line);
      }
      return { ...r, name, idNumber, idType, phone, sex, reasons, idOk: !idError };
    });
  }

  /**
   * Creates accounts for the next `limit` rows still `valid`; returns how many rows it settled (0: none left).
   * Rows and accounts change in one transaction, and the ID number's unique index turns an account that
   * exists already (registered meanwhile, or created by an earlier run) into `existing`: re-running after a
   * crash continues where the last committed batch ended and never creates a second account.
   */
  async function importBatch(importId: string, limit = BATCH): Promise<number> {
    const pending = await repo.pendingRows(db, importId, limit);
    if (pending.length === 0) return 0;
    const people = pending.map((r) => {
      const idNumber = pii.decrypt(r.idNumberEnc);
      // Rows keep no type: it is the one the number was recognised as when the list was checked.
      return { row: r, idNumber, idType: untypedIdDocument(idNumber).type };
    });
    // argon2 runs on libuv's thread pool: hashing the batch together uses every thread.
    const hashes = await Promise.all(people.map((p) => hashPassword(initialPassword(p.idNumber))));
    const bound = await repo.boundPhoneHashes(
      db,
      pending.flatMap((r) => (r.phoneHash ? [r.phoneHash] : [])),
    );
    const now = clock.now();
    const phoneFree = new Set<string>();
    const values = people.map(({ row, idNumber, idType }, i) => {
      // Two lines of one batch may share a phone: the first keeps it, as the unique index would decide.
      const keepPhone = row.phoneHash !== null && !bound.has(row.phoneHash) && !phoneFree.has(row.phoneHash);
      if (keepPhone) phoneFree.add(row.phoneHash as string);
      return {
        row,
        idType,
        keepPhone,
        account: {
          username: idNumber,
          passwordHash: hashes[i] as string,
          realName: row.name,
          idType,
          idNumberHash: row.idHash,
          idNumberEnc: row.idNumberEnc,
          phoneHash: keepPhone ? row.phoneHash : null,
          phoneEnc: keepPhone ? row.phoneEnc : null,
          realNameVerifiedAt: now,
          realNameSource: 'roster',
          mustChangePassword: true,
          passwordChangedAt: now,
          createdAt: now,
          updatedAt: now,
        },
      };
    });
    await db.transaction(async (tx) => {
      const inserted = new Map(
        (
          await repo.insertAccountsIgnoringExisting(
            tx,
            values.map((v) => v.account),
          )
        ).map((a) => [docKey(a.idType, a.hash), a.id]),
      );
      const keyOf = (v: (typeof values)[number]) => docKey(v.idType, v.row.idHash);
      const skipped = values
        .filter((v) => !inserted.has(keyOf(v)))
        .map((v) => ({ idType: v.idType, hash: v.row.idHash }));
      const holders = new Map(
        (await repo.accountsByIdDocuments(tx, skipped)).map((a) => [docKey(a.idType, a.hash), a.id]),
      );
      const outcomes = values.map((v) => {
        const { row, keepPhone } = v;
        const created = inserted.get(keyOf(v));
        if (created)
          return {
            id: row.id,
            status: 'created' as const,
            accountId: created,
            reason: keepPhone || !row.phoneHash ? null : PHONE_TAKEN_NOTE,
          };
        return {
          id: row.id,
          status: 'existing' as const,
          accountId: holders.get(keyOf(v)) as string,
          reason: '已注册',
        };
      });
      const settled = await repo.settleRows(tx, outcomes);
      await repo.addCounts(tx, importId, settled.created, settled.existing);
      // 短信通知: each person whose account was created here and whose phone is now theirs; sent by jobs after commit.
      const unit = (await repo.importById(tx, importId))?.header as { unitName?: string } | undefined;
      await notify.smsMany(
        tx,
        values
          .filter((v) => v.keepPhone && inserted.has(keyOf(v)))
          .map((v) => ({
            phoneEnc: v.row.phoneEnc as string,
            template: 'roster-account-created' as const,
            params: { name: v.row.name, unit: unit?.unitName?.trim() || '培训中心' },
          })),
      );
    });
    return pending.length;
  }

  /** The job: batches until no row is left, yielding between them, then done (once) with its audit record. */
  async function runImport(importId: string) {
    while ((await importBatch(importId)) > 0) await new Promise((r) => setImmediate(r));
    await db.transaction(async (tx) => {
      if (!(await repo.transition(tx, importId, 'importing', 'done'))) return;
      const imp = (await repo.importById(tx, importId)) as RosterImportRow;
      // Everyone of a unit's 名单 with an account (created now or registered before) is proposed as its member.
      if (imp.unitId && deps.proposeMembers)
        await deps.proposeMembers(
          tx,
          imp.unitId,
          (await repo.allRows(tx, importId)).flatMap((r) => (r.row.accountId ? [r.row.accountId] : [])),
        );
      await audit.record(tx, {
        actorType: 'system',
        action: 'roster.import.done',
        targetType: 'roster_import',
        targetId: importId,
        summary: { created: imp.createdCount, existing: imp.existingCount, invalid: imp.invalid },
      });
      // The unit's administrator who uploaded it; a 区县人社局's upload (staff, console) has no portal message.
      if (imp.uploaderType === 'account')
        await notify.event(tx, {
          accountId: imp.uploaderId,
          event: 'roster-import-done',
          params: {
            fileName: imp.fileName,
            created: String(imp.createdCount),
            existing: String(imp.existingCount),
            invalid: String(imp.invalid),
          },
          link: '/unit-center/roster',
        });
      if (imp.notifyEmailEnc)
        await notify.email(
          tx,
          pii.decrypt(imp.notifyEmailEnc),
          `学员注册名单导入完成：${imp.fileName}`,
          [
            `您上传的学员注册名单“${imp.fileName}”已导入完成。`,
            `新建账号 ${imp.createdCount} 人，已注册 ${imp.existingCount} 人，未通过校验 ${imp.invalid} 人。`,
            '新建账号的用户名为身份证号，初始密码为 edu@ 加身份证号后六位，首次登录须修改密码；已向填写了手机号码的学员发送短信通知。',
            '逐行结果请登录平台，在“学员注册名单”中下载导入结果。',
          ].join('\n'),
        );
    });
  }

  jobs.register(ROSTER_IMPORT_JOB, async (payload) => runImport(payload.importId as string));

  return {
    summary,

    async upload(actor: RosterActor, file: { data: Buffer; name: string }, meta: RequestMeta) {
      if (file.data.length > ROSTER_MAX_BYTES) throw fieldError('PAYLOAD_TOO_LARGE', 'file', '文件大小不能超过5M');
      const notXlsx = () => fieldError('UPLOAD_INVALID', 'file', '请上传Excel文件（.xlsx，按文件内容识别）');
      const { fileTypeFromBuffer } = await loadFileType();
      if ((await fileTypeFromBuffer(file.data))?.mime !== XLSX) throw notXlsx();
      let parsed: Awaited<ReturnType<typeof parseRosterXlsx>>;
      try {
        parsed = await parseRosterXlsx(file.data, ROSTER_MAX_ROWS);
      } catch (err) {
        if (err instanceof RosterTooManyError || (err instanceof XlsxLimitError && err.limit === 'rows'))
          throw new AppError('ROSTER_TOO_MANY');
        if (err instanceof XlsxLimitError)
          throw fieldError('UPLOAD_INVALID', 'file', xlsxLimitMessage(err, ROSTER_UPLOAD));
        if (err instanceof RosterParseError || err instanceof XlsxFormatError)
          throw fieldError('UPLOAD_INVALID', 'file', '未找到“姓名”“身份证号码”表头，请使用学员注册名单模板');
        throw err;
      }
      if (parsed.rows.length === 0) throw fieldError('UPLOAD_INVALID', 'file', '名单中没有学员信息');
      const checked = checkRows(parsed.rows);
      const hashOf = (r: { idType: IdType; idNumber: string }) => pii.lookupHash(idDocumentKey(r.idType, r.idNumber));
      const registered = new Map(
        (
          await repo.accountsByIdDocuments(
            db,
            checked.filter((r) => r.idOk).map((r) => ({ idType: r.idType, hash: hashOf(r) })),
          )
        ).map((a) => [docKey(a.idType, a.hash), a.id] as const),
      );
      const rows: NewRosterRow[] = checked.map((r) => {
        const idHash = hashOf(r);
        const accountId = r.idOk ? registered.get(docKey(r.idType, idHash)) : undefined;
        // Someone already registered gets no new account whatever else the line says.
        const status: TRosterRowStatus = accountId ? 'existing' : r.reasons.length ? 'invalid' : 'valid';
        const phoneOk = PHONE_RE.test(r.phone);
        return {
          line: r.line,
          name: r.name,
          idNumberEnc: pii.encrypt(r.idNumber),
          idHash,
          // Kept even when malformed, so the report shows the sender what they wrote.
          phoneEnc: r.phone ? pii.encrypt(r.phone) : null,
          phoneHash: phoneOk ? pii.lookupHash(r.phone) : null,
          sex: r.sex,
          remark: r.remark,
          status,
          reason: accountId ? '已注册' : r.reasons.join('；') || null,
          accountId: accountId ?? null,
        };
      });
      const existing = rows.filter((r) => r.status === 'existing').length;
      const invalid = rows.filter((r) => r.status === 'invalid').length;
      const now = clock.now();
      const imp = await db.transaction(async (tx) => {
        const imp = await repo.insertImport(tx, {
          uploaderType: actor.type,
          uploaderId: actor.id,
          unitId: actor.type === 'account' ? actor.unitId : null,
          fileName: file.name.slice(0, 200),
          header: parsed.header,
          status: 'validated',
          total: rows.length,
          // "valid" counts every line that passed, the already registered included: progress is settled / valid.
          valid: rows.length - invalid,
          invalid,
          existingCount: existing,
          createdAt: now,
          updatedAt: now,
        });
        await repo.insertRows(tx, imp.id, rows);
        await audit.record(tx, {
          actorType: actor.type,
          actorId: actor.id,
          action: 'roster.upload',
          targetType: 'roster_import',
          targetId: imp.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: { fileName: imp.fileName, total: imp.total, invalid, existing },
        });
        return imp;
      });
      return this.get(actor, imp.id, { page: 1, pageSize: 50 });
    },

    /** Days an upload with failed rows stays in the `attention` list: ROSTER_ATTENTION_DAYS, or the retention if shorter. */
    attentionDays,

    /**
     * The imports this actor sees, newest first. `attention`: only those needing a look — rows that failed
     * (uploaded in the last `attentionDays` days, while the rows are still there to see) or an import whose job
     * stopped making progress.
     */
    async list(actor: RosterActor, page: { page: number; pageSize: number }, filter: { attention?: boolean } = {}) {
      const now = clock.now().getTime();
      const { items, total } = await repo.listImports(
        db,
        actor.type === 'account' ? { type: 'account', id: actor.id } : null,
        { limit: page.pageSize, offset: (page.page - 1) * page.pageSize },
        filter.attention
          ? {
              since: new Date(now - attentionDays * DAY_MS),
              stalledBefore: new Date(now - ROSTER_STALLED_MS),
            }
          : undefined,
      );
      return { items: items.map(summary), total };
    },

    async get(actor: RosterActor, id: string, q: TRosterDetailQuery): Promise<TRosterDetail> {
      const imp = await owned(actor, id);
      const { items, total } = await repo.rowsPage(db, id, q.status, {
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      // Rows never leave 未通过 otherwise, so a count without rows means the retention job deleted them.
      const invalidRowsExpired = imp.invalid > 0 && !(await repo.hasRows(db, id, 'invalid'));
      return {
        ...summary(imp),
        invalidRowsExpired,
        invalidRowsDays,
        rows: items.map(({ row, username }) => ({
          line: row.line,
          name: row.name,
          idNumberMasked: maskIdNumber(pii.decrypt(row.idNumberEnc)),
          status: row.status as TRosterRowStatus,
          reason: row.reason,
          username: shownUsername(username),
        })),
        rowsTotal: total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },

    /**
     * 确认导入: the job creates the accounts; asking twice is refused rather than queued twice, and an upload past the
     * retention is refused as expired (its rows are, or are about to be, deleted).
     */
    async startImport(actor: RosterActor, id: string, input: Partial<TRosterStartImport>, meta: RequestMeta) {
      if (isExpired(await owned(actor, id))) throw expiredError();
      await db.transaction(async (tx) => {
        if (!(await repo.transition(tx, id, 'validated', 'importing')))
          throw (await repo.importById(tx, id))?.status === 'expired' ? expiredError() : new AppError('ROSTER_STATE');
        if (input.notifyEmail) await repo.setNotifyEmail(tx, id, pii.encrypt(input.notifyEmail));
        await jobs.enqueue(tx, ROSTER_IMPORT_JOB, { importId: id });
        await audit.record(tx, {
          actorType: actor.type,
          actorId: actor.id,
          action: 'roster.import.start',
          targetType: 'roster_import',
          targetId: id,
          ip: meta.ip,
          userAgent: meta.userAgent,
        });
      });
      return this.get(actor, id, { page: 1, pageSize: 50 });
    },

    importBatch,
    runImport,

    /**
     * The retention job's part: deletes the 未通过 rows of uploads older than IMPORT_ERROR_FILE_DAYS (the counts on
     * the import stay). Idempotent, and safe beside another instance doing the same. Returns how many rows.
     */
    async purgeExpiredInvalidRows(): Promise<number> {
      const before = retentionStart();
      return inBatches(() => repo.deleteInvalidRowsBefore(db, before, PURGE_BATCH));
    },

    /**
     * The retention job's other part: uploads checked but not imported within IMPORT_ERROR_FILE_DAYS become expired
     * and their rows still waiting for an account (ID numbers and phones of people who have none) are deleted. Rows
     * of imported uploads (created, existing) are never touched, nor an upload being imported. Idempotent, and safe
     * beside another instance or a 确认导入 at the same moment: an upload is either imported or expired, never both.
     */
    async expireUnimported(): Promise<{ uploads: number; rows: number }> {
      const uploads = await repo.expireValidatedBefore(db, retentionStart(), clock.now());
      // Also the rows an earlier run expired but did not get to delete (it stopped part-way).
      const rows = await inBatches(() => repo.deletePendingRowsOfExpired(db, PURGE_BATCH));
      return { uploads, rows };
    },

    async reportXlsx(actor: RosterActor, id: string) {
      await owned(actor, id);
      const rows = await repo.allRows(db, id);
      return rosterReportXlsx(
        rows.map(({ row, username }) => {
          const phone = row.phoneEnc ? pii.decrypt(row.phoneEnc) : '';
          return {
            line: row.line,
            name: row.name,
            idNumberMasked: maskIdNumber(pii.decrypt(row.idNumberEnc)),
            phoneMasked: phone ? maskPhone(phone) : '',
            result:
              row.status === 'existing'
                ? `${ROSTER_ROW_STATUS_LABELS.existing}（用户名：${shownUsername(username) ?? ''}）`
                : (ROSTER_ROW_STATUS_LABELS[row.status as TRosterRowStatus] ?? row.status),
            reason: row.reason ?? '',
          };
        }),
      );
    },
  };
}
export type RosterService = ReturnType<typeof createRosterService>;

/** Runs a bounded delete until it deletes less than a batch, yielding between batches; returns the total. */
async function inBatches(deleteBatch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await deleteBatch();
    total += n;
    if (n < PURGE_BATCH) return total;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Roster accounts are named by their document number (of any 证件类型): shown masked, like every other one. */
function shownUsername(username: string | null | undefined): string | null {
  if (!username) return null;
  return inferIdType(username) ? maskIdNumber(username.toUpperCase()) : username;
}
