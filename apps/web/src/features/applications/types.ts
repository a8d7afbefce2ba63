import type {
  TApplicationDetail,
  TReviewRound,
  ZApplicationActions,
  ZApplicationCandidates,
  ZApplicationList,
  ZApplicationListItem,
  ZApplicationTypeInfo,
} from '@cpe/shared/schemas/applications';
import type { z } from 'zod';

/** The response types are the shared zod schemas' outputs: one source with the server. */
export type ApplicationDetail = TApplicationDetail;
export type ApplicationList = z.infer<typeof ZApplicationList>;
export type ApplicationListItem = z.infer<typeof ZApplicationListItem>;
export type ApplicationActions = z.infer<typeof ZApplicationActions>;
export type ApplicationTypeInfo = z.infer<typeof ZApplicationTypeInfo>;
export type ApplicationCandidates = z.infer<typeof ZApplicationCandidates>;
export type ApplicationCandidate = ApplicationCandidates['items'][number];
export type ApplicationStage = ApplicationListItem['stage'];
export type ApplicationStatus = ApplicationDetail['status'];
export type ReviewRound = TReviewRound;

/** One section's values as stored and sent: field name → value (money in fen, dates as YYYY-MM-DD). */
export type SectionValues = Record<string, unknown>;
