import type {
  TStudyAnswerResult,
  TStudyCourseDetail,
  TStudyCourseList,
  TStudyHeartbeat,
  TStudyHeartbeatResult,
  TStudyPlan,
  TStudySession,
} from '@cpe/shared/schemas/study';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, ensureCsrf, qs } from '../../shared/api/client';

const enc = encodeURIComponent;

export const STUDY_KEY = ['study'] as const;

/** 课程培训: my enrolled plans with 学分要求 and 计划完成度. */
export function useStudyPlans() {
  return useQuery({
    queryKey: [...STUDY_KEY, 'plans'],
    queryFn: () => api.get<{ items: TStudyPlan[] }>('/api/study/plans'),
  });
}

export function useStudyCourses(planId: string, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...STUDY_KEY, 'courses', planId, page, pageSize],
    queryFn: () => api.get<TStudyCourseList>(`/api/study/plans/${enc(planId)}/courses${qs({ page, pageSize })}`),
    placeholderData: keepPreviousData,
  });
}

export function useStudyCourse(planId: string, courseId: string) {
  return useQuery({
    queryKey: [...STUDY_KEY, 'course', planId, courseId],
    queryFn: () => api.get<TStudyCourseDetail>(`/api/study/plans/${enc(planId)}/courses/${enc(courseId)}`),
  });
}

export const studyApi = {
  start: (planId: string, chapterId: string) => api.post<TStudySession>('/api/study/sessions', { planId, chapterId }),
  heartbeat: (sessionId: string, beat: TStudyHeartbeat) =>
    api.post<TStudyHeartbeatResult>(`/api/study/sessions/${enc(sessionId)}/heartbeat`, beat),
  answer: (checkId: string, answer: number) =>
    api.post<TStudyAnswerResult>(`/api/study/checks/${enc(checkId)}/answer`, { answer }),
  /**
   * Ends the session as the page goes away: a keepalive fetch (unlike sendBeacon) can carry the CSRF header,
   * and the browser completes it after the page is gone.
   */
  closeOnUnload(sessionId: string) {
    const token = document.cookie
      .split(';')
      .map((c) => c.trim())
      .find((c) => c.startsWith('cpe_csrf='))
      ?.slice('cpe_csrf='.length);
    void ensureCsrf();
    try {
      void fetch(`/api/study/sessions/${enc(sessionId)}/close`, {
        method: 'POST',
        keepalive: true,
        credentials: 'same-origin',
        headers: { 'x-csrf-token': decodeURIComponent(token ?? '') },
      }).catch(() => {});
    } catch {
      // The page is going away; the server ends the session when another one starts.
    }
  },
};
