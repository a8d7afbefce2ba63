import { and, asc, count, desc, eq, ilike, inArray, max, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { courseChapters, courses, enrollments, files, planCourses, trainingPlans } from '../../db/schema/index.js';
import { escapeLike } from '../../lib/like.js';

export type CourseRow = typeof courses.$inferSelect;
export type ChapterRow = typeof courseChapters.$inferSelect;

const first = <T>(rows: T[]): T | undefined => rows[0];

/** The only file that touches courses, course_chapters and plan_courses. */
export function createCoursesRepo() {
  // Correlated counts: the list shows chapters, total duration and plan use without a second round trip. The
  // outer column is spelled out: drizzle renders a column without its table, which inside the subquery would
  // name the inner table's own id.
  const outerId = sql.raw('"courses"."id"');
  const chapterCount = sql<number>`(select count(*)::int from ${courseChapters} where ${courseChapters.courseId} = ${outerId})`;
  const totalSeconds = sql<number>`(select coalesce(sum(${courseChapters.durationSeconds}), 0)::int from ${courseChapters} where ${courseChapters.courseId} = ${outerId})`;
  const planCount = sql<number>`(select count(*)::int from ${planCourses} where ${planCourses.courseId} = ${outerId})`;
  const summary = { course: courses, chapterCount, totalSeconds, planCount };

  return {
    async list(
      ex: Executor,
      q: {
        page: number;
        pageSize: number;
        q?: string;
        sort: 'updatedAt' | 'title' | 'hours' | 'createdAt';
        order: 'asc' | 'desc';
      },
    ) {
      const where: SQL | undefined = q.q
        ? or(ilike(courses.title, `%${escapeLike(q.q)}%`), ilike(courses.teacher, `%${escapeLike(q.q)}%`))
        : undefined;
      const dir = q.order === 'asc' ? asc : desc;
      const rows = await ex
        .select(summary)
        .from(courses)
        .where(where)
        .orderBy(dir(courses[q.sort]), asc(courses.id))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize);
      const [total] = await ex.select({ n: count() }).from(courses).where(where);
      return { rows, total: total?.n ?? 0 };
    },
    summaryById: async (ex: Executor, id: string) =>
      first(await ex.select(summary).from(courses).where(eq(courses.id, id))),
    byId: async (ex: Executor, id: string) => first(await ex.select().from(courses).where(eq(courses.id, id))),
    /** The row locked: chapter edits and deletion of one course are serialised. */
    lock: async (ex: Executor, id: string) =>
      first(await ex.select().from(courses).where(eq(courses.id, id)).for('update')),
    insert: async (ex: Executor, row: typeof courses.$inferInsert) =>
      (await ex.insert(courses).values(row).returning())[0] as CourseRow,
    update: async (ex: Executor, id: string, patch: Partial<typeof courses.$inferInsert>, at: Date) =>
      first(
        await ex
          .update(courses)
          .set({ ...patch, updatedAt: at })
          .where(eq(courses.id, id))
          .returning(),
      ),
    touch: async (ex: Executor, id: string, at: Date) => {
      await ex.update(courses).set({ updatedAt: at }).where(eq(courses.id, id));
    },
    async delete(ex: Executor, id: string) {
      await ex.delete(courseChapters).where(eq(courseChapters.courseId, id));
      await ex.delete(courses).where(eq(courses.id, id));
    },
    async plansUsing(ex: Executor, courseId: string) {
      const [r] = await ex.select({ n: count() }).from(planCourses).where(eq(planCourses.courseId, courseId));
      return r?.n ?? 0;
    },
    /** Title lookups for the seed (idempotent demo catalogue). */
    byTitle: async (ex: Executor, title: string) =>
      first(await ex.select().from(courses).where(eq(courses.title, title))),
    async countAll(ex: Executor) {
      const [r] = await ex.select({ n: count() }).from(courses);
      return r?.n ?? 0;
    },

    // ---- chapters ----
    chapters: (ex: Executor, courseId: string) =>
      ex
        .select({ chapter: courseChapters, mime: files.mime, size: files.size })
        .from(courseChapters)
        .leftJoin(files, eq(files.id, courseChapters.videoFileId))
        .where(eq(courseChapters.courseId, courseId))
        .orderBy(asc(courseChapters.position), asc(courseChapters.createdAt)),
    chapterById: async (ex: Executor, id: string) =>
      first(await ex.select().from(courseChapters).where(eq(courseChapters.id, id))),
    async nextPosition(ex: Executor, courseId: string) {
      const [r] = await ex
        .select({ p: max(courseChapters.position) })
        .from(courseChapters)
        .where(eq(courseChapters.courseId, courseId));
      return (r?.p ?? 0) + 1;
    },
    insertChapter: async (ex: Executor, row: typeof courseChapters.$inferInsert) =>
      (await ex.insert(courseChapters).values(row).returning())[0] as ChapterRow,
    updateChapter: async (ex: Executor, id: string, patch: Partial<typeof courseChapters.$inferInsert>, at: Date) =>
      first(
        await ex
          .update(courseChapters)
          .set({ ...patch, updatedAt: at })
          .where(eq(courseChapters.id, id))
          .returning(),
      ),
    async deleteChapter(ex: Executor, id: string) {
      await ex.delete(courseChapters).where(eq(courseChapters.id, id));
    },
    async setPositions(ex: Executor, courseId: string, ids: string[]) {
      for (const [i, id] of ids.entries())
        await ex
          .update(courseChapters)
          .set({ position: i + 1 })
          .where(and(eq(courseChapters.id, id), eq(courseChapters.courseId, courseId)));
    },

    // ---- plans ----
    /** Each plan's courses in order, with chapter counts. */
    async refsOfPlans(ex: Executor, planIds: string[]) {
      if (planIds.length === 0) return [];
      return ex
        .select({
          planId: planCourses.planId,
          id: courses.id,
          title: courses.title,
          teacher: courses.teacher,
          hours: courses.hours,
          chapterCount,
        })
        .from(planCourses)
        .innerJoin(courses, eq(courses.id, planCourses.courseId))
        .where(inArray(planCourses.planId, planIds))
        .orderBy(asc(planCourses.planId), asc(planCourses.position));
    },
    byIds: async (ex: Executor, ids: string[]) =>
      ids.length === 0 ? [] : ex.select().from(courses).where(inArray(courses.id, ids)),
    async replacePlanCourses(ex: Executor, planId: string, courseIds: string[]) {
      await ex.delete(planCourses).where(eq(planCourses.planId, planId));
      if (courseIds.length)
        await ex.insert(planCourses).values(courseIds.map((courseId, i) => ({ planId, courseId, position: i + 1 })));
    },
    async courseIdsOfPlan(ex: Executor, planId: string) {
      const rows = await ex
        .select({ id: planCourses.courseId })
        .from(planCourses)
        .where(eq(planCourses.planId, planId))
        .orderBy(asc(planCourses.position));
      return rows.map((r) => r.id);
    },

    /** The courses of the newest plan (by year) that has any: what a plan created for 补学 is given. */
    async defaultCourseIds(ex: Executor) {
      const [latest] = await ex
        .select({ planId: planCourses.planId })
        .from(planCourses)
        .innerJoin(trainingPlans, eq(trainingPlans.id, planCourses.planId))
        .orderBy(desc(trainingPlans.year), desc(trainingPlans.createdAt))
        .limit(1);
      return latest ? this.courseIdsOfPlan(ex, latest.planId) : [];
    },

    // ---- media ----
    enrollmentOf: async (ex: Executor, enrollmentId: string) =>
      first(await ex.select().from(enrollments).where(eq(enrollments.id, enrollmentId))),
  };
}
export type CoursesRepo = ReturnType<typeof createCoursesRepo>;
