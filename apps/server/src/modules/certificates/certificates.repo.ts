import { and, count, desc, eq, ilike, isNull, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import {
  accounts,
  certificates,
  enrollmentProgress,
  enrollments,
  orgNodes,
  trainingPlans,
  units,
} from '../../db/schema/index.js';
import { escapeLike } from '../../lib/like.js';

export type CertificateRow = typeof certificates.$inferSelect;

export interface AdminFilter {
  certNo?: string;
  name?: string;
  plan?: string;
  year?: number;
  status?: 'valid' | 'revoked';
  page: number;
  pageSize: number;
}

/** 合格证书 rows, plus the read-only questions issuing asks of enrolments, plans, accounts, units and districts. */
export function createCertificatesRepo() {
  return {
    /** What issuing a certificate for an enrolment needs, or undefined when the enrolment does not exist. */
    async completion(ex: Executor, enrollmentId: string) {
      const [row] = await ex
        .select({
          enrollmentId: enrollments.id,
          accountId: enrollments.accountId,
          planId: enrollments.planId,
          planName: trainingPlans.name,
          year: trainingPlans.year,
          requiredHours: trainingPlans.requiredHours,
          completedAt: enrollmentProgress.completedAt,
          creditedHours: enrollmentProgress.creditedHours,
          realName: accounts.realName,
          idNumberEnc: accounts.idNumberEnc,
          idNumberHash: accounts.idNumberHash,
        })
        .from(enrollments)
        .innerJoin(trainingPlans, eq(trainingPlans.id, enrollments.planId))
        .innerJoin(accounts, eq(accounts.id, enrollments.accountId))
        .leftJoin(enrollmentProgress, eq(enrollmentProgress.enrollmentId, enrollments.id))
        .where(eq(enrollments.id, enrollmentId));
      return row;
    },
    /** The 证件类型 of the holder, printed as the name of the number on the certificate. */
    async holderIdType(ex: Executor, accountId: string) {
      const [row] = await ex.select({ idType: accounts.idType }).from(accounts).where(eq(accounts.id, accountId));
      return row?.idType;
    },
    /** Inserts unless the enrolment already has its certificate (then undefined). */
    async insertOnce(ex: Executor, row: typeof certificates.$inferInsert) {
      const [created] = await ex
        .insert(certificates)
        .values(row)
        .onConflictDoNothing({ target: certificates.enrollmentId })
        .returning();
      return created;
    },
    async markIssued(ex: Executor, enrollmentId: string, now: Date) {
      await ex
        .update(enrollmentProgress)
        .set({ certificateQueued: true, updatedAt: now })
        .where(eq(enrollmentProgress.enrollmentId, enrollmentId));
    },
    async byId(ex: Executor, id: string) {
      return (await ex.select().from(certificates).where(eq(certificates.id, id)))[0];
    },
    async forUpdate(ex: Executor, id: string) {
      return (await ex.select().from(certificates).where(eq(certificates.id, id)).for('update'))[0];
    },
    async byEnrollment(ex: Executor, enrollmentId: string) {
      return (await ex.select().from(certificates).where(eq(certificates.enrollmentId, enrollmentId)))[0];
    },
    async byNo(ex: Executor, certNo: string) {
      return (await ex.select().from(certificates).where(eq(certificates.certNo, certNo)))[0];
    },
    async mine(ex: Executor, accountId: string) {
      return ex
        .select()
        .from(certificates)
        .where(eq(certificates.accountId, accountId))
        .orderBy(desc(certificates.issuedAt));
    },
    async update(ex: Executor, id: string, patch: Partial<typeof certificates.$inferInsert>) {
      const [row] = await ex.update(certificates).set(patch).where(eq(certificates.id, id)).returning();
      return row;
    },
    /** Records the rendered PDF unless another request stored one first; returns the file that counts. */
    async setPdfOnce(ex: Executor, id: string, fileId: string, now: Date): Promise<string | null> {
      const [row] = await ex
        .update(certificates)
        .set({ pdfFileId: fileId, updatedAt: now })
        .where(and(eq(certificates.id, id), isNull(certificates.pdfFileId)))
        .returning({ pdfFileId: certificates.pdfFileId });
      if (row) return row.pdfFileId;
      return (
        (await ex.select({ f: certificates.pdfFileId }).from(certificates).where(eq(certificates.id, id)))[0]?.f ?? null
      );
    },
    async adminList(ex: Executor, f: AdminFilter) {
      const where: SQL[] = [];
      if (f.certNo) where.push(ilike(certificates.certNo, `${escapeLike(f.certNo)}%`));
      if (f.name) where.push(ilike(certificates.holderName, `%${escapeLike(f.name)}%`));
      if (f.plan) where.push(ilike(certificates.planName, `%${escapeLike(f.plan)}%`));
      if (f.year) where.push(eq(certificates.year, f.year));
      if (f.status) where.push(eq(certificates.status, f.status));
      const cond = where.length ? and(...where) : undefined;
      const [rows, [total]] = await Promise.all([
        ex
          .select()
          .from(certificates)
          .where(cond)
          .orderBy(desc(certificates.issuedAt), desc(certificates.certNo))
          .limit(f.pageSize)
          .offset((f.page - 1) * f.pageSize),
        ex.select({ n: count() }).from(certificates).where(cond),
      ]);
      return { rows, total: total?.n ?? 0 };
    },
    /** Approved units whose name contains `q`, for the 组织机构 picker. */
    async searchUnits(ex: Executor, q: string, limit = 20) {
      return ex
        .select({ id: units.id, name: units.name })
        .from(units)
        .where(ilike(units.name, `%${escapeLike(q)}%`))
        .orderBy(units.name)
        .limit(limit);
    },
    async unitName(ex: Executor, id: string) {
      return (await ex.select({ name: units.name }).from(units).where(eq(units.id, id)))[0]?.name;
    },
    async districtName(ex: Executor, id: string) {
      return (
        await ex
          .select({ name: orgNodes.name })
          .from(orgNodes)
          .where(and(eq(orgNodes.id, id), eq(orgNodes.kind, 'district'), eq(orgNodes.active, true)))
      )[0]?.name;
    },
  };
}
export type CertificatesRepo = ReturnType<typeof createCertificatesRepo>;
