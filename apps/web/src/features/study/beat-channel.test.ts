import type { TStudyHeartbeat, TStudyHeartbeatResult } from '@cpe/shared/schemas/study';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api/client';
import {
  type BeatSocket,
  type BeatSocketConstructor,
  createBeatChannel,
  LIVE_CONNECT_TIMEOUT_MS,
  LIVE_FALLBACK_MS,
  LIVE_REPLY_TIMEOUT_MS,
} from './beat-channel';

/** A WebSocket the test drives: it opens, answers and closes when told to. */
class FakeSocket implements BeatSocket {
  static all: FakeSocket[] = [];
  static throwOnConstruct = false;
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  readonly sent: TStudyHeartbeat[] = [];
  closedWith: number | undefined;

  constructor(readonly url: string) {
    if (FakeSocket.throwOnConstruct) throw new Error('SecurityError');
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as TStudyHeartbeat);
  }
  close(code?: number) {
    this.closedWith = code;
  }
  open() {
    this.onopen?.({} as Event);
  }
  reply(body: unknown) {
    this.onmessage?.({ data: typeof body === 'string' ? body : JSON.stringify(body) } as MessageEvent);
  }
  /** The server ends the connection (or the connection breaks). */
  serverClose(code: number) {
    this.onclose?.({ code } as CloseEvent);
  }
  /** The upgrade is refused: error, then close 1006, before any open. */
  refuse() {
    this.onerror?.({} as Event);
    this.onclose?.({ code: 1006 } as CloseEvent);
  }
}

const Socket: BeatSocketConstructor = FakeSocket;
const last = () => FakeSocket.all.at(-1)!;

function result(creditedSeconds: number): TStudyHeartbeatResult {
  return {
    creditedSeconds,
    creditedNow: 1,
    maxPosition: creditedSeconds,
    chapterComplete: false,
    seekTo: null,
    check: null,
    videoUrl: null,
    videoExpiresAt: null,
    voidedSeconds: 0,
  };
}

const beat = (position: number): TStudyHeartbeat => ({ position, playing: true, rate: 1 });

/** An HTTP heartbeat that answers after a tick, recording the beats it carried in order. */
function fakeHttp(answer: (b: TStudyHeartbeat) => TStudyHeartbeatResult | ApiError = (b) => result(b.position)) {
  const beats: number[] = [];
  const fn = vi.fn(async (_sessionId: string, b: TStudyHeartbeat) => {
    beats.push(b.position);
    await Promise.resolve();
    const r = answer(b);
    if (r instanceof ApiError) throw r;
    return r;
  });
  return { fn, beats };
}

async function flush() {
  for (let i = 0; i < 30; i++) await Promise.resolve();
}

function channel(http = fakeHttp()) {
  return { http, ch: createBeatChannel('s-1', { WebSocket: Socket, http: http.fn, url: 'ws://portal/live' }) };
}

beforeEach(() => {
  FakeSocket.all = [];
  FakeSocket.throwOnConstruct = false;
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createBeatChannel', () => {
  it('opens the socket on the first beat only and sends beats as frames once it is open', () => {
    const { ch } = channel();
    expect(FakeSocket.all).toHaveLength(0);
    void ch.send(beat(1));
    void ch.send(beat(2));
    expect(FakeSocket.all).toHaveLength(1);
    expect(last().url).toBe('ws://portal/live');
    expect(last().sent).toEqual([]);
    last().open();
    expect(last().sent).toEqual([beat(1), beat(2)]);
    void ch.send(beat(3));
    expect(last().sent.map((b) => b.position)).toEqual([1, 2, 3]);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('resolves each beat with the next reply, in order', async () => {
    const { ch, http } = channel();
    const a = ch.send(beat(1));
    last().open();
    const b = ch.send(beat(2));
    last().reply({ ok: true, result: result(10) });
    last().reply({ ok: true, result: result(20) });
    await expect(a).resolves.toEqual(result(10));
    await expect(b).resolves.toEqual(result(20));
    expect(http.fn).not.toHaveBeenCalled();
  });

  it('rejects an error reply with the ApiError the HTTP client throws, and keeps the socket', async () => {
    const { ch } = channel();
    const a = ch.send(beat(1));
    last().open();
    last().reply({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: '提交的信息有误', fields: { rate: '无效' } },
    });
    const err = await a.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: '提交的信息有误',
      status: 400,
      fields: { rate: '无效' },
    });
    const b = ch.send(beat(2));
    last().reply({ ok: true, result: result(2) });
    await expect(b).resolves.toEqual(result(2));
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('after STUDY_SESSION_REPLACED and close 4009 does not reconnect and refuses later beats the same way', async () => {
    const { ch, http } = channel();
    const a = ch.send(beat(1));
    last().open();
    const b = ch.send(beat(2)); // sent before the server closed: no reply will come
    last().reply({ ok: false, error: { code: 'STUDY_SESSION_REPLACED', message: '您已在其他设备或窗口开始学习' } });
    last().serverClose(4009);
    await expect(a).rejects.toMatchObject({ code: 'STUDY_SESSION_REPLACED', status: 409 });
    await expect(b).rejects.toMatchObject({ code: 'STUDY_SESSION_REPLACED', message: '您已在其他设备或窗口开始学习' });
    await expect(ch.send(beat(3))).rejects.toBeInstanceOf(ApiError);
    await expect(ch.send(beat(4))).rejects.toMatchObject({ code: 'STUDY_SESSION_REPLACED' });
    vi.advanceTimersByTime(LIVE_FALLBACK_MS * 2);
    await expect(ch.send(beat(5))).rejects.toMatchObject({ code: 'STUDY_SESSION_REPLACED' });
    expect(FakeSocket.all).toHaveLength(1);
    expect(http.fn).not.toHaveBeenCalled();
  });

  it('4004 without an error reply still rejects with STUDY_SESSION_NOT_FOUND', async () => {
    const { ch } = channel();
    const a = ch.send(beat(1));
    last().open();
    last().serverClose(4004);
    await expect(a).rejects.toMatchObject({ code: 'STUDY_SESSION_NOT_FOUND', status: 404 });
    await expect(ch.send(beat(2))).rejects.toMatchObject({ code: 'STUDY_SESSION_NOT_FOUND' });
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('confirms an ended sign-in over HTTP (so the app signs out as for HTTP), then closes for good on 4001', async () => {
    const expired = new ApiError(401, { code: 'SESSION_EXPIRED', message: '登录已过期，请重新登录' });
    const { ch, http } = channel(fakeHttp(() => expired));
    const a = ch.send(beat(1));
    last().open();
    last().reply({ ok: false, error: { code: 'SESSION_EXPIRED', message: '登录已过期，请重新登录' } });
    last().serverClose(4001);
    await expect(a).rejects.toBe(expired);
    expect(http.beats).toEqual([1]);
    await expect(ch.send(beat(2))).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(http.beats).toEqual([1]);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('sends the beat over HTTP when the socket cannot be opened', async () => {
    const { ch, http } = channel();
    const a = ch.send(beat(1));
    last().refuse();
    await expect(a).resolves.toEqual(result(1));
    expect(http.beats).toEqual([1]);
    // Within the fallback window beats keep going over HTTP, without a new socket.
    await expect(ch.send(beat(2))).resolves.toEqual(result(2));
    expect(http.beats).toEqual([1, 2]);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('sends over HTTP when the WebSocket constructor throws', async () => {
    FakeSocket.throwOnConstruct = true;
    const { ch, http } = channel();
    await expect(ch.send(beat(1))).resolves.toEqual(result(1));
    expect(http.beats).toEqual([1]);
  });

  it('gives up on a socket that does not open in time and sends over HTTP', async () => {
    const { ch, http } = channel();
    const a = ch.send(beat(1));
    vi.advanceTimersByTime(LIVE_CONNECT_TIMEOUT_MS);
    await expect(a).resolves.toEqual(result(1));
    expect(http.beats).toEqual([1]);
    expect(last().closedWith).toBe(4000);
  });

  it('re-sends both pending beats over HTTP, in order, when the socket closes unexpectedly', async () => {
    const { ch, http } = channel();
    const a = ch.send(beat(1));
    last().open();
    const b = ch.send(beat(2));
    last().serverClose(1006);
    const c = ch.send(beat(3)); // a later beat waits for them, over HTTP
    await expect(a).resolves.toEqual(result(1));
    await expect(b).resolves.toEqual(result(2));
    await expect(c).resolves.toEqual(result(3));
    expect(http.beats).toEqual([1, 2, 3]);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('keeps the order when an earlier beat was answered and only the later one is re-sent', async () => {
    const { ch, http } = channel();
    const a = ch.send(beat(1));
    last().open();
    const b = ch.send(beat(2));
    last().reply({ ok: true, result: result(100) });
    last().serverClose(1001);
    await expect(a).resolves.toEqual(result(100));
    await expect(b).resolves.toEqual(result(2));
    expect(http.beats).toEqual([2]);
  });

  it('treats a socket that owes a reply and stays silent as broken', async () => {
    const { ch, http } = channel();
    const a = ch.send(beat(1));
    last().open();
    vi.advanceTimersByTime(LIVE_REPLY_TIMEOUT_MS - 1);
    expect(http.fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    await expect(a).resolves.toEqual(result(1));
    expect(http.beats).toEqual([1]);
    expect(last().closedWith).toBe(4000);
  });

  it('does not time out an idle socket that owes nothing', async () => {
    const { ch, http } = channel();
    const a = ch.send(beat(1));
    last().open();
    last().reply({ ok: true, result: result(1) });
    await a;
    vi.advanceTimersByTime(LIVE_REPLY_TIMEOUT_MS * 5);
    expect(last().closedWith).toBeUndefined();
    const b = ch.send(beat(2));
    last().reply({ ok: true, result: result(2) });
    await expect(b).resolves.toEqual(result(2));
    expect(http.fn).not.toHaveBeenCalled();
  });

  it('tries the socket again after the fallback window', async () => {
    const { ch, http } = channel();
    const a = ch.send(beat(1));
    last().refuse();
    await a;
    await flush();
    vi.advanceTimersByTime(LIVE_FALLBACK_MS - 1000);
    await expect(ch.send(beat(2))).resolves.toEqual(result(2));
    await flush();
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    const c = ch.send(beat(3));
    expect(FakeSocket.all).toHaveLength(2);
    last().open();
    expect(last().sent).toEqual([beat(3)]);
    last().reply({ ok: true, result: result(30) });
    await expect(c).resolves.toEqual(result(30));
    expect(http.beats).toEqual([1, 2]);
  });

  it('reopens on the next beat after an unexpected close with nothing pending, without falling back', async () => {
    const { ch, http } = channel();
    const a = ch.send(beat(1));
    last().open();
    last().reply({ ok: true, result: result(1) });
    await a;
    last().serverClose(1001);
    const b = ch.send(beat(2));
    expect(FakeSocket.all).toHaveLength(2);
    last().open();
    last().reply({ ok: true, result: result(2) });
    await expect(b).resolves.toEqual(result(2));
    expect(http.fn).not.toHaveBeenCalled();
  });

  it('rejects a malformed reply like an unreadable HTTP answer and matches the next reply to the next beat', async () => {
    const { ch } = channel();
    const a = ch.send(beat(1));
    last().open();
    const b = ch.send(beat(2));
    const c = ch.send(beat(3));
    last().reply('not json');
    last().reply({ ok: true, result: { creditedSeconds: 'many' } });
    last().reply({ ok: true, result: result(3) });
    await expect(a).rejects.toBeInstanceOf(ApiError);
    await expect(a).rejects.toMatchObject({ code: 'HTTP_502' });
    await expect(b).rejects.toMatchObject({ code: 'HTTP_502' });
    await expect(c).resolves.toEqual(result(3));
  });

  it('close() closes with 1000 once the beats on the socket are answered; later beats go over HTTP', async () => {
    const { ch, http } = channel();
    const a = ch.send(beat(1));
    last().open();
    last().reply({ ok: true, result: result(1) });
    const b = ch.send(beat(2));
    ch.close();
    expect(last().closedWith).toBeUndefined();
    last().reply({ ok: true, result: result(2) });
    expect(last().closedWith).toBe(1000);
    await expect(a).resolves.toEqual(result(1));
    await expect(b).resolves.toEqual(result(2));
    await expect(ch.send(beat(3))).resolves.toEqual(result(3));
    expect(http.beats).toEqual([3]);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('close() with nothing owed closes at once; before open it sends the waiting beats over HTTP', async () => {
    const first = channel();
    const a = first.ch.send(beat(1));
    last().open();
    last().reply({ ok: true, result: result(1) });
    await a;
    first.ch.close();
    expect(last().closedWith).toBe(1000);

    const second = channel();
    const b = second.ch.send(beat(2));
    second.ch.close();
    expect(last().closedWith).toBe(1000);
    await expect(b).resolves.toEqual(result(2));
    expect(second.http.beats).toEqual([2]);
  });
});
