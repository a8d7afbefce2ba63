import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Storage } from '../../adapters/storage/storage.js';
import type { AppContext } from '../../context.js';
import { COOKIES } from '../../http/auth.js';
import { AppError } from '../../lib/errors.js';
import type { ServableVideo } from './courses.service.js';

/**
 * The byte range a `Range` header asks for within `size` bytes: null to send the whole file (no header, a
 * multi-range or a unit we do not serve — the header may be ignored), 'unsatisfiable' for 416.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  const [, a, b] = m as unknown as [string, string, string];
  if (a === '' && b === '') return null;
  if (a === '') {
    // Suffix range: the last b bytes.
    const n = Number(b);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** Streams a stored video with single-range support (206/416), so players can seek without downloading it all. */
export async function sendVideo(req: FastifyRequest, reply: FastifyReply, storage: Storage, video: ServableVideo) {
  const range = parseRange(req.headers.range, video.size);
  if (range === 'unsatisfiable')
    throw new AppError('RANGE_NOT_SATISFIABLE', {
      headers: { 'content-range': `bytes */${video.size}`, 'accept-ranges': 'bytes' },
    });
  reply
    .header('accept-ranges', 'bytes')
    .header('cache-control', 'private, max-age=0, no-transform')
    .header('content-disposition', 'inline')
    .type(video.mime);
  if (range) {
    reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${video.size}`)
      .header('content-length', range.end - range.start + 1);
    return reply.send(await storage.createReadStream(video.storageKey, range));
  }
  reply.header('content-length', video.size);
  return reply.send(await storage.createReadStream(video.storageKey));
}

/** Learners' video files behind short-lived signed URLs (public listener). */
export function mediaRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      // A wildcard, not a :param: tokens are longer than the router's parameter limit.
      '/media/videos/*',
      {
        schema: {
          tags: ['学习'],
          summary: '课程视频（签名链接，仅限本人在有效报名下访问；支持 Range 分段请求）',
          params: z.object({ '*': z.string().max(2000, '视频链接无效') }),
        },
      },
      async (req, reply) => {
        // Resolved here rather than by requireSession: every refusal of this URL is the same 403, signed in or not.
        const sid = req.cookies[COOKIES.public.session];
        const session = sid ? await ctx.sessions.resolve('public', sid).catch(() => undefined) : undefined;
        const video = await ctx.courses.videoForLearner(req.params['*'], session?.principalId);
        if (!video) throw new AppError('VIDEO_FORBIDDEN');
        return sendVideo(req, reply, ctx.adapters.storage, video);
      },
    );
  };
}
