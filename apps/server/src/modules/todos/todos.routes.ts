import { ZTodoList } from '@cpe/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { requireSession } from '../../http/auth.js';

/** 首页 → 待办事项 (staff listener only): what waits for the signed-in staff member, queue by queue. */
export function todosRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireSession(ctx, 'staff');
    app.get(
      '/api/todos',
      {
        onRequest: auth,
        schema: {
          tags: ['内网'],
          summary: '待办事项：按角色与所属机构，各待办队列的数量与处理入口',
          response: { 200: ZTodoList },
        },
      },
      async (req) => {
        const staff = await ctx.staff.load(req.principalId as string);
        return ctx.todos.forStaff(staff, (key, err) => req.log.error({ err, todoSource: key }, 'todo source failed'));
      },
    );
  };
}
