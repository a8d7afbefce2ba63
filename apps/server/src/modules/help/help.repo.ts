import { and, asc, count, desc, eq, gt, ilike, like, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { accounts, faqs, siteSettings, staffAccounts, ticketMessages, tickets } from '../../db/schema/index.js';
import { escapeLike } from '../../lib/like.js';

export type FaqRow = typeof faqs.$inferSelect;
export type TicketRow = typeof tickets.$inferSelect;
export type TicketMessageRow = typeof ticketMessages.$inferSelect;

export interface AdminTicketFilter {
  status?: string;
  topic?: string;
  keyword?: string;
}

const first = <T>(rows: T[]): T | undefined => rows[0];

// Correlated subqueries name the outer table explicitly: Drizzle leaves columns unqualified in single-table selects,
// and an unqualified "id" would bind to the message inside.

/** Staff replies after the learner last opened the thread. */
const unreadOf = sql<number>`(select count(*)::int from ticket_messages m
  where m.ticket_id = "tickets"."id" and m.author_type = 'staff'
  and m.created_at > coalesce("tickets"."learner_read_at", '-infinity'::timestamptz))`;

/** Whether the newest message is the learner's (the console's 待处理 marker). */
const awaitingStaffOf = sql<boolean>`coalesce((select m.author_type = 'learner' from ticket_messages m
  where m.ticket_id = "tickets"."id" order by m.created_at desc, m.id desc limit 1), false)`;

function adminWhere(f: AdminTicketFilter): SQL | undefined {
  const like = f.keyword ? `%${escapeLike(f.keyword)}%` : undefined;
  return and(
    f.status ? eq(tickets.status, f.status) : undefined,
    f.topic ? eq(tickets.topic, f.topic) : undefined,
    like
      ? or(
          ilike(tickets.ticketNo, like),
          ilike(tickets.subject, like),
          ilike(accounts.realName, like),
          ilike(accounts.username, like),
        )
      : undefined,
  );
}

/** 咨询方式 settings, 常见问题 and 在线客服 tickets with their messages. */
export function createHelpRepo() {
  const learner = { learnerName: accounts.realName, username: accounts.username, phoneEnc: accounts.phoneEnc };
  const adminSelect = {
    ticket: tickets,
    ...learner,
    assigneeName: staffAccounts.displayName,
    awaitingStaff: awaitingStaffOf,
  };

  return {
    // ---- settings ----
    setting: async (ex: Executor, key: string) =>
      first(await ex.select().from(siteSettings).where(eq(siteSettings.key, key))),
    putSetting: async (ex: Executor, key: string, value: unknown, by: string, at: Date) => {
      await ex
        .insert(siteSettings)
        .values({ key, value, updatedBy: by, updatedAt: at })
        .onConflictDoUpdate({ target: siteSettings.key, set: { value, updatedBy: by, updatedAt: at } });
    },

    // ---- 常见问题 ----
    faqs: (ex: Executor, opts: { publishedOnly: boolean; q?: string }) => {
      const like = opts.q ? `%${escapeLike(opts.q)}%` : undefined;
      return ex
        .select()
        .from(faqs)
        .where(
          and(
            opts.publishedOnly ? eq(faqs.published, true) : undefined,
            like ? or(ilike(faqs.question, like), ilike(faqs.answer, like), ilike(faqs.topic, like)) : undefined,
          ),
        )
        .orderBy(asc(faqs.topic), asc(faqs.position), asc(faqs.createdAt));
    },
    faqForUpdate: async (ex: Executor, id: string) =>
      first(await ex.select().from(faqs).where(eq(faqs.id, id)).for('update')),
    /** Serialises position changes within the FAQ list (new rows go last, moves swap neighbours). */
    lockFaqs: async (ex: Executor) => {
      await ex.execute(sql`select pg_advisory_xact_lock(hashtext('help-faqs'))`);
    },
    nextFaqPosition: async (ex: Executor, topic: string) => {
      const r = await ex
        .select({ p: sql<number>`coalesce(max(${faqs.position}), 0)::int` })
        .from(faqs)
        .where(eq(faqs.topic, topic));
      return Number(r[0]?.p ?? 0) + 1;
    },
    insertFaq: async (ex: Executor, row: typeof faqs.$inferInsert) =>
      (await ex.insert(faqs).values(row).returning())[0] as FaqRow,
    updateFaq: async (ex: Executor, id: string, patch: Partial<typeof faqs.$inferInsert>) =>
      (await ex.update(faqs).set(patch).where(eq(faqs.id, id)).returning())[0] as FaqRow,
    deleteFaq: async (ex: Executor, id: string) => {
      await ex.delete(faqs).where(eq(faqs.id, id));
    },
    /** The FAQ just above (up) or below (down) in the same topic. */
    faqNeighbour: async (ex: Executor, f: FaqRow, direction: 'up' | 'down') =>
      first(
        await ex
          .select()
          .from(faqs)
          .where(
            and(
              eq(faqs.topic, f.topic),
              direction === 'up' ? lt(faqs.position, f.position) : gt(faqs.position, f.position),
            ),
          )
          .orderBy(direction === 'up' ? desc(faqs.position) : asc(faqs.position))
          .limit(1),
      ),

    // ---- tickets ----
    /** Today's next 工单号 (KF + yyMMdd + 4 digits): serialised per day so numbers are gapless and unique. */
    nextTicketNo: async (ex: Executor, prefix: string) => {
      await ex.execute(sql`select pg_advisory_xact_lock(hashtext('ticket-no'), hashtext(${prefix}))`);
      // Past 9999 a day the number simply grows a digit; ordering by length first keeps 10000 after 9999.
      const last = await ex
        .select({ no: tickets.ticketNo })
        .from(tickets)
        .where(like(tickets.ticketNo, `${escapeLike(prefix)}%`))
        .orderBy(desc(sql`length(${tickets.ticketNo})`), desc(tickets.ticketNo))
        .limit(1);
      const n = last[0] ? Number(last[0].no.slice(prefix.length)) : 0;
      return `${prefix}${String(n + 1).padStart(4, '0')}`;
    },
    insertTicket: async (ex: Executor, row: typeof tickets.$inferInsert) =>
      (await ex.insert(tickets).values(row).returning())[0] as TicketRow,
    updateTicket: async (ex: Executor, id: string, patch: Partial<typeof tickets.$inferInsert>) =>
      (await ex.update(tickets).set(patch).where(eq(tickets.id, id)).returning())[0] as TicketRow,
    ticketForUpdate: async (ex: Executor, id: string) =>
      first(await ex.select().from(tickets).where(eq(tickets.id, id)).for('update')),
    ticketOf: async (ex: Executor, accountId: string, id: string) =>
      first(
        await ex
          .select({ ticket: tickets, unread: unreadOf })
          .from(tickets)
          .where(and(eq(tickets.id, id), eq(tickets.accountId, accountId))),
      ),
    mine: async (ex: Executor, accountId: string, limit: number, offset: number) => {
      const rows = await ex
        .select({ ticket: tickets, unread: unreadOf })
        .from(tickets)
        .where(eq(tickets.accountId, accountId))
        .orderBy(desc(tickets.lastMessageAt), desc(tickets.id))
        .limit(limit)
        .offset(offset);
      const total = await ex.select({ n: count() }).from(tickets).where(eq(tickets.accountId, accountId));
      return { rows, total: Number(total[0]?.n ?? 0) };
    },
    unreadCount: async (ex: Executor, accountId: string) => {
      const r = await ex
        .select({ n: sql<number>`count(*)::int` })
        .from(ticketMessages)
        .innerJoin(tickets, eq(tickets.id, ticketMessages.ticketId))
        .where(
          and(
            eq(tickets.accountId, accountId),
            eq(ticketMessages.authorType, 'staff'),
            sql`${ticketMessages.createdAt} > coalesce(${tickets.learnerReadAt}, '-infinity'::timestamptz)`,
          ),
        );
      return Number(r[0]?.n ?? 0);
    },
    insertMessage: async (ex: Executor, row: typeof ticketMessages.$inferInsert) =>
      (await ex.insert(ticketMessages).values(row).returning())[0] as TicketMessageRow,
    /** The thread, oldest first, with the writer's name (learner's real name or the staff member's display name). */
    messages: (ex: Executor, ticketId: string) =>
      ex
        .select({
          message: ticketMessages,
          learnerName: accounts.realName,
          staffName: staffAccounts.displayName,
        })
        .from(ticketMessages)
        .leftJoin(accounts, and(eq(ticketMessages.authorType, 'learner'), eq(accounts.id, ticketMessages.authorId)))
        .leftJoin(
          staffAccounts,
          and(eq(ticketMessages.authorType, 'staff'), eq(staffAccounts.id, ticketMessages.authorId)),
        )
        .where(eq(ticketMessages.ticketId, ticketId))
        .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id)),
    /** Whether the file is a screenshot of one of this ticket's messages. */
    ticketHasFile: async (ex: Executor, ticketId: string, fileId: string) => {
      const r = await ex
        .select({ id: ticketMessages.id })
        .from(ticketMessages)
        .where(
          and(
            eq(ticketMessages.ticketId, ticketId),
            sql`${ticketMessages.fileIds} @> ${JSON.stringify([fileId])}::jsonb`,
          ),
        )
        .limit(1);
      return r.length > 0;
    },
    /** Whether any message already carries the file (a screenshot belongs to one message). */
    fileAttached: async (ex: Executor, fileId: string) => {
      const r = await ex
        .select({ id: ticketMessages.id })
        .from(ticketMessages)
        .where(sql`${ticketMessages.fileIds} @> ${JSON.stringify([fileId])}::jsonb`)
        .limit(1);
      return r.length > 0;
    },

    // ---- console ----
    adminById: async (ex: Executor, id: string) =>
      first(
        await ex
          .select(adminSelect)
          .from(tickets)
          .innerJoin(accounts, eq(accounts.id, tickets.accountId))
          .leftJoin(staffAccounts, eq(staffAccounts.id, tickets.assigneeId))
          .where(eq(tickets.id, id)),
      ),
    adminList: async (ex: Executor, f: AdminTicketFilter, sort: 'asc' | 'desc', limit: number, offset: number) => {
      const rows = await ex
        .select(adminSelect)
        .from(tickets)
        .innerJoin(accounts, eq(accounts.id, tickets.accountId))
        .leftJoin(staffAccounts, eq(staffAccounts.id, tickets.assigneeId))
        .where(adminWhere(f))
        .orderBy(
          sort === 'asc' ? asc(tickets.lastMessageAt) : desc(tickets.lastMessageAt),
          sort === 'asc' ? asc(tickets.id) : desc(tickets.id),
        )
        .limit(limit)
        .offset(offset);
      const byStatus = await ex
        .select({ status: tickets.status, n: count() })
        .from(tickets)
        .innerJoin(accounts, eq(accounts.id, tickets.accountId))
        .where(adminWhere({ ...f, status: undefined }))
        .groupBy(tickets.status);
      return { rows, byStatus: byStatus.map((r) => ({ status: r.status, n: Number(r.n) })) };
    },
  };
}
export type HelpRepo = ReturnType<typeof createHelpRepo>;
