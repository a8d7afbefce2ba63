import { and, count, desc, eq, ilike, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { accounts, unitMembers, units } from '../../db/schema/index.js';
import { escapeLike } from '../../lib/like.js';

export type UnitMemberRow = typeof unitMembers.$inferSelect;

export function createUnitMembersRepo() {
  return {
    /** Approved units whose name contains the keyword or whose code starts with it. */
    async searchUnits(ex: Executor, keyword: string, limit: number) {
      const like = `%${escapeLike(keyword)}%`;
      return ex
        .select({ id: units.id, name: units.name, uscc: units.uscc, locatedArea: units.locatedArea })
        .from(units)
        .where(or(ilike(units.name, like), ilike(units.uscc, `${escapeLike(keyword.toUpperCase())}%`)))
        .orderBy(units.name)
        .limit(limit);
    },
    async unit(ex: Executor, unitId: string) {
      return (await ex.select().from(units).where(eq(units.id, unitId)))[0];
    },
    /** Every link of the person with its unit's name, newest first. */
    async linksOf(ex: Executor, accountId: string) {
      return ex
        .select({ m: unitMembers, unitName: units.name })
        .from(unitMembers)
        .innerJoin(units, eq(units.id, unitMembers.unitId))
        .where(eq(unitMembers.accountId, accountId))
        .orderBy(desc(unitMembers.requestedAt));
    },
    async forUpdate(ex: Executor, id: string) {
      return (await ex.select().from(unitMembers).where(eq(unitMembers.id, id)).for('update'))[0];
    },
    async ofAccountInStatus(ex: Executor, accountId: string, status: 'pending' | 'confirmed') {
      return (
        await ex
          .select()
          .from(unitMembers)
          .where(and(eq(unitMembers.accountId, accountId), eq(unitMembers.status, status)))
          .for('update')
      )[0];
    },
    async insert(ex: Executor, row: typeof unitMembers.$inferInsert) {
      return (await ex.insert(unitMembers).values(row).returning())[0] as UnitMemberRow;
    },
    /**
     * A 学员注册名单 or a paid 团体购买 proposes people as the unit's members: a pending link (source roster or
     * group-order) for each person who has neither a current unit nor a pending request — an existing choice of the
     * person is never overridden. Returns the account ids proposed.
     */
    async propose(ex: Executor, unitId: string, accountIds: string[], source: 'roster' | 'group-order', at: Date) {
      const ids = [...new Set(accountIds)];
      if (ids.length === 0) return [];
      const rows = await ex.execute(sql`
        insert into unit_members (account_id, unit_id, status, source, requested_at)
        select v.id::uuid, ${unitId}::uuid, 'pending', ${source}, ${at.toISOString()}::timestamptz
        from (values ${sql.join(
          ids.map((id) => sql`(${id})`),
          sql`, `,
        )}) as v(id)
        where not exists (
          select 1 from unit_members m where m.account_id = v.id::uuid and m.status in ('pending', 'confirmed'))
        on conflict do nothing
        returning account_id`);
      return (rows.rows as Array<{ account_id: string }>).map((r) => r.account_id);
    },
    async update(ex: Executor, id: string, set: Partial<typeof unitMembers.$inferInsert>) {
      return (await ex.update(unitMembers).set(set).where(eq(unitMembers.id, id)).returning())[0] as UnitMemberRow;
    },
    /** 单位人员: one status of the unit's links, by name keyword, newest first, with the person's fields. */
    async listOfUnit(
      ex: Executor,
      unitId: string,
      q: { status: string; keyword?: string; page: number; pageSize: number },
    ) {
      const where = and(
        eq(unitMembers.unitId, unitId),
        eq(unitMembers.status, q.status),
        q.keyword ? ilike(accounts.realName, `%${escapeLike(q.keyword)}%`) : undefined,
      );
      const order =
        q.status === 'confirmed'
          ? desc(unitMembers.joinedAt)
          : q.status === 'left'
            ? desc(unitMembers.leftAt)
            : desc(unitMembers.requestedAt);
      const rows = await ex
        .select({
          m: unitMembers,
          realName: accounts.realName,
          idNumberEnc: accounts.idNumberEnc,
          phoneEnc: accounts.phoneEnc,
        })
        .from(unitMembers)
        .innerJoin(accounts, eq(accounts.id, unitMembers.accountId))
        .where(where)
        .orderBy(order, desc(unitMembers.id))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize);
      const [total] = await ex
        .select({ n: count() })
        .from(unitMembers)
        .innerJoin(accounts, eq(accounts.id, unitMembers.accountId))
        .where(where);
      const [pending] = await ex
        .select({ n: count() })
        .from(unitMembers)
        .where(and(eq(unitMembers.unitId, unitId), eq(unitMembers.status, 'pending')));
      return { rows, total: total?.n ?? 0, pendingCount: pending?.n ?? 0 };
    },
    async pendingCountOfUnit(ex: Executor, unitId: string) {
      const [r] = await ex
        .select({ n: sql<number>`count(*)::int` })
        .from(unitMembers)
        .where(and(eq(unitMembers.unitId, unitId), eq(unitMembers.status, 'pending')));
      return r?.n ?? 0;
    },
  };
}
export type UnitMembersRepo = ReturnType<typeof createUnitMembersRepo>;
