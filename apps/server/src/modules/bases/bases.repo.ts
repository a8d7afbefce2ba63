import type { TBaseKind, TBaseStatusFilter } from '@cpe/shared';
import { and, asc, count, eq, gt, gte, ilike, isNull, like, lt, lte, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { bases } from '../../db/schema/index.js';
import { escapeLike } from '../../lib/like.js';

export type BaseRow = typeof bases.$inferSelect;

export interface BaseFilter {
  kind?: TBaseKind;
  status?: TBaseStatusFilter;
  keyword?: string;
  /** County code (or a prefix of one). */
  area?: string;
  /** The district a 区县人社局 reviewer is limited to (exact county code). */
  scopeArea?: string;
  /** Today in China (YYYY-MM-DD): 有效 / 已到期 are read from validTo against it. */
  today: string;
}

function where(f: BaseFilter): SQL | undefined {
  const w: SQL[] = [];
  if (f.kind) w.push(eq(bases.kind, f.kind));
  if (f.status === 'valid') w.push(eq(bases.status, 'active'), gte(bases.validTo, f.today));
  if (f.status === 'expired') w.push(eq(bases.status, 'active'), lt(bases.validTo, f.today));
  if (f.status === 'revoked') w.push(eq(bases.status, 'revoked'));
  if (f.area) w.push(like(bases.areaCode, `${escapeLike(f.area)}%`));
  if (f.scopeArea) w.push(eq(bases.areaCode, f.scopeArea));
  if (f.keyword) {
    const k = `%${escapeLike(f.keyword)}%`;
    w.push(or(ilike(bases.unitName, k), ilike(bases.number, k), ilike(bases.field, k)) as SQL);
  }
  return w.length ? and(...w) : undefined;
}

/** 基地名单 is read by 有效期至: those ending soonest first (a reviewer's next work), then by 编号. */
const ORDER = [asc(bases.validTo), asc(bases.number)] as const;

export function createBasesRepo() {
  return {
    async insert(ex: Executor, row: typeof bases.$inferInsert): Promise<BaseRow> {
      return (await ex.insert(bases).values(row).returning())[0] as BaseRow;
    },
    async byId(ex: Executor, id: string): Promise<BaseRow | undefined> {
      return (await ex.select().from(bases).where(eq(bases.id, id)))[0];
    },
    async forUpdate(ex: Executor, id: string): Promise<BaseRow | undefined> {
      return (await ex.select().from(bases).where(eq(bases.id, id)).for('update'))[0];
    },
    async update(ex: Executor, id: string, patch: Partial<typeof bases.$inferInsert>): Promise<BaseRow> {
      return (await ex.update(bases).set(patch).where(eq(bases.id, id)).returning())[0] as BaseRow;
    },
    async page(ex: Executor, f: BaseFilter, page: number, pageSize: number) {
      const w = where(f);
      const [total] = await ex.select({ n: count() }).from(bases).where(w);
      const items = await ex
        .select()
        .from(bases)
        .where(w)
        .orderBy(...ORDER)
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      return { items, total: Number(total?.n ?? 0) };
    },
    async all(ex: Executor, f: BaseFilter, limit: number): Promise<BaseRow[]> {
      return ex
        .select()
        .from(bases)
        .where(where(f))
        .orderBy(...ORDER)
        .limit(limit);
    },
    /** Active bases ending within [today, lastDay] whose reminder has not gone out. */
    async dueForReminder(ex: Executor, today: string, lastDay: string, limit: number): Promise<BaseRow[]> {
      return ex
        .select()
        .from(bases)
        .where(
          and(
            eq(bases.status, 'active'),
            isNull(bases.remindedAt),
            gte(bases.validTo, today),
            lte(bases.validTo, lastDay),
          ),
        )
        .orderBy(asc(bases.validTo))
        .limit(limit);
    },
    /** Claims one base's reminder: the row is marked only if nobody marked it meanwhile (another instance). */
    async markReminded(ex: Executor, id: string, at: Date): Promise<boolean> {
      const rows = await ex
        .update(bases)
        .set({ remindedAt: at })
        .where(and(eq(bases.id, id), isNull(bases.remindedAt), eq(bases.status, 'active')))
        .returning({ id: bases.id });
      return rows.length > 0;
    },
    /** Whether any designation of the unit is still running after `day` (a 重新认定 replaces the old one's reminder). */
    async laterOfUnit(ex: Executor, unitId: string, kind: string, day: string): Promise<boolean> {
      const rows = await ex
        .select({ id: bases.id })
        .from(bases)
        .where(and(eq(bases.unitId, unitId), eq(bases.kind, kind), eq(bases.status, 'active'), gt(bases.validTo, day)))
        .limit(1);
      return rows.length > 0;
    },
  };
}
export type BasesRepo = ReturnType<typeof createBasesRepo>;
