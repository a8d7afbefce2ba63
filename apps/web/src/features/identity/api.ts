import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useNavigate } from 'react-router';
import { api, isUnauthenticated, toApiError } from '../../shared/api/client';
import type { Me, Site } from './types';

export const ME_KEY = ['me'] as const;

/**
 * The branding the server wrote into index.html (http/web-index.ts, the same answer as /api/site), read once; undefined
 * on a page without it (the dev server's index.html), which then asks /api/site.
 */
let embeddedSite: Site | undefined | null = null;
function readEmbeddedSite(): Site | undefined {
  if (embeddedSite === null) {
    try {
      const text = globalThis.document?.getElementById('cpe-site')?.textContent;
      embeddedSite = text ? (JSON.parse(text) as Site) : undefined;
    } catch {
      embeddedSite = undefined;
    }
  }
  return embeddedSite;
}

/**
 * Branding (names, hotline, demo mode): configuration, known from the first render, so the header, footer and demo
 * banner are drawn with the page rather than shifting it when a request answers.
 */
export function useSite() {
  return useQuery({
    queryKey: ['site'],
    queryFn: () => api.get<Site>('/api/site'),
    initialData: readEmbeddedSite,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The logged-in person, or null when nobody is (a 401 is an answer here, not an error). */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await api.get<Me>('/api/me');
  } catch (err) {
    if (isUnauthenticated(err)) return null;
    throw err;
  }
}

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 60_000 });
}

/**
 * 退出登录 → /login on either app; an already-ended session counts as logged out. The console also drops
 * every cached query (`clearAll`): staff data must not outlive the session on a shared office machine.
 */
export function useSessionLogout(meKey: readonly string[], clearAll: boolean) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  return useMutation({
    mutationFn: async () => {
      try {
        await api.del('/api/sessions/current');
      } catch (err) {
        if (!isUnauthenticated(err)) throw err;
      }
    },
    onSuccess: () => {
      // Leave the page first, so a login-only page does not bounce to /login?redirect=… on the way out.
      navigate('/login', { replace: true });
      if (clearAll) queryClient.clear();
      queryClient.setQueryData(meKey, null);
      message.success('已退出登录');
    },
    onError: (err) => message.error(toApiError(err).message),
  });
}

export function useLogout() {
  return useSessionLogout(ME_KEY, false);
}
