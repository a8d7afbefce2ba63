import crypto from 'node:crypto';
import { OIDC_SCOPES, type TOidcClient, type TOidcClientRequest, ZOidcClientRequest } from '@cpe/shared';
import type { TAuditAction } from '@cpe/shared/audit';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { loadSharp } from '../../lib/lazy.js';
import { type Pii, randomToken } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { ensureSigningKey, newSigningKey } from './oidc-keys.js';
import type { OidcClientRow, OidcProviderRepo } from './oidc-provider.repo.js';

const toClient = (row: OidcClientRow): TOidcClient => ({
  id: row.id,
  clientId: row.clientId,
  name: row.name,
  logo: row.logo,
  redirectUris: row.redirectUris,
  postLogoutRedirectUris: row.postLogoutRedirectUris,
  backchannelLogoutUri: row.backchannelLogoutUri,
  scopes: OIDC_SCOPES.filter((s) => row.scopes.includes(s)),
  trusted: row.trusted,
  enabled: row.enabled,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

type ClientSettings = Pick<
  OidcClientRow,
  'name' | 'redirectUris' | 'postLogoutRedirectUris' | 'backchannelLogoutUri' | 'scopes' | 'trusted' | 'enabled'
>;
/** What 系统管理员 sets of a system: written on creation and change, and recorded as the audit summary of either. */
const settingsOf = (s: ClientSettings): ClientSettings => ({
  name: s.name,
  redirectUris: s.redirectUris,
  postLogoutRedirectUris: s.postLogoutRedirectUris,
  backchannelLogoutUri: s.backchannelLogoutUri,
  scopes: s.scopes,
  trusted: s.trusted,
  enabled: s.enabled,
});

/** 系统管理 → 接入系统 (the registered systems, their secrets and logos) and 签名密钥. */
export function createOidcAdminService(deps: {
  db: Db;
  repo: OidcProviderRepo;
  pii: Pii;
  clock: Clock;
  audit: AuditRepo;
  issuer: string;
  /** The running provider picks up a rotated or removed key at once (other instances within their check). */
  keysChanged: () => void;
}) {
  const { db, repo, pii, clock, audit, issuer } = deps;

  /** A change to a registered system and its audit entry, in one transaction; a system that is gone is 404. */
  async function changeClient(
    id: string,
    patch: Partial<Pick<OidcClientRow, keyof ClientSettings | 'secretEnc' | 'logo'>>,
    entry: {
      action: TAuditAction;
      staffId: string;
      meta: RequestMeta;
      summary?: (row: OidcClientRow) => Record<string, unknown>;
    },
  ) {
    return db.transaction(async (tx) => {
      const updated = await repo.updateClient(tx, id, { ...patch, updatedAt: clock.now() });
      if (!updated) throw new AppError('OIDC_CLIENT_NOT_FOUND');
      await audit.record(tx, {
        actorType: 'staff',
        actorId: entry.staffId,
        action: entry.action,
        targetType: 'oidc_client',
        targetId: updated.clientId,
        summary: entry.summary?.(updated),
        ...entry.meta,
      });
      return updated;
    });
  }

  async function setLogoValue(id: string, logo: string | null, staffId: string, meta: RequestMeta) {
    const row = await changeClient(
      id,
      { logo },
      { action: 'oidc.client.update', staffId, meta, summary: () => ({ logo: logo ? 'set' : 'removed' }) },
    );
    return toClient(row);
  }

  return {
    async listClients() {
      return {
        issuer,
        discoveryUrl: `${issuer}/.well-known/openid-configuration`,
        items: (await repo.clients(db)).map(toClient),
      };
    },

    async createClient(input: TOidcClientRequest, staffId: string, meta: RequestMeta) {
      const v = ZOidcClientRequest.parse(input);
      const clientSecret = randomToken(32);
      const now = clock.now();
      const row = await db.transaction(async (tx) => {
        const created = await repo.insertClient(tx, {
          clientId: `cpe-${crypto.randomBytes(8).toString('hex')}`,
          secretEnc: pii.encrypt(clientSecret),
          ...settingsOf(v),
          createdAt: now,
          updatedAt: now,
        });
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staffId,
          action: 'oidc.client.create',
          targetType: 'oidc_client',
          targetId: created.clientId,
          summary: settingsOf(created),
          ...meta,
        });
        return created;
      });
      return { ...toClient(row), clientSecret };
    },

    async updateClient(id: string, input: TOidcClientRequest, staffId: string, meta: RequestMeta) {
      const v = ZOidcClientRequest.parse(input);
      const row = await changeClient(id, settingsOf(v), {
        action: 'oidc.client.update',
        staffId,
        meta,
        summary: settingsOf,
      });
      return toClient(row);
    },

    /** 重置密钥: a new secret, shown once; the old one stops working at once. */
    async resetSecret(id: string, staffId: string, meta: RequestMeta) {
      const clientSecret = randomToken(32);
      const row = await changeClient(
        id,
        { secretEnc: pii.encrypt(clientSecret) },
        { action: 'oidc.client.secret.reset', staffId, meta },
      );
      return { ...toClient(row), clientSecret };
    },

    /** The logo: JPG or PNG by content, re-encoded as a 128 px PNG kept inline (the portal's CSP allows data: images). */
    async setLogo(id: string, data: Buffer | undefined, staffId: string, meta: RequestMeta) {
      if (!data?.length) throw fieldError('UPLOAD_INVALID', 'logo', '请选择图标文件');
      const sharp = await loadSharp();
      let png: Buffer;
      try {
        const info = await sharp(data, { limitInputPixels: 25_000_000 }).metadata();
        if (info.format !== 'png' && info.format !== 'jpeg') throw new Error('format');
        png = await sharp(data, { limitInputPixels: 25_000_000 })
          .resize(128, 128, { fit: 'contain', background: { r: 255, g: 255, b: 255, alpha: 0 } })
          .png()
          .toBuffer();
      } catch {
        throw fieldError('UPLOAD_INVALID', 'logo', '仅支持JPG、PNG格式的图片');
      }
      return setLogoValue(id, `data:image/png;base64,${png.toString('base64')}`, staffId, meta);
    },
    async removeLogo(id: string, staffId: string, meta: RequestMeta) {
      return setLogoValue(id, null, staffId, meta);
    },

    /** Removing a system: its grants and tokens go with it; people's consents cascade. */
    async deleteClient(id: string, staffId: string, meta: RequestMeta) {
      await db.transaction(async (tx) => {
        const row = await repo.clientById(tx, id);
        if (!row) throw new AppError('OIDC_CLIENT_NOT_FOUND');
        for (const grantId of await repo.grantIdsOfClient(tx, row.clientId)) await repo.revokeGrant(tx, grantId);
        await repo.deleteClient(tx, id);
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staffId,
          action: 'oidc.client.delete',
          targetType: 'oidc_client',
          targetId: row.clientId,
          summary: { name: row.name },
          ...meta,
        });
      });
      return { ok: true as const };
    },

    // ---- 签名密钥 ----

    async listKeys() {
      await ensureSigningKey(deps);
      const keys = await repo.keys(db);
      return {
        items: keys.map((k, i) => ({ kid: k.kid, alg: k.alg, createdAt: k.createdAt.toISOString(), active: i === 0 })),
      };
    },

    /** 轮换签名密钥: a new key signs from now on; the old ones stay published until removed. */
    async rotateKey(staffId: string, meta: RequestMeta) {
      const key = await newSigningKey(pii, clock);
      await db.transaction(async (tx) => {
        await repo.lockKeys(tx);
        await repo.insertKey(tx, key);
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staffId,
          action: 'oidc.key.rotate',
          targetType: 'oidc_key',
          targetId: key.kid,
          ...meta,
        });
      });
      deps.keysChanged();
      return { kid: key.kid };
    },

    async deleteKey(kid: string, staffId: string, meta: RequestMeta) {
      await db.transaction(async (tx) => {
        await repo.lockKeys(tx);
        const kids = await repo.keyIds(tx);
        if (!kids.includes(kid)) throw new AppError('NOT_FOUND');
        if (kids[0] === kid) throw new AppError('OIDC_KEY_IN_USE');
        await repo.deleteKey(tx, kid);
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staffId,
          action: 'oidc.key.delete',
          targetType: 'oidc_key',
          targetId: kid,
          ...meta,
        });
      });
      deps.keysChanged();
      return { ok: true as const };
    },
  };
}
export type OidcAdminService = ReturnType<typeof createOidcAdminService>;
