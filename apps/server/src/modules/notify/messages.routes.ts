import { ZMessage, ZMessageId, ZMessageList, ZMessageQuery, ZMessageReadAll, ZMessageUnread } from '@cpe/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { requireSession } from '../../http/auth.js';

/** 消息中心 on the portal: a signed-in person's own messages. */
export function messagesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireSession(ctx, 'public');
    const me = (req: { principalId?: string }) => req.principalId as string;
    const tags = ['消息中心'];

    app.get(
      '/api/messages',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '我的消息（新的在前；unread=true 只看未读）',
          querystring: ZMessageQuery,
          response: { 200: ZMessageList },
        },
      },
      async (req) => ctx.messages.list(me(req), req.query),
    );
    app.get(
      '/api/messages/unread-count',
      { onRequest: auth, schema: { tags, summary: '未读消息条数', response: { 200: ZMessageUnread } } },
      async (req) => ctx.messages.unreadCount(me(req)),
    );
    app.post(
      '/api/messages/read-all',
      { onRequest: auth, schema: { tags, summary: '全部标为已读', response: { 200: ZMessageReadAll } } },
      async (req) => ctx.messages.readAll(me(req)),
    );
    app.post(
      '/api/messages/:id/read',
      {
        onRequest: auth,
        schema: { tags, summary: '标记一条消息为已读', params: ZMessageId, response: { 200: ZMessage } },
      },
      async (req) => ctx.messages.read(me(req), req.params.id),
    );
  };
}
