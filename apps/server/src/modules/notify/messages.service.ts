import type { TMessage, TMessageList } from '@cpe/shared';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { MessageRow, MessagesRepo } from './messages.repo.js';

/**
 * 消息中心 for a signed-in person: their messages only (another's is "not found", never "forbidden", so nothing
 * leaks about it). Reading is not audited: the events themselves are, by their modules.
 */
export function createMessagesService(deps: { db: Db; repo: MessagesRepo; clock: Clock }) {
  const { db, repo, clock } = deps;
  const view = (m: MessageRow): TMessage => ({
    id: m.id,
    event: m.event,
    title: m.title,
    body: m.body,
    link: m.link,
    createdAt: m.createdAt.toISOString(),
    readAt: m.readAt?.toISOString() ?? null,
  });
  return {
    async list(accountId: string, q: { page: number; pageSize: number; unread?: boolean }): Promise<TMessageList> {
      const [{ rows, total }, unread] = await Promise.all([
        repo.list(db, accountId, q),
        repo.unreadCount(db, accountId),
      ]);
      return { items: rows.map(view), total, page: q.page, pageSize: q.pageSize, unread };
    },
    async unreadCount(accountId: string) {
      return { count: await repo.unreadCount(db, accountId) };
    },
    async read(accountId: string, id: string): Promise<TMessage> {
      const m = await repo.byId(db, accountId, id);
      if (!m) throw new AppError('NOT_FOUND', { message: '消息不存在' });
      if (!m.readAt) await repo.markRead(db, accountId, id, clock.now());
      return view((await repo.byId(db, accountId, id)) as MessageRow);
    },
    async readAll(accountId: string) {
      return { updated: await repo.markAllRead(db, accountId, clock.now()) };
    },
  };
}
export type MessagesService = ReturnType<typeof createMessagesService>;
