import type {
  TAdminMakeupRequest,
  TMakeupReceiptRow,
  TMakeupRequest,
  TMakeupRequestInput,
  TMakeupStatus,
  ZAdminMakeupList,
  ZMakeupEnrollmentList,
  ZMakeupRequestList,
} from '@cpe/shared/schemas/makeup';
import type { ZUploadedFile } from '@cpe/shared/schemas/units';
import type { z } from 'zod';

/** The response types are the shared zod schemas' outputs: one source with the server. */
export type MakeupStatus = TMakeupStatus;
export type MakeupRequest = TMakeupRequest;
export type MakeupRequestList = z.infer<typeof ZMakeupRequestList>;
export type MakeupEnrollmentList = z.infer<typeof ZMakeupEnrollmentList>;
export type MakeupEnrollment = MakeupEnrollmentList['items'][number];
export type MakeupSubmit = TMakeupRequestInput;
export type ReceiptRow = TMakeupReceiptRow;
export type AdminMakeupRequest = TAdminMakeupRequest;
export type AdminMakeupList = z.infer<typeof ZAdminMakeupList>;

/** POST /api/makeup/files answers with the stored file (the name kept from the person's file here). */
export interface MakeupFile {
  id: string;
  name: string;
  mime: string;
  size: number;
}
export type UploadedFile = z.infer<typeof ZUploadedFile>;

export interface AdminMakeupQuery {
  status?: MakeupStatus;
  year?: number;
  name?: string;
  overdue?: boolean;
  page?: number;
  pageSize?: number;
}
