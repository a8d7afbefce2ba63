import type {
  TChapter,
  TChapterInput,
  TCourseDetail,
  TCourseInput,
  TCourseQuery,
  TCourseSummary,
} from '@cpe/shared/schemas/courses';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs, request } from '../../shared/api/client';

const enc = encodeURIComponent;
export const COURSES_KEY = ['admin-courses'] as const;

export type CourseSummary = TCourseSummary;
export type CourseDetail = TCourseDetail;
export type Chapter = TChapter;
export type CourseQuery = Partial<TCourseQuery>;
export interface CourseList {
  items: CourseSummary[];
  total: number;
}
export interface UploadedFile {
  id: string;
  mime: string;
  size: number;
  name: string | null;
}

/** 课程管理: the catalogue (培训中心运营 and 系统管理员; others get 403 FORBIDDEN). */
export function useCourses(q: CourseQuery, enabled = true) {
  const search = qs({ q: q.q, page: q.page, pageSize: q.pageSize, sort: q.sort, order: q.order });
  return useQuery({
    queryKey: [...COURSES_KEY, 'list', search],
    queryFn: () => api.get<CourseList>(`/api/admin/courses${search}`),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCourse(id: string | null) {
  return useQuery({
    queryKey: [...COURSES_KEY, 'detail', id],
    queryFn: () => api.get<CourseDetail>(`/api/admin/courses/${enc(id as string)}`),
    enabled: !!id,
  });
}

/** Every change refreshes the list and the open course (chapter counts, durations, plan use). */
function useCourseMutation<V, R>(fn: (v: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: COURSES_KEY }),
  });
}

export const useSaveCourse = () =>
  useCourseMutation(({ id, input }: { id: string | null; input: TCourseInput }) =>
    id
      ? api.put<CourseDetail>(`/api/admin/courses/${enc(id)}`, input)
      : api.post<CourseDetail>('/api/admin/courses', input),
  );
export const useDeleteCourse = () => useCourseMutation((id: string) => api.del(`/api/admin/courses/${enc(id)}`));
export const useSaveChapter = () =>
  useCourseMutation(({ courseId, id, input }: { courseId: string; id: string | null; input: TChapterInput }) =>
    id
      ? api.put<Chapter>(`/api/admin/courses/${enc(courseId)}/chapters/${enc(id)}`, input)
      : api.post<Chapter>(`/api/admin/courses/${enc(courseId)}/chapters`, input),
  );
export const useDeleteChapter = () =>
  useCourseMutation(({ courseId, id }: { courseId: string; id: string }) =>
    api.del(`/api/admin/courses/${enc(courseId)}/chapters/${enc(id)}`),
  );
export const useReorderChapters = () =>
  useCourseMutation(({ courseId, chapterIds }: { courseId: string; chapterIds: string[] }) =>
    api.put<CourseDetail>(`/api/admin/courses/${enc(courseId)}/chapter-order`, { chapterIds }),
  );

export function uploadCourseCover(file: File): Promise<UploadedFile> {
  const body = new FormData();
  body.append('file', file);
  return request<UploadedFile>('POST', '/api/admin/courses/covers', body);
}
export const courseCoverUrl = (id: string) => `/api/admin/courses/covers/${enc(id)}`;
/** 预览: the staff-only media route (byte ranges, so the player can seek). */
export const chapterVideoUrl = (chapterId: string, fileId: string) =>
  `/api/admin/chapters/${enc(chapterId)}/video?v=${enc(fileId)}`;

function readCookie(name: string): string | undefined {
  return document.cookie
    .split('; ')
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);
}

export interface VideoUploadError {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
}

/**
 * 上传视频 with progress: XHR because fetch reports no upload progress. Resolves with the updated chapter;
 * rejects with the server's error body. `abort` cancels the upload.
 */
export function uploadChapterVideo(
  courseId: string,
  chapterId: string,
  file: File,
  onProgress: (percent: number) => void,
): { done: Promise<{ chapter: Chapter; probedSeconds: number | null }>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<{ chapter: Chapter; probedSeconds: number | null }>((resolve, reject) => {
    xhr.open('POST', `/api/admin/courses/${enc(courseId)}/chapters/${enc(chapterId)}/video`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('x-csrf-token', readCookie('cpe_staff_csrf') ?? '');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.min(99, Math.floor((e.loaded / e.total) * 100)));
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(100);
        resolve(body as { chapter: Chapter; probedSeconds: number | null });
      } else {
        const b = (body ?? {}) as Partial<VideoUploadError>;
        reject({
          status: xhr.status,
          code: b.code ?? `HTTP_${xhr.status}`,
          message: b.message ?? `上传失败（${xhr.status}），请稍后再试`,
          fields: b.fields,
        } satisfies VideoUploadError);
      }
    };
    xhr.onerror = () => reject({ status: 0, code: 'NETWORK_ERROR', message: '网络连接异常，上传失败，请重试' });
    xhr.onabort = () => reject({ status: 0, code: 'ABORTED', message: '已取消上传' });
    const body = new FormData();
    body.append('file', file);
    xhr.send(body);
  });
  return { done, abort: () => xhr.abort() };
}
