import crypto from 'node:crypto';
import { PAYMENT_CHANNEL_LABELS } from '@cpe/shared';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  type CashierOutcome,
  type CashierScene,
  GatewayRefusal,
  type GatewayTradeStatus,
  type LocalGateway,
} from './local-gateway.js';
import type { PaymentChannel } from './payment.js';

/** The simulated WeChat app's signed-in user on this phone (only the gateway's own pages read it). */
const WX_USER_COOKIE = 'lg_wx_user';

const ACCENT: Record<PaymentChannel, string> = { alipay: '#1677ff', wechat: '#07c160', unionpay: '#d7000f' };
const NEUTRAL = '#4b5563';

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** ¥128.00 from 12800: integer arithmetic, no floating point anywhere near money. */
function yuan(fen: number): string {
  return `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** 2024-05-01 12:00:00 in China time, whatever the server's time zone. */
function chinaTime(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function countdown(seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${pad(h)}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

const STYLE = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f3f4f6;color:#1f2937;font:15px/1.6 -apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif}
.bar{background:#fff;border-bottom:3px solid var(--accent)}
.bar-in{max-width:960px;margin:0 auto;padding:12px 16px;display:flex;align-items:center;gap:10px}
.logo{width:34px;height:34px;border-radius:9px;background:var(--accent);color:#fff;display:flex;align-items:center;justify-content:center;font-weight:700;font-size:18px;flex:none}
.brand{font-size:19px;font-weight:600;color:var(--accent)}
.kind{color:#6b7280;font-size:15px;padding-left:10px;border-left:1px solid #d1d5db}
.demo{background:#fff7e6;border-bottom:1px solid #ffd591;color:#ad4e00;text-align:center;padding:8px 16px;font-size:14px}
.demo strong{font-weight:700}
main{max-width:560px;margin:0 auto;padding:20px 16px 40px}
.card{background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.08);overflow:hidden}
.sum{text-align:center;padding:28px 20px 20px;border-bottom:1px dashed #e5e7eb}
.sum .label{color:#6b7280;font-size:14px}
.amount{font-size:40px;font-weight:700;line-height:1.2;margin-top:4px;font-variant-numeric:tabular-nums;color:#111827}
.facts{margin:0;padding:8px 20px}
.facts div{display:flex;justify-content:space-between;gap:16px;padding:10px 0;border-bottom:1px solid #f3f4f6}
.facts div:last-child{border-bottom:0}
.facts dt{color:#6b7280;flex:none}
.facts dd{margin:0;text-align:right;overflow-wrap:anywhere;min-width:0}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:14px}
.timer{color:var(--accent);font-weight:600;font-variant-numeric:tabular-nums}
.alert{margin:0 20px 4px;padding:10px 12px;border-radius:8px;background:#fff1f0;border:1px solid #ffccc7;color:#cf1322;font-size:14px}
.actions{display:grid;grid-template-columns:1fr 1fr;gap:10px;padding:16px 20px 22px}
.actions form{margin:0}
.actions .wide{grid-column:1/-1}
button,.btn{display:block;width:100%;border:0;border-radius:8px;padding:12px 10px;font:inherit;font-size:16px;cursor:pointer;text-align:center;text-decoration:none}
.primary{background:var(--accent);color:#fff;font-weight:600;font-size:17px}
.primary:hover{filter:brightness(1.06)}
.primary:disabled{background:#9ca3af;cursor:not-allowed;filter:none}
.secondary{background:#fff;color:#374151;border:1px solid #d1d5db}
.secondary:hover{background:#f9fafb}
.warn{background:#fff;color:#cf1322;border:1px dashed #ffa39e}
.warn:hover{background:#fff1f0}
button:focus-visible,.btn:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.state{text-align:center;padding:28px 20px 8px}
.state .icon{width:56px;height:56px;border-radius:50%;margin:0 auto 10px;display:flex;align-items:center;justify-content:center;color:#fff;font-size:30px;font-weight:700}
.state h1{margin:0;font-size:22px}
.state p{margin:4px 0 0;color:#6b7280}
.ok .icon{background:#52c41a}
.off .icon{background:#9ca3af}
.note{color:#9ca3af;font-size:13px;text-align:center;margin-top:16px}
@media (min-width:720px){main{padding-top:40px}.amount{font-size:44px}}
`;

function shell(opts: {
  title: string;
  accent: string;
  logo: string;
  brand: string;
  kind?: string;
  body: string;
  script?: string;
}) {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(opts.title)}</title>
<style>:root{--accent:${opts.accent}}${STYLE}</style>
</head>
<body>
<header class="bar"><div class="bar-in"><span class="logo" aria-hidden="true">${escapeHtml(opts.logo)}</span><span class="brand">${escapeHtml(opts.brand)}</span><span class="kind">${escapeHtml(opts.kind ?? '收银台')}</span></div></header>
<div class="demo" role="note"><strong>演示收银台（非真实支付）</strong>：本页由平台内置的模拟支付网关提供，不会产生任何真实扣款</div>
<main>
${opts.body}
</main>
${opts.script ?? ''}
</body>
</html>
`;
}

type CashierView = NonNullable<Awaited<ReturnType<LocalGateway['cashier']>>>;

const STATE_TEXT: Record<Exclude<GatewayTradeStatus, 'unpaid'>, { cls: string; icon: string; title: string }> = {
  paid: { cls: 'ok', icon: '✓', title: '支付成功' },
  closed: { cls: 'off', icon: '×', title: '交易已关闭' },
  refunded: { cls: 'off', icon: '↩', title: '交易已退款' },
};

/** The 收银台 of the trade's channel; `nonce` allows its one inline script under the page's CSP. */
const SCENE_TEXT: Record<CashierScene, string> = { h5: '手机网页支付', jsapi: '微信内支付（模拟）' };

function renderCashierPage(
  view: CashierView,
  opts: { failed: boolean; nonce: string; scene: CashierScene | undefined },
): string {
  const t = view.trade;
  const channel = t.channel as PaymentChannel;
  const label = PAYMENT_CHANNEL_LABELS[channel];
  const id = escapeHtml(t.id);
  const seconds = Math.floor(view.remainingMs / 1000);
  const facts = [
    ['商品', escapeHtml(t.subject), ''],
    ['商户订单号', escapeHtml(t.outTradeNo), 'mono'],
    ['交易号', escapeHtml(t.tradeNo), 'mono'],
  ];
  if (view.status === 'unpaid') {
    facts.push([
      '支付剩余时间',
      `<span class="timer" id="countdown" data-seconds="${seconds}">${countdown(seconds)}</span>`,
      '',
    ]);
  } else if (t.paidAt) {
    facts.push(['支付时间', chinaTime(t.paidAt), 'mono']);
  }
  const factList = facts
    .map(([k, v, cls]) => `<div><dt>${k}</dt><dd${cls ? ` class="${cls}"` : ''}>${v}</dd></div>`)
    .join('');
  const form = (action: 'pay' | 'cancel' | 'fail', cls: string, text: string) =>
    `<form method="post" action="/pay-gateway/cashier/${id}/${action}"${action === 'pay' ? ' class="wide"' : ''}>` +
    `<input type="hidden" name="token" value="${escapeHtml(view.token)}">` +
    `<button type="submit" id="${action}" class="${cls}">${text}</button></form>`;

  let body: string;
  if (view.status === 'unpaid') {
    body = `<section class="card" aria-labelledby="amount-label">
<div class="sum"><div class="label" id="amount-label">应付金额</div><div class="amount">${yuan(t.amountFen)}</div></div>
<dl class="facts">${factList}</dl>
${opts.failed ? '<p class="alert" role="alert">支付失败，请重试</p>' : ''}
<div class="actions">
${form('pay', 'primary', '确认支付')}
${form('cancel', 'secondary', '取消支付')}
${form('fail', 'warn', '模拟支付失败')}
</div>
</section>
<p class="note">演示环境：点击按钮只会改变模拟网关中的交易状态，并向商户发送签名的异步通知。</p>`;
  } else {
    const s = STATE_TEXT[view.status];
    body = `<section class="card">
<div class="state ${s.cls}"><div class="icon" aria-hidden="true">${s.icon}</div><h1>${s.title}</h1><p>${yuan(t.amountFen)}</p></div>
<dl class="facts">${factList}</dl>
<div class="actions"><a class="btn primary wide" href="${escapeHtml(view.returnHref)}">返回商户</a></div>
</section>`;
  }

  // Counts down from the server's figure (not the browser's clock, which may differ from the server's).
  const script =
    view.status === 'unpaid'
      ? `<script nonce="${escapeHtml(opts.nonce)}">
(function(){
var el=document.getElementById('countdown'),pay=document.getElementById('pay');
var end=Date.now()+Number(el.getAttribute('data-seconds'))*1000;
function pad(n){return (n<10?'0':'')+n}
function tick(){
var s=Math.max(0,Math.round((end-Date.now())/1000)),h=Math.floor(s/3600),m=Math.floor(s%3600/60);
el.textContent=s>0?(h>0?pad(h)+':':'')+pad(m)+':'+pad(s%60):'已超时';
if(s>0){setTimeout(tick,1000)}else if(pay){pay.disabled=true}
}
tick();
})();
</script>`
      : '';

  return shell({
    title: `${label}收银台（演示）`,
    accent: ACCENT[channel],
    logo: label.slice(0, 1),
    brand: label,
    kind: opts.scene ? SCENE_TEXT[opts.scene] : undefined,
    body,
    script,
  });
}

function messagePage(title: string, text: string): string {
  return shell({
    title,
    accent: NEUTRAL,
    logo: '¥',
    brand: '模拟支付网关',
    body: `<section class="card"><div class="state off"><div class="icon" aria-hidden="true">!</div><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></div></section>`,
  });
}

function sendPage(reply: FastifyReply, status: number, html: string) {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(html);
}

/**
 * Replaces the app's CSP for the cashier: its inline script runs by nonce, and the form posts may redirect
 * to the merchant's return page, which need not be on this origin (form-action covers redirects).
 */
function cashierCsp(nonce: string, returnUrl: string): string {
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `script-src 'nonce-${nonce}'`,
    `form-action 'self' ${new URL(returnUrl).origin}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The local gateway's pages and API under /pay-gateway/. They sit outside the app's CSRF check (a provider's
 * pages are not the app's), so the cashier's three actions carry a per-trade HMAC token instead, and the
 * API wants the merchant key as a bearer token.
 */
export function localGatewayRoutes(gateway: LocalGateway): FastifyPluginAsync {
  return async (app) => {
    if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
      app.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string', bodyLimit: 4096 },
        (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
      );
    }

    app.get<{ Params: { id: string }; Querystring: { failed?: string; scene?: string } }>(
      '/pay-gateway/cashier/:id',
      async (req, reply) => {
        const view = await gateway.cashier(req.params.id);
        if (!view) return sendPage(reply, 404, messagePage('交易不存在', '请返回商户重新发起支付。'));
        const nonce = crypto.randomBytes(16).toString('base64');
        const scene = req.query.scene === 'h5' || req.query.scene === 'jsapi' ? req.query.scene : undefined;
        reply.header('content-security-policy', cashierCsp(nonce, view.trade.returnUrl));
        return sendPage(reply, 200, renderCashierPage(view, { failed: req.query.failed === '1', nonce, scene }));
      },
    );

    // 微信网页授权 of the simulated 公众号 (snsapi_base: no page, straight back to the merchant with a code).
    app.get<{ Querystring: Record<string, string | undefined> }>(
      '/pay-gateway/wechat/oauth2/authorize',
      async (req, reply) => {
        const result = gateway.wechatAuthorize(req.cookies?.[WX_USER_COOKIE], req.query);
        if ('error' in result) return sendPage(reply, 400, messagePage('微信授权失败', result.error));
        reply.setCookie(WX_USER_COOKIE, result.wxUser, {
          path: '/pay-gateway/',
          httpOnly: true,
          sameSite: 'lax',
          maxAge: 365 * 86_400,
        });
        return reply.header('cache-control', 'no-store').redirect(result.location, 302);
      },
    );

    for (const action of ['pay', 'cancel', 'fail'] as const) {
      app.post<{ Params: { id: string } }>(`/pay-gateway/cashier/:id/${action}`, async (req, reply) => {
        const { id } = req.params;
        const view = await gateway.cashier(id);
        if (!view) return sendPage(reply, 404, messagePage('交易不存在', '请返回商户重新发起支付。'));
        const token = (req.body as Record<string, unknown> | undefined)?.token;
        if (typeof token !== 'string' || !gateway.checkCashierToken(id, token)) {
          return sendPage(reply, 403, messagePage('请求无效', '页面已失效，请返回商户重新发起支付。'));
        }
        const outcome: CashierOutcome | undefined = await gateway[action](id);
        reply.header('cache-control', 'no-store');
        if (outcome === 'paid' || outcome === 'closed') return reply.redirect(view.returnHref, 303);
        // Refused (already paid, closed or expired): the cashier shows the trade's state and the way back.
        return reply.redirect(`/pay-gateway/cashier/${id}${outcome === 'failed' ? '?failed=1' : ''}`, 303);
      });
    }

    const sendSigned = (reply: FastifyReply, status: number, fields: Record<string, string>) =>
      reply.code(status).header('cache-control', 'no-store').send(gateway.signed(fields));
    const authorised = (req: FastifyRequest) => {
      const given = Buffer.from(req.headers.authorization ?? '');
      const expected = Buffer.from(`Bearer ${gateway.merchantKey()}`);
      return given.length === expected.length && crypto.timingSafeEqual(given, expected);
    };
    const refused = (reply: FastifyReply, err: unknown) => {
      if (!(err instanceof GatewayRefusal)) throw err;
      return sendSigned(reply, err.code === 'TRADE_NOT_EXIST' ? 404 : 400, { code: err.code, msg: err.message });
    };
    const bodyOf = (req: FastifyRequest) => (req.body ?? {}) as Record<string, unknown>;

    app.post('/pay-gateway/api/query', async (req, reply) => {
      if (!authorised(req)) return sendSigned(reply, 401, { code: 'UNAUTHORIZED', msg: 'merchant key required' });
      const outTradeNo = bodyOf(req).out_trade_no;
      if (typeof outTradeNo !== 'string') {
        return sendSigned(reply, 400, { code: 'INVALID_PARAMETER', msg: 'out_trade_no required' });
      }
      try {
        const q = await gateway.query(outTradeNo);
        return sendSigned(reply, 200, {
          code: 'SUCCESS',
          out_trade_no: outTradeNo,
          trade_no: q.tradeNo,
          trade_status: q.status.toUpperCase(),
          total_fen: String(q.amountFen),
          refunded_fen: String(q.refundedFen),
          paid_at: q.paidAt?.toISOString() ?? '',
        });
      } catch (err) {
        return refused(reply, err);
      }
    });

    app.post('/pay-gateway/api/refund', async (req, reply) => {
      if (!authorised(req)) return sendSigned(reply, 401, { code: 'UNAUTHORIZED', msg: 'merchant key required' });
      const b = bodyOf(req);
      if (
        typeof b.out_trade_no !== 'string' ||
        typeof b.out_refund_no !== 'string' ||
        typeof b.amount_fen !== 'number' ||
        typeof b.reason !== 'string'
      ) {
        return sendSigned(reply, 400, {
          code: 'INVALID_PARAMETER',
          msg: 'out_trade_no, out_refund_no, amount_fen (number) and reason required',
        });
      }
      try {
        const r = await gateway.refund({
          outTradeNo: b.out_trade_no,
          outRefundNo: b.out_refund_no,
          amountFen: b.amount_fen,
          reason: b.reason,
        });
        return sendSigned(reply, 200, {
          code: 'SUCCESS',
          out_trade_no: b.out_trade_no,
          out_refund_no: b.out_refund_no,
          refund_id: r.refundId,
          refund_fen: String(b.amount_fen),
        });
      } catch (err) {
        return refused(reply, err);
      }
    });
  };
}
