import crypto from 'node:crypto';
import type {
  TChapter,
  TChapterInput,
  TCourseDetail,
  TCourseInput,
  TCourseQuery,
  TCourseSummary,
  TPlanCourseRef,
} from '@cpe/shared';
import type { TAuditAction } from '@cpe/shared/audit';
import type { Storage } from '../../adapters/storage/storage.js';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { FilesService } from '../files/files.service.js';
import type { ChapterRow, CourseRow, CoursesRepo } from './courses.repo.js';
import { probeDuration } from './ffmpeg.js';
import type { VideoTokens } from './video-token.js';

export const COURSE_COVER_PURPOSE = 'course-cover';
export const COURSE_VIDEO_PURPOSE = 'course-video';

type StoredQuestion = TChapter['questions'][number];

/** A video file ready to serve: where it is, what it is, how big. */
export interface ServableVideo {
  storageKey: string;
  mime: string;
  size: number;
}

/** 课程管理: courses, their chapters and videos, and the courses a plan is made of. */
export function createCoursesService(deps: {
  db: Db;
  repo: CoursesRepo;
  files: FilesService;
  storage: Storage;
  clock: Clock;
  audit: AuditRepo;
  videoTokens: VideoTokens;
}) {
  const { db, repo, clock, audit } = deps;

  const notFound = () => new AppError('NOT_FOUND', { message: '课程不存在' });
  const chapterNotFound = () => new AppError('NOT_FOUND', { message: '章节不存在' });

  function summary(r: {
    course: CourseRow;
    chapterCount: number;
    totalSeconds: number;
    planCount: number;
  }): TCourseSummary {
    const c = r.course;
    return {
      id: c.id,
      title: c.title,
      teacher: c.teacher,
      hours: c.hours,
      coverFileId: c.coverFileId,
      description: c.description,
      chapterCount: Number(r.chapterCount),
      totalSeconds: Number(r.totalSeconds),
      planCount: Number(r.planCount),
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    };
  }

  function chapterView(c: ChapterRow, video?: { mime: string | null; size: number | null }): TChapter {
    return {
      id: c.id,
      courseId: c.courseId,
      title: c.title,
      position: c.position,
      durationSeconds: c.durationSeconds,
      videoFileId: c.videoFileId,
      videoMime: c.videoFileId ? (video?.mime ?? null) : null,
      videoSize: c.videoFileId ? (video?.size ?? null) : null,
      questions: (c.questions ?? []) as StoredQuestion[],
    };
  }

  // Questions keep their ids across edits (answers recorded by the study module name them); new ones get one.
  const withIds = (qs: TChapterInput['questions']): StoredQuestion[] =>
    qs.map((q) => ({
      id: q.id ?? `q${crypto.randomBytes(5).toString('hex')}`,
      prompt: q.prompt,
      options: q.options,
      answer: q.answer,
    }));

  async function checkCover(coverFileId: string | null) {
    if (coverFileId && (await deps.files.meta(coverFileId))?.purpose !== COURSE_COVER_PURPOSE)
      throw fieldError('VALIDATION_FAILED', 'coverFileId', '封面图片无效，请重新上传');
  }

  const record = (
    ex: Executor,
    staffId: string,
    meta: RequestMeta,
    action: Extract<TAuditAction, `course.${string}`>,
    targetId: string,
    summary: Record<string, unknown>,
  ) =>
    audit.record(ex, {
      actorType: 'staff',
      actorId: staffId,
      action,
      targetType: 'course',
      targetId,
      ip: meta.ip,
      userAgent: meta.userAgent,
      summary,
    });

  async function detail(id: string, ex: Executor = db): Promise<TCourseDetail> {
    const s = await repo.summaryById(ex, id);
    if (!s) throw notFound();
    const chapters = await repo.chapters(ex, id);
    return { ...summary(s), chapters: chapters.map((r) => chapterView(r.chapter, r)) };
  }

  /** The chapter and its course, locked, or 404 (also when the chapter is not the course's). */
  async function lockChapter(tx: Executor, courseId: string, chapterId: string) {
    if (!(await repo.lock(tx, courseId))) throw notFound();
    const chapter = await repo.chapterById(tx, chapterId);
    if (!chapter || chapter.courseId !== courseId) throw chapterNotFound();
    return chapter;
  }

  async function servable(fileId: string | null): Promise<ServableVideo | null> {
    if (!fileId) return null;
    const f = await deps.files.meta(fileId);
    if (!f || f.purpose !== COURSE_VIDEO_PURPOSE) return null;
    const stat = await deps.storage.stat(f.storageKey);
    return stat ? { storageKey: f.storageKey, mime: f.mime, size: stat.size } : null;
  }

  return {
    async list(q: TCourseQuery) {
      const { rows, total } = await repo.list(db, q);
      return { items: rows.map(summary), total };
    },
    detail: (id: string) => detail(id),
    byTitle: (title: string) => repo.byTitle(db, title),
    count: () => repo.countAll(db),

    async create(staffId: string, input: TCourseInput, meta: RequestMeta) {
      await checkCover(input.coverFileId);
      const id = await db.transaction(async (tx) => {
        const now = clock.now();
        const c = await repo.insert(tx, { ...fields(input), createdAt: now, updatedAt: now });
        await record(tx, staffId, meta, 'course.create', c.id, { title: c.title, hours: c.hours });
        return c.id;
      });
      return detail(id);
    },

    async update(staffId: string, id: string, input: TCourseInput, meta: RequestMeta) {
      await checkCover(input.coverFileId);
      await db.transaction(async (tx) => {
        const before = await repo.lock(tx, id);
        if (!before) throw notFound();
        await repo.update(tx, id, fields(input), clock.now());
        await record(tx, staffId, meta, 'course.update', id, {
          from: { title: before.title, hours: before.hours, teacher: before.teacher },
          to: { title: input.title, hours: input.hours, teacher: input.teacher },
        });
      });
      return detail(id);
    },

    /** Refused while any plan lists the course: learners of that plan would lose it mid-study. */
    async remove(staffId: string, id: string, meta: RequestMeta) {
      await db.transaction(async (tx) => {
        const c = await repo.lock(tx, id);
        if (!c) throw notFound();
        const used = await repo.plansUsing(tx, id);
        if (used > 0)
          throw new AppError('COURSE_IN_USE', {
            message: `该课程已被${used}个学习计划使用，请先在学习计划管理中移除该课程后再删除`,
          });
        await repo.delete(tx, id);
        await record(tx, staffId, meta, 'course.delete', id, { title: c.title, hours: c.hours });
      });
    },

    async addChapter(staffId: string, courseId: string, input: TChapterInput, meta: RequestMeta) {
      const chapterId = await db.transaction(async (tx) => {
        if (!(await repo.lock(tx, courseId))) throw notFound();
        const now = clock.now();
        const ch = await repo.insertChapter(tx, {
          courseId,
          title: input.title,
          position: await repo.nextPosition(tx, courseId),
          durationSeconds: input.durationSeconds,
          questions: withIds(input.questions),
          createdAt: now,
          updatedAt: now,
        });
        await repo.touch(tx, courseId, now);
        await record(tx, staffId, meta, 'course.chapter.create', courseId, { chapterId: ch.id, title: ch.title });
        return ch.id;
      });
      return (await detail(courseId)).chapters.find((c) => c.id === chapterId) as TChapter;
    },

    async updateChapter(staffId: string, courseId: string, chapterId: string, input: TChapterInput, meta: RequestMeta) {
      await db.transaction(async (tx) => {
        const before = await lockChapter(tx, courseId, chapterId);
        const now = clock.now();
        await repo.updateChapter(
          tx,
          chapterId,
          { title: input.title, durationSeconds: input.durationSeconds, questions: withIds(input.questions) },
          now,
        );
        await repo.touch(tx, courseId, now);
        await record(tx, staffId, meta, 'course.chapter.update', courseId, {
          chapterId,
          from: { title: before.title, durationSeconds: before.durationSeconds },
          to: { title: input.title, durationSeconds: input.durationSeconds, questions: input.questions.length },
        });
      });
      return (await detail(courseId)).chapters.find((c) => c.id === chapterId) as TChapter;
    },

    async removeChapter(staffId: string, courseId: string, chapterId: string, meta: RequestMeta) {
      await db.transaction(async (tx) => {
        const ch = await lockChapter(tx, courseId, chapterId);
        await repo.deleteChapter(tx, chapterId);
        // Positions stay dense (1..n) so 上移/下移 and the learner's order never show gaps.
        const rest = (await repo.chapters(tx, courseId)).map((r) => r.chapter.id);
        await repo.setPositions(tx, courseId, rest);
        await repo.touch(tx, courseId, clock.now());
        await record(tx, staffId, meta, 'course.chapter.delete', courseId, { chapterId, title: ch.title });
      });
    },

    /** The whole new order: every chapter of the course exactly once. */
    async reorder(staffId: string, courseId: string, chapterIds: string[], meta: RequestMeta) {
      await db.transaction(async (tx) => {
        if (!(await repo.lock(tx, courseId))) throw notFound();
        const current = (await repo.chapters(tx, courseId)).map((r) => r.chapter.id);
        const same =
          current.length === chapterIds.length &&
          new Set(chapterIds).size === chapterIds.length &&
          chapterIds.every((id) => current.includes(id));
        if (!same) throw fieldError('VALIDATION_FAILED', 'chapterIds', '章节顺序与课程的章节不一致，请刷新页面后重试');
        await repo.setPositions(tx, courseId, chapterIds);
        await repo.touch(tx, courseId, clock.now());
        await record(tx, staffId, meta, 'course.chapter.reorder', courseId, { chapterIds });
      });
      return detail(courseId);
    },

    /**
     * 上传视频: the file was spooled to local disk and checked by content; its duration becomes the chapter's
     * study time when ffmpeg can read it (otherwise the duration the operator entered stays).
     */
    async attachVideo(
      staffId: string,
      courseId: string,
      chapterId: string,
      video: { path: string; mime: string; originalName?: string },
      meta: RequestMeta,
    ) {
      const probed = await probeDuration(video.path);
      await db.transaction(async (tx) => {
        const before = await lockChapter(tx, courseId, chapterId);
        const fileId = await deps.files.saveFromPath(tx, { ...video, purpose: COURSE_VIDEO_PURPOSE });
        const now = clock.now();
        await repo.updateChapter(
          tx,
          chapterId,
          { videoFileId: fileId, ...(probed ? { durationSeconds: probed } : {}) },
          now,
        );
        await repo.touch(tx, courseId, now);
        await record(tx, staffId, meta, 'course.chapter.video', courseId, {
          chapterId,
          fileId,
          previousFileId: before.videoFileId,
          durationSeconds: probed,
        });
      });
      return {
        chapter: (await detail(courseId)).chapters.find((c) => c.id === chapterId) as TChapter,
        probedSeconds: probed,
      };
    },

    // ---- plans made of courses (used by the purchase module's plans service) ----
    planCatalogue: {
      /** Each plan's courses in order. */
      async refsOf(ex: Executor, planIds: string[]): Promise<Map<string, TPlanCourseRef[]>> {
        const out = new Map<string, TPlanCourseRef[]>(planIds.map((id) => [id, []]));
        for (const r of await repo.refsOfPlans(ex, planIds))
          out.get(r.planId)?.push({
            id: r.id,
            title: r.title,
            teacher: r.teacher,
            hours: r.hours,
            chapterCount: Number(r.chapterCount),
          });
        return out;
      },
      /** Replaces a plan's courses; unknown ids are a field error. Returns the sum of their 学时. */
      async replace(ex: Executor, planId: string, courseIds: string[]): Promise<number> {
        const found = await repo.byIds(ex, courseIds);
        if (found.length !== courseIds.length)
          throw fieldError('VALIDATION_FAILED', 'courseIds', '所选课程不存在或已被删除，请刷新后重新选择');
        await repo.replacePlanCourses(ex, planId, courseIds);
        return found.reduce((s, c) => s + c.hours, 0);
      },
      /** 学时 of the given courses (unknown ones count 0: replace() refuses them). */
      async hoursOf(ex: Executor, courseIds: string[]) {
        return (await repo.byIds(ex, courseIds)).reduce((s, c) => s + c.hours, 0);
      },
      courseIdsOf: (ex: Executor, planId: string) => repo.courseIdsOfPlan(ex, planId),
      async copyDefaultTo(ex: Executor, planId: string) {
        await repo.replacePlanCourses(ex, planId, await repo.defaultCourseIds(ex));
      },
    },

    // ---- media ----
    /**
     * The video a signed URL grants, for this signed-in learner; null (→ 403) when the token is missing, forged,
     * expired or names someone else, or when the enrolment is gone.
     */
    async videoForLearner(token: string, accountId: string | undefined): Promise<ServableVideo | null> {
      const claim = deps.videoTokens.verify(token);
      if (!claim || !accountId || claim.accountId !== accountId) return null;
      const enrolment = await repo.enrollmentOf(db, claim.enrollmentId);
      if (!enrolment || enrolment.accountId !== accountId) return null;
      return servable(claim.fileId);
    },
    /** 预览 in the console. */
    async videoForStaff(chapterId: string): Promise<ServableVideo> {
      const ch = await repo.chapterById(db, chapterId);
      if (!ch) throw chapterNotFound();
      const v = await servable(ch.videoFileId);
      if (!v) throw new AppError('NOT_FOUND', { message: '该章节尚未上传视频' });
      return v;
    },
    async cover(fileId: string) {
      const meta = await deps.files.meta(fileId);
      if (meta?.purpose !== COURSE_COVER_PURPOSE) throw new AppError('NOT_FOUND', { message: '图片不存在' });
      return deps.files.read(meta.id);
    },
  };
}
export type CoursesService = ReturnType<typeof createCoursesService>;

const fields = (input: TCourseInput) => ({
  title: input.title,
  teacher: input.teacher,
  hours: input.hours,
  coverFileId: input.coverFileId,
  description: input.description,
});
