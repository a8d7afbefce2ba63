import crypto from 'node:crypto';
import { type IdType, maskHolderName } from '@cpe/shared';
import { platformYear } from '@cpe/shared/platform-zone';
import {
  CERT_KIND_LABELS,
  CREDIT_PROOF_NO_PATTERN,
  CREDIT_PROOF_PREFIX,
  type TCertVerification,
} from '@cpe/shared/schemas/certificates';
import { CREDIT_PROFESSIONAL_MIN, CREDIT_YEARLY_TARGET, type TCreditProofQuery } from '@cpe/shared/schemas/credits';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { uniqueViolation } from '../../lib/pg-errors.js';
import type { FilesService } from '../files/files.service.js';
import type { SeminarCertificatesPort } from '../seminars/seminars.service.js';
import type { CreditsRepo } from './credits.repo.js';

export const CREDIT_PROOF_FILE = 'credit-proof';

export function creditProofFilename(certNo: string): string {
  return `学时证明-${certNo}.pdf`;
}

/**
 * 学时证明: a signed PDF of the 已认定 totals of a year range. The same record gives the same proof (number and bytes)
 * again — its digest is over the entries it was made from; any change to them (a new 认定, a revocation) makes a new
 * one, and every proof stays verifiable by its number with the figures it printed.
 */
export function createCreditProofsService(deps: {
  db: Db;
  repo: CreditsRepo;
  files: FilesService;
  clock: Clock;
  certificates: SeminarCertificatesPort;
  /** The person as the proof prints them (ID number masked as on certificates). */
  person: (
    accountId: string,
  ) => Promise<{ hash: string; realName: string; idType: IdType; idNumberMasked: string } | null>;
}) {
  const { db, repo, files, clock, certificates } = deps;
  const rendering = new Map<string, Promise<Buffer>>();

  async function verify(certNo: string): Promise<TCertVerification | undefined> {
    if (!CREDIT_PROOF_NO_PATTERN.test(certNo)) return undefined;
    const p = await repo.proofs.byNo(db, certNo);
    if (!p) return undefined;
    const range = p.yearFrom === p.yearTo ? `${p.yearTo}年度` : `${p.yearFrom}—${p.yearTo}年度`;
    return {
      kind: 'credit-proof',
      kindLabel: CERT_KIND_LABELS['credit-proof'],
      certNo: p.certNo,
      holderNameMasked: maskHolderName(p.holderName),
      planName: `${range}继续教育学时`,
      year: p.yearTo,
      yearFrom: p.yearFrom,
      hours: p.hours,
      publicHours: p.publicHours,
      professionalHours: p.professionalHours,
      met: p.met,
      issuedAt: p.issuedAt.toISOString(),
      orgName: null,
      status: 'valid',
      revokedAt: null,
    };
  }
  certificates.registerVerifier(CREDIT_PROOF_PREFIX, verify);

  async function render(
    proof: NonNullable<Awaited<ReturnType<CreditsRepo['proofs']['byNo']>>>,
    sheet: {
      idType: IdType;
      years: Array<{ year: number; hours: number; publicHours: number; professionalHours: number; met: boolean }>;
    },
  ) {
    const { renderCreditProofPdf } = await import('../certificates/certificate-pdf.js');
    const pdf = await renderCreditProofPdf(
      {
        certNo: proof.certNo,
        holderName: proof.holderName,
        idType: sheet.idType,
        idNumberMasked: proof.idNumberMasked,
        yearFrom: proof.yearFrom,
        yearTo: proof.yearTo,
        years: sheet.years,
        issuedAt: proof.issuedAt,
        issuerName: certificates.signing.issuerName,
        verifyUrl: certificates.verifyUrl(proof.certNo),
      },
      { seal: certificates.signing.seal(), signingTime: clock.now() },
    );
    const signed = await certificates.signing.sign(pdf);
    await db.transaction(async (tx) => {
      const fileId = await files.save(tx, {
        data: signed,
        mime: 'application/pdf',
        purpose: CREDIT_PROOF_FILE,
        ownerAccountId: proof.accountId,
        originalName: creditProofFilename(proof.certNo),
      });
      await repo.proofs.setPdf(tx, proof.id, fileId);
    });
    return signed;
  }

  return {
    /** The signed 学时证明 of the range: the stored one when the record has not changed since, else a new one. */
    async pdf(accountId: string, q: TCreditProofQuery): Promise<{ data: Buffer; filename: string }> {
      const person = await deps.person(accountId);
      if (!person) throw new AppError('CREDIT_PROOF_EMPTY');
      const entries = (await repo.confirmedOfHolder(db, person.hash)).filter(
        (e) => e.year >= q.yearFrom && e.year <= q.yearTo,
      );
      if (entries.length === 0) throw new AppError('CREDIT_PROOF_EMPTY');
      const years = [];
      for (let year = q.yearFrom; year <= q.yearTo; year++) {
        const of = entries.filter((e) => e.year === year);
        const publicHours = of.filter((e) => e.category === 'public').reduce((a, e) => a + e.hours, 0);
        const professionalHours = of.filter((e) => e.category !== 'public').reduce((a, e) => a + e.hours, 0);
        const hours = Math.max(0, publicHours + professionalHours);
        years.push({
          year,
          hours,
          publicHours,
          professionalHours,
          met: hours >= CREDIT_YEARLY_TARGET && professionalHours >= CREDIT_PROFESSIONAL_MIN,
        });
      }
      const digest = crypto
        .createHash('sha256')
        .update(
          JSON.stringify([
            person.realName,
            person.idNumberMasked,
            entries.map((e) => [e.id, e.hours, e.category]).sort(),
          ]),
        )
        .digest('hex');
      let proof = await repo.proofs.byDigest(db, accountId, q.yearFrom, q.yearTo, digest);
      for (let attempt = 0; !proof && attempt < 5; attempt++) {
        try {
          proof = await repo.proofs.insert(db, {
            certNo: `${CREDIT_PROOF_PREFIX}${platformYear(clock.now())}${String(crypto.randomInt(0, 100_000_000)).padStart(8, '0')}`,
            accountId,
            holderName: person.realName,
            idNumberMasked: person.idNumberMasked,
            yearFrom: q.yearFrom,
            yearTo: q.yearTo,
            hours: years.reduce((a, y) => a + y.hours, 0),
            publicHours: years.reduce((a, y) => a + y.publicHours, 0),
            professionalHours: years.reduce((a, y) => a + y.professionalHours, 0),
            met: years.every((y) => y.met),
            digest,
            issuedAt: clock.now(),
          });
          // A concurrent request made the same proof first (digest index): take theirs.
          proof ??= await repo.proofs.byDigest(db, accountId, q.yearFrom, q.yearTo, digest);
        } catch (err) {
          // A number already taken: draw another.
          if (uniqueViolation(err) !== 'credit_proofs_cert_no_uq') throw err;
        }
      }
      if (!proof) throw new Error('credit proof: no free number after 5 attempts');
      const filename = creditProofFilename(proof.certNo);
      if (proof.pdfFileId) return { data: (await files.read(proof.pdfFileId)).data, filename };
      let pending = rendering.get(proof.id);
      if (!pending) {
        pending = render(proof, { idType: person.idType, years }).finally(() => rendering.delete(proof.id));
        rendering.set(proof.id, pending);
      }
      return { data: await pending, filename };
    },
  };
}
export type CreditProofsService = ReturnType<typeof createCreditProofsService>;
