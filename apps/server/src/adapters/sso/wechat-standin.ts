import crypto from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

/** A code lives 10 minutes and works once; an access token 2 hours (WeChat's documented lifetimes). */
const CODE_TTL_MS = 10 * 60_000;
const TOKEN_TTL_S = 7200;

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
const digest = (value: string) => crypto.createHash('sha256').update(value).digest('base64url');

/** The simulated WeChat user behind a nickname: openid per app, unionid per 开放平台 account, as WeChat's. */
const openidOf = (appid: string, nickname: string) => `o${digest(`openid|${appid}|${nickname}`).slice(0, 27)}`;
const unionidOf = (nickname: string) => `u${digest(`unionid|${nickname}`).slice(0, 27)}`;

function page(reply: FastifyReply, status: number, title: string, body: string) {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{margin:0;background:#f7f7f7;font:15px/1.6 -apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2937}
main{max-width:420px;margin:40px auto;background:#fff;border-radius:10px;box-shadow:0 1px 4px rgba(0,0,0,.08);padding:28px;text-align:center}
h1{font-size:20px;margin:0 0 6px}.demo{background:#fff7e6;color:#ad4e00;border:1px solid #ffd591;border-radius:6px;padding:8px;font-size:13px;margin:12px 0}
.qr{width:180px;height:180px;margin:16px auto;border:8px solid #fff;outline:1px solid #e5e7eb;background:repeating-conic-gradient(#111 0 25%,#fff 0 50%) 0 0/20px 20px}
label{display:block;text-align:left;margin:14px 0 4px;color:#6b7280;font-size:14px}input{width:100%;box-sizing:border-box;padding:9px;border:1px solid #d1d5db;border-radius:6px;font:inherit}
button{display:block;width:100%;margin-top:12px;padding:11px;border:0;border-radius:6px;font:inherit;font-size:16px;cursor:pointer}.ok{background:#07c160;color:#fff}.no{background:#fff;border:1px solid #d1d5db;color:#374151}</style>
</head><body><main>${body}</main></body></html>`);
}

/**
 * A local stand-in of WeChat's 网站应用 login (微信开放平台), answering exactly as WeChat documents it: the QR page
 * at /connect/qrconnect, /sns/oauth2/access_token and /sns/userinfo with `{ errcode, errmsg }` failures. Demo mode
 * mounts it at /sso-demo/wechat so the 微信 icon works on one machine; the tests run it on a port of its own.
 * Instead of a phone scanning the QR, the page asks for a nickname: each nickname is one simulated WeChat user.
 */
export function wechatStandinRoutes(opts: {
  /** AppID → AppSecret of the 网站应用 this stand-in knows. */
  apps: Record<string, string>;
}): FastifyPluginAsync {
  const codes = new Map<string, { appid: string; nickname: string; expires: number; used: boolean }>();
  const tokens = new Map<string, { appid: string; nickname: string; expires: number }>();
  const sweep = () => {
    const now = Date.now();
    for (const [k, v] of codes) if (v.expires < now - CODE_TTL_MS) codes.delete(k);
    for (const [k, v] of tokens) if (v.expires < now) tokens.delete(k);
  };

  return async (app) => {
    app.get<{ Querystring: Record<string, string | undefined> }>('/connect/qrconnect', async (req, reply) => {
      const q = req.query;
      if (!q.appid || !Object.hasOwn(opts.apps, q.appid))
        return page(reply, 400, '微信登录', '<h1>参数错误</h1><p>AppID 参数错误</p>');
      if (q.response_type !== 'code' || q.scope !== 'snsapi_login')
        return page(reply, 400, '微信登录', '<h1>参数错误</h1><p>Scope 参数错误或没有 Scope 权限</p>');
      if (!q.redirect_uri || !/^https?:\/\//.test(q.redirect_uri))
        return page(reply, 400, '微信登录', '<h1>参数错误</h1><p>redirect_uri 参数错误</p>');
      const hidden = (['appid', 'redirect_uri', 'state'] as const)
        .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(q[k] ?? '')}">`)
        .join('');
      return page(
        reply,
        200,
        '微信登录',
        `<h1>微信登录</h1><div class="demo">演示环境：本页模拟微信开放平台的扫码登录。真实环境中请使用微信“扫一扫”扫描二维码，并在手机上确认登录。</div>
<div class="qr" role="img" aria-label="微信登录二维码（模拟）"></div>
<form method="get" action="confirm">${hidden}<label for="nickname">模拟的微信用户（微信昵称）</label><input id="nickname" name="nickname" value="微信用户" maxlength="20" required>
<button class="ok" type="submit">模拟扫码并确认登录</button><button class="no" type="submit" name="deny" value="1">拒绝授权</button></form>`,
      );
    });

    // What the phone's 确认登录 does: the browser goes back to the site with a code, or with the state alone.
    app.get<{ Querystring: Record<string, string | undefined> }>('/connect/confirm', async (req, reply) => {
      const q = req.query;
      if (!q.appid || !Object.hasOwn(opts.apps, q.appid) || !q.redirect_uri || !/^https?:\/\//.test(q.redirect_uri))
        return page(reply, 400, '微信登录', '<h1>参数错误</h1>');
      const back = new URL(q.redirect_uri);
      if (q.deny !== '1') {
        sweep();
        const code = crypto.randomBytes(16).toString('hex');
        const nickname = (q.nickname ?? '').trim().slice(0, 20) || '微信用户';
        codes.set(code, { appid: q.appid, nickname, expires: Date.now() + CODE_TTL_MS, used: false });
        back.searchParams.set('code', code);
      }
      back.searchParams.set('state', q.state ?? '');
      return reply.header('cache-control', 'no-store').redirect(back.href, 302);
    });

    app.get<{ Querystring: Record<string, string | undefined> }>('/sns/oauth2/access_token', async (req) => {
      const q = req.query;
      if (!q.appid || !Object.hasOwn(opts.apps, q.appid)) return { errcode: 40013, errmsg: 'invalid appid' };
      if (q.secret !== opts.apps[q.appid]) return { errcode: 40125, errmsg: 'invalid appsecret' };
      if (q.grant_type !== 'authorization_code') return { errcode: 40002, errmsg: 'invalid grant_type' };
      if (!q.code) return { errcode: 41008, errmsg: 'missing code' };
      const entry = codes.get(q.code);
      if (!entry || entry.appid !== q.appid || entry.expires < Date.now())
        return { errcode: 40029, errmsg: 'invalid code' };
      if (entry.used) return { errcode: 40163, errmsg: 'code been used' };
      entry.used = true;
      const accessToken = crypto.randomBytes(24).toString('base64url');
      tokens.set(accessToken, { appid: q.appid, nickname: entry.nickname, expires: Date.now() + TOKEN_TTL_S * 1000 });
      return {
        access_token: accessToken,
        expires_in: TOKEN_TTL_S,
        refresh_token: crypto.randomBytes(24).toString('base64url'),
        openid: openidOf(q.appid, entry.nickname),
        scope: 'snsapi_login',
        unionid: unionidOf(entry.nickname),
      };
    });

    app.get<{ Querystring: Record<string, string | undefined> }>('/sns/userinfo', async (req) => {
      const t = req.query.access_token ? tokens.get(req.query.access_token) : undefined;
      if (!t || t.expires < Date.now())
        return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
      const openid = openidOf(t.appid, t.nickname);
      if (req.query.openid !== openid) return { errcode: 40003, errmsg: 'invalid openid' };
      return {
        openid,
        nickname: t.nickname,
        sex: 0,
        province: '',
        city: '',
        country: 'CN',
        headimgurl: '',
        privilege: [],
        unionid: unionidOf(t.nickname),
      };
    });
  };
}
