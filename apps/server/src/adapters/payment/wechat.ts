import crypto from 'node:crypto';
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

export interface WechatConfig {
  mchId: string;
  appId: string;
  /** APIv3 密钥: 32 ASCII characters, the AES-256-GCM key of notification resources. */
  apiV3Key: string;
  /** Serial number of the merchant API certificate whose key is `privateKey`. */
  serialNo: string;
  /** 商户 API 私钥, PEM. */
  privateKey: string;
  /** Wechatpay-Serial → 平台证书 (PEM certificate) or 微信支付公钥 (PEM public key, serial PUB_KEY_ID_…). */
  platformCerts: Record<string, string>;
  baseUrl?: string;
  now?: () => Date;
}

const AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048';
/** WeChat's own SDKs refuse signed messages whose timestamp is further than this from the local clock (replay). */
const MAX_SKEW_MS = 5 * 60_000;

/** The string both sides sign: every part followed by a newline. */
function wechatMessage(...parts: string[]): string {
  return parts.map((p) => `${p}\n`).join('');
}

/** time_expire / success_time are RFC 3339; China has no DST, so Beijing time is always +08:00. */
function rfc3339Beijing(date: Date): string {
  return `${new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

function header(headers: NotifyRequest['headers'] | Headers, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : value;
}

interface Transaction {
  appid?: string;
  mchid?: string;
  out_trade_no?: string;
  transaction_id?: string;
  trade_state?: string;
  success_time?: string;
  amount?: { total?: number };
}

/** A JSON answer; only read after its signature (2xx) or as an error description (4xx/5xx). */
interface Answer {
  status: number;
  data: Record<string, unknown>;
}

const CLOSED_STATES = new Set(['CLOSED', 'REVOKED', 'PAYERROR']);

/** 微信支付 APIv3 (Native, JSAPI and H5), signed and verified with node:crypto; no SDK. */
export function createWechatProvider(cfg: WechatConfig): PaymentProvider {
  const baseUrl = cfg.baseUrl ?? 'https://api.mch.weixin.qq.com';
  const now = cfg.now ?? (() => new Date());
  const merchantKey = crypto.createPrivateKey(cfg.privateKey);
  const apiV3Key = Buffer.from(cfg.apiV3Key, 'utf8');
  if (apiV3Key.length !== 32) throw new Error('wechat apiV3Key must be 32 bytes');
  const platformKeys = new Map(
    Object.entries(cfg.platformCerts).map(([serial, pem]) => [serial, crypto.createPublicKey(pem)]),
  );

  const sign = (message: string) => crypto.sign('sha256', Buffer.from(message, 'utf8'), merchantKey).toString('base64');
  const nonce = () => crypto.randomBytes(16).toString('hex');
  const unixSeconds = () => String(Math.floor(now().getTime() / 1000));

  /** Checks the Wechatpay-* headers over a body; returns why it fails, or null. */
  function verifyHeaders(headers: NotifyRequest['headers'] | Headers, body: string): string | null {
    const serial = header(headers, 'wechatpay-serial');
    const signature = header(headers, 'wechatpay-signature');
    const timestamp = header(headers, 'wechatpay-timestamp');
    const nonceStr = header(headers, 'wechatpay-nonce');
    if (!serial || !signature || !timestamp || !nonceStr) return 'missing Wechatpay-* headers';
    const key = platformKeys.get(serial);
    if (!key) return `unknown platform serial ${serial}`;
    if (!/^\d+$/.test(timestamp) || Math.abs(now().getTime() - Number(timestamp) * 1000) > MAX_SKEW_MS) {
      return 'stale timestamp';
    }
    const ok = crypto.verify(
      'sha256',
      Buffer.from(wechatMessage(timestamp, nonceStr, body), 'utf8'),
      key,
      Buffer.from(signature, 'base64'),
    );
    return ok ? null : 'bad signature';
  }

  /** One APIv3 call; the answer is only returned once WeChat's signature on it checks out. */
  async function call(method: 'GET' | 'POST', path: string, payload?: object): Promise<Answer> {
    const url = new URL(path, baseUrl);
    const body = payload ? JSON.stringify(payload) : '';
    const timestamp = unixSeconds();
    const nonceStr = nonce();
    const signature = sign(wechatMessage(method, `${url.pathname}${url.search}`, timestamp, nonceStr, body));
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method,
        headers: {
          authorization: `${AUTH_SCHEME} mchid="${cfg.mchId}",nonce_str="${nonceStr}",signature="${signature}",timestamp="${timestamp}",serial_no="${cfg.serialNo}"`,
          accept: 'application/json',
          // APIv3 may refuse requests without one.
          'user-agent': 'cpe-server (node)',
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
        ...(payload ? { body } : {}),
        signal: AbortSignal.timeout(10_000),
      });
      text = await res.text();
    } catch (err) {
      throw new PaymentProviderError(`wechat pay unreachable: ${(err as Error).message}`);
    }
    let data: Answer['data'];
    try {
      data = text ? JSON.parse(text) : {};
      if (typeof data !== 'object' || data === null) throw new TypeError('not an object');
    } catch {
      throw new PaymentProviderError(`wechat pay answered ${res.status} with a body that is not JSON`);
    }
    if (!res.ok) return { status: res.status, data };
    const problem = verifyHeaders(res.headers, text);
    if (problem) throw new PaymentProviderError(`wechat pay response rejected: ${problem}`);
    return { status: res.status, data };
  }

  function refused(what: string, answer: Answer): PaymentProviderError {
    return new PaymentProviderError(
      `wechat ${what} refused: ${answer.status} ${answer.data.code ?? ''} ${answer.data.message ?? ''}`,
    );
  }

  return {
    channel: 'wechat',
    name: 'wechat',

    async create(input: CreatePaymentInput): Promise<PaymentStart> {
      if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) {
        throw new RangeError(`invalid amount in fen: ${input.amountFen}`);
      }
      const order = {
        appid: cfg.appId,
        mchid: cfg.mchId,
        description: input.subject.slice(0, 127),
        out_trade_no: input.outTradeNo,
        time_expire: rfc3339Beijing(input.expiresAt),
        notify_url: input.notifyUrl,
        amount: { total: input.amountFen, currency: 'CNY' },
      };

      if (input.device === 'desktop') {
        const answer = await call('POST', '/v3/pay/transactions/native', order);
        if (answer.status !== 200 || typeof answer.data.code_url !== 'string') throw refused('native order', answer);
        return { kind: 'qr', codeUrl: answer.data.code_url };
      }

      if (input.openId) {
        const answer = await call('POST', '/v3/pay/transactions/jsapi', { ...order, payer: { openid: input.openId } });
        if (answer.status !== 200 || typeof answer.data.prepay_id !== 'string') throw refused('jsapi order', answer);
        const params = {
          appId: cfg.appId,
          timeStamp: unixSeconds(),
          nonceStr: nonce(),
          package: `prepay_id=${answer.data.prepay_id}`,
          signType: 'RSA',
        };
        const paySign = sign(wechatMessage(params.appId, params.timeStamp, params.nonceStr, params.package));
        return { kind: 'jsapi', params: { ...params, paySign } };
      }

      if (!input.clientIp) throw new Error('wechat H5 payment needs the payer IP (clientIp)');
      const answer = await call('POST', '/v3/pay/transactions/h5', {
        ...order,
        scene_info: { payer_client_ip: input.clientIp, h5_info: { type: 'Wap' } },
      });
      if (answer.status !== 200 || typeof answer.data.h5_url !== 'string') throw refused('h5 order', answer);
      // WeChat sends the browser to redirect_url once the payer leaves its cashier page.
      const url = `${answer.data.h5_url}&redirect_url=${encodeURIComponent(input.returnUrl)}`;
      return { kind: 'redirect', url };
    },

    async parseNotify(req: NotifyRequest): Promise<PaymentNotice> {
      const body = req.rawBody.toString('utf8');
      const problem = verifyHeaders(req.headers, body);
      if (problem) throw new PaymentSignatureError(`wechat notification: ${problem}`);

      let resource: { algorithm?: string; ciphertext?: string; nonce?: string; associated_data?: string };
      let eventType: unknown;
      try {
        ({ resource, event_type: eventType } = JSON.parse(body));
      } catch {
        throw new PaymentSignatureError('wechat notification: body is not JSON');
      }
      // Refund results come as REFUND.*; only a transaction can pay an order.
      if (typeof eventType !== 'string' || !eventType.startsWith('TRANSACTION.')) {
        throw new PaymentSignatureError(`wechat notification: unexpected event ${String(eventType)}`);
      }
      if (resource?.algorithm !== 'AEAD_AES_256_GCM' || !resource.ciphertext || !resource.nonce) {
        throw new PaymentSignatureError('wechat notification: unexpected resource');
      }

      let tx: Transaction;
      try {
        const sealed = Buffer.from(resource.ciphertext, 'base64');
        const decipher = crypto.createDecipheriv('aes-256-gcm', apiV3Key, Buffer.from(resource.nonce, 'utf8'));
        decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
        decipher.setAuthTag(sealed.subarray(sealed.length - 16));
        const plain = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
        tx = JSON.parse(plain.toString('utf8'));
      } catch {
        throw new PaymentSignatureError('wechat notification: resource does not decrypt');
      }

      if (tx.mchid !== cfg.mchId || tx.appid !== cfg.appId) {
        throw new PaymentSignatureError('wechat notification: not for this merchant');
      }
      const amountFen = tx.amount?.total;
      if (!tx.out_trade_no || !tx.transaction_id || !Number.isSafeInteger(amountFen)) {
        throw new PaymentSignatureError('wechat notification: missing transaction fields');
      }
      const base = { outTradeNo: tx.out_trade_no, tradeNo: tx.transaction_id, amountFen: amountFen as number };
      if (tx.trade_state === 'SUCCESS') {
        return { ...base, status: 'paid', paidAt: tx.success_time ? new Date(tx.success_time) : null };
      }
      if (CLOSED_STATES.has(tx.trade_state ?? '')) return { ...base, status: 'closed', paidAt: null };
      throw new PaymentSignatureError(`wechat notification: unexpected trade_state ${tx.trade_state}`);
    },

    ack(ok: boolean) {
      return ok
        ? { status: 200, contentType: 'application/json', body: JSON.stringify({ code: 'SUCCESS', message: '成功' }) }
        : { status: 500, contentType: 'application/json', body: JSON.stringify({ code: 'FAIL', message: '失败' }) };
    },

    async query(outTradeNo: string): Promise<PaymentQueryResult> {
      const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${encodeURIComponent(cfg.mchId)}`;
      const answer = await call('GET', path);
      if (answer.status === 404 && answer.data.code === 'ORDER_NOT_EXIST') return { status: 'unpaid' };
      if (answer.status !== 200) throw refused('order query', answer);
      const tx = answer.data as Transaction;
      const facts = {
        amountFen: Number.isSafeInteger(tx.amount?.total) ? tx.amount?.total : undefined,
        tradeNo: tx.transaction_id,
      };
      switch (tx.trade_state) {
        case 'SUCCESS':
          return { status: 'paid', ...facts, paidAt: tx.success_time ? new Date(tx.success_time) : undefined };
        case 'REFUND':
          return { status: 'refunded', ...facts };
        case 'NOTPAY':
        case 'USERPAYING':
          return { status: 'unpaid', ...facts };
        default:
          if (CLOSED_STATES.has(tx.trade_state ?? '')) return { status: 'closed', ...facts };
          throw new PaymentProviderError(`wechat order query: unexpected trade_state ${tx.trade_state}`);
      }
    },

    async refund(input: RefundInput) {
      const answer = await call('POST', '/v3/refund/domestic/refunds', {
        out_trade_no: input.outTradeNo,
        out_refund_no: input.outRefundNo,
        reason: input.reason.slice(0, 80),
        amount: { refund: input.amountFen, total: input.totalFen, currency: 'CNY' },
      });
      if (answer.status !== 200) throw refused('refund', answer);
      const { status, refund_id: refundId } = answer.data;
      if (typeof refundId !== 'string') throw refused('refund', answer);
      if (status === 'SUCCESS') return { status: 'success', refundId };
      if (status === 'PROCESSING') return { status: 'processing', refundId };
      // CLOSED / ABNORMAL: the money did not go back; someone has to look (e.g. the payer's card was cancelled).
      throw new PaymentProviderError(`wechat refund ${refundId} ended ${status}`);
    },
  };
}
