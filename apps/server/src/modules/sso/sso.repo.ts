import { and, asc, count, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { accountLogins, caRevocations, loginProviders } from '../../db/schema/index.js';

export type LoginProviderRow = typeof loginProviders.$inferSelect;
export type AccountLoginRow = typeof accountLogins.$inferSelect;

export function createSsoRepo() {
  return {
    // ---- providers (系统管理 → 第三方登录) ----
    async providers(ex: Executor) {
      return ex.select().from(loginProviders).orderBy(asc(loginProviders.sortOrder), asc(loginProviders.createdAt));
    },
    async provider(ex: Executor, id: string) {
      return (await ex.select().from(loginProviders).where(eq(loginProviders.id, id)))[0];
    },
    async insertProvider(ex: Executor, row: typeof loginProviders.$inferInsert) {
      return (await ex.insert(loginProviders).values(row).onConflictDoNothing().returning())[0];
    },
    async updateProvider(ex: Executor, id: string, patch: Partial<typeof loginProviders.$inferInsert>) {
      return (await ex.update(loginProviders).set(patch).where(eq(loginProviders.id, id)).returning())[0];
    },
    async deleteProvider(ex: Executor, id: string) {
      await ex.delete(accountLogins).where(eq(accountLogins.providerId, id));
      await ex.delete(caRevocations).where(eq(caRevocations.providerId, id));
      return (await ex.delete(loginProviders).where(eq(loginProviders.id, id)).returning())[0];
    },
    async linkCounts(ex: Executor) {
      const rows = await ex
        .select({ providerId: accountLogins.providerId, n: count() })
        .from(accountLogins)
        .groupBy(accountLogins.providerId);
      return new Map(rows.map((r) => [r.providerId, r.n]));
    },

    // ---- links of accounts to providers' subjects ----
    async linkBySubject(ex: Executor, providerId: string, subjectHash: string) {
      return (
        await ex
          .select()
          .from(accountLogins)
          .where(and(eq(accountLogins.providerId, providerId), eq(accountLogins.subjectHash, subjectHash)))
      )[0];
    },
    async linksOfAccount(ex: Executor, accountId: string) {
      return ex
        .select({ link: accountLogins, name: loginProviders.name, icon: loginProviders.icon })
        .from(accountLogins)
        .innerJoin(loginProviders, eq(loginProviders.id, accountLogins.providerId))
        .where(eq(accountLogins.accountId, accountId))
        .orderBy(asc(loginProviders.sortOrder), asc(accountLogins.createdAt));
    },
    async linkOfAccount(ex: Executor, accountId: string, providerId: string) {
      return (
        await ex
          .select()
          .from(accountLogins)
          .where(and(eq(accountLogins.accountId, accountId), eq(accountLogins.providerId, providerId)))
      )[0];
    },
    /** Undefined when the subject or the account is linked already (a unique index says which). */
    async insertLink(ex: Executor, row: typeof accountLogins.$inferInsert) {
      return (await ex.insert(accountLogins).values(row).onConflictDoNothing().returning())[0];
    },
    async deleteLink(ex: Executor, id: string) {
      return (await ex.delete(accountLogins).where(eq(accountLogins.id, id)).returning())[0];
    },
    async touchLink(ex: Executor, id: string, at: Date) {
      await ex.update(accountLogins).set({ lastLoginAt: at }).where(eq(accountLogins.id, id));
    },

    // ---- CA 证书登录: the revoked serials of the last uploaded CRL ----
    /** Replaces the list (in the caller's transaction); inserted in chunks, a CRL may list tens of thousands. */
    async replaceRevocations(ex: Executor, providerId: string, rows: Array<{ serial: string; revokedAt: Date }>) {
      await ex.delete(caRevocations).where(eq(caRevocations.providerId, providerId));
      for (let i = 0; i < rows.length; i += 1000)
        await ex
          .insert(caRevocations)
          .values(rows.slice(i, i + 1000).map((r) => ({ providerId, ...r })))
          .onConflictDoNothing();
    },
    async isRevoked(ex: Executor, providerId: string, serial: string) {
      const rows = await ex
        .select({ serial: caRevocations.serial })
        .from(caRevocations)
        .where(and(eq(caRevocations.providerId, providerId), eq(caRevocations.serial, serial)));
      return rows.length > 0;
    },
  };
}
export type SsoRepo = ReturnType<typeof createSsoRepo>;
