import crypto from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  VIDEO_TYPES,
  ZChapter,
  ZChapterInput,
  ZChapterReorder,
  ZCourseDetail,
  ZCourseInput,
  ZCourseList,
  ZCourseQuery,
  ZOk,
  ZUploadedFile,
} from '@cpe/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { meta } from '../../http/auth.js';
import { readMultipart } from '../../http/multipart.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { loadFileType } from '../../lib/lazy.js';
import { sanitizeImage } from '../files/images.js';
import { COURSE_COVER_PURPOSE } from './courses.service.js';
import { sendVideo } from './media.routes.js';

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

const HEAD_BYTES = 4100;

/**
 * Spools the request's one video file to `dir`, checking its type from the first bytes (before the rest is
 * stored) and its size while it streams. Returns the temporary path, the detected type and the original name.
 */
async function spoolVideo(req: FastifyRequest, dir: string, maxBytes: number) {
  const limitMessage = `视频大小不能超过${Math.round(maxBytes / 1048576)}M`;
  let part: Awaited<ReturnType<FastifyRequest['file']>>;
  try {
    part = await req.file({ limits: { fileSize: maxBytes, files: 1, fields: 5 }, throwFileSizeLimit: false });
  } catch {
    throw new AppError('VALIDATION_FAILED', { message: '上传的表单格式错误' });
  }
  if (part?.fieldname !== 'file') throw fieldError('VALIDATION_FAILED', 'file', '请选择视频文件');

  const { fileTypeFromBuffer } = await loadFileType();
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `${crypto.randomUUID()}.upload`);
  const out = createWriteStream(tmp, { flags: 'wx' });
  let head = Buffer.alloc(0);
  let mime: string | undefined;
  let refused: AppError | undefined;
  try {
    await pipeline(
      part.file,
      new Writable({
        write(chunk: Buffer, _enc, done) {
          if (refused) return done();
          if (!mime) {
            head = Buffer.concat([head, chunk]);
            if (head.length < HEAD_BYTES) return done();
            return void fileTypeFromBuffer(head).then((t) => {
              mime = t?.mime;
              if (!mime || !(VIDEO_TYPES as readonly string[]).includes(mime)) {
                // Keep reading (and discarding) so the browser receives our answer, not a reset connection.
                refused = fieldError('VIDEO_INVALID', 'file');
                return done();
              }
              out.write(head, done);
            }, done);
          }
          out.write(chunk, done);
        },
        final(done) {
          if (refused || mime) return done();
          // A file shorter than the sniffing window: decide on what there is.
          void fileTypeFromBuffer(head).then((t) => {
            mime = t?.mime;
            if (!mime || !(VIDEO_TYPES as readonly string[]).includes(mime)) {
              refused = fieldError('VIDEO_INVALID', 'file');
              return done();
            }
            out.write(head, done);
          }, done);
        },
      }),
    );
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (part.file.truncated) throw fieldError('PAYLOAD_TOO_LARGE', 'file', limitMessage);
    if (refused) throw refused;
    return { path: tmp, mime: mime as string, name: part.filename };
  } catch (err) {
    out.destroy();
    await fs.rm(tmp, { force: true });
    if (err instanceof AppError) throw err;
    throw new AppError('VALIDATION_FAILED', { message: '视频上传中断，请重试' });
  }
}

/** 课程管理 (staff listener; 培训中心运营 or 系统管理员). */
export function coursesStaffRoutes(ctx: AppContext, guard: Hook[]): FastifyPluginAsyncZod {
  return async (app) => {
    const { courses } = ctx;
    const tags = ['课程管理'];
    const staff = (req: { principalId?: string }) => req.principalId as string;
    const id = z.object({ id: z.uuid('编号无效') });
    const chapterParams = z.object({ id: z.uuid('编号无效'), chapterId: z.uuid('章节编号无效') });

    app.get(
      '/api/admin/courses',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '课程列表（按课程名称或主讲教师搜索）',
          querystring: ZCourseQuery,
          response: { 200: ZCourseList },
        },
      },
      async (req) => courses.list(req.query),
    );
    app.post(
      '/api/admin/courses',
      { onRequest: guard, schema: { tags, summary: '新增课程', body: ZCourseInput, response: { 200: ZCourseDetail } } },
      async (req) => courses.create(staff(req), req.body, meta(req)),
    );
    app.get(
      '/api/admin/courses/:id',
      { onRequest: guard, schema: { tags, summary: '课程详情与章节', params: id, response: { 200: ZCourseDetail } } },
      async (req) => courses.detail(req.params.id),
    );
    app.put(
      '/api/admin/courses/:id',
      {
        onRequest: guard,
        schema: { tags, summary: '修改课程', params: id, body: ZCourseInput, response: { 200: ZCourseDetail } },
      },
      async (req) => courses.update(staff(req), req.params.id, req.body, meta(req)),
    );
    app.delete(
      '/api/admin/courses/:id',
      {
        onRequest: guard,
        schema: { tags, summary: '删除课程（已被学习计划使用的不能删除）', params: id, response: { 200: ZOk } },
      },
      async (req) => {
        await courses.remove(staff(req), req.params.id, meta(req));
        return { ok: true as const };
      },
    );
    app.post(
      '/api/admin/courses/:id/chapters',
      {
        onRequest: guard,
        schema: { tags, summary: '新增章节', params: id, body: ZChapterInput, response: { 200: ZChapter } },
      },
      async (req) => courses.addChapter(staff(req), req.params.id, req.body, meta(req)),
    );
    app.put(
      '/api/admin/courses/:id/chapters/:chapterId',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '修改章节与防挂机题库',
          params: chapterParams,
          body: ZChapterInput,
          response: { 200: ZChapter },
        },
      },
      async (req) => courses.updateChapter(staff(req), req.params.id, req.params.chapterId, req.body, meta(req)),
    );
    app.delete(
      '/api/admin/courses/:id/chapters/:chapterId',
      { onRequest: guard, schema: { tags, summary: '删除章节', params: chapterParams, response: { 200: ZOk } } },
      async (req) => {
        await courses.removeChapter(staff(req), req.params.id, req.params.chapterId, meta(req));
        return { ok: true as const };
      },
    );
    app.put(
      '/api/admin/courses/:id/chapter-order',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '调整章节顺序（上移/下移）',
          params: id,
          body: ZChapterReorder,
          response: { 200: ZCourseDetail },
        },
      },
      async (req) => courses.reorder(staff(req), req.params.id, req.body.chapterIds, meta(req)),
    );
    app.post(
      '/api/admin/courses/:id/chapters/:chapterId/video',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '上传章节视频（MP4/WebM，按内容识别；时长自动读取）',
          consumes: ['multipart/form-data'],
          params: chapterParams,
          response: { 200: z.object({ chapter: ZChapter, probedSeconds: z.number().int().nullable() }) },
        },
      },
      async (req) => {
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '请以表单方式上传' });
        const spooled = await spoolVideo(
          req,
          path.join(ctx.config.dataDir, 'tmp', 'uploads'),
          ctx.config.courses.videoMaxBytes,
        );
        try {
          return await courses.attachVideo(
            staff(req),
            req.params.id,
            req.params.chapterId,
            { path: spooled.path, mime: spooled.mime, originalName: spooled.name },
            meta(req),
          );
        } finally {
          await fs.rm(spooled.path, { force: true });
        }
      },
    );
    app.get(
      '/api/admin/chapters/:id/video',
      {
        onRequest: guard,
        schema: { tags, summary: '预览章节视频（支持 Range 分段请求）', params: id },
      },
      async (req, reply) => sendVideo(req, reply, ctx.adapters.storage, await courses.videoForStaff(req.params.id)),
    );
    app.post(
      '/api/admin/courses/covers',
      {
        onRequest: guard,
        schema: {
          tags,
          summary: '上传课程封面（JPG/PNG，重新编码）',
          consumes: ['multipart/form-data'],
          response: { 200: ZUploadedFile },
        },
      },
      async (req) => {
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '请以表单方式上传' });
        const { files, names } = await readMultipart(req, { maxFileBytes: 5 * 1024 * 1024, maxFiles: 1 });
        if (!files.file) throw fieldError('VALIDATION_FAILED', 'file', '请选择图片');
        const clean = await sanitizeImage(files.file, 'file');
        const fileId = await ctx.files.save(ctx.db, {
          data: clean.data,
          mime: clean.mime,
          purpose: COURSE_COVER_PURPOSE,
          originalName: names.file,
        });
        return { id: fileId, mime: clean.mime, size: clean.data.length, name: names.file ?? null };
      },
    );
    app.get(
      '/api/admin/courses/covers/:id',
      { onRequest: guard, schema: { tags, summary: '课程封面图片', params: id } },
      async (req, reply) => {
        const file = await courses.cover(req.params.id);
        reply.type(file.mime).header('cache-control', 'private, max-age=300');
        return file.data;
      },
    );
  };
}
