import {
  checkIdDocument,
  ZChangePasswordRequest,
  ZChangePhoneRequest,
  ZLoginRequest,
  ZManualRecoveryFields,
  ZMeResponse,
  ZOk,
  ZRegistrationBasicRequest,
  ZRegistrationCompleteResponse,
  ZRegistrationFlowResponse,
  ZRegistrationIdentityFields,
  ZRegistrationManualResponse,
  ZResetMethodRequest,
  ZResetPasswordRequest,
  ZResetSmsRequest,
  ZResetStartRequest,
  ZResetStepResponse,
  ZResetVerifyRequest,
  ZSendSmsRequest,
  ZSendSmsResponse,
} from '@cpe/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { clearSessionCookie, meta, requireSession, setSessionCookie } from '../../http/auth.js';
import { readMultipart } from '../../http/multipart.js';
import { AppError } from '../../lib/errors.js';
import { readPhotoForm } from '../realname-review/realname-review.routes.js';
import { SSO_COOKIE } from '../sso/sso.service.js';

const zToken = z.string({ error: '流程已失效，请重新开始' }).min(1, '流程已失效，请重新开始').max(128);
const withToken = <T extends z.ZodRawShape>(shape: T) => z.object({ token: zToken, ...shape });

/** 统一认证中心 on the public listener: registration, login, reset, 个人中心. */
export function identityRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const perIpHourly = ctx.config.registrationsHourlyLimitPerIp;
  return async (app) => {
    const auth = requireSession(ctx, 'public');

    app.post(
      '/api/sms-codes',
      {
        schema: {
          tags: ['统一认证'],
          summary: '获取短信验证码',
          body: ZSendSmsRequest,
          response: { 200: ZSendSmsResponse },
        },
      },
      async (req) => {
        await ctx.captcha.verifyImage('public', req.body.captchaId, req.body.captchaCode);
        return ctx.sms.send({ phone: req.body.phone, purpose: req.body.purpose, ip: req.ip });
      },
    );

    // ---- 新用户注册 ----
    app.post(
      '/api/registrations',
      {
        schema: {
          tags: ['统一认证'],
          summary: '注册第1步：基本信息',
          body: ZRegistrationBasicRequest,
          response: { 200: ZRegistrationFlowResponse },
        },
      },
      async (req) => {
        await ctx.rateLimits.consume({ key: `register:ip:${req.ip}`, max: perIpHourly, windowMs: 3_600_000 });
        // From a 第三方登录: the pending login is this browser's HttpOnly cookie (sso.routes.ts), never the body.
        return ctx.registration.start(req.body, req.body.sso ? (req.cookies[SSO_COOKIE] ?? '') : undefined);
      },
    );
    app.post(
      '/api/registrations/identity',
      {
        schema: {
          tags: ['统一认证'],
          summary: '注册第2步：修改姓名和证件（实名认证未通过时）',
          body: ZRegistrationIdentityFields.extend({ token: zToken }).superRefine(checkIdDocument),
          response: { 200: ZRegistrationFlowResponse },
        },
      },
      async (req) => ctx.registration.updateIdentity(req.body.token, req.body),
    );
    app.post(
      '/api/registrations/complete',
      {
        schema: {
          tags: ['统一认证'],
          summary: '注册第2步：实名认证，通过后创建账号',
          body: withToken({}),
          response: { 200: ZRegistrationCompleteResponse },
        },
      },
      async (req) => {
        await ctx.rateLimits.consume({ key: `realname:ip:${req.ip}`, max: perIpHourly, windowMs: 3_600_000 });
        return ctx.registration.complete(req.body.token, meta(req));
      },
    );
    app.post(
      '/api/registrations/manual',
      {
        schema: {
          tags: ['统一认证'],
          summary:
            '注册第2步（护照等须人工实名审核的证件）：上传证件照片，创建账号并提交人工实名审核（multipart：token, photo）',
          consumes: ['multipart/form-data'],
          response: { 200: ZRegistrationManualResponse },
        },
      },
      async (req) => {
        await ctx.rateLimits.consume({ key: `realname:ip:${req.ip}`, max: perIpHourly, windowMs: 3_600_000 });
        const { fields, files } = await readPhotoForm(req);
        const { token } = withToken({}).parse(fields);
        return ctx.registration.completeManual(token, files.photo, meta(req));
      },
    );

    // ---- 登录 ----
    app.post(
      '/api/sessions',
      {
        schema: {
          tags: ['统一认证'],
          summary: '登录（个人用户 / 法人用户）',
          body: ZLoginRequest,
          response: { 200: ZMeResponse },
        },
      },
      async (req, reply) => {
        const { session, account } =
          req.body.loginType === 'legal'
            ? await ctx.auth.loginLegal(req.body, meta(req))
            : await ctx.auth.loginPerson(req.body, meta(req));
        setSessionCookie(ctx, reply, 'public', session.token, session.maxAgeSeconds);
        return ctx.profile.toMe(account);
      },
    );
    app.delete(
      '/api/sessions/current',
      { onRequest: auth, schema: { tags: ['统一认证'], summary: '退出登录', response: { 200: ZOk } } },
      async (req, reply) => {
        await ctx.auth.logout('public', req.sessionToken as string, req.principalId as string, meta(req));
        clearSessionCookie(ctx, reply, 'public');
        return { ok: true as const };
      },
    );

    // ---- 个人中心 ----
    app.get(
      '/api/me',
      { onRequest: auth, schema: { tags: ['个人中心'], summary: '当前用户', response: { 200: ZMeResponse } } },
      async (req) => ctx.profile.me(req.principalId as string),
    );
    app.post(
      '/api/me/password',
      {
        onRequest: auth,
        schema: {
          tags: ['个人中心'],
          summary: '修改密码（结束全部会话）',
          body: ZChangePasswordRequest,
          response: { 200: ZOk },
        },
      },
      async (req, reply) => {
        await ctx.profile.changePassword(req.principalId as string, req.body, meta(req));
        clearSessionCookie(ctx, reply, 'public');
        return { ok: true as const };
      },
    );
    app.post(
      '/api/me/phone',
      {
        onRequest: auth,
        schema: {
          tags: ['个人中心'],
          summary: '更换手机号',
          body: ZChangePhoneRequest,
          response: { 200: ZMeResponse },
        },
      },
      async (req) => ctx.profile.changePhone(req.principalId as string, req.body, meta(req)),
    );

    // ---- 忘记密码 ----
    const resetSchema = (summary: string, body: z.ZodType) => ({
      tags: ['统一认证'],
      summary,
      body,
      response: { 200: ZResetStepResponse },
    });
    app.post(
      '/api/password-resets',
      { schema: resetSchema('找回密码第1步：确认账号', ZResetStartRequest) },
      async (req) => ctx.reset.start(req.body as z.output<typeof ZResetStartRequest>, meta(req)),
    );
    app.post(
      '/api/password-resets/method',
      { schema: resetSchema('找回密码第2步：选择验证方式', ZResetMethodRequest.extend({ token: zToken })) },
      async (req) => {
        const body = req.body as { token: string; method: 'phone' };
        return ctx.reset.chooseMethod(body.token, body.method);
      },
    );
    app.post(
      '/api/password-resets/sms',
      {
        schema: {
          tags: ['统一认证'],
          summary: '找回密码第3步：发送短信验证码到绑定手机',
          body: ZResetSmsRequest.extend({ token: zToken }),
          response: { 200: ZSendSmsResponse },
        },
      },
      async (req) => ctx.reset.sendCode(req.body.token, req.body, meta(req)),
    );
    app.post(
      '/api/password-resets/verify',
      { schema: resetSchema('找回密码第3步：校验短信验证码', ZResetVerifyRequest.extend({ token: zToken })) },
      async (req) => {
        const body = req.body as { token: string; smsCode: string };
        return ctx.reset.verifyCode(body.token, body.smsCode);
      },
    );
    app.post(
      '/api/password-resets/password',
      {
        schema: {
          tags: ['统一认证'],
          summary: '找回密码第4步：设置新密码',
          body: ZResetPasswordRequest.and(z.object({ token: zToken })),
          response: { 200: ZOk },
        },
      },
      async (req) => ctx.reset.setPassword(req.body.token, req.body.password, meta(req)),
    );

    // ---- 通过人工找回 ----
    app.post(
      '/api/manual-recoveries',
      {
        schema: {
          tags: ['统一认证'],
          summary: '人工找回申请（multipart：realName, idNumber, newPhone, note, photo）',
          consumes: ['multipart/form-data'],
          response: { 200: z.object({ id: z.string() }) },
        },
      },
      async (req) => {
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '请以表单方式上传' });
        const { fields, files } = await readMultipart(req, { maxFileBytes: 5 * 1024 * 1024, maxFiles: 1 });
        const parsed = ZManualRecoveryFields.parse(fields);
        return ctx.recovery.submit({ ...parsed, photo: files.photo }, meta(req));
      },
    );
  };
}
