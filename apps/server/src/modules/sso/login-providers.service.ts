import crypto from 'node:crypto';
import type { TLoginProviderAdmin, TLoginProviderIcon, TLoginProviderType } from '@cpe/shared';
import type { ProviderSettings, SsoProtocol } from '../../adapters/sso/sso.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { LoginProviderRow, SsoRepo } from './sso.repo.js';
import { callbackPath } from './sso.service.js';

/** What staff save (validated by ZLoginProviderInput / ZLoginProviderCreate). */
export interface LoginProviderInput {
  name: string;
  type: TLoginProviderType;
  icon: TLoginProviderIcon;
  issuer?: string | null;
  openBaseUrl?: string | null;
  apiBaseUrl?: string | null;
  clientId: string;
  clientSecret?: string;
  scopes: string;
  idNumberClaim?: string | null;
  nameClaim?: string | null;
  usccClaim?: string | null;
  enabled: boolean;
  sortOrder: number;
}

/** The demo's 微信 (demo mode): the stand-in mounted on the public listener (app.ts). */
export const DEMO_WECHAT = { id: 'wechat', appId: 'wxcpedemo0000001', path: '/sso-demo/wechat' } as const;
export const demoWechatSecret = (sessionSecret: string) =>
  crypto.createHmac('sha256', sessionSecret).update('sso-demo wechat appsecret').digest('hex').slice(0, 32);

/** 系统管理 → 第三方登录 (系统管理员): the providers, their secrets write-only, every change audited. */
export function createLoginProvidersService(deps: {
  db: Db;
  repo: SsoRepo;
  clock: Clock;
  pii: Pii;
  audit: AuditRepo;
  protocols: Record<TLoginProviderType, SsoProtocol>;
  publicUrl: string;
  /** Production accepts https:// endpoints only. */
  httpsOnly: boolean;
}) {
  const { db, repo, clock, pii, audit } = deps;

  const view = (p: LoginProviderRow, links: Map<string, number>): TLoginProviderAdmin => ({
    id: p.id,
    name: p.name,
    type: p.type as TLoginProviderType,
    icon: p.icon as TLoginProviderIcon,
    issuer: p.issuer,
    openBaseUrl: p.openBaseUrl,
    apiBaseUrl: p.apiBaseUrl,
    clientId: p.clientId,
    hasSecret: !!p.clientSecretEnc,
    scopes: p.scopes,
    idNumberClaim: p.idNumberClaim,
    nameClaim: p.nameClaim,
    usccClaim: p.usccClaim,
    enabled: p.enabled,
    sortOrder: p.sortOrder,
    callbackUrl: `${deps.publicUrl}${callbackPath(p.id)}`,
    linkedAccounts: links.get(p.id) ?? 0,
    updatedAt: p.updatedAt.toISOString(),
  });

  /** The columns of a provider; fields of the other type are cleared, so a row never mixes the two. */
  function columns(input: LoginProviderInput) {
    for (const field of ['issuer', 'openBaseUrl', 'apiBaseUrl'] as const) {
      const url = input[field];
      if (deps.httpsOnly && url && !url.startsWith('https://'))
        throw fieldError('VALIDATION_FAILED', field, '生产环境只接受 https:// 开头的地址');
    }
    const oidc = input.type === 'oidc';
    return {
      name: input.name,
      type: input.type,
      icon: input.icon,
      issuer: oidc ? (input.issuer ?? null)?.replace(/\/+$/, '') || null : null,
      openBaseUrl: oidc ? null : (input.openBaseUrl ?? null),
      apiBaseUrl: oidc ? null : (input.apiBaseUrl ?? null),
      clientId: input.clientId,
      scopes: input.scopes,
      idNumberClaim: oidc ? (input.idNumberClaim ?? null) : null,
      nameClaim: oidc ? (input.nameClaim ?? null) : null,
      usccClaim: oidc ? (input.usccClaim ?? null) : null,
      enabled: input.enabled,
      sortOrder: input.sortOrder,
    };
  }

  const record = (
    action: 'create' | 'update' | 'delete',
    staffId: string,
    p: LoginProviderRow,
    meta: RequestMeta,
    ex: Db = db,
  ) =>
    audit.record(ex, {
      actorType: 'staff',
      actorId: staffId,
      action: `login-provider.${action}`,
      targetType: 'login_provider',
      targetId: p.id,
      ip: meta.ip,
      userAgent: meta.userAgent,
      summary: { name: p.name, type: p.type, enabled: p.enabled },
    });

  return {
    async list() {
      const [rows, links] = await Promise.all([repo.providers(db), repo.linkCounts(db)]);
      return { items: rows.map((p) => view(p, links)) };
    },

    async create(staffId: string, input: LoginProviderInput & { id: string; clientSecret: string }, meta: RequestMeta) {
      const now = clock.now();
      const row = await db.transaction(async (tx) => {
        const inserted = await repo.insertProvider(tx, {
          id: input.id,
          ...columns(input),
          clientSecretEnc: pii.encrypt(input.clientSecret),
          createdAt: now,
          updatedAt: now,
        });
        if (!inserted) throw fieldError('LOGIN_PROVIDER_ID_TAKEN', 'id');
        await record('create', staffId, inserted, meta, tx as Db);
        return inserted;
      });
      return view(row, new Map());
    },

    /** An empty secret keeps the stored one. */
    async update(staffId: string, id: string, input: LoginProviderInput, meta: RequestMeta) {
      const row = await db.transaction(async (tx) => {
        const current = await repo.provider(tx, id);
        if (!current) throw new AppError('NOT_FOUND', { message: '该第三方登录不存在' });
        // A later version than any cached discovery document, even within the same millisecond.
        const updatedAt = new Date(Math.max(clock.now().getTime(), current.updatedAt.getTime() + 1));
        const updated = await repo.updateProvider(tx, id, {
          ...columns(input),
          ...(input.clientSecret ? { clientSecretEnc: pii.encrypt(input.clientSecret) } : {}),
          updatedAt,
        });
        await record('update', staffId, updated as LoginProviderRow, meta, tx as Db);
        return updated as LoginProviderRow;
      });
      return view(row, await repo.linkCounts(db));
    },

    /** The provider and every account's link to it go; those people sign in with their passwords again. */
    async remove(staffId: string, id: string, meta: RequestMeta) {
      await db.transaction(async (tx) => {
        const removed = await repo.deleteProvider(tx, id);
        if (!removed) throw new AppError('NOT_FOUND', { message: '该第三方登录不存在' });
        await record('delete', staffId, removed, meta, tx as Db);
      });
      return { ok: true as const };
    },

    /** 测试连接 with the saved settings. */
    async check(id: string) {
      const p = await repo.provider(db, id);
      if (!p) throw new AppError('NOT_FOUND', { message: '该第三方登录不存在' });
      const settings: ProviderSettings = {
        id: p.id,
        version: p.updatedAt.getTime(),
        issuer: p.issuer,
        openBaseUrl: p.openBaseUrl,
        apiBaseUrl: p.apiBaseUrl,
        clientId: p.clientId,
        clientSecret: pii.decrypt(p.clientSecretEnc),
        scopes: p.scopes,
        claimNames: [],
      };
      return deps.protocols[p.type as TLoginProviderType].check(settings);
    },

    /**
     * Demo mode: 微信 through the local stand-in, so the icon works on one machine. Created once; its addresses
     * follow PUBLIC_URL on every start (the port may change), unless staff pointed it elsewhere.
     */
    async seedDemoWechat(sessionSecret: string) {
      const base = `${deps.publicUrl}${DEMO_WECHAT.path}`;
      const existing = await repo.provider(db, DEMO_WECHAT.id);
      const now = clock.now();
      if (!existing) {
        await repo.insertProvider(db, {
          id: DEMO_WECHAT.id,
          name: '微信',
          type: 'wechat',
          icon: 'wechat',
          openBaseUrl: base,
          apiBaseUrl: base,
          clientId: DEMO_WECHAT.appId,
          clientSecretEnc: pii.encrypt(demoWechatSecret(sessionSecret)),
          scopes: 'snsapi_login',
          enabled: true,
          sortOrder: 90,
          createdAt: now,
          updatedAt: now,
        });
        return true;
      }
      const demo = (u: string | null) => !!u && u.endsWith(DEMO_WECHAT.path) && u !== base;
      if (existing.type === 'wechat' && (demo(existing.openBaseUrl) || demo(existing.apiBaseUrl)))
        await repo.updateProvider(db, DEMO_WECHAT.id, { openBaseUrl: base, apiBaseUrl: base, updatedAt: now });
      return false;
    },
  };
}
export type LoginProvidersService = ReturnType<typeof createLoginProvidersService>;
