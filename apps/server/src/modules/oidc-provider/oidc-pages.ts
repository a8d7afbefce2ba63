/**
 * The few pages oidc-provider renders itself (RP-initiated logout, its success page, errors in front of the
 * browser), in the portal's look: the blue government header, one white card. They are served from the provider's
 * own routes, outside the portal's CSP, so the styles are inline and there is no script.
 */
export interface PageBranding {
  brandName: string;
  authCenterName: string;
  homeUrl: string;
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font-family:-apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei","Noto Sans SC",sans-serif;background:#f0f2f5;color:rgba(0,0,0,.88);font-size:14px}
.hd{background:linear-gradient(90deg,#0f4a8f,#1a5fb4);color:#fff;padding:14px 24px}.hd a{color:#fff;text-decoration:none;font-size:18px;font-weight:600;letter-spacing:1px}
.hd small{display:block;opacity:.8;font-size:12px;margin-top:2px}
.card{max-width:440px;margin:48px auto;background:#fff;border-radius:8px;box-shadow:0 1px 2px rgba(0,0,0,.06),0 1px 6px rgba(0,0,0,.08);padding:32px 28px}
h1{font-size:20px;margin:0 0 12px;font-weight:600}p{line-height:1.7;color:rgba(0,0,0,.65);margin:0 0 12px}
.btn{display:block;width:100%;height:40px;border-radius:6px;font-size:15px;margin-top:12px;cursor:pointer;border:1px solid #d9d9d9;background:#fff;color:rgba(0,0,0,.88);text-align:center;line-height:38px;text-decoration:none}
.btn.primary{background:#1a5fb4;border-color:#1a5fb4;color:#fff}.muted{color:#8c8c8c;font-size:12px}
code{background:#f5f5f5;padding:1px 4px;border-radius:4px;font-size:12px;word-break:break-all}
@media (max-width:480px){.card{margin:16px;padding:24px 18px}}`;

export function page(b: PageBranding, title: string, body: string): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} - ${escapeHtml(b.authCenterName)}</title><style>${STYLE}</style></head><body><header class="hd"><a href="${escapeHtml(b.homeUrl)}">${escapeHtml(b.brandName)}</a><small>${escapeHtml(b.authCenterName)}</small></header><main class="card">${body}</main></body></html>`;
}

/** RP-initiated logout: `form` is oidc-provider's hidden form (its xsrf token); the buttons submit it. */
export function logoutPage(b: PageBranding, form: string, clientName: string | undefined): string {
  const who = clientName ? `“${escapeHtml(clientName)}”` : '该系统';
  return page(
    b,
    '退出登录',
    `<h1>退出登录</h1><p>${who}请求退出登录。选择“退出全部系统”将同时退出本平台及通过${escapeHtml(b.authCenterName)}登录的其他系统。</p>${form}
<button class="btn primary" autofocus type="submit" form="op.logoutForm" value="yes" name="logout">退出全部系统</button>
<button class="btn" type="submit" form="op.logoutForm">仅退出${who}，保留平台登录</button>`,
  );
}

export function loggedOutPage(b: PageBranding): string {
  return page(
    b,
    '已退出',
    `<h1>您已安全退出</h1><p>如需继续使用，请重新登录。</p><a class="btn primary" href="${escapeHtml(b.homeUrl)}">返回平台首页</a>`,
  );
}

/** Why the provider refused, in words a person can pass on to the system's administrator. */
const ERROR_TEXT: Record<string, string> = {
  invalid_redirect_uri: '该系统的登录回调地址未在平台登记，请联系该系统的管理员。',
  invalid_client: '该系统未在平台登记或已停用，请联系该系统的管理员。',
  invalid_scope: '该系统请求了未经平台授权的信息，请联系该系统的管理员。',
  invalid_request: '登录请求不完整或有误，请返回原系统重新登录。',
  unauthorized_client: '该系统无权使用这种登录方式，请联系该系统的管理员。',
  unsupported_response_type: '该系统使用了平台不支持的登录方式，请联系该系统的管理员。',
  access_denied: '您已拒绝授权。',
  login_required: '请先登录平台。',
  session_not_found: '登录请求已过期，请返回原系统重新登录。',
  invalid_request_object: '登录请求不完整或有误，请返回原系统重新登录。',
};

export function errorPage(b: PageBranding, out: { error?: string; error_description?: string }): string {
  const code = out.error ?? 'server_error';
  const text = ERROR_TEXT[code] ?? '系统繁忙，请稍后再试。';
  const detail = out.error_description ? `：${escapeHtml(out.error_description)}` : '';
  return page(
    b,
    '无法完成登录',
    `<h1>无法完成登录</h1><p>${text}</p><p class="muted">错误代码 <code>${escapeHtml(code)}</code>${detail}</p><a class="btn" href="${escapeHtml(b.homeUrl)}">返回平台首页</a>`,
  );
}
