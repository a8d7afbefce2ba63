import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from '../../shared/api/client';

import type {
  GroupCheck,
  Invoice,
  InvoiceChoice,
  InvoiceTitleInput,
  Ok,
  Order,
  OrderList,
  OrderListQuery,
  OrderMembers,
  PaymentChannel,
  PayStart,
  Plan,
  PlanForMe,
  PlanList,
} from './types';

const enc = encodeURIComponent;

export const PLANS_KEY = ['plans'] as const;
export const ORDERS_KEY = ['orders'] as const;
export const INVOICES_KEY = ['invoices'] as const;
const planKey = (id: string, mine: boolean) => ['plans', id, mine ? 'mine' : 'public'] as const;
export const orderKey = (id: string) => ['orders', 'one', id] as const;

// ---- URLs the browser opens itself (images, files) ----

export const planCoverUrl = (id: string) => `/api/plans/${enc(id)}/cover`;
export const groupErrorsUrl = (checkId: string) => `/api/group-checks/${enc(checkId)}/errors.xlsx`;
export const invoicePdfUrl = (id: string) => `/api/invoices/${enc(id)}/pdf`;

// ---- 公需科目 ----

export function usePlans() {
  return useQuery({ queryKey: PLANS_KEY, queryFn: () => api.get<PlanList>('/api/plans'), staleTime: 60_000 });
}

/**
 * The plan page: with a login, the plan and where the person stands with it (已购买 / 去支付); without one,
 * the public plan (mine = null).
 */
export function usePlan(id: string, loggedIn: boolean) {
  return useQuery({
    queryKey: planKey(id, loggedIn),
    queryFn: async (): Promise<PlanForMe> =>
      loggedIn
        ? api.get<PlanForMe>(`/api/plans/${enc(id)}/mine`)
        : { ...(await api.get<Plan>(`/api/plans/${enc(id)}`)), mine: null },
  });
}

/** The catalogue's 已购买 / 去支付 marks: where the signed-in person stands with each plan (a handful). */
export function usePlanStandings(ids: string[], loggedIn: boolean) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: planKey(id, true),
      queryFn: () => api.get<PlanForMe>(`/api/plans/${enc(id)}/mine`),
      enabled: loggedIn,
    })),
    combine: (results) => new Map(results.flatMap((r) => (r.data?.mine ? [[r.data.id, r.data.mine] as const] : []))),
  });
}

// ---- 订单 ----

/** Everything a purchase or a payment changes: the plan pages' standing, the order lists, the invoices. */
function useInvalidatePurchase() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: PLANS_KEY }),
      queryClient.invalidateQueries({ queryKey: ORDERS_KEY }),
      queryClient.invalidateQueries({ queryKey: INVOICES_KEY }),
    ]);
}

/** 个人购买 提交订单: the price is the server's (never sent); a second attempt returns the pending order. */
export function useCreateOrder() {
  const invalidate = useInvalidatePurchase();
  return useMutation({
    mutationFn: (v: { planId: string; invoice: InvoiceChoice }) => api.post<Order>('/api/orders', v),
    onSuccess: () => invalidate(),
  });
}

/** 团体购买 立即购买: the pasted lines are checked on the server. */
export function useGroupCheck() {
  return useMutation({
    mutationFn: (v: { planId: string; idNumbers: string }) => api.post<GroupCheck>('/api/group-checks', v),
  });
}

export function useCreateGroupOrder() {
  const invalidate = useInvalidatePurchase();
  return useMutation({
    mutationFn: (v: { checkId: string; invoice: InvoiceChoice }) => api.post<Order>('/api/group-orders', v),
    onSuccess: () => invalidate(),
  });
}

export function useOrders(q: OrderListQuery) {
  return useQuery({
    queryKey: [...ORDERS_KEY, 'list', q],
    queryFn: () => api.get<OrderList>(`/api/orders${qs(q)}`),
    placeholderData: keepPreviousData,
  });
}

/** 已支付 orders with no invoice yet (申请开票). The list is paged on the server: the newest 100 suffice. */
export function useOrdersToInvoice() {
  return useQuery({
    queryKey: [...ORDERS_KEY, 'to-invoice'],
    queryFn: async () => {
      const list = await api.get<OrderList>(`/api/orders${qs({ status: 'paid', page: 1, pageSize: 100 })}`);
      return list.items.filter((o) => o.actions.requestInvoice);
    },
  });
}

export function useOrder(id: string, enabled = true) {
  return useQuery({ queryKey: orderKey(id), queryFn: () => api.get<Order>(`/api/orders/${enc(id)}`), enabled });
}

/** The order behind an invoice (修改发票 needs to know whether it was a 团购: 单位 titles only). */
export function useFetchOrder() {
  const queryClient = useQueryClient();
  return (id: string) =>
    queryClient.fetchQuery({
      queryKey: orderKey(id),
      queryFn: () => api.get<Order>(`/api/orders/${enc(id)}`),
      staleTime: 60_000,
    });
}

export function useOrderMembers(id: string, page: number, pageSize: number, enabled: boolean) {
  return useQuery({
    queryKey: [...orderKey(id), 'members', page, pageSize],
    queryFn: () => api.get<OrderMembers>(`/api/orders/${enc(id)}/members${qs({ page, pageSize })}`),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCancelOrder() {
  const invalidate = useInvalidatePurchase();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<Order>(`/api/orders/${enc(id)}/cancel`),
    onSuccess: (order) => {
      queryClient.setQueryData(orderKey(order.id), order);
      return invalidate();
    },
  });
}

export function usePay() {
  return useMutation({
    mutationFn: ({
      id,
      channel,
      device,
    }: {
      id: string;
      channel: PaymentChannel;
      device: 'desktop' | 'mobile' | 'wechat';
    }) => api.post<PayStart>(`/api/orders/${enc(id)}/payments`, { channel, device }),
  });
}

/** Asks the server to ask the provider (the browser's word that it paid proves nothing). */
export function syncOrder(id: string): Promise<Order> {
  return api.post<Order>(`/api/orders/${enc(id)}/sync`);
}

/** After a sync found the order paid (or closed): everything that shows it is refreshed. */
export function useOrderSettled() {
  const invalidate = useInvalidatePurchase();
  const queryClient = useQueryClient();
  return (order: Order) => {
    queryClient.setQueryData(orderKey(order.id), order);
    return invalidate();
  };
}

// ---- 发票 ----

export function useInvoices() {
  return useQuery({
    queryKey: INVOICES_KEY,
    queryFn: () => api.get<{ items: Invoice[] }>('/api/invoices'),
    // 开票 runs in the background: while one is 开票中 the list looks again every few seconds.
    refetchInterval: (q) => (q.state.data?.items.some((i) => i.status === 'pending') ? 3000 : false),
  });
}

export function useRequestInvoice() {
  const invalidate = useInvalidatePurchase();
  return useMutation({
    mutationFn: ({ orderId, title }: { orderId: string; title: InvoiceTitleInput }) =>
      api.post<Ok>(`/api/orders/${enc(orderId)}/invoice`, title),
    onSuccess: () => invalidate(),
  });
}

export function useModifyInvoice() {
  const invalidate = useInvalidatePurchase();
  return useMutation({
    mutationFn: ({ id, title }: { id: string; title: InvoiceTitleInput }) =>
      api.put<Ok>(`/api/invoices/${enc(id)}`, title),
    onSuccess: () => invalidate(),
  });
}

// ---- helpers ----
