import type { TMessage, TMessageList } from '@cpe/shared/schemas/messages';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from '../../shared/api/client';

export type { TMessage, TMessageList };

const enc = encodeURIComponent;

/** 消息中心 list: a page of one's messages, newest first (`unread`: the 未读 tab). */
export function useMessages(page: number, pageSize: number, unread: boolean) {
  const search = qs({ page, pageSize, unread: unread ? 'true' : undefined });
  return useQuery({
    queryKey: ['messages', 'list', search],
    queryFn: () => api.get<TMessageList>(`/api/messages${search}`),
    placeholderData: keepPreviousData,
  });
}

/** The header's unread count: polled every minute while the page is visible, and refreshed when it is focused. */
export function useUnreadMessages(enabled: boolean) {
  return useQuery({
    queryKey: ['messages', 'unread'],
    queryFn: () => api.get<{ count: number }>('/api/messages/unread-count'),
    enabled,
    refetchInterval: 60_000,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
  });
}

function useMessagesMutation<V, R>(fn: (v: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['messages'] }),
  });
}

export const useReadMessage = () =>
  useMessagesMutation((id: string) => api.post<TMessage>(`/api/messages/${enc(id)}/read`));
export const useReadAllMessages = () =>
  useMessagesMutation(() => api.post<{ updated: number }>('/api/messages/read-all'));
