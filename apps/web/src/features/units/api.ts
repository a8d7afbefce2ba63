import type { TUnitCenterPending } from '@cpe/shared/schemas/unit-center';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs, request } from '../../shared/api/client';

import type {
  AuditLogList,
  MyUnitRegistration,
  Ok,
  OrgNode,
  ReviewerNode,
  ReviewList,
  ReviewQuery,
  StaffAccount,
  StaffList,
  UnitApplication,
  UnitCenter,
  UnitData,
  UnitDraft,
  UnitLookup,
  UploadedFile,
} from './types';

const enc = encodeURIComponent;

export const UNIT_REGISTRATION_KEY = ['unit-registration'] as const;
export const UNIT_CENTER_KEY = ['unit-center'] as const;
export const UNIT_REVIEWS_KEY = ['unit-reviews'] as const;

// ---- 注册管理员 (portal) ----

/** 申报地区(部门): the 38 区县人社局 and the 市级主管部门; configuration, fetched once. */
/** 单位类型: the managed list (active ones on the portal, all of them in the console). */
export function useUnitTypes() {
  return useQuery({
    queryKey: ['unit-types'],
    queryFn: () =>
      api.get<{ items: Array<{ id: number; name: string; sort: number; active: boolean }> }>('/api/unit-types'),
    staleTime: 10 * 60_000,
  });
}

export function useSaveUnitType() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...v }: { id?: number; name: string; sort: number; active: boolean }) =>
      id ? api.put<unknown>(`/api/unit-types/${id}`, v) : api.post<unknown>('/api/unit-types', v),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['unit-types'] }),
  });
}

export function useUnitTypeOptions() {
  const types = useUnitTypes();
  return {
    unitTypes: types,
    unitTypeOptions: (types.data?.items ?? []).map((t) => ({ value: t.name, label: t.name })),
  };
}

export function useReviewers() {
  return useQuery({
    queryKey: ['org-reviewers'],
    queryFn: () => api.get<{ items: ReviewerNode[] }>('/api/org/reviewers'),
    staleTime: 10 * 60_000,
  });
}

/** The person's latest application (draft, pending, rejected or approved) with its history, or null. */
export function useMyRegistration() {
  return useQuery({
    queryKey: UNIT_REGISTRATION_KEY,
    queryFn: () => api.get<MyUnitRegistration>('/api/unit-registration'),
  });
}

export function useSaveDraft() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (draft: UnitDraft) => api.put<UnitApplication>('/api/unit-registration/draft', draft),
    onSuccess: (application) => queryClient.setQueryData(UNIT_REGISTRATION_KEY, { application }),
  });
}

export function useSubmitRegistration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (data: UnitData) => api.post<UnitApplication>('/api/unit-registration', data),
    onSuccess: (application) => queryClient.setQueryData(UNIT_REGISTRATION_KEY, { application }),
  });
}

/** 若该单位已注册: whether a name or a code is taken (registered, or a registration under review). */
export function useUnitLookup(by: 'name' | 'uscc', value: string | undefined) {
  const v = value?.trim() ?? '';
  const enabled = by === 'name' ? v.length >= 2 : v.length === 18;
  return useQuery({
    queryKey: ['unit-lookup', by, v],
    queryFn: () => api.get<UnitLookup>(`/api/units/lookup${qs({ [by]: v })}`),
    enabled,
    staleTime: 30_000,
    retry: false,
  });
}

/** 查询或变更管理员: ask to become the administrator of a registered unit with a new 单位授权书. */
export function useRequestAdminChange() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { unitId: string; authorizationFileId: string }) =>
      api.post<UnitApplication>('/api/unit-admin-changes', v),
    onSuccess: (application) => queryClient.setQueryData(UNIT_REGISTRATION_KEY, { application }),
  });
}

export type UploadPurpose = 'licence' | 'authorization';

export function uploadFile(purpose: UploadPurpose, file: File): Promise<UploadedFile> {
  const body = new FormData();
  body.append('purpose', purpose);
  body.append('file', file);
  return request<UploadedFile>('POST', '/api/files', body);
}

/** A file the logged-in person uploaded (portal). */
export function ownFileUrl(id: string): string {
  return `/api/files/${enc(id)}`;
}

/** 《单位授权书模板》 (.docx) filled with what the form holds so far. */
export function authorizationLetterUrl(v: {
  unitName?: string;
  uscc?: string;
  category?: string;
  reviewerNodeId?: string;
}): string {
  const uuid = /^[0-9a-f-]{36}$/i;
  return `/api/unit-registration/authorization-letter${qs({
    unitName: v.unitName?.trim().slice(0, 100),
    uscc: v.uscc?.replace(/\s+/g, '').toUpperCase().slice(0, 18),
    category: v.category,
    reviewerNodeId: v.reviewerNodeId && uuid.test(v.reviewerNodeId) ? v.reviewerNodeId : undefined,
  })}`;
}

// ---- 单位中心 (portal) ----

/** 单位中心; a 403 FORBIDDEN means the person is not (yet) an approved unit administrator. */
export function useUnitCenter(enabled = true) {
  return useQuery({
    queryKey: UNIT_CENTER_KEY,
    queryFn: () => api.get<UnitCenter>('/api/unit-center'),
    staleTime: 30_000,
    enabled,
  });
}

/**
 * What waits for the administrator (单位人员 to confirm, 学时登记 to confirm): the numbers on 单位中心's menu.
 * Asked again when the administrator moves between items (`at`), on focus and every minute.
 */
export function useUnitCenterPending(at: string, enabled: boolean) {
  return useQuery({
    queryKey: ['unit-center-pending', at],
    enabled,
    queryFn: () => api.get<TUnitCenterPending>('/api/unit-center/pending'),
    refetchInterval: 60_000,
    placeholderData: keepPreviousData,
  });
}

export function useSubmitInfoChange() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (data: UnitData) => api.post<UnitApplication>('/api/unit-center/info-changes', data),
    onSuccess: (application) => {
      queryClient.setQueryData(UNIT_REGISTRATION_KEY, { application });
      return queryClient.invalidateQueries({ queryKey: UNIT_CENTER_KEY });
    },
  });
}

// ---- 单位注册审核 (both apps: 主管部门 on the portal, 区县 / 市人社局 on the console) ----

/** The list's query string, shared by the list and 导出Excel (which ignores page and pageSize). */
export function reviewQueryString(q: ReviewQuery, withPage = true): string {
  return qs({
    status: q.status,
    applicantName: q.applicantName,
    phone: q.phone,
    submittedFrom: q.submittedFrom,
    submittedTo: q.submittedTo,
    unitName: q.unitName,
    uscc: q.uscc,
    area: q.area,
    unitType: q.unitType,
    sort: q.sort && q.sort !== '-submittedAt' ? q.sort : undefined,
    page: withPage ? q.page : undefined,
    pageSize: withPage ? q.pageSize : undefined,
  });
}

export function useUnitReviews(q: ReviewQuery) {
  const search = reviewQueryString(q);
  return useQuery({
    queryKey: [...UNIT_REVIEWS_KEY, 'list', search],
    queryFn: () => api.get<ReviewList>(`/api/unit-reviews${search}`),
    placeholderData: keepPreviousData,
  });
}

export function useUnitReview(id: string | null) {
  return useQuery({
    queryKey: [...UNIT_REVIEWS_KEY, 'detail', id],
    queryFn: () => api.get<UnitApplication>(`/api/unit-reviews/${enc(id ?? '')}`),
    enabled: Boolean(id),
  });
}

export function reviewFileUrl(applicationId: string, fileId: string): string {
  return `/api/unit-reviews/${enc(applicationId)}/files/${enc(fileId)}`;
}

export function reviewExportUrl(q: ReviewQuery): string {
  return `/api/unit-reviews/export${reviewQueryString(q, false)}`;
}

export function useDecideUnitReview() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; decision: 'approve' | 'reject'; reason: string }) =>
      api.post<Ok>(`/api/unit-reviews/${enc(v.id)}/decision`, { decision: v.decision, reason: v.reason }),
    // The list, its counts and the record all change; a 主管部门 approving a unit changes nothing of its own.
    onSettled: () => queryClient.invalidateQueries({ queryKey: UNIT_REVIEWS_KEY }),
  });
}

// ---- 工作人员与角色, 审计日志 (console, 系统管理员) ----

export function useOrgNodes() {
  return useQuery({
    queryKey: ['org-nodes'],
    queryFn: () => api.get<{ items: OrgNode[] }>('/api/org/nodes'),
    staleTime: 10 * 60_000,
  });
}

export interface OrgDistrictInput {
  name: string;
  areaCode: string;
  active: boolean;
}

/** 新增 / 修改 a 区县人社局 (id given: update). */
export function useSaveOrgNode() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...v }: OrgDistrictInput & { id?: string }) =>
      id ? api.put<OrgNode>(`/api/org/nodes/${enc(id)}`, v) : api.post<OrgNode>('/api/org/nodes', v),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['org-nodes'] }),
  });
}

export function useStaffAccounts(q: { keyword?: string; page: number; pageSize: number }) {
  return useQuery({
    queryKey: ['staff-accounts', q.keyword ?? '', q.page, q.pageSize],
    queryFn: () => api.get<StaffList>(`/api/staff-accounts${qs({ ...q })}`),
    placeholderData: keepPreviousData,
  });
}

export interface StaffCreateInput {
  username: string;
  password: string;
  displayName: string;
  roles: string[];
  orgNodeId: string | null;
}

export interface StaffUpdateInput {
  displayName: string;
  roles: string[];
  orgNodeId: string | null;
  status: 'active' | 'disabled';
}

export function useCreateStaff() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: StaffCreateInput) => api.post<StaffAccount>('/api/staff-accounts', v),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['staff-accounts'] }),
  });
}

export function useUpdateStaff() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...v }: StaffUpdateInput & { id: string }) =>
      api.put<StaffAccount>(`/api/staff-accounts/${enc(id)}`, v),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['staff-accounts'] }),
  });
}

export interface AuditLogQuery {
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

export function useAuditLogs(q: AuditLogQuery) {
  const search = qs({ ...q });
  return useQuery({
    queryKey: ['audit-logs', search],
    queryFn: () => api.get<AuditLogList>(`/api/audit-logs${search}`),
    placeholderData: keepPreviousData,
  });
}
