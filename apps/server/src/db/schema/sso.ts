import { boolean, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/**
 * 第三方登录: the identity providers staff configure (政务服务网 and any OIDC provider, 微信 网站应用). `id` is the
 * readable key in the browser's addresses (/api/sso/<id>/start, the callback registered with the provider).
 * The client secret is stored encrypted (AES-256-GCM, like personal data); the claim columns name where the
 * provider's verified 证件号码, 姓名 and 统一社会信用代码 are found (top level or a dotted path).
 */
export const loginProviders = pgTable('login_providers', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** oidc | wechat */
  type: text('type').notNull(),
  /** Which picture the login page shows: gov | wechat | e-license | key. */
  icon: text('icon').notNull(),
  /** OIDC: the issuer identifier; its discovery document gives the endpoints and the JWKS. */
  issuer: text('issuer'),
  /** 微信: the two bases of WeChat's endpoints (open.weixin.qq.com / api.weixin.qq.com unless a stand-in). */
  openBaseUrl: text('open_base_url'),
  apiBaseUrl: text('api_base_url'),
  clientId: text('client_id').notNull(),
  clientSecretEnc: text('client_secret_enc').notNull(),
  scopes: text('scopes').notNull(),
  idNumberClaim: text('id_number_claim'),
  nameClaim: text('name_claim'),
  usccClaim: text('uscc_claim'),
  enabled: boolean('enabled').notNull().default(false),
  sortOrder: integer('sort_order').notNull().default(0),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * An account's link to a provider's subject: a linked subject signs straight in. Only a keyed hash of the subject
 * (`sub`, or WeChat's unionid/openid) is kept: it is only ever looked up. One link per account and provider.
 */
export const accountLogins = pgTable(
  'account_logins',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    subjectHash: text('subject_hash').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastLoginAt: ts('last_login_at'),
  },
  (t) => [
    uniqueIndex('account_logins_subject_uq').on(t.providerId, t.subjectHash),
    uniqueIndex('account_logins_account_uq').on(t.accountId, t.providerId),
  ],
);
