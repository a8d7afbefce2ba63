import {
  DEFAULT_HELP_CONTACT,
  maskPhone,
  type TAdminTicket,
  type TFaq,
  type TFaqInput,
  type THelpContact,
  TICKET_TOPIC_LABELS,
  TICKET_TOPICS,
  type TTicket,
  type TTicketMessage,
  type TTicketStatus,
  type TTicketTopic,
  type ZAdminTicketQuery,
  ZHelpContact,
  type ZTicketCreate,
  type ZTicketReply,
} from '@cpe/shared';
import type { TAuditAction, TAuditTargetType } from '@cpe/shared/audit';
import type { z } from 'zod';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { FilesService } from '../files/files.service.js';
import type { NotifyService } from '../notify/notify.service.js';
import type { RateLimitService } from '../ratelimit/ratelimit.service.js';
import type { FaqRow, HelpRepo, TicketMessageRow, TicketRow } from './help.repo.js';
import { ticketPrefix, transition } from './ticket-rules.js';

export const TICKET_SCREENSHOT = 'ticket-screenshot';
export const HOTLINES_KEY = 'help.hotlines';
const HOUR_MS = 3_600_000;
/** A person may open this many tickets an hour: enough for real questions, not for flooding the operators. */
export const TICKETS_PER_HOUR = 5;
const UPLOADS_PER_HOUR = 30;
const TOPIC_ORDER: string[] = TICKET_TOPICS.map((t) => TICKET_TOPIC_LABELS[t]);

/**
 * FAQ by topic: the 在线客服 categories first, in their order (readers meet the same sequence everywhere), other
 * topics after by name; within a topic the stored position (the sort is stable).
 */
function byTopic(list: TFaq[]): TFaq[] {
  const rank = (topic: string) => {
    const i = TOPIC_ORDER.indexOf(topic);
    return i < 0 ? TOPIC_ORDER.length : i;
  };
  return [...list].sort((a, b) => rank(a.topic) - rank(b.topic) || a.topic.localeCompare(b.topic, 'zh-CN'));
}

type TicketCreate = z.output<typeof ZTicketCreate>;
type TicketReply = z.output<typeof ZTicketReply>;
type AdminQuery = z.output<typeof ZAdminTicketQuery>;

/**
 * 咨询方式: hotlines (a setting operators edit), 常见问题, and 在线客服 tickets between learners and the training
 * centre. Learners only ever reach their own tickets (others' are "not found"); staff changes are audited.
 */
export function createHelpService(deps: {
  db: Db;
  repo: HelpRepo;
  files: FilesService;
  rateLimits: RateLimitService;
  clock: Clock;
  pii: Pii;
  audit: AuditRepo;
  notify: NotifyService;
}) {
  const { db, repo, files, rateLimits, clock, pii, audit, notify } = deps;

  async function contact(): Promise<THelpContact> {
    const row = await repo.setting(db, HOTLINES_KEY);
    const parsed = row ? ZHelpContact.safeParse(row.value) : undefined;
    return parsed?.success ? parsed.data : DEFAULT_HELP_CONTACT;
  }

  const faqView = (f: FaqRow): TFaq => ({
    id: f.id,
    topic: f.topic,
    question: f.question,
    answer: f.answer,
    published: f.published,
    position: f.position,
    updatedAt: f.updatedAt.toISOString(),
  });

  const ticketView = (t: TicketRow, unread: number): TTicket => ({
    id: t.id,
    ticketNo: t.ticketNo,
    topic: t.topic as TTicketTopic,
    subject: t.subject,
    status: t.status as TTicketStatus,
    createdAt: t.createdAt.toISOString(),
    lastMessageAt: t.lastMessageAt.toISOString(),
    unread: Number(unread),
  });

  async function thread(ticketId: string, forStaff: boolean): Promise<TTicketMessage[]> {
    const rows = await repo.messages(db, ticketId);
    const out: TTicketMessage[] = [];
    for (const r of rows) {
      const m: TicketMessageRow = r.message;
      const fileList = [];
      for (const fid of (m.fileIds ?? []) as string[]) {
        const f = await files.meta(fid);
        if (f) fileList.push({ id: f.id, name: f.originalName, mime: f.mime, size: f.size });
      }
      out.push({
        id: m.id,
        authorType: m.authorType as 'learner' | 'staff',
        // Learners see 在线客服, not the operator's name; the console shows who answered.
        authorName:
          m.authorType === 'staff' ? (forStaff ? (r.staffName ?? '客服') : '在线客服') : (r.learnerName ?? '学员'),
        body: m.body,
        files: fileList,
        createdAt: m.createdAt.toISOString(),
      });
    }
    return out;
  }

  type AdminRow = NonNullable<Awaited<ReturnType<HelpRepo['adminById']>>>;
  const adminView = (x: AdminRow): TAdminTicket => {
    const { unread: _unread, ...base } = ticketView(x.ticket, 0);
    return {
      ...base,
      learnerName: x.learnerName,
      username: x.username,
      phoneMasked: x.phoneEnc ? maskPhone(pii.decrypt(x.phoneEnc)) : null,
      assigneeName: x.assigneeName ?? null,
      awaitingStaff: Boolean(x.awaitingStaff) && x.ticket.status !== 'closed',
    };
  };

  /** Screenshots must be this person's own ticket uploads. */
  async function checkOwnFiles(accountId: string, fileIds: string[]) {
    for (const [i, fid] of fileIds.entries()) {
      const f = await files.meta(fid);
      if (!f || f.purpose !== TICKET_SCREENSHOT || f.ownerAccountId !== accountId)
        throw fieldError('VALIDATION_FAILED', `fileIds.${i}`, '截图无效，请重新上传');
    }
  }

  /** …and not on a message yet: one screenshot belongs to one message (checked in the writing transaction). */
  async function checkUnattached(ex: Executor, fileIds: string[]) {
    for (const [i, fid] of fileIds.entries()) {
      if (await repo.fileAttached(ex, fid))
        throw fieldError('VALIDATION_FAILED', `fileIds.${i}`, '截图无效，请重新上传');
    }
  }

  async function ownTicket(accountId: string, id: string) {
    const t = await repo.ticketOf(db, accountId, id);
    // Someone else's ticket answers like a missing one: its existence is not the asker's business.
    if (!t) throw new AppError('NOT_FOUND', { message: '咨询不存在' });
    return t;
  }

  async function lockedTicket(ex: Executor, id: string, accountId?: string) {
    const t = await repo.ticketForUpdate(ex, id);
    if (!t || (accountId && t.accountId !== accountId)) throw new AppError('NOT_FOUND', { message: '咨询不存在' });
    return t;
  }

  const auditStaff = (
    ex: Executor,
    staffId: string,
    action: TAuditAction,
    target: { type: TAuditTargetType; id?: string },
    meta: RequestMeta,
    summary: Record<string, unknown>,
  ) =>
    audit.record(ex, {
      actorType: 'staff',
      actorId: staffId,
      action,
      targetType: target.type,
      targetId: target.id,
      ip: meta.ip,
      userAgent: meta.userAgent,
      summary,
    });

  return {
    // ---------------- public 咨询方式 ----------------
    contact,
    async page(q?: string) {
      const list = (await repo.faqs(db, { publishedOnly: true, q: q || undefined })).map(faqView);
      const groups = new Map<string, TFaq[]>();
      for (const f of byTopic(list)) groups.set(f.topic, [...(groups.get(f.topic) ?? []), f]);
      return { contact: await contact(), faqGroups: [...groups].map(([topic, items]) => ({ topic, items })) };
    },

    // ---------------- learner tickets ----------------
    async upload(accountId: string, input: { data: Buffer; mime: string; name?: string }) {
      await rateLimits.consume({ key: `ticket-upload:acct:${accountId}`, max: UPLOADS_PER_HOUR, windowMs: HOUR_MS });
      const id = await files.save(db, {
        data: input.data,
        mime: input.mime,
        purpose: TICKET_SCREENSHOT,
        ownerAccountId: accountId,
        originalName: input.name,
      });
      return { id, mime: input.mime, size: input.data.length, name: input.name ?? null };
    },
    async create(accountId: string, input: TicketCreate, meta: RequestMeta) {
      await checkOwnFiles(accountId, input.fileIds);
      await rateLimits.consume({ key: `ticket:acct:${accountId}`, max: TICKETS_PER_HOUR, windowMs: HOUR_MS });
      const now = clock.now();
      const t = await db.transaction(async (tx) => {
        await checkUnattached(tx, input.fileIds);
        const ticket = await repo.insertTicket(tx, {
          ticketNo: await repo.nextTicketNo(tx, ticketPrefix(now)),
          accountId,
          topic: input.topic,
          subject: input.subject,
          status: 'open',
          lastMessageAt: now,
          learnerReadAt: now,
          createdAt: now,
          updatedAt: now,
        });
        await repo.insertMessage(tx, {
          ticketId: ticket.id,
          authorType: 'learner',
          authorId: accountId,
          body: input.body,
          fileIds: input.fileIds,
          createdAt: now,
        });
        await audit.record(tx, {
          actorType: 'account',
          actorId: accountId,
          action: 'ticket.create',
          targetType: 'ticket',
          targetId: ticket.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: { ticketNo: ticket.ticketNo, topic: ticket.topic },
        });
        return ticket;
      });
      return this.get(accountId, t.id);
    },
    async mine(accountId: string, page: number, pageSize: number) {
      const { rows, total } = await repo.mine(db, accountId, pageSize, (page - 1) * pageSize);
      return { items: rows.map((r) => ticketView(r.ticket, r.unread)), total, page, pageSize };
    },
    async unreadCount(accountId: string) {
      return { count: await repo.unreadCount(db, accountId) };
    },
    /** Opening the thread marks the replies in it as read. */
    async get(accountId: string, id: string) {
      const t = await ownTicket(accountId, id);
      const messages = await thread(id, false);
      if (Number(t.unread) > 0) await repo.updateTicket(db, id, { learnerReadAt: clock.now() });
      return { ...ticketView(t.ticket, 0), messages };
    },
    async learnerMessage(accountId: string, id: string, input: TicketReply, meta: RequestMeta) {
      await ownTicket(accountId, id);
      await checkOwnFiles(accountId, input.fileIds);
      const now = clock.now();
      await db.transaction(async (tx) => {
        const t = await lockedTicket(tx, id, accountId);
        const status = transition('learner-message', t.status);
        await checkUnattached(tx, input.fileIds);
        await repo.insertMessage(tx, {
          ticketId: id,
          authorType: 'learner',
          authorId: accountId,
          body: input.body,
          fileIds: input.fileIds,
          createdAt: now,
        });
        await repo.updateTicket(tx, id, { status, lastMessageAt: now, learnerReadAt: now, updatedAt: now });
        await audit.record(tx, {
          actorType: 'account',
          actorId: accountId,
          action: t.status === 'answered' ? 'ticket.reopen' : 'ticket.message',
          targetType: 'ticket',
          targetId: id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: { ticketNo: t.ticketNo },
        });
      });
      return this.get(accountId, id);
    },
    async learnerClose(accountId: string, id: string, meta: RequestMeta) {
      await ownTicket(accountId, id);
      const now = clock.now();
      await db.transaction(async (tx) => {
        const t = await lockedTicket(tx, id, accountId);
        await repo.updateTicket(tx, id, { status: transition('close', t.status), updatedAt: now });
        await audit.record(tx, {
          actorType: 'account',
          actorId: accountId,
          action: 'ticket.close',
          targetType: 'ticket',
          targetId: id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: { ticketNo: t.ticketNo },
        });
      });
      return this.get(accountId, id);
    },
    async learnerFile(accountId: string, id: string, fileId: string) {
      await ownTicket(accountId, id);
      return fileOf(id, fileId);
    },

    // ---------------- console 在线客服 ----------------
    async adminList(q: AdminQuery) {
      const f = { status: q.status, topic: q.topic, keyword: q.keyword || undefined };
      const sort = q.sort === 'lastMessageAt:asc' ? 'asc' : 'desc';
      const { rows, byStatus } = await repo.adminList(db, f, sort, q.pageSize, (q.page - 1) * q.pageSize);
      const n = (s: string) => byStatus.find((x) => x.status === s)?.n ?? 0;
      const counts = { open: n('open'), answered: n('answered'), closed: n('closed'), all: 0 };
      counts.all = counts.open + counts.answered + counts.closed;
      return {
        items: rows.map(adminView),
        total: q.status ? counts[q.status] : counts.all,
        page: q.page,
        pageSize: q.pageSize,
        counts,
      };
    },
    async adminGet(id: string) {
      const x = await repo.adminById(db, id);
      if (!x) throw new AppError('NOT_FOUND', { message: '咨询不存在' });
      return { ...adminView(x), messages: await thread(id, true) };
    },
    async adminReply(staffId: string, id: string, body: string, meta: RequestMeta) {
      const now = clock.now();
      await db.transaction(async (tx) => {
        const t = await lockedTicket(tx, id);
        const status = transition('staff-reply', t.status);
        await repo.insertMessage(tx, { ticketId: id, authorType: 'staff', authorId: staffId, body, createdAt: now });
        await repo.updateTicket(tx, id, { status, lastMessageAt: now, assigneeId: staffId, updatedAt: now });
        await auditStaff(tx, staffId, 'ticket.reply', { type: 'ticket', id }, meta, {
          ticketNo: t.ticketNo,
          from: t.status,
          to: status,
        });
        // One message (and its SMS) when a waiting question gets its answer (not for every further staff message);
        // written in this transaction, so only a saved reply is announced. The portal's unread badge covers the rest.
        if (t.status === 'open')
          await notify.event(tx, {
            accountId: t.accountId,
            event: 'ticket-replied',
            params: { ticketNo: t.ticketNo, subject: t.subject },
            link: `/help/tickets/${id}`,
          });
      });
      return this.adminGet(id);
    },
    async adminClose(staffId: string, id: string, meta: RequestMeta) {
      const now = clock.now();
      await db.transaction(async (tx) => {
        const t = await lockedTicket(tx, id);
        await repo.updateTicket(tx, id, { status: transition('close', t.status), assigneeId: staffId, updatedAt: now });
        await auditStaff(tx, staffId, 'ticket.close', { type: 'ticket', id }, meta, { ticketNo: t.ticketNo });
      });
      return this.adminGet(id);
    },
    async adminFile(id: string, fileId: string) {
      if (!(await repo.adminById(db, id))) throw new AppError('NOT_FOUND', { message: '咨询不存在' });
      return fileOf(id, fileId);
    },

    // ---------------- console 常见问题 and 咨询热线 ----------------
    async faqList() {
      return { items: byTopic((await repo.faqs(db, { publishedOnly: false })).map(faqView)) };
    },
    async faqCreate(staffId: string, input: TFaqInput, meta: RequestMeta) {
      const now = clock.now();
      const f = await db.transaction(async (tx) => {
        await repo.lockFaqs(tx);
        const row = await repo.insertFaq(tx, {
          ...input,
          position: await repo.nextFaqPosition(tx, input.topic),
          createdAt: now,
          updatedAt: now,
        });
        await auditStaff(tx, staffId, 'faq.create', { type: 'faq', id: row.id }, meta, {
          topic: row.topic,
          question: row.question,
        });
        return row;
      });
      return faqView(f);
    },
    async faqUpdate(staffId: string, id: string, input: TFaqInput, meta: RequestMeta) {
      const now = clock.now();
      const f = await db.transaction(async (tx) => {
        await repo.lockFaqs(tx);
        const old = await repo.faqForUpdate(tx, id);
        if (!old) throw new AppError('NOT_FOUND', { message: '常见问题不存在' });
        // Moving to another topic puts it last there.
        const position = old.topic === input.topic ? old.position : await repo.nextFaqPosition(tx, input.topic);
        const row = await repo.updateFaq(tx, id, { ...input, position, updatedAt: now });
        await auditStaff(tx, staffId, 'faq.update', { type: 'faq', id }, meta, {
          topic: row.topic,
          question: row.question,
          published: row.published,
        });
        return row;
      });
      return faqView(f);
    },
    async faqPublish(staffId: string, id: string, published: boolean, meta: RequestMeta) {
      const f = await db.transaction(async (tx) => {
        const old = await repo.faqForUpdate(tx, id);
        if (!old) throw new AppError('NOT_FOUND', { message: '常见问题不存在' });
        const row = await repo.updateFaq(tx, id, { published, updatedAt: clock.now() });
        await auditStaff(tx, staffId, published ? 'faq.publish' : 'faq.unpublish', { type: 'faq', id }, meta, {
          question: row.question,
        });
        return row;
      });
      return faqView(f);
    },
    async faqMove(staffId: string, id: string, direction: 'up' | 'down', meta: RequestMeta) {
      await db.transaction(async (tx) => {
        await repo.lockFaqs(tx);
        const f = await repo.faqForUpdate(tx, id);
        if (!f) throw new AppError('NOT_FOUND', { message: '常见问题不存在' });
        const other = await repo.faqNeighbour(tx, f, direction);
        // Already first/last in its topic: nothing to swap with, the order stays.
        if (!other) return;
        await repo.updateFaq(tx, f.id, { position: other.position });
        await repo.updateFaq(tx, other.id, { position: f.position });
        await auditStaff(tx, staffId, 'faq.move', { type: 'faq', id }, meta, { direction, question: f.question });
      });
      return this.faqList();
    },
    async faqDelete(staffId: string, id: string, meta: RequestMeta) {
      await db.transaction(async (tx) => {
        const f = await repo.faqForUpdate(tx, id);
        if (!f) throw new AppError('NOT_FOUND', { message: '常见问题不存在' });
        await repo.deleteFaq(tx, id);
        await auditStaff(tx, staffId, 'faq.delete', { type: 'faq', id }, meta, {
          topic: f.topic,
          question: f.question,
        });
      });
    },
    async putContact(staffId: string, value: THelpContact, meta: RequestMeta) {
      const before = await contact();
      await db.transaction(async (tx) => {
        await repo.putSetting(tx, HOTLINES_KEY, value, staffId, clock.now());
        await auditStaff(tx, staffId, 'help.hotlines.update', { type: 'site_setting' }, meta, {
          key: HOTLINES_KEY,
          before: before.hotlines.map((h) => `${h.topic} ${h.phone}`),
          after: value.hotlines.map((h) => `${h.topic} ${h.phone}`),
        });
      });
      return contact();
    },
  };

  async function fileOf(ticketId: string, fileId: string) {
    if (!(await repo.ticketHasFile(db, ticketId, fileId))) throw new AppError('NOT_FOUND', { message: '截图不存在' });
    return files.read(fileId);
  }
}
export type HelpService = ReturnType<typeof createHelpService>;
