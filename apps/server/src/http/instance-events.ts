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

/**
 * How server.ts links an instance to the others on one PostgreSQL. Each keeps state in memory (sessions cached for
 * up to a minute, the study sessions it credits); a change on one instance reaches the others at once through
 * NOTIFY. A message carries its sender, so an instance does not act on its own (it has already done so).
 */
export async function linkInstances(databaseUrl: string): Promise<InstanceLink & { close(): Promise<void> }> {
  // Loaded here, not at start: PGlite needs no link, and then no node-postgres either (issue 22).
  const { default: pg } = await import('pg');
  const self = crypto.randomUUID();
  const handlers: Record<Channel, (ids: string[]) => void> = {
    [CHANNELS.sessionsRevoked]: () => {},
    [CHANNELS.studyClaimed]: () => {},
  };
  const listener = new pg.Client({ connectionString: databaseUrl });
  listener.on('error', () => {});
  await listener.connect();
  listener.on('notification', (msg) => {
    const handler = handlers[msg.channel as Channel];
    if (!handler || !msg.payload) return;
    const [sender, ids] = msg.payload.split('|');
    if (sender !== self && ids) handler(ids.split(','));
  });
  for (const channel of Object.values(CHANNELS)) await listener.query(`LISTEN ${channel}`);
  const publisher = new pg.Client({ connectionString: databaseUrl });
  publisher.on('error', () => {});
  await publisher.connect();
  const publish = async (channel: Channel, ids: string[]) => {
    // NOTIFY payloads are limited to 8000 bytes; ids are at most 43 characters.
    for (let i = 0; i < ids.length; i += 150) {
      await publisher.query('select pg_notify($1, $2)', [channel, `${self}|${ids.slice(i, i + 150).join(',')}`]);
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
      await Promise.allSettled([listener.end(), publisher.end()]);
    },
  };
}
