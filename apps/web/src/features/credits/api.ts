import type { TUnitCreditStats, TUnitCreditStatsQuery } from '@cpe/shared';
import type {
  TCreditClaimInput,
  TCreditEntry,
  TCreditReviewItem,
  TCreditReviewList,
  TCreditReviewQuery,
  TCreditStandard,
} from '@cpe/shared/schemas/credits';
import type { ZUploadedFile } from '@cpe/shared/schemas/units';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, qs, request } from '../../shared/api/client';

export type TUploadedFile = z.infer<typeof ZUploadedFile>;

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

// ---------------- 学时登记 (个人中心 → 学时档案) ----------------

const enc = encodeURIComponent;

/** Every cached 学时档案 answer (the person's record, the seminars' figures) is fetched again after a change. */
const CREDITS_KEY = ['credits'] as const;

/** Active 学时折算标准 with what the person has used of each form's yearly cap in `year`. */
export function useCreditStandards(year: number) {
  return useQuery({
    queryKey: [...CREDITS_KEY, 'standards', year],
    queryFn: () => api.get<{ items: TCreditStandard[] }>(`/api/my/credits/standards${qs({ year })}`),
    placeholderData: keepPreviousData,
  });
}

/** 证明材料: JPG, PNG or PDF up to 10M, checked by content on the server. */
export async function uploadCreditFile(file: File): Promise<TUploadedFile> {
  const body = new FormData();
  body.append('file', file);
  const f = await request<TUploadedFile>('POST', '/api/my/credits/files', body);
  return { ...f, name: f.name ?? file.name };
}

export const myCreditFileUrl = (fileId: string) => `/api/my/credits/files/${enc(fileId)}`;

/** 提交学时登记 (new) or 修改后重新提交 (a 不予认定 / 已撤回 one, by id). */
export function useSubmitCreditClaim() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: TCreditClaimInput }) =>
      id
        ? api.put<TCreditEntry>(`/api/my/credits/claims/${enc(id)}`, input)
        : api.post<TCreditEntry>('/api/my/credits/claims', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CREDITS_KEY }),
  });
}

export function useWithdrawCreditClaim() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<TCreditEntry>(`/api/my/credits/claims/${enc(id)}/withdraw`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CREDITS_KEY }),
  });
}

export const creditProofUrl = (yearFrom: number, yearTo: number) => `/api/my/credits/proof${qs({ yearFrom, yearTo })}`;

// ---------------- 单位中心 → 学时审核 ----------------

export type UnitCreditClaimsQuery = Omit<TCreditReviewQuery, 'keyword' | 'year'> & { keyword?: string };
const UNIT_CLAIMS_KEY = ['unit-credit-claims'] as const;

export function useUnitCreditClaims(q: UnitCreditClaimsQuery) {
  return useQuery({
    queryKey: [...UNIT_CLAIMS_KEY, q],
    queryFn: () => api.get<TCreditReviewList>(`/api/unit-center/credit-claims${qs(q)}`),
    placeholderData: keepPreviousData,
  });
}

export const unitCreditFileUrl = (claimId: string, fileId: string) =>
  `/api/unit-center/credit-claims/${enc(claimId)}/files/${enc(fileId)}`;

/** 确认 (→ 待认定) or 退回 with the reason the person reads; every tab and the count are fetched again. */
export function useDecideUnitCreditClaim() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (a: { id: string; action: 'confirm' } | { id: string; action: 'return'; reason: string }) =>
      a.action === 'confirm'
        ? api.post<TCreditReviewItem>(`/api/unit-center/credit-claims/${enc(a.id)}/confirm`)
        : api.post<TCreditReviewItem>(`/api/unit-center/credit-claims/${enc(a.id)}/return`, { reason: a.reason }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: UNIT_CLAIMS_KEY }),
  });
}
