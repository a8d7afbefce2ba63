import { AlipayCircleFilled, CreditCardFilled, LoadingOutlined, WechatFilled } from '@ant-design/icons';
import { PAYMENT_CHANNEL_LABELS } from '@cpe/shared/labels/purchase';
import { App, Button, Modal, Spin } from 'antd';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, errorCode, toApiError } from '../../../shared/api/client';
import { syncOrder, useOrderSettled, usePay } from '../api';
import { formatFen } from '../format';
import type { Order, PaymentChannel } from '../types';

const CHANNELS: Array<{ key: PaymentChannel; icon: ReactNode; note: string }> = [
  { key: 'alipay', icon: <AlipayCircleFilled />, note: '支付宝扫码或登录支付' },
  { key: 'wechat', icon: <WechatFilled />, note: '微信扫一扫支付' },
  { key: 'unionpay', icon: <CreditCardFilled />, note: '银联在线 · 网银支付' },
];

declare global {
  interface Window {
    WeixinJSBridge?: {
      invoke(method: string, params: Record<string, string>, callback: (res: { err_msg?: string }) => void): void;
    };
  }
}

/**
 * The providers' pages differ for computers (page pay, 微信 Native QR code), phone browsers (H5) and pages
 * inside the WeChat app (微信 JSAPI, which needs the payer's openid from 微信网页授权 first).
 */
type PaymentDevice = 'desktop' | 'mobile' | 'wechat';
function paymentDevice(): PaymentDevice {
  const ua = navigator.userAgent;
  if (/MicroMessenger/i.test(ua)) return 'wechat';
  return /Android|iPhone|iPad|iPod|Mobile|HarmonyOS/i.test(ua) ? 'mobile' : 'desktop';
}

const WECHAT_NOTE: Record<PaymentDevice, string> = {
  desktop: '微信扫一扫支付',
  mobile: '跳转微信完成支付',
  wechat: '微信内直接支付',
};

/** 微信 Native pay: the QR code, and the server asked every 3 s until the order is paid. */
function QrPayModal({ order, codeUrl, onClose }: { order: Order; codeUrl: string; onClose: () => void }) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const navigate = useNavigate();
  const settled = useOrderSettled();
  const settledRef = useRef(settled);
  settledRef.current = settled;

  useEffect(() => {
    let live = true;
    import('qrcode')
      .then((qr) => qr.toDataURL(codeUrl, { width: 240, margin: 1, errorCorrectionLevel: 'M' }))
      .then((url) => live && setSrc(url))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [codeUrl]);

  useEffect(() => {
    const timer = window.setInterval(async () => {
      try {
        const o = await syncOrder(order.id);
        if (o.status !== 'pending') {
          window.clearInterval(timer);
          await settledRef.current(o);
          navigate(`/orders/${order.id}/result`);
        }
      } catch {
        // A failed look is retried on the next tick; the result page is the final word anyway.
      }
    }, 3000);
    return () => window.clearInterval(timer);
  }, [order.id, navigate]);

  return (
    <Modal
      open
      title="微信支付"
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={() => navigate(`/orders/${order.id}/result`)}>
          我已完成支付
        </Button>
      }
      width={380}
      centered
    >
      <div className="cpe-buy-qr">
        <div className="cpe-buy-qr-amount">{formatFen(order.amountFen)}</div>
        <div className="cpe-buy-qr-code">
          {src ? (
            <img src={src} alt="微信支付二维码" width={240} height={240} />
          ) : failed ? (
            <span className="cpe-muted">二维码生成失败，请关闭后重新支付</span>
          ) : (
            <Spin />
          )}
        </div>
        <p className="cpe-buy-qr-hint">
          <WechatFilled /> 请使用微信扫一扫完成支付
        </p>
        <p className="cpe-muted">
          <LoadingOutlined /> 正在等待支付结果…
        </p>
      </div>
    </Modal>
  );
}

/**
 * 支付方式 (支付宝 / 微信 / 银联) as three tiles, and 立即支付. Each provider answers in its own way: a page to
 * go to, a form to post, a QR code to scan, or the 微信 in-app bridge.
 */
export function PayPanel({ order, onStale }: { order: Order; onStale: () => void }) {
  const device = paymentDevice();
  // Back from 微信网页授权 (?wxpay=1): 微信支付 stays chosen, one tap on 立即支付 finishes.
  const [channel, setChannel] = useState<PaymentChannel | null>(() =>
    new URLSearchParams(window.location.search).has('wxpay') ? 'wechat' : null,
  );
  const [missing, setMissing] = useState(false);
  const [qr, setQr] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);
  const formHost = useRef<HTMLDivElement>(null);
  const pay = usePay();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();

  // Back from the provider's page (the browser may restore this page as it was left): payable again.
  useEffect(() => {
    const onShow = (e: PageTransitionEvent) => e.persisted && setLeaving(false);
    window.addEventListener('pageshow', onShow);
    return () => window.removeEventListener('pageshow', onShow);
  }, []);

  const onPay = async () => {
    if (!channel) {
      setMissing(true);
      return;
    }
    try {
      const start = await pay.mutateAsync({ id: order.id, channel, device });
      if (start.kind === 'redirect') {
        setLeaving(true);
        window.location.assign(start.url);
      } else if (start.kind === 'form') {
        // The provider's own auto-submitting form (银联, 支付宝 page pay): posted from a hidden container.
        const host = formHost.current;
        if (!host) return;
        host.innerHTML = start.html;
        const form = host.querySelector('form');
        if (!form) throw new Error('支付表单无效');
        setLeaving(true);
        form.submit();
      } else if (start.kind === 'qr') {
        setQr(start.codeUrl);
      } else {
        const bridge = window.WeixinJSBridge;
        if (!bridge) {
          modal.info({
            title: '请在微信中打开',
            content: '微信支付需要在微信内打开本页面完成。请复制链接到微信中打开，或选择支付宝、银联支付。',
            okText: '知道了',
          });
          return;
        }
        bridge.invoke('getBrandWCPayRequest', start.params, (res) => {
          if (res.err_msg === 'get_brand_wcpay_request:ok') navigate(`/orders/${order.id}/result`);
          else if (res.err_msg !== 'get_brand_wcpay_request:cancel') message.error('微信支付未完成，请重试');
        });
      }
    } catch (err) {
      const code = errorCode(err);
      if (code === 'WECHAT_OAUTH_REQUIRED') {
        // 微信网页授权 (silent, snsapi_base) gives the server the payer's openid, then brings the browser back here.
        setLeaving(true);
        window.location.assign(`/api/wechat/oauth?returnTo=${encodeURIComponent(window.location.pathname)}`);
        return;
      }
      message.error(err instanceof Error && !(err instanceof ApiError) ? err.message : toApiError(err).message);
      // The order moved on meanwhile (paid elsewhere, expired, cancelled): show where it stands now.
      if (code === 'ORDER_STATE' || code === 'ORDER_EXPIRED') onStale();
    }
  };

  return (
    <section className="cpe-buy-pay" aria-labelledby="cpe-pay-title">
      <h2 className="cpe-buy-section-title" id="cpe-pay-title">
        支付方式
      </h2>
      <div className="cpe-buy-channels" role="radiogroup" aria-label="支付方式" aria-invalid={missing || undefined}>
        {CHANNELS.map((c) => (
          <label key={c.key} className={`cpe-buy-channel is-${c.key}${channel === c.key ? ' is-checked' : ''}`}>
            <input
              type="radio"
              name="pay-channel"
              value={c.key}
              checked={channel === c.key}
              onChange={() => {
                setChannel(c.key);
                setMissing(false);
              }}
            />
            <span className="cpe-buy-channel-icon" aria-hidden="true">
              {c.icon}
            </span>
            <span className="cpe-buy-channel-text">
              <span className="cpe-buy-channel-name">{PAYMENT_CHANNEL_LABELS[c.key]}</span>
              <span className="cpe-buy-channel-note">{c.key === 'wechat' ? WECHAT_NOTE[device] : c.note}</span>
            </span>
          </label>
        ))}
      </div>
      {missing && (
        <div className="cpe-buy-pay-error" role="alert">
          请选择支付方式
        </div>
      )}
      <div className="cpe-buy-pay-bar">
        <span className="cpe-buy-pay-due">
          应付金额：<span className="cpe-buy-money is-strong is-large">{formatFen(order.amountFen)}</span>
        </span>
        <Button
          type="primary"
          size="large"
          className="cpe-buy-pay-button"
          loading={pay.isPending || leaving}
          onClick={onPay}
        >
          立即支付
        </Button>
      </div>
      <div ref={formHost} hidden />
      {qr && <QrPayModal order={order} codeUrl={qr} onClose={() => setQr(null)} />}
    </section>
  );
}
