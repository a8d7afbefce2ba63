import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { TChapterQuestion, TCourseDetail, TPlan } from '@cpe/shared';
import { demoClip } from '../src/modules/courses/ffmpeg.js';
import type { TestEnv } from './harness.js';

const meta = { ip: '127.0.0.1', userAgent: 'vitest' };
/** Generated clips are shared by every test file of a run (one per duration). */
const CLIP_CACHE = path.join(os.tmpdir(), 'cpe-test-clips');

export interface ChapterSpec {
  durationSeconds?: number;
  title?: string;
  /** 防挂机 pool. */
  questions?: TChapterQuestion[];
  /** Attach a real generated MP4 of `durationSeconds` (its probed duration then becomes the chapter's). */
  video?: boolean;
}

/** A real short MP4 (H.264/AAC) of about `seconds`, cached across test files. */
export async function testClip(seconds = 3): Promise<string> {
  const file = await demoClip(CLIP_CACHE, seconds, `测试视频 ${seconds}秒`);
  if (!file) throw new Error('ffmpeg (@ffmpeg-installer/ffmpeg) is not available');
  return file;
}

/** A catalogue course as 课程管理 creates it, with chapters (one 60 s chapter by default). */
export async function createCourse(
  env: TestEnv,
  over: { hours?: number; title?: string; teacher?: string; chapters?: ChapterSpec[] } = {},
): Promise<TCourseDetail> {
  const staffId = crypto.randomUUID();
  const course = await env.ctx.courses.create(
    staffId,
    {
      title: over.title ?? `测试课程${crypto.randomBytes(3).toString('hex')}`,
      teacher: over.teacher ?? '王老师',
      hours: over.hours ?? 30,
      coverFileId: null,
      description: '',
    },
    meta,
  );
  for (const [i, ch] of (over.chapters ?? [{ durationSeconds: 60 }]).entries()) {
    const seconds = ch.durationSeconds ?? 60;
    const added = await env.ctx.courses.addChapter(
      staffId,
      course.id,
      { title: ch.title ?? `第${i + 1}章`, durationSeconds: seconds, questions: ch.questions ?? [] },
      meta,
    );
    if (ch.video)
      await env.ctx.courses.attachVideo(
        staffId,
        course.id,
        added.id,
        { path: await testClip(seconds), mime: 'video/mp4', originalName: 'clip.mp4' },
        meta,
      );
  }
  return env.ctx.courses.detail(course.id);
}

/**
 * A plan made of catalogue courses (default: one 30-学时 course with one 60 s chapter), published and on sale
 * now unless told otherwise.
 */
export async function planWithCourses(
  env: TestEnv,
  over: {
    courses?: Array<{ hours: number; chapters?: ChapterSpec[] }>;
    priceFen?: number;
    year?: number;
    requiredHours?: number;
    published?: boolean;
  } = {},
): Promise<{ plan: TPlan; courses: TCourseDetail[] }> {
  const courses: TCourseDetail[] = [];
  for (const c of over.courses ?? [{ hours: 30 }]) courses.push(await createCourse(env, c));
  const now = env.clock.now();
  const plan = await env.ctx.purchase.plans.create(
    crypto.randomUUID(),
    {
      name: `重庆市专技人员继续教育公需科目培训${crypto.randomBytes(2).toString('hex')}`,
      year: over.year ?? now.getUTCFullYear(),
      priceFen: over.priceFen ?? 12_000,
      requiredHours: over.requiredHours ?? courses.reduce((s, c) => s + c.hours, 0),
      saleFrom: new Date(now.getTime() - 86_400_000).toISOString(),
      saleTo: new Date(now.getTime() + 300 * 86_400_000).toISOString(),
      description: '',
      coverFileId: null,
      courseIds: courses.map((c) => c.id),
      published: over.published ?? true,
    },
    meta,
  );
  return { plan, courses };
}
