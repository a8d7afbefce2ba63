import crypto from 'node:crypto';
import { loadAlipaySdk, once } from '../../lib/lazy.js';
import {
  type CreatePaymentInput,
  type NotifyRequest,
  type PaymentNotice,
  type PaymentProvider,
  PaymentProviderError,
  type PaymentQueryResult,
  PaymentSignatureError,
  type PaymentStart,
  type RefundInput,
} from './payment.js';

export interface AlipayConfig {
  appId: string;
  /** 应用私钥, PKCS#1 or PKCS#8 PEM. */
  privateKey: string;
  /** 支付宝公钥 (public-key mode, not certificate mode), PEM. */
  alipayPublicKey: string;
  gateway?: string;
}

/** Fen to the 元 string Alipay expects ('0.01', '1234.50'), in integers so no amount is ever rounded. */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`invalid amount in fen: ${fen}`);
  const cents = fen % 100;
  return `${(fen - cents) / 100}.${String(cents).padStart(2, '0')}`;
}

/** A 元 string from Alipay ('0.29', '1234.5', '100') to fen; null when it is not a plain amount. */
export function yuanToFen(yuan: string): number | null {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(yuan);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}

/** Alipay reads its times as Beijing time whatever the server's time zone; China has no DST, so +8h is exact. */
function beijingTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function parseBeijingTime(value: string | undefined): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return null;
  return new Date(`${value.replace(' ', 'T')}+08:00`);
}

/** Alipay refuses /, = and & in 订单标题 and limits it to 256 characters. */
function alipaySubject(subject: string): string {
  return subject.replace(/[/=&]/g, ' ').slice(0, 256);
}

/** The notification's form fields; a repeated field makes it ambiguous, so it is refused like a bad signature. */
function formFields(raw: Buffer): Record<string, string> {
  const fields = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) {
    if (fields.has(k)) throw new PaymentSignatureError(`alipay notification: repeated field ${k}`);
    fields.set(k, v);
  }
  return Object.fromEntries(fields);
}

const PAID = new Set(['TRADE_SUCCESS', 'TRADE_FINISHED']);

/** 支付宝 电脑网站支付 / 手机网站支付 (OpenAPI v2, RSA2, public-key mode) through the official SDK. */
export function createAlipayProvider(cfg: AlipayConfig): PaymentProvider {
  // The SDK only understands the PEM header it was told to expect, so hand it PKCS#8 whatever we were given.
  // Converted here, at start, so a key that cannot be read still stops the start.
  const privateKey = crypto.createPrivateKey(cfg.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString();
  // The SDK itself (~260 ms to load) is loaded and set up at the first payment, not at start (issue 22).
  const sdk = once(async () => {
    const AlipaySdk = await loadAlipaySdk();
    return new AlipaySdk({
      appId: cfg.appId,
      privateKey,
      keyType: 'PKCS8',
      alipayPublicKey: cfg.alipayPublicKey,
      gateway: cfg.gateway ?? 'https://openapi.alipay.com/gateway.do',
      signType: 'RSA2',
      camelcase: false,
    });
  });

  /** Calls an OpenAPI method; the response is only trusted once its signature checks out. */
  async function call(method: string, bizContent: Record<string, string>) {
    const client = await sdk();
    try {
      return await client.exec(method, { bizContent, timestamp: beijingTime(new Date()) }, { validateSign: true });
    } catch (err) {
      throw new PaymentProviderError(`alipay ${method} failed: ${(err as Error).message}`);
    }
  }

  return {
    channel: 'alipay',
    name: 'alipay',

    async create(input: CreatePaymentInput): Promise<PaymentStart> {
      const mobile = input.device === 'mobile';
      const params = {
        bizContent: {
          out_trade_no: input.outTradeNo,
          total_amount: fenToYuan(input.amountFen),
          subject: alipaySubject(input.subject),
          product_code: mobile ? 'QUICK_WAP_WAY' : 'FAST_INSTANT_TRADE_PAY',
          time_expire: beijingTime(input.expiresAt),
          // 手机网站支付: where the payer lands on leaving the cashier without paying.
          ...(mobile ? { quit_url: input.returnUrl } : {}),
        },
        notifyUrl: input.notifyUrl,
        returnUrl: input.returnUrl,
        // The SDK would stamp the server's local time, which is not Beijing time in a UTC container.
        timestamp: beijingTime(new Date()),
      };
      const client = await sdk();
      // Mobile browsers (and in-app web views) follow a link more reliably than they run an injected form.
      if (mobile) return { kind: 'redirect', url: client.pageExecute('alipay.trade.wap.pay', 'GET', params) };
      return { kind: 'form', html: client.pageExecute('alipay.trade.page.pay', 'POST', params) };
    },

    async parseNotify(req: NotifyRequest): Promise<PaymentNotice> {
      const params = formFields(req.rawBody);
      const client = await sdk();
      // Values are already form-decoded: V2 checks them as they are instead of decoding a second time.
      if (params.sign_type !== 'RSA2' || !client.checkNotifySignV2(params)) {
        throw new PaymentSignatureError('alipay notification: bad signature');
      }
      if (params.app_id !== cfg.appId) throw new PaymentSignatureError('alipay notification: not for this app');
      const amountFen = yuanToFen(params.total_amount ?? '');
      if (!params.out_trade_no || !params.trade_no || amountFen === null) {
        throw new PaymentSignatureError('alipay notification: missing trade fields');
      }
      const base = { outTradeNo: params.out_trade_no, tradeNo: params.trade_no, amountFen };
      if (PAID.has(params.trade_status ?? '')) {
        return { ...base, status: 'paid', paidAt: parseBeijingTime(params.gmt_payment) };
      }
      if (params.trade_status === 'TRADE_CLOSED') return { ...base, status: 'closed', paidAt: null };
      throw new PaymentSignatureError(`alipay notification: unexpected trade_status ${params.trade_status}`);
    },

    ack(ok: boolean) {
      return { status: 200, contentType: 'text/plain', body: ok ? 'success' : 'fail' };
    },

    async query(outTradeNo: string): Promise<PaymentQueryResult> {
      const res = await call('alipay.trade.query', { out_trade_no: outTradeNo });
      // The trade only exists at Alipay once the payer has opened the cashier.
      if (res.sub_code === 'ACQ.TRADE_NOT_EXIST') return { status: 'unpaid' };
      if (res.code !== '10000') {
        throw new PaymentProviderError(`alipay trade.query refused: ${res.sub_code ?? res.code} ${res.sub_msg ?? ''}`);
      }
      const amountFen = yuanToFen(String(res.total_amount ?? '')) ?? undefined;
      const tradeNo = typeof res.trade_no === 'string' ? res.trade_no : undefined;
      if (PAID.has(res.trade_status)) {
        return { status: 'paid', amountFen, tradeNo, paidAt: parseBeijingTime(res.send_pay_date) ?? undefined };
      }
      if (res.trade_status === 'TRADE_CLOSED') return { status: 'closed', amountFen, tradeNo };
      return { status: 'unpaid', amountFen, tradeNo };
    },

    async refund(input: RefundInput) {
      const res = await call('alipay.trade.refund', {
        out_trade_no: input.outTradeNo,
        refund_amount: fenToYuan(input.amountFen),
        out_request_no: input.outRefundNo,
        refund_reason: input.reason,
      });
      if (res.code !== '10000') {
        throw new PaymentProviderError(`alipay trade.refund refused: ${res.sub_code ?? res.code} ${res.sub_msg ?? ''}`);
      }
      // Alipay has no refund id of its own: the refund is known by out_request_no.
      if (res.fund_change === 'Y') return { status: 'success', refundId: input.outRefundNo };
      // fund_change=N (typically a repeated request) does not say the money moved; the refund query does.
      const check = await call('alipay.trade.fastpay.refund.query', {
        out_trade_no: input.outTradeNo,
        out_request_no: input.outRefundNo,
      });
      const done = check.code === '10000' && check.refund_status === 'REFUND_SUCCESS';
      return { status: done ? 'success' : 'processing', refundId: input.outRefundNo };
    },
  };
}
