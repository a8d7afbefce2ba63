import { ArrowRightOutlined, CheckOutlined, CloseOutlined, ReloadOutlined } from '@ant-design/icons';
import { Spin } from 'antd';
import {
  type KeyboardEvent,
  type MouseEvent,
  type Ref,
  useCallback,
  useEffect,
  useImperativeHandle,
  useRef,
  useState,
} from 'react';
import { api, toApiError } from '../api/client';
import { fetchPuzzle, type Puzzle } from './puzzle';

interface Verified {
  token: string;
  expiresInSeconds: number;
}

export interface SliderCaptchaHandle {
  /** Loads a new puzzle (after a failed login: the token was single use). */
  reset(notice?: string): void;
  /** Says the slide is still missing and focuses the handle. */
  demand(): void;
}

type Status = 'loading' | 'ready' | 'dragging' | 'verifying' | 'success' | 'error';

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));

/**
 * 向右滑动完成验证: the piece is drawn at its natural size (1 CSS px = 1 puzzle px) and moves exactly as far as
 * the handle, so the handle's drag distance is the x sent to /verify. Mouse, touch and keyboard
 * (←/→ 1px, Shift 10px, PageUp/PageDown 10px, Enter submits). A verified token goes to onChange; it is single
 * use and lives 2 minutes, after which a new puzzle loads by itself.
 */
export function SliderCaptcha({
  onChange,
  ref,
}: {
  onChange: (token: string | undefined) => void;
  ref?: Ref<SliderCaptchaHandle>;
}) {
  const [puzzle, setPuzzle] = useState<Puzzle | null>(null);
  const [offset, setOffset] = useState(0);
  const [status, setStatus] = useState<Status>('loading');
  const [notice, setNotice] = useState<string | null>(null);
  const offsetRef = useRef(0);
  const puzzleRef = useRef<Puzzle | null>(null);
  const statusRef = useRef<Status>('loading');
  const seq = useRef(0);
  const expiryTimer = useRef<number | undefined>(undefined);
  const detachDrag = useRef<(() => void) | null>(null);
  const handleRef = useRef<HTMLDivElement>(null);
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  });

  const moveTo = useCallback((x: number) => {
    offsetRef.current = x;
    setOffset(x);
  }, []);
  const setPhase = useCallback((s: Status) => {
    statusRef.current = s;
    setStatus(s);
  }, []);

  const load = useCallback(
    (text?: string) => {
      const mine = ++seq.current;
      window.clearTimeout(expiryTimer.current);
      detachDrag.current?.();
      setPhase('loading');
      moveTo(0);
      setNotice(text ?? null);
      onChangeRef.current(undefined);
      fetchPuzzle()
        .then((p) => {
          if (mine !== seq.current) return;
          puzzleRef.current = p;
          setPuzzle(p);
          setPhase('ready');
        })
        .catch((err: unknown) => {
          if (mine !== seq.current) return;
          puzzleRef.current = null;
          setPuzzle(null);
          setPhase('error');
          setNotice(toApiError(err).message);
        });
    },
    [moveTo, setPhase],
  );

  useEffect(() => {
    load();
    return () => {
      seq.current++;
      window.clearTimeout(expiryTimer.current);
      detachDrag.current?.();
    };
  }, [load]);

  useImperativeHandle(
    ref,
    () => ({
      reset: (text?: string) => load(text),
      demand: () => {
        if (statusRef.current !== 'success') setNotice('请向右滑动完成验证');
        handleRef.current?.focus();
      },
    }),
    [load],
  );

  const verify = useCallback(
    async (x: number) => {
      const p = puzzleRef.current;
      if (!p) return;
      const mine = seq.current;
      setPhase('verifying');
      setNotice(null);
      try {
        const r = await api.post<Verified>(`/api/captchas/slider/${encodeURIComponent(p.id)}/verify`, { x });
        if (mine !== seq.current) return;
        setPhase('success');
        onChangeRef.current(r.token);
        // Reload a little before the token expires so a login never carries a dead token.
        expiryTimer.current = window.setTimeout(
          () => load('验证已失效，请重新滑动完成验证'),
          Math.max(5, r.expiresInSeconds - 5) * 1000,
        );
      } catch (err) {
        if (mine !== seq.current) return;
        const e = toApiError(err);
        if (e.code === 'SLIDER_MISMATCH') {
          moveTo(0);
          setPhase('ready');
          setNotice(e.message);
        } else {
          load(e.message);
        }
      }
    },
    [load, moveTo, setPhase],
  );

  const maxOffset = puzzle ? puzzle.width - puzzle.pieceSize : 0;

  const startDrag = (clientX: number) => {
    const p = puzzleRef.current;
    if (statusRef.current !== 'ready' || !p) return;
    const max = p.width - p.pieceSize;
    const startOffset = offsetRef.current;
    setPhase('dragging');
    setNotice(null);
    const move = (x: number) => moveTo(clamp(Math.round(startOffset + x - clientX), 0, max));
    const onMouseMove = (e: globalThis.MouseEvent) => {
      e.preventDefault();
      move(e.clientX);
    };
    const onTouchMove = (e: TouchEvent) => {
      const t = e.touches[0];
      if (!t) return;
      if (e.cancelable) e.preventDefault();
      move(t.clientX);
    };
    const detach = () => {
      document.removeEventListener('mousemove', onMouseMove);
      document.removeEventListener('mouseup', end);
      document.removeEventListener('touchmove', onTouchMove);
      document.removeEventListener('touchend', end);
      document.removeEventListener('touchcancel', end);
      detachDrag.current = null;
    };
    function end() {
      detach();
      if (offsetRef.current > 0) void verify(offsetRef.current);
      else setPhase('ready');
    }
    document.addEventListener('mousemove', onMouseMove);
    document.addEventListener('mouseup', end);
    document.addEventListener('touchmove', onTouchMove, { passive: false });
    document.addEventListener('touchend', end);
    document.addEventListener('touchcancel', end);
    detachDrag.current = detach;
  };

  const onMouseDown = (e: MouseEvent) => {
    if (e.button !== 0) return;
    e.preventDefault();
    handleRef.current?.focus();
    startDrag(e.clientX);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (statusRef.current !== 'ready') return;
    const step = e.shiftKey ? 10 : 1;
    const now = offsetRef.current;
    let next: number;
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowUp':
        next = now + step;
        break;
      case 'ArrowLeft':
      case 'ArrowDown':
        next = now - step;
        break;
      case 'PageUp':
        next = now + 10;
        break;
      case 'PageDown':
        next = now - 10;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = maxOffset;
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        if (now > 0) void verify(now);
        return;
      default:
        return;
    }
    e.preventDefault();
    setNotice(null);
    moveTo(clamp(next, 0, maxOffset));
  };

  const width = puzzle?.width ?? 320;
  const height = puzzle?.height ?? 160;
  const tone = status === 'success' ? 'success' : notice && status === 'ready' ? 'error' : 'normal';
  const text = status === 'success' ? '验证通过' : status === 'verifying' ? '验证中…' : '向右滑动完成验证';

  return (
    <div
      className={`cpe-slider cpe-slider-${tone}`}
      data-captcha-id={puzzle && status !== 'loading' ? puzzle.id : undefined}
      style={{ width }}
    >
      <div className="cpe-slider-puzzle" style={{ width, height }}>
        {puzzle && (
          <>
            <img src={puzzle.background} width={width} height={height} alt="滑块验证图片" draggable={false} />
            <img
              className="cpe-slider-piece"
              src={puzzle.piece}
              alt=""
              draggable={false}
              style={{ left: offset, top: puzzle.pieceY, width: puzzle.pieceSize, height: puzzle.pieceSize }}
            />
          </>
        )}
        {status === 'loading' && (
          <div className="cpe-slider-mask">
            <Spin />
          </div>
        )}
        {status === 'error' && (
          <button type="button" className="cpe-slider-mask" onClick={() => load()}>
            加载失败，点击重试
          </button>
        )}
        <button
          type="button"
          className="cpe-slider-refresh"
          onClick={() => load()}
          aria-label="换一张"
          title="换一张"
          disabled={status === 'verifying' || status === 'loading'}
        >
          <ReloadOutlined />
        </button>
      </div>
      <div className="cpe-slider-track">
        <div className="cpe-slider-fill" style={{ width: offset + 20 }} />
        <span className="cpe-slider-text">{text}</span>
        <div
          ref={handleRef}
          className="cpe-slider-handle"
          data-testid="slider-handle"
          role="slider"
          tabIndex={0}
          aria-label="向右滑动完成验证"
          aria-valuemin={0}
          aria-valuemax={maxOffset}
          aria-valuenow={offset}
          aria-disabled={status !== 'ready'}
          title="拖动滑块使拼图与缺口重合；也可用方向键移动、回车确认"
          style={{ left: offset }}
          onMouseDown={onMouseDown}
          onTouchStart={(e) => {
            const t = e.touches[0];
            if (t) startDrag(t.clientX);
          }}
          onKeyDown={onKeyDown}
        >
          {status === 'success' ? <CheckOutlined /> : tone === 'error' ? <CloseOutlined /> : <ArrowRightOutlined />}
        </div>
      </div>
      {notice && (
        <div className="cpe-slider-notice" role="alert">
          {notice}
        </div>
      )}
    </div>
  );
}
