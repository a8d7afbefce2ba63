import type {
  TAdminTicketDetail,
  TAdminTicketList,
  TFaq,
  TFaqInput,
  THelpContact,
  TTicketStatus,
  TTicketTopic,
} from '@cpe/shared/schemas/help';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from '../../shared/api/client';

const enc = encodeURIComponent;

export interface AdminTicketFilter {
  status?: TTicketStatus;
  topic?: TTicketTopic;
  keyword?: string;
  sort?: 'lastMessageAt:desc' | 'lastMessageAt:asc';
  page: number;
  pageSize: number;
}

export function useAdminTickets(f: AdminTicketFilter) {
  const search = qs({ ...f, keyword: f.keyword?.trim() || undefined });
  return useQuery({
    queryKey: ['admin-tickets', 'list', search],
    queryFn: () => api.get<TAdminTicketList>(`/api/admin/tickets${search}`),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}

export function useAdminTicket(id: string) {
  return useQuery({
    queryKey: ['admin-tickets', 'detail', id],
    queryFn: () => api.get<TAdminTicketDetail>(`/api/admin/tickets/${enc(id)}`),
  });
}

function useTicketAction<V>(fn: (v: V) => Promise<TAdminTicketDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (t) => {
      queryClient.setQueryData(['admin-tickets', 'detail', t.id], t);
      void queryClient.invalidateQueries({ queryKey: ['admin-tickets', 'list'] });
    },
  });
}

export const useReplyTicket = (id: string) =>
  useTicketAction((body: string) => api.post<TAdminTicketDetail>(`/api/admin/tickets/${enc(id)}/replies`, { body }));
export const useAdminCloseTicket = (id: string) =>
  useTicketAction(() => api.post<TAdminTicketDetail>(`/api/admin/tickets/${enc(id)}/close`));

export const adminTicketFileUrl = (ticketId: string, fileId: string) =>
  `/api/admin/tickets/${enc(ticketId)}/files/${enc(fileId)}`;

// ---------------- 常见问题 ----------------

const FAQ_KEY = ['admin-faqs'] as const;

export function useAdminFaqs() {
  return useQuery({ queryKey: FAQ_KEY, queryFn: () => api.get<{ items: TFaq[] }>('/api/admin/faqs') });
}

function useFaqMutation<V, R>(fn: (v: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => queryClient.invalidateQueries({ queryKey: FAQ_KEY }) });
}

export const useSaveFaq = () =>
  useFaqMutation(({ id, input }: { id?: string; input: TFaqInput }) =>
    id ? api.put<TFaq>(`/api/admin/faqs/${enc(id)}`, input) : api.post<TFaq>('/api/admin/faqs', input),
  );
export const usePublishFaq = () =>
  useFaqMutation(({ id, published }: { id: string; published: boolean }) =>
    api.post<TFaq>(`/api/admin/faqs/${enc(id)}/publish`, { published }),
  );
export const useMoveFaq = () =>
  useFaqMutation(({ id, direction }: { id: string; direction: 'up' | 'down' }) =>
    api.post<{ items: TFaq[] }>(`/api/admin/faqs/${enc(id)}/move`, { direction }),
  );
export const useDeleteFaq = () => useFaqMutation((id: string) => api.del<void>(`/api/admin/faqs/${enc(id)}`));

// ---------------- 咨询热线 ----------------

export function useHotlines() {
  return useQuery({ queryKey: ['admin-hotlines'], queryFn: () => api.get<THelpContact>('/api/admin/help/hotlines') });
}

export function useSaveHotlines() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: THelpContact) => api.put<THelpContact>('/api/admin/help/hotlines', v),
    onSuccess: (v) => queryClient.setQueryData(['admin-hotlines'], v),
  });
}
