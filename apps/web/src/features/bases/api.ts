import type {
  TBaseAdmin,
  TBaseAdminList,
  TBaseAdminQuery,
  TBaseExportQuery,
  TBasePublicList,
  TBasePublicQuery,
} from '@cpe/shared/schemas/bases';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from '../../shared/api/client';

/** 继续教育基地名单 (portal, no login). */
export function usePublicBases(q: TBasePublicQuery) {
  return useQuery({
    queryKey: ['bases', 'public', q],
    queryFn: () =>
      api.get<TBasePublicList>(
        `/api/bases${qs({ kind: q.kind, keyword: q.keyword, area: q.area, page: q.page, pageSize: q.pageSize })}`,
      ),
    placeholderData: keepPreviousData,
  });
}

const filterParams = (q: TBaseExportQuery) => ({ kind: q.kind, status: q.status, keyword: q.keyword, area: q.area });

/** 基地名单 (console). */
export function useAdminBases(q: TBaseAdminQuery) {
  return useQuery({
    queryKey: ['bases', 'admin', q],
    queryFn: () =>
      api.get<TBaseAdminList>(`/api/admin/bases${qs({ ...filterParams(q), page: q.page, pageSize: q.pageSize })}`),
    placeholderData: keepPreviousData,
  });
}

export const basesExportUrl = (q: TBaseExportQuery) => `/api/admin/bases/export${qs(filterParams(q))}`;

export function useRevokeBase() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      api.post<TBaseAdmin>(`/api/admin/bases/${encodeURIComponent(id)}/revoke`, { reason }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['bases'] }),
  });
}
