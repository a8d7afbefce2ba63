import crypto from 'node:crypto';
import pg from 'pg';
import type { SessionEvents } from '../modules/identity/session.service.js';
import type { StudyEvents } from '../modules/study/study.service.js';

/** What one instance tells the others: sessions that ended, study sessions it took over. */
export const CHANNELS = { sessionsRevoked: 'cpe_sessions_revoked', studyClaimed: 'cpe_study_claimed' } as const;
export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

/**
 * Several instances on one PostgreSQL each keep state in memory (sessions cached for up to a minute, the study
 * sessions they credit); a change on one instance reaches the others at once through NOTIFY. A message carries
 * its sender, so an instance does not act on its own (it has already done so).
 */
export async function createPgInstanceEvents(
  databaseUrl: string,
  handlers: Partial<Record<Channel, (ids: string[]) => void>>,
): Promise<{ publish(channel: Channel, ids: string[]): Promise<void>; close(): Promise<void> }> {
  const self = crypto.randomUUID();
  const listener = new pg.Client({ connectionString: databaseUrl });
  listener.on('error', () => {});
  await listener.connect();
  listener.on('notification', (msg) => {
    const handler = handlers[msg.channel as Channel];
    if (!handler || !msg.payload) return;
    const [sender, ids] = msg.payload.split('|');
    if (sender !== self && ids) handler(ids.split(','));
  });
  for (const channel of Object.keys(handlers)) await listener.query(`LISTEN ${channel}`);
  const publisher = new pg.Client({ connectionString: databaseUrl });
  publisher.on('error', () => {});
  await publisher.connect();
  return {
    async publish(channel, ids) {
      // NOTIFY payloads are limited to 8000 bytes; ids are at most 43 characters.
      for (let i = 0; i < ids.length; i += 150) {
        await publisher.query('select pg_notify($1, $2)', [channel, `${self}|${ids.slice(i, i + 150).join(',')}`]);
      }
    },
    async close() {
      await Promise.allSettled([listener.end(), publisher.end()]);
    },
  };
}

/** What an instance publishes (given to createContext) and listens to (attached once the context exists). */
export interface InstanceLink {
  sessionEvents: SessionEvents;
  studyEvents: StudyEvents;
  attach(ctx: { sessions: { evict(ids: string[]): void }; study: { released(ids: string[]): void } }): void;
}

/** How server.ts links an instance to the others on one PostgreSQL: ended sessions and study takeovers. */
export async function linkInstances(databaseUrl: string): Promise<InstanceLink & { close(): Promise<void> }> {
  let evict: (ids: string[]) => void = () => {};
  let released: (ids: string[]) => void = () => {};
  const bus = await createPgInstanceEvents(databaseUrl, {
    [CHANNELS.sessionsRevoked]: (ids) => evict(ids),
    [CHANNELS.studyClaimed]: (ids) => released(ids),
  });
  return {
    sessionEvents: { publishRevoked: (ids) => bus.publish(CHANNELS.sessionsRevoked, ids) },
    studyEvents: { publishClaimed: (ids) => bus.publish(CHANNELS.studyClaimed, ids) },
    attach(ctx) {
      evict = ctx.sessions.evict;
      released = ctx.study.released;
    },
    close: bus.close,
  };
}
