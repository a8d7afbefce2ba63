import crypto from 'node:crypto';
import {
  isRedirectProvider,
  type TLoginProviderAdmin,
  type TLoginProviderIcon,
  type TLoginProviderType,
  type TRedirectProviderType,
} from '@cpe/shared';
import type * as CaParser from '../../adapters/sso/ca.js';
import type { ProviderSettings, SsoProtocol } from '../../adapters/sso/sso.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { DEMO_CA } from './demo-ca.js';
import type { LoginProviderRow, SsoRepo } from './sso.repo.js';
import { callbackPath } from './sso.service.js';

type Ca = typeof CaParser;
/** The CA certificate and CRL parser (pkijs, asn1js: ~60 ms to load): loaded on first use, not at start (issue 22). */
const loadCa = () => import('../../adapters/sso/ca.js');

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
  caCertificates?: string | null;
  signerUrl?: string | null;
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
  protocols: Record<TRedirectProviderType, SsoProtocol>;
  publicUrl: string;
  /** Production accepts https:// endpoints only. */
  httpsOnly: boolean;
}) {
  const { db, repo, clock, pii, audit } = deps;

  /** The saved CA certificates as the console lists them (a row saved through `columns` always parses). */
  const caInfo = (ca: Ca, p: LoginProviderRow) =>
    p.caCertificates
      ? ca.parseCertificates(p.caCertificates).map((c) => {
          const d = ca.describeCertificate(c);
          return {
            subject: d.subject,
            serialNumber: d.serialNumber,
            validFrom: d.validFrom.toISOString(),
            validTo: d.validTo.toISOString(),
          };
        })
      : [];

  const view = (ca: Ca, p: LoginProviderRow, links: Map<string, number>): TLoginProviderAdmin => ({
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
    signerUrl: p.signerUrl,
    caCertificates: p.caCertificates,
    caCertificateInfo: caInfo(ca, p),
    crl:
      p.crlThisUpdate && p.crlUploadedAt
        ? {
            thisUpdate: p.crlThisUpdate.toISOString(),
            nextUpdate: p.crlNextUpdate?.toISOString() ?? null,
            uploadedAt: p.crlUploadedAt.toISOString(),
            entries: p.crlEntries ?? 0,
          }
        : null,
    enabled: p.enabled,
    sortOrder: p.sortOrder,
    callbackUrl: `${deps.publicUrl}${callbackPath(p.id)}`,
    linkedAccounts: links.get(p.id) ?? 0,
    updatedAt: p.updatedAt.toISOString(),
  });

  /** The columns of a provider; fields of the other type are cleared, so a row never mixes the two. */
  function columns(ca: Ca, input: LoginProviderInput) {
    for (const field of ['issuer', 'openBaseUrl', 'apiBaseUrl', 'signerUrl'] as const) {
      const url = input[field];
      if (deps.httpsOnly && url && !url.startsWith('https://'))
        throw fieldError('VALIDATION_FAILED', field, '生产环境只接受 https:// 开头的地址');
    }
    const oidc = input.type === 'oidc';
    const isCa = input.type === 'ca';
    if (isCa) checkCaCertificates(ca, input.caCertificates ?? '');
    return {
      name: input.name,
      type: input.type,
      icon: input.icon,
      issuer: oidc ? (input.issuer ?? null)?.replace(/\/+$/, '') || null : null,
      openBaseUrl: oidc ? null : (input.openBaseUrl ?? null),
      apiBaseUrl: oidc ? null : (input.apiBaseUrl ?? null),
      // A CA has no client: '' keeps the NOT NULL columns of the redirect types.
      clientId: isCa ? '' : input.clientId,
      scopes: isCa ? '' : input.scopes,
      caCertificates: isCa ? (input.caCertificates ?? null) : null,
      signerUrl: isCa ? (input.signerUrl ?? null) : null,
      idNumberClaim: oidc ? (input.idNumberClaim ?? null) : null,
      nameClaim: oidc ? (input.nameClaim ?? null) : null,
      usccClaim: oidc ? (input.usccClaim ?? null) : null,
      enabled: input.enabled,
      sortOrder: input.sortOrder,
    };
  }

  /** Every block parses and is a CA certificate; otherwise the field says which and why. */
  function checkCaCertificates(ca: Ca, pem: string) {
    let certs: ReturnType<Ca['parseCertificates']>;
    try {
      certs = ca.parseCertificates(pem);
    } catch (err) {
      if (err instanceof ca.CaFormatError) throw fieldError('VALIDATION_FAILED', 'caCertificates', err.message);
      throw err;
    }
    const notCa = certs.findIndex((c) => !c.ca);
    if (notCa >= 0)
      throw fieldError(
        'VALIDATION_FAILED',
        'caCertificates',
        `第${notCa + 1}个证书不是 CA 证书（${ca.describeCertificate(certs[notCa] as (typeof certs)[number]).subject}）`,
      );
  }

  const record = (
    action: 'create' | 'update' | 'delete' | 'crl',
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

  /** 测试连接 of a CA: its certificates are valid today and its revocation list is current. */
  function checkCa(ca: Ca, p: LoginProviderRow) {
    const now = clock.now().getTime();
    const lapsed = caInfo(ca, p).filter(
      (c) => new Date(c.validTo).getTime() < now || new Date(c.validFrom).getTime() > now,
    );
    if (lapsed.length) return { ok: false, message: `CA 证书不在有效期内：${lapsed.map((c) => c.subject).join('；')}` };
    if (!p.crlThisUpdate) return { ok: true, message: 'CA 证书有效；尚未上传吊销列表，登录时不检查证书吊销' };
    if (p.crlNextUpdate && p.crlNextUpdate.getTime() < now)
      return { ok: false, message: '吊销列表已过期（已过下次更新时间），证书登录将被拒绝，请上传新的吊销列表' };
    return { ok: true, message: `CA 证书有效；吊销列表有效，含 ${p.crlEntries ?? 0} 个已吊销证书` };
  }

  return {
    async list() {
      const ca = await loadCa();
      const [rows, links] = await Promise.all([repo.providers(db), repo.linkCounts(db)]);
      return { items: rows.map((p) => view(ca, p, links)) };
    },

    async create(staffId: string, input: LoginProviderInput & { id: string }, meta: RequestMeta) {
      const ca = await loadCa();
      const now = clock.now();
      const row = await db.transaction(async (tx) => {
        const inserted = await repo.insertProvider(tx, {
          id: input.id,
          ...columns(ca, input),
          clientSecretEnc: input.type === 'ca' ? '' : pii.encrypt(input.clientSecret ?? ''),
          createdAt: now,
          updatedAt: now,
        });
        if (!inserted) throw fieldError('LOGIN_PROVIDER_ID_TAKEN', 'id');
        await record('create', staffId, inserted, meta, tx as Db);
        return inserted;
      });
      return view(ca, row, new Map());
    },

    /** An empty secret keeps the stored one. */
    async update(staffId: string, id: string, input: LoginProviderInput, meta: RequestMeta) {
      const ca = await loadCa();
      const row = await db.transaction(async (tx) => {
        const current = await repo.provider(tx, id);
        if (!current) throw new AppError('NOT_FOUND', { message: '该第三方登录不存在' });
        // A later version than any cached discovery document, even within the same millisecond.
        const updatedAt = new Date(Math.max(clock.now().getTime(), current.updatedAt.getTime() + 1));
        const updated = await repo.updateProvider(tx, id, {
          ...columns(ca, input),
          ...(input.type === 'ca'
            ? { clientSecretEnc: '' }
            : input.clientSecret
              ? { clientSecretEnc: pii.encrypt(input.clientSecret) }
              : {}),
          updatedAt,
        });
        await record('update', staffId, updated as LoginProviderRow, meta, tx as Db);
        return updated as LoginProviderRow;
      });
      return view(ca, row, await repo.linkCounts(db));
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

    /**
     * 上传吊销列表: the CRL must be signed by one of the provider's CA certificates; its revoked serials replace the
     * previous list in one transaction, so a login never sees half of each.
     */
    async uploadCrl(staffId: string, id: string, file: string, meta: RequestMeta) {
      const p = await repo.provider(db, id);
      if (!p) throw new AppError('NOT_FOUND', { message: '该第三方登录不存在' });
      if (p.type !== 'ca' || !p.caCertificates)
        throw new AppError('VALIDATION_FAILED', { message: '只有 CA 证书登录可以上传吊销列表' });
      const data = file.includes('-----BEGIN') ? Buffer.from(file, 'utf8') : Buffer.from(file, 'base64');
      const ca = await loadCa();
      let crl: ReturnType<Ca['parseCrl']>;
      try {
        crl = ca.parseCrl(data, ca.parseCertificates(p.caCertificates));
      } catch (err) {
        if (err instanceof ca.CaFormatError) throw fieldError('VALIDATION_FAILED', 'crl', err.message);
        throw err;
      }
      const now = clock.now();
      const row = await db.transaction(async (tx) => {
        await repo.replaceRevocations(
          tx,
          p.id,
          crl.revoked.map((r) => ({ serial: r.serial, revokedAt: r.revokedAt })),
        );
        const updated = (await repo.updateProvider(tx, p.id, {
          crlThisUpdate: crl.thisUpdate,
          crlNextUpdate: crl.nextUpdate,
          crlUploadedAt: now,
          crlEntries: crl.revoked.length,
        })) as LoginProviderRow;
        await record('crl', staffId, updated, meta, tx as Db);
        return updated;
      });
      return view(ca, row, await repo.linkCounts(db));
    },

    /** 测试连接 with the saved settings. */
    async check(id: string) {
      const p = await repo.provider(db, id);
      if (!p) throw new AppError('NOT_FOUND', { message: '该第三方登录不存在' });
      if (!isRedirectProvider(p.type)) return checkCa(await loadCa(), p);
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
      return deps.protocols[p.type].check(settings);
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

    /**
     * Demo mode: CA 证书登录 trusting the demo CA (demo-ca.ts), its signing page on this portal. Created once; the
     * signing page's address follows PUBLIC_URL on every start, unless staff pointed it elsewhere.
     */
    async seedDemoCa(caCertificatePem: string) {
      const signerUrl = `${deps.publicUrl}${DEMO_CA.signerPath}`;
      const existing = await repo.provider(db, DEMO_CA.id);
      const now = clock.now();
      if (!existing) {
        await repo.insertProvider(db, {
          id: DEMO_CA.id,
          name: 'CA 证书',
          type: 'ca',
          icon: 'ca',
          clientId: '',
          clientSecretEnc: '',
          scopes: '',
          caCertificates: caCertificatePem,
          signerUrl,
          enabled: true,
          sortOrder: 95,
          createdAt: now,
          updatedAt: now,
        });
        return true;
      }
      if (
        existing.type === 'ca' &&
        existing.signerUrl?.endsWith(DEMO_CA.signerPath) &&
        existing.signerUrl !== signerUrl
      )
        await repo.updateProvider(db, DEMO_CA.id, { signerUrl, updatedAt: now });
      return false;
    },
  };
}
export type LoginProvidersService = ReturnType<typeof createLoginProvidersService>;
