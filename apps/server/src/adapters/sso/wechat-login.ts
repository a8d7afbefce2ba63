import { WECHAT_API_BASE_URL, WECHAT_OPEN_BASE_URL } from '@cpe/shared';
import {
  type ProvenIdentity,
  type ProviderSettings,
  type SsoProtocol,
  SsoRefusedError,
  SsoUnavailableError,
} from './sso.js';

/** WeChat's codes for a code that is wrong, spent, expired or missing: the person starts again. */
const CODE_ERRORS = new Set([40029, 40163, 41008, 42003]);
/** errcode 40029 to a made-up code means WeChat accepted the AppID and AppSecret (测试连接). */
const CHECK_CODE = 'cpe-connection-check';

/**
 * 微信登录 of a 网站应用 (微信开放平台): OAuth 2 with WeChat's own endpoints and answers, which no generic OAuth
 * library speaks (AppID/AppSecret in the query of a GET, errors as `{ errcode, errmsg }` with status 200, no PKCE,
 * no ID token). The browser scans a QR at open.weixin.qq.com/connect/qrconnect; WeChat sends it back with a code
 * valid once for 10 minutes; the server trades it for the openid (and unionid when the app is bound to an 开放平台
 * account) and reads the nickname from userinfo. WeChat proves no 实名 data, so a first login always links an
 * existing account or registers.
 */
export function createWechatLoginProtocol(): SsoProtocol {
  const bases = (p: ProviderSettings) => ({
    open: (p.openBaseUrl ?? WECHAT_OPEN_BASE_URL).replace(/\/+$/, ''),
    api: (p.apiBaseUrl ?? WECHAT_API_BASE_URL).replace(/\/+$/, ''),
  });

  /** One GET to WeChat's API. Its URL holds the secret and code: it never reaches an error message or a log. */
  async function call(p: ProviderSettings, path: string, query: Record<string, string>) {
    const url = `${bases(p).api}${path}?${new URLSearchParams(query)}`;
    let body: Record<string, unknown>;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (res.status >= 500) throw new SsoUnavailableError(`wechat ${p.id}${path}: HTTP ${res.status}`);
      // WeChat answers JSON, sometimes labelled text/plain.
      body = JSON.parse(await res.text()) as Record<string, unknown>;
    } catch (err) {
      if (err instanceof SsoUnavailableError) throw err;
      throw new SsoUnavailableError(`wechat ${p.id}${path}: ${(err as Error).name}`);
    }
    const errcode = typeof body.errcode === 'number' ? body.errcode : 0;
    return { body, errcode, errmsg: typeof body.errmsg === 'string' ? body.errmsg.slice(0, 100) : '' };
  }

  return {
    async authorizationUrl(p, trip) {
      // WeChat reads the parameters in this order and wants the #wechat_redirect fragment; state is [A-Za-z0-9].
      const q = `appid=${encodeURIComponent(p.clientId)}&redirect_uri=${encodeURIComponent(trip.redirectUri)}&response_type=code&scope=${encodeURIComponent(p.scopes)}&state=${encodeURIComponent(trip.state)}`;
      return `${bases(p).open}/connect/qrconnect?${q}#wechat_redirect`;
    },

    async finish(p, callbackUrl, trip): Promise<ProvenIdentity> {
      if (callbackUrl.searchParams.get('state') !== trip.state) throw new SsoRefusedError(`wechat ${p.id}: state`);
      const code = callbackUrl.searchParams.get('code');
      // "若用户禁止授权，则重定向后不会带上code参数，仅会带上state参数".
      if (!code) throw new SsoRefusedError(`wechat ${p.id}: no code`, true);
      const token = await call(p, '/sns/oauth2/access_token', {
        appid: p.clientId,
        secret: p.clientSecret,
        code,
        grant_type: 'authorization_code',
      });
      if (token.errcode) {
        const what = `wechat ${p.id} access_token: ${token.errcode} ${token.errmsg}`;
        throw CODE_ERRORS.has(token.errcode) ? new SsoRefusedError(what) : new SsoUnavailableError(what);
      }
      const openid = token.body.openid;
      const accessToken = token.body.access_token;
      if (typeof openid !== 'string' || !openid || typeof accessToken !== 'string')
        throw new SsoUnavailableError(`wechat ${p.id} access_token: no openid`);
      let unionid = typeof token.body.unionid === 'string' && token.body.unionid ? token.body.unionid : null;
      let label: string | null = null;
      // The nickname (and the unionid when the token answer lacked it); the login does not depend on it.
      const info = await call(p, '/sns/userinfo', { access_token: accessToken, openid, lang: 'zh_CN' }).catch(
        () => null,
      );
      if (info && !info.errcode && info.body.openid === openid) {
        if (typeof info.body.nickname === 'string') label = info.body.nickname.slice(0, 40) || null;
        if (!unionid && typeof info.body.unionid === 'string' && info.body.unionid) unionid = info.body.unionid;
      }
      return {
        subject: unionid ?? `openid:${openid}`,
        claims: { openid, ...(unionid ? { unionid } : {}) },
        label,
      };
    },

    async check(p) {
      try {
        const r = await call(p, '/sns/oauth2/access_token', {
          appid: p.clientId,
          secret: p.clientSecret,
          code: CHECK_CODE,
          grant_type: 'authorization_code',
        });
        if (r.errcode === 40029) return { ok: true, message: '连接成功：AppID 与 AppSecret 有效' };
        return { ok: false, message: `微信返回错误 ${r.errcode}：${r.errmsg}` };
      } catch (err) {
        return { ok: false, message: `无法访问微信接口：${(err as Error).message}` };
      }
    },
  };
}
