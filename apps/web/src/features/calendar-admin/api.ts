import type { TCalendarDay, TCalendarDayInput, TCalendarDayList } from '@cpe/shared/schemas/calendar';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api/client';

const KEY = ['calendar-days'] as const;

/** 工作日历 of one year: the 休 and 班 days, and whether this staff member may change them. */
export function useCalendarDays(year: number) {
  return useQuery({
    queryKey: [...KEY, year],
    queryFn: () => api.get<TCalendarDayList>(`/api/calendar-days?year=${year}`),
    placeholderData: keepPreviousData,
  });
}

function useCalendarMutation<V, R>(fn: (v: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }) });
}

export const useSaveCalendarDay = () =>
  useCalendarMutation(({ day, input }: { day: string; input: TCalendarDayInput }) =>
    api.put<TCalendarDay>(`/api/calendar-days/${encodeURIComponent(day)}`, input),
  );

export const useDeleteCalendarDay = () =>
  useCalendarMutation((day: string) => api.del<{ ok: true }>(`/api/calendar-days/${encodeURIComponent(day)}`));
