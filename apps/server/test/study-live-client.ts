import { once } from 'node:events';
import { type TStudyHeartbeatResult, type TStudyLiveReply, ZStudyLiveReply } from '@cpe/shared';
import { count, eq } from 'drizzle-orm';
import { WebSocket } from 'ws';
import type { Db } from '../src/db/client.js';
import { studyLiveChannels } from '../src/db/schema/index.js';
import type { Client } from './harness.js';

/** The Cookie header of a client's browser. */
export const cookieOf = (c: Client) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

/**
 * The player's side of the live channel to the public listener at `base` (a real socket: inject cannot carry the
 * upgrade the way a browser sends it): every reply checked against the shared schema, taken in arrival order.
 */
export async function connectLive(base: string, c: Client, sessionId: string) {
  const url = `${base.replace('http', 'ws')}/api/study/sessions/${sessionId}/live`;
  const ws = new WebSocket(url, { headers: { cookie: cookieOf(c), origin: base } });
  const queue: TStudyLiveReply[] = [];
  const waiting: Array<(r: TStudyLiveReply) => void> = [];
  ws.on('message', (data) => {
    const reply = ZStudyLiveReply.parse(JSON.parse(data.toString()));
    const w = waiting.shift();
    if (w) w(reply);
    else queue.push(reply);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await once(ws, 'open');
  const next = () =>
    queue.length
      ? Promise.resolve(queue.shift() as TStudyLiveReply)
      : new Promise<TStudyLiveReply>((resolve) => waiting.push(resolve));
  const send = (frame: unknown) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  return {
    ws,
    closed,
    next,
    send,
    /** One heartbeat and its reply, which must be a result. */
    async ok(position: number, playing = true, rate = 1): Promise<TStudyHeartbeatResult> {
      send({ position, playing, rate });
      const r = await next();
      if (!r.ok) throw new Error(`expected a result, got ${JSON.stringify(r.error)}`);
      return r.result;
    },
    async error(frame: unknown) {
      send(frame);
      const r = await next();
      if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.result)}`);
      return r.error;
    },
  };
}

/**
 * Waits until the database counts `n` open live channels for the learner: a channel is let go once the server has
 * seen its socket close, a moment after the player's side closed it.
 */
export async function liveChannelsOf(db: Db, accountId: string, n: number): Promise<void> {
  let open = -1;
  for (let i = 0; i < 200; i++) {
    const [row] = await db
      .select({ n: count() })
      .from(studyLiveChannels)
      .where(eq(studyLiveChannels.accountId, accountId));
    open = row?.n ?? 0;
    if (open === n) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`expected ${n} open live channels, found ${open}`);
}
