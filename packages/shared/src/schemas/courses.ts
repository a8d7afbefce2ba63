import { z } from 'zod';

/** 课程管理: the training centre's catalogue of 公需科目 courses, their chapters (one video each) and 防挂机 pools. */

export const VIDEO_TYPES = ['video/mp4', 'video/webm'] as const;

export const ZCourseInput = z.object({
  title: z.string({ error: '请输入课程名称' }).trim().min(1, '请输入课程名称').max(100, '课程名称不能超过100个字'),
  teacher: z.string({ error: '请输入主讲教师' }).trim().min(1, '请输入主讲教师').max(50, '主讲教师不能超过50个字'),
  hours: z.number({ error: '请输入学时' }).int('学时应为整数').min(1, '学时至少为1').max(100, '学时不能超过100'),
  coverFileId: z.uuid('封面图片无效').nullable().default(null),
  description: z.string().trim().max(2000, '课程简介不能超过2000个字').default(''),
});
export type TCourseInput = z.infer<typeof ZCourseInput>;

/** One 防挂机 question of a chapter's pool: the learner picks one option; `answer` is its index. */
export const ZChapterQuestion = z
  .object({
    id: z.string().trim().min(1).max(64).optional(),
    prompt: z.string({ error: '请输入题目' }).trim().min(1, '请输入题目').max(200, '题目不能超过200个字'),
    options: z
      .array(z.string({ error: '请输入选项' }).trim().min(1, '选项不能为空').max(100, '选项不能超过100个字'), {
        error: '请输入选项',
      })
      .min(2, '每题至少2个选项')
      .max(6, '每题最多6个选项'),
    answer: z.number({ error: '请选择正确答案' }).int('正确答案无效').min(0, '正确答案无效'),
  })
  .refine((q) => q.answer < q.options.length, { path: ['answer'], message: '正确答案须是其中一个选项' });
export type TChapterQuestion = z.infer<typeof ZChapterQuestion>;

export const ZChapterInput = z.object({
  title: z.string({ error: '请输入章节名称' }).trim().min(1, '请输入章节名称').max(100, '章节名称不能超过100个字'),
  /** Seconds of study the chapter needs; set from the uploaded video's probed duration when there is one. */
  durationSeconds: z
    .number({ error: '请输入时长' })
    .int('时长应为整数秒')
    .min(1, '时长至少为1秒')
    .max(6 * 3600, '时长不能超过6小时'),
  questions: z.array(ZChapterQuestion).max(50, '防挂机题目最多50道').default([]),
});
export type TChapterInput = z.infer<typeof ZChapterInput>;

export const ZChapterReorder = z.object({
  chapterIds: z.array(z.uuid('章节无效')).min(1, '请提供章节顺序').max(500),
});

export const COURSE_SORTS = ['updatedAt', 'title', 'hours', 'createdAt'] as const;

export const ZCourseQuery = z.object({
  page: z.coerce.number().int().min(1, '页码须为正整数').default(1),
  pageSize: z.coerce.number().int().min(1).max(100, '每页最多100条').default(20),
  /** Matches 课程名称 or 主讲教师. */
  q: z.string().trim().max(100, '搜索内容不能超过100个字').optional(),
  sort: z.enum(COURSE_SORTS, { error: '排序字段无效' }).default('updatedAt'),
  order: z.enum(['asc', 'desc'], { error: '排序方向无效' }).default('desc'),
});
export type TCourseQuery = z.infer<typeof ZCourseQuery>;

export const ZChapter = z.object({
  id: z.string(),
  courseId: z.string(),
  title: z.string(),
  position: z.number().int(),
  durationSeconds: z.number().int(),
  videoFileId: z.string().nullable(),
  videoMime: z.string().nullable(),
  videoSize: z.number().int().nullable(),
  questions: z.array(
    z.object({ id: z.string(), prompt: z.string(), options: z.array(z.string()), answer: z.number().int() }),
  ),
});
export type TChapter = z.infer<typeof ZChapter>;

export const ZCourseSummary = z.object({
  id: z.string(),
  title: z.string(),
  teacher: z.string(),
  hours: z.number().int(),
  coverFileId: z.string().nullable(),
  description: z.string(),
  chapterCount: z.number().int(),
  /** Sum of the chapters' durations. */
  totalSeconds: z.number().int(),
  /** How many plans list this course (a used course cannot be deleted). */
  planCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TCourseSummary = z.infer<typeof ZCourseSummary>;

export const ZCourseList = z.object({ items: z.array(ZCourseSummary), total: z.number().int() });

export const ZCourseDetail = ZCourseSummary.extend({ chapters: z.array(ZChapter) });
export type TCourseDetail = z.infer<typeof ZCourseDetail>;

/** A course as a plan shows it (portal plan pages and the console PlanEditor). */
export const ZPlanCourseRef = z.object({
  id: z.string(),
  title: z.string(),
  teacher: z.string(),
  hours: z.number().int(),
  chapterCount: z.number().int(),
});
export type TPlanCourseRef = z.infer<typeof ZPlanCourseRef>;

/** Formats seconds as mm:ss (or h:mm:ss from an hour on). */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}
