import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { orgNodes, unitTypes } from '../../db/schema/index.js';

export type OrgNodeRow = typeof orgNodes.$inferSelect;

export function createOrgRepo() {
  return {
    async byId(ex: Executor, id: string) {
      return (await ex.select().from(orgNodes).where(eq(orgNodes.id, id)))[0];
    },
    async byIds(ex: Executor, ids: string[]) {
      if (ids.length === 0) return [];
      return ex.select().from(orgNodes).where(inArray(orgNodes.id, ids));
    },
    async city(ex: Executor) {
      return (await ex.select().from(orgNodes).where(eq(orgNodes.kind, 'city')))[0];
    },
    async byAreaCode(ex: Executor, areaCode: string) {
      return (await ex.select().from(orgNodes).where(eq(orgNodes.areaCode, areaCode)))[0];
    },
    /** Which of these area codes have a node already, in one query. */
    async presentAreaCodes(ex: Executor, areaCodes: string[]): Promise<Set<string>> {
      if (areaCodes.length === 0) return new Set();
      const rows = await ex
        .select({ areaCode: orgNodes.areaCode })
        .from(orgNodes)
        .where(inArray(orgNodes.areaCode, areaCodes));
      return new Set(rows.flatMap((r) => (r.areaCode === null ? [] : [r.areaCode])));
    },
    async byUnit(ex: Executor, unitId: string) {
      return (await ex.select().from(orgNodes).where(eq(orgNodes.unitId, unitId)))[0];
    },
    /** The nodes a unit may address its registration to: 区县人社局 and 市级主管部门. */
    async reviewers(ex: Executor) {
      return ex
        .select()
        .from(orgNodes)
        .where(and(inArray(orgNodes.kind, ['district', 'department']), eq(orgNodes.active, true)))
        .orderBy(asc(orgNodes.kind), asc(orgNodes.sort), asc(orgNodes.name));
    },
    async all(ex: Executor) {
      return ex.select().from(orgNodes).orderBy(asc(orgNodes.sort), asc(orgNodes.name));
    },
    async update(ex: Executor, id: string, patch: Partial<typeof orgNodes.$inferInsert>) {
      return (await ex.update(orgNodes).set(patch).where(eq(orgNodes.id, id)).returning())[0];
    },
    async unitTypes(ex: Executor, activeOnly: boolean) {
      return ex
        .select()
        .from(unitTypes)
        .where(activeOnly ? eq(unitTypes.active, true) : undefined)
        .orderBy(asc(unitTypes.sort), asc(unitTypes.id));
    },
    async unitTypeById(ex: Executor, id: number) {
      return (await ex.select().from(unitTypes).where(eq(unitTypes.id, id)))[0];
    },
    async insertUnitType(ex: Executor, row: typeof unitTypes.$inferInsert) {
      return (await ex.insert(unitTypes).values(row).onConflictDoNothing().returning())[0];
    },
    async updateUnitType(ex: Executor, id: number, patch: Partial<typeof unitTypes.$inferInsert>) {
      return (await ex.update(unitTypes).set(patch).where(eq(unitTypes.id, id)).returning())[0];
    },
    async insert(ex: Executor, row: typeof orgNodes.$inferInsert) {
      return (await ex.insert(orgNodes).values(row).onConflictDoNothing().returning())[0];
    },
  };
}
export type OrgRepo = ReturnType<typeof createOrgRepo>;
