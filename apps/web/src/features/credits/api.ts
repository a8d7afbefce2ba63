import type { TUnitCreditStats, TUnitCreditStatsQuery } from '@cpe/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, qs } from '../../shared/api/client';

export type UnitCreditStatsQuery = Omit<TUnitCreditStatsQuery, 'keyword'> & { keyword?: string };

/** 单位中心 → 学时统计: one page of the unit's members for a year. */
export function useUnitCreditStats(q: UnitCreditStatsQuery) {
  return useQuery({
    queryKey: ['unit-credit-stats', q],
    queryFn: () => api.get<TUnitCreditStats>(`/api/unit-center/credit-stats${qs(q)}`),
    placeholderData: keepPreviousData,
  });
}

export const unitCreditStatsExportUrl = (q: UnitCreditStatsQuery) =>
  `/api/unit-center/credit-stats/export${qs({ year: q.year, filter: q.filter, keyword: q.keyword })}`;
