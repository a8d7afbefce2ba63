import type {
  TNoticeAdmin,
  TNoticeAdminList,
  TNoticeInput,
  TNoticePublic,
  TNoticePublicList,
  TNoticeStatus,
} from '@cpe/shared/schemas/notices';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs, request } from '../../shared/api/client';

const enc = encodeURIComponent;

// ---------------- portal ----------------

export function useNotices(page: number, pageSize: number) {
  return useQuery({
    queryKey: ['notices', 'list', page, pageSize],
    queryFn: () => api.get<TNoticePublicList>(`/api/notices${qs({ page, pageSize })}`),
    placeholderData: keepPreviousData,
  });
}

export function useNotice(id: string) {
  return useQuery({
    queryKey: ['notices', 'detail', id],
    queryFn: () => api.get<TNoticePublic>(`/api/notices/${enc(id)}`),
    retry: false,
  });
}

export const noticeAttachmentUrl = (id: string, fileId: string) => `/api/notices/${enc(id)}/attachments/${enc(fileId)}`;

// ---------------- console ----------------

const ADMIN_KEY = ['admin-notices'] as const;

export interface AdminNoticeQuery {
  page: number;
  pageSize: number;
  q?: string;
  status?: TNoticeStatus;
  order: 'asc' | 'desc';
}

export function useAdminNotices(q: AdminNoticeQuery) {
  const search = qs({ ...q, q: q.q?.trim() || undefined });
  return useQuery({
    queryKey: [...ADMIN_KEY, search],
    queryFn: () => api.get<TNoticeAdminList>(`/api/admin/notices${search}`),
    placeholderData: keepPreviousData,
  });
}

function useNoticeMutation<V, R>(fn: (v: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => queryClient.invalidateQueries({ queryKey: ADMIN_KEY }) });
}

export const useSaveNotice = () =>
  useNoticeMutation(({ id, input }: { id?: string; input: TNoticeInput }) =>
    id
      ? api.put<TNoticeAdmin>(`/api/admin/notices/${enc(id)}`, input)
      : api.post<TNoticeAdmin>('/api/admin/notices', input),
  );
export const usePublishNotice = () =>
  useNoticeMutation((id: string) => api.post<TNoticeAdmin>(`/api/admin/notices/${enc(id)}/publish`));
export const useWithdrawNotice = () =>
  useNoticeMutation((id: string) => api.post<TNoticeAdmin>(`/api/admin/notices/${enc(id)}/withdraw`));
export const useDeleteNotice = () => useNoticeMutation((id: string) => api.del<void>(`/api/admin/notices/${enc(id)}`));

export interface NoticeUpload {
  id: string;
  mime: string;
  size: number;
  name: string;
}

/** Stores a picture for the body or an attachment at once; the notice names it by id when saved. */
export async function uploadNoticeFile(kind: 'image' | 'attachment', file: File): Promise<NoticeUpload> {
  const body = new FormData();
  body.append('file', file);
  const f = await request<Omit<NoticeUpload, 'name'> & { name: string | null }>(
    'POST',
    `/api/admin/notices/files${qs({ kind })}`,
    body,
  );
  return { ...f, name: f.name ?? file.name };
}

export const adminNoticeImageUrl = (fileId: string) => `/api/admin/notices/images/${enc(fileId)}`;
export const adminNoticeAttachmentUrl = (fileId: string) => `/api/admin/notices/attachments/${enc(fileId)}`;
