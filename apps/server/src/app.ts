import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setCountyCodesEver } from '@cpe/shared';
import { countyCodesEver } from '@cpe/shared/areas/county-codes-ever';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { localGatewayRoutes } from './adapters/payment/local-gateway.routes.js';
import { wechatStandinRoutes } from './adapters/sso/wechat-standin.js';
import type { AppContext } from './context.js';
import { COOKIES, csrfOptions, requireSession } from './http/auth.js';
import { installCsrf } from './http/csrf.js';
import { installErrorHandling } from './http/errors.js';
import { loggerOptions } from './http/logger.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { installTextNormalisation } from './http/text-normalisation.js';
import { type WebIndex, withPlatformTimeZone, withSite } from './http/web-index.js';
import { basesPublicRoutes, basesStaffRoutes } from './modules/bases/bases.routes.js';
import { calendarRoutes } from './modules/calendar/calendar.routes.js';
import { captchaRoutes } from './modules/captcha/captcha.routes.js';
import { certificatesPublicRoutes } from './modules/certificates/certificates.routes.js';
import { mediaRoutes } from './modules/courses/media.routes.js';
import { creditClaimsPublicRoutes } from './modules/credits/credit-claims.routes.js';
import { creditImportPublicRoutes } from './modules/credits/credit-import.routes.js';
import { creditsRoutes } from './modules/credits/credits.routes.js';
import { dashboardRoutes } from './modules/dashboard/dashboard.routes.js';
import { helpPublicRoutes } from './modules/help/help.routes.js';
import type { Realm } from './modules/identity/identity.repo.js';
import { identityRoutes } from './modules/identity/identity.routes.js';
import { makeupPublicRoutes } from './modules/makeup/makeup.routes.js';
import { noticesPublicRoutes } from './modules/notices/notices.routes.js';
import { messagesRoutes } from './modules/notify/messages.routes.js';
import { oidcProviderPublicRoutes, oidcProviderStaffRoutes } from './modules/oidc-provider/oidc-provider.routes.js';
import { outboxRoutes } from './modules/outbox/outbox.routes.js';
import { purchaseRoutes } from './modules/purchase/purchase.routes.js';
import { qrLoginRoutes } from './modules/qr-login/qr-login.routes.js';
import { realnameReviewPublicRoutes } from './modules/realname-review/realname-review.routes.js';
import { rosterPublicRoutes } from './modules/roster/roster.routes.js';
import { seminarPublicRoutes, seminarStaffRoutes } from './modules/seminars/seminars.routes.js';
import { demoCaRoutes } from './modules/sso/demo-ca.routes.js';
import { loginProvidersStaffRoutes } from './modules/sso/login-providers.routes.js';
import { DEMO_WECHAT, demoWechatSecret } from './modules/sso/login-providers.service.js';
import { ssoRoutes } from './modules/sso/sso.routes.js';
import { staffRoutes } from './modules/staff/staff.routes.js';
import { STUDY_LIVE_LIMITS, studyLiveRoutes } from './modules/study/study.live.js';
import { studyRoutes } from './modules/study/study.routes.js';
import { siteInfo, systemRoutes } from './modules/system/system.routes.js';
import { todosRoutes } from './modules/todos/todos.routes.js';
import { unitMembersRoutes } from './modules/unit-members/unit-members.routes.js';
import { unitsRoutes } from './modules/units/units.routes.js';
import { wechatRoutes } from './modules/wechat/wechat.routes.js';

export interface BuildOptions {
  /** Log level override (tests pass 'silent'). */
  logLevel?: string;
  /** Where logs go (tests capture them to check redaction); stdout by default. */
  logStream?: NodeJS.WritableStream;
  /** Serve the built web app from WEB_DIST_DIR (off in API tests). */
  serveWeb?: boolean;
}

/** Everything both listeners share: validation, errors, cookies, CSRF, security headers, docs, health. */
async function buildBase(ctx: AppContext, realm: Realm, opts: BuildOptions): Promise<FastifyInstance> {
  // 身份证号码: the server checks the region part against every county code ever published (built once, Node
  // only); the web bundle keeps the data-free check. Every service and job of this process validates with it.
  setCountyCodesEver(countyCodesEver());
  const app = Fastify({
    logger: loggerOptions(opts.logLevel ?? ctx.config.logLevel, realm, opts.logStream),
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 1024 * 1024,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : crypto.randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  installErrorHandling(app, opts.serveWeb ? webIndex(ctx, realm) : undefined);
  // Before any route is registered, so every route of both listeners inherits it (see text-normalisation.ts).
  installTextNormalisation(app);
  installSecurityHeaders(app, { production: ctx.config.env === 'production' });
  await app.register(cookie);
  await app.register(multipart);
  installCsrf(app, {
    ...csrfOptions(ctx, realm),
    // /oidc/: the OpenID provider's endpoints (token, logout confirmation…) are posted to by other systems and by
    // its own forms; they carry client authentication, PKCE or the provider's xsrf token instead.
    exemptPrefixes: realm === 'public' ? ['/api/payments/notify/', '/pay-gateway/', '/oidc/'] : [],
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title:
          realm === 'public'
            ? `${ctx.config.branding.name} 公共接口`
            : `${ctx.config.branding.staffConsoleName} 内网接口`,
        version: '1',
        description:
          '错误统一为 { code, message, fields? }。写操作需带 X-CSRF-Token 头，其值为 Cookie ' +
          COOKIES[realm].csrf +
          ' 的值（GET /api/csrf 获取）。',
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  await app.register(systemRoutes(ctx));
  await app.register(captchaRoutes(ctx, realm));
  return app;
}

/** The built single-page app of this listener, served for any non-API GET the router owns. */
/**
 * The web build this process serves: the folder `dist` links to at start (scripts/build.mjs), resolved once. A build
 * beside a running instance switches the link to a new folder; this instance keeps serving the one it started with
 * (resolved here once), which the build keeps, until it is restarted.
 */
function webIndex(ctx: AppContext, realm: Realm): WebIndex | undefined {
  const linked = path.join(ctx.config.webDistDir, realm === 'public' ? 'portal' : 'console');
  if (!fs.existsSync(path.join(linked, 'index.html'))) return undefined;
  const root = fs.realpathSync(linked);
  const built = fs.readFileSync(path.join(root, 'index.html'), 'utf8');
  return { root, html: withSite(withPlatformTimeZone(built, ctx.config.platformTimeZone), siteInfo(ctx.config)) };
}

async function serveWeb(app: FastifyInstance, ctx: AppContext, realm: Realm): Promise<void> {
  const web = webIndex(ctx, realm);
  if (!web) {
    app.log.warn(`web app not built (${ctx.config.webDistDir}); run npm run build`);
    return;
  }
  await app.register(fastifyStatic, {
    root: web.root,
    // One wildcard route, not one route per file: registering a route for each of the ~500 built files (with
    // their .br/.gz siblings) cost ~0.1 s of every start (issue 22). A path with no file falls through to the
    // not-found handler, which serves the app's index.html for its client-side routes.
    wildcard: true,
    // index.html is never sent from disk: the not-found handler sends it with the platform's time zone written in
    // (web-index.ts), for `/`, `/index.html` and every client-side route alike.
    // A folder (`/`, `/assets/`) is no file either: the not-found handler answers it (the app, or a JSON 404).
    index: false,
    allowedPath: (pathName) => pathName !== '/index.html' && !pathName.endsWith('/'),
    redirect: false,
    // Built files come with .br/.gz siblings (apps/web/scripts/compress.ts); served to browsers that accept them.
    preCompressed: true,
    // Hashed asset names never change: cache for a year; index.html always revalidates.
    setHeaders: (res, file) => {
      res.header(
        'cache-control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
}

export async function buildPublicApp(ctx: AppContext, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = await buildBase(ctx, 'public', opts);
  await app.register(identityRoutes(ctx));
  await app.register(realnameReviewPublicRoutes(ctx.realnameReview, requireSession(ctx, 'public')));
  await app.register(qrLoginRoutes(ctx));
  // 统一认证中心 as an OpenID provider (/oidc/* and its interaction): public listener only.
  await app.register(oidcProviderPublicRoutes(ctx));
  await app.register(ssoRoutes(ctx));
  await app.register(unitsRoutes(ctx));
  await app.register(seminarPublicRoutes(ctx));
  await app.register(creditsRoutes(ctx.credits, requireSession(ctx, 'public')));
  await app.register(creditImportPublicRoutes(ctx.creditImports, requireSession(ctx, 'public')));
  await app.register(creditClaimsPublicRoutes(ctx.creditClaims, ctx.creditProofs, requireSession(ctx, 'public')));
  await app.register(unitMembersRoutes(ctx.unitMembers, requireSession(ctx, 'public')));
  await app.register(purchaseRoutes(ctx));
  await app.register(wechatRoutes(ctx));
  await app.register(rosterPublicRoutes(ctx));
  await app.register(makeupPublicRoutes(ctx));
  await app.register(mediaRoutes(ctx));
  await app.register(certificatesPublicRoutes(ctx));
  // Public listener only: the player's live heartbeat channel is its one WebSocket route.
  await app.register(websocket, { options: { maxPayload: STUDY_LIVE_LIMITS.maxPayloadBytes } });
  await app.register(studyRoutes(ctx));
  await app.register(studyLiveRoutes(ctx));
  await app.register(helpPublicRoutes(ctx));
  await app.register(noticesPublicRoutes(ctx));
  // 消息中心 (站内信).
  await app.register(messagesRoutes(ctx));
  await app.register(basesPublicRoutes(ctx));
  if (ctx.config.payment.provider === 'local') {
    await app.register(localGatewayRoutes(ctx.purchase.gateway));
    // The demo gateway reaches our notify route in-process: real HTTP routing and hooks, no network needed.
    ctx.purchase.gatewayTransport.current = async (url, body, headers) => {
      const target = new URL(url);
      const res = await app.inject({ method: 'POST', url: target.pathname + target.search, payload: body, headers });
      return { status: res.statusCode, body: res.body };
    };
  }
  if (ctx.config.demoMode) {
    await app.register(outboxRoutes(ctx));
    await app.register(demoCaRoutes(ctx));
    // 微信登录's stand-in (demo only): the seeded 微信 provider points here, so its icon works on one machine.
    await app.register(
      wechatStandinRoutes({ apps: { [DEMO_WECHAT.appId]: demoWechatSecret(ctx.config.sessionSecret) } }),
      { prefix: DEMO_WECHAT.path },
    );
  }
  if (opts.serveWeb) await serveWeb(app, ctx, 'public');
  return app;
}

export async function buildStaffApp(ctx: AppContext, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = await buildBase(ctx, 'staff', opts);
  await app.register(staffRoutes(ctx));
  await app.register(seminarStaffRoutes(ctx));
  await app.register(dashboardRoutes(ctx));
  await app.register(todosRoutes(ctx));
  await app.register(basesStaffRoutes(ctx));
  await app.register(calendarRoutes(ctx));
  await app.register(loginProvidersStaffRoutes(ctx));
  await app.register(oidcProviderStaffRoutes(ctx));
  if (opts.serveWeb) await serveWeb(app, ctx, 'staff');
  return app;
}
