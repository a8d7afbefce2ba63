import crypto from 'node:crypto';
import { type WechatOauth, WechatOauthError } from '../../adapters/payment/wechat-oauth.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';

/** The openid stays usable this long; WeChat's openid never changes for a person and 公众号. */
const OPENID_TTL_MS = 30 * 86_400_000;
/** The round trip through WeChat must finish within this (its codes live 5 minutes). */
const STATE_TTL_MS = 10 * 60_000;

export const WECHAT_COOKIES = { openId: 'cpe_wx_openid', state: 'cpe_wx_state' } as const;

/** Only a path of this site: never `//host` or a scheme, so the callback cannot send anyone elsewhere. */
export function safeReturnPath(value: string | undefined): string {
  return value && /^\/(?![/\\])[^\s]*$/.test(value) && value.length <= 512 ? value : '/orders';
}

/**
 * The payer's WeChat identity for JSAPI, kept in a cookie MAC'd with the session secret and bound to the
 * account, so it needs no table and cannot be carried to another person's account. The OAuth state is a
 * random nonce in a short-lived cookie, compared on the way back (CSRF of the callback).
 */
export function createWechatIdentity(deps: { oauth: WechatOauth | undefined; secret: string; clock: Clock }) {
  const { oauth, clock } = deps;
  const mac = (purpose: string, ...parts: string[]) =>
    crypto
      .createHmac('sha256', deps.secret)
      .update(`wechat-${purpose}\n${parts.join('\n')}`)
      .digest('base64url');
  const same = (a: string, b: string) => {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && crypto.timingSafeEqual(x, y);
  };

  function openIdFor(accountId: string, cookie: string | undefined): string | null {
    const [openId = '', exp = '', sig = ''] = (cookie ?? '').split('|');
    if (!openId || !/^\d+$/.test(exp) || Number(exp) < clock.now().getTime()) return null;
    return same(sig, mac('openid', accountId, openId, exp)) ? openId : null;
  }

  return {
    available: () => !!oauth,
    openIdFor,

    /** Where to send the browser, and the state cookie that must come back with it. */
    start(accountId: string, redirectUri: string, returnTo: string) {
      if (!oauth) throw new AppError('PAYMENT_UNAVAILABLE');
      const nonce = crypto.randomBytes(12).toString('base64url');
      const exp = String(clock.now().getTime() + STATE_TTL_MS);
      const path = Buffer.from(safeReturnPath(returnTo)).toString('base64url');
      return {
        url: oauth.authorizeUrl(redirectUri, nonce),
        stateCookie: `${nonce}|${path}|${exp}|${mac('state', accountId, nonce, path, exp)}`,
        maxAgeSeconds: STATE_TTL_MS / 1000,
      };
    },

    /** Back from WeChat: the state must match the cookie of the same account; the code becomes the openid. */
    async finish(accountId: string, q: { code?: string; state?: string }, stateCookie: string | undefined) {
      if (!oauth) throw new AppError('PAYMENT_UNAVAILABLE');
      const [nonce = '', path = '', exp = '', sig = ''] = (stateCookie ?? '').split('|');
      const valid =
        !!q.state &&
        same(q.state, nonce) &&
        /^\d+$/.test(exp) &&
        Number(exp) >= clock.now().getTime() &&
        same(sig, mac('state', accountId, nonce, path, exp));
      if (!valid || !q.code) throw new AppError('WECHAT_OAUTH_FAILED');
      let openId: string;
      try {
        openId = await oauth.openIdOf(q.code);
      } catch (err) {
        if (err instanceof WechatOauthError) throw new AppError('WECHAT_OAUTH_FAILED');
        throw new AppError('PAYMENT_UNAVAILABLE');
      }
      const until = String(clock.now().getTime() + OPENID_TTL_MS);
      return {
        returnTo: safeReturnPath(Buffer.from(path, 'base64url').toString('utf8')),
        openIdCookie: `${openId}|${until}|${mac('openid', accountId, openId, until)}`,
        maxAgeSeconds: OPENID_TTL_MS / 1000,
      };
    },
  };
}
export type WechatIdentity = ReturnType<typeof createWechatIdentity>;
