import { and, asc, count, desc, eq, gt, ilike, inArray, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { notices, staffAccounts } from '../../db/schema/index.js';
import { escapeLike } from '../../lib/like.js';

export type NoticeRow = typeof notices.$inferSelect;
export type NoticeInsert = typeof notices.$inferInsert;

/** Who is reading: which audiences reach them, and their 区县 when known. */
export interface NoticeViewer {
  audiences: string[];
  districtCode: string | null;
}

export type NoticeStatusFilter = 'draft' | 'scheduled' | 'published' | 'withdrawn';

/** Published, started and not yet withdrawn at `now`. */
const liveAt = (now: Date) =>
  and(
    eq(notices.state, 'published'),
    lte(notices.publishAt, now),
    or(isNull(notices.withdrawAt), gt(notices.withdrawAt, now)),
  );

function statusWhere(status: NoticeStatusFilter, now: Date): SQL | undefined {
  switch (status) {
    case 'draft':
      return eq(notices.state, 'draft');
    case 'scheduled':
      return and(eq(notices.state, 'published'), gt(notices.publishAt, now));
    case 'published':
      return liveAt(now);
    case 'withdrawn':
      return or(eq(notices.state, 'withdrawn'), and(eq(notices.state, 'published'), lte(notices.withdrawAt, now)));
  }
}

function visibleTo(viewer: NoticeViewer): SQL | undefined {
  return or(
    inArray(notices.audience, viewer.audiences),
    viewer.districtCode
      ? and(eq(notices.audience, 'district'), eq(notices.districtCode, viewer.districtCode))
      : undefined,
  );
}

export function createNoticesRepo() {
  const creator = sql<string | null>`(select s.display_name from staff_accounts s where s.id = "notices"."created_by")`;
  const updater = sql<string | null>`(select s.display_name from staff_accounts s where s.id = "notices"."updated_by")`;
  const adminSelect = { notice: notices, createdByName: creator, updatedByName: updater };

  return {
    async insert(ex: Executor, row: NoticeInsert) {
      return (await ex.insert(notices).values(row).returning())[0] as NoticeRow;
    },
    async update(ex: Executor, id: string, patch: Partial<NoticeInsert>) {
      return (await ex.update(notices).set(patch).where(eq(notices.id, id)).returning())[0] as NoticeRow;
    },
    async remove(ex: Executor, id: string) {
      await ex.delete(notices).where(eq(notices.id, id));
    },
    async forUpdate(ex: Executor, id: string) {
      return (await ex.select().from(notices).where(eq(notices.id, id)).for('update'))[0];
    },
    async adminById(ex: Executor, id: string) {
      return (await ex.select(adminSelect).from(notices).where(eq(notices.id, id)))[0];
    },

    async adminList(
      ex: Executor,
      q: {
        now: Date;
        page: number;
        pageSize: number;
        q?: string;
        status?: NoticeStatusFilter;
        order: 'asc' | 'desc';
        districtCode: string | null;
      },
    ) {
      const where = and(
        q.q ? ilike(notices.title, `%${escapeLike(q.q)}%`) : undefined,
        q.status ? statusWhere(q.status, q.now) : undefined,
        q.districtCode ? and(eq(notices.audience, 'district'), eq(notices.districtCode, q.districtCode)) : undefined,
      );
      const by = q.order === 'asc' ? asc : desc;
      const rows = await ex
        .select(adminSelect)
        .from(notices)
        .where(where)
        .orderBy(by(notices.publishAt), desc(notices.createdAt), asc(notices.id))
        .offset((q.page - 1) * q.pageSize)
        .limit(q.pageSize);
      const total = (await ex.select({ n: count() }).from(notices).where(where))[0]?.n ?? 0;
      return { rows, total };
    },

    /** The portal's list: live and addressed to the viewer; pinned first, then newest. */
    async visible(ex: Executor, viewer: NoticeViewer, now: Date, page: number, pageSize: number) {
      const where = and(liveAt(now), visibleTo(viewer));
      const rows = await ex
        .select()
        .from(notices)
        .where(where)
        .orderBy(desc(notices.pinned), desc(notices.publishAt), desc(notices.createdAt), asc(notices.id))
        .offset((page - 1) * pageSize)
        .limit(pageSize);
      const total = (await ex.select({ n: count() }).from(notices).where(where))[0]?.n ?? 0;
      return { rows, total };
    },
    async visibleById(ex: Executor, viewer: NoticeViewer, now: Date, id: string) {
      return (
        await ex
          .select()
          .from(notices)
          .where(and(eq(notices.id, id), liveAt(now), visibleTo(viewer)))
      )[0];
    },

    /**
     * The 区县 a learner's file is kept in, when the platform knows it: the district node or the unit of the
     * 组织机构 they chose on their latest certificate. (The certificates module has no service call for this yet.)
     */
    async learnerDistrict(ex: Executor, accountId: string): Promise<string | null> {
      const res = await ex.execute(sql`
        select coalesce(n.area_code, un.area_code) as code
        from certificates c
        left join org_nodes n on n.id = c.org_node_id and n.kind = 'district'
        left join units u on u.id = c.org_unit_id
        left join org_nodes un on un.id = u.reviewer_node_id and un.kind = 'district'
        where c.account_id = ${accountId} and coalesce(n.area_code, un.area_code) is not null
        order by c.issued_at desc limit 1`);
      const list = res.rows as Array<{ code: string | null }>;
      return list[0]?.code ?? null;
    },
    staffName: async (ex: Executor, id: string) =>
      (await ex.select({ name: staffAccounts.displayName }).from(staffAccounts).where(eq(staffAccounts.id, id)))[0]
        ?.name,
  };
}
export type NoticesRepo = ReturnType<typeof createNoticesRepo>;
