import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from '../../shared/api/client';
import type { RosterDetail, RosterList, RosterRowQuery, RosterScope } from './types';

const enc = encodeURIComponent;

/** `/api/rosters` on the portal, `/api/admin/rosters` on the console. */
export function rosterBase(scope: RosterScope): string {
  return scope === 'console' ? '/api/admin/rosters' : '/api/rosters';
}

export const rosterKey = (scope: RosterScope) => ['rosters', scope] as const;

export function templateUrl(scope: RosterScope): string {
  return `${rosterBase(scope)}/template.xlsx`;
}

export function reportUrl(scope: RosterScope, id: string): string {
  return `${rosterBase(scope)}/${enc(id)}/report.xlsx`;
}

export function useRosterList(scope: RosterScope, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...rosterKey(scope), 'list', page, pageSize],
    queryFn: () => api.get<RosterList>(`${rosterBase(scope)}${qs({ page, pageSize })}`),
    placeholderData: keepPreviousData,
  });
}

/** One import with a page of its rows; polled every second while the import runs. */
export function useRoster(scope: RosterScope, id: string | null, q: RosterRowQuery) {
  return useQuery({
    queryKey: [...rosterKey(scope), 'detail', id, q.page, q.pageSize, q.status ?? ''],
    queryFn: () =>
      api.get<RosterDetail>(
        `${rosterBase(scope)}/${enc(id ?? '')}${qs({ page: q.page, pageSize: q.pageSize, status: q.status })}`,
      ),
    enabled: Boolean(id),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.status === 'importing' ? 1000 : false),
  });
}

export function useUploadRoster(scope: RosterScope) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const body = new FormData();
      body.append('file', file, file.name);
      return api.post<RosterDetail>(rosterBase(scope), body);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...rosterKey(scope), 'list'] }),
  });
}

export function useStartImport(scope: RosterScope) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, notifyEmail }: { id: string; notifyEmail?: string }) =>
      api.post<RosterDetail>(`${rosterBase(scope)}/${enc(id)}/import`, notifyEmail ? { notifyEmail } : {}),
    onSettled: () => queryClient.invalidateQueries({ queryKey: rosterKey(scope) }),
  });
}
