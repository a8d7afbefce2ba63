import {
  ZCalendarDay,
  ZCalendarDayInput,
  ZCalendarDayList,
  ZCalendarDayParams,
  ZCalendarYearQuery,
  ZOk,
} from '@cpe/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { meta, requireSession } from '../../http/auth.js';
import { AppError } from '../../lib/errors.js';

/**
 * Who keeps the calendar: the system administrator, and reviewers of 市人社局 (a reviewer without a bureau counts
 * as 市人社局, as for 项目审核). Everyone else on the console only reads it.
 */
async function mayEditCalendar(ctx: AppContext, staffId: string): Promise<boolean> {
  const staff = await ctx.staff.load(staffId);
  if (staff.roles.includes('sysadmin')) return true;
  if (!staff.roles.includes('reviewer')) return false;
  const node = staff.orgNodeId ? await ctx.org.byId(staff.orgNodeId) : undefined;
  return !node || node.kind === 'city';
}

/** 工作日历 (staff listener only): any signed-in staff member reads it; 系统管理员 and 市人社局审核人员 edit it. */
export function calendarRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireSession(ctx, 'staff');
    const staff = (req: { principalId?: string }) => req.principalId as string;
    const editor = [
      auth,
      async (req: { principalId?: string }) => {
        if (!(await mayEditCalendar(ctx, staff(req))))
          throw new AppError('FORBIDDEN', { message: '仅系统管理员和市人社局审核人员可以维护工作日历' });
      },
    ];
    const tags = ['工作日历'];

    app.get(
      '/api/calendar-days',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '某年的法定节假日（休）与调休上班日（班）；其余周六、周日休息，周一至周五上班',
          querystring: ZCalendarYearQuery,
          response: { 200: ZCalendarDayList },
        },
      },
      async (req) => ({
        ...(await ctx.calendar.list(req.query.year)),
        editable: await mayEditCalendar(ctx, staff(req)),
      }),
    );
    app.put(
      '/api/calendar-days/:day',
      {
        onRequest: editor,
        schema: {
          tags,
          summary: '设置某天为休（法定节假日）或班（周末调休上班）',
          params: ZCalendarDayParams,
          body: ZCalendarDayInput,
          response: { 200: ZCalendarDay },
        },
      },
      async (req) => ctx.calendar.setDay(staff(req), req.params.day, req.body, meta(req)),
    );
    app.delete(
      '/api/calendar-days/:day',
      {
        onRequest: editor,
        schema: {
          tags,
          summary: '删除某天的设置（恢复为周一至周五上班、周末休息）',
          params: ZCalendarDayParams,
          response: { 200: ZOk },
        },
      },
      async (req) => {
        await ctx.calendar.deleteDay(staff(req), req.params.day, meta(req));
        return { ok: true as const };
      },
    );
  };
}
