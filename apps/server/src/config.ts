import path from 'node:path';
import { canonicalTimeZone, DEFAULT_PLATFORM_TIME_ZONE } from '@cpe/shared/platform-zone';
import { z } from 'zod';

/** PGlite's shared_buffers unless PGLITE_SHARED_BUFFERS says otherwise (why: db/client.ts). */
export const PGLITE_SHARED_BUFFERS_DEFAULT = '16MB';

/**
 * The one typed configuration, read from the environment and validated at start.
 * README.md's configuration table lists the same variables; keep both in step.
 */
const DEFAULT_SESSION_SECRET = 'dev-only-session-secret-change-me-0000000000';
const DEFAULT_DATA_KEY = 'dev-only-data-key-change-me-000000000000000000';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  STAFF_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  STAFF_HOST: z.string().optional(),
  /** One address, or several separated by commas: the first is canonical (see `publicUrlsOf`). */
  PUBLIC_URL: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      const bad = listOf(value).filter((item) => originOf(item) === null);
      if (bad.length > 0)
        ctx.addIssue({
          code: 'custom',
          message:
            'PUBLIC_URL 的每一项应为 http:// 或 https:// 开头的完整地址，不带路径和查询参数，多个地址用英文逗号分隔 ' +
            `(each must be an absolute http(s) origin without path or query): ${bad.join(', ')}`,
        });
    }),
  STAFF_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  PGLITE_SHARED_BUFFERS: z
    .string()
    .regex(/^[1-9]\d{0,5}(kB|MB|GB)$/, '格式如 16MB、128MB（数字加 kB、MB 或 GB）')
    .default(PGLITE_SHARED_BUFFERS_DEFAULT),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET 至少32个字符').default(DEFAULT_SESSION_SECRET),
  DATA_ENCRYPTION_KEY: z.string().min(32, 'DATA_ENCRYPTION_KEY 至少32个字符').default(DEFAULT_DATA_KEY),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(12),
  DEMO_MODE: bool.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: bool.default(false),
  SMS_PROVIDER: z.enum(['local', 'aliyun']).default('local'),
  SMS_LOCAL_FAIL_PHONES: z.string().default(''),
  ALIYUN_SMS_ACCESS_KEY_ID: z.string().optional(),
  ALIYUN_SMS_ACCESS_KEY_SECRET: z.string().optional(),
  ALIYUN_SMS_SIGN_NAME: z.string().optional(),
  ALIYUN_SMS_TEMPLATE_CODE: z.string().optional(),
  ALIYUN_SMS_ENDPOINT: z.string().default('https://dysmsapi.aliyuncs.com/'),
  ALIYUN_SMS_NOTICE_TEMPLATES: z.string().default('{}'),
  EMAIL_PROVIDER: z.enum(['local', 'smtp']).default('local'),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('继续教育平台 <noreply@localhost>'),
  REALNAME_PROVIDER: z.enum(['local', 'http']).default('local'),
  REALNAME_DENY_LIST: z.string().default(''),
  REALNAME_FAIL_MODE: z.enum(['none', 'mismatch', 'unavailable']).default('none'),
  REALNAME_HTTP_URL: z.string().optional(),
  REALNAME_HTTP_APPCODE: z.string().optional(),
  /** JSON: 证件类型 the contracted service verifies → the value of its `type` field ("" = send none). */
  REALNAME_HTTP_TYPES: z.string().default('{"idCard":""}'),
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  /** S3-compatible object storage (阿里云 OSS, 腾讯云 COS, MinIO); unset endpoint = AWS itself. */
  S3_ENDPOINT: z.string().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: z.string().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),
  S3_PREFIX: z.string().default(''),
  ALLOW_LOCAL_ADAPTERS: z.string().default(''),
  BRAND_NAME: z.string().default('重庆市专业技术人员服务平台'),
  AUTH_CENTER_NAME: z.string().default('重庆市政务服务网统一认证中心'),
  STAFF_CONSOLE_NAME: z.string().default('重庆市专业技术人员继续教育管理系统（内网）'),
  HOTLINE: z.string().default('400-023-9229'),
  /** 手机学习 (seed §三(二)): the 微信公众号 people follow to study on the phone, and its QR code image (PNG/JPG). */
  WECHAT_MP_NAME: z.string().default('重庆市人力资源开发服务中心'),
  WECHAT_MP_QR_FILE: z.string().optional(),
  ORG_PROVINCE_CODE: z
    .string()
    .regex(/^\d{2}$/, 'ORG_PROVINCE_CODE 应为2位省级代码')
    .default('50'),
  ORG_CITY_BUREAU_NAME: z.string().default('重庆市人力资源和社会保障局'),
  SMS_DAILY_LIMIT_PER_PHONE: z.coerce.number().int().min(1).default(10),
  SMS_HOURLY_LIMIT_PER_IP: z.coerce.number().int().min(1).default(30),
  LOGIN_FAILURES_PER_IP: z.coerce.number().int().min(1).default(50),
  REGISTRATIONS_HOURLY_LIMIT_PER_IP: z.coerce.number().int().min(1).default(30),
  WEB_DIST_DIR: z.string().optional(),
  ORDER_EXPIRY_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** 防挂机: a question after a random amount of credited play in [min, max] seconds. */
  STUDY_CHECK_MIN_SECONDS: z.coerce.number().int().min(10).default(600),
  STUDY_CHECK_MAX_SECONDS: z.coerce.number().int().min(10).default(1200),
  STUDY_HEARTBEAT_SECONDS: z.coerce.number().int().min(5).max(15).default(15),
  /** The live channel's flood guard per socket: a burst, refilled at a rate (a player beats every 5–15 s). */
  STUDY_LIVE_BURST_FRAMES: z.coerce.number().int().min(1).default(10),
  STUDY_LIVE_FRAMES_PER_SECOND: z.coerce.number().positive().default(2),
  /**
   * Ping period of the live channel: keeps the socket open through proxies that close idle connections (阿里云 SLB's
   * HTTP listeners: 15 s by default) and ends sockets whose player is gone (no answer by the next ping).
   */
  STUDY_LIVE_PING_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  /** local: the in-app demo gateway for every channel; live: the channels whose keys are set. */
  PAYMENT_PROVIDER: z.enum(['local', 'live']).default('local'),
  ALIPAY_APP_ID: z.string().optional(),
  ALIPAY_PRIVATE_KEY: z.string().optional(),
  ALIPAY_PUBLIC_KEY: z.string().optional(),
  WECHATPAY_MCH_ID: z.string().optional(),
  WECHATPAY_APP_ID: z.string().optional(),
  WECHATPAY_API_V3_KEY: z.string().optional(),
  WECHATPAY_SERIAL_NO: z.string().optional(),
  WECHATPAY_PRIVATE_KEY: z.string().optional(),
  /** JSON object: platform certificate serial → PEM. */
  WECHATPAY_PLATFORM_CERTS: z.string().optional(),
  /** 公众号 AppSecret of WECHATPAY_APP_ID: the OAuth (snsapi_base) step that gives JSAPI the payer's openid. */
  WECHAT_MP_APP_SECRET: z.string().optional(),
  UNIONPAY_MER_ID: z.string().optional(),
  UNIONPAY_SIGN_CERT_ID: z.string().optional(),
  UNIONPAY_PRIVATE_KEY: z.string().optional(),
  /** The pinned 银联签名证书; unused when UNIONPAY_ROOT_CERT and UNIONPAY_MIDDLE_CERT are set. */
  UNIONPAY_VERIFY_CERT: z.string().optional(),
  /** acp_prod_root.cer and acp_prod_middle.cer (PEM): each message's signPubKeyCert is verified against them. */
  UNIONPAY_ROOT_CERT: z.string().optional(),
  UNIONPAY_MIDDLE_CERT: z.string().optional(),
  EINVOICE_PROVIDER: z.enum(['local', 'http']).default('local'),
  EINVOICE_HTTP_URL: z.string().optional(),
  EINVOICE_APP_ID: z.string().optional(),
  EINVOICE_APP_SECRET: z.string().optional(),
  INVOICE_SELLER_NAME: z.string().default('重庆市人力资源开发服务中心'),
  INVOICE_SELLER_TAX_NO: z.string().default('12500000MB1566913B'),
  INVOICE_ITEM_NAME: z.string().default('*教育服务*继续教育培训费'),
  /** Extra copies of each demo-gateway notification (real providers send duplicates too). */
  GATEWAY_DUPLICATE_NOTIFY: z.coerce.number().int().min(0).max(5).default(1),
  /** The organisation's signing certificate for 合格证书: a .p12 path or its base64. */
  CERT_SIGNING_P12: z.string().optional(),
  CERT_SIGNING_PASSWORD: z.string().default(''),
  CERT_ISSUER_NAME: z.string().default('重庆市人力资源开发服务中心'),
  /** A PNG seal instead of the one drawn as vectors. */
  CERT_SEAL_IMAGE: z.string().optional(),
  /**
   * Who 认定s a 学时登记 once the person's unit confirmed it: the 区县人社局 of the unit's 所在地 (district), or the unit's
   * 主管部门 when it registered under one (department; units registered directly under a district stay with it).
   */
  CREDIT_RECOGNITION_BY: z
    .enum(['district', 'department'], { error: 'CREDIT_RECOGNITION_BY 应为 district 或 department' })
    .default('district'),
  /**
   * Days an import's refused lines are kept (学时批量导入's error file, 学员注册名单's 未通过 rows): they hold other
   * people's ID numbers as typed, needed only until the sender has corrected and uploaded them again. A 学员注册名单
   * not imported within them expires, and its lines waiting for an account are deleted as well.
   */
  IMPORT_ERROR_FILE_DAYS: z.coerce.number().int().min(1).max(36_500).default(30),
  /** 课程管理: the largest course video an operator may upload. */
  VIDEO_MAX_MB: z.coerce.number().int().min(1).max(10_000).default(500),
  /**
   * The zone "today", years, day ranges and every shown time are counted in (IANA name). China keeps one zone, so
   * this is Asia/Shanghai unless the platform serves elsewhere; storage stays UTC whatever it is.
   */
  PLATFORM_TIME_ZONE: z
    .string()
    .default(DEFAULT_PLATFORM_TIME_ZONE)
    .transform((zone, ctx) => {
      const canonical = canonicalTimeZone(zone);
      if (canonical) return canonical;
      ctx.addIssue({
        code: 'custom',
        message: `PLATFORM_TIME_ZONE 应为 IANA 时区名，如 Asia/Shanghai (not a time zone): ${zone}`,
      });
      return z.NEVER;
    }),
  /** Length of each demo chapter video generated by the seed (tests use short ones). */
  DEMO_CHAPTER_SECONDS: z.coerce.number().int().min(2).max(600).default(45),
});

export type Env = z.input<typeof EnvSchema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  staffHost: string;
  port: number;
  staffPort: number;
  /**
   * The canonical public address (the first of PUBLIC_URL): what other systems and printed documents name — the
   * OpenID issuer, the certificate QR, invoice verification links, payment notify URLs providers call.
   */
  publicUrl: string;
  /**
   * Every address the portal is reached at (PUBLIC_URL's list; the first is `publicUrl`). A browser's return from a
   * provider goes back to the one it came from (http/request-origin.ts), since cookies are per host.
   */
  publicUrls: string[];
  staffUrl: string;
  /** PLATFORM_TIME_ZONE, canonical IANA name (packages/shared/src/platform-zone.ts). */
  platformTimeZone: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** PGlite's shared_buffers (db/client.ts): its memory against its speed on large data. */
  pgliteSharedBuffers: string;
  sessionSecret: string;
  dataEncryptionKey: string;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  demoMode: boolean;
  logLevel: string;
  trustProxy: boolean;
  sms: {
    provider: 'local' | 'aliyun';
    localFailPhones: string[];
    dailyLimitPerPhone: number;
    hourlyLimitPerIp: number;
    aliyun: {
      accessKeyId?: string;
      accessKeySecret?: string;
      signName?: string;
      templateCode?: string;
      noticeTemplates: Record<string, string>;
      endpoint: string;
    };
  };
  email: { provider: 'local' | 'smtp'; smtpUrl?: string; from: string };
  realname: {
    provider: 'local' | 'http';
    denyList: string[];
    failMode: 'none' | 'mismatch' | 'unavailable';
    http: { url?: string; appCode?: string; types?: Record<string, string> };
  };
  storage: {
    driver: 'local' | 's3';
    dir: string;
    s3: {
      endpoint?: string;
      region: string;
      bucket?: string;
      accessKeyId?: string;
      secretAccessKey?: string;
      forcePathStyle: boolean;
      prefix: string;
    };
  };
  courses: { videoMaxBytes: number; demoChapterSeconds: number };
  loginFailuresPerIp: number;
  /** 新用户注册 starts, and 实名认证 attempts, per client IP and hour (each counted on its own). */
  registrationsHourlyLimitPerIp: number;
  branding: { name: string; authCenterName: string; staffConsoleName: string; hotline: string };
  /** 手机学习: the 微信公众号's name, and the file of its QR code (absolute path) when there is one. */
  wechatMp: { name: string; qrFile: string | null };
  org: { provinceCode: string; cityBureauName: string };
  webDistDir: string;
  orderExpiryMs: number;
  study: {
    checkMinSeconds: number;
    checkMaxSeconds: number;
    heartbeatSeconds: number;
    live: { burstFrames: number; framesPerSecond: number; pingSeconds: number };
  };
  payment: {
    provider: 'local' | 'live';
    gatewayDuplicates: number;
    alipay?: { appId: string; privateKey: string; alipayPublicKey: string };
    wechat?: {
      mchId: string;
      appId: string;
      apiV3Key: string;
      serialNo: string;
      privateKey: string;
      platformCerts: Record<string, string>;
    };
    unionpay?: {
      merId: string;
      signCertId: string;
      privateKey: string;
      unionpayCert?: string;
      rootCert?: string;
      middleCert?: string;
    };
    /** 公众号 OAuth for WeChat JSAPI (inside WeChat); without it phones inside WeChat cannot use 微信支付. */
    wechatOauth?: { appId: string; appSecret: string };
  };
  einvoice: {
    provider: 'local' | 'http';
    http: { url?: string; appId?: string; appSecret?: string };
    sellerName: string;
    sellerTaxNo: string;
    itemName: string;
  };
  certificates: { p12?: string; password: string; issuerName: string; sealImage?: string };
  credits: { recognitionBy: 'district' | 'department' };
  /**
   * IMPORT_ERROR_FILE_DAYS: how long imports keep their refused lines, and a 学员注册名单 its lines waiting for
   * 确认导入 (context.ts's purge job deletes them after).
   */
  imports: { errorFileDays: number };
}

export class ConfigError extends Error {}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`配置无效 (invalid configuration):\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const demoMode = e.DEMO_MODE ?? !production;
  const dataDir = path.resolve(e.DATA_DIR);
  const publicUrls = publicUrlsOf(e.PUBLIC_URL, e.PORT);
  const config: Config = {
    env: e.NODE_ENV,
    host: e.HOST,
    staffHost: e.STAFF_HOST ?? e.HOST,
    port: e.PORT,
    staffPort: e.STAFF_PORT,
    publicUrl: publicUrls[0] as string,
    publicUrls,
    staffUrl: e.STAFF_URL ?? `http://localhost:${e.STAFF_PORT}`,
    platformTimeZone: e.PLATFORM_TIME_ZONE,
    dataDir,
    databaseUrl: e.DATABASE_URL || undefined,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    pgliteSharedBuffers: e.PGLITE_SHARED_BUFFERS,
    sessionSecret: e.SESSION_SECRET,
    dataEncryptionKey: e.DATA_ENCRYPTION_KEY,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    demoMode,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    sms: {
      provider: e.SMS_PROVIDER,
      localFailPhones: e.SMS_LOCAL_FAIL_PHONES.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      dailyLimitPerPhone: e.SMS_DAILY_LIMIT_PER_PHONE,
      hourlyLimitPerIp: e.SMS_HOURLY_LIMIT_PER_IP,
      aliyun: {
        accessKeyId: e.ALIYUN_SMS_ACCESS_KEY_ID,
        accessKeySecret: e.ALIYUN_SMS_ACCESS_KEY_SECRET,
        signName: e.ALIYUN_SMS_SIGN_NAME,
        templateCode: e.ALIYUN_SMS_TEMPLATE_CODE,
        noticeTemplates: parseJsonObject('ALIYUN_SMS_NOTICE_TEMPLATES', e.ALIYUN_SMS_NOTICE_TEMPLATES),
        endpoint: e.ALIYUN_SMS_ENDPOINT,
      },
    },
    email: { provider: e.EMAIL_PROVIDER, smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    realname: {
      provider: e.REALNAME_PROVIDER,
      denyList: e.REALNAME_DENY_LIST.split(',')
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean),
      failMode: e.REALNAME_FAIL_MODE,
      http: {
        url: e.REALNAME_HTTP_URL,
        appCode: e.REALNAME_HTTP_APPCODE,
        types: parseJsonObject('REALNAME_HTTP_TYPES', e.REALNAME_HTTP_TYPES) as Record<string, string>,
      },
    },
    storage: {
      driver: e.STORAGE_DRIVER,
      dir: path.join(dataDir, 'files'),
      s3: {
        endpoint: e.S3_ENDPOINT || undefined,
        region: e.S3_REGION,
        bucket: e.S3_BUCKET || undefined,
        accessKeyId: e.S3_ACCESS_KEY_ID || undefined,
        secretAccessKey: e.S3_SECRET_ACCESS_KEY || undefined,
        forcePathStyle: e.S3_FORCE_PATH_STYLE,
        prefix: e.S3_PREFIX,
      },
    },
    courses: { videoMaxBytes: e.VIDEO_MAX_MB * 1024 * 1024, demoChapterSeconds: e.DEMO_CHAPTER_SECONDS },
    loginFailuresPerIp: e.LOGIN_FAILURES_PER_IP,
    registrationsHourlyLimitPerIp: e.REGISTRATIONS_HOURLY_LIMIT_PER_IP,
    branding: {
      name: e.BRAND_NAME,
      authCenterName: e.AUTH_CENTER_NAME,
      staffConsoleName: e.STAFF_CONSOLE_NAME,
      hotline: e.HOTLINE,
    },
    wechatMp: { name: e.WECHAT_MP_NAME, qrFile: e.WECHAT_MP_QR_FILE ? path.resolve(e.WECHAT_MP_QR_FILE) : null },
    org: { provinceCode: e.ORG_PROVINCE_CODE, cityBureauName: e.ORG_CITY_BUREAU_NAME },
    webDistDir: path.resolve(e.WEB_DIST_DIR ?? path.join(import.meta.dirname, '../../web/dist')),
    orderExpiryMs: e.ORDER_EXPIRY_MINUTES * 60_000,
    study: {
      checkMinSeconds: e.STUDY_CHECK_MIN_SECONDS,
      checkMaxSeconds: Math.max(e.STUDY_CHECK_MIN_SECONDS, e.STUDY_CHECK_MAX_SECONDS),
      heartbeatSeconds: e.STUDY_HEARTBEAT_SECONDS,
      live: {
        burstFrames: e.STUDY_LIVE_BURST_FRAMES,
        framesPerSecond: e.STUDY_LIVE_FRAMES_PER_SECOND,
        pingSeconds: e.STUDY_LIVE_PING_SECONDS,
      },
    },
    payment: {
      provider: e.PAYMENT_PROVIDER,
      gatewayDuplicates: e.GATEWAY_DUPLICATE_NOTIFY,
      alipay:
        e.ALIPAY_APP_ID && e.ALIPAY_PRIVATE_KEY && e.ALIPAY_PUBLIC_KEY
          ? { appId: e.ALIPAY_APP_ID, privateKey: e.ALIPAY_PRIVATE_KEY, alipayPublicKey: e.ALIPAY_PUBLIC_KEY }
          : undefined,
      wechat:
        e.WECHATPAY_MCH_ID &&
        e.WECHATPAY_APP_ID &&
        e.WECHATPAY_API_V3_KEY &&
        e.WECHATPAY_SERIAL_NO &&
        e.WECHATPAY_PRIVATE_KEY &&
        e.WECHATPAY_PLATFORM_CERTS
          ? {
              mchId: e.WECHATPAY_MCH_ID,
              appId: e.WECHATPAY_APP_ID,
              apiV3Key: e.WECHATPAY_API_V3_KEY,
              serialNo: e.WECHATPAY_SERIAL_NO,
              privateKey: e.WECHATPAY_PRIVATE_KEY,
              platformCerts: parseJsonObject('WECHATPAY_PLATFORM_CERTS', e.WECHATPAY_PLATFORM_CERTS),
            }
          : undefined,
      unionpay:
        e.UNIONPAY_MER_ID &&
        e.UNIONPAY_SIGN_CERT_ID &&
        e.UNIONPAY_PRIVATE_KEY &&
        (e.UNIONPAY_VERIFY_CERT || (e.UNIONPAY_ROOT_CERT && e.UNIONPAY_MIDDLE_CERT))
          ? {
              merId: e.UNIONPAY_MER_ID,
              signCertId: e.UNIONPAY_SIGN_CERT_ID,
              privateKey: e.UNIONPAY_PRIVATE_KEY,
              unionpayCert: e.UNIONPAY_VERIFY_CERT,
              rootCert: e.UNIONPAY_ROOT_CERT,
              middleCert: e.UNIONPAY_MIDDLE_CERT,
            }
          : undefined,
      wechatOauth:
        e.WECHATPAY_APP_ID && e.WECHAT_MP_APP_SECRET
          ? { appId: e.WECHATPAY_APP_ID, appSecret: e.WECHAT_MP_APP_SECRET }
          : undefined,
    },
    einvoice: {
      provider: e.EINVOICE_PROVIDER,
      http: { url: e.EINVOICE_HTTP_URL, appId: e.EINVOICE_APP_ID, appSecret: e.EINVOICE_APP_SECRET },
      sellerName: e.INVOICE_SELLER_NAME,
      sellerTaxNo: e.INVOICE_SELLER_TAX_NO,
      itemName: e.INVOICE_ITEM_NAME,
    },
    certificates: {
      p12: e.CERT_SIGNING_P12 || undefined,
      password: e.CERT_SIGNING_PASSWORD,
      issuerName: e.CERT_ISSUER_NAME,
      sealImage: e.CERT_SEAL_IMAGE || undefined,
    },
    credits: { recognitionBy: e.CREDIT_RECOGNITION_BY },
    imports: { errorFileDays: e.IMPORT_ERROR_FILE_DAYS },
  };
  if (
    config.payment.provider === 'live' &&
    !config.payment.alipay &&
    !config.payment.wechat &&
    !config.payment.unionpay
  )
    throw new ConfigError('PAYMENT_PROVIDER=live 需要至少配置一个支付渠道（ALIPAY_*、WECHATPAY_* 或 UNIONPAY_*）');
  if (config.einvoice.provider === 'http') {
    const h = config.einvoice.http;
    if (!h.url || !h.appId || !h.appSecret)
      throw new ConfigError('EINVOICE_PROVIDER=http 需要设置 EINVOICE_HTTP_URL、EINVOICE_APP_ID、EINVOICE_APP_SECRET');
  }
  if (production) checkProduction(config, e.ALLOW_LOCAL_ADAPTERS);
  if (config.sms.provider === 'aliyun') {
    const a = config.sms.aliyun;
    if (!a.accessKeyId || !a.accessKeySecret || !a.signName || !a.templateCode) {
      throw new ConfigError(
        'SMS_PROVIDER=aliyun 需要设置 ALIYUN_SMS_ACCESS_KEY_ID、ALIYUN_SMS_ACCESS_KEY_SECRET、ALIYUN_SMS_SIGN_NAME、ALIYUN_SMS_TEMPLATE_CODE',
      );
    }
  }
  if (config.email.provider === 'smtp' && !config.email.smtpUrl) {
    throw new ConfigError('EMAIL_PROVIDER=smtp 需要设置 SMTP_URL，例如 smtps://用户名:密码@smtp.example.com:465');
  }
  if (config.realname.provider === 'http' && (!config.realname.http.url || !config.realname.http.appCode)) {
    throw new ConfigError('REALNAME_PROVIDER=http 需要设置 REALNAME_HTTP_URL 和 REALNAME_HTTP_APPCODE');
  }
  if (config.storage.driver === 's3') {
    const s3 = config.storage.s3;
    const missing = (
      [
        ['S3_BUCKET', s3.bucket],
        ['S3_ACCESS_KEY_ID', s3.accessKeyId],
        ['S3_SECRET_ACCESS_KEY', s3.secretAccessKey],
      ] as const
    )
      .filter(([, value]) => !value)
      .map(([name]) => name);
    if (missing.length > 0) throw new ConfigError(`STORAGE_DRIVER=s3 需要设置 ${missing.join('、')}`);
  }
  return config;
}

/**
 * PUBLIC_URL: one origin or a comma-separated list (a portal reached by its domain and by an intranet name or IP).
 * Each must be an absolute http(s) origin — no path but '/', no query, fragment or user — because each is used
 * as the base of return URLs; kept as `scheme://host[:port]`, without the trailing slash, duplicates dropped.
 * Unset or empty: the two loopback names of PORT, `localhost` first (what `npm start` prints), so a demo opened
 * at either stays signed in across a payment.
 */
function publicUrlsOf(raw: string | undefined, port: number): string[] {
  const items = listOf(raw);
  if (items.length === 0) return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  return [...new Set(items.map((item) => originOf(item) as string))];
}

const listOf = (raw: string | undefined) =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** `scheme://host[:port]` of an absolute http(s) URL with nothing after the host but '/'; else null. */
function originOf(value: string): string | null {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return null;
  }
  const plain =
    (u.protocol === 'http:' || u.protocol === 'https:') &&
    !!u.hostname &&
    !u.username &&
    !u.password &&
    u.pathname === '/' &&
    !u.search &&
    !u.hash &&
    // `new URL` forgives what an operator should not rely on: `?` or `#` with nothing after them.
    !/[?#]/.test(value);
  return plain ? u.origin : null;
}

function parseJsonObject(name: string, raw: string): Record<string, string> {
  try {
    const v = JSON.parse(raw) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, string>;
  } catch {
    // reported below
  }
  throw new ConfigError(`${name} 应为 JSON 对象，例如 {"证书序列号":"-----BEGIN CERTIFICATE-----…"}`);
}

/** Production refuses the settings that are only safe on a developer's machine, naming the variable to set. */
function checkProduction(config: Config, allowLocal: string): void {
  const problems: string[] = [];
  if (config.sessionSecret === DEFAULT_SESSION_SECRET) {
    problems.push('SESSION_SECRET 仍为默认值：请设置 SESSION_SECRET 为至少32位的随机字符串');
  }
  if (config.dataEncryptionKey === DEFAULT_DATA_KEY) {
    problems.push('DATA_ENCRYPTION_KEY 仍为默认值：请设置 DATA_ENCRYPTION_KEY 为至少32位的随机字符串');
  }
  if (config.demoMode) problems.push('演示模式已开启：请设置 DEMO_MODE=false');
  const allowed = new Set(
    allowLocal
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const local: Array<[string, string, boolean]> = [
    ['sms', 'SMS_PROVIDER', config.sms.provider === 'local'],
    ['email', 'EMAIL_PROVIDER', config.email.provider === 'local'],
    ['realname', 'REALNAME_PROVIDER', config.realname.provider === 'local'],
    ['storage', 'STORAGE_DRIVER', config.storage.driver === 'local'],
    ['payment', 'PAYMENT_PROVIDER', config.payment.provider === 'local'],
    ['einvoice', 'EINVOICE_PROVIDER', config.einvoice.provider === 'local'],
    // Without CERT_SIGNING_P12 certificates are signed by a self-signed demo certificate ("issuer unknown").
    ['certificates', 'CERT_SIGNING_P12', !config.certificates.p12],
  ];
  for (const [name, variable, isLocal] of local) {
    if (isLocal && !allowed.has(name)) {
      problems.push(
        `${name} 使用本地(开发)适配器：请设置 ${variable} 选择真实服务，或设置 ALLOW_LOCAL_ADAPTERS=${name} 明确允许`,
      );
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`生产环境拒绝启动 (NODE_ENV=production):\n  ${problems.join('\n  ')}`);
  }
}
