import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ID_TYPE_LABELS,
  type IdType,
  maskIdNumber,
  maskPhone,
  OIDC_SCOPE_LABELS,
  OIDC_SCOPES,
  type TOidcConsentDetails,
  type TOidcScope,
} from '@cpe/shared';
import type { AdapterPayload, Interaction } from 'oidc-provider';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { Jobs } from '../jobs/jobs.service.js';
import type { OidcProviderRepo } from './oidc-provider.repo.js';
import { loginTs, OIDC_INTERACTIONS_PATH, type OidcAccount, type OidcRuntime } from './oidc-runtime.js';

/** The portal's consent page (apps/web: features/oidc-provider). */
export const OIDC_CONSENT_PAGE = '/authorize';
export const OIDC_BACKCHANNEL_JOB = 'oidc.backchannel-logout';

const epoch = () => Math.floor(Date.now() / 1000);
const consentPage = (uid: string) => `${OIDC_CONSENT_PAGE}/${encodeURIComponent(uid)}`;

/**
 * The person's side of the provider: entering a system from the portal session, the consent asked once per
 * system and kept (已授权应用) beyond the provider's grants, its revocation, and the end of the provider sessions
 * opened from a portal session that ends.
 */
export function createOidcGrantsService(deps: {
  db: Db;
  repo: OidcProviderRepo;
  clock: Clock;
  audit: AuditRepo;
  jobs: Jobs;
  runtime: OidcRuntime;
  account: (accountId: string) => Promise<OidcAccount | undefined>;
}) {
  const { db, repo, clock, audit, jobs, runtime } = deps;

  /**
   * A system hears that a session of it ended by back-channel logout (a job: retried, and not holding up the
   * person's logout), if it is enabled and registered an address for it.
   */
  async function queueBackchannelLogout(ex: Executor, clientId: string, accountId: string, sid: string | undefined) {
    if (!sid) return;
    const client = await repo.clientByClientId(ex, clientId);
    if (client?.enabled && client.backchannelLogoutUri)
      await jobs.enqueue(ex, OIDC_BACKCHANNEL_JOB, { clientId, accountId, sid }, undefined, 5);
  }

  /**
   * Ends provider sessions (rows already taken out of the table): each system that had one is told, and the
   * grants made in the session are revoked with their codes and tokens, as oidc-provider's own logout does.
   */
  async function endSessions(ex: Executor, sessions: Array<{ payload: unknown }>) {
    for (const { payload } of sessions) {
      const s = payload as AdapterPayload;
      if (!s.accountId) continue;
      for (const [clientId, auth] of Object.entries(s.authorizations ?? {})) {
        if (auth.grantId && !auth.persistsLogout) await repo.revokeGrant(ex, auth.grantId);
        await queueBackchannelLogout(ex, clientId, s.accountId, auth.sid);
      }
    }
  }

  jobs.register(OIDC_BACKCHANNEL_JOB, async (payload) => {
    const { clientId, accountId, sid } = payload as { clientId: string; accountId: string; sid: string };
    // The provider's own logout notice (a logout token signed with the current key), sent outside a request.
    const client = (await (await runtime.provider()).Client.find(clientId)) as
      | { backchannelLogoutUri?: string; backchannelLogout(sub: string, sid: string): Promise<void> }
      | undefined;
    if (!client?.backchannelLogoutUri) return;
    await client.backchannelLogout(accountId, sid);
  });

  return {
    /**
     * The interaction URL: where the provider sends the browser when it needs the person. Answered from the
     * portal session without a page whenever possible; otherwise to the portal's login (which comes back) or to
     * the consent page. Returns where the browser goes next.
     */
    async enter(req: IncomingMessage, res: ServerResponse, uid: string, portalToken: string | undefined) {
      let details: Interaction;
      try {
        details = await runtime.interaction(req, res, uid);
      } catch {
        // The consent page explains (授权请求已过期) and offers the way back.
        return consentPage(uid);
      }
      const portal = await runtime.portalSession(portalToken);
      if (!portal) return `/login?redirect=${encodeURIComponent(consentPage(uid))}`;
      if (portal.mustChangePassword) return `/password/initial?redirect=${encodeURIComponent(consentPage(uid))}`;
      if (details.prompt.name !== 'login') return consentPage(uid);

      const previous = details.session;
      if (previous?.uid && previous.accountId !== portal.principalId) {
        // This browser's provider session is another person's (their portal session ended without a logout we
        // saw, e.g. by time): it ends now, with its systems told, before this person's begins.
        await db.transaction(async (tx) =>
          endSessions(tx, await repo.takeSessions(tx, { uid: previous.uid as string })),
        );
        details.session = undefined;
      }
      details.result = {
        ...details.lastSubmission,
        login: { accountId: portal.principalId, ts: loginTs(portal.createdAt), remember: true },
      };
      await details.save(Math.max(details.exp - epoch(), 1));
      return details.returnTo;
    },

    /** The consent page's question: which system asks, and what exactly it would receive. */
    async consentDetails(
      req: IncomingMessage,
      res: ServerResponse,
      uid: string,
      accountId: string,
    ): Promise<TOidcConsentDetails & { continueTo: string | null }> {
      const details = await runtime.interaction(req, res, uid);
      if (details.prompt.name === 'login')
        return {
          client: { name: '', logo: null, trusted: false },
          account: { realName: '' },
          items: [],
          continueTo: `${OIDC_INTERACTIONS_PATH}/${encodeURIComponent(uid)}`,
        };
      if (details.session?.accountId !== accountId) throw new AppError('OIDC_ACCOUNT_CHANGED');
      const client = await repo.clientByClientId(db, String(details.params.client_id));
      const account = await deps.account(accountId);
      if (!client?.enabled || !account) throw new AppError('OIDC_INTERACTION_EXPIRED');
      const requested = new Set(String(details.params.scope ?? '').split(' '));
      const items = OIDC_SCOPES.filter((s) => requested.has(s) && client.scopes.includes(s)).map((scope) => ({
        scope,
        ...consentItem(scope, account, client.trusted),
      }));
      return {
        client: { name: client.name, logo: client.logo, trusted: client.trusted },
        account: { realName: account.realName },
        items,
        continueTo: null,
      };
    },

    /** 同意授权 / 拒绝: the grant is made (and remembered for next time) or the system hears access_denied. */
    async decide(
      req: IncomingMessage,
      res: ServerResponse,
      uid: string,
      accountId: string,
      decision: 'approve' | 'deny',
      meta: RequestMeta,
    ) {
      const p = await runtime.provider();
      const details = await runtime.interaction(req, res, uid);
      if (details.prompt.name !== 'consent') throw new AppError('OIDC_INTERACTION_EXPIRED');
      if (details.session?.accountId !== accountId) throw new AppError('OIDC_ACCOUNT_CHANGED');
      const clientId = String(details.params.client_id);
      if (decision === 'deny') {
        await audit.record(db, {
          actorType: 'account',
          actorId: accountId,
          action: 'oidc.consent.deny',
          targetType: 'oidc_client',
          targetId: clientId,
          ...meta,
        });
        const redirectTo = await p.interactionResult(
          req,
          res,
          { error: 'access_denied', error_description: 'End-User refused the authorization' },
          { mergeWithLastSubmission: false },
        );
        return { redirectTo };
      }
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      const grant = details.grantId ? await p.Grant.find(details.grantId) : new p.Grant({ accountId, clientId });
      if (!grant) throw new AppError('OIDC_INTERACTION_EXPIRED');
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
        grant.addResourceScope(indicator, scopes.join(' '));
      const grantId = await grant.save();
      await db.transaction(async (tx) => {
        const before = (await repo.consent(tx, accountId, clientId))?.scopes ?? [];
        const granted = new Set([...before, ...grant.getOIDCScope().split(' ')]);
        await repo.saveConsent(
          tx,
          accountId,
          clientId,
          OIDC_SCOPES.filter((s) => granted.has(s)),
          clock.now(),
        );
        await audit.record(tx, {
          actorType: 'account',
          actorId: accountId,
          action: 'oidc.consent.grant',
          targetType: 'oidc_client',
          targetId: clientId,
          summary: { scopes: grant.getOIDCScope().split(' ') },
          ...meta,
        });
      });
      const redirectTo = await p.interactionResult(req, res, { consent: { grantId } });
      return { redirectTo };
    },

    /**
     * A portal session ended (logout: that login; a password change or reset: all of the person's): the provider
     * sessions opened from it end with it, in the same transaction, and the systems are told.
     */
    async portalSessionEnded(ex: Executor, ended: { principalId: string; loginAt?: Date }) {
      const ts = ended.loginAt ? loginTs(ended.loginAt) : undefined;
      await endSessions(ex, await repo.takeSessions(ex, { accountId: ended.principalId, loginTs: ts }));
    },

    /** 个人中心 → 已授权应用. */
    async authorizedApps(accountId: string) {
      const rows = await repo.consentsOf(db, accountId);
      return {
        items: rows.map(({ consent, client }) => ({
          clientId: client.clientId,
          name: client.name,
          logo: client.logo,
          scopes: OIDC_SCOPES.filter((s) => consent.scopes.includes(s)),
          grantedAt: consent.updatedAt.toISOString(),
        })),
      };
    },

    /** 撤销授权: the consent, every grant with its tokens, and the system's sessions of this person. */
    async revokeApp(accountId: string, clientId: string, meta: RequestMeta) {
      await db.transaction(async (tx) => {
        if (!(await repo.deleteConsent(tx, accountId, clientId))) throw new AppError('OIDC_CLIENT_NOT_FOUND');
        for (const grantId of await repo.grantIdsOf(tx, accountId, clientId)) await repo.revokeGrant(tx, grantId);
        for (const s of await repo.sessionsOf(tx, accountId, new Date())) {
          const sid = (s.payload as AdapterPayload).authorizations?.[clientId]?.sid;
          await queueBackchannelLogout(tx, clientId, accountId, sid);
        }
        await audit.record(tx, {
          actorType: 'account',
          actorId: accountId,
          action: 'oidc.consent.revoke',
          targetType: 'oidc_client',
          targetId: clientId,
          ...meta,
        });
      });
      return { ok: true as const };
    },
  };
}
export type OidcGrantsService = ReturnType<typeof createOidcGrantsService>;

/** One line of the consent page: what the system will receive, shown masked here whatever it receives. */
function consentItem(scope: TOidcScope, account: OidcAccount, trusted: boolean): { label: string; value: string } {
  switch (scope) {
    case 'openid':
      return { label: OIDC_SCOPE_LABELS.openid, value: '用于识别您的账号，不含个人信息' };
    case 'profile':
      return { label: OIDC_SCOPE_LABELS.profile, value: account.realName };
    case 'phone':
      return {
        label: trusted ? '手机号码（完整号码）' : '手机号码（部分隐藏）',
        value: account.phone ? maskPhone(account.phone) : '未绑定手机号码',
      };
    case 'idcard':
      return {
        label: `${OIDC_SCOPE_LABELS.idcard}（完整号码）`,
        value: `${ID_TYPE_LABELS[account.idType as IdType] ?? account.idType} ${maskIdNumber(account.idNumber)}`,
      };
  }
}
