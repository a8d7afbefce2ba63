import type {
  TApplicationReview,
  TApplicationReviewQuery,
  TBatch,
  TBatchInput,
  TReviewRound,
  ZApplicationReviewList,
  ZApplicationStats,
  ZBatchList,
  ZFieldChange,
} from '@cpe/shared/schemas/applications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from '../../../shared/api/client';

/** The response types are the shared zod schemas' outputs: one source with the server. */
type Out<S extends { parse(value: unknown): unknown }> = ReturnType<S['parse']>;

type ReviewList = Out<typeof ZApplicationReviewList>;
export type ReviewListItem = ReviewList['items'][number];
export type ReviewQuery = Partial<TApplicationReviewQuery>;
export type ReviewStatus = NonNullable<TApplicationReviewQuery['status']>;
export type ReviewStage = NonNullable<TApplicationReviewQuery['stage']>;
export type ReviewSort = TApplicationReviewQuery['sort'];
export type ApplicationReview = TApplicationReview;
export type ReviewRound = TReviewRound;
export type FieldChange = Out<typeof ZFieldChange>;
export type Batch = TBatch;
type BatchInput = TBatchInput;
type Stats = Out<typeof ZApplicationStats>;
export type StatRow = Stats['total'];
export type Comments = Record<string, string>;
type Ok = { ok: true };

/** The type of 申报批次 (the one batched type); every list, export and statistic names its type. */
export const REVIEW_TYPE = 'advanced-seminar';

const REVIEWS_KEY = ['application-reviews'] as const;
const BATCHES_KEY = ['application-batches'] as const;
const enc = encodeURIComponent;

/** The list's query string, shared by the list and 导出 (which ignores page and pageSize). */
function reviewQueryString(type: string, q: ReviewQuery, withPage = true): string {
  return qs({
    type,
    year: q.year,
    status: q.status,
    stage: q.stage,
    filerName: q.filerName,
    area: q.area,
    submittedFrom: q.submittedFrom,
    submittedTo: q.submittedTo,
    keyword: q.keyword,
    sort: q.sort && q.sort !== '-submittedAt' ? q.sort : undefined,
    page: withPage ? q.page : undefined,
    pageSize: withPage ? q.pageSize : undefined,
  });
}

export function useApplicationReviews(type: string, q: ReviewQuery) {
  const search = reviewQueryString(type, q);
  return useQuery({
    queryKey: [...REVIEWS_KEY, 'list', search],
    queryFn: () => api.get<ReviewList>(`/api/application-reviews${search}`),
    placeholderData: keepPreviousData,
  });
}

export function reviewExportUrl(type: string, q: ReviewQuery): string {
  return `/api/application-reviews/export${reviewQueryString(type, q, false)}`;
}

export function useApplicationReview(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...REVIEWS_KEY, 'detail', id],
    queryFn: () => api.get<ApplicationReview>(`/api/application-reviews/${enc(id)}`),
    enabled,
    // The page keeps the 修改意见 being typed: fetched fresh on each visit (the drafts saved on leaving the
    // last one included), never refreshed underneath.
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });
}

export function reviewFileUrl(id: string, fileId: string): string {
  return `/api/application-reviews/${enc(id)}/files/${enc(fileId)}`;
}

export function reviewPdfUrl(id: string): string {
  return `/api/application-reviews/${enc(id)}/pdf`;
}

export function saveDraftComments(id: string, comments: Comments): Promise<Ok> {
  return api.put<Ok>(`/api/application-reviews/${enc(id)}/comments`, { comments });
}

export type Decision =
  | { action: 'return'; comments: Comments; deadline: string; contactName: string; contactPhone: string }
  | { action: 'approve'; opinion: string }
  | { action: 'reject'; reason: string };

export function useDecideReview(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, ...body }: Decision) =>
      api.post<unknown>(`/api/application-reviews/${enc(id)}/${action}`, body),
    // The list, its counts, the statistics and this record all change.
    onSettled: () => queryClient.invalidateQueries({ queryKey: REVIEWS_KEY }),
  });
}

export function useStats(q: { type: string; year: number; status?: 'approved' }) {
  const search = qs({ type: q.type, year: q.year, status: q.status });
  return useQuery({
    queryKey: [...REVIEWS_KEY, 'stats', search],
    queryFn: () => api.get<Stats>(`/api/application-reviews/stats${search}`),
    placeholderData: keepPreviousData,
  });
}

/** 申报批次 (市人社局 only: `enabled` is false where the reader cannot have them, e.g. 单位中心). */
export function useBatches(enabled = true) {
  return useQuery({
    queryKey: BATCHES_KEY,
    queryFn: () => api.get<Out<typeof ZBatchList>>(`/api/application-batches${qs({ type: REVIEW_TYPE })}`),
    staleTime: 60_000,
    enabled,
  });
}

export function useSaveBatch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...v }: BatchInput & { id?: string }) =>
      id ? api.put<Batch>(`/api/application-batches/${enc(id)}`, v) : api.post<Batch>('/api/application-batches', v),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: BATCHES_KEY }),
  });
}
