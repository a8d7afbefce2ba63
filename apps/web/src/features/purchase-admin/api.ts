import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../../shared/api/client';
import type { Plan, PlanInput, PlanList, UploadedCover } from './types';

const enc = encodeURIComponent;

export const TRAINING_PLANS_KEY = ['training-plans'] as const;

/** 学习计划管理: every plan, published or not (培训中心运营 and 系统管理员; others get 403 FORBIDDEN). */
export function useTrainingPlans() {
  return useQuery({
    queryKey: TRAINING_PLANS_KEY,
    queryFn: () => api.get<PlanList>('/api/training-plans'),
  });
}

/** 新增 (no id) or 修改 a plan; 发布 / 下架 is a save with `published` flipped. */
export function useSavePlan() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string | null; input: PlanInput }) =>
      id ? api.put<Plan>(`/api/training-plans/${enc(id)}`, input) : api.post<Plan>('/api/training-plans', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TRAINING_PLANS_KEY }),
  });
}

/** JPG/PNG up to 5M; the server re-encodes it and answers with the new file's id. */
export function uploadCover(file: File): Promise<UploadedCover> {
  const body = new FormData();
  body.append('file', file);
  return request<UploadedCover>('POST', '/api/training-plans/covers', body);
}

export function coverUrl(id: string): string {
  return `/api/training-plans/covers/${enc(id)}`;
}
