import type {
  TAdminCertificate,
  TAdminCertificateList,
  TAdminCertificateQuery,
  TCertificate,
  TCertificateList,
  TCertificateOrganisation,
  TCertUnitSearchResult,
  TCertVerification,
} from '@cpe/shared/schemas/certificates';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from '../../shared/api/client';

const enc = encodeURIComponent;
const MINE = ['certificates', 'mine'] as const;

/** 我的证书: certificates of completed plans, newest first. */
export function useMyCertificates() {
  return useQuery({ queryKey: MINE, queryFn: () => api.get<TCertificateList>('/api/certificates') });
}

/** 组织机构 picker: units whose name contains the text (2+ characters). */
export function useUnitSearch(q: string) {
  const text = q.trim();
  return useQuery({
    queryKey: ['certificates', 'units', text],
    queryFn: () => api.get<TCertUnitSearchResult>(`/api/certificates/units${qs({ q: text })}`),
    enabled: text.length >= 2,
    placeholderData: keepPreviousData,
  });
}

/** 档案所在区县: the district nodes of the organisation tree. */
export function useDistricts() {
  return useQuery({
    queryKey: ['org', 'reviewers'],
    queryFn: () =>
      api.get<{ items: Array<{ id: string; kind: 'district' | 'department'; name: string }> }>('/api/org/reviewers'),
    select: (d) => d.items.filter((n) => n.kind === 'district'),
    staleTime: 10 * 60_000,
  });
}

export function useSetOrganisation(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: TCertificateOrganisation) =>
      api.post<TCertificate>(`/api/certificates/${enc(id)}/organisation`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: MINE }),
  });
}

export const certificatePdfUrl = (id: string, download = false) =>
  `/api/certificates/${enc(id)}/pdf${download ? '?download=1' : ''}`;

/** 证书查验 (no login). */
export function useVerification(certNo: string | null) {
  return useQuery({
    queryKey: ['certificates', 'verify', certNo],
    queryFn: () => api.get<TCertVerification>(`/api/verify/certificates/${enc(certNo ?? '')}`),
    enabled: Boolean(certNo),
    retry: false,
  });
}

// ---------------- 证书管理 (console) ----------------

export function useAdminCertificates(q: TAdminCertificateQuery) {
  return useQuery({
    queryKey: ['certificates', 'admin', q],
    queryFn: () =>
      api.get<TAdminCertificateList>(
        `/api/admin/certificates${qs({
          certNo: q.certNo,
          name: q.name,
          plan: q.plan,
          year: q.year,
          status: q.status,
          page: q.page,
          pageSize: q.pageSize,
        })}`,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useRevokeCertificate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      api.post<TAdminCertificate>(`/api/admin/certificates/${enc(id)}/revoke`, { reason }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['certificates', 'admin'] }),
  });
}
