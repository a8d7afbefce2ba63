import type { TMyWorkUnit, TUnitMemberList, TWorkUnitOption } from '@cpe/shared/schemas/unit-members';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from '../../shared/api/client';

const enc = encodeURIComponent;

// ---- 个人中心 → 工作单位 ----

export const MY_WORK_UNIT_KEY = ['my-work-unit'] as const;

/** The person's current unit, the request waiting, and the links before. */
export function useMyWorkUnit() {
  return useQuery({
    queryKey: MY_WORK_UNIT_KEY,
    queryFn: () => api.get<TMyWorkUnit>('/api/me/work-unit'),
  });
}

/** Approved units by name or 统一社会信用代码 (at least 2 characters; the server returns at most 20). */
export function useWorkUnitSearch(keyword: string) {
  const k = keyword.trim();
  return useQuery({
    queryKey: ['work-unit-search', k],
    queryFn: () => api.get<{ items: TWorkUnitOption[] }>(`/api/work-units${qs({ keyword: k })}`),
    enabled: k.length >= 2,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}

/** 申请加入 / 撤回申请 / 退出单位: each answers with the person's links as they now are. */
export function useWorkUnitAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (
      a: { action: 'request'; unitId: string } | { action: 'cancel' } | { action: 'leave' },
    ): Promise<TMyWorkUnit> =>
      a.action === 'request'
        ? api.post<TMyWorkUnit>('/api/me/work-unit/requests', { unitId: a.unitId })
        : api.post<TMyWorkUnit>(`/api/me/work-unit/${a.action}`),
    onSuccess: (mine) => queryClient.setQueryData(MY_WORK_UNIT_KEY, mine),
  });
}

// ---- 单位中心 → 单位人员 ----

export type UnitMemberTab = 'pending' | 'confirmed' | 'left';
export const UNIT_MEMBERS_KEY = ['unit-members'] as const;

export function useUnitMembers(q: { status: UnitMemberTab; keyword?: string; page: number; pageSize: number }) {
  return useQuery({
    queryKey: [...UNIT_MEMBERS_KEY, q],
    queryFn: () => api.get<TUnitMemberList>(`/api/unit-center/members${qs(q)}`),
    placeholderData: keepPreviousData,
  });
}

/** 确认 (no reason), 拒绝 and 移出 (a reason each); every tab and count is fetched again afterwards. */
export function useDecideMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, reason }: { id: string; action: 'confirm' | 'decline' | 'remove'; reason?: string }) =>
      api.post<{ ok: true }>(
        `/api/unit-center/members/${enc(id)}/${action}`,
        action === 'confirm' ? undefined : { reason },
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: UNIT_MEMBERS_KEY }),
  });
}
