import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { messages } from '../../db/schema/index.js';

export type MessageRow = typeof messages.$inferSelect;

/** 消息中心's rows; every read and write is scoped by the owning account. */
export function createMessagesRepo() {
  const mine = (accountId: string, unreadOnly?: boolean) =>
    unreadOnly ? and(eq(messages.accountId, accountId), isNull(messages.readAt)) : eq(messages.accountId, accountId);
  return {
    async insert(ex: Executor, row: typeof messages.$inferInsert) {
      await ex.insert(messages).values(row);
    },
    async list(ex: Executor, accountId: string, q: { page: number; pageSize: number; unread?: boolean }) {
      const where = mine(accountId, q.unread);
      const [rows, [total]] = await Promise.all([
        ex
          .select()
          .from(messages)
          .where(where)
          .orderBy(desc(messages.createdAt), desc(messages.id))
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
        ex.select({ n: count() }).from(messages).where(where),
      ]);
      return { rows, total: total?.n ?? 0 };
    },
    async unreadCount(ex: Executor, accountId: string) {
      const [r] = await ex.select({ n: count() }).from(messages).where(mine(accountId, true));
      return r?.n ?? 0;
    },
    async byId(ex: Executor, accountId: string, id: string) {
      const [r] = await ex
        .select()
        .from(messages)
        .where(and(eq(messages.id, id), eq(messages.accountId, accountId)));
      return r;
    },
    async markRead(ex: Executor, accountId: string, id: string, at: Date) {
      await ex
        .update(messages)
        .set({ readAt: at })
        .where(and(eq(messages.id, id), eq(messages.accountId, accountId), isNull(messages.readAt)));
    },
    async markAllRead(ex: Executor, accountId: string, at: Date) {
      const r = await ex
        .update(messages)
        .set({ readAt: at })
        .where(mine(accountId, true))
        .returning({ id: messages.id });
      return r.length;
    },
  };
}
export type MessagesRepo = ReturnType<typeof createMessagesRepo>;
