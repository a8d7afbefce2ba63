import { DesktopOutlined, ReloadOutlined, UsbOutlined } from '@ant-design/icons';
import {
  CA_SIGN_CANCELLED,
  CA_SIGN_REQUEST,
  CA_SIGN_RESULT,
  CA_SIGNER_READY,
  type TLoginProviderPublic,
} from '@cpe/shared/schemas/sso';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Modal, Result, Spin } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { toApiError } from '../../../shared/api/client';
import { safeRedirect } from '../../../shared/format';
import { ME_KEY } from '../../identity/api';
import { useCaChallenge, useCaLogin } from '../api';
import { ProviderIcon } from './ProviderIcon';
import '../sso.css';

type Phase =
  | { step: 'idle' }
  | { step: 'signing' }
  | { step: 'verifying' }
  | { step: 'failed'; message: string }
  | { step: 'cancelled' };

/** One 读取证书并签名: the signer's window, its origin, the challenge, and how far the exchange got. */
interface Run {
  popup: Window;
  origin: string;
  challenge: string | null;
  ready: boolean;
  sent: boolean;
  onMessage: (e: MessageEvent) => void;
  timer: number;
}

/** A USB key needs a computer: phones and tablets get the note instead of the button. */
const isPhone = () => /Android|iPhone|iPad|iPod|Mobile|HarmonyOS/i.test(navigator.userAgent);

/** The signer's origin, or null when the configured address is no URL. */
function originOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url, window.location.href).origin;
  } catch {
    return null;
  }
}

/**
 * CA 证书登录: the login page asks the server for a one-time challenge, opens the CA's signing program (the USB key's
 * browser bridge, or the demo's /ca-signer) in a popup and, once it says it is ready, sends it the challenge; the
 * signer answers with the certificate and the signature, which the server checks. Messages are taken only from the
 * popup at the configured signer's origin and sent only to that origin. Signed in, the page does what a password
 * login does; a first use goes on to 绑定账号 (or 注册).
 */
export function CaLoginDialog({
  provider,
  open,
  redirect,
  onClose,
  afterClose,
}: {
  provider: TLoginProviderPublic;
  open: boolean;
  redirect: string;
  onClose: () => void;
  afterClose?: () => void;
}) {
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });
  const run = useRef<Run | null>(null);
  const challenge = useCaChallenge();
  const login = useCaLogin();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const phone = isPhone();

  const stop = useCallback((closePopup: boolean) => {
    const r = run.current;
    if (!r) return;
    run.current = null;
    window.removeEventListener('message', r.onMessage);
    window.clearInterval(r.timer);
    if (closePopup && !r.popup.closed) r.popup.close();
  }, []);
  useEffect(() => () => stop(true), [stop]);

  const submit = async (text: string, certificate: string, signature: string) => {
    setPhase({ step: 'verifying' });
    try {
      const r = await login.mutateAsync({
        providerId: provider.id,
        body: { challenge: text, certificate, signature, redirect },
      });
      if (r.kind === 'pending') {
        navigate(r.next);
        return;
      }
      queryClient.setQueryData(ME_KEY, r.me);
      message.success(`欢迎您，${r.me.realName}`);
      navigate(safeRedirect(r.redirect, '/'), { replace: true });
    } catch (err) {
      setPhase({ step: 'failed', message: toApiError(err).message });
    }
  };

  const start = () => {
    stop(true);
    const origin = originOf(provider.signerUrl);
    if (!provider.signerUrl || !origin) {
      setPhase({ step: 'failed', message: '该登录方式未正确配置签名程序地址，请使用其它方式登录' });
      return;
    }
    // Opened inside the click (a popup opened after an await may be blocked); the challenge is fetched meanwhile.
    const popup = window.open(provider.signerUrl, 'cpe-ca-signer', 'popup,width=520,height=640');
    if (!popup) {
      setPhase({
        step: 'failed',
        message: '浏览器拦截了签名程序的弹出窗口。请在地址栏右侧允许本站弹出窗口后，点击「重试」。',
      });
      return;
    }
    const r: Run = { popup, origin, challenge: null, ready: false, sent: false, onMessage: () => {}, timer: 0 };
    const send = () => {
      if (!r.ready || !r.challenge || r.sent) return;
      r.sent = true;
      popup.postMessage({ type: CA_SIGN_REQUEST, challenge: r.challenge }, origin);
    };
    r.onMessage = (e: MessageEvent) => {
      if (run.current !== r || e.source !== popup || e.origin !== origin) return;
      const data = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as Record<string, unknown>;
      if (data.type === CA_SIGNER_READY) {
        r.ready = true;
        send();
      } else if (data.type === CA_SIGN_CANCELLED) {
        stop(false);
        setPhase({ step: 'cancelled' });
      } else if (
        data.type === CA_SIGN_RESULT &&
        r.challenge &&
        typeof data.certificate === 'string' &&
        typeof data.signature === 'string'
      ) {
        stop(false);
        void submit(r.challenge, data.certificate, data.signature);
      }
    };
    window.addEventListener('message', r.onMessage);
    r.timer = window.setInterval(() => {
      if (!popup.closed) return;
      window.clearInterval(r.timer);
      // The signer closes itself right after answering: its last message gets a moment to arrive.
      window.setTimeout(() => {
        if (run.current !== r) return;
        stop(false);
        setPhase({ step: 'cancelled' });
      }, 500);
    }, 400);
    run.current = r;
    setPhase({ step: 'signing' });
    challenge.mutateAsync(provider.id).then(
      (c) => {
        if (run.current !== r) return;
        r.challenge = c.challenge;
        send();
      },
      (err) => {
        if (run.current !== r) return;
        stop(true);
        setPhase({ step: 'failed', message: toApiError(err).message });
      },
    );
  };

  const close = () => {
    stop(true);
    onClose();
  };
  const verifying = phase.step === 'verifying';

  return (
    <Modal
      open={open}
      title="CA 证书登录"
      onCancel={close}
      afterClose={() => {
        setPhase({ step: 'idle' });
        afterClose?.();
      }}
      footer={null}
      width={460}
      // Once the signature is with the server, its answer decides where the page goes.
      closable={!verifying}
      keyboard={!verifying}
      mask={{ closable: !verifying }}
      destroyOnHidden
    >
      {phone ? (
        <Result
          className="cpe-ca-phone"
          icon={<DesktopOutlined />}
          title="CA 证书登录需在电脑上使用"
          subTitle="CA 数字证书（USB Key）须插在电脑上，由签名程序读取。请在电脑上登录，或使用账号密码登录。"
        />
      ) : (
        <div className="cpe-ca-login">
          <div className="cpe-sso-who">
            <ProviderIcon icon={provider.icon} size={40} />
            <div>
              <strong>{provider.name}</strong>
              <div className="cpe-muted">个人证书以个人用户登录，单位证书以该单位的法人用户登录</div>
            </div>
          </div>
          <p className="cpe-ca-steps">
            请插入 CA 数字证书（USB Key），点击「读取证书并签名」，在弹出的签名程序中选择证书并输入 PIN 码。
          </p>
          <div className="cpe-ca-status" aria-live="polite">
            {phase.step === 'signing' && (
              <div className="cpe-ca-progress">
                <Spin size="small" />
                <span>
                  <strong>等待签名…</strong>
                  <span className="cpe-muted">请在弹出的签名程序中选择证书、输入 PIN 码并签名</span>
                </span>
              </div>
            )}
            {verifying && (
              <div className="cpe-ca-progress">
                <Spin size="small" />
                <strong>正在验证证书…</strong>
              </div>
            )}
            {phase.step === 'failed' && <Alert type="error" showIcon title={phase.message} />}
            {phase.step === 'cancelled' && (
              <Alert type="warning" showIcon title="已取消签名" description="签名程序已关闭，未完成签名。" />
            )}
          </div>
          {phase.step === 'signing' ? (
            <div className="cpe-ca-actions">
              <Button onClick={() => run.current?.popup.focus()}>显示签名程序</Button>
              <Button
                onClick={() => {
                  stop(true);
                  setPhase({ step: 'idle' });
                }}
              >
                取消
              </Button>
            </div>
          ) : (
            <Button
              type="primary"
              size="large"
              block
              autoFocus
              icon={phase.step === 'failed' || phase.step === 'cancelled' ? <ReloadOutlined /> : <UsbOutlined />}
              loading={verifying}
              onClick={start}
            >
              {phase.step === 'failed' || phase.step === 'cancelled' ? '重试' : '读取证书并签名'}
            </Button>
          )}
          <p className="cpe-ca-note cpe-muted">
            首次使用证书登录时，需验证本平台账号的密码或短信验证码完成绑定；没有账号的，可注册新账号。
          </p>
        </div>
      )}
    </Modal>
  );
}
