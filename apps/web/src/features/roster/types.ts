import type { TRosterRowStatus, ZRosterDetail, ZRosterList, ZRosterSummary } from '@cpe/shared/schemas/roster';

/** The response types are the shared zod schemas' outputs: one source with the server. */
type Out<S extends { parse(value: unknown): unknown }> = ReturnType<S['parse']>;

export type RosterSummary = Out<typeof ZRosterSummary>;
export type RosterDetail = Out<typeof ZRosterDetail>;
export type RosterList = Out<typeof ZRosterList>;
export type RosterRow = RosterDetail['rows'][number];
export type RosterRowStatus = TRosterRowStatus;

/** Portal (the unit administrator's own imports) or console (every import, training centre staff). */
export type RosterScope = 'portal' | 'console';

export interface RosterRowQuery {
  page: number;
  pageSize: number;
  status?: RosterRowStatus;
}
