import { ReloadOutlined } from '@ant-design/icons';
import { Spin } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, toApiError } from '../api/client';

interface ImageCaptchaResponse {
  id: string;
  image: string;
}

export interface ImageCaptchaState {
  id: string | null;
  image: string | null;
  loading: boolean;
  error: string | null;
  /** Fetches a new captcha; every attempt that used the old one spends it on the server. */
  refresh: () => void;
}

/** Loads an image captcha (验证码) on mount; call refresh() after any attempt that used it. */
export function useImageCaptcha(): ImageCaptchaState {
  const [captcha, setCaptcha] = useState<ImageCaptchaResponse | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);

  const refresh = useCallback(() => {
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    api
      .post<ImageCaptchaResponse>('/api/captchas/image')
      .then((c) => {
        if (mine === seq.current) setCaptcha(c);
      })
      .catch((err: unknown) => {
        if (mine !== seq.current) return;
        setCaptcha(null);
        setError(toApiError(err).message);
      })
      .finally(() => {
        if (mine === seq.current) setLoading(false);
      });
  }, []);

  useEffect(() => {
    refresh();
  }, [refresh]);

  return { id: captcha?.id ?? null, image: captcha?.image ?? null, loading, error, refresh };
}

/**
 * The 120×40 captcha picture; clicking it draws a new one. The element carrying data-testid and
 * data-captcha-id exists only while a usable captcha is shown, so whoever reads the id never gets a spent one
 * that is being replaced.
 */
export function ImageCaptcha({ captcha }: { captcha: ImageCaptchaState }) {
  if (captcha.image && captcha.id && !captcha.loading)
    return (
      <button
        type="button"
        className="cpe-image-captcha"
        data-testid="image-captcha"
        data-captcha-id={captcha.id}
        onClick={captcha.refresh}
        title="看不清？点击刷新"
        aria-label="图片验证码，点击刷新"
      >
        <img src={captcha.image} width={120} height={40} alt="图片验证码" draggable={false} />
      </button>
    );
  return (
    <button
      type="button"
      className="cpe-image-captcha"
      onClick={captcha.refresh}
      disabled={captcha.loading}
      title={captcha.error ?? '正在加载图片验证码'}
      aria-label={captcha.error ? '图片验证码加载失败，点击重试' : '正在加载图片验证码'}
    >
      {captcha.loading ? (
        <Spin size="small" />
      ) : (
        <span className="cpe-image-captcha-retry">
          <ReloadOutlined /> 点击重试
        </span>
      )}
    </button>
  );
}
