import type {
  TCreditReviewItem,
  TCreditReviewList,
  TCreditStandard,
  TCreditStandardInput,
} from '@cpe/shared/schemas/credits';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { api, qs } from '../../shared/api/client';

const enc = encodeURIComponent;

export type CreditQueueStatus = 'pending' | 'done' | 'all';
export interface CreditQueueQuery {
  status: CreditQueueStatus;
  keyword?: string;
  year?: number;
  page: number;
  pageSize: number;
}

const CLAIMS_KEY = ['admin-credit-claims'] as const;

/**
 * Where the 认定 queue is answered: the console's (区县人社局 / 市人社局 reviewers), or a 主管部门's in 单位中心 when
 * CREDIT_RECOGNITION_BY=department — the same page over either.
 */
export const ADMIN_CREDIT_QUEUE = '/api/admin/credit-claims';
export const UNIT_CENTER_CREDIT_QUEUE = '/api/unit-center/credit-recognition';
export const CreditQueueBase = createContext<string>(ADMIN_CREDIT_QUEUE);
export const useCreditQueueBase = () => useContext(CreditQueueBase);
const STANDARDS_KEY = ['admin-credit-standards'] as const;

/** 学时认定: one page of the bureau's queue (the server keeps a 区县人社局 to its district). */
export function useAdminCreditClaims(q: CreditQueueQuery) {
  const base = useCreditQueueBase();
  const search = qs({ status: q.status, keyword: q.keyword, year: q.year, page: q.page, pageSize: q.pageSize });
  return useQuery({
    queryKey: [...CLAIMS_KEY, base, 'list', search],
    queryFn: () => api.get<TCreditReviewList>(`${base}${search}`),
    placeholderData: keepPreviousData,
  });
}

export const adminCreditFileUrl = (base: string, claimId: string, fileId: string) =>
  `${base}/${enc(claimId)}/files/${enc(fileId)}`;

/** 认定 (→ 已认定) or 退回（不予认定） with the reason the person reads. Answers the entry as it now is. */
export function useDecideCreditClaim() {
  const queryClient = useQueryClient();
  const base = useCreditQueueBase();
  return useMutation({
    mutationFn: ({ id, decision, reason }: { id: string; decision: 'recognise' | 'return'; reason?: string }) =>
      decision === 'recognise'
        ? api.post<TCreditReviewItem>(`${base}/${enc(id)}/recognise`)
        : api.post<TCreditReviewItem>(`${base}/${enc(id)}/return`, { reason }),
    // Settled, not only on success: a refusal (someone else decided first) means the list is stale too.
    onSettled: () => queryClient.invalidateQueries({ queryKey: CLAIMS_KEY }),
  });
}

/** 学时折算标准: every standard, the inactive ones too. */
export function useCreditStandards() {
  return useQuery({
    queryKey: STANDARDS_KEY,
    queryFn: () => api.get<{ items: TCreditStandard[] }>('/api/admin/credit-standards'),
  });
}

export function useSaveCreditStandard() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: TCreditStandardInput }) =>
      id
        ? api.put<TCreditStandard>(`/api/admin/credit-standards/${enc(id)}`, input)
        : api.post<TCreditStandard>('/api/admin/credit-standards', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: STANDARDS_KEY }),
  });
}
