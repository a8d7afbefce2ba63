/**
 * The audit trail's vocabulary: every action code the server records, every kind of record it points at and
 * every kind of actor, each with the Chinese label 审计日志 shows. The server types its audit entries by these
 * keys, so an action recorded without a label here does not compile.
 *
 * The codes are stable: rows already written keep them forever, and the log filter matches them by prefix.
 * Rename a label freely; never rename a code.
 */
export const AUDIT_ACTION_LABELS = {
  // 统一认证中心 (门户) and 内网 sign-in; `${realm}.login…` in the identity module.
  'public.login': '门户登录',
  'public.login.failed': '门户登录失败',
  'public.login.locked': '门户账号锁定',
  'public.logout': '门户退出登录',
  'qr-login.confirm': '扫码确认登录',
  'qr-login.cancel': '扫码取消登录',
  // 第三方登录: the login itself is public.login with { method: 'oidc' | 'wechat', provider }.
  'sso.link': '绑定第三方账号',
  'sso.unlink': '解除绑定第三方账号',
  'sso.login.refused': '第三方登录被拒绝',
  'login-provider.create': '新增第三方登录',
  'login-provider.update': '修改第三方登录',
  'login-provider.delete': '删除第三方登录',
  'login-provider.crl': '上传证书吊销列表',
  // 统一认证中心 as an OpenID provider: 单点登录 into 接入系统, consents, and 系统管理 → 接入系统 / 签名密钥.
  'oidc.authorize': '单点登录接入系统',
  'oidc.consent.grant': '同意接入系统授权',
  'oidc.consent.deny': '拒绝接入系统授权',
  'oidc.consent.revoke': '撤销接入系统授权',
  'oidc.client.create': '新增接入系统',
  'oidc.client.update': '修改接入系统',
  'oidc.client.secret.reset': '重置接入系统密钥',
  'oidc.client.delete': '删除接入系统',
  'oidc.key.rotate': '轮换签名密钥',
  'oidc.key.delete': '删除签名密钥',
  'staff.login': '内网登录',
  'staff.login.failed': '内网登录失败',
  'staff.login.locked': '内网账号锁定',
  'staff.logout': '内网退出登录',
  'staff.create': '新增工作人员',
  'staff.update': '修改工作人员',

  'account.register': '个人用户注册',
  'account.seed': '创建演示账号',
  'account.password.change': '修改密码',
  'account.password.reset': '重置密码',
  'account.phone.change': '更换手机号',

  'recovery.submit': '提交人工找回',
  'recovery.photo.view': '查看身份证照片',
  'recovery.approve': '人工找回通过',
  'recovery.reject': '人工找回驳回',

  // 人工实名审核 (证件 the 实名认证 service cannot verify, e.g. 护照); approval also records account.realname.verify.
  'realname.review.submit': '提交人工实名审核',
  'realname.review.photo.view': '查看实名审核证件照片',
  'realname.review.approve': '人工实名审核通过',
  'realname.review.reject': '人工实名审核退回',
  'account.realname.verify': '实名认证通过（人工审核）',

  // 单位注册管理; review decisions are `unit.${kind}.${decision}`.
  'unit.registration.submit': '提交单位注册',
  'unit.registration.resubmit': '重新提交单位注册',
  'unit.info-change.submit': '提交单位信息修改',
  'unit.admin-change.submit': '申请变更管理员',
  'unit.register.approve': '单位注册审核通过',
  'unit.register.reject': '单位注册审核未通过',
  'unit.change-info.approve': '单位信息修改审核通过',
  'unit.change-info.reject': '单位信息修改审核未通过',
  'unit.change-admin.approve': '变更管理员审核通过',
  'unit.change-admin.reject': '变更管理员审核未通过',
  'unit.admin.change': '单位管理员变更',
  'unit.registrations.export': '导出单位注册审核',

  // 组织机构与单位类型
  'org.node.create': '新增组织机构',
  'org.node.update': '修改组织机构',
  'unit-type.create': '新增单位类型',
  'unit-type.update': '修改单位类型',

  // 市级高级研修项目; transitions are `application.${action}` (修改 keeps the state and is not audited).
  'application.create': '新建申报书',
  'application.submit': '提交申报书',
  'application.withdraw': '撤回申报书',
  'application.delete': '删除申报书',
  'application.return': '申报书退回修改',
  'application.approve': '申报书审核通过',
  'application.reject': '申报书审核不通过',
  'application.export': '导出申报书列表',
  'application.batch.create': '新增申报批次',
  'application.batch.update': '修改申报批次',

  // 公需科目: 课程管理
  'course.create': '新增课程',
  'course.update': '修改课程',
  'course.delete': '删除课程',
  'course.chapter.create': '新增章节',
  'course.chapter.update': '修改章节',
  'course.chapter.delete': '删除章节',
  'course.chapter.reorder': '调整章节顺序',
  'course.chapter.video': '上传章节视频',

  // 学习计划管理; the 补学 plan of a year is created on its first approval.
  'plan.create': '新增学习计划',
  'plan.update': '修改学习计划',
  'plan.create.makeup': '创建补学学习计划',

  // 学员注册名单 (附件2)
  'roster.upload': '上传学员注册名单',
  'roster.import.start': '确认导入学员注册名单',
  'roster.import.done': '学员注册名单导入完成',

  // 学时档案: 学时批量导入 (培训中心 → 已认定; 继续教育基地 → 待认定)
  'credit.import': '学时批量导入',
  // 学时管理 (console)
  'credit.correct': '学时更正',
  'credit.stats.export': '导出学时统计',

  // 订单; closing is `order.${'expired' | 'cancelled'}`, ordering `order.create.${kind}`.
  'order.create.individual': '提交订单（个人购买）',
  'order.create.group': '提交订单（团体购买）',
  'order.cancelled': '取消订单',
  'order.expired': '订单过期关闭',
  'order.refund': '订单退款',
  'orders.export': '导出订单',

  // 支付; notices applied are `payment.${outcome}`.
  'payment.create': '发起支付',
  'payment.paid': '支付成功',
  'payment.amount-mismatch': '支付金额不符',
  'payment.late-refund': '订单已关闭，支付自动退款',
  'payment.unknown-trade': '支付通知：未知交易',
  'payment.wrong-channel': '支付通知渠道与支付不符',
  'payment.notify.rejected': '支付通知验签失败（每个来源每小时记一条）',
  'payment.refunded': '退款成功',
  'payment.refund-processing': '退款处理中',
  'payment.refund-failed': '退款失败',
  'payment.exception.refund': '待处理支付退款（金额不符）',

  // 电子发票
  'invoice.request': '申请开票',
  'invoice.modify': '修改发票',
  'invoice.issue': '开具发票',
  'invoice.reverse': '开具红字发票',

  'learner.reveal': '查看学员完整信息',
  'learner.password.reset': '重置学员密码',
  'learner.unlock': '解除学员锁定',

  'makeup.submit': '提交补学申请',
  'makeup.approve': '补学审核通过',
  'makeup.reject': '补学审核未通过',

  'certificate.issue': '生成证书',
  'certificate.organisation': '选择证书组织机构',
  'certificate.revoke': '撤销证书',

  // 工作单位 (unit_members)
  'unit-member.request': '申请加入工作单位',
  'unit-member.cancel': '撤回工作单位申请',
  'unit-member.leave': '退出工作单位',
  'unit-member.leave-on-move': '调入其他单位（离开原单位）',
  'unit-member.confirm': '确认单位人员',
  'unit-member.decline': '拒绝加入申请',
  'unit-member.remove': '移出单位人员',
  'unit-member.propose': '学员注册名单或团体购买提议单位人员',

  // 学时档案: 学时登记 → 单位确认 → 认定; 学时折算标准; 学时提醒
  'credit.file': '提交学时登记',
  'credit.withdraw': '撤回学时登记',
  'credit.resubmit': '重新提交学时登记',
  'credit.unit-confirm': '单位确认学时登记',
  'credit.unit-return': '单位退回学时登记',
  'credit.recognise': '认定学时',
  'credit.bureau-return': '学时不予认定',
  'credit.revoke': '撤销学时',
  'credit.remind': '发送学时提醒',
  'credit-standard.create': '新增学时折算标准',
  'credit-standard.update': '修改学时折算标准',

  // 咨询服务: 在线客服, 常见问题, 咨询热线
  'ticket.create': '提交咨询',
  'ticket.message': '补充咨询',
  'ticket.reopen': '追问（重新打开咨询）',
  'ticket.reply': '回复咨询',
  'ticket.close': '关闭咨询',
  'faq.create': '新增常见问题',
  'faq.update': '修改常见问题',
  'faq.publish': '发布常见问题',
  'faq.unpublish': '取消发布常见问题',
  'faq.move': '调整常见问题顺序',
  'faq.delete': '删除常见问题',
  'help.hotlines.update': '修改咨询热线',

  // 通知公告
  'notice.create': '新增通知公告',
  'notice.update': '修改通知公告',
  'notice.publish': '发布通知公告',
  'notice.withdraw': '撤回通知公告',
  'notice.delete': '删除通知公告',

  'dashboard.export': '导出数据看板',

  // 高研班 结业: 学员名单, and what 结业 approval issues
  'seminar.trainees.save': '保存学员名单',
  'seminar.trainees.clear': '清空学员名单',
  'seminar.certificates.issue': '颁发高研班结业证书',

  // 基地管理: 继续教育基地 / 工程师基地
  'base.designate': '认定基地',
  'base.revoke': '撤销基地',
  'base.export': '导出基地名单',
  'base.remind': '基地到期提醒',

  // 工作日历 (法定节假日与调休)
  'calendar.day.set': '设置工作日历',
  'calendar.day.delete': '删除工作日历',
  'calendar.seed': '导入法定节假日安排',
} as const satisfies Record<string, string>;
export type TAuditAction = keyof typeof AUDIT_ACTION_LABELS;

/** What an entry points at (its targetId is that record's id). */
export const AUDIT_TARGET_TYPE_LABELS = {
  unit_member: '工作单位人员',
  credit_standard: '学时折算标准',
  account: '个人账号',
  staff_account: '工作人员',
  manual_recovery: '人工找回申请',
  realname_review: '人工实名审核',
  unit: '单位',
  unit_application: '单位申请',
  org_node: '组织机构',
  unit_type: '单位类型',
  application: '申报书',
  application_batch: '申报批次',
  course: '课程',
  training_plan: '学习计划',
  roster_import: '学员注册名单',
  credit_import: '学时批量导入',
  credit_entry: '学时记录',
  credit_stats: '学时统计',
  order: '订单',
  payment: '支付',
  notify_source: '支付通知来源',
  invoice: '发票',
  makeup_request: '补学申请',
  certificate: '证书',
  ticket: '在线咨询',
  faq: '常见问题',
  notice: '通知公告',
  site_setting: '系统设置',
  dashboard: '数据看板',
  seminar_certificate: '高研班结业证书',
  base: '基地',
  calendar_day: '工作日历',
  login_provider: '第三方登录',
  oidc_client: '接入系统',
  oidc_key: '签名密钥',
} as const satisfies Record<string, string>;
export type TAuditTargetType = keyof typeof AUDIT_TARGET_TYPE_LABELS;

export const AUDIT_ACTOR_TYPE_LABELS = {
  account: '个人用户',
  staff: '工作人员',
  anonymous: '匿名',
  system: '系统',
} as const satisfies Record<string, string>;
export type TAuditActorType = keyof typeof AUDIT_ACTOR_TYPE_LABELS;

/**
 * The filter's groups: the server matches `action` as a prefix, so each group is one prefix. Every action code
 * starts with one of them (a unit test checks), so the filter reaches every action.
 */
export const AUDIT_ACTION_GROUPS: readonly { prefix: string; label: string }[] = [
  { prefix: 'public.', label: '门户登录与退出（全部）' },
  { prefix: 'qr-login.', label: '扫码登录（全部）' },
  { prefix: 'staff.', label: '内网登录与工作人员（全部）' },
  { prefix: 'account.', label: '个人账号（全部）' },
  { prefix: 'recovery.', label: '人工找回（全部）' },
  { prefix: 'realname.', label: '人工实名审核（全部）' },
  { prefix: 'unit.', label: '单位注册与审核（全部）' },
  { prefix: 'unit-member.', label: '工作单位与单位人员（全部）' },
  { prefix: 'credit', label: '学时档案（全部）' },
  { prefix: 'org.', label: '组织机构（全部）' },
  { prefix: 'unit-type.', label: '单位类型（全部）' },
  { prefix: 'application.', label: '申报与审核（全部）' },
  { prefix: 'seminar.', label: '高研班学员名单与结业证书（全部）' },
  { prefix: 'course.', label: '课程管理（全部）' },
  { prefix: 'plan.', label: '学习计划管理（全部）' },
  { prefix: 'roster.', label: '学员注册名单（全部）' },
  // No dot: one group for order.* and the export orders.export.
  { prefix: 'order', label: '订单管理（全部）' },
  { prefix: 'payment.', label: '支付与退款（全部）' },
  { prefix: 'invoice.', label: '发票（全部）' },
  { prefix: 'learner.', label: '学员管理（全部）' },
  { prefix: 'makeup.', label: '补学审核（全部）' },
  { prefix: 'certificate.', label: '证书（全部）' },
  { prefix: 'ticket.', label: '在线客服（全部）' },
  { prefix: 'faq.', label: '常见问题（全部）' },
  { prefix: 'help.', label: '咨询热线（全部）' },
  { prefix: 'notice.', label: '通知公告（全部）' },
  { prefix: 'dashboard.', label: '数据看板（全部）' },
  { prefix: 'base.', label: '基地管理（全部）' },
  { prefix: 'calendar.', label: '工作日历（全部）' },
  { prefix: 'sso.', label: '第三方账号绑定与登录（全部）' },
  { prefix: 'login-provider.', label: '第三方登录配置（全部）' },
  { prefix: 'oidc.', label: '接入系统与单点登录（全部）' },
];

/** Own keys only: a code such as `constructor` from an old row must not find Object.prototype's member. */
const labelIn = (labels: Readonly<Record<string, string>>, code: string): string =>
  Object.hasOwn(labels, code) ? (labels[code] as string) : code;

/** The label of an action code; a code this catalogue does not know (an old row) shows as itself. */
export const auditActionLabel = (code: string) => labelIn(AUDIT_ACTION_LABELS, code);
export const auditTargetTypeLabel = (code: string) => labelIn(AUDIT_TARGET_TYPE_LABELS, code);
export const auditActorTypeLabel = (code: string) => labelIn(AUDIT_ACTOR_TYPE_LABELS, code);
