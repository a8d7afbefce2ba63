import { and, asc, count, desc, eq, ilike, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { seminarCertificates, seminarTrainees } from '../../db/schema/index.js';
import { escapeLike } from '../../lib/like.js';

export type TraineeRow = typeof seminarTrainees.$inferSelect;
export type NewTraineeRow = typeof seminarTrainees.$inferInsert;
export type SeminarCertificateRow = typeof seminarCertificates.$inferSelect;
export type NewSeminarCertificateRow = typeof seminarCertificates.$inferInsert;

/** Rows per INSERT: 2,000 trainees in a handful of statements, well under PostgreSQL's parameter limit. */
const CHUNK = 400;

export function createSeminarsRepo() {
  return {
    // ---- 学员名单 ----
    async replaceTrainees(ex: Executor, applicationId: string, rows: NewTraineeRow[]) {
      await ex.delete(seminarTrainees).where(eq(seminarTrainees.applicationId, applicationId));
      for (let i = 0; i < rows.length; i += CHUNK) await ex.insert(seminarTrainees).values(rows.slice(i, i + CHUNK));
    },
    async clearTrainees(ex: Executor, applicationId: string) {
      return (
        await ex
          .delete(seminarTrainees)
          .where(eq(seminarTrainees.applicationId, applicationId))
          .returning({ id: seminarTrainees.id })
      ).length;
    },
    async traineesPage(
      ex: Executor,
      applicationId: string,
      q: { keyword?: string; limit: number; offset: number },
    ): Promise<{ items: TraineeRow[]; total: number }> {
      const where = and(
        eq(seminarTrainees.applicationId, applicationId),
        q.keyword ? ilike(seminarTrainees.name, `%${escapeLike(q.keyword)}%`) : undefined,
      );
      const [items, [c]] = await Promise.all([
        ex
          .select()
          .from(seminarTrainees)
          .where(where)
          .orderBy(asc(seminarTrainees.line))
          .limit(q.limit)
          .offset(q.offset),
        ex.select({ n: count() }).from(seminarTrainees).where(where),
      ]);
      return { items, total: c?.n ?? 0 };
    },
    async traineeSummary(ex: Executor, applicationId: string) {
      const [r] = await ex
        .select({
          total: count(),
          passed: sql<number>`count(*) filter (where ${seminarTrainees.passed} = '合格')`.mapWith(Number),
        })
        .from(seminarTrainees)
        .where(eq(seminarTrainees.applicationId, applicationId));
      return { total: r?.total ?? 0, passed: r?.passed ?? 0 };
    },
    async passedTrainees(ex: Executor, applicationId: string) {
      return ex
        .select()
        .from(seminarTrainees)
        .where(and(eq(seminarTrainees.applicationId, applicationId), eq(seminarTrainees.passed, '合格')))
        .orderBy(asc(seminarTrainees.line));
    },

    // ---- 高研班结业证书 ----
    async certificateHashes(ex: Executor, completionId: string): Promise<Set<string>> {
      const rows = await ex
        .select({ h: seminarCertificates.idHash })
        .from(seminarCertificates)
        .where(eq(seminarCertificates.completionId, completionId));
      return new Set(rows.map((r) => r.h));
    },
    /** Inserts what is not there yet (a repeated approval run adds nothing); returns the rows it created. */
    async insertCertificates(ex: Executor, rows: NewSeminarCertificateRow[]): Promise<SeminarCertificateRow[]> {
      const out: SeminarCertificateRow[] = [];
      for (let i = 0; i < rows.length; i += CHUNK)
        out.push(
          ...(await ex
            .insert(seminarCertificates)
            .values(rows.slice(i, i + CHUNK))
            .onConflictDoNothing({ target: [seminarCertificates.completionId, seminarCertificates.idHash] })
            .returning()),
        );
      return out;
    },
    async certificateById(ex: Executor, id: string) {
      return (await ex.select().from(seminarCertificates).where(eq(seminarCertificates.id, id)))[0];
    },
    async certificateByNo(ex: Executor, certNo: string) {
      return (await ex.select().from(seminarCertificates).where(eq(seminarCertificates.certNo, certNo)))[0];
    },
    async certificatesOfHolder(ex: Executor, idHash: string) {
      return ex
        .select()
        .from(seminarCertificates)
        .where(eq(seminarCertificates.idHash, idHash))
        .orderBy(desc(seminarCertificates.issuedAt), desc(seminarCertificates.certNo));
    },
    async certificatesOfCompletion(ex: Executor, completionId: string) {
      return ex
        .select()
        .from(seminarCertificates)
        .where(eq(seminarCertificates.completionId, completionId))
        .orderBy(asc(seminarCertificates.certNo));
    },
    /** Keeps the first PDF stored (two first downloads at once render twice, one file wins). */
    async setPdfOnce(ex: Executor, id: string, fileId: string): Promise<string | undefined> {
      const [r] = await ex
        .update(seminarCertificates)
        .set({ pdfFileId: fileId })
        .where(and(eq(seminarCertificates.id, id), sql`${seminarCertificates.pdfFileId} is null`))
        .returning({ fileId: seminarCertificates.pdfFileId });
      if (r?.fileId) return r.fileId;
      return (
        (await ex.select().from(seminarCertificates).where(eq(seminarCertificates.id, id)))[0]?.pdfFileId ?? undefined
      );
    },
  };
}
export type SeminarsRepo = ReturnType<typeof createSeminarsRepo>;
