import { Button } from 'antd';
import { useEffect, useState } from 'react';

/**
 * 获取短信验证码 with its countdown (60秒后重新获取). onSend returns the server's resendAfterSeconds,
 * or null when nothing was sent.
 */
export function SmsCodeButton({ disabled, onSend }: { disabled: boolean; onSend: () => Promise<number | null> }) {
  const [deadline, setDeadline] = useState(0);
  const [left, setLeft] = useState(0);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    if (deadline === 0) return;
    const tick = () => {
      const s = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      setLeft(s);
      if (s === 0) setDeadline(0);
    };
    tick();
    const timer = window.setInterval(tick, 250);
    return () => window.clearInterval(timer);
  }, [deadline]);

  const click = async () => {
    setSending(true);
    try {
      const seconds = await onSend();
      if (seconds && seconds > 0) setDeadline(Date.now() + seconds * 1000);
    } finally {
      setSending(false);
    }
  };

  return (
    <Button className="cpe-sms-button" disabled={disabled || left > 0} loading={sending} onClick={click}>
      {left > 0 ? `${left}秒后重新获取` : '获取短信验证码'}
    </Button>
  );
}
