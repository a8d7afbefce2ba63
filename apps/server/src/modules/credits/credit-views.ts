import {
  CREDIT_CATEGORY_LABELS,
  CREDIT_ENTRY_ACTION_LABELS,
  CREDIT_ENTRY_STATUS_LABELS,
  CREDIT_SOURCE_LABELS,
  type TCreditEntry,
  type TCreditEntryStatus,
  type TCreditStandard,
} from '@cpe/shared/schemas/credits';
import type { Executor } from '../../db/client.js';
import type { CreditClaimsRepo, CreditEventRow, CreditStandardRow } from './credit-claims.repo.js';
import type { CreditEntryRow } from './credits.repo.js';

export const standardLabel = (s: Pick<CreditStandardRow, 'form' | 'level'>) =>
  s.level ? `${s.form}（${s.level}）` : s.form;

export function standardView(s: CreditStandardRow, usedThisYear?: number): TCreditStandard {
  return {
    id: s.id,
    form: s.form,
    level: s.level,
    label: standardLabel(s),
    category: s.category as TCreditStandard['category'],
    basis: s.basis as TCreditStandard['basis'],
    hours: s.hours,
    yearlyCap: s.yearlyCap,
    active: s.active,
    sort: s.sort,
    updatedAt: s.updatedAt.toISOString(),
    ...(usedThisYear === undefined ? {} : { usedThisYear }),
  };
}

/** Entries as the record and the queues show them: labels, evidence names and the history, in two queries. */
export async function entryViews(
  ex: Executor,
  repo: CreditClaimsRepo,
  rows: CreditEntryRow[],
): Promise<TCreditEntry[]> {
  const events = await repo.eventsOf(
    ex,
    rows.map((r) => r.id),
  );
  const byEntry = new Map<string, CreditEventRow[]>();
  for (const e of events) byEntry.set(e.entryId, [...(byEntry.get(e.entryId) ?? []), e]);
  const fileIds = rows.flatMap((r) => r.evidenceFileIds ?? []);
  const meta = new Map((await repo.filesMeta(ex, fileIds)).map((f) => [f.id, f]));
  return rows.map((r) => ({
    id: r.id,
    year: r.year,
    category: r.category as TCreditEntry['category'],
    categoryLabel: CREDIT_CATEGORY_LABELS[r.category as 'public' | 'professional'] ?? r.category,
    form: r.form,
    title: r.title,
    hours: r.hours,
    createdAt: r.createdAt.toISOString(),
    status: r.status as TCreditEntryStatus,
    statusLabel: CREDIT_ENTRY_STATUS_LABELS[r.status as TCreditEntryStatus] ?? r.status,
    source: r.source,
    sourceLabel: CREDIT_SOURCE_LABELS[r.source] ?? r.source,
    reason: r.reason,
    startedOn: r.startedOn,
    endedOn: r.endedOn,
    host: r.host,
    content: r.content,
    standardId: r.standardId,
    evidence: (r.evidenceFileIds ?? []).map((id) => ({
      id,
      name: meta.get(id)?.name ?? null,
      mime: meta.get(id)?.mime ?? 'application/octet-stream',
    })),
    events: (byEntry.get(r.id) ?? []).map((e) => ({
      action: e.action,
      actionLabel: CREDIT_ENTRY_ACTION_LABELS[e.action as keyof typeof CREDIT_ENTRY_ACTION_LABELS] ?? e.action,
      toStatus: e.toStatus,
      actorName: e.actorName,
      reason: e.reason,
      at: e.at.toISOString(),
    })),
  }));
}
