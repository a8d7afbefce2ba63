import type { IdType } from '@cpe/shared';
import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { accounts, flows, manualRecoveries, sessions, staffAccounts } from '../../db/schema/index.js';

export type AccountRow = typeof accounts.$inferSelect;
export type StaffRow = typeof staffAccounts.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type LiveSessionRow = SessionRow & { mustChangePassword: boolean };
export type FlowRow = typeof flows.$inferSelect;
export type Realm = 'public' | 'staff';

/** Failed-login bookkeeping shared by both account tables. */
export interface LoginFailureState {
  failedLoginCount: number;
  failedLoginWindowStart: Date | null;
  lockedUntil: Date | null;
}

export function createIdentityRepo() {
  return {
    // ---- accounts ----
    async accountById(ex: Executor, id: string) {
      return (await ex.select().from(accounts).where(eq(accounts.id, id)))[0];
    },
    async accountByUsername(ex: Executor, username: string) {
      return (await ex.select().from(accounts).where(sql`lower(${accounts.username}) = lower(${username})`))[0];
    },
    /** `hash` is `pii.lookupHash(idDocumentKey(…))`: the account holding this document. */
    async accountByIdDocument(ex: Executor, idType: IdType, hash: string) {
      return (
        await ex
          .select()
          .from(accounts)
          .where(and(eq(accounts.idType, idType), eq(accounts.idNumberHash, hash)))
      )[0];
    },
    async activeAccountByPhoneHash(ex: Executor, hash: string) {
      return (
        await ex
          .select()
          .from(accounts)
          .where(and(eq(accounts.phoneHash, hash), eq(accounts.status, 'active')))
      )[0];
    },
    async insertAccount(ex: Executor, row: typeof accounts.$inferInsert) {
      return (await ex.insert(accounts).values(row).returning())[0] as AccountRow;
    },
    async updateAccount(ex: Executor, id: string, patch: Partial<typeof accounts.$inferInsert>) {
      await ex
        .update(accounts)
        .set({ ...patch, updatedAt: new Date() })
        .where(eq(accounts.id, id));
    },
    async setAccountLoginState(ex: Executor, id: string, state: LoginFailureState) {
      await ex.update(accounts).set(state).where(eq(accounts.id, id));
    },

    // ---- staff ----
    async staffById(ex: Executor, id: string) {
      return (await ex.select().from(staffAccounts).where(eq(staffAccounts.id, id)))[0];
    },
    async staffByUsername(ex: Executor, username: string) {
      return (
        await ex.select().from(staffAccounts).where(sql`lower(${staffAccounts.username}) = lower(${username})`)
      )[0];
    },
    async insertStaff(ex: Executor, row: typeof staffAccounts.$inferInsert) {
      return (await ex.insert(staffAccounts).values(row).onConflictDoNothing().returning())[0];
    },
    async setStaffLoginState(ex: Executor, id: string, state: LoginFailureState) {
      await ex.update(staffAccounts).set(state).where(eq(staffAccounts.id, id));
    },

    // ---- sessions ----
    async insertSession(ex: Executor, row: typeof sessions.$inferInsert) {
      await ex.insert(sessions).values(row);
    },
    /**
     * The session with what every request of its holder needs to know about the account. mustChangePassword
     * only ever changes together with ending all the account's sessions, so it holds for the session's life.
     */
    async sessionById(ex: Executor, id: string): Promise<LiveSessionRow | undefined> {
      const row = (
        await ex
          .select({ session: sessions, mustChangePassword: accounts.mustChangePassword })
          .from(sessions)
          .leftJoin(accounts, and(eq(sessions.realm, 'public'), eq(accounts.id, sessions.principalId)))
          .where(eq(sessions.id, id))
      )[0];
      // A portal session outlives nothing: without its account it is no session.
      if (!row || (row.session.realm === 'public' && row.mustChangePassword === null)) return undefined;
      return { ...row.session, mustChangePassword: row.mustChangePassword ?? false };
    },
    async touchSession(ex: Executor, id: string, at: Date) {
      await ex.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.id, id));
    },
    async revokeSession(ex: Executor, id: string, at: Date) {
      await ex
        .update(sessions)
        .set({ revokedAt: at })
        .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
    },
    /** Ends every live session of a principal; returns their ids so caches can drop them. */
    async revokeAllSessions(ex: Executor, realm: Realm, principalId: string, at: Date): Promise<string[]> {
      const rows = await ex
        .update(sessions)
        .set({ revokedAt: at })
        .where(and(eq(sessions.realm, realm), eq(sessions.principalId, principalId), isNull(sessions.revokedAt)))
        .returning({ id: sessions.id });
      return rows.map((r) => r.id);
    },
    async purgeSessions(ex: Executor, before: Date) {
      await ex.delete(sessions).where(sql`${sessions.expiresAt} < ${before} or ${sessions.revokedAt} < ${before}`);
    },

    // ---- multi-step flows ----
    async insertFlow(ex: Executor, row: typeof flows.$inferInsert) {
      return (await ex.insert(flows).values(row).returning())[0] as FlowRow;
    },
    async flowByTokenForUpdate(ex: Executor, kind: string, tokenHash: string) {
      return (
        await ex
          .select()
          .from(flows)
          .where(and(eq(flows.kind, kind), eq(flows.tokenHash, tokenHash)))
          .for('update')
      )[0];
    },
    async updateFlow(ex: Executor, id: string, patch: Partial<typeof flows.$inferInsert>) {
      await ex.update(flows).set(patch).where(eq(flows.id, id));
    },
    async purgeFlows(ex: Executor, before: Date) {
      await ex.delete(flows).where(sql`${flows.expiresAt} < ${before}`);
    },

    // ---- manual recovery ----
    async insertRecovery(ex: Executor, row: typeof manualRecoveries.$inferInsert) {
      return (await ex.insert(manualRecoveries).values(row).returning())[0];
    },
    async pendingRecoveryByIdHash(ex: Executor, idNumberHash: string) {
      return (
        await ex
          .select()
          .from(manualRecoveries)
          .where(and(eq(manualRecoveries.idNumberHash, idNumberHash), eq(manualRecoveries.status, 'pending')))
      )[0];
    },
    async recoveryByIdForUpdate(ex: Executor, id: string) {
      return (await ex.select().from(manualRecoveries).where(eq(manualRecoveries.id, id)).for('update'))[0];
    },
    async recoveryById(ex: Executor, id: string) {
      return (await ex.select().from(manualRecoveries).where(eq(manualRecoveries.id, id)))[0];
    },
    async listRecoveries(ex: Executor, opts: { status?: string; offset: number; limit: number }) {
      const where = opts.status ? eq(manualRecoveries.status, opts.status) : undefined;
      const [rows, total] = await Promise.all([
        ex
          .select({ r: manualRecoveries, handler: staffAccounts.displayName })
          .from(manualRecoveries)
          .leftJoin(staffAccounts, eq(staffAccounts.id, manualRecoveries.handledBy))
          .where(where)
          .orderBy(desc(manualRecoveries.createdAt))
          .offset(opts.offset)
          .limit(opts.limit),
        ex.select({ n: count() }).from(manualRecoveries).where(where),
      ]);
      return { rows, total: total[0]?.n ?? 0 };
    },
    async updateRecovery(ex: Executor, id: string, patch: Partial<typeof manualRecoveries.$inferInsert>) {
      await ex.update(manualRecoveries).set(patch).where(eq(manualRecoveries.id, id));
    },
  };
}
export type IdentityRepo = ReturnType<typeof createIdentityRepo>;
