import type { TDashboard, TDashboardQuery } from '@cpe/shared/schemas/dashboard';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, qs } from '../../shared/api/client';

export type Dashboard = TDashboard;
export type DashboardQuery = TDashboardQuery;

export const dashboardSearch = (q: DashboardQuery) => qs({ from: q.from, to: q.to, planId: q.planId });

/** 数据看板 figures; the previous range stays on screen while the next one loads. */
export function useDashboard(q: DashboardQuery) {
  return useQuery({
    queryKey: ['dashboard', q.from, q.to, q.planId ?? null],
    queryFn: () => api.get<Dashboard>(`/api/admin/dashboard${dashboardSearch(q)}`),
    placeholderData: keepPreviousData,
    // Figures, not records: a minute old is fresh enough and spares the database on tab switches.
    staleTime: 60_000,
    retry: false,
  });
}

export const dashboardExportUrl = (q: DashboardQuery) => `/api/admin/dashboard/export${dashboardSearch(q)}`;
