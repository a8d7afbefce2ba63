import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Pii } from '../../lib/pii.js';
import type { OidcProviderRepo } from './oidc-provider.repo.js';

const SIGNING_ALG = 'RS256';
const generateKeyPair = promisify(crypto.generateKeyPair);

/** A new RS256 signing key as stored: the public half as published, the private half encrypted. */
export async function newSigningKey(pii: Pii, clock: Clock) {
  const { privateKey, publicKey } = await generateKeyPair('rsa', { modulusLength: 2048 });
  const pub = publicKey.export({ format: 'jwk' }) as Record<string, string>;
  // RFC 7638 thumbprint: a kid that names the key itself.
  const kid = crypto
    .createHash('sha256')
    .update(JSON.stringify({ e: pub.e, kty: pub.kty, n: pub.n }))
    .digest('base64url');
  return {
    kid,
    alg: SIGNING_ALG,
    publicJwk: { ...pub, kid, alg: SIGNING_ALG, use: 'sig' },
    privateJwkEnc: pii.encrypt(JSON.stringify(privateKey.export({ format: 'jwk' }))),
    createdAt: clock.now(),
  };
}

/** The first start makes the first key; several instances starting at once make one between them. */
export async function ensureSigningKey(deps: { db: Db; repo: OidcProviderRepo; pii: Pii; clock: Clock }) {
  const { db, repo } = deps;
  if ((await repo.keyIds(db)).length > 0) return;
  const key = await newSigningKey(deps.pii, deps.clock);
  await db.transaction(async (tx) => {
    await repo.lockKeys(tx);
    if ((await repo.keyIds(tx)).length === 0) await repo.insertKey(tx, key);
  });
}
