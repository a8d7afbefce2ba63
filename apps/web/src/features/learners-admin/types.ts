import type {
  TLearnerQuery,
  ZLearnerDetail,
  ZLearnerList,
  ZLearnerResetResult,
  ZLearnerReveal,
  ZLearnerUnlockResult,
  ZOrderRefundResult,
} from '@cpe/shared/schemas/learners';

/** The response types are the shared zod schemas' outputs: one source with the server. */
type Out<S extends { parse(value: unknown): unknown }> = ReturnType<S['parse']>;

export type LearnerList = Out<typeof ZLearnerList>;
export type Learner = LearnerList['items'][number];
export type LearnerDetail = Out<typeof ZLearnerDetail>;
export type LearnerReveal = Out<typeof ZLearnerReveal>;
export type LearnerResetResult = Out<typeof ZLearnerResetResult>;
export type LearnerUnlockResult = Out<typeof ZLearnerUnlockResult>;
export type OrderRefundResult = Out<typeof ZOrderRefundResult>;
/** The list's query as the page keeps it in the address (the server applies its defaults). */
export type LearnerQuery = Partial<TLearnerQuery>;
export type LearnerSort = TLearnerQuery['sort'];
