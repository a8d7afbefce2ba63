/**
 * Stable API error codes. The message is the Chinese text a user sees; clients may rely on the code.
 * One error shape everywhere: { code, message, fields? } where fields maps a field name to its message.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: '提交的信息有误，请按提示修改' },
  NOT_FOUND: { status: 404, message: '请求的资源不存在' },
  ROUTE_NOT_FOUND: { status: 404, message: '接口不存在' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '提交的内容过大' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '不支持的内容类型' },
  INTERNAL_ERROR: { status: 500, message: '系统繁忙，请稍后再试' },
  DATA_UNSTORABLE: { status: 400, message: '提交的内容含有无法保存的字符或超出范围的值，请检查后重新提交' },
  DATA_CONFLICT: { status: 409, message: '数据已被其他操作修改，请刷新页面后重试' },
  DATABASE_BUSY: { status: 503, message: '系统繁忙，请稍后再试' },
  RATE_LIMITED: { status: 429, message: '操作过于频繁，请稍后再试' },
  CSRF_INVALID: { status: 403, message: '页面已过期，请刷新页面后重试' },
  ORIGIN_FORBIDDEN: { status: 403, message: '请从本站页面访问，不接受其他网站发起的连接' },
  UNAUTHENTICATED: { status: 401, message: '请先登录' },
  SESSION_EXPIRED: { status: 401, message: '登录已过期，请重新登录' },
  FORBIDDEN: { status: 403, message: '没有权限执行此操作' },
  NOT_READY: { status: 503, message: '服务尚未就绪' },

  CAPTCHA_REQUIRED: { status: 400, message: '请输入图片验证码' },
  CAPTCHA_INVALID: { status: 400, message: '图片验证码错误，请重新输入' },
  CAPTCHA_EXPIRED: { status: 400, message: '图片验证码已失效，请点击图片刷新' },
  SLIDER_REQUIRED: { status: 400, message: '请向右滑动完成验证' },
  SLIDER_MISMATCH: { status: 400, message: '验证失败，请重新滑动' },
  SLIDER_EXPIRED: { status: 400, message: '验证已失效，请重新滑动完成验证' },
  SLIDER_TOO_MANY_FAILURES: { status: 400, message: '验证失败次数过多，请刷新后重试' },
  TOKEN_WRONG_LISTENER: {
    status: 400,
    message: '该验证是在另一个站点完成的（门户网站与内网管理端不能混用），请在本页面重新验证',
  },
  TOKEN_WRONG_PURPOSE: { status: 400, message: '该验证不能用于当前操作，请在本页面重新验证' },

  QR_LOGIN_INVALID: { status: 400, message: '二维码无效，请在电脑上刷新二维码' },
  QR_LOGIN_EXPIRED: { status: 400, message: '二维码已失效，请在电脑上刷新二维码后重新扫描' },
  QR_LOGIN_TAKEN: { status: 409, message: '该二维码已被其他账号扫描' },
  QR_LOGIN_NOT_SCANNED: { status: 409, message: '请先扫描二维码' },

  // 第三方登录 (政务服务网, 微信, any OIDC provider): a failed round trip lands on /login?sso_error=<code>.
  SSO_PROVIDER_NOT_FOUND: { status: 404, message: '该登录方式不存在或未开通，请使用账号密码登录' },
  SSO_PROVIDER_UNAVAILABLE: {
    status: 502,
    message: '第三方登录服务暂时无法访问，请稍后再试，或使用账号密码登录',
  },
  SSO_STATE_INVALID: {
    status: 400,
    message: '登录请求已失效，或不是从本浏览器发起的，请重新点击第三方登录图标',
  },
  SSO_FAILED: { status: 400, message: '第三方登录未成功：身份信息校验未通过，请重新登录' },
  SSO_DENIED: { status: 400, message: '您已取消第三方授权，未登录' },
  SSO_PENDING_EXPIRED: { status: 400, message: '第三方登录已超时，请重新点击第三方登录图标' },
  SSO_LINK_TOO_MANY: { status: 429, message: '验证失败次数过多，请重新点击第三方登录图标' },
  SSO_ALREADY_LINKED: {
    status: 409,
    message: '该账号已绑定另一个第三方账号，请用账号密码登录后在个人中心解除绑定，再重新绑定',
  },
  SSO_SUBJECT_TAKEN: { status: 409, message: '该第三方账号已绑定其他用户账号' },
  SSO_IDENTITY_MISMATCH: {
    status: 403,
    message: '第三方账号的实名信息与已绑定的账号不一致，请使用账号密码登录后解除绑定，或联系客服',
  },
  SSO_IDENTITY_LOCKED: { status: 400, message: '姓名和证件号码来自第三方登录的实名信息，不能修改' },
  SSO_UNIT_NOT_FOUND: {
    status: 404,
    message: '未找到该统一社会信用代码对应的单位，请先注册单位，或使用个人账号登录',
  },
  SSO_NOT_LINKED: { status: 404, message: '未绑定该第三方账号' },
  LOGIN_PROVIDER_ID_TAKEN: { status: 409, message: '该标识已被使用' },

  // CA 证书登录: the certificate in the USB key signs a one-time challenge (CA_<reason> from the verification).
  CA_CHALLENGE_INVALID: { status: 400, message: '签名原文已失效或已使用，请重新读取证书并签名' },
  CA_FORMAT: { status: 400, message: '证书或签名的格式无效，请确认已插入 CA 证书（USB Key）后重试' },
  CA_UNTRUSTED: { status: 403, message: '该证书不是由本平台信任的 CA 机构签发的' },
  CA_EXPIRED: { status: 403, message: '证书已过期，请到 CA 机构办理证书更新' },
  CA_NOT_YET_VALID: { status: 403, message: '证书尚未生效' },
  CA_REVOKED: { status: 403, message: '证书已被吊销，不能用于登录' },
  CA_SIGNATURE: { status: 403, message: '签名验证未通过，请重新签名' },
  CA_UNSUPPORTED_KEY: {
    status: 400,
    message: '暂不支持该类型的证书（如 SM2 国密证书），请使用 RSA 或 ECDSA 证书，或使用账号密码登录',
  },
  CA_CRL_STALE: { status: 503, message: '证书吊销列表已过期，暂不能使用证书登录，请联系管理员更新' },
  CA_NOT_FOR_SIGNING: { status: 403, message: '该证书不能用于数字签名（密钥用法不含数字签名）' },
  CA_NO_IDENTITY: {
    status: 400,
    message: '证书中没有身份证件号码或统一社会信用代码，不能用于登录',
  },

  // 统一认证中心 as an OpenID provider (接入系统, 单点登录).
  OIDC_INTERACTION_EXPIRED: { status: 400, message: '授权请求已过期或无效，请返回原系统重新登录' },
  OIDC_ACCOUNT_CHANGED: { status: 409, message: '当前登录的账号与本次授权请求不一致，请返回原系统重新登录' },
  OIDC_CLIENT_NOT_FOUND: { status: 404, message: '接入系统不存在或未授权' },
  OIDC_KEY_IN_USE: { status: 409, message: '正在用于签名的密钥不能删除，请先轮换签名密钥' },

  SMS_CODE_INVALID: { status: 400, message: '短信验证码错误' },
  SMS_CODE_EXPIRED: { status: 400, message: '短信验证码已失效，请重新获取' },
  SMS_RESEND_TOO_SOON: { status: 429, message: '短信发送过于频繁，请稍后再试' },
  SMS_DAILY_LIMIT: { status: 429, message: '该手机号今日获取短信验证码次数已达上限' },
  SMS_SEND_FAILED: { status: 502, message: '短信发送失败，请稍后再试' },

  USERNAME_TAKEN: { status: 409, message: '该用户账号已被注册' },
  ID_NUMBER_TAKEN: { status: 409, message: '该证件号码已注册，请直接登录或找回密码' },
  PHONE_TAKEN: { status: 409, message: '该手机号已被其他账号绑定' },
  AGREEMENT_REQUIRED: { status: 400, message: '请阅读并同意注册协议' },
  REGISTRATION_EXPIRED: { status: 400, message: '注册信息已失效，请重新填写' },
  REALNAME_FAILED: {
    status: 400,
    message: '实名认证未通过：姓名与身份证号码不一致，请核对姓名和身份证号码后重试',
  },
  REALNAME_UNAVAILABLE: { status: 503, message: '实名认证服务暂时不可用，请稍后再试，已填写的信息会保留' },
  REALNAME_MANUAL_REQUIRED: { status: 400, message: '该证件类型须上传证件照片，由工作人员人工审核' },
  REALNAME_ONLINE_AVAILABLE: { status: 400, message: '该证件类型可在线实名认证，请点击“实名认证”' },
  REALNAME_REQUIRED: { status: 403, message: '实名审核通过后才能购买和学习' },
  REALNAME_REVIEW_PENDING: { status: 409, message: '您的实名审核申请正在审核中，请等待工作人员处理' },
  REALNAME_ALREADY_VERIFIED: { status: 409, message: '您已通过实名认证，无需再次提交' },
  REALNAME_REVIEW_DECIDED: { status: 409, message: '该实名审核申请已处理，不能重复审核' },

  LOGIN_FAILED: { status: 401, message: '用户名或密码错误' },
  ACCOUNT_LOCKED: { status: 423, message: '密码错误次数过多，账号已锁定' },
  ACCOUNT_DISABLED: { status: 403, message: '账号已停用，请联系管理员' },

  RESET_ACCOUNT_NOT_FOUND: { status: 404, message: '未找到该账号，请核对用户名、手机号或身份证号' },
  RESET_NO_PHONE: { status: 400, message: '该账号未绑定手机号，请通过人工找回' },
  RESET_STEP_INVALID: { status: 400, message: '找回密码流程已失效或步骤不正确，请从第一步重新开始' },
  PASSWORD_SAME_AS_OLD: { status: 400, message: '新密码不能与原密码相同' },
  OLD_PASSWORD_WRONG: { status: 400, message: '原密码错误' },
  RECOVERY_DUPLICATE: { status: 409, message: '您已提交人工找回申请，请等待工作人员处理' },
  RECOVERY_NOT_PENDING: { status: 409, message: '该申请已处理' },
  UPLOAD_INVALID: { status: 400, message: '上传的文件无效' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, message: '首次登录请先修改初始密码' },

  UNIT_TAKEN: { status: 409, message: '该单位已注册，可点击“查询或变更管理员”' },
  UNIT_ADMIN_EXISTS: { status: 409, message: '您已是其他单位的管理员，一人只能管理一个单位' },
  UNIT_APPLICATION_OPEN: { status: 409, message: '您已有正在审核的申请，请等待审核结果' },
  UNIT_APPLICATION_STATE: { status: 409, message: '该申请当前状态不能执行此操作' },
  UNIT_REVIEW_FORBIDDEN: { status: 403, message: '该申请不属于您的审核范围' },

  APPLICATION_FORBIDDEN: { status: 403, message: '无权查看或操作该申报书' },
  APPLICATION_FILER_FORBIDDEN: { status: 403, message: '仅审核通过的单位管理员或区县人社局可以申报' },
  APPLICATION_REVIEWER_FORBIDDEN: { status: 403, message: '无权审核该申报书：不在您的审核范围内' },
  APPLICATION_PARENT_REQUIRED: { status: 409, message: '请先选择已审核通过的项目' },
  APPLICATION_PARENT_INVALID: { status: 409, message: '所选项目不能上报此项' },
  APPLICATION_FIELD_LOCKED: { status: 400, message: '该内容经批准后不能变更' },
  APPLICATION_STATE: { status: 409, message: '该申报书当前状态不能执行此操作' },
  APPLICATION_INCOMPLETE: { status: 400, message: '申报书尚未填写完整，请按提示补充后再提交' },
  APPLICATION_NOT_OPEN: { status: 409, message: '本年度申报尚未开放，请关注市人社局通知' },
  APPLICATION_DEADLINE_PASSED: { status: 409, message: '已过申报截止时间，不能提交' },
  APPLICATION_REVIEW_STARTED: { status: 409, message: '审核已开始，不能撤回' },
  APPLICATION_BATCH_EXISTS: { status: 409, message: '该年度的申报批次已存在' },
  TRAINEES_INVALID: { status: 400, message: '学员名单有错误，请按每行的原因修改后重新提交' },
  TRAINEES_TOO_MANY: { status: 400, message: '学员名单最多2000人，请核对后重新提交' },
  TRAINEES_FILE_INVALID: { status: 400, message: '无法读取上传的Excel文件，请使用学员名单模板' },

  PLAN_NOT_ON_SALE: { status: 409, message: '该学习计划当前不在销售期' },
  ALREADY_ENROLLED: { status: 409, message: '您已购买该学习计划，可直接进入学习' },
  IN_GROUP_ORDER: { status: 409, message: '您已被列入单位团购的待支付订单，请联系经办人完成支付或取消该订单' },
  ORDER_FORBIDDEN: { status: 403, message: '无权查看或操作该订单' },
  ORDER_STATE: { status: 409, message: '订单当前状态不能执行此操作' },
  ORDER_EXPIRED: { status: 409, message: '订单已过期，请重新下单' },
  GROUP_CHECK_EXPIRED: { status: 409, message: '校验结果已失效，请重新提交身份证号码' },
  GROUP_NO_VALID: { status: 400, message: '没有可购买的学员，请下载错误文件查看原因' },
  GROUP_TOO_MANY: { status: 400, message: '一次最多提交10000个身份证号码' },
  GROUP_MEMBER_TAKEN: { status: 409, message: '部分学员刚刚被其他订单购买，请重新校验' },
  PAYMENT_UNAVAILABLE: { status: 502, message: '支付渠道暂时不可用，请稍后再试或换一种支付方式' },
  INVOICE_STATE: { status: 409, message: '发票当前状态不能执行此操作' },
  INVOICE_CROSS_YEAR: { status: 409, message: '不能跨年补开发票，请在缴费当年申请发票' },
  INVOICE_MODIFY_LIMIT: { status: 409, message: '申请开票成功15日内可修改发票1次' },
  ROSTER_FORBIDDEN: { status: 403, message: '无权查看或操作该学员注册名单' },
  ROSTER_TOO_MANY: { status: 400, message: '一次最多上传10000名学员' },
  ROSTER_STATE: { status: 409, message: '该名单当前状态不能执行此操作' },
  // Not imported within IMPORT_ERROR_FILE_DAYS: its rows are deleted (the message then names the days).
  ROSTER_EXPIRED: { status: 410, message: '该名单超过保存期限未确认导入，已过期，请重新上传名单' },
  INVOICE_MODIFY_CROSS_YEAR: { status: 409, message: '跨年不可修改发票' },

  MAKEUP_DUPLICATE: { status: 409, message: '该年度已申请补学，请勿重复提交' },
  MAKEUP_STATE: { status: 409, message: '该补学申请已处理，不能重复审核' },
  MAKEUP_FORBIDDEN: { status: 403, message: '无权查看该补学申请' },
  DASHBOARD_FORBIDDEN: {
    status: 403,
    message: '仅培训中心、系统管理员及市、区县人社局审核人员可以查看数据看板',
  },
  WECHAT_OAUTH_REQUIRED: { status: 409, message: '请先授权获取微信身份后再使用微信支付' },
  WECHAT_OAUTH_FAILED: { status: 400, message: '微信授权失败或已过期，请重新进入支付页面' },

  CERT_NOT_FOUND: { status: 404, message: '未查询到该证书，请核对证书编号' },
  CERT_PROFILE_INCOMPLETE: { status: 409, message: '请按照提示完善个人信息后再打印合格证书' },
  CERT_REVOKED: { status: 410, message: '证书已撤销' },
  CERT_STATE: { status: 409, message: '该证书当前状态不能执行此操作' },
  // 工作单位 (unit_members)
  MEMBER_UNIT_NOT_FOUND: { status: 404, message: '单位不存在或尚未审核通过' },
  MEMBER_PENDING_EXISTS: { status: 409, message: '您已有一个待单位确认的申请，请等待确认或先撤回' },
  MEMBER_ALREADY: { status: 409, message: '您已是该单位的人员' },
  MEMBER_STATE: { status: 409, message: '该人员当前状态不能执行此操作，请刷新后重试' },
  MEMBER_NOT_FOUND: { status: 404, message: '人员记录不存在' },
  MEMBER_FORBIDDEN: { status: 403, message: '仅审核通过的单位管理员可以管理本单位人员' },
  // 学时档案: 学时登记, 单位确认, 认定, 学时折算标准, 学时证明
  CREDIT_NO_UNIT: { status: 409, message: '请先在个人中心设置工作单位并经单位确认后再登记学时' },
  CREDIT_NO_IDENTITY: { status: 409, message: '请先完成实名认证后再登记学时' },
  CREDIT_NOT_FOUND: { status: 404, message: '学时记录不存在' },
  CREDIT_STATE: { status: 409, message: '该学时记录当前状态不能执行此操作，请刷新后重试' },
  CREDIT_HOURS_OVER: { status: 400, message: '登记学时超过学时折算标准允许的上限' },
  CREDIT_STANDARD_INACTIVE: { status: 400, message: '该学习形式的学时折算标准已停用，请重新选择' },
  CREDIT_STANDARD_EXISTS: { status: 409, message: '该学习形式和级别的学时折算标准已存在' },
  CREDIT_DATE_FUTURE: { status: 400, message: '结束日期不能晚于今天' },
  CREDIT_FORBIDDEN: { status: 403, message: '该学时记录不在您的审核范围内' },
  CREDIT_UNIT_FORBIDDEN: { status: 403, message: '仅审核通过的单位管理员可以审核本单位人员的学时登记' },
  CREDIT_PROOF_EMPTY: { status: 409, message: '所选年度没有已认定的学时，暂不能出具学时证明' },
  CREDIT_REMINDER_LIMIT: { status: 429, message: '今天已向这些人员发送过学时提醒，请明天再试' },
  // 学时批量导入
  CREDIT_IMPORT_FORBIDDEN: { status: 403, message: '仅有效期内的继续教育基地可以导入本基地培训班的学时' },
  CREDIT_IMPORT_TOO_MANY: { status: 400, message: '一次最多导入10000行学时记录，请分成多个文件上传' },
  CREDIT_IMPORT_EMPTY: { status: 400, message: '表格中没有学时记录，请按模板填写后再上传' },
  // 学时批量导入's error file, deleted after IMPORT_ERROR_FILE_DAYS (the message then names the days).
  IMPORT_ERROR_FILE_EXPIRED: { status: 410, message: '错误文件已超过保存期限被删除' },
  // 学时管理 (console: 学时查询与更正, 学时统计)
  CREDIT_ADMIN_FORBIDDEN: {
    status: 403,
    message: '仅系统管理员、培训中心及市、区县人社局审核人员可以查看学时档案和学时统计',
  },
  CREDIT_CORRECT_FORBIDDEN: { status: 403, message: '仅系统管理员、培训中心运营及市人社局审核人员可以更正学时' },
  CREDIT_PERSON_NOT_FOUND: { status: 404, message: '人员不存在' },
  CREDIT_PERSON_OUT_OF_SCOPE: { status: 403, message: '该人员的工作单位不在本区县，不能查看其学时档案' },
  CREDIT_STATS_SCOPE: { status: 403, message: '只能查看本区县的学时统计' },
  NOTICE_STATE: { status: 409, message: '该通知公告当前状态不能执行此操作' },
  NOTICE_FORBIDDEN: { status: 403, message: '只能管理本区县的通知公告' },

  BASE_FORBIDDEN: { status: 403, message: '仅市人社局、区县人社局审核人员及系统管理员可以查看基地名单' },
  BASE_REVOKE_FORBIDDEN: { status: 403, message: '仅市人社局审核人员可以撤销基地' },
  BASE_STATE: { status: 409, message: '该基地已撤销' },

  COURSE_IN_USE: { status: 409, message: '该课程已被学习计划使用，请先从学习计划中移除后再删除' },
  PLAN_HOURS_SHORT: { status: 400, message: '所选课程学时合计未达到要求学时，不能发布' },
  VIDEO_INVALID: { status: 400, message: '视频仅支持MP4、WebM格式（按文件内容识别）' },
  VIDEO_FORBIDDEN: { status: 403, message: '视频链接无效或已过期，请返回课程重新进入学习' },
  RANGE_NOT_SATISFIABLE: { status: 416, message: '请求的视频范围无效' },

  TICKET_CLOSED: { status: 409, message: '该咨询已关闭，不能继续回复' },

  PII_REVEAL_FORBIDDEN: { status: 403, message: '仅具有“查看完整身份信息”角色的工作人员可以查看完整身份证号和手机号' },
  LEARNER_NOT_LOCKED: { status: 409, message: '该账号未被锁定，无需解除' },
  ORDER_REFUND_STATE: { status: 409, message: '该订单当前不能退款' },

  STUDY_NOT_ENROLLED: { status: 403, message: '您尚未购买该学习计划，请先在公需科目中购买' },
  STUDY_SESSION_REPLACED: { status: 409, message: '您已在其他设备或窗口开始学习，本页学习已停止' },
  STUDY_SESSION_NOT_FOUND: { status: 404, message: '学习记录不存在，请重新进入学习' },
  STUDY_CHECK_CLOSED: { status: 409, message: '该问题已作答或已超时' },
  STUDY_CHECK_NOT_FOUND: { status: 404, message: '问题不存在' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  fields?: Record<string, string>;
}
