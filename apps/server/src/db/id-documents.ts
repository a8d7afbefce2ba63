import type { IdType } from '@cpe/shared';
import { type SQL, sql } from 'drizzle-orm';
import { accounts } from './schema/index.js';

/** A document as accounts store it: its 证件类型 and `pii.lookupHash(idDocumentKey(…))`. */
export interface IdDocumentHash {
  idType: IdType;
  hash: string;
}

/**
 * Accounts holding one of these documents, matched on type and hash together (what accounts_id_number_uq is over), as
 * one condition for a whole list (rosters, 团体购买): two array parameters however long the list. Repos that look people
 * up by lists of numbers use this rather than a hash alone, so no list is tied to one 证件类型.
 */
export function holdsIdDocument(docs: readonly IdDocumentHash[]): SQL {
  const types = docs.map((d) => d.idType);
  const hashes = docs.map((d) => d.hash);
  return sql`(${accounts.idType}, ${accounts.idNumberHash}) in (select * from unnest(${sql.param(types)}::text[], ${sql.param(hashes)}::text[]))`;
}
