import { GatewayRefusal, type LocalGateway } from './local-gateway.js';
import {
  type PaymentChannel,
  type PaymentNotice,
  type PaymentProvider,
  PaymentProviderError,
  PaymentSignatureError,
} from './payment.js';

function providerError(err: unknown): PaymentProviderError {
  return err instanceof PaymentProviderError
    ? err
    : new PaymentProviderError(`local gateway unavailable: ${(err as Error)?.message ?? err}`);
}

/** The notification's form fields; a repeated field makes it ambiguous, so it is refused like a bad signature. */
function formFields(raw: Buffer): Record<string, string> {
  const fields = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) {
    if (fields.has(k)) throw new PaymentSignatureError(`local gateway notification: repeated field ${k}`);
    fields.set(k, v);
  }
  return Object.fromEntries(fields);
}

/**
 * Our client of the local gateway, for one channel. The cashier page stands in for every way a real
 * provider starts a payment (page pay, QR code, H5), so `create` always redirects to it.
 */
export function createLocalProvider(gateway: LocalGateway, channel: PaymentChannel): PaymentProvider {
  return {
    channel,
    name: 'local',

    async create(input) {
      // The checks WeChat makes itself: JSAPI needs an openid of the merchant's 公众号, H5 the payer's IP.
      const jsapi = channel === 'wechat' && !!input.openId;
      if (jsapi && !gateway.isWechatOpenId(input.openId as string))
        throw new PaymentProviderError('local gateway: appid和openid不匹配');
      if (channel === 'wechat' && !jsapi && input.device === 'mobile' && !input.clientIp)
        throw new PaymentProviderError('local gateway: H5 payment needs scene_info.payer_client_ip');
      try {
        const url = await gateway.createTrade({
          scene: jsapi ? 'jsapi' : input.device === 'mobile' ? 'h5' : undefined,
          channel,
          outTradeNo: input.outTradeNo,
          amountFen: input.amountFen,
          subject: input.subject,
          notifyUrl: input.notifyUrl,
          returnUrl: input.returnUrl,
          expiresAt: input.expiresAt,
        });
        return { kind: 'redirect', url };
      } catch (err) {
        throw providerError(err);
      }
    },

    async parseNotify(req): Promise<PaymentNotice> {
      const f = formFields(req.rawBody);
      const bad = (why: string) => new PaymentSignatureError(`local gateway notification: ${why}`);
      if (f.sign_type !== 'RSA2' || !gateway.verify(f)) throw bad('bad or missing signature');
      // Signed, but meant for another channel's endpoint: not a notice about a payment made here.
      if (f.channel !== channel) throw bad(`channel ${f.channel} sent to ${channel}`);
      if (!f.out_trade_no || !f.trade_no) throw bad('out_trade_no or trade_no missing');
      if (!/^[1-9]\d{0,14}$/.test(f.total_fen ?? '')) throw bad('total_fen invalid');
      const status = f.trade_status === 'SUCCESS' ? 'paid' : f.trade_status === 'CLOSED' ? 'closed' : undefined;
      if (!status) throw bad(`trade_status ${f.trade_status}`);
      const paidAt = f.paid_at ? new Date(f.paid_at) : null;
      if (paidAt && Number.isNaN(paidAt.getTime())) throw bad('paid_at invalid');
      if (status === 'paid' && !paidAt) throw bad('paid_at missing');
      return { outTradeNo: f.out_trade_no, tradeNo: f.trade_no, amountFen: Number(f.total_fen), status, paidAt };
    },

    ack(ok) {
      return { status: 200, contentType: 'text/plain', body: ok ? 'success' : 'fail' };
    },

    async query(outTradeNo) {
      try {
        const q = await gateway.query(outTradeNo);
        return { status: q.status, amountFen: q.amountFen, tradeNo: q.tradeNo, paidAt: q.paidAt ?? undefined };
      } catch (err) {
        // As with 支付宝's ACQ.TRADE_NOT_EXIST: no trade on the provider's side means nothing was paid.
        if (err instanceof GatewayRefusal && err.code === 'TRADE_NOT_EXIST') return { status: 'unpaid' };
        throw providerError(err);
      }
    },

    async refund(input) {
      try {
        return await gateway.refund({
          outTradeNo: input.outTradeNo,
          outRefundNo: input.outRefundNo,
          amountFen: input.amountFen,
          reason: input.reason,
        });
      } catch (err) {
        throw providerError(err);
      }
    },
  };
}
