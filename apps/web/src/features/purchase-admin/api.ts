import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../../shared/api/client';
import type {
  AdminOrderDetail,
  AdminOrderList,
  AdminOrderQuery,
  PaymentExceptionRefundResult,
  Plan,
  PlanInput,
  PlanList,
  UploadedCover,
} from './types';

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

// ---------------- 订单管理 ----------------

/** The filters as a query string (empty values left out), shared by the list and the export. */
export function adminOrderSearch(q: AdminOrderQuery, withPage = true): string {
  const s = new URLSearchParams();
  const set = (k: string, v: string | number | undefined) => {
    if (v !== undefined && v !== '') s.set(k, String(v));
  };
  set('orderNo', q.orderNo);
  set('buyer', q.buyer);
  set('planId', q.planId);
  set('kind', q.kind);
  set('status', q.status);
  set('createdFrom', q.createdFrom);
  set('createdTo', q.createdTo);
  set('paymentException', q.paymentException ? 'true' : undefined);
  if (withPage) {
    set('page', q.page);
    set('pageSize', q.pageSize);
  }
  return s.toString();
}

/** 订单管理: every buyer's orders (培训中心运营 and 系统管理员; others get 403 FORBIDDEN). */
export function useAdminOrders(q: AdminOrderQuery) {
  const search = adminOrderSearch(q);
  return useQuery({
    queryKey: ['admin-orders', search],
    queryFn: () => api.get<AdminOrderList>(`/api/admin/orders?${search}`),
    placeholderData: keepPreviousData,
  });
}

/** 订单详情: the order with its payments, gateway notifications, refunds and invoices. */
export function useAdminOrder(id: string | null) {
  return useQuery({
    queryKey: ['admin-orders', 'detail', id],
    queryFn: () => api.get<AdminOrderDetail>(`/api/admin/orders/${enc(id ?? '')}`),
    enabled: Boolean(id),
  });
}

/** 导出: the same filters, every matching row (the server writes 订单.xlsx and an audit entry). */
export function adminOrderExportUrl(q: AdminOrderQuery): string {
  const search = adminOrderSearch(q, false);
  return `/api/admin/orders/export${search ? `?${search}` : ''}`;
}

/** 退款 of a 待处理 payment (paid with another amount than asked): the amount received goes back. */
export function useRefundPaymentException() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ orderId, outTradeNo, reason }: { orderId: string; outTradeNo: string; reason: string }) =>
      api.post<PaymentExceptionRefundResult>(`/api/admin/orders/${enc(orderId)}/payments/${enc(outTradeNo)}/refund`, {
        reason,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin-orders'] }),
  });
}
