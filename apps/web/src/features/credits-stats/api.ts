import type {
  TCreditCorrectionInput,
  TCreditPeopleList,
  TCreditPersonRecord,
  TCreditStats,
  TCreditStatsBy,
  TCreditUnitSort,
  TCreditUnitStats,
} from '@cpe/shared/schemas/credit-admin';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from '../../shared/api/client';

const enc = encodeURIComponent;
const PEOPLE_KEY = ['admin-credit-people'] as const;
const STATS_KEY = ['admin-credit-stats'] as const;

export interface PeopleQuery {
  keyword?: string;
  page: number;
  pageSize: number;
}

/** 学时查询: nothing is asked before a keyword is given (the server requires one). */
export function useCreditPeople(q: PeopleQuery) {
  const search = qs({ keyword: q.keyword, page: q.page, pageSize: q.pageSize });
  return useQuery({
    queryKey: [...PEOPLE_KEY, 'list', search],
    queryFn: () => api.get<TCreditPeopleList>(`/api/admin/credits/people${search}`),
    enabled: Boolean(q.keyword),
    placeholderData: keepPreviousData,
  });
}

export function useCreditPerson(accountId: string | undefined) {
  return useQuery({
    queryKey: [...PEOPLE_KEY, 'record', accountId],
    queryFn: () => api.get<TCreditPersonRecord>(`/api/admin/credits/people/${enc(accountId ?? '')}`),
    enabled: Boolean(accountId),
  });
}

/** 学时更正: answers the record as it now reads; lists and statistics are stale afterwards. */
export function useCorrectCredits(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TCreditCorrectionInput) =>
      api.post<TCreditPersonRecord>(`/api/admin/credits/people/${enc(accountId)}/corrections`, input),
    onSuccess: async (record) => {
      queryClient.setQueryData([...PEOPLE_KEY, 'record', accountId], record);
      await queryClient.invalidateQueries({ queryKey: PEOPLE_KEY });
      await queryClient.invalidateQueries({ queryKey: STATS_KEY });
    },
  });
}

export interface StatsQuery {
  year: number;
  by: TCreditStatsBy;
}

export const statsSearch = (q: StatsQuery) => qs({ year: q.year, by: q.by });

export function useCreditStats(q: StatsQuery) {
  return useQuery({
    queryKey: [...STATS_KEY, 'groups', q.year, q.by],
    queryFn: () => api.get<TCreditStats>(`/api/admin/credits/stats${statsSearch(q)}`),
    placeholderData: keepPreviousData,
    // Figures, not records: a minute old is fresh enough and spares the database on tab switches.
    staleTime: 60_000,
  });
}

export const creditStatsExportUrl = (q: StatsQuery) => `/api/admin/credits/stats/export${statsSearch(q)}`;

export interface UnitStatsQuery {
  year: number;
  district?: string;
  unitType?: string;
  sort: TCreditUnitSort;
  page: number;
  pageSize: number;
}

const unitSearch = (q: UnitStatsQuery, paged = true) =>
  qs({
    year: q.year,
    district: q.district,
    unitType: q.unitType,
    sort: q.sort,
    ...(paged ? { page: q.page, pageSize: q.pageSize } : {}),
  });

/** The units of one 区县 / 单位类型 (the drill-down), asked only once a group is chosen. */
export function useCreditUnitStats(q: UnitStatsQuery | null) {
  return useQuery({
    queryKey: [...STATS_KEY, 'units', q ? unitSearch(q) : null],
    queryFn: () => api.get<TCreditUnitStats>(`/api/admin/credits/stats/units${unitSearch(q as UnitStatsQuery)}`),
    enabled: q !== null,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export const creditUnitStatsExportUrl = (q: UnitStatsQuery) =>
  `/api/admin/credits/stats/units/export${unitSearch(q, false)}`;
