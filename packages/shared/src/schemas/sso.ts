import { z } from 'zod';
import { ID_TYPES } from '../validators/id-document.js';
import { ZMeResponse, zCaptchaCode, zCaptchaId, zPhone, zSmsCode } from './identity.js';

/**
 * 第三方登录 (brokered login): 政务服务网, 电子营业执照 and any OpenID Connect provider, and 微信 网站应用 (OAuth 2 with
 * WeChat's own endpoints). Staff configure them in 系统管理 → 第三方登录; the login page shows the enabled ones.
 */
export const LOGIN_PROVIDER_TYPES = ['oidc', 'wechat', 'ca'] as const;
export type TLoginProviderType = (typeof LOGIN_PROVIDER_TYPES)[number];
/** The types that send the browser to the provider and back with an authorisation code; `ca` signs in place. */
export const REDIRECT_PROVIDER_TYPES = ['oidc', 'wechat'] as const;
export type TRedirectProviderType = (typeof REDIRECT_PROVIDER_TYPES)[number];
export const isRedirectProvider = (t: string): t is TRedirectProviderType =>
  (REDIRECT_PROVIDER_TYPES as readonly string[]).includes(t);
export const LOGIN_PROVIDER_TYPE_LABELS: Record<TLoginProviderType, string> = {
  oidc: 'OpenID Connect（政务服务网、电子营业执照等）',
  wechat: '微信登录（微信开放平台 网站应用）',
  ca: 'CA 数字证书登录（USB Key 签名）',
};

export const LOGIN_PROVIDER_ICONS = ['gov', 'e-license', 'wechat', 'ca', 'key'] as const;
export type TLoginProviderIcon = (typeof LOGIN_PROVIDER_ICONS)[number];
export const LOGIN_PROVIDER_ICON_LABELS: Record<TLoginProviderIcon, string> = {
  gov: '政务服务',
  'e-license': '电子营业执照',
  wechat: '微信',
  ca: 'CA 证书',
  key: '通用',
};

/** WeChat's real endpoints; a stand-in (demo mode, tests) replaces both bases. */
export const WECHAT_OPEN_BASE_URL = 'https://open.weixin.qq.com';
export const WECHAT_API_BASE_URL = 'https://api.weixin.qq.com';

/** What the login page needs of an enabled provider. */
export const ZLoginProviderPublic = z.object({
  id: z.string(),
  name: z.string(),
  icon: z.enum(LOGIN_PROVIDER_ICONS),
  type: z.enum(LOGIN_PROVIDER_TYPES),
  /** `ca`: the page of the CA's signing program (the USB key's bridge) the login page talks to. */
  signerUrl: z.string().nullable(),
});
export const ZLoginProviderPublicList = z.object({ items: z.array(ZLoginProviderPublic) });
export type TLoginProviderPublic = z.infer<typeof ZLoginProviderPublic>;

const zUrl = (label: string) =>
  z
    .string({ error: `请输入${label}` })
    .trim()
    .max(300, `${label}最多300个字符`)
    .refine((v) => {
      try {
        const u = new URL(v);
        return (u.protocol === 'https:' || u.protocol === 'http:') && !u.search && !u.hash && !u.username;
      } catch {
        return false;
      }
    }, `${label}应为 https:// 开头的网址，不含查询参数`);
const zOptionalUrl = (label: string) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), zUrl(label).nullish());
const zClaim = (label: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
    z
      .string()
      .trim()
      .regex(/^[A-Za-z_][\w:-]*(\.[A-Za-z_][\w:-]*)*$/, `${label}应为声明名称，如 id_card 或 person.idno`)
      .max(64, `${label}最多64个字符`)
      .nullish(),
  );

export const LOGIN_PROVIDER_ID_RE = /^[a-z][a-z0-9-]{1,31}$/;

/** 新增 / 修改: the secret is write-only; on 修改 an empty one keeps the stored secret. */
const zProviderFields = z.object({
  name: z.string({ error: '请输入显示名称' }).trim().min(1, '请输入显示名称').max(30, '显示名称最多30个字'),
  type: z.enum(LOGIN_PROVIDER_TYPES, { error: '请选择协议类型' }),
  icon: z.enum(LOGIN_PROVIDER_ICONS, { error: '请选择图标' }),
  issuer: zOptionalUrl('Issuer'),
  openBaseUrl: zOptionalUrl('微信开放平台地址'),
  apiBaseUrl: zOptionalUrl('微信接口地址'),
  clientId: z.string().trim().max(200, 'Client ID / AppID 最多200个字符').default(''),
  clientSecret: z.string().trim().max(500, 'Client Secret / AppSecret 最多500个字符').optional(),
  scopes: z
    .string()
    .trim()
    .max(200, 'scope 最多200个字符')
    .regex(/^([\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*)?$/, 'scope 以空格分隔，不能含引号或反斜杠')
    .default(''),
  idNumberClaim: zClaim('证件号码声明'),
  nameClaim: zClaim('姓名声明'),
  usccClaim: zClaim('统一社会信用代码声明'),
  /** `ca`: the trusted CA certificates (PEM, one or more); the server checks that they parse and are CAs. */
  caCertificates: z
    .string()
    .max(65_536, 'CA 证书最多64KB')
    .nullish()
    .transform((v) => (v?.trim() ? v.trim() : null)),
  signerUrl: zOptionalUrl('签名程序地址'),
  enabled: z.boolean({ error: '请选择是否启用' }),
  sortOrder: z.coerce.number().int('排序应为整数').min(0, '排序不能小于0').max(999, '排序不能大于999').default(0),
});
function checkProvider(
  v: {
    type: TLoginProviderType;
    issuer?: string | null;
    clientId: string;
    scopes: string;
    caCertificates?: string | null;
    signerUrl?: string | null;
  },
  ctx: z.RefinementCtx,
) {
  const need = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (v.type === 'ca') {
    if (!v.caCertificates) need('caCertificates', '请粘贴或上传受信任的 CA 证书（PEM 格式）');
    if (!v.signerUrl) need('signerUrl', '请输入签名程序地址');
    return;
  }
  if (!v.clientId) need('clientId', '请输入 Client ID / AppID');
  if (!v.scopes) need('scopes', '请输入 scope');
  if (v.type !== 'oidc') return;
  if (!v.issuer) need('issuer', '请输入 Issuer（发行方地址）');
  if (v.scopes && !v.scopes.split(' ').includes('openid')) need('scopes', 'OpenID Connect 的 scope 须包含 openid');
}
export const ZLoginProviderInput = zProviderFields.superRefine(checkProvider);
export type TLoginProviderInput = z.input<typeof ZLoginProviderInput>;

export const ZLoginProviderCreate = zProviderFields
  .extend({
    id: z
      .string({ error: '请输入标识' })
      .trim()
      .regex(LOGIN_PROVIDER_ID_RE, '标识为2-32位小写字母、数字或连字符，以字母开头'),
  })
  .superRefine((v, ctx) => {
    checkProvider(v, ctx);
    if (v.type !== 'ca' && !v.clientSecret)
      ctx.addIssue({ code: 'custom', path: ['clientSecret'], message: '请输入 Client Secret / AppSecret' });
  });
export type TLoginProviderCreate = z.input<typeof ZLoginProviderCreate>;

/** What the console shows: everything but the secret, and the callback address to register with the provider. */
export const ZLoginProviderAdmin = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(LOGIN_PROVIDER_TYPES),
  icon: z.enum(LOGIN_PROVIDER_ICONS),
  issuer: z.string().nullable(),
  openBaseUrl: z.string().nullable(),
  apiBaseUrl: z.string().nullable(),
  clientId: z.string(),
  hasSecret: z.boolean(),
  scopes: z.string(),
  idNumberClaim: z.string().nullable(),
  nameClaim: z.string().nullable(),
  usccClaim: z.string().nullable(),
  signerUrl: z.string().nullable(),
  /** `ca`: the trusted CA certificates as saved, and what they say. */
  caCertificates: z.string().nullable(),
  caCertificateInfo: z.array(
    z.object({ subject: z.string(), serialNumber: z.string(), validFrom: z.string(), validTo: z.string() }),
  ),
  /** `ca`: the revocation list last uploaded. */
  crl: z
    .object({ thisUpdate: z.string(), nextUpdate: z.string().nullable(), uploadedAt: z.string(), entries: z.number() })
    .nullable(),
  enabled: z.boolean(),
  sortOrder: z.number().int(),
  callbackUrl: z.string(),
  linkedAccounts: z.number().int(),
  updatedAt: z.string(),
});
export type TLoginProviderAdmin = z.infer<typeof ZLoginProviderAdmin>;
export const ZLoginProviderAdminList = z.object({ items: z.array(ZLoginProviderAdmin) });
export const ZLoginProviderParams = z.object({
  id: z.string().regex(LOGIN_PROVIDER_ID_RE, '标识无效'),
});
/** 上传吊销列表: the CRL file as base64 (DER) or its PEM text; up to 10 MB of file. */
export const ZCaCrlUpload = z.object({
  crl: z.string({ error: '请选择吊销列表文件' }).min(1, '请选择吊销列表文件').max(14_000_000, '吊销列表文件最大10MB'),
});

/** 测试连接: the provider's discovery document (OIDC) or its endpoints (微信) answered, or why not. */
export const ZLoginProviderCheck = z.object({ ok: z.boolean(), message: z.string() });

// ---- the browser's round trip ----

/** Where to land after the login: a path of this site (anything else, or too long, lands on 个人中心). */
export const ZSsoStartQuery = z.object({ redirect: z.string().max(4096).optional() });

/**
 * After the callback, when the provider's subject is not linked yet:
 * - `link`: its verified 证件号码 is an account's; the person confirms with that account's password or an SMS code;
 * - `register`: verified, but no account has the number; registration opens with name and number filled in;
 * - `choose`: the provider proves no 证件号码 (微信): link any account (password or SMS code) or register.
 */
export const SSO_PENDING_MODES = ['link', 'register', 'choose'] as const;
export const ZSsoPending = z.object({
  provider: ZLoginProviderPublic,
  mode: z.enum(SSO_PENDING_MODES),
  /** The provider's own display name for the person (微信昵称), when it gives one. */
  label: z.string().nullable(),
  /** `link`: the account the verified number belongs to, masked. */
  account: z
    .object({ realNameMasked: z.string(), idNumberMasked: z.string(), phoneMasked: z.string().nullable() })
    .nullable(),
  /** `register`: the verified identity, filled into the registration form (read-only there). */
  identity: z.object({ realName: z.string(), idType: z.enum(ID_TYPES), idNumber: z.string() }).nullable(),
  expiresAt: z.string(),
});
export type TSsoPending = z.infer<typeof ZSsoPending>;

export const ZSsoLinkPasswordRequest = z.object({
  /** `choose` only: 用户名/手机号/证件号码 of the account to link; `link` uses the account the number found. */
  identifier: z.string().trim().max(64).optional(),
  password: z.string({ error: '请输入密码' }).min(1, '请输入密码').max(128),
  sliderToken: z.string({ error: '请向右滑动完成验证' }).min(1, '请向右滑动完成验证').max(128),
});
export const ZSsoLinkSmsSendRequest = z.object({
  /** `choose` only: the phone of the account to link. */
  phone: zPhone.optional(),
  captchaId: zCaptchaId,
  captchaCode: zCaptchaCode,
});
export const ZSsoLinkSmsRequest = z.object({ phone: zPhone.optional(), smsCode: zSmsCode });
export const ZSsoLinked = z.object({ me: ZMeResponse, redirect: z.string() });

/** 个人中心 → 第三方账号. */
export const ZAccountLogin = z.object({
  providerId: z.string(),
  name: z.string(),
  icon: z.enum(LOGIN_PROVIDER_ICONS),
  linkedAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export const ZAccountLoginList = z.object({ items: z.array(ZAccountLogin) });
export type TAccountLogin = z.infer<typeof ZAccountLogin>;

// ---- CA 证书登录 ----

/** The one-time text the USB key signs; valid for a few minutes and for one login. */
export const ZCaChallenge = z.object({ challenge: z.string(), expiresAt: z.string() });
export type TCaChallenge = z.infer<typeof ZCaChallenge>;

/** What the signing program hands back: the certificate (PEM or base64 DER) and the signature (base64). */
export const ZCaLoginRequest = z.object({
  challenge: z.string({ error: '缺少签名原文' }).min(1, '缺少签名原文').max(300, '签名原文无效'),
  certificate: z.string({ error: '缺少证书' }).min(1, '缺少证书').max(16_384, '证书最大16KB'),
  signature: z.string({ error: '缺少签名' }).min(1, '缺少签名').max(4_096, '签名最长4096个字符'),
  redirect: z.string().max(4096).optional(),
});
export type TCaLoginRequest = z.infer<typeof ZCaLoginRequest>;

/** Signed in (`login`), or sent on to confirm the link or to register (`pending`, the page to open). */
export const ZCaLoginResponse = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('login'), me: ZMeResponse, redirect: z.string() }),
  z.object({ kind: z.literal('pending'), next: z.string() }),
]);
export type TCaLoginResponse = z.infer<typeof ZCaLoginResponse>;

/**
 * The messages between the login page and the signing program's page (a USB key's browser bridge, or the demo's
 * 演示证书 page): the login page sends the challenge, the signer answers with the certificate and the signature.
 */
export const CA_SIGNER_READY = 'cpe-ca-signer-ready';
export const CA_SIGN_REQUEST = 'cpe-ca-sign';
export const CA_SIGN_RESULT = 'cpe-ca-signature';
export const CA_SIGN_CANCELLED = 'cpe-ca-sign-cancelled';

/** Demo mode: the 演示证书 the demo signing page holds (with their private keys: a stand-in for the USB key). */
export const ZDemoCaCertificates = z.object({
  pin: z.string(),
  items: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      holder: z.string(),
      kind: z.enum(['person', 'unit']),
      keyType: z.enum(['rsa', 'ec']),
      certificate: z.string(),
      privateKey: z.string(),
      validTo: z.string(),
    }),
  ),
});
export type TDemoCaCertificates = z.infer<typeof ZDemoCaCertificates>;
