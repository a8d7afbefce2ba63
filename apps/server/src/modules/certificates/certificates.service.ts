import crypto from 'node:crypto';
import fs from 'node:fs';
import {
  CERT_KIND_LABELS,
  type IdType,
  maskHolderName,
  maskIdNumber,
  type TAdminCertificate,
  type TAdminCertificateQuery,
  type TCertificate,
  type TCertificateOrganisation,
  type TCertMissingField,
  type TCertVerification,
} from '@cpe/shared';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { uniqueViolation } from '../../lib/pg-errors.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { CREDIT_SOURCES, type CreditsRepo } from '../credits/credits.repo.js';
import type { FilesService } from '../files/files.service.js';
import type { Jobs } from '../jobs/jobs.service.js';
import type { NotifyService } from '../notify/notify.service.js';
import type { RateLimitService } from '../ratelimit/ratelimit.service.js';
import type { CertificateRow, CertificatesRepo } from './certificates.repo.js';
import type { PdfSigner } from './pdf-signer.js';

export const CERTIFICATE_ISSUE_JOB = 'certificate.issue';
const CERTIFICATE_FILE = 'certificate';
const NUMBER_ATTEMPTS = 8;
/** 证书查验 lookups per client IP per minute: enough for people, too few to walk the number space. */
const VERIFY_PER_MINUTE = 30;

/**
 * 500***********1232: a certificate keeps the region and the last four, as printed certificates do — for every
 * document of 15 or 18 characters (身份证, 居住证 810/820/830, 永居证 9 + province, or an old one's nationality
 * letters). A passport number is too short to show seven of its characters: masked as in lists.
 */
export function maskIdForCertificate(id: string): string {
  if (id.length < 15) return maskIdNumber(id);
  return `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`;
}

/** GX + year + 8 random digits; uniqueness is the index's job (a collision is retried). */
export function newCertNo(year: number): string {
  return `GX${year}${String(crypto.randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

export function certificateFilename(certNo: string): string {
  return `合格证书-${certNo}.pdf`;
}

/**
 * 合格证书: issued once per completed enrolment by a job, printed (rendered, signed, cached) once the learner chose
 * the 组织机构, verified publicly by number, revoked by the training centre with a reason.
 */
export function createCertificatesService(deps: {
  db: Db;
  repo: CertificatesRepo;
  files: FilesService;
  jobs: Jobs;
  clock: Clock;
  pii: Pii;
  audit: AuditRepo;
  rateLimits: RateLimitService;
  publicUrl: string;
  dataDir: string;
  signing: { p12?: string; password: string; issuerName: string; sealImage?: string };
  notify: NotifyService;
  /** 学时档案: an issued certificate adds its 学时, a revoked one withdraws them. */
  credits: Pick<CreditsRepo, 'add' | 'revokeSource'>;
}) {
  const { db, repo, files, clock, pii, audit } = deps;

  // The key is parsed (or the demo certificate made) on first use: start-up and tests that print nothing skip it.
  // So is the signer's module, and the renderer's below: with pdf-lib, fontkit, @signpdf and node-forge they take
  // ~250 ms to load, which a start no longer pays (issue 22).
  let signer: PdfSigner | undefined;
  const signerOf = async () => {
    if (!signer) {
      const { createPdfSigner, loadSigningIdentity } = await import('./pdf-signer.js');
      signer ??= createPdfSigner(loadSigningIdentity({ ...deps.signing, dataDir: deps.dataDir }));
    }
    return signer;
  };
  let seal: Uint8Array | undefined;
  const sealImage = () => {
    if (deps.signing.sealImage) seal ??= fs.readFileSync(deps.signing.sealImage);
    return seal;
  };
  // Two clicks on 打印证书 render once.
  const rendering = new Map<string, Promise<string>>();
  /** Other certificates verified on the same 证书查验 page, by their number's prefix (高研班结业证书: GYB). */
  const verifiers = new Map<string, (certNo: string) => Promise<TCertVerification | undefined>>();

  function missing(r: CertificateRow): TCertMissingField[] {
    const out: TCertMissingField[] = [];
    if (!r.orgName) out.push('organisation');
    if (!r.holderName.trim()) out.push('realName');
    if (!r.idNumberMasked.trim()) out.push('idNumber');
    return out;
  }

  function view(r: CertificateRow): TCertificate {
    const m = missing(r);
    return {
      id: r.id,
      certNo: r.certNo,
      planId: r.planId,
      planName: r.planName,
      year: r.year,
      hours: r.hours,
      holderName: r.holderName,
      idNumberMasked: r.idNumberMasked,
      issuedAt: r.issuedAt.toISOString(),
      orgName: r.orgName,
      orgKind: r.orgUnitId ? 'unit' : r.orgNodeId ? 'district' : null,
      status: r.status as TCertificate['status'],
      revokedAt: r.revokedAt?.toISOString() ?? null,
      needsProfile: m.length > 0,
      missing: m,
    };
  }

  function adminView(r: CertificateRow): TAdminCertificate {
    return {
      id: r.id,
      certNo: r.certNo,
      holderName: r.holderName,
      idNumberMasked: r.idNumberMasked,
      planName: r.planName,
      year: r.year,
      hours: r.hours,
      issuedAt: r.issuedAt.toISOString(),
      orgName: r.orgName,
      status: r.status as TAdminCertificate['status'],
      revokedAt: r.revokedAt?.toISOString() ?? null,
      revokeReason: r.revokeReason,
      pdfReady: Boolean(r.pdfFileId),
    };
  }

  /** Another person's certificate answers like a missing one: its existence is not confirmed. */
  async function own(accountId: string, id: string) {
    const r = await repo.byId(db, id);
    if (!r || r.accountId !== accountId) throw new AppError('NOT_FOUND', { message: '证书不存在' });
    return r;
  }

  /**
   * Issues the enrolment's certificate if it is complete and has none yet. Safe to run twice or in parallel: the
   * unique index on enrollment_id keeps one, a colliding number is drawn again.
   */
  async function issue(enrollmentId: string): Promise<CertificateRow | undefined> {
    const done = await repo.byEnrollment(db, enrollmentId);
    if (done) return done;
    const c = await repo.completion(db, enrollmentId);
    // Not (yet) complete: nothing to issue; the completion that comes later enqueues its own job.
    if (!c?.completedAt) return undefined;
    const idNumber = c.idNumberEnc ? pii.decrypt(c.idNumberEnc) : '';
    for (let attempt = 1; ; attempt++) {
      const now = clock.now();
      try {
        return await db.transaction(async (tx) => {
          const created = await repo.insertOnce(tx, {
            certNo: newCertNo(c.year),
            enrollmentId,
            accountId: c.accountId,
            planId: c.planId,
            holderName: c.realName,
            idNumberMasked: idNumber ? maskIdForCertificate(idNumber) : '',
            planName: c.planName,
            year: c.year,
            hours: Math.max(c.creditedHours ?? 0, c.requiredHours),
            issuedAt: now,
            createdAt: now,
            updatedAt: now,
          });
          if (!created) return (await repo.byEnrollment(tx, enrollmentId)) as CertificateRow;
          await repo.markIssued(tx, enrollmentId, now);
          // 学时档案: the plan's 学时 as 公需科目 in the plan's year (补学 plans count in the year they make up).
          if (c.idNumberHash)
            await deps.credits.add(tx, [
              {
                idHash: c.idNumberHash,
                year: created.year,
                category: 'public',
                form: '网络学习',
                title: created.planName,
                hours: created.hours,
                source: CREDIT_SOURCES.publicCertificate,
                sourceId: created.id,
                createdAt: now,
              },
            ]);
          await audit.record(tx, {
            actorType: 'system',
            action: 'certificate.issue',
            targetType: 'certificate',
            targetId: created.id,
            summary: { certNo: created.certNo, enrollmentId, planId: c.planId, year: c.year },
          });
          await deps.notify.event(tx, {
            accountId: c.accountId,
            event: 'certificate-issued',
            params: { planName: c.planName, certNo: created.certNo },
            link: '/certificates',
          });
          return created;
        });
      } catch (err) {
        if (uniqueViolation(err) === 'certificates_no_uq' && attempt < NUMBER_ATTEMPTS) continue;
        throw err;
      }
    }
  }

  deps.jobs.register(CERTIFICATE_ISSUE_JOB, async (payload) => {
    const enrollmentId = String(payload.enrollmentId ?? '');
    if (!/^[0-9a-f-]{36}$/i.test(enrollmentId)) throw new Error(`certificate.issue: bad enrollmentId ${enrollmentId}`);
    await issue(enrollmentId);
  });

  async function renderAndStore(r: CertificateRow): Promise<string> {
    const signerNow = await signerOf();
    const idType = (await repo.holderIdType(db, r.accountId)) as IdType;
    const { renderCertificatePdf } = await import('./certificate-pdf.js');
    const pdf = await renderCertificatePdf(
      {
        certNo: r.certNo,
        holderName: r.holderName,
        idType,
        idNumberMasked: r.idNumberMasked,
        planName: r.planName,
        year: r.year,
        hours: r.hours,
        issuedAt: r.issuedAt,
        orgName: r.orgName ?? '',
        issuerName: deps.signing.issuerName,
        verifyUrl: verifyUrl(r.certNo),
      },
      { seal: sealImage(), signingTime: clock.now() },
    );
    const signed = await signerNow.sign(pdf);
    return db.transaction(async (tx) => {
      const fileId = await files.save(tx, {
        data: signed,
        mime: 'application/pdf',
        purpose: CERTIFICATE_FILE,
        ownerAccountId: r.accountId,
        originalName: certificateFilename(r.certNo),
      });
      return (await repo.setPdfOnce(tx, r.id, fileId, clock.now())) ?? fileId;
    });
  }

  function verifyUrl(certNo: string): string {
    const u = new URL('/verify', deps.publicUrl);
    u.searchParams.set('no', certNo);
    return u.toString();
  }

  return {
    issue,
    verifyUrl,
    /** The signed-PDF path for other certificates (高研班结业证书): the same key, seal and issuer. */
    signing: {
      sign: async (pdf: Uint8Array) => (await signerOf()).sign(pdf),
      seal: sealImage,
      issuerName: deps.signing.issuerName,
    },
    registerVerifier(prefix: string, verify: (certNo: string) => Promise<TCertVerification | undefined>) {
      verifiers.set(prefix, verify);
    },
    async mine(accountId: string) {
      return { items: (await repo.mine(db, accountId)).map(view) };
    },
    async get(accountId: string, id: string) {
      return view(await own(accountId, id));
    },

    async searchUnits(q: string) {
      return { items: await repo.searchUnits(db, q) };
    },

    /** 组织机构: the learner's unit, or the district keeping their file. Fixed once the PDF exists. */
    async setOrganisation(accountId: string, id: string, input: TCertificateOrganisation, meta: RequestMeta) {
      const r = await own(accountId, id);
      if (r.status === 'revoked') throw new AppError('CERT_REVOKED');
      if (r.pdfFileId) throw new AppError('CERT_STATE', { message: '证书已生成，组织机构不能再修改' });
      const orgName =
        input.kind === 'unit' ? await repo.unitName(db, input.unitId) : await repo.districtName(db, input.orgNodeId);
      if (!orgName)
        throw input.kind === 'unit'
          ? fieldError('VALIDATION_FAILED', 'unitId', '未找到该单位，请重新查找或选择您档案所在区县')
          : fieldError('VALIDATION_FAILED', 'orgNodeId', '未找到该区县，请重新选择');
      return view(
        await db.transaction(async (tx) => {
          const locked = await repo.forUpdate(tx, id);
          if (!locked || locked.pdfFileId)
            throw new AppError('CERT_STATE', { message: '证书已生成，组织机构不能再修改' });
          const updated = await repo.update(tx, id, {
            orgName,
            orgUnitId: input.kind === 'unit' ? input.unitId : null,
            orgNodeId: input.kind === 'district' ? input.orgNodeId : null,
            updatedAt: clock.now(),
          });
          await audit.record(tx, {
            actorType: 'account',
            actorId: accountId,
            action: 'certificate.organisation',
            targetType: 'certificate',
            targetId: id,
            ip: meta.ip,
            userAgent: meta.userAgent,
            summary: { kind: input.kind, orgName },
          });
          return updated as CertificateRow;
        }),
      );
    },

    /** The signed PDF: rendered on the first request, then served from storage byte for byte. */
    async pdf(accountId: string, id: string) {
      const r = await own(accountId, id);
      if (r.status === 'revoked') throw new AppError('CERT_REVOKED');
      const m = missing(r);
      if (m.length > 0) {
        const labels = {
          organisation: '请选择组织机构',
          realName: '请完善姓名',
          idNumber: '请完善证件号码',
        } as const;
        throw new AppError('CERT_PROFILE_INCOMPLETE', {
          fields: Object.fromEntries(m.map((f) => [f, labels[f]])),
        });
      }
      let fileId = r.pdfFileId;
      if (!fileId) {
        let pending = rendering.get(r.id);
        if (!pending) {
          pending = renderAndStore(r).finally(() => rendering.delete(r.id));
          rendering.set(r.id, pending);
        }
        fileId = await pending;
      }
      const f = await files.read(fileId);
      return { data: f.data, filename: certificateFilename(r.certNo) };
    },

    /** 证书查验 (public): the holder's name masked, never the reason of a revocation. */
    async verify(certNo: string, ip: string): Promise<TCertVerification> {
      await deps.rateLimits.consume({ key: `cert-verify:ip:${ip}`, max: VERIFY_PER_MINUTE, windowMs: 60_000 });
      for (const [prefix, other] of verifiers) {
        if (!certNo.startsWith(prefix)) continue;
        const found = await other(certNo);
        if (!found) throw new AppError('CERT_NOT_FOUND');
        return found;
      }
      const r = await repo.byNo(db, certNo);
      if (!r) throw new AppError('CERT_NOT_FOUND');
      return {
        kind: 'public',
        kindLabel: CERT_KIND_LABELS.public,
        certNo: r.certNo,
        holderNameMasked: maskHolderName(r.holderName),
        planName: r.planName,
        year: r.year,
        hours: r.hours,
        issuedAt: r.issuedAt.toISOString(),
        orgName: r.orgName,
        status: r.status as TCertVerification['status'],
        revokedAt: r.revokedAt?.toISOString() ?? null,
      };
    },

    async adminList(q: TAdminCertificateQuery) {
      const { rows, total } = await repo.adminList(db, q);
      return { items: rows.map(adminView), total, page: q.page, pageSize: q.pageSize };
    },

    /** 撤销: the PDF stays stored, 证书查验 shows 已撤销 from now on. */
    async revoke(staffId: string, id: string, reason: string, meta: RequestMeta) {
      return adminView(
        await db.transaction(async (tx) => {
          const r = await repo.forUpdate(tx, id);
          if (!r) throw new AppError('NOT_FOUND', { message: '证书不存在' });
          if (r.status !== 'valid') throw new AppError('CERT_STATE', { message: '该证书已撤销' });
          const now = clock.now();
          const updated = await repo.update(tx, id, {
            status: 'revoked',
            revokedAt: now,
            revokedBy: staffId,
            revokeReason: reason,
            updatedAt: now,
          });
          // Its 学时 no longer count.
          await deps.credits.revokeSource(tx, CREDIT_SOURCES.publicCertificate, id);
          await audit.record(tx, {
            actorType: 'staff',
            actorId: staffId,
            action: 'certificate.revoke',
            targetType: 'certificate',
            targetId: id,
            ip: meta.ip,
            userAgent: meta.userAgent,
            summary: { certNo: r.certNo, reason },
          });
          return updated as CertificateRow;
        }),
      );
    },
  };
}
export type CertificatesService = ReturnType<typeof createCertificatesService>;
