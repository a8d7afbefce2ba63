import { STUDY_LIVE_CLOSE, type TStudyLiveReply, ZStudyHeartbeat } from '@cpe/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requireSession } from '../../http/auth.js';
import { validationError } from '../../http/errors.js';
import { AppError } from '../../lib/errors.js';
import { createLiveChannels } from './live-channels.js';

/**
 * Limits of the live channel. maxPayload is given to the WebSocket server in app.ts (ws closes with 1009). The
 * flood guard and the ping period are configuration (STUDY_LIVE_BURST_FRAMES, STUDY_LIVE_FRAMES_PER_SECOND,
 * STUDY_LIVE_PING_SECONDS): a player beats every 5–15 s (more on pause, play and seek), so anything near the
 * default is not a player; a socket that has not answered the previous ping by the next one is terminated.
 */
export const STUDY_LIVE_LIMITS = {
  /** A heartbeat is ~60 bytes of JSON. */
  maxPayloadBytes: 1024,
  /**
   * Open channels per learner, on all instances together (live-channels.ts). A learner studies in one window at a
   * time (a new study session ends the old one), so more than a few are a script holding sockets open; the margin
   * covers a reconnect whose old socket the network has not closed yet (the ping ends those within a minute).
   */
  socketsPerLearner: 5,
} as const;

/** Standard close codes (RFC 6455) next to the application's own in STUDY_LIVE_CLOSE. */
const CLOSE_POLICY = 1008;
const CLOSE_INTERNAL = 1011;

const sessionParams = z.object({ id: z.uuid('学习记录无效') });

/**
 * Cross-site WebSocket hijacking: the upgrade is a GET that the browser sends with our cookie from any page, and
 * the CSRF header check only covers unsafe methods. Browsers always send Origin on a WebSocket handshake and a
 * page cannot forge it, so the channel only accepts its own origin. `req.host` follows X-Forwarded-Host when
 * TRUST_PROXY is on, so this holds behind the reverse proxy too.
 */
export async function requireSameOrigin(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const origin = req.headers.origin;
  let host: string | undefined;
  try {
    host = origin ? new URL(origin).host : undefined;
  } catch {
    host = undefined;
  }
  if (!host || host !== req.host) throw new AppError('ORIGIN_FORBIDDEN');
}

/** What to do after an error reply: keep the socket, or close it with a code the player must not retry. */
function closeCodeFor(err: AppError): number | undefined {
  switch (err.code) {
    case 'SESSION_EXPIRED':
    case 'UNAUTHENTICATED':
      return STUDY_LIVE_CLOSE.signedOut;
    case 'STUDY_SESSION_REPLACED':
      return STUDY_LIVE_CLOSE.replaced;
    case 'STUDY_SESSION_NOT_FOUND':
      return STUDY_LIVE_CLOSE.notFound;
    case 'RATE_LIMITED':
      return CLOSE_POLICY;
    default:
      return undefined;
  }
}

/** Frames that are not a JSON object read the same as a malformed HTTP body. */
const malformed = () => new AppError('VALIDATION_FAILED', { message: '请求格式错误，请检查提交的内容' });

/**
 * The player's live channel (see ZStudyLiveReply): the HTTP heartbeat without the HTTP stack. Signed in and
 * checked once at the upgrade by the same guards as the HTTP routes, then per frame against the in-memory
 * session cache, so a logout or password change stops the channel at its next beat, as it would the HTTP route.
 */
export function studyLiveRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireSession(ctx, 'public');
    const pingMs = ctx.config.study.live.pingSeconds * 1000;
    const channels = createLiveChannels({ db: ctx.db, limit: STUDY_LIVE_LIMITS.socketsPerLearner, refreshMs: pingMs });
    const refresh = setInterval(() => {
      channels.refresh().catch((err) => app.log.warn({ err }, 'study live channels: refresh failed'));
    }, pingMs);
    refresh.unref();
    app.addHook('onClose', async () => {
      clearInterval(refresh);
      await channels.releaseAll().catch((err) => app.log.warn({ err }, 'study live channels: release failed'));
    });

    app.get(
      '/api/study/sessions/:id/live',
      {
        websocket: true,
        // Origin first: another site learns nothing, not even whether its visitor is signed in.
        onRequest: [requireSameOrigin, auth],
        schema: { params: sessionParams },
      },
      (socket: WebSocket, req) => {
        const sessionId = req.params.id;
        const token = req.sessionToken as string;
        const learnerId = req.principalId as string;
        /** Set once the channel is closing: frames still queued get no reply. */
        let ending = false;
        /** Set once the flood guard tripped: later frames are dropped, earlier ones still answered. */
        let refusing = false;
        let chain: Promise<void> = Promise.resolve();
        const { burstFrames, framesPerSecond } = ctx.config.study.live;
        let tokens: number = burstFrames;
        let refilledAt = ctx.clock.now().getTime();

        const send = (reply: TStudyLiveReply) => {
          if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(reply));
        };
        const fail = (err: AppError, code = closeCodeFor(err)) => {
          send({ ok: false, error: err.toBody() });
          if (code !== undefined) {
            ending = true;
            // The reason is for people reading traces; the player goes by the code and the reply before it.
            socket.close(code, err.code);
          }
        };

        async function handle(data: RawData, isBinary: boolean): Promise<void> {
          if (ending) return;
          try {
            const session = await ctx.sessions.resolve('public', token);
            if (!session) throw new AppError('UNAUTHENTICATED');
            if (isBinary) throw new AppError('VALIDATION_FAILED', { message: '心跳应为JSON文本' });
            let json: unknown;
            try {
              json = JSON.parse(data.toString());
            } catch {
              throw malformed();
            }
            if (typeof json !== 'object' || json === null || Array.isArray(json)) throw malformed();
            const beat = ZStudyHeartbeat.safeParse(json);
            if (!beat.success) throw validationError(beat.error.issues);
            const result = await ctx.study.heartbeat(session.principalId, sessionId, beat.data);
            send({ ok: true, result });
          } catch (err) {
            if (err instanceof AppError) return fail(err);
            req.log.error({ err, sessionId }, 'study live frame failed');
            fail(new AppError('INTERNAL_ERROR'), CLOSE_INTERNAL);
          }
        }

        /** Token bucket on the clock the app runs on (tests move it; production it is wall time). */
        function admit(): boolean {
          const now = ctx.clock.now().getTime();
          const perMs = framesPerSecond / 1000;
          tokens = Math.min(burstFrames, tokens + Math.max(0, now - refilledAt) * perMs);
          refilledAt = now;
          if (tokens < 1) return false;
          tokens -= 1;
          return true;
        }

        socket.on('message', (data, isBinary) => {
          if (ending || refusing) return;
          // Counted on arrival, not when processed: a flood must not pile up work behind the chain.
          if (!admit()) {
            refusing = true;
            // After the replies still owed, in order; then the channel ends.
            chain = chain.then(() => {
              if (!ending) fail(new AppError('RATE_LIMITED'));
            });
            return;
          }
          // One frame at a time per socket: replies keep the order of the beats.
          chain = chain.then(() => handle(data, isBinary));
        });

        let alive = true;
        socket.on('pong', () => {
          alive = true;
        });
        const ping = setInterval(() => {
          if (!alive) return socket.terminate();
          alive = false;
          socket.ping();
        }, pingMs);
        ping.unref();
        // Counted and refused here rather than at the upgrade; frames that arrive meanwhile wait for the answer.
        let closed = false;
        let channelId: string | undefined;
        const release = (id: string) =>
          channels.release(id).catch((err) => req.log.warn({ err }, 'study live channel: release failed'));
        chain = channels.claim(learnerId).then(
          (id) => {
            if (closed) {
              if (id) void release(id);
            } else if (id) channelId = id;
            else fail(new AppError('RATE_LIMITED', { message: '打开的学习窗口过多，请关闭其他学习窗口后重试' }));
          },
          (err) => {
            req.log.error({ err, sessionId }, 'study live channel: claim failed');
            fail(new AppError('INTERNAL_ERROR'), CLOSE_INTERNAL);
          },
        );
        socket.on('close', () => {
          ending = true;
          closed = true;
          clearInterval(ping);
          if (channelId) void release(channelId);
        });
      },
    );
  };
}
