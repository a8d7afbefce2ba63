import { createOidcAdminService } from './oidc-admin.service.js';
import { createOidcGrantsService } from './oidc-grants.service.js';
import { createOidcRuntime, type OidcProviderDeps } from './oidc-runtime.js';

/**
 * The 统一认证中心 as an OpenID Connect provider (oidc-provider, OpenID-certified), mounted on the public listener
 * under /oidc. The portal session is the one sign-in: a person signed in on the portal enters a registered system
 * without typing anything, and signing out of the portal (or changing the password) ends the provider's sessions
 * of that login and tells every system that had it through back-channel logout.
 *
 * - sub: our account id (public subject type, the same for every system; never a username, which can be an ID number).
 * - a provider session is bound to the portal session it was opened from by its login time (auth_time = the
 *   portal login): the login prompt is asked again whenever the portal session is gone, another person's, or a
 *   later login, and our interaction answers it from the portal session without a page (see `grants.enter`).
 * - consent is kept per person and system (已授权应用) beyond the provider's grants, which end with the session.
 *
 * Three parts, one per audience: `runtime`, the provider instance the public listener hands /oidc to; `grants`, the
 * person's side (entering a system, consent, 已授权应用, the end of a portal session); `admin`, 系统管理 →
 * 接入系统 and 签名密钥.
 */
export function createOidcProviderService(deps: OidcProviderDeps) {
  const { db, repo, pii, clock, audit, jobs } = deps;
  const runtime = createOidcRuntime(deps);
  return {
    runtime,
    grants: createOidcGrantsService({ db, repo, clock, audit, jobs, runtime, account: deps.account }),
    admin: createOidcAdminService({
      db,
      repo,
      pii,
      clock,
      audit,
      issuer: runtime.issuer,
      keysChanged: runtime.keysChanged,
    }),
  };
}
export type OidcProviderService = ReturnType<typeof createOidcProviderService>;
