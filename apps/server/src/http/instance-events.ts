import crypto from 'node:crypto';
import type { SessionEvents } from '../modules/identity/session.service.js';
import type { StudyEvents } from '../modules/study/study.service.js';

/** What one instance tells the others: sessions that ended, study sessions it took over. */
const CHANNELS = { sessionsRevoked: 'cpe_sessions_revoked', studyClaimed: 'cpe_study_claimed' } as const;
type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

/** What an instance publishes (given to createContext) and listens to (attached once the context exists). */
export interface InstanceLink {
  sessionEvents: SessionEvents;
  studyEvents: StudyEvents;
  attach(ctx: { sessions: { evict(ids: string[]): void }; study: { released(ids: string[]): void } }): void;
}

/** The application_name of the link's two connections: operators see them in pg_stat_activity. */
export const INSTANCE_LINK_APPLICATION = 'cpe-instance-link';

/**
 * How server.ts links an instance to the others on one PostgreSQL. Each keeps state in memory (sessions cached for
 * up to a minute, the study sessions it credits); a change on one instance reaches the others at once through
 * NOTIFY. A message carries its sender, so an instance does not act on its own (it has already done so).
 *
 * Two connections of its own (a LISTEN connection cannot run other queries while it waits, and the pool's are
 * short-lived). Either may be cut — a database restart, a failover, an idle timeout in a proxy: the listener
 * connects again after `retryMs` (doubling up to a minute) and the publisher at its next message, so a lost
 * connection never fails a request (a logout answers 200 either way) and the link heals without a restart. While
 * it is down, messages are lost; what they would have dropped ends anyway by the session cache's minute, and a
 * study write from a stale holder is refused by the database (study_sessions.owner).
 */
export async function linkInstances(
  databaseUrl: string,
  opts: { onError?: (err: unknown, what: string) => void; retryMs?: number } = {},
): Promise<InstanceLink & { close(): Promise<void> }> {
  // Loaded here, not at start: PGlite needs no link, and then no node-postgres either (issue 22).
  const { default: pg } = await import('pg');
  const self = crypto.randomUUID();
  const report = opts.onError ?? (() => {});
  const firstRetryMs = opts.retryMs ?? 1000;
  const handlers: Record<Channel, (ids: string[]) => void> = {
    [CHANNELS.sessionsRevoked]: () => {},
    [CHANNELS.studyClaimed]: () => {},
  };
  let closing = false;
  const connect = async () => {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: INSTANCE_LINK_APPLICATION });
    await client.connect();
    return client;
  };

  let listener: InstanceType<typeof pg.Client> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  async function listen(): Promise<void> {
    const client = await connect();
    let lost = false;
    const onLost = (err?: unknown) => {
      if (lost) return;
      lost = true;
      if (closing) return;
      report(err ?? new Error('connection ended'), 'instance link: listener lost');
      client.end().catch(() => {});
      if (listener === client) listener = undefined;
      reconnect(firstRetryMs);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (msg) => {
      const handler = handlers[msg.channel as Channel];
      if (!handler || !msg.payload) return;
      const [sender, ids] = msg.payload.split('|');
      if (sender !== self && ids) handler(ids.split(','));
    });
    for (const channel of Object.values(CHANNELS)) await client.query(`LISTEN ${channel}`);
    listener = client;
  }
  function reconnect(waitMs: number) {
    if (closing || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      listen().catch((err) => {
        report(err, 'instance link: listener reconnect failed');
        reconnect(Math.min(waitMs * 2, 60_000));
      });
    }, waitMs);
    retryTimer.unref();
  }
  await listen();

  let publisher: Promise<InstanceType<typeof pg.Client>> | undefined;
  const publisherClient = () => {
    if (!publisher) {
      const made = connect().then((client) => {
        const drop = () => {
          if (publisher === made) publisher = undefined;
        };
        client.on('error', drop);
        client.on('end', drop);
        return client;
      });
      made.catch(() => {
        if (publisher === made) publisher = undefined;
      });
      publisher = made;
    }
    return publisher;
  };
  await publisherClient();
  const send = async (channel: Channel, payload: string) => {
    const client = await publisherClient();
    try {
      await client.query('select pg_notify($1, $2)', [channel, payload]);
    } catch (err) {
      // A cut connection: ended here (its 'end' forgets it), so the next message connects again.
      client.end().catch(() => {});
      throw err;
    }
  };
  const publish = async (channel: Channel, ids: string[]) => {
    // NOTIFY payloads are limited to 8000 bytes; ids are at most 43 characters.
    for (let i = 0; i < ids.length; i += 150) {
      const payload = `${self}|${ids.slice(i, i + 150).join(',')}`;
      // Once more on a new connection when the first attempt finds the old one cut; then the message is lost.
      await send(channel, payload)
        .catch(() => send(channel, payload))
        .catch((err) => report(err, `instance link: ${channel} not sent`));
    }
  };
  return {
    sessionEvents: { publishRevoked: (ids) => publish(CHANNELS.sessionsRevoked, ids) },
    studyEvents: { publishClaimed: (ids) => publish(CHANNELS.studyClaimed, ids) },
    attach(ctx) {
      handlers[CHANNELS.sessionsRevoked] = ctx.sessions.evict;
      handlers[CHANNELS.studyClaimed] = ctx.study.released;
    },
    async close() {
      closing = true;
      clearTimeout(retryTimer);
      const clients = [listener, publisher && (await publisher.catch(() => undefined))];
      await Promise.allSettled(clients.map((c) => c?.end()));
    },
  };
}
