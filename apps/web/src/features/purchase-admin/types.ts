import type {
  TAdminOrderQuery,
  TPlan,
  TPlanInput,
  ZAdminOrderDetail,
  ZAdminOrderList,
  ZPaymentExceptionRefundResult,
  ZPlanList,
} from '@cpe/shared/schemas/purchase';
import type { ZUploadedFile } from '@cpe/shared/schemas/units';

/** The response types are the shared zod schemas' outputs: one source with the server. */
type Out<S extends { parse(value: unknown): unknown }> = ReturnType<S['parse']>;

export type Plan = TPlan;
export type PlanList = Out<typeof ZPlanList>;
/** The body of POST / PUT /api/training-plans, every field given (the schema's defaults never apply). */
export type PlanInput = TPlanInput;
/** A course as a plan lists it (chosen from 课程管理). */
export type PlanCourse = TPlan['courses'][number];
/** POST /api/training-plans/covers: the re-encoded image. */
export type UploadedCover = Out<typeof ZUploadedFile>;

// ---------------- 订单管理 (GET /api/admin/orders) ----------------

export type AdminOrderList = Out<typeof ZAdminOrderList>;
export type AdminOrder = AdminOrderList['items'][number];
export type AdminOrderDetail = Out<typeof ZAdminOrderDetail>;
export type PaymentExceptionRefundResult = Out<typeof ZPaymentExceptionRefundResult>;
/** The list's query as the page keeps it (everything optional; the server applies its defaults). */
export type AdminOrderQuery = Partial<TAdminOrderQuery>;
export type AdminOrderStatus = NonNullable<TAdminOrderQuery['status']>;
export type AdminOrderKind = NonNullable<TAdminOrderQuery['kind']>;
