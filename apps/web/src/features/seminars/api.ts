import type { TCreditList } from '@cpe/shared/schemas/credits';
import type {
  TSeminarCertificateList,
  TTraineeLineError,
  TTraineeList,
  TTraineesSaved,
} from '@cpe/shared/schemas/seminars';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, csrfToken, NETWORK_ERROR_MESSAGE, qs } from '../../shared/api/client';

const enc = encodeURIComponent;
const traineesUrl = (applicationId: string) => `/api/applications/${enc(applicationId)}/trainees`;
export const traineesTemplateUrl = (applicationId: string) => `${traineesUrl(applicationId)}/template`;

/** What 校验并保存 sends: the paste box's text, or the chosen .xlsx. */
export type TraineesInput = { text: string } | { file: File };

const bodyOf = (input: TraineesInput) => {
  if ('text' in input) return { text: input.text };
  const form = new FormData();
  form.append('file', input.file);
  return form;
};

/** The bad lines of a refused 学员名单 (400 TRAINEES_INVALID), or null for any other error. */
export function invalidLines(err: unknown): TTraineeLineError[] | null {
  if (!(err instanceof ApiError) || err.code !== 'TRAINEES_INVALID') return null;
  return Array.isArray(err.body.lines) ? (err.body.lines as TTraineeLineError[]) : [];
}

/** A paged list: the filer's own (fetchUrl = /api/applications/:id/trainees) or a reviewer's. */
export function useTrainees(fetchUrl: string, q: { page: number; pageSize: number; keyword?: string }) {
  return useQuery({
    queryKey: ['trainees', fetchUrl, q],
    queryFn: () => api.get<TTraineeList>(`${fetchUrl}${qs(q)}`),
    placeholderData: keepPreviousData,
  });
}

/** 校验并保存 / 上传Excel: the list is replaced when every line passes. */
export function useSaveTrainees(applicationId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: TraineesInput) => api.put<TTraineesSaved>(traineesUrl(applicationId), bodyOf(input)),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['trainees', traineesUrl(applicationId)] });
      qc.invalidateQueries({ queryKey: ['applications'] });
    },
  });
}

/** 清空 */
export function useClearTrainees(applicationId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.del<TTraineesSaved>(traineesUrl(applicationId)),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['trainees', traineesUrl(applicationId)] });
      qc.invalidateQueries({ queryKey: ['applications'] });
    },
  });
}

/** 下载错误文件: the server checks the same input again and answers with the bad lines as an .xlsx. */
export async function downloadTraineeErrors(applicationId: string, input: TraineesInput): Promise<void> {
  const body = bodyOf(input);
  const headers: Record<string, string> = { 'x-csrf-token': await csrfToken() };
  if (!(body instanceof FormData)) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${traineesUrl(applicationId)}/errors`, {
      method: 'POST',
      headers,
      body: body instanceof FormData ? body : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, { code: 'NETWORK_ERROR', message: NETWORK_ERROR_MESSAGE });
  }
  if (!res.ok) {
    const b = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
    throw new ApiError(res.status, {
      code: b.code ?? `HTTP_${res.status}`,
      message: b.message ?? `下载失败（${res.status}），请稍后再试`,
    });
  }
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = '学员名单错误文件.xlsx';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

// ---- 我的证书: 高研班结业证书 and 学时记录 ----

export function useMySeminarCertificates() {
  return useQuery({
    queryKey: ['seminar-certificates', 'mine'],
    queryFn: () => api.get<TSeminarCertificateList>('/api/my/seminar-certificates'),
  });
}

export const seminarCertificatePdfUrl = (id: string) => `/api/my/seminar-certificates/${enc(id)}/pdf`;

export function useMyCredits() {
  return useQuery({ queryKey: ['credits', 'mine'], queryFn: () => api.get<TCreditList>('/api/my/credits') });
}
