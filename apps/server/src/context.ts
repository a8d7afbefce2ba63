import path from 'node:path';
import { BASE_KINDS, type IdType } from '@cpe/shared';
import { setPlatformTimeZone } from '@cpe/shared/platform-zone';
import { eq } from 'drizzle-orm';
import type { EInvoiceProvider } from './adapters/einvoice/einvoice.js';
import { createHttpEInvoice } from './adapters/einvoice/http-einvoice.js';
import { createLocalEInvoice } from './adapters/einvoice/local-einvoice.js';
import { createLocalEmail, createSmtpEmail, type EmailSender } from './adapters/email/email.js';
import { createAlipayProvider } from './adapters/payment/alipay.js';
import { createLocalGateway, fetchTransport, type GatewayTransport } from './adapters/payment/local-gateway.js';
import { createLocalProvider } from './adapters/payment/local-provider.js';
import { PAYMENT_CHANNELS, type PaymentChannel, type PaymentProvider } from './adapters/payment/payment.js';
import { createUnionpayProvider } from './adapters/payment/unionpay.js';
import { createWechatProvider } from './adapters/payment/wechat.js';
import { createLocalWechatOauth, createWechatOauth } from './adapters/payment/wechat-oauth.js';
import { createHttpRealname } from './adapters/realname/http-realname.js';
import { createLocalRealname } from './adapters/realname/local-realname.js';
import type { RealnameVerifier } from './adapters/realname/realname.js';
import { createAliyunSms } from './adapters/sms/aliyun-sms.js';
import { createLocalSms } from './adapters/sms/local-sms.js';
import type { SmsSender } from './adapters/sms/sms.js';
import { createOidcProtocol } from './adapters/sso/oidc.js';
import { createWechatLoginProtocol } from './adapters/sso/wechat-login.js';
import { type Storage, storageFromConfig } from './adapters/storage/storage.js';
import type { Config } from './config.js';
import type { Database, Executor } from './db/client.js';
import { orderMembers, payments as paymentsTable } from './db/schema/index.js';
import { COOKIES } from './http/auth.js';
import { type Clock, systemClock } from './lib/clock.js';
import { loggableError } from './lib/loggable-error.js';
import { createPii } from './lib/pii.js';
import { applicationReviewTodos } from './modules/applications/application-review.todo.js';
import { createApplicationsRepo } from './modules/applications/applications.repo.js';
import { createApplicationsService } from './modules/applications/applications.service.js';
import { consoleReviewer } from './modules/applications/principals.js';
import { createAuditRepo } from './modules/audit/audit.repo.js';
import { createBasesRepo } from './modules/bases/bases.repo.js';
import { BASE_REMIND_JOB, createBasesService } from './modules/bases/bases.service.js';
import { createCalendarRepo } from './modules/calendar/calendar.repo.js';
import { createCalendarService } from './modules/calendar/calendar.service.js';
import { createCaptchaRepo } from './modules/captcha/captcha.repo.js';
import { createCaptchaService } from './modules/captcha/captcha.service.js';
import { createCertificatesRepo } from './modules/certificates/certificates.repo.js';
import { createCertificatesService, maskIdForCertificate } from './modules/certificates/certificates.service.js';
import { createCoursesRepo } from './modules/courses/courses.repo.js';
import { createCoursesService } from './modules/courses/courses.service.js';
import { createVideoTokens } from './modules/courses/video-token.js';
import { createCreditAdminRepo } from './modules/credits/credit-admin.repo.js';
import { CREDIT_STATS_YEAR_JOB, createCreditAdminService } from './modules/credits/credit-admin.service.js';
import { createCreditClaimsRepo } from './modules/credits/credit-claims.repo.js';
import { createCreditClaimsService } from './modules/credits/credit-claims.service.js';
import { createCreditImportRepo } from './modules/credits/credit-import.repo.js';
import { createCreditImportService } from './modules/credits/credit-import.service.js';
import { createCreditProofsService } from './modules/credits/credit-proofs.service.js';
import { createCreditStandardsService } from './modules/credits/credit-standards.service.js';
import { createCreditsRepo } from './modules/credits/credits.repo.js';
import { createCreditsService } from './modules/credits/credits.service.js';
import { createDashboardRepo } from './modules/dashboard/dashboard.repo.js';
import { createDashboardService } from './modules/dashboard/dashboard.service.js';
import { createFilesService } from './modules/files/files.service.js';
import { createHelpRepo } from './modules/help/help.repo.js';
import { createHelpService } from './modules/help/help.service.js';
import { ticketTodo } from './modules/help/ticket.todo.js';
import { createAuthService } from './modules/identity/auth.service.js';
import { createFlowTokens } from './modules/identity/flow-token.js';
import { createIdentityRepo } from './modules/identity/identity.repo.js';
import { createProfileService } from './modules/identity/profile.service.js';
import { createRecoveryService } from './modules/identity/recovery.service.js';
import { recoveryTodo } from './modules/identity/recovery.todo.js';
import { createRegistrationService } from './modules/identity/registration.service.js';
import { createResetService } from './modules/identity/reset.service.js';
import { createSessionService, type SessionEvents } from './modules/identity/session.service.js';
import { createJobs } from './modules/jobs/jobs.service.js';
import { createLearnersRepo } from './modules/learners/learners.repo.js';
import { createLearnersService } from './modules/learners/learners.service.js';
import { createMakeupRepo } from './modules/makeup/makeup.repo.js';
import { createMakeupService } from './modules/makeup/makeup.service.js';
import { makeupTodo } from './modules/makeup/makeup.todo.js';
import { createNoticesRepo } from './modules/notices/notices.repo.js';
import { createNoticesService } from './modules/notices/notices.service.js';
import { createMessagesRepo } from './modules/notify/messages.repo.js';
import { createMessagesService } from './modules/notify/messages.service.js';
import { createNotifyService } from './modules/notify/notify.service.js';
import { createOidcProviderRepo } from './modules/oidc-provider/oidc-provider.repo.js';
import { createOidcProviderService } from './modules/oidc-provider/oidc-provider.service.js';
import { OIDC_PURGE_JOB } from './modules/oidc-provider/oidc-runtime.js';
import { createOrgRepo } from './modules/org/org.repo.js';
import { createOrgService } from './modules/org/org.service.js';
import { createOutboxRepo, type Outbox } from './modules/outbox/outbox.repo.js';
import { createInvoicesService } from './modules/purchase/invoices.service.js';
import { createOrdersService } from './modules/purchase/orders.service.js';
import { createOrdersAdminService } from './modules/purchase/orders-admin.service.js';
import { createPlansService } from './modules/purchase/plans.service.js';
import { createPurchaseRepo } from './modules/purchase/purchase.repo.js';
import { createRefundsAdminService } from './modules/purchase/refunds-admin.service.js';
import { createQrLoginRepo } from './modules/qr-login/qr-login.repo.js';
import { createQrLoginService, QR_LOGIN_SWEEP_JOB } from './modules/qr-login/qr-login.service.js';
import { createRateLimitRepo } from './modules/ratelimit/ratelimit.repo.js';
import { createRateLimitService } from './modules/ratelimit/ratelimit.service.js';
import { createRealnameReviewRepo } from './modules/realname-review/realname-review.repo.js';
import { createRealnameReviewService } from './modules/realname-review/realname-review.service.js';
import { realnameReviewTodo } from './modules/realname-review/realname-review.todo.js';
import { createRosterRepo } from './modules/roster/roster.repo.js';
import { createRosterService } from './modules/roster/roster.service.js';
import { rosterTodo } from './modules/roster/roster.todo.js';
import { createSeminarsRepo } from './modules/seminars/seminars.repo.js';
import { createSeminarsService } from './modules/seminars/seminars.service.js';
import { createSmsRepo } from './modules/sms/sms.repo.js';
import { createSmsService } from './modules/sms/sms.service.js';
import { createCaLoginService } from './modules/sso/ca-login.service.js';
import { createLoginProvidersService } from './modules/sso/login-providers.service.js';
import { createSsoRepo } from './modules/sso/sso.repo.js';
import { createSsoService } from './modules/sso/sso.service.js';
import { createStaffService } from './modules/staff/staff.service.js';
import { createStudyRepo } from './modules/study/study.repo.js';
import { createStudyService, type StudyEvents } from './modules/study/study.service.js';
import { createTodoService } from './modules/todos/todos.service.js';
import { createUnitMembersRepo } from './modules/unit-members/unit-members.repo.js';
import { createUnitMembersService } from './modules/unit-members/unit-members.service.js';
import { createUnitRegistrationService } from './modules/units/unit-registration.service.js';
import { createUnitReviewService } from './modules/units/unit-review.service.js';
import { unitReviewTodo } from './modules/units/unit-review.todo.js';
import { createUnitsRepo } from './modules/units/units.repo.js';
import { createWechatIdentity } from './modules/wechat/wechat-identity.service.js';

/** The hourly job that deletes expired multi-step flows. */
export const FLOWS_PURGE_JOB = 'flows.purge';
/**
 * The hourly job that deletes imports' refused lines (error files, 未通过 rows) past IMPORT_ERROR_FILE_DAYS, and
 * expires the 学员注册名单 not imported by then (deleting their lines waiting for an account).
 */
export const IMPORT_ERRORS_PURGE_JOB = 'imports.errors-purge';
/** The hourly job that deletes 团体购买 checks (pasted ID numbers) a day past their expiry. */
export const GROUP_CHECKS_PURGE_JOB = 'purchase.group-checks-purge';

export interface ContextOptions {
  config: Config;
  database: Database;
  clock?: Clock;
  /** Replaces an adapter (tests use this to make the gateway fail or to record calls). */
  adapters?: {
    sms?: SmsSender;
    email?: EmailSender;
    realname?: RealnameVerifier;
    storage?: Storage;
    einvoice?: EInvoiceProvider;
    payments?: Partial<Record<PaymentChannel, PaymentProvider>>;
  };
  sessionEvents?: SessionEvents;
  /** Tells other instances which study sessions this one took over (server.ts: PostgreSQL NOTIFY). */
  studyEvents?: StudyEvents;
}

/** Wires every module once: services receive their dependencies explicitly (no global container). */
export function createContext(opts: ContextOptions) {
  const { config, database } = opts;
  // Process-wide: every layer counts days and shows times in the one zone (packages/shared/src/platform-zone.ts).
  setPlatformTimeZone(config.platformTimeZone);
  const db = database.db;
  const clock = opts.clock ?? systemClock;
  const pii = createPii(config.dataEncryptionKey);
  const audit = createAuditRepo();
  const outboxRepo = createOutboxRepo();
  const outbox: Outbox = {
    async record(item, ex) {
      if (config.demoMode) await outboxRepo.add(ex ?? db, item);
    },
  };
  const sms: SmsSender =
    opts.adapters?.sms ??
    (config.sms.provider === 'aliyun'
      ? createAliyunSms(config.sms.aliyun as Parameters<typeof createAliyunSms>[0])
      : createLocalSms({ outbox, failPhones: new Set(config.sms.localFailPhones) }));
  const realname: RealnameVerifier =
    opts.adapters?.realname ??
    (config.realname.provider === 'http'
      ? createHttpRealname(config.realname.http as Parameters<typeof createHttpRealname>[0])
      : createLocalRealname(config.realname));
  const storage = opts.adapters?.storage ?? storageFromConfig(config.storage);
  const email: EmailSender =
    opts.adapters?.email ??
    (config.email.provider === 'smtp'
      ? createSmtpEmail({ url: config.email.smtpUrl as string, from: config.email.from })
      : createLocalEmail({ outbox }));

  const rateLimits = createRateLimitService({ db, repo: createRateLimitRepo(), clock });
  const captcha = createCaptchaService({ db, repo: createCaptchaRepo(), clock, outbox });
  const smsService = createSmsService({
    db,
    repo: createSmsRepo(),
    clock,
    pii,
    sender: sms,
    rateLimits,
    limits: { dailyPerPhone: config.sms.dailyLimitPerPhone, hourlyPerIp: config.sms.hourlyLimitPerIp },
  });
  const identityRepo = createIdentityRepo();
  const sessions = createSessionService({
    db,
    repo: identityRepo,
    clock,
    idleMs: config.sessionIdleMs,
    absoluteMs: config.sessionAbsoluteMs,
    events: opts.sessionEvents,
  });
  const flows = createFlowTokens({ repo: identityRepo, clock });
  const files = createFilesService({ db, storage });
  const orgRepo = createOrgRepo();
  const unitsRepo = createUnitsRepo();
  const unitMembersRepo = createUnitMembersRepo();
  const orderMemberIds = async (ex: Executor, orderId: string) =>
    (await ex.select({ id: orderMembers.accountId }).from(orderMembers).where(eq(orderMembers.orderId, orderId))).map(
      (r) => r.id,
    );
  /** 工作单位 proposed by a 学员注册名单 or a 团体购买: pending links, one audit record per proposal. */
  const proposeMembers = async (
    tx: Executor,
    unitId: string,
    accountIds: string[],
    source: 'roster' | 'group-order',
  ) => {
    const proposed = await unitMembersRepo.propose(tx, unitId, accountIds, source, clock.now());
    if (proposed.length > 0)
      await audit.record(tx, {
        actorType: 'system',
        action: 'unit-member.propose',
        targetType: 'unit',
        targetId: unitId,
        summary: { source, proposed: proposed.length },
      });
  };
  /** The administrator account of the unit with this 统一社会信用代码 (法人用户: password or 第三方登录). */
  const unitAdminByUscc = async (uscc: string) => {
    const unit = await unitsRepo.unitByCodeOrName(db, uscc, undefined);
    return unit?.adminAccountId ? identityRepo.accountById(db, unit.adminAccountId) : undefined;
  };
  const auth = createAuthService({
    db,
    repo: identityRepo,
    clock,
    pii,
    captcha,
    sessions,
    rateLimits,
    audit,
    failuresPerIp: config.loginFailuresPerIp,
    unitAdminByUscc,
  });
  // 第三方登录 (政务服务网, 微信, any OIDC provider): providers configured by staff, linked accounts sign straight in.
  const ssoProtocols = {
    oidc: createOidcProtocol({ allowHttp: config.env !== 'production' }),
    wechat: createWechatLoginProtocol(),
  };
  const ssoRepo = createSsoRepo();
  const sso = createSsoService({
    db,
    repo: ssoRepo,
    identity: identityRepo,
    clock,
    pii,
    audit,
    auth,
    sms: smsService,
    captcha,
    rateLimits,
    protocols: ssoProtocols,
    publicUrl: config.publicUrl,
    publicUrls: config.publicUrls,
    unitAdminByUscc,
  });
  const base = { db, repo: identityRepo, clock, pii, audit };
  // 个人中心 shows the 实名 status kept by 人工实名审核 (created below: it notifies through jobs).
  const profile = createProfileService({
    ...base,
    sms: smsService,
    sessions,
    realnameStatus: (account) => realnameReview.statusOf(account),
    unitAdmin: async (accountId) => !!(await unitsRepo.unitOfAdmin(db, accountId)),
  });
  const unitDeps = { db, repo: unitsRepo, org: orgRepo, identity: identityRepo, files, clock, pii, audit };
  const unitRegistration = createUnitRegistrationService(unitDeps);

  const jobs = createJobs({ db, clock, log: (msg, err) => console.error(msg, loggableError(err)) });
  // Multi-step flows (registration, reset, 第三方登录) are kept a day past their expiry, for support, then deleted.
  jobs.register(FLOWS_PURGE_JOB, () => identityRepo.purgeFlows(db, new Date(clock.now().getTime() - 24 * 3_600_000)));
  jobs.every(FLOWS_PURGE_JOB, 60 * 60_000);
  const videoTokens = createVideoTokens({ secret: config.sessionSecret, clock });
  const staffService = createStaffService({ db, repo: identityRepo, clock, audit, org: orgRepo });
  // 消息中心 + SMS + e-mail: every module announces a result through notify.event (templates in notify/templates.ts).
  const messagesRepo = createMessagesRepo();
  const notify = createNotifyService({
    jobs,
    pii,
    sms,
    email,
    clock,
    messages: messagesRepo,
    phoneEncOf: async (ex, accountId) => (await identityRepo.accountById(ex, accountId))?.phoneEnc ?? null,
  });
  // 人工实名审核: accounts whose document the 实名认证 service cannot verify; buying and studying wait for it.
  const realnameReview = createRealnameReviewService({
    db,
    repo: createRealnameReviewRepo(),
    identity: identityRepo,
    files,
    pii,
    clock,
    audit,
    notify,
    rateLimits,
    onAccountChanged: profile.evict,
  });
  jobs.every('orders.expire', 60_000);
  // 扫码登录: tickets made on the desktop, confirmed on a signed-in phone; expired ones swept hourly.
  const qrLogin = createQrLoginService({ db, repo: createQrLoginRepo(), clock, auth, rateLimits, audit, jobs });
  jobs.every(QR_LOGIN_SWEEP_JOB, 60 * 60_000);
  // 统一认证中心 as an OpenID provider (接入系统, 单点登录): the portal session is the sign-in it answers from, and
  // ending a portal session (logout, password change or reset) ends what was signed in through it.
  const oidcProvider = createOidcProviderService({
    db,
    repo: createOidcProviderRepo(),
    pii,
    clock,
    audit,
    jobs,
    config: {
      publicUrl: config.publicUrl,
      sessionSecret: config.sessionSecret,
      trustProxy: config.trustProxy,
      sessionAbsoluteMs: config.sessionAbsoluteMs,
      brandName: config.branding.name,
      authCenterName: config.branding.authCenterName,
      portalSessionCookie: COOKIES.public.session,
      portalCsrfCookie: COOKIES.public.csrf,
    },
    portalSession: async (token) => {
      const s = await sessions.resolve('public', token);
      return s && { principalId: s.principalId, createdAt: s.createdAt, mustChangePassword: s.mustChangePassword };
    },
    endPortalSession: async (token, meta) => {
      const s = await sessions.resolve('public', token).catch(() => null);
      if (s) await auth.logout('public', token, s.principalId, meta);
    },
    account: async (id) => {
      const a = await identityRepo.accountById(db, id);
      return (
        a && {
          active: a.status === 'active',
          realName: a.realName,
          idType: a.idType,
          idNumber: pii.decrypt(a.idNumberEnc),
          phone: a.phoneEnc ? pii.decrypt(a.phoneEnc) : null,
        }
      );
    },
    log: (msg, err) => console.error(msg, loggableError(err)),
  });
  sessions.onEnded(async (ex, ended) => {
    if (ended.realm === 'public') await oidcProvider.grants.portalSessionEnded(ex, ended);
  });
  jobs.every(OIDC_PURGE_JOB, 60 * 60_000);
  // The demo gateway delivers its notifications through this; the public app points it at itself (inject).
  const gatewayTransport: { current: GatewayTransport } = { current: fetchTransport };
  const gateway = createLocalGateway({
    db,
    clock,
    jobs,
    keyFile: path.join(config.dataDir, 'gateway-keys.json'),
    baseUrl: config.publicUrl,
    merchantHosts: config.publicUrls.map((u) => new URL(u).host),
    transport: (url, body, headers) => gatewayTransport.current(url, body, headers),
    duplicates: config.payment.gatewayDuplicates,
  });
  const payments: Partial<Record<PaymentChannel, PaymentProvider>> =
    opts.adapters?.payments ??
    (config.payment.provider === 'local'
      ? Object.fromEntries(PAYMENT_CHANNELS.map((c) => [c, createLocalProvider(gateway, c)]))
      : {
          ...(config.payment.alipay ? { alipay: createAlipayProvider(config.payment.alipay) } : {}),
          ...(config.payment.wechat ? { wechat: createWechatProvider(config.payment.wechat) } : {}),
          ...(config.payment.unionpay
            ? {
                unionpay: createUnionpayProvider({
                  ...config.payment.unionpay,
                  // UnionPay names a trade by orderId + the time it was sent: the attempt's creation time.
                  txnTimeOf: async (outTradeNo) => {
                    const [p] = await db
                      .select({ at: paymentsTable.createdAt })
                      .from(paymentsTable)
                      .where(eq(paymentsTable.outTradeNo, outTradeNo));
                    if (!p) throw new Error(`unknown payment ${outTradeNo}`);
                    return p.at;
                  },
                  refundNotifyUrl: `${config.publicUrl}/api/payments/notify/unionpay`,
                }),
              }
            : {}),
        });
  const einvoice: EInvoiceProvider =
    opts.adapters?.einvoice ??
    (config.einvoice.provider === 'http'
      ? createHttpEInvoice(config.einvoice.http as { url: string; appId: string; appSecret: string })
      : createLocalEInvoice({
          sellerName: config.einvoice.sellerName,
          sellerTaxNo: config.einvoice.sellerTaxNo,
          clock,
          verifyBaseUrl: `${config.publicUrl}/api/invoice-verifications`,
        }));
  const purchaseRepo = createPurchaseRepo();
  const learnersRepo = createLearnersRepo();
  const courses = createCoursesService({ db, repo: createCoursesRepo(), files, storage, clock, audit, videoTokens });
  const plans = createPlansService({
    db,
    repo: purchaseRepo,
    clock,
    audit,
    filePurpose: async (id) => (await files.meta(id))?.purpose,
    catalogue: courses.planCatalogue,
  });
  const invoices = createInvoicesService({
    db,
    repo: purchaseRepo,
    clock,
    audit,
    jobs,
    files,
    provider: einvoice,
    itemName: config.einvoice.itemName,
    notify,
  });
  const orders = createOrdersService({
    db,
    repo: purchaseRepo,
    plans,
    clock,
    pii,
    audit,
    jobs,
    rateLimits,
    providers: payments,
    publicUrl: () => config.publicUrl,
    orderExpiryMs: config.orderExpiryMs,
    onPaid: async (tx, order) => {
      await invoices.onPaid(tx, order);
      // A unit's paid 团体购买 proposes its members as the unit's people (pending until the unit confirms).
      if (order.kind === 'group') {
        const unit = await unitsRepo.unitOfAdmin(tx, order.buyerAccountId);
        if (unit) await proposeMembers(tx, unit.id, await orderMemberIds(tx, order.id), 'group-order');
      }
    },
    invoicesOf: invoices.invoicesOf,
    unverifiedAccounts: realnameReview.unverified,
  });
  // 学时档案's entries: fed by 公需科目 certificates and 高研班 结业 (modules/credits).
  const creditsRepo = createCreditsRepo();
  // Registers the certificate.issue job handler (enqueued when an enrolment completes).
  const certificates = createCertificatesService({
    credits: creditsRepo,
    db,
    repo: createCertificatesRepo(),
    files,
    jobs,
    clock,
    pii,
    audit,
    rateLimits,
    publicUrl: config.publicUrl,
    dataDir: config.dataDir,
    signing: config.certificates,
    notify,
  });
  // 工作日历: every deadline counts working days by it.
  const calendar = createCalendarService({ db, repo: createCalendarRepo(), clock, audit });
  const study = createStudyService({
    db,
    repo: createStudyRepo(),
    clock,
    videoTokens,
    jobs,
    config: config.study,
    log: (msg, err) => console.error(msg, loggableError(err)),
    events: opts.studyEvents,
    assertRealnameVerified: realnameReview.assertVerified,
  });
  const applications = createApplicationsService({
    db,
    repo: createApplicationsRepo(),
    files,
    clock,
    audit,
    platformName: config.branding.name,
    cityBureauName: config.org.cityBureauName,
    calendar,
    notify,
  });
  // 继续教育基地 / 工程师基地: 市人社局's final approval of a 基地申报 designates the base; reminders 60 days before it ends.
  const bases = createBasesService({
    db,
    repo: createBasesRepo(),
    clock,
    audit,
    jobs,
    notify,
    pii,
    nextNumber: applications.nextNumber,
    unitAdminPhoneEnc: async (unitId) => {
      const unit = await unitsRepo.unitById(db, unitId);
      const admin = unit?.adminAccountId ? await identityRepo.accountById(db, unit.adminAccountId) : undefined;
      return admin?.status === 'active' ? admin.phoneEnc : null;
    },
  });
  for (const type of Object.keys(BASE_KINDS)) applications.onApproved(type, bases.designate);
  jobs.every(BASE_REMIND_JOB, 60 * 60_000);
  // 高研班 学员名单 and what 结业 approval issues (高研班结业证书, 专业科目 学时); registers its approval effect.
  /** A signed-in person's document: 学员名单, certificates and 学时 are kept by its keyed hash. */
  const holderOf = async (accountId: string) => {
    const a = await profile.load(accountId);
    return a.idNumberHash ? { idType: a.idType as IdType, hash: a.idNumberHash } : null;
  };
  const seminars = createSeminarsService({
    db,
    repo: createSeminarsRepo(),
    applications,
    certificates,
    files,
    pii,
    clock,
    audit,
    credits: creditsRepo,
    holder: holderOf,
  });
  const creditClaimsRepo = createCreditClaimsRepo();
  const credits = createCreditsService({
    db,
    repo: creditsRepo,
    claims: creditClaimsRepo,
    clock,
    holder: holderOf,
    pii,
    unitOfAdmin: (accountId) => unitsRepo.unitOfAdmin(db, accountId),
    notify,
    audit,
    rateLimits,
  });
  // 学时管理 on the console: 学时查询与更正, 学时统计 (and 数据看板's 学时达标率); the record is credits.recordOf.
  const creditAdmin = createCreditAdminService({
    db,
    repo: createCreditAdminRepo(),
    clock,
    pii,
    audit,
    staff: staffService,
    org: { byId: (id: string) => orgRepo.byId(db, id) },
    recordOf: (accountId) => credits.recordOf(accountId),
  });
  jobs.register(CREDIT_STATS_YEAR_JOB, () => creditAdmin.keepThisYear());
  jobs.every(CREDIT_STATS_YEAR_JOB, 60 * 60_000);
  /** The person's name with the document hash: 学时登记 and its history name people. */
  const personOf = async (accountId: string) => {
    const a = await identityRepo.accountById(db, accountId);
    return a ? { hash: a.idNumberHash, realName: a.realName } : null;
  };
  // 学时登记 → 单位确认 → 认定 (modules/credits); who 认定s is configuration (CREDIT_RECOGNITION_BY).
  const creditClaims = createCreditClaimsService({
    db,
    repo: creditClaimsRepo,
    files,
    clock,
    pii,
    audit,
    notify,
    holder: personOf,
    currentUnit: async (ex, accountId) => {
      const link = await unitMembersRepo.ofAccountInStatus(ex, accountId, 'confirmed');
      const unit = link ? await unitsRepo.unitById(ex, link.unitId) : undefined;
      return unit ? { id: unit.id, name: unit.name } : undefined;
    },
    unitOfAdmin: (accountId) => unitsRepo.unitOfAdmin(db, accountId),
    recognizerOf: async (ex, unitId) => {
      const unit = await unitsRepo.unitById(ex, unitId);
      const city = { nodeId: null, name: config.org.cityBureauName };
      if (!unit) return city;
      if (config.credits.recognitionBy === 'department') {
        const reviewer = await orgRepo.byId(ex, unit.reviewerNodeId);
        if (reviewer?.kind === 'department' && reviewer.active) return { nodeId: reviewer.id, name: reviewer.name };
      }
      const district = await orgRepo.byAreaCode(ex, unit.locatedArea);
      return district?.kind === 'district' && district.active ? { nodeId: district.id, name: district.name } : city;
    },
  });
  const creditStandards = createCreditStandardsService({ db, repo: creditClaimsRepo, clock, audit });
  const creditProofs = createCreditProofsService({
    db,
    repo: creditsRepo,
    files,
    clock,
    certificates,
    person: async (accountId) => {
      const a = await identityRepo.accountById(db, accountId);
      if (!a) return null;
      return {
        hash: a.idNumberHash,
        realName: a.realName,
        idType: a.idType as IdType,
        idNumberMasked: maskIdForCertificate(pii.decrypt(a.idNumberEnc)),
      };
    },
  });
  // 工作单位: people and the approved units they belong to.
  const unitMembers = createUnitMembersService({
    db,
    repo: unitMembersRepo,
    clock,
    pii,
    audit,
    notify,
    unitOfAdmin: (accountId) => unitsRepo.unitOfAdmin(db, accountId),
  });
  // 首页 → 待办事项: each module's queue, registered below once the services exist.
  const todos = createTodoService({ clock });
  const context = {
    config,
    database,
    todos,
    certificates,
    study,
    db,
    clock,
    videoTokens,
    courses,
    notify,
    messages: createMessagesService({ db, repo: messagesRepo, clock }),
    pii,
    audit,
    outboxRepo,
    adapters: { sms, realname, storage },
    rateLimits,
    captcha,
    sms: smsService,
    sessions,
    auth,
    files,
    registration: createRegistrationService({
      ...base,
      sms: smsService,
      realname,
      flows,
      reviews: realnameReview,
      sso,
    }),
    realnameReview,
    reset: createResetService({
      ...base,
      captcha,
      sms: smsService,
      auth,
      sessions,
      flows,
      rateLimits,
      onAccountChanged: profile.evict,
    }),
    profile,
    qrLogin,
    oidcProvider,
    sso,
    // CA 证书登录: a certificate in a USB key signs a challenge; linking and registration are 第三方登录's.
    caLogin: createCaLoginService({
      db,
      repo: ssoRepo,
      identity: identityRepo,
      clock,
      rateLimits,
      sso,
    }),
    loginProviders: createLoginProvidersService({
      db,
      repo: ssoRepo,
      clock,
      pii,
      audit,
      protocols: ssoProtocols,
      publicUrl: config.publicUrl,
      httpsOnly: config.env === 'production',
    }),
    recovery: createRecoveryService({ ...base, files, sessions, rateLimits, onAccountChanged: profile.evict }),
    staff: staffService,
    org: createOrgService({ db, repo: orgRepo, region: config.org, audit }),
    unitRegistration,
    unitReview: createUnitReviewService({ ...unitDeps, registration: unitRegistration, notify }),
    applications,
    seminars,
    credits,
    creditClaims,
    creditStandards,
    creditProofs,
    // 学时批量导入: 培训中心 (已认定) on the console, a 继续教育基地 (待认定) in 单位中心.
    creditImports: createCreditImportService({
      db,
      repo: createCreditImportRepo(),
      clock,
      pii,
      audit,
      files,
      staffName: async (staffId) => (await staffService.load(staffId)).displayName,
      accountName: async (accountId) => (await identityRepo.accountById(db, accountId))?.realName ?? '',
      unitOfAdmin: (accountId) => unitsRepo.unitOfAdmin(db, accountId),
      errorFileDays: config.imports.errorFileDays,
    }),
    unitMembers,
    bases,
    jobs,
    roster: createRosterService({
      db,
      repo: createRosterRepo(),
      clock,
      pii,
      audit,
      jobs,
      notify,
      proposeMembers: (tx, unitId, accountIds) => proposeMembers(tx, unitId, accountIds, 'roster'),
      invalidRowsDays: config.imports.errorFileDays,
    }),
    purchase: {
      plans,
      orders,
      invoices,
      ordersAdmin: createOrdersAdminService({ db, repo: purchaseRepo, pii, clock, audit }),
      refundsAdmin: createRefundsAdminService({
        db,
        repo: purchaseRepo,
        study: learnersRepo,
        invoices,
        jobs,
        audit,
        clock,
      }),
      gateway,
      gatewayTransport,
      payments,
      einvoice,
    },
    learners: createLearnersService({
      db,
      repo: learnersRepo,
      identity: identityRepo,
      sessions,
      notify,
      rateLimits,
      pii,
      clock,
      audit,
      onAccountChanged: profile.evict,
    }),
    help: createHelpService({ db, repo: createHelpRepo(), files, rateLimits, clock, pii, audit, notify }),
    notices: createNoticesService({
      db,
      repo: createNoticesRepo(),
      files,
      clock,
      audit,
      org: orgRepo,
      staff: staffService,
      unitOfAdmin: (accountId) => unitsRepo.unitOfAdmin(db, accountId),
    }),
    calendar,
    makeup: createMakeupService({
      db,
      repo: createMakeupRepo(),
      purchase: purchaseRepo,
      identity: identityRepo,
      files,
      clock,
      pii,
      audit,
      planCourses: courses.planCatalogue,
      calendar,
      notify,
    }),
    wechat: createWechatIdentity({
      oauth:
        config.payment.provider === 'local'
          ? createLocalWechatOauth(gateway)
          : config.payment.wechatOauth
            ? createWechatOauth(config.payment.wechatOauth)
            : undefined,
      secret: config.sessionSecret,
      clock,
    }),
    dashboard: createDashboardService({
      db,
      repo: createDashboardRepo(),
      clock,
      audit,
      staff: staffService,
      org: { byId: (id: string) => orgRepo.byId(db, id) },
      creditRates: creditAdmin.yearByDistrict,
    }),
    creditAdmin,
    /** Read-only questions other modules ask about units. */
    units: {
      unitOfAdmin: (accountId: string) => unitsRepo.unitOfAdmin(db, accountId),
      openChange: (unitId: string) => unitsRepo.openChangeOfUnit(db, unitId),
      nodeOfUnit: (unitId: string) => orgRepo.byUnit(db, unitId),
    },
  };
  // Both imports keep other people's ID numbers as typed in their refused lines: deleted once the sender had time
  // to correct them. A 学员注册名单 not imported by then expires, and its lines waiting for an account go too.
  // Hourly, so a file outlives its retention by an hour at most.
  jobs.register(IMPORT_ERRORS_PURGE_JOB, async () => {
    await context.creditImports.purgeExpiredErrorFiles();
    await context.roster.purgeExpiredInvalidRows();
    await context.roster.expireUnimported();
  });
  jobs.every(IMPORT_ERRORS_PURGE_JOB, 60 * 60_000);
  // 团体购买's checks hold the pasted ID numbers; their own expiry (an hour) plus a day, not IMPORT_ERROR_FILE_DAYS.
  jobs.register(GROUP_CHECKS_PURGE_JOB, async () => {
    await orders.purgeExpiredChecks();
  });
  jobs.every(GROUP_CHECKS_PURGE_JOB, 60 * 60_000);
  // Each queue counts through its module's own list and scope: the reviewer the list's routes resolve.
  todos.register(
    unitReviewTodo({ unitReview: context.unitReview, scopeOf: (staffId) => context.staff.reviewerScope(staffId) }),
    ...applicationReviewTodos({ applications, reviewerOf: (staffId) => consoleReviewer(context, staffId) }),
    makeupTodo({ makeup: context.makeup }),
    ticketTodo({ help: context.help }),
    rosterTodo({ roster: context.roster }),
    recoveryTodo({ recovery: context.recovery }),
    realnameReviewTodo({ realnameReview }),
  );
  return context;
}
export type AppContext = ReturnType<typeof createContext>;
