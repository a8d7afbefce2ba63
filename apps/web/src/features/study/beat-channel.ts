import { ERRORS, type ErrorCode } from '@cpe/shared/errors';
import {
  STUDY_LIVE_CLOSE,
  type TStudyHeartbeat,
  type TStudyHeartbeatResult,
  ZStudyLiveReply,
} from '@cpe/shared/schemas/study';
import { ApiError, isUnauthenticated } from '../../shared/api/client';
import { studyApi } from './api';

/** A socket that has not opened by then counts as one that cannot be opened (e.g. a proxy holding the upgrade). */
export const LIVE_CONNECT_TIMEOUT_MS = 10_000;
/** A socket that owes a reply and has sent nothing for this long counts as broken (e.g. a half-open connection). */
export const LIVE_REPLY_TIMEOUT_MS = 10_000;
/** After the socket failed, heartbeats go over HTTP for this long before the socket is tried again. */
export const LIVE_FALLBACK_MS = 60_000;

/** The part of the browser's WebSocket the channel uses; tests pass a fake. */
export interface BeatSocket {
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type BeatSocketConstructor = new (url: string) => BeatSocket;

export type HeartbeatOverHttp = (sessionId: string, beat: TStudyHeartbeat) => Promise<TStudyHeartbeatResult>;

export interface BeatChannelOptions {
  /** The WebSocket constructor (the browser's by default; without one every beat goes over HTTP). */
  WebSocket?: BeatSocketConstructor;
  /** The HTTP heartbeat, used when the socket cannot be used. */
  http?: HeartbeatOverHttp;
  /** The socket's address; by default `/api/study/sessions/:id/live` on the page's own origin. */
  url?: string;
  connectTimeoutMs?: number;
  replyTimeoutMs?: number;
  fallbackMs?: number;
  now?: () => number;
}

export interface BeatChannel {
  /** Sends one heartbeat; resolves with its result or rejects with the ApiError the HTTP heartbeat would throw. */
  send(beat: TStudyHeartbeat): Promise<TStudyHeartbeatResult>;
  /** Ends the channel: the socket closes with 1000 once the beats it carries are answered; later beats use HTTP. */
  close(): void;
}

interface Pending {
  beat: TStudyHeartbeat;
  sent: boolean;
  resolve: (r: TStudyHeartbeatResult) => void;
  reject: (err: unknown) => void;
}

/** The close codes after which the server refuses this session for good, and the error each one stands for. */
const FINAL_CLOSE: Record<number, readonly ErrorCode[]> = {
  [STUDY_LIVE_CLOSE.signedOut]: ['SESSION_EXPIRED', 'UNAUTHENTICATED'],
  [STUDY_LIVE_CLOSE.replaced]: ['STUDY_SESSION_REPLACED'],
  [STUDY_LIVE_CLOSE.notFound]: ['STUDY_SESSION_NOT_FOUND'],
};

const NORMAL_CLOSE = 1000;
/** Our own close of a socket we gave up on (no reply, no open): an application code, so never mistaken for 1000. */
const ABANDON_CLOSE = 4000;

/** The HTTP status the same error has over HTTP, so an ApiError from either transport looks the same. */
function statusOf(code: string): number {
  return (ERRORS as Record<string, { status: number } | undefined>)[code]?.status ?? 400;
}

function errorFor(code: ErrorCode): ApiError {
  return new ApiError(ERRORS[code].status, { code, message: ERRORS[code].message });
}

/** A reply that is not a ZStudyLiveReply, as the HTTP client reports an answer it cannot read. */
function malformedReply(): ApiError {
  return new ApiError(502, { code: 'HTTP_502', message: '请求失败（502），请稍后再试' });
}

function liveUrl(sessionId: string): string {
  const { protocol, host } = globalThis.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/api/study/sessions/${encodeURIComponent(sessionId)}/live`;
}

const ignore = () => {};

/**
 * The player's heartbeats over the live channel (ZStudyLiveReply): one WebSocket per study session, opened on the
 * first beat, replies matched to beats in order. Whenever the socket cannot carry a beat (it does not open, or
 * closes or goes silent with beats unanswered), those beats go over the HTTP heartbeat instead, in order, and so do
 * all beats for LIVE_FALLBACK_MS; then the socket is tried again. After the server ends the channel for good
 * (signed out 4001, replaced 4009, unknown session 4004) beats are refused with the error it gave, without
 * reconnecting. An unauthenticated error is confirmed over HTTP, so the app's usual sign-out handling
 * (configureApi's onUnauthenticated) runs exactly as for an HTTP heartbeat.
 */
export function createBeatChannel(sessionId: string, options: BeatChannelOptions = {}): BeatChannel {
  const Socket = options.WebSocket ?? (typeof WebSocket === 'undefined' ? undefined : WebSocket);
  const http = options.http ?? studyApi.heartbeat;
  const connectTimeoutMs = options.connectTimeoutMs ?? LIVE_CONNECT_TIMEOUT_MS;
  const replyTimeoutMs = options.replyTimeoutMs ?? LIVE_REPLY_TIMEOUT_MS;
  const fallbackMs = options.fallbackMs ?? LIVE_FALLBACK_MS;
  const now = options.now ?? Date.now;

  let ws: BeatSocket | null = null;
  let opened = false;
  /** Beats on the socket (sent or waiting for it to open), oldest first: the next reply answers pending[0]. */
  let pending: Pending[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** The last error reply on the current socket: what a final close code refers to. */
  let lastError: ApiError | null = null;
  /** Set once the server ended the channel for good: every later beat is refused with it. */
  let ended: ApiError | null = null;
  let closed = false;
  /** Beats use HTTP until then. */
  let httpUntil = 0;
  /** HTTP heartbeats not yet settled: while any is, new beats queue behind them over HTTP too. */
  let httpBusy = 0;
  /** Settles once every beat sent so far has settled: HTTP beats start after it, so order is kept. */
  let tail: Promise<unknown> = Promise.resolve();

  function clearTimer() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  /** Watches the socket: for opening while it opens, then for the next reply while one is owed. */
  function arm(restart: boolean) {
    if (restart) clearTimer();
    if (timer !== null || !ws) return;
    if (!opened) timer = setTimeout(abandon, connectTimeoutMs);
    else if (pending.some((p) => p.sent)) timer = setTimeout(abandon, replyTimeoutMs);
  }

  /** Forgets the current socket (its late events are ignored) and returns it. */
  function detach(): BeatSocket | null {
    const s = ws;
    if (s) {
      s.onopen = null;
      s.onmessage = null;
      s.onerror = null;
      s.onclose = null;
    }
    ws = null;
    clearTimer();
    return s;
  }

  function closeQuietly(s: BeatSocket | null, code: number) {
    try {
      s?.close(code);
    } catch {
      // Already closed.
    }
  }

  /** Runs beats over HTTP one after another, after everything before them. */
  function overHttp(items: Pending[], after: Promise<unknown>) {
    if (items.length === 0) return;
    httpBusy++;
    let chain = after;
    for (const item of items) {
      chain = chain.then(ignore, ignore).then(() => http(sessionId, item.beat).then(item.resolve, item.reject));
    }
    void chain.then(ignore, ignore).then(() => {
      httpBusy--;
    });
  }

  /** An error for one beat; an ended sign-in goes by HTTP so the app's sign-out handling sees it. */
  function settleError(item: Pending, err: ApiError) {
    if (isUnauthenticated(err)) http(sessionId, item.beat).then(item.resolve, item.reject);
    else item.reject(err);
  }

  /** The socket failed without the server ending the channel: its beats go over HTTP, and so will the next ones. */
  function fail() {
    const wasOpen = opened;
    closeQuietly(detach(), ABANDON_CLOSE);
    const items = pending;
    pending = [];
    if (items.length > 0 || !wasOpen) httpUntil = now() + fallbackMs;
    overHttp(items, Promise.resolve());
  }

  function abandon() {
    timer = null;
    fail();
  }

  function finish(code: number) {
    detach();
    const expected = FINAL_CLOSE[code]!;
    const err = lastError && expected.includes(lastError.code as ErrorCode) ? lastError : errorFor(expected[0]!);
    ended = err;
    const items = pending;
    pending = [];
    for (const item of items) settleError(item, err);
  }

  function transmit(item: Pending) {
    try {
      ws!.send(JSON.stringify(item.beat));
      item.sent = true;
      arm(false);
    } catch {
      fail();
    }
  }

  function onReply(data: unknown) {
    const item = pending[0];
    if (!item?.sent) return; // Nothing was asked: not a reply.
    pending.shift();
    let parsed: ReturnType<typeof ZStudyLiveReply.safeParse> | null = null;
    if (typeof data === 'string') {
      try {
        parsed = ZStudyLiveReply.safeParse(JSON.parse(data));
      } catch {
        parsed = null;
      }
    }
    if (!parsed?.success) item.reject(malformedReply());
    else if (parsed.data.ok) item.resolve(parsed.data.result);
    else {
      const { error } = parsed.data;
      lastError = new ApiError(statusOf(error.code), error);
      settleError(item, lastError);
    }
    arm(true);
    if (closed && pending.length === 0) closeQuietly(detach(), NORMAL_CLOSE);
  }

  function open() {
    let s: BeatSocket;
    try {
      s = new Socket!(options.url ?? liveUrl(sessionId));
    } catch {
      opened = false;
      fail();
      return;
    }
    ws = s;
    opened = false;
    lastError = null;
    s.onopen = () => {
      if (ws !== s) return;
      opened = true;
      clearTimer();
      for (const item of pending) if (!item.sent && ws === s) transmit(item);
    };
    s.onmessage = (ev) => {
      if (ws === s) onReply(ev.data);
    };
    s.onerror = () => {
      if (ws === s) fail();
    };
    s.onclose = (ev) => {
      if (ws !== s) return;
      if (FINAL_CLOSE[ev.code]) finish(ev.code);
      else fail();
    };
    arm(true);
  }

  return {
    send(beat) {
      if (ended) return Promise.reject(ended);
      const overSocket = !closed && Socket && httpBusy === 0 && now() >= httpUntil;
      const p = new Promise<TStudyHeartbeatResult>((resolve, reject) => {
        const item: Pending = { beat, sent: false, resolve, reject };
        if (!overSocket) return overHttp([item], tail);
        pending.push(item);
        if (!ws) open();
        else if (opened) transmit(item);
      });
      tail = p.catch(ignore);
      return p;
    },
    close() {
      if (closed) return;
      closed = true;
      if (!ws) return;
      if (!opened) {
        // Nothing reached the server yet: close now, and the waiting beats go over HTTP.
        closeQuietly(detach(), NORMAL_CLOSE);
        const items = pending;
        pending = [];
        overHttp(items, Promise.resolve());
      } else if (pending.length === 0) closeQuietly(detach(), NORMAL_CLOSE);
      // Otherwise the socket closes once the beats it carries are answered (onReply).
    },
  };
}
