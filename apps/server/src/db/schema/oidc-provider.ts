import { boolean, index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/**
 * Everything oidc-provider persists (modules/oidc-provider/oidc-adapter.ts), one row per artefact and one table for
 * every model: sessions, interactions, grants, authorisation codes, access and refresh tokens, replay records.
 * The columns beside the payload are the ones looked up: grant_id (revoking a grant kills its codes and tokens; a
 * Grant row carries its own id there), uid (sessions and interactions by uid), account_id (a person's sessions and
 * grants, for 退出 and 已授权应用). Rows past expires_at are read as absent and purged hourly.
 */
export const oidcPayloads = pgTable(
  'oidc_payloads',
  {
    model: text('model').notNull(),
    id: text('id').notNull(),
    payload: jsonb('payload').notNull(),
    grantId: text('grant_id'),
    uid: text('uid'),
    userCode: text('user_code'),
    accountId: text('account_id'),
    clientId: text('client_id'),
    expiresAt: ts('expires_at'),
    consumedAt: ts('consumed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.model, t.id] }),
    index('oidc_payloads_grant_idx').on(t.grantId),
    index('oidc_payloads_uid_idx').on(t.model, t.uid),
    index('oidc_payloads_account_idx').on(t.model, t.accountId),
    index('oidc_payloads_expires_idx').on(t.expiresAt),
  ],
);

/**
 * 接入系统: the relying parties staff registered. The client secret is kept encrypted (DATA_ENCRYPTION_KEY), not
 * hashed: client_secret_basic / _post compare the presented secret with the stored one. scopes lists what the
 * system may ask for (idcard only when trusted).
 */
export const oidcClients = pgTable('oidc_clients', {
  id: uuid('id').primaryKey().defaultRandom(),
  clientId: text('client_id').notNull().unique(),
  secretEnc: text('secret_enc').notNull(),
  name: text('name').notNull(),
  logo: text('logo'),
  redirectUris: jsonb('redirect_uris').$type<string[]>().notNull(),
  postLogoutRedirectUris: jsonb('post_logout_redirect_uris').$type<string[]>().notNull(),
  backchannelLogoutUri: text('backchannel_logout_uri'),
  scopes: jsonb('scopes').$type<string[]>().notNull(),
  trusted: boolean('trusted').notNull().default(false),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * The provider's signing keys (RS256). The newest signs; the others stay in the JWKS so tokens they signed still
 * verify, until staff remove them. The private JWK is encrypted with DATA_ENCRYPTION_KEY.
 */
export const oidcSigningKeys = pgTable('oidc_signing_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg').notNull(),
  publicJwk: jsonb('public_jwk').$type<Record<string, string>>().notNull(),
  privateJwkEnc: text('private_jwk_enc').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/**
 * 已授权应用: what a person agreed a system may receive. It outlives the provider's grants (which end with the
 * session that made them, tokens and all), so the next visit needs no consent for the same scopes; 撤销授权
 * deletes it together with the grants and their tokens.
 */
export const oidcConsents = pgTable(
  'oidc_consents',
  {
    accountId: uuid('account_id').notNull(),
    clientId: text('client_id')
      .notNull()
      .references(() => oidcClients.clientId, { onDelete: 'cascade' }),
    scopes: jsonb('scopes').$type<string[]>().notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.clientId] }), index('oidc_consents_client_idx').on(t.clientId)],
);
