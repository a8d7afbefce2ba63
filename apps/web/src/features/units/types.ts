import type { ZAuditLogList, ZOrgNodeList, ZStaffList } from '@cpe/shared/schemas/identity';
import type { ZUnitCenter } from '@cpe/shared/schemas/unit-center';
import type {
  TReviewListQuery,
  TUnitApplication,
  TUnitApplicationStatus,
  TUnitCategory,
  TUnitData,
  TUnitDraft,
  ZMyUnitRegistration,
  ZReviewerNode,
  ZReviewList,
  ZReviewListItem,
  ZUnitApplicationEvent,
  ZUnitLookupResponse,
  ZUploadedFile,
} from '@cpe/shared/schemas/units';

/** The response types are the shared zod schemas' outputs: one source with the server. */
type Out<S extends { parse(value: unknown): unknown }> = ReturnType<S['parse']>;

export type UnitApplication = TUnitApplication;
export type UnitApplicationEvent = Out<typeof ZUnitApplicationEvent>;
export type UnitApplicationStatus = TUnitApplicationStatus;
export type UnitCategory = TUnitCategory;
/** 单位类型 is a managed list (GET /api/unit-types): any name the server offers. */
export type UnitType = string;
export type UnitData = TUnitData;
export type UnitDraft = TUnitDraft;
export type MyUnitRegistration = Out<typeof ZMyUnitRegistration>;
export type ReviewerNode = Out<typeof ZReviewerNode>;
export type UploadedFile = Out<typeof ZUploadedFile>;
export type UnitLookup = Out<typeof ZUnitLookupResponse>;
export type UnitCenter = Out<typeof ZUnitCenter>;

export type ReviewList = Out<typeof ZReviewList>;
export type ReviewListItem = Out<typeof ZReviewListItem>;
export type ReviewStatus = NonNullable<TReviewListQuery['status']>;
export type ReviewSort = TReviewListQuery['sort'];
/** The list's query as the page keeps it (everything optional; the server applies its defaults). */
export type ReviewQuery = Partial<TReviewListQuery>;

export type StaffList = Out<typeof ZStaffList>;
export type StaffAccount = StaffList['items'][number];
export type OrgNode = Out<typeof ZOrgNodeList>['items'][number];
export type AuditLogList = Out<typeof ZAuditLogList>;
export type AuditLogEntry = AuditLogList['items'][number];

export type Ok = { ok: true };

/** Which listener a shared component runs on: the portal (主管部门) or the staff console (区县 / 市人社局). */
export type AppVariant = 'portal' | 'console';
