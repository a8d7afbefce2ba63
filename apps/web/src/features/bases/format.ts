import { BASE_KIND_LABELS } from '@cpe/shared/applications/bases';
import type { TBaseKind } from '@cpe/shared/schemas/bases';

export const KIND_TABS: Array<{ key: TBaseKind; label: string }> = [
  { key: 'education', label: BASE_KIND_LABELS.education },
  { key: 'engineer', label: BASE_KIND_LABELS.engineer },
];

/** 有效期 as a person reads it: 2026-05-20 至 2029-05-19 (China dates, both inclusive). */
export const validity = (b: { validFrom: string; validTo: string }) => `${b.validFrom} 至 ${b.validTo}`;
