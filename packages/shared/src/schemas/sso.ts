import { z } from 'zod';
import { ID_TYPES } from '../validators/id-document.js';
import { ZMeResponse, zCaptchaCode, zCaptchaId, zPhone, zSmsCode } from './identity.js';

/**
 * 第三方登录 (brokered login): 政务服务网, 电子营业执照 and any OpenID Connect provider, and 微信 网站应用 (OAuth 2 with
 * WeChat's own endpoints). Staff configure them in 系统管理 → 第三方登录; the login page shows the enabled ones.
 */
export const LOGIN_PROVIDER_TYPES = ['oidc', 'wechat'] as const;
export type TLoginProviderType = (typeof LOGIN_PROVIDER_TYPES)[number];
export const LOGIN_PROVIDER_TYPE_LABELS: Record<TLoginProviderType, string> = {
  oidc: 'OpenID Connect（政务服务网、电子营业执照等）',
  wechat: '微信登录（微信开放平台 网站应用）',
};

export const LOGIN_PROVIDER_ICONS = ['gov', 'e-license', 'wechat', 'key'] as const;
export type TLoginProviderIcon = (typeof LOGIN_PROVIDER_ICONS)[number];
export const LOGIN_PROVIDER_ICON_LABELS: Record<TLoginProviderIcon, string> = {
  gov: '政务服务',
  'e-license': '电子营业执照',
  wechat: '微信',
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
  clientId: z
    .string({ error: '请输入 Client ID / AppID' })
    .trim()
    .min(1, '请输入 Client ID / AppID')
    .max(200, 'Client ID / AppID 最多200个字符'),
  clientSecret: z.string().trim().max(500, 'Client Secret / AppSecret 最多500个字符').optional(),
  scopes: z
    .string({ error: '请输入 scope' })
    .trim()
    .min(1, '请输入 scope')
    .max(200, 'scope 最多200个字符')
    .regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, 'scope 以空格分隔，不能含引号或反斜杠'),
  idNumberClaim: zClaim('证件号码声明'),
  nameClaim: zClaim('姓名声明'),
  usccClaim: zClaim('统一社会信用代码声明'),
  enabled: z.boolean({ error: '请选择是否启用' }),
  sortOrder: z.coerce.number().int('排序应为整数').min(0, '排序不能小于0').max(999, '排序不能大于999').default(0),
});
function checkProvider(v: { type: TLoginProviderType; issuer?: string | null; scopes: string }, ctx: z.RefinementCtx) {
  if (v.type !== 'oidc') return;
  if (!v.issuer) ctx.addIssue({ code: 'custom', path: ['issuer'], message: '请输入 Issuer（发行方地址）' });
  if (!v.scopes.split(' ').includes('openid'))
    ctx.addIssue({ code: 'custom', path: ['scopes'], message: 'OpenID Connect 的 scope 须包含 openid' });
}
export const ZLoginProviderInput = zProviderFields.superRefine(checkProvider);
export type TLoginProviderInput = z.input<typeof ZLoginProviderInput>;

export const ZLoginProviderCreate = zProviderFields
  .extend({
    id: z
      .string({ error: '请输入标识' })
      .trim()
      .regex(LOGIN_PROVIDER_ID_RE, '标识为2-32位小写字母、数字或连字符，以字母开头'),
    clientSecret: z
      .string({ error: '请输入 Client Secret / AppSecret' })
      .trim()
      .min(1, '请输入 Client Secret / AppSecret')
      .max(500, 'Client Secret / AppSecret 最多500个字符'),
  })
  .superRefine(checkProvider);
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
