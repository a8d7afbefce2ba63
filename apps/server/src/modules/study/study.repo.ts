import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import {
  antiIdleChecks,
  chapterProgress,
  courseChapters,
  courses,
  enrollmentProgress,
  enrollments,
  planCourses,
  studySessions,
  trainingPlans,
} from '../../db/schema/index.js';

export type SessionRow = typeof studySessions.$inferSelect;
export type CheckRow = typeof antiIdleChecks.$inferSelect;

/** What the heartbeat buffer writes for a session (one row per session, the latest state). */
export interface SessionBeatRow {
  id: string;
  lastBeatAt: Date;
  lastPosition: number;
  creditedSeconds: number;
  nextCheckAt: Date | null;
}

/** What the heartbeat buffer writes for a chapter's progress. */
export interface ProgressBeatRow {
  /** The session the state came from: written only while that session is still open. */
  sessionId: string;
  enrollmentId: string;
  chapterId: string;
  creditedSeconds: number;
  maxPosition: number;
  lastPosition: number;
  updatedAt: Date;
}

export function createStudyRepo() {
  return {
    async enrollmentOf(ex: Executor, accountId: string, planId: string) {
      const [row] = await ex
        .select({ id: enrollments.id, planId: enrollments.planId, accountId: enrollments.accountId })
        .from(enrollments)
        .where(and(eq(enrollments.accountId, accountId), eq(enrollments.planId, planId)));
      return row;
    },

    async planExists(ex: Executor, planId: string) {
      const [row] = await ex.select({ id: trainingPlans.id }).from(trainingPlans).where(eq(trainingPlans.id, planId));
      return Boolean(row);
    },

    /** My enrolments with their plan and the study marks (none yet for a plan not started). */
    async plansOf(ex: Executor, accountId: string, planId?: string) {
      return ex
        .select({
          enrollmentId: enrollments.id,
          planId: trainingPlans.id,
          name: trainingPlans.name,
          year: trainingPlans.year,
          requiredHours: trainingPlans.requiredHours,
          creditedHours: sql<number>`coalesce(${enrollmentProgress.creditedHours}, 0)`.mapWith(Number),
          completedAt: enrollmentProgress.completedAt,
          certificateQueued: sql<boolean>`coalesce(${enrollmentProgress.certificateQueued}, false)`,
          courseCount:
            sql<number>`(select count(*) from plan_courses pc where pc.plan_id = ${trainingPlans.id})`.mapWith(Number),
        })
        .from(enrollments)
        .innerJoin(trainingPlans, eq(trainingPlans.id, enrollments.planId))
        .leftJoin(enrollmentProgress, eq(enrollmentProgress.enrollmentId, enrollments.id))
        .where(and(eq(enrollments.accountId, accountId), planId ? eq(enrollments.planId, planId) : undefined))
        .orderBy(sql`${trainingPlans.year} desc`, asc(trainingPlans.name));
    },

    /**
     * Courses of a plan in the plan's order with this enrolment's progress: chapters, completed chapters,
     * total duration and credited seconds (each chapter's credit capped at its duration).
     */
    async coursesOfPlan(
      ex: Executor,
      planId: string,
      enrollmentId: string,
      page?: { limit: number; offset: number },
      courseId?: string,
    ) {
      const q = ex
        .select({
          id: courses.id,
          title: courses.title,
          teacher: courses.teacher,
          hours: courses.hours,
          coverFileId: courses.coverFileId,
          description: courses.description,
          chapterCount: sql<number>`count(${courseChapters.id})`.mapWith(Number),
          completedChapters: sql<number>`count(${chapterProgress.completedAt})`.mapWith(Number),
          durationSeconds: sql<number>`coalesce(sum(${courseChapters.durationSeconds}), 0)`.mapWith(Number),
          creditedSeconds:
            // least() skips NULLs: a chapter without a progress row must count 0, not its whole duration.
            sql<number>`coalesce(sum(least(coalesce(${chapterProgress.creditedSeconds}, 0), coalesce(${courseChapters.durationSeconds}, 0))), 0)`.mapWith(
              Number,
            ),
        })
        .from(planCourses)
        .innerJoin(courses, eq(courses.id, planCourses.courseId))
        .leftJoin(courseChapters, eq(courseChapters.courseId, courses.id))
        .leftJoin(
          chapterProgress,
          and(eq(chapterProgress.chapterId, courseChapters.id), eq(chapterProgress.enrollmentId, enrollmentId)),
        )
        .where(and(eq(planCourses.planId, planId), courseId ? eq(courses.id, courseId) : undefined))
        .groupBy(courses.id, planCourses.position)
        .orderBy(asc(planCourses.position), asc(courses.title))
        .$dynamic();
      return page ? q.limit(page.limit).offset(page.offset) : q;
    },

    async countCoursesOfPlan(ex: Executor, planId: string) {
      const [row] = await ex.select({ n: count() }).from(planCourses).where(eq(planCourses.planId, planId));
      return row?.n ?? 0;
    },

    async chaptersWithProgress(ex: Executor, courseId: string, enrollmentId: string) {
      return ex
        .select({
          id: courseChapters.id,
          title: courseChapters.title,
          position: courseChapters.position,
          durationSeconds: courseChapters.durationSeconds,
          videoFileId: courseChapters.videoFileId,
          creditedSeconds: sql<number>`coalesce(${chapterProgress.creditedSeconds}, 0)`.mapWith(Number),
          maxPosition: sql<number>`coalesce(${chapterProgress.maxPosition}, 0)`.mapWith(Number),
          lastPosition: sql<number>`coalesce(${chapterProgress.lastPosition}, 0)`.mapWith(Number),
          completedAt: chapterProgress.completedAt,
        })
        .from(courseChapters)
        .leftJoin(
          chapterProgress,
          and(eq(chapterProgress.chapterId, courseChapters.id), eq(chapterProgress.enrollmentId, enrollmentId)),
        )
        .where(eq(courseChapters.courseId, courseId))
        .orderBy(asc(courseChapters.position), asc(courseChapters.title));
    },

    /** The chapter, provided its course belongs to the plan. */
    async chapterInPlan(ex: Executor, planId: string, chapterId: string) {
      const [row] = await ex
        .select({
          id: courseChapters.id,
          courseId: courseChapters.courseId,
          durationSeconds: courseChapters.durationSeconds,
          videoFileId: courseChapters.videoFileId,
          questions: courseChapters.questions,
        })
        .from(courseChapters)
        .innerJoin(planCourses, and(eq(planCourses.courseId, courseChapters.courseId), eq(planCourses.planId, planId)))
        .where(eq(courseChapters.id, chapterId));
      return row;
    },

    async chapterById(ex: Executor, chapterId: string) {
      const [row] = await ex
        .select({
          id: courseChapters.id,
          courseId: courseChapters.courseId,
          durationSeconds: courseChapters.durationSeconds,
          videoFileId: courseChapters.videoFileId,
          questions: courseChapters.questions,
        })
        .from(courseChapters)
        .where(eq(courseChapters.id, chapterId));
      return row;
    },

    async progressOf(ex: Executor, enrollmentId: string, chapterId: string) {
      const [row] = await ex
        .select()
        .from(chapterProgress)
        .where(and(eq(chapterProgress.enrollmentId, enrollmentId), eq(chapterProgress.chapterId, chapterId)));
      return row;
    },

    async ensureProgress(ex: Executor, row: { enrollmentId: string; chapterId: string; accountId: string; at: Date }) {
      await ex
        .insert(chapterProgress)
        .values({
          enrollmentId: row.enrollmentId,
          chapterId: row.chapterId,
          accountId: row.accountId,
          updatedAt: row.at,
        })
        .onConflictDoNothing();
    },

    /** Ends the account's open session(s); returns the ids that were open. */
    async endOpenSessions(ex: Executor, accountId: string, at: Date, reason: string) {
      const rows = await ex
        .update(studySessions)
        .set({ endedAt: at, endReason: reason })
        .where(and(eq(studySessions.accountId, accountId), isNull(studySessions.endedAt)))
        .returning({ id: studySessions.id });
      return rows.map((r) => r.id);
    },

    async endSession(ex: Executor, id: string, at: Date, reason: string) {
      const rows = await ex
        .update(studySessions)
        .set({ endedAt: at, endReason: reason })
        .where(and(eq(studySessions.id, id), isNull(studySessions.endedAt)))
        .returning({ id: studySessions.id });
      return rows.length > 0;
    },

    async insertSession(ex: Executor, row: typeof studySessions.$inferInsert) {
      const [created] = await ex.insert(studySessions).values(row).returning();
      return created as SessionRow;
    },

    async sessionById(ex: Executor, id: string) {
      const [row] = await ex.select().from(studySessions).where(eq(studySessions.id, id));
      return row;
    },

    /** The account's most recent session (to carry the 防挂机 countdown from one chapter to the next). */
    async latestSessionOf(ex: Executor, accountId: string) {
      const [row] = await ex
        .select()
        .from(studySessions)
        .where(eq(studySessions.accountId, accountId))
        .orderBy(sql`${studySessions.startedAt} desc`)
        .limit(1);
      return row;
    },

    async checksOfSession(ex: Executor, sessionId: string) {
      return ex
        .select()
        .from(antiIdleChecks)
        .where(eq(antiIdleChecks.sessionId, sessionId))
        .orderBy(asc(antiIdleChecks.askedAt));
    },

    async checkById(ex: Executor, id: string) {
      const [row] = await ex.select().from(antiIdleChecks).where(eq(antiIdleChecks.id, id));
      return row;
    },

    async insertCheck(ex: Executor, row: typeof antiIdleChecks.$inferInsert) {
      const [created] = await ex.insert(antiIdleChecks).values(row).returning();
      return created as CheckRow;
    },

    /** Settles an open check once (a second settlement finds it no longer open). */
    async settleCheck(
      ex: Executor,
      id: string,
      v: { outcome: string; answeredAt: Date | null; givenAnswer: number | null; voidedSeconds: number },
    ) {
      const rows = await ex
        .update(antiIdleChecks)
        .set(v)
        .where(and(eq(antiIdleChecks.id, id), eq(antiIdleChecks.outcome, 'open')))
        .returning({ id: antiIdleChecks.id });
      return rows.length > 0;
    },

    async markChapterComplete(ex: Executor, enrollmentId: string, chapterId: string, at: Date) {
      await ex
        .update(chapterProgress)
        .set({ completedAt: at })
        .where(
          and(
            eq(chapterProgress.enrollmentId, enrollmentId),
            eq(chapterProgress.chapterId, chapterId),
            isNull(chapterProgress.completedAt),
          ),
        );
    },

    /** Sum of 学时 of the plan's courses whose every chapter is complete for this enrolment. */
    async completedHours(ex: Executor, planId: string, enrollmentId: string) {
      const res = await ex.execute<{ hours: number; courses: number }>(sql`
        select coalesce(sum(c.hours), 0)::int as hours, count(*)::int as courses
        from plan_courses pc
        join courses c on c.id = pc.course_id
        where pc.plan_id = ${planId}
          and exists (select 1 from course_chapters ch where ch.course_id = c.id)
          and not exists (
            select 1 from course_chapters ch
            left join chapter_progress p on p.chapter_id = ch.id and p.enrollment_id = ${enrollmentId}
            where ch.course_id = c.id and p.completed_at is null
          )`);
      const row = res.rows[0];
      return { hours: Number(row?.hours ?? 0), courses: Number(row?.courses ?? 0) };
    },

    async requiredHours(ex: Executor, planId: string) {
      const [row] = await ex
        .select({ requiredHours: trainingPlans.requiredHours })
        .from(trainingPlans)
        .where(eq(trainingPlans.id, planId));
      return row?.requiredHours ?? 0;
    },

    async upsertEnrollmentHours(ex: Executor, v: { enrollmentId: string; accountId: string; hours: number; at: Date }) {
      await ex
        .insert(enrollmentProgress)
        .values({ enrollmentId: v.enrollmentId, accountId: v.accountId, creditedHours: v.hours, updatedAt: v.at })
        .onConflictDoUpdate({
          target: enrollmentProgress.enrollmentId,
          set: { creditedHours: v.hours, updatedAt: v.at },
        });
    },

    /** Marks the enrolment complete exactly once: true only for the call that did it. */
    async completeEnrollment(ex: Executor, enrollmentId: string, at: Date) {
      const rows = await ex
        .update(enrollmentProgress)
        .set({ completedAt: at, certificateQueued: true, updatedAt: at })
        .where(and(eq(enrollmentProgress.enrollmentId, enrollmentId), isNull(enrollmentProgress.completedAt)))
        .returning({ id: enrollmentProgress.enrollmentId });
      return rows.length > 0;
    },

    async enrollmentById(ex: Executor, id: string) {
      const [row] = await ex.select().from(enrollments).where(eq(enrollments.id, id));
      return row;
    },

    /**
     * One statement for every buffered session: the latest beat of each. Sessions ended meanwhile (by a start
     * on another instance) are left alone; returns the ids that were written.
     */
    /**
     * Takes an open session over for this instance and returns it; an ended one is returned untouched (the caller
     * refuses it), an unknown id gives undefined.
     */
    async claimSession(ex: Executor, id: string, owner: string) {
      const [claimed] = await ex
        .update(studySessions)
        .set({ owner })
        .where(and(eq(studySessions.id, id), isNull(studySessions.endedAt)))
        .returning();
      if (claimed) return claimed;
      const [row] = await ex.select().from(studySessions).where(eq(studySessions.id, id));
      return row;
    },

    /** Only the sessions this instance holds and that are still open are written; returns their ids. */
    async writeSessionBeats(ex: Executor, rows: SessionBeatRow[], owner: string): Promise<string[]> {
      if (!rows.length) return [];
      const res = await ex.execute<{ id: string }>(sql`
        update study_sessions s
        set last_beat_at = v.last_beat_at, last_position = v.last_position,
            credited_seconds = v.credited_seconds, next_check_at = v.next_check_at
        from unnest(
          ${sql.param(rows.map((r) => r.id))}::uuid[],
          ${sql.param(rows.map((r) => r.lastBeatAt.toISOString()))}::timestamptz[],
          ${sql.param(rows.map((r) => Math.floor(r.lastPosition)))}::int[],
          ${sql.param(rows.map((r) => Math.floor(r.creditedSeconds)))}::int[],
          ${sql.param(rows.map((r) => r.nextCheckAt?.toISOString() ?? null))}::timestamptz[]
        ) as v(id, last_beat_at, last_position, credited_seconds, next_check_at)
        where s.id = v.id and s.ended_at is null and s.owner = ${owner}
        returning s.id`);
      return res.rows.map((r) => r.id);
    },

    /** One statement for every buffered chapter progress. */
    async writeProgressBeats(ex: Executor, rows: ProgressBeatRow[]) {
      if (!rows.length) return;
      await ex.execute(sql`
        update chapter_progress p
        set credited_seconds = v.credited_seconds, max_position = v.max_position,
            last_position = v.last_position, updated_at = v.updated_at
        from unnest(
          ${sql.param(rows.map((r) => r.enrollmentId))}::uuid[],
          ${sql.param(rows.map((r) => r.chapterId))}::uuid[],
          ${sql.param(rows.map((r) => Math.floor(r.creditedSeconds)))}::int[],
          ${sql.param(rows.map((r) => Math.floor(r.maxPosition)))}::int[],
          ${sql.param(rows.map((r) => Math.floor(r.lastPosition)))}::int[],
          ${sql.param(rows.map((r) => r.updatedAt.toISOString()))}::timestamptz[]
        ) as v(enrollment_id, chapter_id, credited_seconds, max_position, last_position, updated_at)
        where p.enrollment_id = v.enrollment_id and p.chapter_id = v.chapter_id`);
    },
  };
}
export type StudyRepo = ReturnType<typeof createStudyRepo>;
