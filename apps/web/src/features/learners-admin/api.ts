import type { TCreditList } from '@cpe/shared/schemas/credits';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from '../../shared/api/client';
import type {
  LearnerDetail,
  LearnerList,
  LearnerQuery,
  LearnerResetResult,
  LearnerReveal,
  LearnerUnlockResult,
  OrderRefundResult,
} from './types';

const enc = encodeURIComponent;
const KEY = ['admin-learners'] as const;

export function learnerSearch(q: LearnerQuery): string {
  return qs({ q: q.q, sort: q.sort, page: q.page, pageSize: q.pageSize });
}

/** 学员管理: people found by name, full ID number or phone; numbers always masked. */
export function useLearners(q: LearnerQuery) {
  const search = learnerSearch(q);
  return useQuery({
    queryKey: [...KEY, 'list', search],
    queryFn: () => api.get<LearnerList>(`/api/admin/learners${search}`),
    placeholderData: keepPreviousData,
  });
}

export function useLearner(id: string | undefined) {
  return useQuery({
    queryKey: [...KEY, 'detail', id],
    queryFn: () => api.get<LearnerDetail>(`/api/admin/learners/${enc(id ?? '')}`),
    enabled: Boolean(id),
  });
}

/** The learner's 学时档案 (every year's totals and entries), read when its tab is opened. */
export function useLearnerCredits(id: string | undefined) {
  return useQuery({
    queryKey: [...KEY, 'credits', id],
    queryFn: () => api.get<TCreditList>(`/api/admin/learners/${enc(id ?? '')}/credits`),
    enabled: Boolean(id),
  });
}

/** 查看完整信息: never cached; each call is a new audited reveal on the server. */
export function useRevealLearner() {
  return useMutation({
    mutationFn: (id: string) => api.post<LearnerReveal>(`/api/admin/learners/${enc(id)}/reveal`),
  });
}

export function useResetLearnerPassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<LearnerResetResult>(`/api/admin/learners/${enc(id)}/reset-password`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
}

export function useUnlockLearner() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<LearnerUnlockResult>(`/api/admin/learners/${enc(id)}/unlock`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
}

/** 退款 from 订单管理: the order, the orders list and any learner page showing it are stale afterwards. */
export function useRefundOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      api.post<OrderRefundResult>(`/api/admin/orders/${enc(id)}/refund`, { reason }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['admin-orders'] });
      await queryClient.invalidateQueries({ queryKey: KEY });
    },
  });
}
