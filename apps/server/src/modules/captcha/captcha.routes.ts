import {
  ZImageCaptchaResponse,
  ZSliderCaptchaResponse,
  ZSliderVerifyRequest,
  ZSliderVerifyResponse,
} from '@cpe/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Realm } from '../identity/identity.repo.js';

/** Drawing captchas costs CPU and a row each: at most 60 a minute per address. */
const perIp = (ip: string) => ({ key: `captcha:ip:${ip}`, max: 60, windowMs: 60_000 });

/**
 * Captchas on both listeners: 验证码 (image) for SMS and reset, 向右滑动完成验证 (slider) for login. Each is bound to
 * the listener it was drawn on: solved here, spent here.
 */
export function captchaRoutes(ctx: AppContext, realm: Realm): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/captchas/image',
      { schema: { tags: ['captcha'], summary: '获取图片验证码', response: { 200: ZImageCaptchaResponse } } },
      async (req) => {
        await ctx.rateLimits.consume(perIp(req.ip));
        return ctx.captcha.createImage(realm);
      },
    );
    app.post(
      '/api/captchas/slider',
      { schema: { tags: ['captcha'], summary: '获取滑块验证', response: { 200: ZSliderCaptchaResponse } } },
      async (req) => {
        await ctx.rateLimits.consume(perIp(req.ip));
        return ctx.captcha.createSlider(realm);
      },
    );
    app.post(
      '/api/captchas/slider/:id/verify',
      {
        schema: {
          tags: ['captcha'],
          summary: '校验滑块位置，成功返回一次性令牌（2分钟）',
          params: z.object({ id: z.string().max(64) }),
          body: ZSliderVerifyRequest,
          response: { 200: ZSliderVerifyResponse },
        },
      },
      async (req) => ctx.captcha.verifySlider(realm, req.params.id, req.body.x),
    );
  };
}
