import type { TAttachment } from '@cpe/shared/applications/index';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs, request } from '../../shared/api/client';
import type {
  ApplicationCandidates,
  ApplicationDetail,
  ApplicationList,
  ApplicationTypeInfo,
  SectionValues,
} from './types';

const enc = encodeURIComponent;

export const APPLICATIONS_KEY = ['applications'] as const;
const TYPES_KEY = [...APPLICATIONS_KEY, 'types'] as const;
const listKey = (type: string, page: number, pageSize: number) =>
  [...APPLICATIONS_KEY, 'list', type, page, pageSize] as const;
export const applicationKey = (id: string) => [...APPLICATIONS_KEY, 'detail', id] as const;
const candidatesKey = (type: string) => [...APPLICATIONS_KEY, 'candidates', type] as const;

/** 申报类型 with the batch of the year: whether 新增申报 is open. */
export function useApplicationTypes() {
  return useQuery({
    queryKey: TYPES_KEY,
    queryFn: () => api.get<{ items: ApplicationTypeInfo[] }>('/api/application-types'),
    staleTime: 60_000,
  });
}

export function useApplications(type: string, page: number, pageSize: number) {
  return useQuery({
    queryKey: listKey(type, page, pageSize),
    queryFn: () => api.get<ApplicationList>(`/api/applications${qs({ type, page, pageSize })}`),
    placeholderData: keepPreviousData,
  });
}

/**
 * 开班方案上报 / 计划变化情况上报 / 结业上报: the filer's approved projects this type follows, what is filed
 * under each, and whether a new filing may start now.
 */
export function useApplicationCandidates(type: string, enabled: boolean) {
  return useQuery({
    queryKey: candidatesKey(type),
    queryFn: () => api.get<ApplicationCandidates>(`/api/application-candidates${qs({ type })}`),
    enabled,
  });
}

export function useApplication(id: string | undefined) {
  return useQuery({
    queryKey: applicationKey(id ?? ''),
    queryFn: () => api.get<ApplicationDetail>(`/api/applications/${enc(id ?? '')}`),
    enabled: Boolean(id),
  });
}

/** Every change answers with the detail: it replaces the cached one, and the lists are read again. */
function useDetailMutation<V>(fn: (v: V) => Promise<ApplicationDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (detail) => {
      queryClient.setQueryData(applicationKey(detail.id), detail);
      void queryClient.invalidateQueries({ queryKey: [...APPLICATIONS_KEY, 'list'] });
      void queryClient.invalidateQueries({ queryKey: [...APPLICATIONS_KEY, 'candidates'] });
    },
  });
}

/** 新增申报: a type's draft; a type that follows an approved one names it (`parentId`). */
export const useCreateApplication = () =>
  useDetailMutation((v: string | { type: string; parentId?: string }) =>
    api.post<ApplicationDetail>('/api/applications', typeof v === 'string' ? { type: v } : v),
  );

export const useSaveSection = () =>
  useDetailMutation((v: { id: string; sectionId: string; values: SectionValues }) =>
    api.put<ApplicationDetail>(`/api/applications/${enc(v.id)}/sections/${enc(v.sectionId)}`, v.values),
  );

export const useSubmitApplication = () =>
  useDetailMutation((id: string) => api.post<ApplicationDetail>(`/api/applications/${enc(id)}/submit`));

export const useWithdrawApplication = () =>
  useDetailMutation((id: string) => api.post<ApplicationDetail>(`/api/applications/${enc(id)}/withdraw`));

export function useDeleteApplication() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.del<{ ok: true }>(`/api/applications/${enc(id)}`),
    onSuccess: (_ok, id) => {
      queryClient.removeQueries({ queryKey: applicationKey(id) });
      void queryClient.invalidateQueries({ queryKey: [...APPLICATIONS_KEY, 'list'] });
      void queryClient.invalidateQueries({ queryKey: [...APPLICATIONS_KEY, 'candidates'] });
    },
  });
}

/** 其他附件: stored at once, referenced by the section once it is saved. */
export function uploadAttachment(id: string, file: File): Promise<TAttachment> {
  const body = new FormData();
  body.append('file', file);
  return request<TAttachment>('POST', `/api/applications/${enc(id)}/attachments`, body);
}

export const applicationPdfUrl = (id: string) => `/api/applications/${enc(id)}/pdf`;
export const attachmentUrl = (id: string, fileId: string) => `/api/applications/${enc(id)}/files/${enc(fileId)}`;
/** The same file as 市人社局 reads it (staff console review pages). */
export const reviewAttachmentUrl = (id: string, fileId: string) =>
  `/api/application-reviews/${enc(id)}/files/${enc(fileId)}`;
