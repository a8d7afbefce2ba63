import type {
  TMeResponse,
  TStaffMeResponse,
  ZManualRecoveryItem,
  ZManualRecoveryList,
  ZRealnameReviewItem,
  ZRealnameReviewList,
  ZRegistrationCompleteResponse,
  ZRegistrationFlowResponse,
  ZRegistrationManualResponse,
  ZResetStepResponse,
  ZSendSmsResponse,
} from '@cpe/shared';

/** The response types are the shared zod schemas' outputs: one source with the server. */
type Out<S extends { parse(value: unknown): unknown }> = ReturnType<S['parse']>;

export interface Site {
  name: string;
  authCenterName: string;
  staffConsoleName: string;
  hotline: string;
  demoMode: boolean;
  wechatMp: { name: string; qrUrl: string | null };
}

export type Me = TMeResponse;
export type StaffMe = TStaffMeResponse;
export type RegistrationFlow = Out<typeof ZRegistrationFlowResponse>;
export type RegistrationComplete = Out<typeof ZRegistrationCompleteResponse>;
export type RegistrationManual = Out<typeof ZRegistrationManualResponse>;
export type ResetStep = Out<typeof ZResetStepResponse>;
export type SmsSent = Out<typeof ZSendSmsResponse>;
export type ManualRecovery = Out<typeof ZManualRecoveryItem>;
export type ManualRecoveryList = Out<typeof ZManualRecoveryList>;
export type RecoveryStatus = ManualRecovery['status'];
export type RealnameReview = Out<typeof ZRealnameReviewItem>;
export type RealnameReviewList = Out<typeof ZRealnameReviewList>;
export type RealnameReviewStatus = RealnameReview['status'];
export type Ok = { ok: true };
