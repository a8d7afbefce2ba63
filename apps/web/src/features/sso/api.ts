// Module paths, not the package index: the index also carries area data and other domains.
import type {
  TAccountLogin,
  TCaChallenge,
  TCaLoginRequest,
  TCaLoginResponse,
  TDemoCaCertificates,
  TLoginProviderPublic,
  TSsoPending,
} from '@cpe/shared/schemas/sso';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isUnauthenticated } from '../../shared/api/client';

export const LOGIN_PROVIDERS_KEY = ['login-providers'] as const;
const PENDING_KEY = ['sso-pending'] as const;
const LINKS_KEY = ['me-logins'] as const;

/** 其它方式登录: the providers staff enabled (none: the row is not shown). */
export function useLoginProviders() {
  return useQuery({
    queryKey: LOGIN_PROVIDERS_KEY,
    queryFn: () => api.get<{ items: TLoginProviderPublic[] }>('/api/login-providers'),
    staleTime: 5 * 60_000,
  });
}

/** Where an icon sends the browser: the server redirects it to the provider, and back. */
export const ssoStartUrl = (providerId: string, redirect: string) =>
  `/api/sso/${encodeURIComponent(providerId)}/start?redirect=${encodeURIComponent(redirect)}`;

/** The pending link or registration of this browser (its HttpOnly cookie); an error when there is none. */
export function useSsoPending(enabled = true) {
  return useQuery({
    queryKey: PENDING_KEY,
    queryFn: () => api.get<TSsoPending>('/api/sso/pending'),
    enabled,
    retry: false,
    staleTime: 0,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
}

export function useCancelSso() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.del<{ ok: true }>('/api/sso/pending'),
    onSettled: () => queryClient.removeQueries({ queryKey: PENDING_KEY }),
  });
}

/** 个人中心 → 第三方账号. */
export function useLinkedLogins() {
  return useQuery({
    queryKey: LINKS_KEY,
    queryFn: () => api.get<{ items: TAccountLogin[] }>('/api/me/logins'),
    retry: (n, err) => !isUnauthenticated(err) && n < 2,
  });
}

export function useUnlinkLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (providerId: string) => api.del<{ ok: true }>(`/api/me/logins/${encodeURIComponent(providerId)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: LINKS_KEY }),
  });
}

// ---- CA 证书登录 ----

/** 读取证书并签名: the one-time text the USB key signs (5 minutes, one attempt). */
export function useCaChallenge() {
  return useMutation({
    mutationFn: (providerId: string) => api.post<TCaChallenge>(`/api/ca/${encodeURIComponent(providerId)}/challenge`),
  });
}

/** The signing program's answer, checked by the server: signed in, or on to 绑定账号 / 注册. */
export function useCaLogin() {
  return useMutation({
    mutationFn: ({ providerId, body }: { providerId: string; body: TCaLoginRequest }) =>
      api.post<TCaLoginResponse>(`/api/ca/${encodeURIComponent(providerId)}/login`, body),
  });
}

/** Demo mode's 演示证书 with their keys (the demo signing page's stand-in for a USB key); 404 outside demo mode. */
export function useDemoCaCertificates() {
  return useQuery({
    queryKey: ['demo-ca-certificates'],
    queryFn: () => api.get<TDemoCaCertificates>('/api/dev/ca/certificates'),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
}
