import { z } from 'zod';

/**
 * 课程培训: a learner's enrolled plans, their courses and chapters, and the study session a player runs.
 * Progress is measured by the server from heartbeats; the client only reports where the video is.
 */

/** A chapter counts as complete when credited time reaches this share of its duration. */
export const STUDY_COMPLETE_RATIO = 0.95;
/** The player never plays faster than this (credit is capped by wall time whatever the rate). */
export const STUDY_MAX_RATE = 2;
/** Seconds a learner has to answer a 防挂机 question. */
export const STUDY_CHECK_ANSWER_SECONDS = 120;

const uuid = (label: string) => z.uuid(`${label}无效`);

export const ZStudyStart = z.object({
  planId: uuid('学习计划'),
  chapterId: uuid('章节'),
});
export type TStudyStart = z.infer<typeof ZStudyStart>;

/** What the player reports every few seconds (and on pause, play and seek). */
export const ZStudyHeartbeat = z.object({
  /** Current playback position, in seconds. */
  position: z
    .number({ error: '播放位置应为数字' })
    .min(0, '播放位置不能为负数')
    .max(24 * 3600, '播放位置无效'),
  /** Whether the video played during the interval since the previous heartbeat. */
  playing: z.boolean({ error: '播放状态应为true或false' }),
  rate: z
    .number({ error: '播放速度应为数字' })
    .min(0.25, '播放速度不能低于0.25倍')
    .max(4, '播放速度不能超过4倍')
    .default(1),
});
export type TStudyHeartbeat = z.infer<typeof ZStudyHeartbeat>;

export const ZStudyAnswer = z.object({
  answer: z.number({ error: '请选择答案' }).int('答案无效').min(0, '答案无效').max(9, '答案无效'),
});
export type TStudyAnswer = z.infer<typeof ZStudyAnswer>;

/** A 防挂机 question as the player shows it (never with its answer). */
export const ZStudyCheck = z.object({
  id: z.string(),
  prompt: z.string(),
  options: z.array(z.string()),
  deadlineAt: z.string(),
});
export type TStudyCheck = z.infer<typeof ZStudyCheck>;

export const ZStudySession = z.object({
  sessionId: z.string(),
  chapterId: z.string(),
  /** Signed, short-lived; null when the chapter has no video yet. */
  videoUrl: z.string().nullable(),
  videoExpiresAt: z.string().nullable(),
  resumeAt: z.number(),
  maxPosition: z.number(),
  durationSeconds: z.number().int(),
  creditedSeconds: z.number().int(),
  chapterComplete: z.boolean(),
  heartbeatSeconds: z.number().int(),
  /** Seconds of credited play until the next 防挂机 question. */
  nextCheckInSeconds: z.number().int().nullable(),
  check: ZStudyCheck.nullable(),
});
export type TStudySession = z.infer<typeof ZStudySession>;

export const ZStudyHeartbeatResult = z.object({
  /** Credited seconds of the chapter after this heartbeat. */
  creditedSeconds: z.number().int(),
  /** Credited by this heartbeat (0 when paused, skipped ahead or while a question is open). */
  creditedNow: z.number(),
  maxPosition: z.number(),
  chapterComplete: z.boolean(),
  /** Set when the reported position is beyond what has been credited: the player must go back there. */
  seekTo: z.number().nullable(),
  check: ZStudyCheck.nullable(),
  /** A fresh signed URL when the current one is about to expire. */
  videoUrl: z.string().nullable(),
  videoExpiresAt: z.string().nullable(),
  /** Seconds voided by an unanswered question discovered on this heartbeat. */
  voidedSeconds: z.number().int(),
});
export type TStudyHeartbeatResult = z.infer<typeof ZStudyHeartbeatResult>;

/**
 * The player's live channel: a WebSocket at `/api/study/sessions/:id/live` on the portal's origin, signed in by
 * the session cookie. Each text frame the player sends is one heartbeat (ZStudyHeartbeat, the same body as the
 * HTTP heartbeat); the server answers every frame, in order, with one reply: the same result as the HTTP
 * heartbeat, or the same `{code, message, fields?}` error. A request per beat costs the whole HTTP stack
 * (headers, cookies, CSRF, logging) every 15 s per learner; a frame costs the heartbeat's own work.
 */
export const ZStudyLiveReply = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: ZStudyHeartbeatResult }),
  z.object({
    ok: z.literal(false),
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional(),
    }),
  }),
]);
export type TStudyLiveReply = z.infer<typeof ZStudyLiveReply>;

/**
 * Close codes the server ends the live channel with after its last error reply; the player must not reconnect
 * for these (it would be refused again) but say why, as for the HTTP answers with the same codes.
 */
export const STUDY_LIVE_CLOSE = {
  /** The sign-in ended (logout, password change, expiry): SESSION_EXPIRED / UNAUTHENTICATED. */
  signedOut: 4001,
  /** Another tab or device started studying: STUDY_SESSION_REPLACED. */
  replaced: 4009,
  /** The study session is unknown or not this learner's: STUDY_SESSION_NOT_FOUND. */
  notFound: 4004,
} as const;

export const STUDY_CHECK_OUTCOMES = ['correct', 'wrong', 'timeout'] as const;
export const ZStudyAnswerResult = z.object({
  outcome: z.enum(STUDY_CHECK_OUTCOMES),
  voidedSeconds: z.number().int(),
  creditedSeconds: z.number().int(),
  maxPosition: z.number(),
  chapterComplete: z.boolean(),
});
export type TStudyAnswerResult = z.infer<typeof ZStudyAnswerResult>;

export const ZStudyPlan = z.object({
  enrollmentId: z.string(),
  planId: z.string(),
  name: z.string(),
  year: z.number().int(),
  requiredHours: z.number().int(),
  creditedHours: z.number().int(),
  /** 计划完成度, 0–100. */
  percent: z.number().int(),
  courseCount: z.number().int(),
  completedCourses: z.number().int(),
  completedAt: z.string().nullable(),
  /** 合格证书 is (or will shortly be) available under 我的证书. */
  certificate: z.boolean(),
});
export type TStudyPlan = z.infer<typeof ZStudyPlan>;
export const ZStudyPlanList = z.object({ items: z.array(ZStudyPlan) });

export const ZStudyCoursesQuery = z.object({
  page: z.coerce.number('页码须为正整数').int('页码须为正整数').min(1, '页码须为正整数').default(1),
  pageSize: z.coerce
    .number('每页条数须为正整数')
    .int('每页条数须为正整数')
    .min(1, '每页至少1条')
    .max(50, '每页最多50条')
    .default(12),
});
export type TStudyCoursesQuery = z.infer<typeof ZStudyCoursesQuery>;

export const ZStudyCourse = z.object({
  id: z.string(),
  title: z.string(),
  teacher: z.string(),
  hours: z.number().int(),
  coverFileId: z.string().nullable(),
  chapterCount: z.number().int(),
  completedChapters: z.number().int(),
  durationSeconds: z.number().int(),
  creditedSeconds: z.number().int(),
  percent: z.number().int(),
  complete: z.boolean(),
});
export type TStudyCourse = z.infer<typeof ZStudyCourse>;

export const ZStudyCourseList = z.object({
  plan: ZStudyPlan,
  items: z.array(ZStudyCourse),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type TStudyCourseList = z.infer<typeof ZStudyCourseList>;

export const ZStudyChapter = z.object({
  id: z.string(),
  title: z.string(),
  position: z.number().int(),
  durationSeconds: z.number().int(),
  hasVideo: z.boolean(),
  creditedSeconds: z.number().int(),
  percent: z.number().int(),
  complete: z.boolean(),
  lastPosition: z.number().int(),
  maxPosition: z.number().int(),
});
export type TStudyChapter = z.infer<typeof ZStudyChapter>;

export const ZStudyCourseDetail = z.object({
  plan: ZStudyPlan,
  course: ZStudyCourse.extend({ description: z.string() }),
  chapters: z.array(ZStudyChapter),
});
export type TStudyCourseDetail = z.infer<typeof ZStudyCourseDetail>;
