import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs, request } from '../../shared/api/client';
import type {
  AdminMakeupList,
  AdminMakeupQuery,
  AdminMakeupRequest,
  MakeupEnrollmentList,
  MakeupFile,
  MakeupRequest,
  MakeupRequestList,
  MakeupSubmit,
  UploadedFile,
} from './types';

const enc = encodeURIComponent;

const MINE_KEY = ['makeup', 'mine'] as const;
const ENROLLMENTS_KEY = ['makeup', 'enrollments'] as const;

/** 我的补学申请 (newest first). */
export function useMyMakeupRequests() {
  return useQuery({
    queryKey: MINE_KEY,
    queryFn: () => api.get<MakeupRequestList>('/api/makeup/requests'),
  });
}

/** 已开通补学: the years whose plan the learner was enrolled in for free. */
export function useMakeupEnrollments() {
  return useQuery({
    queryKey: ENROLLMENTS_KEY,
    queryFn: () => api.get<MakeupEnrollmentList>('/api/makeup/enrollments'),
  });
}

export function useSubmitMakeup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: MakeupSubmit) => api.post<MakeupRequest>('/api/makeup/requests', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['makeup'] }),
  });
}

/** 缴费截图 / 承诺书扫描件: JPG, PNG or PDF up to 5M. */
export async function uploadMakeupFile(file: File): Promise<MakeupFile> {
  const body = new FormData();
  body.append('file', file);
  const f = await request<UploadedFile>('POST', '/api/makeup/files', body);
  return { ...f, name: f.name ?? file.name };
}

export const pledgeUrl = (year: number) => `/api/makeup/pledge.docx${qs({ year })}`;
export const myFileUrl = (requestId: string, fileId: string) =>
  `/api/makeup/requests/${enc(requestId)}/files/${enc(fileId)}`;

// ---------------- 补学审核 (console) ----------------

export function adminMakeupSearch(q: AdminMakeupQuery): string {
  return qs({
    status: q.status,
    year: q.year,
    name: q.name,
    overdue: q.overdue ? 'true' : undefined,
    page: q.page,
    pageSize: q.pageSize,
  });
}

export function useAdminMakeupRequests(q: AdminMakeupQuery) {
  const search = adminMakeupSearch(q);
  return useQuery({
    queryKey: ['admin-makeup', 'list', search],
    queryFn: () => api.get<AdminMakeupList>(`/api/admin/makeup/requests${search}`),
    placeholderData: keepPreviousData,
  });
}

export function useAdminMakeupRequest(id: string | null) {
  return useQuery({
    queryKey: ['admin-makeup', 'detail', id],
    queryFn: () => api.get<AdminMakeupRequest>(`/api/admin/makeup/requests/${enc(id ?? '')}`),
    enabled: Boolean(id),
  });
}

export const adminFileUrl = (requestId: string, fileId: string) =>
  `/api/admin/makeup/requests/${enc(requestId)}/files/${enc(fileId)}`;

export function useDecideMakeup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision, reason }: { id: string; decision: 'approve' | 'reject'; reason?: string }) =>
      decision === 'approve'
        ? api.post<unknown>(`/api/admin/makeup/requests/${enc(id)}/approve`)
        : api.post<unknown>(`/api/admin/makeup/requests/${enc(id)}/reject`, { reason }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin-makeup'] }),
  });
}
