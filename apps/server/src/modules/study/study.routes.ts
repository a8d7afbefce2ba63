import {
  ZStudyAnswer,
  ZStudyAnswerResult,
  ZStudyCourseDetail,
  ZStudyCourseList,
  ZStudyCoursesQuery,
  ZStudyHeartbeat,
  ZStudyHeartbeatResult,
  ZStudyPlanList,
  ZStudySession,
  ZStudyStart,
} from '@cpe/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requireSession } from '../../http/auth.js';

const planParams = z.object({ planId: z.uuid('学习计划无效') });
const courseParams = planParams.extend({ courseId: z.uuid('课程无效') });
const sessionParams = z.object({ id: z.uuid('学习记录无效') });
const checkParams = z.object({ id: z.uuid('问题无效') });

/** 课程培训 on the portal: my plans, courses and chapters with progress, and the study session of the player. */
export function studyRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireSession(ctx, 'public');
    const me = (req: { principalId?: string }) => req.principalId as string;
    const tags = ['课程培训'];

    app.get(
      '/api/study/plans',
      {
        onRequest: auth,
        schema: { tags, summary: '课程培训：我的学习计划与完成度', response: { 200: ZStudyPlanList } },
      },
      async (req) => ({ items: await ctx.study.plans(me(req)) }),
    );
    app.get(
      '/api/study/plans/:planId/courses',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '学习计划的课程（分页，含学习进度）',
          params: planParams,
          querystring: ZStudyCoursesQuery,
          response: { 200: ZStudyCourseList },
        },
      },
      async (req) => ctx.study.courses(me(req), req.params.planId, req.query),
    );
    app.get(
      '/api/study/plans/:planId/courses/:courseId',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '课程的章节与学习进度',
          params: courseParams,
          response: { 200: ZStudyCourseDetail },
        },
      },
      async (req) => ctx.study.course(me(req), req.params.planId, req.params.courseId),
    );
    app.post(
      '/api/study/sessions',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '开始学习一个章节（结束本人在其他设备或窗口的学习）',
          body: ZStudyStart,
          response: { 200: ZStudySession },
        },
      },
      async (req) => ctx.study.start(me(req), req.body, req.headers['user-agent']),
    );
    app.post(
      '/api/study/sessions/:id/heartbeat',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '学习心跳：上报播放位置，服务器按实际时间计入学时',
          params: sessionParams,
          body: ZStudyHeartbeat,
          response: { 200: ZStudyHeartbeatResult },
        },
      },
      async (req) => ctx.study.heartbeat(me(req), req.params.id, req.body),
    );
    app.post(
      '/api/study/sessions/:id/close',
      {
        onRequest: auth,
        schema: { tags, summary: '结束学习（离开播放页）', params: sessionParams, response: { 204: z.null() } },
      },
      async (req, reply) => {
        await ctx.study.close(me(req), req.params.id);
        return reply.code(204).send(null);
      },
    );
    app.post(
      '/api/study/checks/:id/answer',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '回答防挂机问题',
          params: checkParams,
          body: ZStudyAnswer,
          response: { 200: ZStudyAnswerResult },
        },
      },
      async (req) => ctx.study.answer(me(req), req.params.id, req.body.answer),
    );
  };
}
