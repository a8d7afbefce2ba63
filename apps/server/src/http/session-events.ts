import pg from 'pg';
import type { SessionEvents } from '../modules/identity/session.service.js';

const CHANNEL = 'cpe_sessions_revoked';

/**
 * Several instances on one PostgreSQL each cache sessions for a few seconds; a logout or password
 * reset on one instance tells the others at once through NOTIFY so they drop their copy.
 */
export async function createPgSessionEvents(
  databaseUrl: string,
  onRevoked: (ids: string[]) => void,
): Promise<SessionEvents & { close(): Promise<void> }> {
  const listener = new pg.Client({ connectionString: databaseUrl });
  listener.on('error', () => {});
  await listener.connect();
  listener.on('notification', (msg) => {
    if (msg.channel === CHANNEL && msg.payload) onRevoked(msg.payload.split(','));
  });
  await listener.query(`LISTEN ${CHANNEL}`);
  const publisher = new pg.Client({ connectionString: databaseUrl });
  publisher.on('error', () => {});
  await publisher.connect();
  return {
    async publishRevoked(ids) {
      // NOTIFY payloads are limited to 8000 bytes; session ids are 43 characters.
      for (let i = 0; i < ids.length; i += 150) {
        await publisher.query('select pg_notify($1, $2)', [CHANNEL, ids.slice(i, i + 150).join(',')]);
      }
    },
    async close() {
      await Promise.allSettled([listener.end(), publisher.end()]);
    },
  };
}
