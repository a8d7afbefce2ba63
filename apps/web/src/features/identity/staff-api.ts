import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useNavigate } from 'react-router';
import { api, isUnauthenticated, qs, toApiError } from '../../shared/api/client';
import type { ManualRecoveryList, Ok, RecoveryStatus, StaffMe } from './types';

export const STAFF_ME_KEY = ['staff-me'] as const;

export async function fetchStaffMe(): Promise<StaffMe | null> {
  try {
    return await api.get<StaffMe>('/api/me');
  } catch (err) {
    if (isUnauthenticated(err)) return null;
    throw err;
  }
}

export function useStaffMe() {
  return useQuery({ queryKey: STAFF_ME_KEY, queryFn: fetchStaffMe, staleTime: 60_000 });
}

/** 退出 → /login. */
export function useStaffLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  return useMutation({
    mutationFn: async () => {
      try {
        await api.del('/api/sessions/current');
      } catch (err) {
        if (!isUnauthenticated(err)) throw err;
      }
    },
    onSuccess: () => {
      navigate('/login', { replace: true });
      queryClient.clear();
      queryClient.setQueryData(STAFF_ME_KEY, null);
      message.success('已退出登录');
    },
    onError: (err) => message.error(toApiError(err).message),
  });
}

export interface RecoveryQuery {
  status?: RecoveryStatus;
  page: number;
  pageSize: number;
}

export function useRecoveries(q: RecoveryQuery) {
  return useQuery({
    queryKey: ['manual-recoveries', q.status ?? 'all', q.page, q.pageSize],
    queryFn: () => api.get<ManualRecoveryList>(`/api/manual-recoveries${qs({ ...q })}`),
    placeholderData: (previous) => previous,
  });
}

export function recoveryPhotoUrl(id: string): string {
  return `/api/manual-recoveries/${encodeURIComponent(id)}/photo`;
}

export function useDecideRecovery() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; decision: 'approve' | 'reject'; reason: string }) =>
      api.post<Ok>(`/api/manual-recoveries/${encodeURIComponent(v.id)}/decision`, {
        decision: v.decision,
        reason: v.reason,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['manual-recoveries'] }),
  });
}
