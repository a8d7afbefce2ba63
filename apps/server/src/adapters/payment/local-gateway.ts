import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { gatewayTrades } from '../../db/schema/index.js';
import type { Clock } from '../../lib/clock.js';
import type { Jobs } from '../../modules/jobs/jobs.service.js';
import { PAYMENT_CHANNELS, type PaymentChannel, PaymentProviderError } from './payment.js';

export type GatewayTrade = typeof gatewayTrades.$inferSelect;
export type GatewayTradeStatus = 'unpaid' | 'paid' | 'closed' | 'refunded';

/** Delivers one notification: POST `body` to `url`; resolves with what the receiver answered. */
export type GatewayTransport = (
  url: string,
  body: string,
  headers: Record<string, string>,
) => Promise<{ status: number; body: string }>;

export type GatewayErrorCode =
  | 'INVALID_PARAMETER'
  | 'TRADE_MISMATCH'
  | 'TRADE_NOT_EXIST'
  | 'TRADE_NOT_PAID'
  | 'REFUND_MISMATCH'
  | 'REFUND_AMOUNT_EXCEEDED';

/** The gateway refused a request, with the code a real provider would answer. */
export class GatewayRefusal extends PaymentProviderError {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
  ) {
    super(`local gateway: ${message}`);
  }
}

export interface CreateTradeInput {
  channel: PaymentChannel;
  outTradeNo: string;
  amountFen: number;
  subject: string;
  notifyUrl: string;
  returnUrl: string;
  expiresAt: Date;
  /** How the payer arrives, shown on the cashier: a phone browser (H5) or WeChat's in-app pay sheet (JSAPI). */
  scene?: CashierScene;
}

export type CashierScene = 'h5' | 'jsapi';

/** What the payer's buttons did: `refused` means the trade was no longer payable (or cancellable). */
export type CashierOutcome = 'paid' | 'closed' | 'failed' | 'refused';

export const GATEWAY_NOTIFY_JOB = 'gateway.notify';
/** The simulated 公众号 whose openids the local gateway's WeChat JSAPI accepts. */
export const LOCAL_WECHAT_APP_ID = 'wx0000000000local';
const NOTIFY_MAX_ATTEMPTS = 8;
const DUPLICATE_DELAY_MS = 2_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The string a signature covers: every field but sign and sign_type, sorted by name, empty values kept. */
export function signingString(fields: Record<string, string>): string {
  return Object.keys(fields)
    .filter((k) => k !== 'sign' && k !== 'sign_type')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}

interface Keys {
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
  publicPem: string;
  cashierTokenKey: Buffer;
  merchantKey: string;
  wechatOauthKey: Buffer;
}

function readKeyFile(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const pem = (JSON.parse(text) as { privateKeyPem?: unknown }).privateKeyPem;
  // Never silently replace a damaged key: notifications already sent could no longer be verified.
  if (typeof pem !== 'string') throw new Error(`local gateway: ${file} has no privateKeyPem`);
  return pem;
}

function deriveKeys(privatePem: string): Keys {
  const privateKey = crypto.createPrivateKey(privatePem);
  const publicKey = crypto.createPublicKey(privateKey);
  const secret = privateKey.export({ type: 'pkcs8', format: 'der' });
  const derive = (info: string) => Buffer.from(crypto.hkdfSync('sha256', secret, '', info, 32));
  return {
    privateKey,
    publicKey,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    cashierTokenKey: derive('local-gateway cashier token'),
    merchantKey: derive('local-gateway merchant api key').toString('base64url'),
    wechatOauthKey: derive('local-gateway wechat oauth'),
  };
}

/**
 * Synchronous on purpose: it runs once per data directory (≈100 ms for RSA-2048) and keeps `verify` and
 * `publicKeyPem` plain functions.
 */
function loadOrCreateKeys(file: string): Keys {
  const existing = readKeyFile(file);
  if (existing) return deriveKeys(existing);
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, `${JSON.stringify({ privateKeyPem, publicKeyPem }, null, 2)}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another process created it first: use its pair, or what that process signs would not verify here.
    return deriveKeys(readKeyFile(file) as string);
  }
  return deriveKeys(privateKeyPem);
}

/** 交易号 like the providers': dated in China time, then random digits. */
function newTradeNo(now: Date): string {
  const day = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `LG${day}${String(crypto.randomInt(0, 1e12)).padStart(12, '0')}`;
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

const isPositiveFen = (n: number) => Number.isSafeInteger(n) && n > 0;

function checkTradeInput(input: CreateTradeInput): void {
  const bad = (what: string) => new GatewayRefusal('INVALID_PARAMETER', what);
  if (!PAYMENT_CHANNELS.includes(input.channel)) throw bad(`unknown channel ${input.channel}`);
  if (!/^[A-Za-z0-9]{6,32}$/.test(input.outTradeNo)) throw bad('out_trade_no must be 6–32 letters or digits');
  if (!isPositiveFen(input.amountFen)) throw bad('amount must be a positive number of fen');
  if (!input.subject.trim() || input.subject.length > 256) throw bad('subject must be 1–256 characters');
  // The return URL becomes a link on the cashier page: only http(s), never javascript: and the like.
  if (!isHttpUrl(input.notifyUrl) || !isHttpUrl(input.returnUrl)) throw bad('notify and return URLs must be http(s)');
  if (Number.isNaN(input.expiresAt.getTime())) throw bad('expiresAt is not a date');
}

function notifyPayloadOf(payload: Record<string, unknown>): { notifyUrl: string; fields: Record<string, string> } {
  const { notifyUrl, fields } = payload;
  if (typeof notifyUrl !== 'string' || typeof fields !== 'object' || fields === null) {
    throw new Error('gateway.notify: malformed payload');
  }
  return { notifyUrl, fields: fields as Record<string, string> };
}

/**
 * The local payment gateway: what 支付宝 / 微信支付 / 银联 do on their side, run inside the app for demo
 * mode and tests. It keeps its own books (gateway_trades), shows a cashier page (local-gateway.routes.ts),
 * signs its asynchronous notifications with its own RSA key and delivers them through the job queue,
 * retrying until the receiver answers `success` — duplicates included, as real providers send them.
 */
export function createLocalGateway(deps: {
  db: Db;
  clock: Clock;
  jobs: Jobs;
  /** Where the RSA key pair lives (e.g. <dataDir>/gateway-keys.json): notifications stay verifiable across restarts. */
  keyFile: string;
  /** Origin (and path prefix, if any) under which the cashier pages are served, e.g. http://localhost:3000. */
  baseUrl: string;
  /**
   * The merchant's 网页授权域名 (host[:port] each): where 微信网页授权 may send the browser back. Every public URL's
   * host, as an operator lists each at the 公众号; default: the host of `baseUrl`.
   */
  merchantHosts?: string[];
  transport: GatewayTransport;
  /** Extra copies of each notification, sent a little later. */
  duplicates?: number;
}) {
  const { db, clock, jobs } = deps;
  const duplicates = deps.duplicates ?? 1;
  const baseUrl = deps.baseUrl.replace(/\/+$/, '');
  const merchantHosts = new Set(deps.merchantHosts ?? [new URL(baseUrl).host]);
  let cachedKeys: Keys | undefined;
  const keys = () => {
    cachedKeys ??= loadOrCreateKeys(deps.keyFile);
    return cachedKeys;
  };
  /**
   * Refunds accepted by this process, per trade: outRefundNo → amount. The table keeps only the total
   * (refunded_fen), so after a restart a repeated outRefundNo cannot be recognised exactly; see `refund`.
   */
  const refundsSeen = new Map<string, Map<string, number>>();

  const sign = (fields: Record<string, string>) =>
    crypto.sign('sha256', Buffer.from(signingString(fields), 'utf8'), keys().privateKey).toString('base64');

  const statusAt = (t: GatewayTrade, now: Date): GatewayTradeStatus =>
    t.status === 'unpaid' && now.getTime() >= t.expiresAt.getTime() ? 'closed' : (t.status as GatewayTradeStatus);

  const cashierToken = (tradeId: string) =>
    crypto.createHmac('sha256', keys().cashierTokenKey).update(tradeId).digest('base64url');

  async function tradeById(ex: Executor, id: string, forUpdate = false): Promise<GatewayTrade | undefined> {
    if (!UUID.test(id)) return undefined;
    const q = ex.select().from(gatewayTrades).where(eq(gatewayTrades.id, id));
    return (forUpdate ? await q.for('update') : await q)[0];
  }

  async function notify(tx: Executor, t: GatewayTrade, tradeStatus: 'SUCCESS' | 'CLOSED'): Promise<void> {
    const fields = {
      notify_id: crypto.randomUUID().replaceAll('-', ''),
      channel: t.channel,
      out_trade_no: t.outTradeNo,
      trade_no: t.tradeNo,
      total_fen: String(t.amountFen),
      trade_status: tradeStatus,
      paid_at: t.paidAt?.toISOString() ?? '',
    };
    const payload = { notifyUrl: t.notifyUrl, fields };
    const now = clock.now().getTime();
    await jobs.enqueue(tx, GATEWAY_NOTIFY_JOB, payload, undefined, NOTIFY_MAX_ATTEMPTS);
    for (let i = 1; i <= duplicates; i++) {
      await jobs.enqueue(tx, GATEWAY_NOTIFY_JOB, payload, new Date(now + i * DUPLICATE_DELAY_MS), NOTIFY_MAX_ATTEMPTS);
    }
  }

  async function close(tx: Executor, t: GatewayTrade): Promise<void> {
    await tx.update(gatewayTrades).set({ status: 'closed' }).where(eq(gatewayTrades.id, t.id));
    await notify(tx, { ...t, status: 'closed' }, 'CLOSED');
  }

  jobs.register(GATEWAY_NOTIFY_JOB, async (payload) => {
    const { notifyUrl, fields } = notifyPayloadOf(payload);
    // notify_time is when this copy leaves, as with the real providers; the signature is made per copy.
    const unsigned = { ...fields, notify_time: clock.now().toISOString(), sign_type: 'RSA2' };
    const body = new URLSearchParams({ ...unsigned, sign: sign(unsigned) }).toString();
    const res = await deps.transport(notifyUrl, body, {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    });
    if (res.status !== 200 || res.body.trim() !== 'success') {
      throw new Error(`notification ${fields.notify_id} to ${notifyUrl}: ${res.status} ${res.body.slice(0, 200)}`);
    }
  });

  /** Codes already exchanged (until they expire): a WeChat OAuth code is good for one exchange. */
  const usedCodes = new Map<string, number>();
  const oauthMac = (data: string) =>
    crypto.createHmac('sha256', keys().wechatOauthKey).update(data).digest('base64url');
  /** The simulated payer's openid: the WeChat user id plus a MAC, so JSAPI can tell an openid it issued. */
  const openIdOf = (wxUser: string) => `oLG${wxUser}${oauthMac(`openid\n${wxUser}`).slice(0, 10)}`;

  return {
    publicKeyPem: () => keys().publicPem,

    /** 微信网页授权 (snsapi_base) of the simulated 公众号: where the merchant sends the browser for an openid. */
    wechatAuthorizeUrl(redirectUri: string, state: string): string {
      const q = new URLSearchParams({
        appid: LOCAL_WECHAT_APP_ID,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: 'snsapi_base',
        state,
      });
      return `${baseUrl}/pay-gateway/wechat/oauth2/authorize?${q}#wechat_redirect`;
    },

    /**
     * What WeChat does at that URL with snsapi_base: silently recognise the WeChat user of this phone (a cookie
     * of the gateway's pages stands in for the signed-in WeChat app; a new phone gets a new user) and send the
     * browser back with a code valid for one exchange within 5 minutes. Like WeChat, it refuses another
     * appid and a redirect_uri outside the merchant's domain (errors 40013 and 10003).
     */
    wechatAuthorize(
      wxUser: string | undefined,
      q: Record<string, string | undefined>,
    ): { error: string } | { wxUser: string; location: string } {
      if (q.appid !== LOCAL_WECHAT_APP_ID) return { error: '40013 invalid appid' };
      if (q.response_type !== 'code' || (q.scope !== 'snsapi_base' && q.scope !== 'snsapi_userinfo'))
        return { error: '10005 scope 参数错误或没有 scope 权限' };
      const target = q.redirect_uri && isHttpUrl(q.redirect_uri) ? new URL(q.redirect_uri) : undefined;
      if (!target || !merchantHosts.has(target.host)) return { error: '10003 redirect_uri 域名与后台配置不一致' };
      const user = wxUser && /^[0-9a-f]{16}$/.test(wxUser) ? wxUser : crypto.randomBytes(8).toString('hex');
      const payload = Buffer.from(
        JSON.stringify({ u: user, e: clock.now().getTime() + 5 * 60_000, n: crypto.randomBytes(6).toString('hex') }),
      ).toString('base64url');
      target.searchParams.set('code', `${payload}.${oauthMac(`code\n${payload}`)}`);
      target.searchParams.set('state', q.state ?? '');
      return { wxUser: user, location: target.toString() };
    },

    /** sns/oauth2/access_token: the code (once, within 5 minutes) → the payer's openid. */
    wechatOpenIdOf(code: string): string {
      const now = clock.now().getTime();
      for (const [c, exp] of usedCodes) if (exp < now) usedCodes.delete(c);
      const [payload = '', mac = ''] = code.split('.');
      const expected = Buffer.from(oauthMac(`code\n${payload}`));
      const given = Buffer.from(mac);
      if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected))
        throw new GatewayRefusal('INVALID_PARAMETER', '40029 invalid code');
      const { u, e } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { u: string; e: number };
      if (e < now) throw new GatewayRefusal('INVALID_PARAMETER', '40029 code expired');
      if (usedCodes.has(code)) throw new GatewayRefusal('INVALID_PARAMETER', '40163 code been used');
      usedCodes.set(code, e);
      return openIdOf(u);
    },

    /** True for an openid this gateway's 公众号 issued (JSAPI refuses others: "appid和openid不匹配"). */
    isWechatOpenId(openId: string): boolean {
      const m = /^oLG([0-9a-f]{16})(.{10})$/.exec(openId);
      return !!m && openIdOf(m[1] as string) === openId;
    },
    /** Bearer key for the provider-facing HTTP API (/pay-gateway/api/*); the in-process provider needs none. */
    merchantKey: () => keys().merchantKey,

    /** True when `fields.sign` is the gateway's RSA2 signature over the other fields. */
    verify(fields: Record<string, string>): boolean {
      const signature = fields.sign;
      if (!signature) return false;
      try {
        return crypto.verify(
          'sha256',
          Buffer.from(signingString(fields), 'utf8'),
          keys().publicKey,
          Buffer.from(signature, 'base64'),
        );
      } catch {
        return false;
      }
    },

    /** Adds sign_type and sign, as on the notifications (the HTTP API signs its answers with this). */
    signed(fields: Record<string, string>): Record<string, string> {
      const unsigned = { ...fields, sign_type: 'RSA2' };
      return { ...unsigned, sign: sign(unsigned) };
    },

    /** Opens a trade and returns its cashier URL; the same outTradeNo with the same amount and channel reopens it. */
    async createTrade(input: CreateTradeInput): Promise<string> {
      checkTradeInput(input);
      const inserted = await db
        .insert(gatewayTrades)
        .values({
          channel: input.channel,
          outTradeNo: input.outTradeNo,
          tradeNo: newTradeNo(clock.now()),
          amountFen: input.amountFen,
          subject: input.subject,
          notifyUrl: input.notifyUrl,
          returnUrl: input.returnUrl,
          status: 'unpaid',
          expiresAt: input.expiresAt,
          createdAt: clock.now(),
        })
        .onConflictDoNothing({ target: gatewayTrades.outTradeNo })
        .returning({ id: gatewayTrades.id });
      let id = inserted[0]?.id;
      if (!id) {
        const [t] = await db.select().from(gatewayTrades).where(eq(gatewayTrades.outTradeNo, input.outTradeNo));
        if (!t || t.amountFen !== input.amountFen || t.channel !== input.channel) {
          throw new GatewayRefusal('TRADE_MISMATCH', `${input.outTradeNo} exists with another amount or channel`);
        }
        id = t.id;
      }
      return `${baseUrl}/pay-gateway/cashier/${id}${input.scene ? `?scene=${input.scene}` : ''}`;
    },

    /** Everything the cashier page shows; undefined for an unknown id. */
    async cashier(tradeId: string) {
      const t = await tradeById(db, tradeId);
      if (!t) return undefined;
      const now = clock.now();
      const back = new URL(t.returnUrl);
      back.searchParams.set('out_trade_no', t.outTradeNo);
      return {
        trade: t,
        status: statusAt(t, now),
        remainingMs: Math.max(0, t.expiresAt.getTime() - now.getTime()),
        token: cashierToken(t.id),
        /** The merchant's return page, with out_trade_no so it knows which attempt to ask about. */
        returnHref: back.toString(),
      };
    },

    /** Checks the per-trade token the cashier page embeds in its forms (they bypass the app's CSRF check). */
    checkCashierToken(tradeId: string, token: string): boolean {
      const expected = Buffer.from(cashierToken(tradeId));
      const given = Buffer.from(token);
      return given.length === expected.length && crypto.timingSafeEqual(given, expected);
    },

    /** 确认支付. Refused when the trade is closed or paid; past its expiry the trade closes instead. */
    async pay(tradeId: string): Promise<CashierOutcome | undefined> {
      return db.transaction(async (tx) => {
        const t = await tradeById(tx, tradeId, true);
        if (!t) return undefined;
        if (t.status !== 'unpaid') return 'refused';
        const now = clock.now();
        if (statusAt(t, now) === 'closed') {
          await close(tx, t);
          return 'refused';
        }
        await tx.update(gatewayTrades).set({ status: 'paid', paidAt: now }).where(eq(gatewayTrades.id, t.id));
        await notify(tx, { ...t, status: 'paid', paidAt: now }, 'SUCCESS');
        return 'paid';
      });
    },

    /** 取消支付: closes an unpaid trade (again: no second notification); a paid one stays paid. */
    async cancel(tradeId: string): Promise<CashierOutcome | undefined> {
      return db.transaction(async (tx) => {
        const t = await tradeById(tx, tradeId, true);
        if (!t) return undefined;
        if (t.status === 'closed') return 'closed';
        if (t.status !== 'unpaid') return 'refused';
        await close(tx, t);
        return 'closed';
      });
    },

    /** 模拟支付失败: nothing changes on the trade, the payer may try again. */
    async fail(tradeId: string): Promise<CashierOutcome | undefined> {
      const t = await tradeById(db, tradeId);
      if (!t) return undefined;
      return statusAt(t, clock.now()) === 'unpaid' ? 'failed' : 'refused';
    },

    /** The trade as the provider's query API reports it; an unpaid trade past its expiry reads as closed. */
    async query(outTradeNo: string) {
      const [t] = await db.select().from(gatewayTrades).where(eq(gatewayTrades.outTradeNo, outTradeNo));
      if (!t) throw new GatewayRefusal('TRADE_NOT_EXIST', `no trade ${outTradeNo}`);
      return {
        status: statusAt(t, clock.now()),
        amountFen: t.amountFen,
        refundedFen: t.refundedFen,
        tradeNo: t.tradeNo,
        paidAt: t.paidAt,
      };
    },

    /**
     * Refunds part or all of a paid trade, idempotent per outRefundNo. Simplification: the books keep only
     * the refunded total, so an outRefundNo this process has not seen (new, or accepted before a restart)
     * is applied when it fits in what is left, else accepted as a repeat when it fits in the refunds this
     * process cannot account for, else refused. Exact for one process; after a restart a new outRefundNo
     * could pass as a repeat — acceptable for a demo gateway whose caller refunds each payment once.
     */
    async refund(input: { outTradeNo: string; outRefundNo: string; amountFen: number; reason: string }) {
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(input.outRefundNo) || !isPositiveFen(input.amountFen)) {
        throw new GatewayRefusal('INVALID_PARAMETER', 'out_refund_no or amount invalid');
      }
      const refundId = `LR${crypto
        .createHash('sha256')
        .update(`${input.outTradeNo}\n${input.outRefundNo}`)
        .digest('hex')
        .slice(0, 24)
        .toUpperCase()}`;
      const seen = refundsSeen.get(input.outTradeNo) ?? new Map<string, number>();
      const applied = await db.transaction(async (tx) => {
        const [t] = await tx
          .select()
          .from(gatewayTrades)
          .where(eq(gatewayTrades.outTradeNo, input.outTradeNo))
          .for('update');
        if (!t) throw new GatewayRefusal('TRADE_NOT_EXIST', `no trade ${input.outTradeNo}`);
        if (t.status !== 'paid' && t.status !== 'refunded') {
          throw new GatewayRefusal('TRADE_NOT_PAID', `${input.outTradeNo} is ${t.status}`);
        }
        const earlier = seen.get(input.outRefundNo);
        if (earlier !== undefined) {
          if (earlier !== input.amountFen) {
            throw new GatewayRefusal('REFUND_MISMATCH', `${input.outRefundNo} was for ${earlier} fen`);
          }
          return false;
        }
        if (input.amountFen <= t.amountFen - t.refundedFen) {
          const refundedFen = t.refundedFen + input.amountFen;
          await tx
            .update(gatewayTrades)
            .set({ refundedFen, status: refundedFen === t.amountFen ? 'refunded' : 'paid' })
            .where(eq(gatewayTrades.id, t.id));
          return true;
        }
        let accounted = 0;
        for (const fen of seen.values()) accounted += fen;
        if (input.amountFen <= t.refundedFen - accounted) return true;
        throw new GatewayRefusal('REFUND_AMOUNT_EXCEEDED', `${input.amountFen} fen exceeds what is left to refund`);
      });
      // Recorded only once committed, so a rolled-back refund is not remembered as done.
      if (applied) {
        seen.set(input.outRefundNo, input.amountFen);
        refundsSeen.set(input.outTradeNo, seen);
      }
      return { status: 'success' as const, refundId };
    },
  };
}
export type LocalGateway = ReturnType<typeof createLocalGateway>;

/** A transport over HTTP (the notify URL is reachable from the server itself). */
export const fetchTransport: GatewayTransport = async (url, body, headers) => {
  const res = await fetch(url, {
    method: 'POST',
    body,
    headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: await res.text() };
};
