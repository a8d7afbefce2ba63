import type { IncomingMessage } from 'node:http';
import {
  ZOidcAuthorizedAppList,
  ZOidcClient,
  ZOidcClientList,
  ZOidcClientRequest,
  ZOidcClientWithSecret,
  ZOidcConsentDecision,
  ZOidcConsentDetails,
  ZOidcRedirect,
  ZOidcSigningKeyList,
  ZOk,
} from '@cpe/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { COOKIES, meta, requireSession } from '../../http/auth.js';
import { readMultipart } from '../../http/multipart.js';
import { publicOrigin } from '../../http/request-origin.js';
import { AppError } from '../../lib/errors.js';
import { OIDC_INTERACTIONS_PATH, OIDC_PREFIX } from './oidc-runtime.js';

const tags = ['统一认证'];
const uidParams = z.object({
  uid: z
    .string()
    .min(1, '授权请求无效')
    .max(64, '授权请求无效')
    .regex(/^[\w-]+$/, '授权请求无效'),
});

/**
 * The provider's own answers bypass Fastify's reply (hijacked), so they get their security headers here. No
 * form-action: the logout form's answer redirects to the system's post-logout address, and a form_post response
 * posts to the system itself. oidc-provider adds the hash of its one inline script (form_post) to script-src.
 */
const PROVIDER_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

/**
 * Public listener only. `/oidc/*` is the OpenID provider itself (oidc-provider, a Koa app, answers the raw
 * request); `/api/oidc/…` is our interaction (portal session → sign-in without a page, or the consent page's API);
 * `/api/me/authorized-apps` is 个人中心 → 已授权应用.
 */
export function oidcProviderPublicRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const { runtime, grants } = ctx.oidcProvider;
    const auth = requireSession(ctx, 'public');
    const me = (req: FastifyRequest) => req.principalId as string;

    // oidc-provider (Koa) builds the URLs of its endpoints, discovery document and redirects from the request's Host
    // (X-Forwarded-Host when TRUST_PROXY): pinned to the public URL the request came in on, so a Host the operator
    // did not list never appears in them (the issuer is PUBLIC_URL's first address whatever the host).
    app.addHook('onRequest', async (req) => {
      req.raw.headers.host = new URL(publicOrigin(req, ctx.config.publicUrls)).host;
      delete req.raw.headers['x-forwarded-host'];
    });

    // Its own encapsulated context: no body parser reads the stream (the provider parses its form posts itself;
    // Fastify would refuse application/x-www-form-urlencoded with 415), so the global preValidation hook sees
    // no body either. CSRF exempts the prefix in app.ts: the provider's endpoints have their own protections
    // (client authentication, PKCE, the logout form's xsrf token, state and nonce for the systems). Hidden from
    // OpenAPI: it is not our JSON API (its document is /oidc/.well-known/openid-configuration), and the
    // route-enumerating tests would call it with our conventions.
    await app.register(async (provider) => {
      provider.removeAllContentTypeParsers();
      provider.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
      const handle = async (req: FastifyRequest, reply: FastifyReply) => {
        reply.hijack();
        const raw = req.raw as IncomingMessage & { originalUrl?: string };
        for (const [name, value] of Object.entries(PROVIDER_HEADERS)) reply.raw.setHeader(name, value);
        reply.raw.setHeader('x-request-id', req.id);
        // Mounted under a prefix, as oidc-provider documents for other frameworks: it sees the path without the
        // prefix and finds the prefix again from originalUrl when it builds its own URLs.
        raw.originalUrl = raw.url;
        raw.url = (raw.url ?? '').slice(OIDC_PREFIX.length) || '/';
        await runtime.handle(raw, reply.raw);
      };
      provider.all(`${OIDC_PREFIX}/*`, { schema: { hide: true } }, handle);
    });

    app.get(
      `${OIDC_INTERACTIONS_PATH}/:uid`,
      {
        schema: {
          tags,
          summary: '单点登录：统一认证中心的交互入口（浏览器跳转，已登录门户时直接返回接入系统）',
          params: uidParams,
        },
      },
      async (req, reply) => {
        const location = await grants.enter(req.raw, reply.raw, req.params.uid, req.cookies[COOKIES.public.session]);
        reply.header('cache-control', 'no-store');
        return reply.redirect(location, 303);
      },
    );
    app.get(
      `${OIDC_INTERACTIONS_PATH}/:uid/consent`,
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '单点登录：授权确认页的内容（接入系统及其将获得的信息）',
          params: uidParams,
          response: { 200: ZOidcConsentDetails.extend({ continueTo: z.string().nullable() }) },
        },
      },
      async (req, reply) => grants.consentDetails(req.raw, reply.raw, req.params.uid, me(req)),
    );
    app.post(
      `${OIDC_INTERACTIONS_PATH}/:uid/consent`,
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '单点登录：同意授权或拒绝',
          params: uidParams,
          body: ZOidcConsentDecision,
          response: { 200: ZOidcRedirect },
        },
      },
      async (req, reply) => grants.decide(req.raw, reply.raw, req.params.uid, me(req), req.body.decision, meta(req)),
    );

    app.get(
      '/api/me/authorized-apps',
      {
        onRequest: auth,
        schema: { tags, summary: '已授权应用', response: { 200: ZOidcAuthorizedAppList } },
      },
      async (req) => grants.authorizedApps(me(req)),
    );
    app.delete(
      '/api/me/authorized-apps/:clientId',
      {
        onRequest: auth,
        schema: {
          tags,
          summary: '撤销授权（该系统的登录随之结束）',
          params: z.object({ clientId: z.string().min(1, '应用无效').max(64, '应用无效') }),
          response: { 200: ZOk },
        },
      },
      async (req) => grants.revokeApp(me(req), req.params.clientId, meta(req)),
    );
  };
}

/** 系统管理 → 接入系统 and 签名密钥: 系统管理员 only. */
export function oidcProviderStaffRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const { admin } = ctx.oidcProvider;
    const sysadmin = [
      requireSession(ctx, 'staff'),
      async (req: FastifyRequest) => {
        const staff = await ctx.staff.load(req.principalId as string);
        if (!staff.roles.includes('sysadmin')) throw new AppError('FORBIDDEN');
      },
    ];
    const staffId = (req: FastifyRequest) => req.principalId as string;
    const tags = ['内网'];
    const id = z.object({ id: z.uuid('接入系统编号无效') });

    app.get(
      '/api/oidc-clients',
      { onRequest: sysadmin, schema: { tags, summary: '接入系统列表', response: { 200: ZOidcClientList } } },
      async () => admin.listClients(),
    );
    app.post(
      '/api/oidc-clients',
      {
        onRequest: sysadmin,
        schema: {
          tags,
          summary: '新增接入系统（客户端密钥只在此显示一次）',
          body: ZOidcClientRequest,
          response: { 200: ZOidcClientWithSecret },
        },
      },
      async (req) => admin.createClient(req.body, staffId(req), meta(req)),
    );
    app.put(
      '/api/oidc-clients/:id',
      {
        onRequest: sysadmin,
        schema: { tags, summary: '修改接入系统', params: id, body: ZOidcClientRequest, response: { 200: ZOidcClient } },
      },
      async (req) => admin.updateClient(req.params.id, req.body, staffId(req), meta(req)),
    );
    app.post(
      '/api/oidc-clients/:id/secret',
      {
        onRequest: sysadmin,
        schema: {
          tags,
          summary: '重置客户端密钥（新密钥只在此显示一次，旧密钥立即失效）',
          params: id,
          response: { 200: ZOidcClientWithSecret },
        },
      },
      async (req) => admin.resetSecret(req.params.id, staffId(req), meta(req)),
    );
    app.put(
      '/api/oidc-clients/:id/logo',
      {
        onRequest: sysadmin,
        schema: {
          tags,
          summary: '上传接入系统图标（JPG/PNG，multipart 字段 logo）',
          params: id,
          consumes: ['multipart/form-data'],
          response: { 200: ZOidcClient },
        },
      },
      async (req) => {
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '请以表单方式上传' });
        const { files } = await readMultipart(req, { maxFileBytes: 2 * 1024 * 1024, maxFiles: 1 });
        return admin.setLogo(req.params.id, files.logo, staffId(req), meta(req));
      },
    );
    app.delete(
      '/api/oidc-clients/:id/logo',
      {
        onRequest: sysadmin,
        schema: { tags, summary: '删除接入系统图标', params: id, response: { 200: ZOidcClient } },
      },
      async (req) => admin.removeLogo(req.params.id, staffId(req), meta(req)),
    );
    app.delete(
      '/api/oidc-clients/:id',
      {
        onRequest: sysadmin,
        schema: { tags, summary: '删除接入系统（其授权与令牌一并失效）', params: id, response: { 200: ZOk } },
      },
      async (req) => admin.deleteClient(req.params.id, staffId(req), meta(req)),
    );

    app.get(
      '/api/oidc-keys',
      { onRequest: sysadmin, schema: { tags, summary: '签名密钥', response: { 200: ZOidcSigningKeyList } } },
      async () => admin.listKeys(),
    );
    app.post(
      '/api/oidc-keys',
      {
        onRequest: sysadmin,
        schema: {
          tags,
          summary: '轮换签名密钥（新密钥立即用于签名，旧密钥继续公布以便验证）',
          response: { 200: z.object({ kid: z.string() }) },
        },
      },
      async (req) => admin.rotateKey(staffId(req), meta(req)),
    );
    app.delete(
      '/api/oidc-keys/:kid',
      {
        onRequest: sysadmin,
        schema: {
          tags,
          summary: '删除旧签名密钥（正在使用的密钥不能删除）',
          params: z.object({ kid: z.string().min(1, '密钥无效').max(100, '密钥无效') }),
          response: { 200: ZOk },
        },
      },
      async (req) => admin.deleteKey(req.params.kid, staffId(req), meta(req)),
    );
  };
}
