import { CheckCircleFilled, ReloadOutlined } from '@ant-design/icons';
import { QR_LOGIN_POLL_MS } from '@cpe/shared/schemas/qr-login';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Spin } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api, toApiError } from '../../../shared/api/client';
import { safeRedirect } from '../../../shared/format';
import { ME_KEY } from '../api';
import type { Me } from '../types';

type Ticket = { pollToken: string; scanPath: string; expiresAt: string };
type Status = 'pending' | 'scanned' | 'confirmed' | 'cancelled' | 'expired';

/** The seconds left on the ticket, for the line under the code. */
function useSecondsLeft(expiresAt: string | undefined) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return expiresAt ? Math.max(0, Math.round((new Date(expiresAt).getTime() - now) / 1000)) : 0;
}

/**
 * 扫码登录 on the desktop: a one-time code (2 minutes) for a phone that is already signed in. The page asks the
 * server every 1.5 s; the answer that says 已确认 also signs this browser in.
 */
export function QrLoginPanel() {
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [image, setImage] = useState<string | null>(null);
  const [status, setStatus] = useState<Status>('pending');
  const [error, setError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { message } = App.useApp();
  const live = useRef(true);

  const refresh = useCallback(async () => {
    setError(null);
    setTicket(null);
    setImage(null);
    setStatus('pending');
    try {
      const t = await api.post<Ticket>('/api/qr-logins');
      const qr = await import('qrcode');
      const url = await qr.toDataURL(`${window.location.origin}${t.scanPath}`, {
        width: 200,
        margin: 1,
        errorCorrectionLevel: 'M',
      });
      if (!live.current) return;
      setTicket(t);
      setImage(url);
    } catch (err) {
      if (live.current) setError(toApiError(err).message);
    }
  }, []);

  useEffect(() => {
    live.current = true;
    void refresh();
    return () => {
      live.current = false;
    };
  }, [refresh]);

  useEffect(() => {
    if (!ticket || status === 'cancelled' || status === 'expired') return;
    const timer = window.setInterval(async () => {
      try {
        const r = await api.post<{ status: Status; me?: Me }>('/api/qr-logins/poll', { pollToken: ticket.pollToken });
        if (!live.current) return;
        if (r.me) {
          window.clearInterval(timer);
          queryClient.setQueryData(ME_KEY, r.me);
          message.success(`欢迎您，${r.me.realName}`);
          navigate(safeRedirect(params.get('redirect'), '/'), { replace: true });
          return;
        }
        setStatus(r.status);
      } catch {
        // A failed look is retried on the next tick; expiry ends the ticket anyway.
      }
    }, QR_LOGIN_POLL_MS);
    return () => window.clearInterval(timer);
  }, [ticket, status, queryClient, message, navigate, params]);

  const secondsLeft = useSecondsLeft(ticket?.expiresAt);
  const dead = status === 'expired' || status === 'cancelled' || (ticket !== null && secondsLeft === 0);

  return (
    <div className="cpe-qr-login" aria-live="polite">
      <div className="cpe-qr-login-box">
        {image ? <img src={image} alt="扫码登录二维码" width={200} height={200} /> : !error && <Spin />}
        {error && (
          <div className="cpe-qr-login-mask">
            <p>{error}</p>
            <Button icon={<ReloadOutlined />} onClick={refresh}>
              重新获取
            </Button>
          </div>
        )}
        {image && status === 'scanned' && !dead && (
          <div className="cpe-qr-login-mask">
            <CheckCircleFilled className="cpe-qr-login-ok" />
            <p>扫描成功，请在手机上确认登录</p>
          </div>
        )}
        {image && dead && (
          <div className="cpe-qr-login-mask">
            <p>{status === 'cancelled' ? '已在手机上取消登录' : '二维码已失效'}</p>
            <Button type="primary" icon={<ReloadOutlined />} onClick={refresh}>
              刷新二维码
            </Button>
          </div>
        )}
      </div>
      <p className="cpe-qr-login-hint">请使用已登录本平台的手机（浏览器或微信中打开）扫描二维码</p>
      {image && !dead && <p className="cpe-qr-login-timer">二维码 {secondsLeft} 秒后失效</p>}
    </div>
  );
}
