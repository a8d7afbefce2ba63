import {
  APPLICATION_STATUS_LABELS,
  type ApplicationData,
  CERT_KIND_LABELS,
  canTransition,
  checkTraineeLines,
  classDays,
  classHours,
  type IdType,
  idDocumentKey,
  maskHolderName,
  maskIdNumber,
  maskPhone,
  parseTraineeText,
  SEMINAR_CERT_NO_PATTERN,
  SEMINAR_CERT_PREFIX,
  type TApplicationStatus,
  type TCertVerification,
  TRAINEES_MAX_LINES,
  TRAINEES_TOO_MANY_MESSAGE,
  type TraineeInputLine,
  type TraineeLine,
  type TSeminarCertificate,
  type TTraineeLineError,
  type TTraineeList,
  type TTraineeListQuery,
  type TTraineesSaved,
} from '@cpe/shared';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { loadFileType } from '../../lib/lazy.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import { XlsxFormatError, XlsxLimitError, xlsxLimitMessage } from '../../lib/xlsx-reader.js';
import type { ApplicationRow } from '../applications/applications.repo.js';
import type { Filer } from '../applications/applications.service.js';
import type { ApprovalContext, ApprovalEffect } from '../applications/effects.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { maskIdForCertificate } from '../certificates/certificates.service.js';
import { CREDIT_SOURCES, type CreditsRepo } from '../credits/credits.repo.js';
import type { FilesService } from '../files/files.service.js';
import type { NewSeminarCertificateRow, SeminarCertificateRow, SeminarsRepo, TraineeRow } from './seminars.repo.js';
import { parseTraineesXlsx, TRAINEES_UPLOAD, TraineesHeaderError, traineesErrorsXlsx } from './trainees-excel.js';

export const COMPLETION_TYPE = 'completion';
/** The section and field of 结业上报 that hold the list's { total, passed } (its rows live in seminar_trainees). */
export const TRAINEES_SECTION = 'trainees';
export const TRAINEES_FIELD = 'list';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CERT_FILE = 'seminar-certificate';

/** What this module asks of the application engine. */
export interface SeminarApplications {
  own(filer: Filer, id: string): Promise<ApplicationRow>;
  related(row: ApplicationRow): Promise<{ parent?: ApplicationRow; project?: ApplicationRow }>;
  setComputed(tx: Executor, applicationId: string, sectionId: string, field: string, value: unknown): Promise<unknown>;
  nextNumber(tx: Executor, code: string, year: number, count?: number): Promise<number>;
  onApproved(typeKey: string, effect: ApprovalEffect): void;
}

/** The signed-PDF path and the 证书查验 page of the certificates module. */
export interface SeminarCertificatesPort {
  signing: { sign(pdf: Uint8Array): Promise<Buffer>; seal(): Uint8Array | undefined; issuerName: string };
  verifyUrl(certNo: string): string;
  registerVerifier(prefix: string, verify: (certNo: string) => Promise<TCertVerification | undefined>): void;
}

/** The 学员名单 as sent: pasted text, or an uploaded .xlsx. */
export type TraineesInput = { text: string } | { file: Buffer };

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const dataOf = (row: ApplicationRow | undefined) => (row?.data ?? {}) as ApplicationData;

export function certificateFilename(certNo: string): string {
  return `高研班结业证书-${certNo}.pdf`;
}

/**
 * 高研班 after the class: the 学员名单 of a 结业上报 (checked whole, stored whole or not at all), and what 结业
 * approval issues — a 高研班结业证书 (GYB numbers of 市人社局) and a 专业科目 学时 entry for each 合格 participant,
 * kept by ID-number hash so that someone without an account finds them on registering.
 */
export function createSeminarsService(deps: {
  db: Db;
  repo: SeminarsRepo;
  applications: SeminarApplications;
  certificates: SeminarCertificatesPort;
  files: FilesService;
  pii: Pii;
  clock: Clock;
  audit: AuditRepo;
  /** 学时档案's entries: 结业 adds a 专业科目 entry per certificate. */
  credits: CreditsRepo;
  /**
   * A signed-in person's document: its 证件类型 and keyed hash (how accounts store it, `idDocumentKey`); null
   * without one. 学员名单, certificates and 学时 are kept by that hash, whatever the type.
   */
  holder: (accountId: string) => Promise<{ idType: IdType; hash: string } | null>;
}) {
  const { db, repo, applications, certificates, files, pii, clock, audit } = deps;
  const rendering = new Map<string, Promise<string>>();

  /** The filer's own 结业上报; `forEdit` also requires a state in which it may be changed. */
  async function completionOf(filer: Filer, id: string, forEdit: boolean) {
    const row = await applications.own(filer, id);
    if (row.type !== COMPLETION_TYPE)
      throw new AppError('APPLICATION_STATE', { message: '只有结业上报需要填写学员名单' });
    if (forEdit && !canTransition('edit', row.status as TApplicationStatus))
      throw new AppError('APPLICATION_STATE', {
        message: `结业上报${APPLICATION_STATUS_LABELS[row.status as TApplicationStatus] ?? row.status}，不能修改学员名单`,
      });
    const { parent } = await applications.related(row);
    return { row, classDays: classDays(dataOf(parent)) };
  }

  async function readLines(input: TraineesInput): Promise<TraineeInputLine[]> {
    let lines: TraineeInputLine[];
    if ('text' in input) lines = parseTraineeText(input.text);
    else {
      if (input.file.length > TRAINEES_UPLOAD.maxBytes)
        throw fieldError('PAYLOAD_TOO_LARGE', 'file', `文件大小不能超过${TRAINEES_UPLOAD.maxBytes / 1048576}M`);
      const { fileTypeFromBuffer } = await loadFileType();
      if ((await fileTypeFromBuffer(input.file))?.mime !== XLSX)
        throw fieldError('UPLOAD_INVALID', 'file', '请上传Excel文件（.xlsx，按文件内容识别）');
      try {
        lines = await parseTraineesXlsx(input.file);
      } catch (err) {
        if (err instanceof XlsxLimitError) {
          if (err.limit === 'rows')
            throw new AppError('TRAINEES_TOO_MANY', {
              message: TRAINEES_TOO_MANY_MESSAGE,
              fields: { file: TRAINEES_TOO_MANY_MESSAGE },
            });
          throw fieldError('TRAINEES_FILE_INVALID', 'file', xlsxLimitMessage(err, TRAINEES_UPLOAD));
        }
        if (err instanceof TraineesHeaderError)
          throw fieldError('TRAINEES_FILE_INVALID', 'file', '未找到“姓名”“身份证号码”表头，请使用学员名单模板');
        if (err instanceof XlsxFormatError) throw fieldError('TRAINEES_FILE_INVALID', 'file');
        throw err;
      }
    }
    if (lines.length === 0)
      throw fieldError('VALIDATION_FAILED', 'text' in input ? 'text' : 'file', '学员名单中没有学员');
    if (lines.length > TRAINEES_MAX_LINES) throw new AppError('TRAINEES_TOO_MANY');
    return lines;
  }

  function check(lines: TraineeInputLine[], days: number) {
    const results = checkTraineeLines(lines, { classDays: days, today: clock.now() });
    const bad: TTraineeLineError[] = [];
    const good: TraineeLine[] = [];
    for (const r of results) {
      if (r.ok) good.push(r.value);
      else bad.push({ line: r.line, name: r.name, reason: r.reason });
    }
    return { good, bad };
  }

  const traineeView = (r: TraineeRow) => ({
    id: r.id,
    line: r.line,
    name: r.name,
    idNumberMasked: r.idMasked,
    employer: r.employer,
    title: r.title,
    phoneMasked: r.phoneMasked,
    attendanceDays: r.attendanceDays,
    result: r.passed as '合格' | '不合格',
  });

  /** 学员名单 of a 结业上报, paged and searchable by name; ID numbers and phones masked. No access check. */
  async function list(
    applicationId: string,
    q: Pick<TTraineeListQuery, 'page' | 'pageSize' | 'keyword'>,
    days: number | null = null,
  ): Promise<TTraineeList> {
    const [page, summary] = await Promise.all([
      repo.traineesPage(db, applicationId, {
        keyword: q.keyword || undefined,
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      }),
      repo.traineeSummary(db, applicationId),
    ]);
    return {
      items: page.items.map(traineeView),
      total: page.total,
      page: q.page,
      pageSize: q.pageSize,
      summary,
      classDays: days,
    };
  }

  function certificateView(r: SeminarCertificateRow): TSeminarCertificate {
    return {
      id: r.id,
      certNo: r.certNo,
      holderName: r.holderName,
      idNumberMasked: r.idNumberMasked,
      projectName: r.projectName,
      hostUnit: r.hostUnit,
      heldFrom: r.heldFrom,
      heldTo: r.heldTo,
      year: r.year,
      hours: r.hours,
      issuedAt: r.issuedAt.toISOString(),
      status: r.status as TSeminarCertificate['status'],
    };
  }

  /**
   * 结业 approved (inside the approving transaction): each 合格 participant of the 学员名单 gets a 高研班结业证书,
   * numbered GYB + the year of 结业 + 市人社局's consecutive sequence, and a 专业科目 entry of the class's 学时.
   * Idempotent: a participant who has a certificate of this completion gets nothing new (and no number).
   */
  async function issueOnCompletion({ tx, app, parent, project, actor, meta, now }: ApprovalContext): Promise<void> {
    const plan = dataOf(parent).basic ?? {};
    const heldFrom = str(plan.startDate);
    const heldTo = str(plan.endDate);
    const year = Number(heldTo.slice(0, 4)) || Number(heldFrom.slice(0, 4)) || app.year;
    const hours = classHours(dataOf(parent));
    const projectName =
      str(dataOf(project).basic?.projectName) || str(plan.projectName) || str(dataOf(app).report?.projectName);
    const hostUnit = str(plan.hostName) || str(dataOf(project).host?.hostName) || app.filerName;
    const have = await repo.certificateHashes(tx, app.id);
    const due = (await repo.passedTrainees(tx, app.id)).filter((t) => !have.has(t.idHash));
    // One block of consecutive numbers for the whole list, in the list's order.
    const first = due.length ? await applications.nextNumber(tx, SEMINAR_CERT_PREFIX, year, due.length) : 0;
    const rows: NewSeminarCertificateRow[] = [];
    for (const [i, t] of due.entries()) {
      const seq = first + i;
      rows.push({
        certNo: `${SEMINAR_CERT_PREFIX}${year}${String(seq).padStart(6, '0')}`,
        completionId: app.id,
        classPlanId: parent?.id ?? app.parentId ?? app.id,
        seminarId: project?.id ?? parent?.parentId ?? app.id,
        idHash: t.idHash,
        holderName: t.name,
        idNumberMasked: maskIdForCertificate(pii.decrypt(t.idNumberEnc)),
        projectName,
        hostUnit,
        heldFrom,
        heldTo,
        year,
        hours,
        issuedAt: now,
        createdAt: now,
      });
    }
    const created = await repo.insertCertificates(tx, rows);
    await deps.credits.add(
      tx,
      created.map((c) => ({
        idHash: c.idHash,
        year,
        category: 'professional',
        form: '高级研修',
        title: projectName,
        hours,
        source: CREDIT_SOURCES.seminarCompletion,
        sourceId: c.id,
        createdAt: now,
      })),
    );
    if (created.length)
      await audit.record(tx, {
        actorType: actor.actorType,
        actorId: actor.actorId,
        action: 'seminar.certificates.issue',
        targetType: 'application',
        targetId: app.id,
        ip: meta.ip,
        userAgent: meta.userAgent,
        summary: { issued: created.length, year, hours, first: created[0]?.certNo, last: created.at(-1)?.certNo },
      });
  }

  async function verify(certNo: string): Promise<TCertVerification | undefined> {
    if (!SEMINAR_CERT_NO_PATTERN.test(certNo)) return undefined;
    const r = await repo.certificateByNo(db, certNo);
    if (!r) return undefined;
    return {
      kind: 'seminar',
      kindLabel: CERT_KIND_LABELS.seminar,
      certNo: r.certNo,
      holderNameMasked: maskHolderName(r.holderName),
      planName: r.projectName,
      year: r.year,
      hours: r.hours,
      issuedAt: r.issuedAt.toISOString(),
      orgName: r.hostUnit,
      status: r.status as TCertVerification['status'],
      revokedAt: r.revokedAt?.toISOString() ?? null,
      heldFrom: r.heldFrom,
      heldTo: r.heldTo,
    };
  }

  applications.onApproved(COMPLETION_TYPE, issueOnCompletion);
  certificates.registerVerifier(SEMINAR_CERT_PREFIX, verify);

  async function ownCertificate(accountId: string, id: string) {
    const holder = await deps.holder(accountId);
    const r = await repo.certificateById(db, id);
    // Another person's certificate answers like a missing one.
    if (!r || !holder || r.idHash !== holder.hash) throw new AppError('NOT_FOUND', { message: '证书不存在' });
    return { r, idType: holder.idType };
  }

  async function renderAndStore(r: SeminarCertificateRow, accountId: string, idType: IdType): Promise<string> {
    const { signing } = certificates;
    // The renderer (pdf-lib, fontkit, qrcode) is loaded with the first certificate printed, not at start (issue 22).
    const { renderSeminarCertificatePdf } = await import('../certificates/certificate-pdf.js');
    const pdf = await renderSeminarCertificatePdf(
      {
        certNo: r.certNo,
        holderName: r.holderName,
        idType,
        idNumberMasked: r.idNumberMasked,
        projectName: r.projectName,
        hostUnit: r.hostUnit,
        heldFrom: r.heldFrom,
        heldTo: r.heldTo,
        hours: r.hours,
        issuedAt: r.issuedAt,
        issuerName: signing.issuerName,
        verifyUrl: certificates.verifyUrl(r.certNo),
      },
      { seal: signing.seal(), signingTime: clock.now() },
    );
    const signed = await signing.sign(pdf);
    return db.transaction(async (tx) => {
      const fileId = await files.save(tx, {
        data: Buffer.from(signed),
        mime: 'application/pdf',
        purpose: CERT_FILE,
        ownerAccountId: accountId,
        originalName: certificateFilename(r.certNo),
      });
      return (await repo.setPdfOnce(tx, r.id, fileId)) ?? fileId;
    });
  }

  return {
    list,
    issueOnCompletion,
    verify,

    /** The filer's view of the list (with the class's days). */
    async listOwn(filer: Filer, id: string, q: TTraineeListQuery): Promise<TTraineeList> {
      const c = await completionOf(filer, id, false);
      return list(c.row.id, q, c.classDays);
    },

    /**
     * Replaces the 学员名单 of an editable 结业上报: every line is checked first; one bad line and nothing is written
     * (400 TRAINEES_INVALID with every bad line and its reasons). The rows and the application's { total, passed }
     * change in one transaction.
     */
    async replace(filer: Filer, id: string, input: TraineesInput, meta: RequestMeta): Promise<TTraineesSaved> {
      const c = await completionOf(filer, id, true);
      const lines = await readLines(input);
      const { good, bad } = check(lines, c.classDays);
      if (bad.length)
        throw new AppError('TRAINEES_INVALID', {
          message: `学员名单有${bad.length}行错误，请按每行的原因修改后重新提交（共${lines.length}行，未保存）`,
          extra: { lines: bad },
        });
      const rows = good.map((t) => ({
        applicationId: c.row.id,
        line: t.line,
        name: t.name,
        idNumberEnc: pii.encrypt(t.idNumber),
        idHash: pii.lookupHash(idDocumentKey(t.idType, t.idNumber)),
        idMasked: maskIdNumber(t.idNumber),
        employer: t.employer,
        title: t.title,
        phoneEnc: t.phone ? pii.encrypt(t.phone) : null,
        phoneMasked: t.phone ? maskPhone(t.phone) : '',
        attendanceDays: t.attendanceDays,
        passed: t.result,
      }));
      const saved = { total: rows.length, passed: rows.filter((r) => r.passed === '合格').length };
      await db.transaction(async (tx) => {
        // The application row first: locked, and refused if it was submitted meanwhile.
        await applications.setComputed(tx, c.row.id, TRAINEES_SECTION, TRAINEES_FIELD, saved);
        await repo.replaceTrainees(tx, c.row.id, rows);
        await audit.record(tx, {
          actorType: filer.actorType,
          actorId: filer.actorId,
          action: 'seminar.trainees.save',
          targetType: 'application',
          targetId: c.row.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: { ...saved, source: 'text' in input ? 'paste' : 'excel' },
        });
      });
      return saved;
    },

    /** 下载错误文件: the bad lines of the same input, with 错误原因 (nothing is saved). */
    async errorsXlsx(filer: Filer, id: string, input: TraineesInput): Promise<Buffer> {
      const c = await completionOf(filer, id, false);
      const lines = await readLines(input);
      const results = checkTraineeLines(lines, { classDays: c.classDays, today: clock.now() });
      return traineesErrorsXlsx(
        results.flatMap((r, i) => (r.ok ? [] : [{ input: lines[i] as TraineeInputLine, reason: r.reason }])),
      );
    },

    /** 清空 the list of an editable 结业上报. */
    async clear(filer: Filer, id: string, meta: RequestMeta): Promise<TTraineesSaved> {
      const c = await completionOf(filer, id, true);
      await db.transaction(async (tx) => {
        await applications.setComputed(tx, c.row.id, TRAINEES_SECTION, TRAINEES_FIELD, null);
        const removed = await repo.clearTrainees(tx, c.row.id);
        await audit.record(tx, {
          actorType: filer.actorType,
          actorId: filer.actorId,
          action: 'seminar.trainees.clear',
          targetType: 'application',
          targetId: c.row.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: { removed },
        });
      });
      return { total: 0, passed: 0 };
    },

    /** 我的证书: the signed-in person's 高研班结业证书, found by their document's hash. */
    async myCertificates(accountId: string) {
      const holder = await deps.holder(accountId);
      return { items: holder ? (await repo.certificatesOfHolder(db, holder.hash)).map(certificateView) : [] };
    },

    /** The signed PDF: rendered on the first download (outside any approval), then served as stored. */
    async certificatePdf(accountId: string, id: string) {
      const { r, idType } = await ownCertificate(accountId, id);
      if (r.status === 'revoked') throw new AppError('CERT_REVOKED');
      let fileId = r.pdfFileId;
      if (!fileId) {
        let pending = rendering.get(r.id);
        if (!pending) {
          pending = renderAndStore(r, accountId, idType).finally(() => rendering.delete(r.id));
          rendering.set(r.id, pending);
        }
        fileId = await pending;
      }
      const f = await files.read(fileId);
      return { data: f.data, filename: certificateFilename(r.certNo) };
    },
  };
}
export type SeminarsService = ReturnType<typeof createSeminarsService>;
