import { and, asc, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { oidcClients, oidcConsents, oidcPayloads, oidcSigningKeys } from '../../db/schema/index.js';

export type OidcClientRow = typeof oidcClients.$inferSelect;
export type OidcSigningKeyRow = typeof oidcSigningKeys.$inferSelect;
export type OidcPayloadRow = typeof oidcPayloads.$inferSelect;

/** A row of oidc_payloads as oidc-provider hands it over, with the looked-up columns taken out of the payload. */
export interface PayloadWrite {
  model: string;
  id: string;
  payload: Record<string, unknown>;
  grantId: string | null;
  uid: string | null;
  userCode: string | null;
  accountId: string | null;
  clientId: string | null;
  expiresAt: Date | null;
}

const live = (now: Date) => or(isNull(oidcPayloads.expiresAt), gt(oidcPayloads.expiresAt, now));

export function createOidcProviderRepo() {
  return {
    // ---- oidc-provider's artefacts (the adapter) ----
    /** Replaces the artefact; a consumed mark stays (a saved-again code or token must not come back to life). */
    async upsertPayload(ex: Executor, row: PayloadWrite) {
      const { model, id, ...rest } = row;
      await ex
        .insert(oidcPayloads)
        .values(row)
        .onConflictDoUpdate({ target: [oidcPayloads.model, oidcPayloads.id], set: rest });
    },
    async findPayload(ex: Executor, model: string, where: { id?: string; uid?: string; userCode?: string }, now: Date) {
      const cond = where.id
        ? eq(oidcPayloads.id, where.id)
        : where.uid
          ? eq(oidcPayloads.uid, where.uid)
          : eq(oidcPayloads.userCode, where.userCode as string);
      return (
        await ex
          .select()
          .from(oidcPayloads)
          .where(and(eq(oidcPayloads.model, model), cond, live(now)))
          .limit(1)
      )[0];
    },
    async destroyPayload(ex: Executor, model: string, id: string) {
      await ex.delete(oidcPayloads).where(and(eq(oidcPayloads.model, model), eq(oidcPayloads.id, id)));
    },
    async consumePayload(ex: Executor, model: string, id: string, at: Date) {
      await ex
        .update(oidcPayloads)
        .set({ consumedAt: at })
        .where(and(eq(oidcPayloads.model, model), eq(oidcPayloads.id, id)));
    },
    /** With a model: that model's artefacts of the grant (the adapter's call); without: all of them, the grant too. */
    async revokeGrant(ex: Executor, grantId: string, model?: string) {
      await ex
        .delete(oidcPayloads)
        .where(
          model
            ? and(eq(oidcPayloads.grantId, grantId), eq(oidcPayloads.model, model))
            : eq(oidcPayloads.grantId, grantId),
        );
    },
    /**
     * Provider sessions taken out (payloads returned for the logout notices): a person's, all of them or those
     * opened from the portal session that logged in at `loginTs` (epoch seconds, the provider's auth_time); or one
     * by its uid.
     */
    async takeSessions(ex: Executor, which: { accountId: string; loginTs?: number } | { uid: string }) {
      return ex
        .delete(oidcPayloads)
        .where(
          and(
            eq(oidcPayloads.model, 'Session'),
            'uid' in which
              ? eq(oidcPayloads.uid, which.uid)
              : and(
                  eq(oidcPayloads.accountId, which.accountId),
                  which.loginTs === undefined
                    ? undefined
                    : sql`(${oidcPayloads.payload}->>'loginTs')::bigint = ${which.loginTs}`,
                ),
          ),
        )
        .returning({ payload: oidcPayloads.payload });
    },
    async sessionsOf(ex: Executor, accountId: string, now: Date) {
      return ex
        .select({ id: oidcPayloads.id, payload: oidcPayloads.payload })
        .from(oidcPayloads)
        .where(and(eq(oidcPayloads.model, 'Session'), eq(oidcPayloads.accountId, accountId), live(now)));
    },
    async grantIdsOf(ex: Executor, accountId: string, clientId?: string) {
      const rows = await ex
        .select({ id: oidcPayloads.id })
        .from(oidcPayloads)
        .where(
          and(
            eq(oidcPayloads.model, 'Grant'),
            eq(oidcPayloads.accountId, accountId),
            clientId ? eq(oidcPayloads.clientId, clientId) : undefined,
          ),
        );
      return rows.map((r) => r.id);
    },
    async grantIdsOfClient(ex: Executor, clientId: string) {
      const rows = await ex
        .select({ id: oidcPayloads.id })
        .from(oidcPayloads)
        .where(and(eq(oidcPayloads.model, 'Grant'), eq(oidcPayloads.clientId, clientId)));
      return rows.map((r) => r.id);
    },
    async purgeExpired(ex: Executor, before: Date) {
      const rows = await ex
        .delete(oidcPayloads)
        .where(lt(oidcPayloads.expiresAt, before))
        .returning({ id: oidcPayloads.id });
      return rows.length;
    },

    // ---- 接入系统 ----
    async clients(ex: Executor) {
      return ex.select().from(oidcClients).orderBy(asc(oidcClients.createdAt));
    },
    async clientById(ex: Executor, id: string) {
      return (await ex.select().from(oidcClients).where(eq(oidcClients.id, id)))[0];
    },
    async clientByClientId(ex: Executor, clientId: string) {
      return (await ex.select().from(oidcClients).where(eq(oidcClients.clientId, clientId)))[0];
    },
    async insertClient(ex: Executor, row: typeof oidcClients.$inferInsert) {
      return (await ex.insert(oidcClients).values(row).returning())[0] as OidcClientRow;
    },
    async updateClient(ex: Executor, id: string, patch: Partial<typeof oidcClients.$inferInsert>) {
      return (await ex.update(oidcClients).set(patch).where(eq(oidcClients.id, id)).returning())[0];
    },
    async deleteClient(ex: Executor, id: string) {
      await ex.delete(oidcClients).where(eq(oidcClients.id, id));
    },

    // ---- signing keys ----
    async keys(ex: Executor) {
      return ex.select().from(oidcSigningKeys).orderBy(desc(oidcSigningKeys.createdAt), desc(oidcSigningKeys.kid));
    },
    /** The kids, newest first: what each instance compares to notice a rotation made elsewhere. */
    async keyIds(ex: Executor) {
      const rows = await ex
        .select({ kid: oidcSigningKeys.kid })
        .from(oidcSigningKeys)
        .orderBy(desc(oidcSigningKeys.createdAt), desc(oidcSigningKeys.kid));
      return rows.map((r) => r.kid);
    },
    async insertKey(ex: Executor, row: typeof oidcSigningKeys.$inferInsert) {
      await ex.insert(oidcSigningKeys).values(row);
    },
    async deleteKey(ex: Executor, kid: string) {
      const rows = await ex.delete(oidcSigningKeys).where(eq(oidcSigningKeys.kid, kid)).returning();
      return rows.length === 1;
    },
    /** Serialises key creation across instances (the first start of several at once makes one key). */
    async lockKeys(ex: Executor) {
      await ex.execute(sql`select pg_advisory_xact_lock(hashtext('oidc_signing_keys'))`);
    },

    // ---- 已授权应用 ----
    async consent(ex: Executor, accountId: string, clientId: string) {
      return (
        await ex
          .select()
          .from(oidcConsents)
          .where(and(eq(oidcConsents.accountId, accountId), eq(oidcConsents.clientId, clientId)))
      )[0];
    },
    async saveConsent(ex: Executor, accountId: string, clientId: string, scopes: string[], at: Date) {
      await ex
        .insert(oidcConsents)
        .values({ accountId, clientId, scopes, createdAt: at, updatedAt: at })
        .onConflictDoUpdate({
          target: [oidcConsents.accountId, oidcConsents.clientId],
          set: { scopes, updatedAt: at },
        });
    },
    async consentsOf(ex: Executor, accountId: string) {
      return ex
        .select({ consent: oidcConsents, client: oidcClients })
        .from(oidcConsents)
        .innerJoin(oidcClients, eq(oidcClients.clientId, oidcConsents.clientId))
        .where(eq(oidcConsents.accountId, accountId))
        .orderBy(desc(oidcConsents.updatedAt));
    },
    async deleteConsent(ex: Executor, accountId: string, clientId: string) {
      const rows = await ex
        .delete(oidcConsents)
        .where(and(eq(oidcConsents.accountId, accountId), eq(oidcConsents.clientId, clientId)))
        .returning({ clientId: oidcConsents.clientId });
      return rows.length === 1;
    },
  };
}
export type OidcProviderRepo = ReturnType<typeof createOidcProviderRepo>;
