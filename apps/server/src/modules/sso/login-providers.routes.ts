import {
  ZCaCrlUpload,
  ZLoginProviderAdmin,
  ZLoginProviderAdminList,
  ZLoginProviderCheck,
  ZLoginProviderCreate,
  ZLoginProviderInput,
  ZLoginProviderParams,
  ZOk,
} from '@cpe/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { meta, requireSession } from '../../http/auth.js';
import { AppError } from '../../lib/errors.js';

/** 系统管理 → 第三方登录 (staff listener only; 系统管理员). */
export function loginProvidersStaffRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireSession(ctx, 'staff');
    const sysadmin = [
      auth,
      async (req: { principalId?: string }) => {
        const staff = await ctx.staff.load(req.principalId as string);
        if (!staff.roles.includes('sysadmin'))
          throw new AppError('FORBIDDEN', { message: '仅系统管理员可以配置第三方登录' });
      },
    ];
    const tags = ['第三方登录'];
    const staffId = (req: { principalId?: string }) => req.principalId as string;

    app.get(
      '/api/login-providers',
      {
        onRequest: sysadmin,
        schema: { tags, summary: '第三方登录配置（不含密钥）', response: { 200: ZLoginProviderAdminList } },
      },
      async () => ctx.loginProviders.list(),
    );
    app.post(
      '/api/login-providers',
      {
        onRequest: sysadmin,
        schema: { tags, summary: '新增第三方登录', body: ZLoginProviderCreate, response: { 200: ZLoginProviderAdmin } },
      },
      async (req) => ctx.loginProviders.create(staffId(req), req.body, meta(req)),
    );
    app.put(
      '/api/login-providers/:id',
      {
        onRequest: sysadmin,
        schema: {
          tags,
          summary: '修改第三方登录（密钥留空则不变）',
          params: ZLoginProviderParams,
          body: ZLoginProviderInput,
          response: { 200: ZLoginProviderAdmin },
        },
      },
      async (req) => ctx.loginProviders.update(staffId(req), req.params.id, req.body, meta(req)),
    );
    app.delete(
      '/api/login-providers/:id',
      {
        onRequest: sysadmin,
        schema: {
          tags,
          summary: '删除第三方登录（账号的绑定一并删除）',
          params: ZLoginProviderParams,
          response: { 200: ZOk },
        },
      },
      async (req) => ctx.loginProviders.remove(staffId(req), req.params.id, meta(req)),
    );
    app.put(
      '/api/login-providers/:id/crl',
      {
        onRequest: sysadmin,
        // A CRL of a large CA runs to megabytes; base64 adds a third.
        bodyLimit: 15 * 1024 * 1024,
        schema: {
          tags,
          summary: '上传证书吊销列表（CRL，DER 或 PEM；须由已配置的 CA 签发）',
          params: ZLoginProviderParams,
          body: ZCaCrlUpload,
          response: { 200: ZLoginProviderAdmin },
        },
      },
      async (req) => ctx.loginProviders.uploadCrl(staffId(req), req.params.id, req.body.crl, meta(req)),
    );
    app.post(
      '/api/login-providers/:id/check',
      {
        onRequest: sysadmin,
        schema: {
          tags,
          summary: '测试连接（OIDC：读取发现文档；微信：校验 AppID 与 AppSecret）',
          params: ZLoginProviderParams,
          response: { 200: ZLoginProviderCheck },
        },
      },
      async (req) => ctx.loginProviders.check(req.params.id),
    );
  };
}
