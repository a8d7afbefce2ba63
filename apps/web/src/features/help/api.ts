import type {
  TFaq,
  THelpContact,
  THelpPage,
  TTicketCreate,
  TTicketDetail,
  TTicketList,
  TTicketReply,
} from '@cpe/shared/schemas/help';
import type { ZUploadedFile } from '@cpe/shared/schemas/units';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, qs, request } from '../../shared/api/client';

export type { TFaq, THelpContact, THelpPage, TTicketCreate, TTicketDetail, TTicketList, TTicketReply };
export type UploadedFile = z.infer<typeof ZUploadedFile>;

const enc = encodeURIComponent;

/** 咨询方式: hotlines and the published 常见问题 (q searched literally on the server). */
export function useHelp(q?: string, enabled = true) {
  const search = qs({ q: q?.trim() || undefined });
  return useQuery({
    queryKey: ['help', 'page', search],
    queryFn: () => api.get<THelpPage>(`/api/help${search}`),
    staleTime: 5 * 60_000,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useMyTickets(page: number, pageSize = 10) {
  const search = qs({ page, pageSize });
  return useQuery({
    queryKey: ['tickets', 'mine', search],
    queryFn: () => api.get<TTicketList>(`/api/tickets${search}`),
    placeholderData: keepPreviousData,
  });
}

/** Staff replies not opened yet (the side panel's and 我的咨询's badge); polled while the page is open. */
export function useUnreadTickets(enabled: boolean) {
  return useQuery({
    queryKey: ['tickets', 'unread'],
    queryFn: () => api.get<{ count: number }>('/api/tickets/unread-count'),
    enabled,
    refetchInterval: 60_000,
    refetchIntervalInBackground: false,
  });
}

export function useTicket(id: string) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ['tickets', 'detail', id],
    queryFn: async () => {
      const t = await api.get<TTicketDetail>(`/api/tickets/${enc(id)}`);
      // Opening the thread marked its replies read on the server: refresh the badge and the list.
      void queryClient.invalidateQueries({ queryKey: ['tickets', 'unread'] });
      void queryClient.invalidateQueries({ queryKey: ['tickets', 'mine'] });
      return t;
    },
  });
}

function useTicketMutation<V>(fn: (v: V) => Promise<TTicketDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (t) => {
      queryClient.setQueryData(['tickets', 'detail', t.id], t);
      void queryClient.invalidateQueries({ queryKey: ['tickets', 'mine'] });
    },
  });
}

export const useCreateTicket = () =>
  useTicketMutation((input: TTicketCreate) => api.post<TTicketDetail>('/api/tickets', input));
export const useTicketMessage = (id: string) =>
  useTicketMutation((input: TTicketReply) => api.post<TTicketDetail>(`/api/tickets/${enc(id)}/messages`, input));
export const useCloseTicket = (id: string) =>
  useTicketMutation(() => api.post<TTicketDetail>(`/api/tickets/${enc(id)}/close`));

/** A screenshot (JPG/PNG ≤ 5M), stored at once; the ticket names it by id when sent. */
export async function uploadScreenshot(file: File): Promise<UploadedFile> {
  const body = new FormData();
  body.append('file', file);
  const f = await request<UploadedFile>('POST', '/api/tickets/files', body);
  return { ...f, name: f.name ?? file.name };
}

export const ticketFileUrl = (ticketId: string, fileId: string) => `/api/tickets/${enc(ticketId)}/files/${enc(fileId)}`;
