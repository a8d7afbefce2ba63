import type {
  TOidcAuthorizedApp,
  TOidcClient,
  TOidcClientList,
  TOidcClientRequest,
  TOidcClientWithSecret,
  TOidcConsentDetails,
  TOidcSigningKey,
} from '@cpe/shared/schemas/oidc-provider';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api/client';

type Ok = { ok: true };
const enc = encodeURIComponent;

// ---- portal: the consent page and 已授权应用 ----

export type ConsentDetails = TOidcConsentDetails & { continueTo: string | null };

export function useConsentDetails(uid: string) {
  return useQuery({
    queryKey: ['oidc-consent', uid],
    queryFn: () => api.get<ConsentDetails>(`/api/oidc/interactions/${enc(uid)}/consent`),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useDecideConsent(uid: string) {
  return useMutation({
    mutationFn: (decision: 'approve' | 'deny') =>
      api.post<{ redirectTo: string }>(`/api/oidc/interactions/${enc(uid)}/consent`, { decision }),
  });
}

const APPS_KEY = ['authorized-apps'] as const;

export function useAuthorizedApps() {
  return useQuery({
    queryKey: APPS_KEY,
    queryFn: () => api.get<{ items: TOidcAuthorizedApp[] }>('/api/me/authorized-apps'),
  });
}

export function useRevokeApp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (clientId: string) => api.del<Ok>(`/api/me/authorized-apps/${enc(clientId)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: APPS_KEY }),
  });
}

// ---- console: 系统管理 → 接入系统 ----

const CLIENTS_KEY = ['oidc-clients'] as const;
const KEYS_KEY = ['oidc-keys'] as const;

export function useOidcClients() {
  return useQuery({ queryKey: CLIENTS_KEY, queryFn: () => api.get<TOidcClientList>('/api/oidc-clients') });
}

export function useSaveOidcClient() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { id?: string; body: TOidcClientRequest }) =>
      v.id
        ? api.put<TOidcClient>(`/api/oidc-clients/${enc(v.id)}`, v.body)
        : api.post<TOidcClientWithSecret>('/api/oidc-clients', v.body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CLIENTS_KEY }),
  });
}

export function useResetOidcSecret() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<TOidcClientWithSecret>(`/api/oidc-clients/${enc(id)}/secret`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CLIENTS_KEY }),
  });
}

export function useOidcLogo() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; file: File | null }) => {
      if (!v.file) return api.del<TOidcClient>(`/api/oidc-clients/${enc(v.id)}/logo`);
      const form = new FormData();
      form.append('logo', v.file);
      return api.put<TOidcClient>(`/api/oidc-clients/${enc(v.id)}/logo`, form);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CLIENTS_KEY }),
  });
}

export function useDeleteOidcClient() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.del<Ok>(`/api/oidc-clients/${enc(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CLIENTS_KEY }),
  });
}

export function useSigningKeys() {
  return useQuery({ queryKey: KEYS_KEY, queryFn: () => api.get<{ items: TOidcSigningKey[] }>('/api/oidc-keys') });
}

export function useRotateKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ kid: string }>('/api/oidc-keys'),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEYS_KEY }),
  });
}

export function useDeleteKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (kid: string) => api.del<Ok>(`/api/oidc-keys/${enc(kid)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEYS_KEY }),
  });
}
