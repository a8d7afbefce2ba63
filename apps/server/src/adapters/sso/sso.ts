/**
 * The port of 第三方登录: one implementation per protocol (OpenID Connect through openid-client, 微信 网站应用).
 * A provider's settings come from the database (staff configure them), so the adapters take them per call.
 */
export interface ProviderSettings {
  id: string;
  /** Changes whenever staff save the provider: cached discovery documents of an older version are dropped. */
  version: number;
  issuer: string | null;
  openBaseUrl: string | null;
  apiBaseUrl: string | null;
  clientId: string;
  clientSecret: string;
  scopes: string;
  /** The claims the platform reads (证件号码, 姓名, 统一社会信用代码): fetched from userinfo when the ID token lacks them. */
  claimNames: string[];
}

/** What the browser's round trip carries: kept server-side in the flow, `state` also travels through the provider. */
export interface RoundTrip {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
}

export interface ProvenIdentity {
  /** The provider's stable identifier of the person (`sub`; WeChat's unionid, else openid). */
  subject: string;
  claims: Record<string, unknown>;
  /** A display name the provider gives (微信昵称), shown when the person links the account. */
  label: string | null;
}

/** The provider cannot be reached, answers with a server error, or refuses our own credentials. */
export class SsoUnavailableError extends Error {}

/** The provider's answer failed a check (state, nonce, signature, issuer, audience, expiry, a spent code). */
export class SsoRefusedError extends Error {
  constructor(
    message: string,
    /** The person declined at the provider (access_denied, or WeChat's redirect without a code). */
    readonly denied = false,
  ) {
    super(message);
  }
}

export interface SsoProtocol {
  authorizationUrl(p: ProviderSettings, trip: RoundTrip): Promise<string>;
  /** `callbackUrl` is the redirect URI with the query the provider sent back. */
  finish(p: ProviderSettings, callbackUrl: URL, trip: RoundTrip): Promise<ProvenIdentity>;
  /** 测试连接 in the console: can the provider be reached with these settings? */
  check(p: ProviderSettings): Promise<{ ok: boolean; message: string }>;
}

/** A claim by name, or by a dotted path into nested objects (some providers nest the person's data). */
export function readClaim(claims: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (!value || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
