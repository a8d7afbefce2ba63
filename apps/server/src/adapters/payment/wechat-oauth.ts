import type { LocalGateway } from './local-gateway.js';
import { PaymentProviderError } from './payment.js';

/**
 * 微信网页授权 (snsapi_base) of the 公众号 tied to WECHATPAY_APP_ID: how a page opened inside WeChat learns the
 * payer's openid, which a JSAPI order needs. The browser goes to `authorizeUrl`, WeChat sends it back to
 * `redirectUri?code=…&state=…`, and the server trades the code (once, within 5 minutes) for the openid.
 */
export interface WechatOauth {
  readonly name: 'wechat' | 'local';
  authorizeUrl(redirectUri: string, state: string): string;
  /** Throws WechatOauthError for a bad, used or expired code; PaymentProviderError when WeChat cannot be reached. */
  openIdOf(code: string): Promise<string>;
}

export class WechatOauthError extends Error {}

/** The real one: open.weixin.qq.com for the browser, api.weixin.qq.com for the code exchange. */
export function createWechatOauth(cfg: {
  appId: string;
  appSecret: string;
  openBaseUrl?: string;
  apiBaseUrl?: string;
}): WechatOauth {
  const openBase = cfg.openBaseUrl ?? 'https://open.weixin.qq.com';
  const apiBase = cfg.apiBaseUrl ?? 'https://api.weixin.qq.com';
  return {
    name: 'wechat',
    authorizeUrl(redirectUri, state) {
      // WeChat reads the parameters in this order and wants the #wechat_redirect fragment.
      const q = `appid=${cfg.appId}&redirect_uri=${encodeURIComponent(redirectUri)}&response_type=code&scope=snsapi_base&state=${encodeURIComponent(state)}`;
      return `${openBase}/connect/oauth2/authorize?${q}#wechat_redirect`;
    },
    async openIdOf(code) {
      const url = new URL('/sns/oauth2/access_token', apiBase);
      url.search = new URLSearchParams({
        appid: cfg.appId,
        secret: cfg.appSecret,
        code,
        grant_type: 'authorization_code',
      }).toString();
      let data: { openid?: unknown; errcode?: unknown; errmsg?: unknown };
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
        data = (await res.json()) as typeof data;
      } catch (err) {
        throw new PaymentProviderError(`wechat oauth unreachable: ${(err as Error).message}`);
      }
      if (typeof data.openid === 'string' && data.openid) return data.openid;
      // 40029 invalid code, 40163 code been used, 41008 missing code: the person has to start again.
      if (typeof data.errcode === 'number' && [40029, 40163, 41008].includes(data.errcode))
        throw new WechatOauthError(`wechat oauth ${data.errcode} ${String(data.errmsg ?? '')}`);
      throw new PaymentProviderError(`wechat oauth refused: ${String(data.errcode)} ${String(data.errmsg ?? '')}`);
    },
  };
}

/** The local gateway's simulated 公众号 (demo mode and tests). */
export function createLocalWechatOauth(gateway: LocalGateway): WechatOauth {
  return {
    name: 'local',
    authorizeUrl: (redirectUri, state) => gateway.wechatAuthorizeUrl(redirectUri, state),
    async openIdOf(code) {
      try {
        return gateway.wechatOpenIdOf(code);
      } catch (err) {
        throw new WechatOauthError((err as Error).message);
      }
    },
  };
}
