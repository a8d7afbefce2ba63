import { boolean, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
  /** oidc | wechat | ca (CA 证书登录: no client id, secret or scopes; those columns hold '') */
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
  /** ca: the trusted CA certificates (PEM); a login certificate must be issued by one of them. */
  caCertificates: text('ca_certificates'),
  /** ca: the page of the CA's signing program the login page talks to (the demo's 演示证书 page in demo mode). */
  signerUrl: text('signer_url'),
  /** ca: the revocation list last uploaded (its entries are in ca_revocations). */
  crlThisUpdate: ts('crl_this_update'),
  crlNextUpdate: ts('crl_next_update'),
  crlUploadedAt: ts('crl_uploaded_at'),
  crlEntries: integer('crl_entries'),
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

/** CA 证书登录: the serial numbers (uppercase hex) the provider's uploaded CRL revokes; replaced on each upload. */
export const caRevocations = pgTable(
  'ca_revocations',
  {
    providerId: text('provider_id').notNull(),
    serial: text('serial').notNull(),
    revokedAt: ts('revoked_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.providerId, t.serial] })],
);
