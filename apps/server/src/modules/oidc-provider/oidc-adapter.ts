import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../../db/client.js';
import { normaliseDeep } from '../../http/text-normalisation.js';
import { sha256 } from '../../lib/pii.js';
import type { OidcProviderRepo } from './oidc-provider.repo.js';

/**
 * oidc-provider's storage in PostgreSQL (or PGlite): one table for every model, so codes, sessions, grants and
 * refresh tokens survive a restart and are shared by every instance. Clients are not stored here: the `Client`
 * model reads 接入系统 as staff registered them (clientMetadata), so a change in the console applies at once.
 *
 * Bearer artefacts (codes, access and refresh tokens: their id is the value a system presents) are kept by the
 * SHA-256 of that value and without it in the payload, so the table cannot be replayed from a copy of the database;
 * oidc-provider looks them up by the value it was given, and gets it back in the payload.
 *
 * Time is the wall clock, as oidc-provider's own (it stamps iat and exp with Date.now()).
 */
const BEARER_MODELS = new Set(['AuthorizationCode', 'AccessToken', 'RefreshToken', 'ClientCredentials']);

export function createOidcAdapter(deps: {
  db: Db;
  repo: OidcProviderRepo;
  clientMetadata: (clientId: string) => Promise<AdapterPayload | undefined>;
}): new (
  model: string,
) => Adapter {
  const { db, repo } = deps;

  const readable = (row: { payload: unknown; consumedAt: Date | null } | undefined): AdapterPayload | undefined =>
    row
      ? {
          ...(row.payload as AdapterPayload),
          ...(row.consumedAt ? { consumed: Math.floor(row.consumedAt.getTime() / 1000) } : {}),
        }
      : undefined;

  return class DatabaseAdapter implements Adapter {
    private readonly bearer: boolean;
    constructor(readonly model: string) {
      this.bearer = BEARER_MODELS.has(model);
    }

    private key(id: string) {
      return this.bearer ? sha256(id) : id;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number) {
      // Request parameters end up in payloads (state, nonce…): text PostgreSQL cannot store is normalised as
      // everywhere else (http/text-normalisation.ts), so a NUL in a query string is a refusal, never a 500.
      const clean = normaliseDeep(payload) as AdapterPayload;
      const { jti: _value, ...kept } = clean;
      await repo.upsertPayload(db, {
        model: this.model,
        id: this.key(id),
        payload: (this.bearer ? kept : clean) as Record<string, unknown>,
        // A Grant carries its own id here: revoking a grant deletes it with its codes and tokens in one statement.
        grantId: this.model === 'Grant' ? id : (clean.grantId ?? null),
        uid: clean.uid ?? null,
        userCode: typeof clean.userCode === 'string' ? clean.userCode : null,
        accountId: clean.accountId ?? null,
        clientId: clean.clientId ?? null,
        expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
      });
    }

    async find(id: string) {
      if (this.model === 'Client') return deps.clientMetadata(id);
      const found = readable(await repo.findPayload(db, this.model, { id: this.key(id) }, new Date()));
      return found && this.bearer ? { ...found, jti: id } : found;
    }

    async findByUid(uid: string) {
      return readable(await repo.findPayload(db, this.model, { uid }, new Date()));
    }

    async findByUserCode(userCode: string) {
      return readable(await repo.findPayload(db, this.model, { userCode }, new Date()));
    }

    async destroy(id: string) {
      await repo.destroyPayload(db, this.model, this.key(id));
    }

    async consume(id: string) {
      await repo.consumePayload(db, this.model, this.key(id), new Date());
    }

    async revokeByGrantId(grantId: string) {
      await repo.revokeGrant(db, grantId, this.model);
    }
  };
}
