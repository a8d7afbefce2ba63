import { z } from 'zod';

/**
 * 统一认证中心 as an OpenID Connect provider (单点登录): other systems (重庆人社培训网, 职称评审, …) are registered by
 * staff in 系统管理 → 接入系统 and sign people in through the platform. What a system may ask for is one of these
 * scopes, each allowed per system by staff and agreed to by the person on the consent page:
 *
 * - openid  — the subject (our account id, the same for every system) — always;
 * - profile — `name` (the 实名 name);
 * - phone   — `phone_number`: the full number only to systems staff marked 可信; any other system gets it masked
 *             (138****5678) and `phone_number_verified: false`, since a masked value is not a number to call;
 * - idcard  — `id_type` and `id_number` in full: only systems marked 可信 may be given this scope at all, and the
 *             server refuses an authorisation request from any other system that asks for it.
 */
export const OIDC_SCOPES = ['openid', 'profile', 'phone', 'idcard'] as const;
export type TOidcScope = (typeof OIDC_SCOPES)[number];
export const OIDC_SCOPE_LABELS: Record<TOidcScope, string> = {
  openid: '账号标识',
  profile: '姓名',
  phone: '手机号码',
  idcard: '证件类型和证件号码',
};
/** Scopes only a 可信 system may be allowed. */
export const OIDC_TRUSTED_ONLY_SCOPES: readonly TOidcScope[] = ['idcard'];

const URL_MESSAGE = '应为 http:// 或 https:// 开头的完整网址，不含 # 片段';
const isRedirectUrl = (v: string) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.hash && !u.username && !u.password;
  } catch {
    return false;
  }
};
const zRedirectUrl = (label: string) =>
  z
    .string({ error: `请输入${label}` })
    .trim()
    .min(1, `请输入${label}`)
    .max(500, `${label}最多500个字符`)
    .refine(isRedirectUrl, `${label}${URL_MESSAGE}`);
const zUrlList = (label: string, min: number) =>
  z
    .array(zRedirectUrl(label), { error: `请输入${label}` })
    .min(min, `请至少填写一个${label}`)
    .max(10, `${label}最多10个`)
    .refine((list) => new Set(list).size === list.length, `${label}不能重复`);

/** 新增 / 修改 接入系统. openid is always included; idcard only with 可信 (checked here and again by the server). */
export const ZOidcClientRequest = z
  .object({
    name: z.string({ error: '请输入系统名称' }).trim().min(1, '请输入系统名称').max(40, '系统名称最多40个字'),
    redirectUris: zUrlList('登录回调地址', 1),
    postLogoutRedirectUris: zUrlList('退出后跳转地址', 0).default([]),
    backchannelLogoutUri: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
      zRedirectUrl('后端退出通知地址').nullable().default(null),
    ),
    scopes: z
      .array(z.enum(OIDC_SCOPES, { error: '授权范围无效' }), { error: '请选择授权范围' })
      .max(OIDC_SCOPES.length)
      .transform((list) => OIDC_SCOPES.filter((s) => s === 'openid' || list.includes(s))),
    trusted: z.boolean({ error: '请选择是否为可信系统' }).default(false),
    enabled: z.boolean({ error: '请选择是否启用' }).default(true),
  })
  .superRefine((v, ctx) => {
    for (const scope of OIDC_TRUSTED_ONLY_SCOPES)
      if (v.scopes.includes(scope) && !v.trusted)
        ctx.addIssue({
          code: 'custom',
          path: ['scopes'],
          message: `只有可信系统才能获取${OIDC_SCOPE_LABELS[scope]}`,
        });
  });
export type TOidcClientRequest = z.input<typeof ZOidcClientRequest>;

export const ZOidcClient = z.object({
  id: z.string(),
  clientId: z.string(),
  name: z.string(),
  /** A small PNG as a data: URL (re-encoded by the server), or null. */
  logo: z.string().nullable(),
  redirectUris: z.array(z.string()),
  postLogoutRedirectUris: z.array(z.string()),
  backchannelLogoutUri: z.string().nullable(),
  scopes: z.array(z.enum(OIDC_SCOPES)),
  trusted: z.boolean(),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TOidcClient = z.infer<typeof ZOidcClient>;

/** The client secret is shown once, in the answer that made it; the server keeps it encrypted. */
export const ZOidcClientWithSecret = ZOidcClient.extend({ clientSecret: z.string() });
export type TOidcClientWithSecret = z.infer<typeof ZOidcClientWithSecret>;

/** What another system's developers configure: the issuer; everything else comes from discovery. */
export const ZOidcProviderInfo = z.object({
  issuer: z.string(),
  discoveryUrl: z.string(),
});
export const ZOidcClientList = ZOidcProviderInfo.extend({ items: z.array(ZOidcClient) });
export type TOidcClientList = z.infer<typeof ZOidcClientList>;

/** 签名密钥: the newest signs; older ones stay published in the JWKS for verification until removed. */
export const ZOidcSigningKey = z.object({
  kid: z.string(),
  alg: z.string(),
  createdAt: z.string(),
  /** The key that signs new tokens. */
  active: z.boolean(),
});
export const ZOidcSigningKeyList = z.object({ items: z.array(ZOidcSigningKey) });
export type TOidcSigningKey = z.infer<typeof ZOidcSigningKey>;

/** The consent page: who asks and what exactly it will receive (values shown masked here). */
export const ZOidcConsentDetails = z.object({
  client: z.object({ name: z.string(), logo: z.string().nullable(), trusted: z.boolean() }),
  account: z.object({ realName: z.string() }),
  items: z.array(z.object({ scope: z.enum(OIDC_SCOPES), label: z.string(), value: z.string() })),
});
export type TOidcConsentDetails = z.infer<typeof ZOidcConsentDetails>;

export const ZOidcConsentDecision = z.object({
  decision: z.enum(['approve', 'deny'], { error: '请选择同意或拒绝' }),
});
/** Where the browser goes next (back through the provider to the system). */
export const ZOidcRedirect = z.object({ redirectTo: z.string() });

/** 个人中心 → 已授权应用. */
export const ZOidcAuthorizedApp = z.object({
  clientId: z.string(),
  name: z.string(),
  logo: z.string().nullable(),
  scopes: z.array(z.enum(OIDC_SCOPES)),
  grantedAt: z.string(),
});
export const ZOidcAuthorizedAppList = z.object({ items: z.array(ZOidcAuthorizedApp) });
export type TOidcAuthorizedApp = z.infer<typeof ZOidcAuthorizedApp>;
