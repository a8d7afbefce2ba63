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
  type RefundNotice,
} from './payment.js';

export interface UnionpayConfig {
  /** 商户代码 (15 characters). */
  merId: string;
  /** Serial number of the merchant signing certificate, in decimal (certId). */
  signCertId: string;
  /** Private key of the merchant signing certificate, PEM (exported from the .pfx). */
  privateKey: string;
  /**
   * 银联签名证书 (PEM certificate) or its public key, pinned: notifications and answers must be signed by it. Used when
   * rootCert and middleCert are not given; the day UnionPay rotates its signing certificate it must be replaced.
   */
  unionpayCert?: string;
  /**
   * UnionPay's root and intermediate certificates (acp_prod_root.cer, acp_prod_middle.cer), PEM. When given, each
   * message is verified with the certificate it carries (signPubKeyCert) once that certificate checks out as
   * UnionPay's SDKs check it: issued through middle by root, within its validity, owned by 中国银联股份有限公司 — so a
   * rotated signing certificate is accepted without a configuration change. The pinned unionpayCert is then unused.
   */
  rootCert?: string;
  middleCert?: string;
  /** The test environment's signing certificate is owned by '00040000:SIGN' (UnionPay's SDKs: ifValidateCNName=false). */
  acceptTestCertOwner?: boolean;
  /** For tests: the time a certificate's validity is checked at. */
  now?: () => Date;
  /**
   * When this attempt was created, as the caller recorded it before create() (payments.created_at). UnionPay
   * knows a trade by merId + orderId + txnTime and the port's query() only carries outTradeNo, so create() and
   * query() both take txnTime from here and therefore agree. Without it, create() stamps the current time and
   * query() / refund() cannot name the trade and fail.
   */
  txnTimeOf?: (outTradeNo: string) => Promise<Date>;
  /**
   * backUrl of 退货, which UnionPay requires; refund() fails without it. refund() does not wait for its notices:
   * parseNotify reads them as refund notices (never as payments), to be answered `ok` and their outcome recorded.
   */
  refundNotifyUrl?: string;
  frontUrl?: string;
  backUrl?: string;
  queryUrl?: string;
}

const COMMON = { version: '5.1.0', encoding: 'UTF-8', signMethod: '01', accessType: '0' };

/** orderId rule of 5.1.0: 8–40 letters or digits (no '-' or '_'). */
const ORDER_ID = /^[A-Za-z0-9]{8,40}$/;

/** The string whose SHA-256 is signed: every field but `signature`, sorted by name, as k=v joined with &. */
export function unionpaySignString(fields: Record<string, string>): string {
  return Object.keys(fields)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}

/** signMethod 01 of 5.1.0 signs the lowercase hex SHA-256 of the sign string, not the string itself. */
function digestHex(fields: Record<string, string>): Buffer {
  return Buffer.from(crypto.createHash('sha256').update(unionpaySignString(fields), 'utf8').digest('hex'), 'utf8');
}

function unionpaySign(fields: Record<string, string>, privateKey: crypto.KeyLike): string {
  return crypto.sign('sha256', digestHex(fields), privateKey).toString('base64');
}

function unionpayVerify(fields: Record<string, string>, publicKey: crypto.KeyLike | null): boolean {
  if (!fields.signature || !publicKey) return false;
  return crypto.verify('sha256', digestHex(fields), publicKey, Buffer.from(fields.signature, 'base64'));
}

const UNIONPAY_OWNER = '中国银联股份有限公司';
const TEST_OWNER = '00040000:SIGN';

/** The owner in a UnionPay certificate's CN (`041@Z…@中国银联股份有限公司@00000001`): its third @-separated part. */
function certOwner(cert: crypto.X509Certificate): string | undefined {
  const cn = cert.subject
    .split('\n')
    .find((line) => line.startsWith('CN='))
    ?.slice(3);
  return cn?.split('@')[2];
}

/**
 * Which key verifies a message: the signPubKeyCert it carries, accepted only through the configured chain (as
 * UnionPay's SDKs do: chain, validity, owner), or else the pinned certificate.
 */
function createKeyResolver(cfg: UnionpayConfig): (fields: Record<string, string>) => crypto.KeyObject | null {
  if (cfg.rootCert && cfg.middleCert) {
    const root = new crypto.X509Certificate(cfg.rootCert);
    const middle = new crypto.X509Certificate(cfg.middleCert);
    if (!root.ca || !middle.ca || !middle.checkIssued(root) || !middle.verify(root.publicKey))
      throw new RangeError('unionpay middleCert is not a CA certificate issued by rootCert');
    const now = cfg.now ?? (() => new Date());
    const within = (c: crypto.X509Certificate, t: Date) => t >= new Date(c.validFrom) && t <= new Date(c.validTo);
    const owners = cfg.acceptTestCertOwner ? [UNIONPAY_OWNER, TEST_OWNER] : [UNIONPAY_OWNER];
    return (fields) => {
      if (!fields.signPubKeyCert) return null;
      let cert: crypto.X509Certificate;
      try {
        cert = new crypto.X509Certificate(fields.signPubKeyCert);
      } catch {
        return null;
      }
      const t = now();
      if (cert.ca || !within(cert, t) || !within(middle, t) || !within(root, t)) return null;
      if (!cert.checkIssued(middle) || !cert.verify(middle.publicKey)) return null;
      if (!owners.includes(certOwner(cert) ?? '')) return null;
      return cert.publicKey;
    };
  }
  if (!cfg.unionpayCert) throw new RangeError('unionpay needs unionpayCert, or rootCert and middleCert');
  const pinned = crypto.createPublicKey(cfg.unionpayCert);
  return () => pinned;
}

/**
 * Parses a synchronous answer. Unlike notifications its values are not URL-encoded (the signature is base64, with
 * '+' and '='), and a value in {…} or […] may itself contain '&', as UnionPay's own SDK allows for.
 */
export function parseUnionpayAnswer(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    const key = text.slice(i, eq);
    let depth = 0;
    let j = eq + 1;
    for (; j < text.length; j++) {
      const c = text[j];
      if (c === '{' || c === '[') depth++;
      else if ((c === '}' || c === ']') && depth > 0) depth--;
      else if (c === '&' && depth === 0) break;
    }
    fields[key] = text.slice(eq + 1, j);
    i = j + 1;
  }
  return fields;
}

/** UnionPay times are Beijing time, yyyyMMddHHmmss; China has no DST, so +8h is exact. */
function beijingCompact(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

function fromBeijing(y: string, rest: string): Date {
  const [mo, d, h, mi, s] = rest.match(/\d{2}/g) as string[];
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}+08:00`);
}

/**
 * When the money moved: traceTime (MMDDhhmmss) carries no year, so it takes txnTime's — one more when the order
 * was sent on 31 December and paid on 1 January.
 */
function paidAtOf(traceTime: string | undefined, txnTime: string | undefined): Date | null {
  if (!txnTime || !/^\d{14}$/.test(txnTime)) return null;
  if (!traceTime || !/^\d{10}$/.test(traceTime)) return fromBeijing(txnTime.slice(0, 4), txnTime.slice(4));
  const year = Number(txnTime.slice(0, 4)) + (traceTime.slice(0, 4) < txnTime.slice(4, 8) ? 1 : 0);
  return fromBeijing(String(year), traceTime);
}

/** The notification's form fields; a repeated field makes it ambiguous, so it is refused like a bad signature. */
function formFields(raw: Buffer): Record<string, string> {
  const fields = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) {
    if (fields.has(k)) throw new PaymentSignatureError(`unionpay notification: repeated field ${k}`);
    fields.set(k, v);
  }
  return Object.fromEntries(fields);
}

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

function fen(value: string | undefined): number | null {
  if (!value || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

const PAID = new Set(['00', 'A6']);
/** 03/04/05: UnionPay has not settled the outcome yet. */
const PENDING = new Set(['03', '04', '05']);

/** 银联 全渠道 网关支付 (5.1.0, signMethod 01 RSA-SHA256) with node:crypto. */
export function createUnionpayProvider(cfg: UnionpayConfig): PaymentProvider {
  const frontUrl = cfg.frontUrl ?? 'https://gateway.95516.com/gateway/api/frontTransReq.do';
  const backUrl = cfg.backUrl ?? 'https://gateway.95516.com/gateway/api/backTransReq.do';
  const queryUrl = cfg.queryUrl ?? 'https://gateway.95516.com/gateway/api/queryTrans.do';
  const privateKey = crypto.createPrivateKey(cfg.privateKey);
  const unionpayKey = createKeyResolver(cfg);

  function signed(fields: Record<string, string>): Record<string, string> {
    const all = { ...fields, ...COMMON, merId: cfg.merId, certId: cfg.signCertId };
    return { ...all, signature: unionpaySign(all, privateKey) };
  }

  /** A back-channel request; the answer is only returned once UnionPay's signature on it checks out. */
  async function post(url: string, fields: Record<string, string>, what: string): Promise<Record<string, string>> {
    let text: string;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        body: new URLSearchParams(signed(fields)).toString(),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      text = await res.text();
    } catch (err) {
      throw new PaymentProviderError(`unionpay ${what} failed: ${(err as Error).message}`);
    }
    const answer = parseUnionpayAnswer(text.trim());
    if (!unionpayVerify(answer, unionpayKey(answer)))
      throw new PaymentProviderError(`unionpay ${what}: answer not signed by UnionPay`);
    if (answer.merId && answer.merId !== cfg.merId)
      throw new PaymentProviderError(`unionpay ${what}: answer for another merchant`);
    return answer;
  }

  async function queryTrade(outTradeNo: string): Promise<PaymentQueryResult> {
    if (!cfg.txnTimeOf) throw new PaymentProviderError('unionpay query needs txnTimeOf to know the trade’s txnTime');
    const answer = await post(
      queryUrl,
      {
        txnType: '00',
        txnSubType: '00',
        bizType: '000000',
        orderId: outTradeNo,
        txnTime: beijingCompact(await cfg.txnTimeOf(outTradeNo)),
      },
      'query',
    );
    if (answer.respCode === '34') return { status: 'unpaid' };
    if (answer.respCode !== '00') {
      throw new PaymentProviderError(`unionpay query refused: ${answer.respCode} ${answer.respMsg ?? ''}`);
    }
    const facts = {
      amountFen: fen(answer.txnAmt) ?? undefined,
      tradeNo: answer.queryId,
    };
    const orig = answer.origRespCode ?? '';
    if (PAID.has(orig))
      return { status: 'paid', ...facts, paidAt: paidAtOf(answer.traceTime, answer.txnTime) ?? undefined };
    if (PENDING.has(orig)) return { status: 'unpaid', ...facts };
    return { status: 'closed', ...facts };
  }

  return {
    channel: 'unionpay',
    name: 'unionpay',

    async create(input: CreatePaymentInput): Promise<PaymentStart> {
      if (!ORDER_ID.test(input.outTradeNo)) throw new RangeError(`unionpay orderId must be 8–40 letters or digits`);
      if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) {
        throw new RangeError(`invalid amount in fen: ${input.amountFen}`);
      }
      const fields = signed({
        txnType: '01',
        txnSubType: '01',
        bizType: '000201',
        channelType: input.device === 'mobile' ? '08' : '07',
        currencyCode: '156',
        txnAmt: String(input.amountFen),
        orderId: input.outTradeNo,
        txnTime: beijingCompact(cfg.txnTimeOf ? await cfg.txnTimeOf(input.outTradeNo) : new Date()),
        payTimeout: beijingCompact(input.expiresAt),
        frontUrl: input.returnUrl,
        backUrl: input.notifyUrl,
      });
      const inputs = Object.entries(fields)
        .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
        .join('');
      const html =
        `<form id="unionpay-pay" action="${escapeHtml(frontUrl)}" method="post" accept-charset="UTF-8">${inputs}</form>` +
        `<script>document.getElementById('unionpay-pay').submit();</script>`;
      return { kind: 'form', html };
    },

    async parseNotify(req: NotifyRequest): Promise<PaymentNotice | RefundNotice> {
      const fields = formFields(req.rawBody);
      if (!unionpayVerify(fields, unionpayKey(fields)))
        throw new PaymentSignatureError('unionpay notification: bad signature');
      if (fields.merId !== cfg.merId) throw new PaymentSignatureError('unionpay notification: not for this merchant');
      // A 退货 result posted to the same place is a refund notice, never a payment.
      if (fields.txnType === '04') {
        const refundFen = fen(fields.txnAmt);
        if (!fields.orderId || refundFen === null)
          throw new PaymentSignatureError('unionpay refund notice: missing refund fields');
        return {
          type: 'refund',
          outRefundNo: fields.orderId,
          refundId: fields.queryId ?? '',
          amountFen: refundFen,
          status: fields.respCode === '00' || fields.respCode === 'A6' ? 'success' : 'failed',
        };
      }
      if (fields.txnType !== '01') throw new PaymentSignatureError(`unionpay notification: txnType ${fields.txnType}`);
      const amountFen = fen(fields.txnAmt);
      if (!fields.orderId || !fields.queryId || amountFen === null) {
        throw new PaymentSignatureError('unionpay notification: missing trade fields');
      }
      const base = { outTradeNo: fields.orderId, tradeNo: fields.queryId, amountFen };
      if (PAID.has(fields.respCode ?? '')) {
        return { ...base, status: 'paid', paidAt: paidAtOf(fields.traceTime, fields.txnTime) };
      }
      return { ...base, status: 'closed', paidAt: null };
    },

    ack(ok: boolean) {
      return ok
        ? { status: 200, contentType: 'text/plain', body: 'ok' }
        : { status: 500, contentType: 'text/plain', body: 'fail' };
    },

    query: queryTrade,

    async refund(input: RefundInput) {
      if (!ORDER_ID.test(input.outRefundNo)) throw new RangeError(`unionpay orderId must be 8–40 letters or digits`);
      const refundBackUrl = cfg.refundNotifyUrl;
      if (!refundBackUrl) throw new PaymentProviderError('unionpay refund needs refundNotifyUrl (退货 backUrl)');
      // 退货 names the payment by its queryId, which only the query answers when all we hold is outTradeNo.
      const trade = await queryTrade(input.outTradeNo);
      if (trade.status !== 'paid' || !trade.tradeNo) {
        throw new PaymentProviderError(`unionpay refund: trade ${input.outTradeNo} is ${trade.status}`);
      }
      const answer = await post(
        backUrl,
        {
          txnType: '04',
          txnSubType: '00',
          bizType: '000201',
          channelType: '07',
          orderId: input.outRefundNo,
          txnTime: beijingCompact(new Date()),
          txnAmt: String(input.amountFen),
          currencyCode: '156',
          origQryId: trade.tradeNo,
          backUrl: refundBackUrl,
        },
        'refund',
      );
      // 00 is 受理成功 and 03/04/05 is 状态未明: either way the result comes later, by notice or query, and asking
      // again could refund twice.
      if (answer.respCode === '00' || PENDING.has(answer.respCode ?? '')) {
        return { status: 'processing', refundId: answer.queryId || input.outRefundNo };
      }
      throw new PaymentProviderError(`unionpay refund refused: ${answer.respCode} ${answer.respMsg ?? ''}`);
    },
  };
}
