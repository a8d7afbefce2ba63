import { z } from 'zod';
import {
  normalizePhone,
  PASSWORD_MESSAGES,
  PHONE_RE,
  REAL_NAME_RE,
  SMS_CODE_RE,
  USERNAME_RE,
  validatePassword,
} from '../validators/account.js';
import {
  ID_TYPES,
  type IdType,
  idDocumentMessage,
  isForeignNationality,
  normalizeIdDocument,
  untypedIdDocument,
  validateIdDocument,
} from '../validators/id-document.js';
import { ID_NUMBER_MESSAGES } from '../validators/id-number.js';

/** Every field's message names the field (用户账号…), so a list of errors reads well on its own. */
export const zUsername = z
  .string({ error: '请输入用户账号' })
  .trim()
  .min(1, '请输入用户账号')
  .regex(USERNAME_RE, '用户账号须以字母开头，由4-30位字母、数字或下划线组成');

export const zPhone = z
  .string({ error: '请输入您的手机号码' })
  .transform(normalizePhone)
  .pipe(z.string().min(1, '请输入您的手机号码').regex(PHONE_RE, '手机号格式不正确，请输入11位中国大陆手机号'));

/**
 * A document number typed without its type (人工找回, lists): any type recognisable by its shape (身份证, 居住证,
 * 永居证), checked by that type's rules and messages; anything else by the 身份证's.
 */
export const zIdNumber = z
  .string({ error: ID_NUMBER_MESSAGES.required })
  .max(64, '证件号码过长')
  .transform(normalizeIdDocument)
  .superRefine((value, ctx) => {
    const { error, message } = untypedIdDocument(value);
    if (error && message) ctx.addIssue({ code: 'custom', message, params: { rule: error } });
  });

export const zRealName = z
  .string({ error: '请输入您的真实姓名' })
  .trim()
  .min(1, '请输入您的真实姓名')
  .regex(REAL_NAME_RE, '用户姓名应为2-30位汉字，少数民族姓名可用“·”分隔；外文姓名为字母，单词间可用空格分隔');

export const zSmsCode = z.string({ error: '请输入短信验证码' }).trim().regex(SMS_CODE_RE, '短信验证码为6位数字');
export const zCaptchaId = z.string({ error: '请刷新图片验证码' }).min(1, '请刷新图片验证码').max(64);
export const zCaptchaCode = z
  .string({ error: '请输入图片验证码' })
  .trim()
  .min(1, '图片验证码不能为空')
  .max(10, '图片验证码错误');

export const zPassword = z.string({ error: '请输入登录密码' }).min(1, '请输入登录密码').max(128);

/** Applies the password rules with the username known; used by registration, reset and change. */
function checkNewPassword(
  value: { password: string; confirmPassword: string; username?: string },
  ctx: z.RefinementCtx,
): void {
  // zod 4 runs object refinements even when a field already failed: only check what is there.
  if (typeof value.password !== 'string' || typeof value.confirmPassword !== 'string') return;
  const error = validatePassword(value.password, value.username);
  if (error) ctx.addIssue({ code: 'custom', path: ['password'], message: PASSWORD_MESSAGES[error] });
  if (value.password !== value.confirmPassword) {
    ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: '两次输入的密码不一致' });
  }
}

/**
 * 证件类型 + 证件号码 (+ 国籍 for a 护照) as one concept: the number is checked by its declared type, with the
 * type's own messages. `zIdDocumentFields` are spread into an object and `checkIdDocument` refines it.
 */
export const zIdDocumentFields = {
  idType: z.enum(ID_TYPES, { error: '请选择证件类型' }),
  idNumber: z.string({ error: '请输入证件号码' }).max(64, '证件号码过长').transform(normalizeIdDocument),
  nationality: z.string().trim().toUpperCase().max(3).nullish(),
};
export function checkIdDocument(
  value: { idType?: IdType; idNumber?: string; nationality?: string | null },
  ctx: z.RefinementCtx,
): void {
  if (!value.idType || typeof value.idNumber !== 'string') return;
  const error = validateIdDocument(value.idType, value.idNumber);
  if (error)
    ctx.addIssue({
      code: 'custom',
      path: ['idNumber'],
      message: idDocumentMessage(value.idType, error, value.idNumber),
      params: { rule: error },
    });
  if (value.idType === 'passport' && !(value.nationality && isForeignNationality(value.nationality)))
    ctx.addIssue({ code: 'custom', path: ['nationality'], message: '请选择护照签发国（国籍）' });
}

/** `sso-link`: proving an account is one's own when linking a 第三方登录 to it. */
export const SMS_PURPOSES = ['register', 'reset', 'change-phone', 'sso-link'] as const;
export type TSmsPurpose = (typeof SMS_PURPOSES)[number];

// ---- captcha ----
export const ZImageCaptchaResponse = z.object({
  id: z.string(),
  image: z.string().describe('data:image/png;base64,…'),
});
export const ZSliderCaptchaResponse = z.object({
  id: z.string(),
  background: z.string(),
  piece: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  pieceSize: z.number().int(),
  pieceY: z.number().int(),
});
export const ZSliderVerifyRequest = z.object({ x: z.number({ error: '请向右滑动完成验证' }).min(0).max(1000) });
export const ZSliderVerifyResponse = z.object({ token: z.string(), expiresInSeconds: z.number() });

// ---- sms ----
export const ZSendSmsRequest = z.object({
  phone: zPhone,
  purpose: z.enum(['register', 'change-phone'], { error: '短信用途无效' }),
  captchaId: zCaptchaId,
  captchaCode: zCaptchaCode,
});
export const ZSendSmsResponse = z.object({ resendAfterSeconds: z.number().int(), expiresInSeconds: z.number().int() });

// ---- registration (新用户注册) ----
export const ZRegistrationBasicRequest = z
  .object({
    username: zUsername,
    password: zPassword,
    confirmPassword: z.string({ error: '请输入确认密码' }).min(1, '请输入确认密码'),
    realName: zRealName,
    ...zIdDocumentFields,
    phone: zPhone,
    smsCode: zSmsCode,
    agree: z.literal(true, { error: '请阅读并同意注册协议' }),
    /** From a 第三方登录: link the account to it (its verified name and number replace what was typed). */
    sso: z.boolean().optional(),
  })
  .superRefine((value, ctx) => {
    checkNewPassword(value, ctx);
    checkIdDocument(value, ctx);
  });
export type TRegistrationBasicRequest = z.input<typeof ZRegistrationBasicRequest>;

export const ZRegistrationFlowResponse = z.object({
  token: z.string(),
  username: z.string(),
  realName: z.string(),
  idType: z.enum(ID_TYPES),
  idNumberMasked: z.string(),
  phoneMasked: z.string(),
  expiresAt: z.string(),
  /**
   * How step 2 verifies the person: `online` by the 实名认证 service (POST /api/registrations/complete); `manual`
   * for a document the service cannot verify (every 护照), by staff from a photo (POST /api/registrations/manual).
   */
  verification: z.enum(['online', 'manual']),
});
/** Step 2 lets the person correct name and document after a failed 实名认证 without a new SMS. */
export const ZRegistrationIdentityFields = z.object({ realName: zRealName, ...zIdDocumentFields });
export const ZRegistrationIdentityRequest = ZRegistrationIdentityFields.superRefine(checkIdDocument);
export const ZRegistrationCompleteResponse = z.object({ username: z.string() });
/** The account exists and can sign in; buying and studying wait for the staff's 实名审核. */
export const ZRegistrationManualResponse = z.object({ username: z.string(), realNameStatus: z.literal('pending') });

/**
 * Where a person's 实名 stands: verified (online, by a 学员注册名单, or by staff), waiting for staff (pending),
 * refused by staff (rejected, with the reason; the person may submit again), or none of these.
 */
export const REALNAME_STATUSES = ['verified', 'pending', 'rejected', 'none'] as const;
export type TRealnameStatus = (typeof REALNAME_STATUSES)[number];
export const REALNAME_STATUS_LABELS: Record<TRealnameStatus, string> = {
  verified: '已实名认证',
  pending: '人工审核中',
  rejected: '未通过',
  none: '未认证',
};

// ---- login (统一认证中心) ----
export const ZPersonLoginRequest = z.object({
  loginType: z.literal('person'),
  identifier: z
    .string({ error: '请输入用户名/手机号码/身份证号' })
    .trim()
    .min(1, '请输入用户名/手机号码/身份证号')
    .max(64),
  password: zPassword,
  sliderToken: z.string({ error: '请向右滑动完成验证' }).min(1, '请向右滑动完成验证'),
});
export const ZLegalLoginRequest = z.object({
  loginType: z.literal('legal'),
  uscc: z.string({ error: '请输入统一社会信用代码' }).trim().min(1, '请输入统一社会信用代码').max(32),
  password: zPassword,
  sliderToken: z.string({ error: '请向右滑动完成验证' }).min(1, '请向右滑动完成验证'),
});
export const ZLoginRequest = z.discriminatedUnion('loginType', [ZPersonLoginRequest, ZLegalLoginRequest], {
  error: '请选择登录方式',
});
export type TLoginRequest = z.input<typeof ZLoginRequest>;

export const ZStaffLoginRequest = z.object({
  username: z.string({ error: '请输入用户名' }).trim().min(1, '请输入用户名').max(64),
  password: zPassword,
  sliderToken: z.string({ error: '请向右滑动完成验证' }).min(1, '请向右滑动完成验证'),
});

export const ZMeResponse = z.object({
  id: z.string(),
  username: z.string(),
  realName: z.string(),
  idType: z.enum(ID_TYPES),
  idNumberMasked: z.string(),
  phoneMasked: z.string().nullable(),
  /** ISO 3166-1 alpha-3 of a 护照 holder; null for every other 证件类型. */
  nationality: z.string().nullable(),
  realNameVerified: z.boolean(),
  realNameStatus: z.enum(REALNAME_STATUSES),
  /** The staff's reason when the latest 人工实名审核 was refused. */
  realNameRejectReason: z.string().nullable(),
  mustChangePassword: z.boolean(),
  /** An approved unit administrator: 继续教育 leads to 单位中心 (else to 注册管理员). */
  unitAdmin: z.boolean(),
  createdAt: z.string(),
});
export type TMeResponse = z.infer<typeof ZMeResponse>;

export const STAFF_ROLE_LABELS: Record<string, string> = {
  sysadmin: '系统管理员',
  reviewer: '审核员',
  'recovery-handler': '人工找回/实名审核',
  'training-operator': '培训中心运营',
  'pii-viewer': '查看完整身份信息',
};
export const ZStaffMeResponse = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.string()),
  orgNodeId: z.string().nullable(),
  orgNodeName: z.string().nullable(),
  /** city (市人社局) or district (区县人社局): decides which intranet menus apply. */
  orgNodeKind: z.enum(['city', 'district', 'department']).nullable(),
  status: z.enum(['active', 'disabled']),
});
export const ZStaffList = z.object({
  items: z.array(ZStaffMeResponse),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
const zStaffRoles = z
  .array(z.enum(['sysadmin', 'reviewer', 'recovery-handler', 'training-operator', 'pii-viewer'], { error: '角色无效' }))
  .max(5)
  .refine((r) => new Set(r).size === r.length, '角色不能重复');
export const ZStaffCreateRequest = z.object({
  username: zUsername,
  password: zPassword.refine(
    (p) => validatePassword(p) === null,
    '初始密码须为8-20位，包含大写字母、小写字母、数字和特殊字符中的任意三种',
  ),
  displayName: zRealName,
  roles: zStaffRoles,
  orgNodeId: z.uuid('所属单位无效').nullable(),
});
export const ZStaffUpdateRequest = z.object({
  displayName: zRealName,
  roles: zStaffRoles,
  orgNodeId: z.uuid('所属单位无效').nullable(),
  status: z.enum(['active', 'disabled'], { error: '状态无效' }),
});
export const ZAuditLogQuery = z.object({
  action: z.string().trim().max(64).optional(),
  actorId: z.string().max(64).optional(),
  targetType: z.string().max(64).optional(),
  targetId: z.string().max(64).optional(),
  from: z.iso.date('日期格式应为YYYY-MM-DD').optional(),
  to: z.iso.date('日期格式应为YYYY-MM-DD').optional(),
  page: z.coerce.number().int().min(1, '页码须为正整数').default(1),
  pageSize: z.coerce.number().int().min(1).max(100, '每页最多100条').default(20),
});
export const ZAuditLogList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      actorType: z.string(),
      actorId: z.string().nullable(),
      actorName: z.string().nullable(),
      action: z.string(),
      targetType: z.string().nullable(),
      targetId: z.string().nullable(),
      ip: z.string().nullable(),
      summary: z.record(z.string(), z.unknown()),
      at: z.string(),
    }),
  ),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export const ZOrgNode = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  areaCode: z.string().nullable(),
  active: z.boolean(),
});
export const ZOrgNodeList = z.object({ items: z.array(ZOrgNode) });
/** A 区县人社局 as an administrator keeps it (name, GB/T 2260 county code, offered or not). */
export const ZOrgDistrictRequest = z.object({
  name: z.string({ error: '请输入名称' }).trim().min(2, '名称至少2个字').max(60, '名称不能超过60个字'),
  areaCode: z.string({ error: '请输入行政区划代码' }).regex(/^\d{6}$/, '行政区划代码应为6位数字'),
  active: z.boolean({ error: '请选择是否启用' }),
});
export type TStaffMeResponse = z.infer<typeof ZStaffMeResponse>;

// ---- password reset (忘记密码) ----
export const ZResetStartRequest = z.object({
  identifier: z.string({ error: '请输入用户名/手机号/身份证号' }).trim().min(1, '请输入用户名/手机号/身份证号').max(64),
  captchaId: zCaptchaId,
  captchaCode: zCaptchaCode,
});
export const ZResetStepResponse = z.object({
  token: z.string(),
  step: z.enum(['method', 'verify', 'password', 'done']),
  accountMasked: z.string(),
  phoneMasked: z.string().nullable(),
  nameMasked: z.string(),
  idNumberMasked: z.string(),
  expiresAt: z.string(),
});
export const ZResetMethodRequest = z.object({ method: z.enum(['phone'], { error: '请选择验证方式' }) });
export const ZResetSmsRequest = z.object({ captchaId: zCaptchaId, captchaCode: zCaptchaCode });
export const ZResetVerifyRequest = z.object({ smsCode: zSmsCode });
export const ZResetPasswordRequest = z
  .object({ password: zPassword, confirmPassword: z.string({ error: '请输入确认密码' }).min(1, '请输入确认密码') })
  .superRefine(checkNewPassword);

// ---- 人工找回 ----
export const ZManualRecoveryFields = z.object({
  realName: zRealName,
  idNumber: zIdNumber,
  newPhone: zPhone,
  note: z.string().trim().max(500, '补充说明不能超过500字').optional().default(''),
});
export const ZManualRecoveryItem = z.object({
  id: z.string(),
  realName: z.string(),
  idNumberMasked: z.string(),
  newPhoneMasked: z.string(),
  note: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  accountFound: z.boolean(),
  createdAt: z.string(),
  handledAt: z.string().nullable(),
  handledBy: z.string().nullable(),
  reason: z.string().nullable(),
});
export const ZManualRecoveryList = z.object({
  items: z.array(ZManualRecoveryItem),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export const ZManualRecoveryDecision = z.object({
  decision: z.enum(['approve', 'reject'], { error: '请选择处理结果' }),
  reason: z.string().trim().max(500, '处理意见不能超过500字').optional().default(''),
});

// ---- 个人中心 ----
export const ZChangePasswordRequest = z
  .object({
    oldPassword: z.string({ error: '请输入原密码' }).min(1, '请输入原密码'),
    password: zPassword,
    confirmPassword: z.string({ error: '请输入确认密码' }).min(1, '请输入确认密码'),
  })
  .superRefine(checkNewPassword);
export const ZChangePhoneRequest = z.object({ phone: zPhone, smsCode: zSmsCode });

export const ZPageQuery = z.object({
  page: z.coerce.number().int().min(1, '页码须为正整数').default(1),
  pageSize: z.coerce.number().int().min(1).max(100, '每页最多100条').default(20),
});

// ---- 人工实名审核 ----
/** 重新提交 after a rejection: the name and document to verify (applied to the account on approval) + the photo. */
export const ZRealnameResubmitFields = ZRegistrationIdentityRequest;
export const ZRealnameResubmitResponse = z.object({ realNameStatus: z.literal('pending') });

export const REALNAME_REVIEW_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type TRealnameReviewStatus = (typeof REALNAME_REVIEW_STATUSES)[number];
export const REALNAME_REVIEW_STATUS_LABELS: Record<TRealnameReviewStatus, string> = {
  pending: '待审核',
  approved: '已通过',
  rejected: '已退回',
};
export const ZRealnameReviewQuery = ZPageQuery.extend({
  status: z.enum(REALNAME_REVIEW_STATUSES, { error: '审核状态无效' }).optional(),
  /** Part of the submitted name. */
  q: z.string().trim().max(30, '姓名最多30个字').optional(),
});
export const ZRealnameReviewItem = z.object({
  id: z.string(),
  accountId: z.string(),
  username: z.string(),
  realName: z.string(),
  idType: z.enum(ID_TYPES),
  idNumberMasked: z.string(),
  nationality: z.string().nullable(),
  /** 1 for the registration's, 2 and more for resubmissions after a rejection. */
  attempt: z.number().int(),
  status: z.enum(REALNAME_REVIEW_STATUSES),
  submittedAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  reason: z.string().nullable(),
});
export const ZRealnameReviewList = z.object({
  items: z.array(ZRealnameReviewItem),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export const ZRealnameReviewDecision = z
  .object({
    decision: z.enum(['approve', 'reject'], { error: '请选择审核结果' }),
    reason: z.string().trim().max(200, '退回原因不能超过200字').optional().default(''),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'reject' && !v.reason)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: '退回时请填写退回原因' });
  });

export const ZOutboxQuery = z.object({
  kind: z.enum(['sms', 'image-captcha', 'slider-captcha', 'email']).optional(),
  to: z.string().max(128).optional(),
});
export const ZOutboxResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      to: z.string(),
      purpose: z.string().nullable(),
      code: z.string(),
      createdAt: z.string(),
    }),
  ),
});

export const ZOk = z.object({ ok: z.literal(true) });
