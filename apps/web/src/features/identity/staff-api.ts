import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isUnauthenticated, qs } from '../../shared/api/client';
import { useSessionLogout } from './api';
import type {
  ManualRecoveryList,
  Ok,
  RealnameReviewList,
  RealnameReviewStatus,
  RecoveryStatus,
  StaffMe,
} from './types';

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
  return useSessionLogout(STAFF_ME_KEY, true);
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

export interface RealnameReviewQuery {
  status?: RealnameReviewStatus;
  q?: string;
  page: number;
  pageSize: number;
}

/** 实名审核 list (人工实名审核 of 护照 and other documents the 实名认证 service cannot verify). */
export function useRealnameReviews(q: RealnameReviewQuery) {
  return useQuery({
    queryKey: ['realname-reviews', q.status ?? 'all', q.q ?? '', q.page, q.pageSize],
    queryFn: () => api.get<RealnameReviewList>(`/api/realname-reviews${qs({ ...q })}`),
    placeholderData: (previous) => previous,
  });
}

/** Each view of the photo is audited on the server. */
export function realnameReviewPhotoUrl(id: string): string {
  return `/api/realname-reviews/${encodeURIComponent(id)}/photo`;
}

export function useDecideRealnameReview() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; decision: 'approve' | 'reject'; reason: string }) =>
      api.post<Ok>(`/api/realname-reviews/${encodeURIComponent(v.id)}/decision`, {
        decision: v.decision,
        reason: v.reason,
      }),
    // A decision that came too late (409) also means the list is stale.
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['realname-reviews'] }),
  });
}
