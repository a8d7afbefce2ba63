import { z } from 'zod';
import {
  APPLICATION_STAGES,
  APPLICATION_STATUSES,
  APPLICATION_TYPE_KEYS,
  LANDLINE_OR_MOBILE_RE,
  REVIEW_LEVELS,
} from '../applications/index.js';

const zType = z.enum(APPLICATION_TYPE_KEYS, { error: '申报类型无效' });
const zPage = z.coerce.number().int().min(1, '页码须为正整数').default(1);
const zPageSize = z.coerce.number().int().min(1).max(100, '每页最多100条').default(20);
const zDay = (label: string) => z.iso.date(`${label}格式应为YYYY-MM-DD`);

/** A yearly 申报 batch: opens at `opensAt`, filing and resubmitting end at `deadline`. */
export const ZBatch = z.object({
  id: z.string(),
  type: z.string(),
  year: z.number().int(),
  opensAt: z.string(),
  deadline: z.string(),
  /** Now within [opensAt, deadline]. */
  open: z.boolean(),
  createdAt: z.string(),
});
export type TBatch = z.infer<typeof ZBatch>;
export const ZBatchList = z.object({ items: z.array(ZBatch) });

export const ZBatchInput = z
  .object({
    type: zType,
    year: z.coerce.number().int('年度应为整数').min(2000, '年度无效').max(2100, '年度无效'),
    opensAt: z.iso.datetime({ offset: true, error: '开放时间格式无效' }),
    deadline: z.iso.datetime({ offset: true, error: '申报截止时间格式无效' }),
  })
  .refine((v) => new Date(v.deadline) > new Date(v.opensAt), {
    path: ['deadline'],
    message: '申报截止时间应晚于开放时间',
  });
export type TBatchInput = z.infer<typeof ZBatchInput>;

export const ZApplicationTypeInfo = z.object({
  key: z.string(),
  label: z.string(),
  menuLabel: z.string(),
  /** Filed in yearly batches (else any time). */
  batched: z.boolean(),
  /** The approved type this one follows (开班方案 → advanced-seminar), if any. */
  parentType: z.string().nullable(),
  /** The batch of the current year (or the latest one), if any. */
  batch: ZBatch.nullable(),
});
export const ZApplicationTypeList = z.object({ items: z.array(ZApplicationTypeInfo) });

export const ZApplicationCreate = z.object({
  type: zType,
  /** The approved application this one follows (开班方案: the 市级高级研修项目; 计划变化 / 结业: the 开班方案). */
  parentId: z.uuid('所选项目无效').optional(),
});

export const ZApplicationActions = z.object({
  edit: z.boolean(),
  submit: z.boolean(),
  withdraw: z.boolean(),
  delete: z.boolean(),
});

export const ZApplicationListQuery = z.object({
  type: zType,
  status: z.enum(APPLICATION_STATUSES).optional(),
  page: zPage,
  pageSize: zPageSize,
});
export type TApplicationListQuery = z.infer<typeof ZApplicationListQuery>;

const listCore = {
  id: z.string(),
  type: z.string(),
  number: z.string().nullable(),
  status: z.enum(APPLICATION_STATUSES),
  /** Where it stands: the status, with 待审核 split by level (待主管部门审核 …). */
  stage: z.enum(['draft', ...APPLICATION_STAGES]),
  stageLabel: z.string(),
  parentId: z.string().nullable(),
  year: z.number().int(),
  projectName: z.string(),
  heldFrom: z.string().nullable(),
  heldTo: z.string().nullable(),
  hostUnit: z.string(),
  filerName: z.string(),
  submittedAt: z.string().nullable(),
  /** 申报截止时间 shown on the row: the reviewer's deadline when returned, else the batch's. */
  deadline: z.string().nullable(),
  /** A report's own due date (结业上报); `overdue` when not submitted by then (逾期). */
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  estimatedFen: z.number().int().nullable(),
  subsidyFen: z.number().int().nullable(),
  round: z.number().int(),
};

export const ZApplicationListItem = z.object({ ...listCore, actions: ZApplicationActions });
export const ZApplicationList = z.object({
  items: z.array(ZApplicationListItem),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** One review round as the applicant's 修改意见记录 shows it. */
export const ZReviewRound = z.object({
  round: z.number().int(),
  action: z.enum(['submit', 'resubmit', 'withdraw', 'return', 'approve', 'reject', 'amend']),
  actionLabel: z.string(),
  /** The level of the chain that acted (reviews) or that a submission went to. */
  level: z.enum(REVIEW_LEVELS).nullable(),
  levelLabel: z.string().nullable(),
  departmentName: z.string().nullable(),
  actorName: z.string(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  /** sectionId → 修改意见 */
  comments: z.record(z.string(), z.string()),
  reason: z.string().nullable(),
  deadline: z.string().nullable(),
  at: z.string(),
});
export type TReviewRound = z.infer<typeof ZReviewRound>;

export const ZApplicationDetail = z.object({
  ...listCore,
  label: z.string(),
  filerKind: z.enum(['unit', 'district']),
  filerAreaLabel: z.string(),
  filerUnitType: z.string(),
  data: z.record(z.string(), z.record(z.string(), z.unknown())),
  /** `sectionId.field` → what is missing or wrong for a submission (empty when complete). */
  missing: z.record(z.string(), z.string()),
  /** Sections that carry a comment of the latest 退回修改 (marked 改). */
  commentedSections: z.array(z.string()),
  history: z.array(ZReviewRound),
  /** The review chain and where the application stands on it. */
  chain: z.array(
    z.object({
      level: z.enum(REVIEW_LEVELS),
      levelLabel: z.string(),
      name: z.string(),
      state: z.enum(['done', 'current', 'waiting', 'returned', 'rejected']),
    }),
  ),
  /** The approved application this one follows, with its data (read-only context for the form). */
  parent: z
    .object({
      id: z.string(),
      type: z.string(),
      label: z.string(),
      number: z.string().nullable(),
      projectName: z.string(),
      data: z.record(z.string(), z.record(z.string(), z.unknown())),
    })
    .nullable(),
  /** Earlier versions replaced by approved 计划变化 (a 开班方案), oldest first, each with what changed. */
  versions: z.array(
    z.object({
      at: z.string(),
      reason: z.string().nullable(),
      changes: z.array(
        z.object({
          sectionId: z.string(),
          sectionTitle: z.string(),
          field: z.string(),
          label: z.string(),
          before: z.string(),
          after: z.string(),
        }),
      ),
    }),
  ),
  reason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  actions: ZApplicationActions,
});
export type TApplicationDetail = z.infer<typeof ZApplicationDetail>;

export const ZSectionParams = z.object({
  id: z.uuid('申报书编号无效'),
  sectionId: z.string().regex(/^[a-z][a-zA-Z]{0,30}$/, '填报项无效'),
});
export const ZSectionValues = z.record(z.string(), z.unknown());

export const ZFieldChange = z.object({
  sectionId: z.string(),
  sectionTitle: z.string(),
  field: z.string(),
  label: z.string(),
  before: z.string(),
  after: z.string(),
});

export const ZApplicationReview = ZApplicationDetail.extend({
  /** What changed since the previous submission (null on the first round). */
  diff: z.array(ZFieldChange).nullable(),
  /** The reviewer's unsent 修改意见 (kept while the review is open). */
  draftComments: z.record(z.string(), z.string()),
  reviewActions: z.object({ return: z.boolean(), approve: z.boolean(), reject: z.boolean() }),
});
export type TApplicationReview = z.infer<typeof ZApplicationReview>;

const zComment = z.string().trim().max(1000, '修改意见不能超过1000个字');
export const ZDraftComments = z.object({ comments: z.record(z.string(), zComment) });

export const ZReturnRequest = z.object({
  comments: z.record(z.string(), zComment),
  deadline: z.iso.datetime({ offset: true, error: '请选择修改截止时间' }),
  contactName: z.string({ error: '请输入联系人' }).trim().min(2, '请输入联系人').max(30, '联系人不能超过30个字'),
  contactPhone: z
    .string({ error: '请输入联系电话' })
    .trim()
    .regex(LANDLINE_OR_MOBILE_RE, '联系电话格式不正确（手机号或区号-座机号）'),
});
export type TReturnRequest = z.infer<typeof ZReturnRequest>;
export const ZApproveRequest = z.object({
  opinion: z.string().trim().max(1000, '审核意见不能超过1000个字').default(''),
});
export const ZRejectRequest = z.object({
  reason: z
    .string({ error: '请填写不通过原因' })
    .trim()
    .min(2, '请填写不通过原因（至少2个字）')
    .max(1000, '原因不能超过1000个字'),
});

export const ZApplicationReviewQuery = z.object({
  type: zType,
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  status: z.enum(['pending', 'returned', 'approved', 'rejected', 'withdrawn']).optional(),
  /** A tab: 待主管部门审核 / 待区县人社局审核 / 待市人社局审核 / 已退回 / … */
  stage: z.enum(APPLICATION_STAGES).optional(),
  /** 申报单位 (contains). */
  filerName: z.string().trim().max(100).optional(),
  /** 所在区县: a county code, or a 4-digit city prefix. */
  area: z
    .string()
    .regex(/^\d{4}(\d{2})?$/, '所在区县代码应为4或6位数字')
    .optional(),
  submittedFrom: zDay('提交时间').optional(),
  submittedTo: zDay('提交时间').optional(),
  /** 项目名称 or 编号. */
  keyword: z.string().trim().max(100).optional(),
  sort: z.enum(['-submittedAt', 'submittedAt', 'number', '-number', '-subsidyFen']).default('-submittedAt'),
  page: zPage,
  pageSize: zPageSize,
});
export type TApplicationReviewQuery = z.infer<typeof ZApplicationReviewQuery>;

export const ZApplicationReviewItem = z.object({
  ...listCore,
  /** At this reviewer's step now (审核 button). */
  actionable: z.boolean(),
  filerKind: z.enum(['unit', 'district']),
  filerAreaLabel: z.string(),
  filerUnitType: z.string(),
});
export const ZApplicationReviewList = z.object({
  items: z.array(ZApplicationReviewItem),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Per state within the other filters (the tabs). */
  counts: z.record(z.string(), z.number().int()),
});

export const ZApplicationStatsQuery = z.object({
  type: zType,
  year: z.coerce.number().int().min(2000).max(2100),
  status: z.enum(['pending', 'returned', 'approved', 'rejected', 'withdrawn']).optional(),
});
const zStatRow = z.object({
  key: z.string(),
  label: z.string(),
  count: z.number().int(),
  estimatedFen: z.number().int(),
  subsidyFen: z.number().int(),
});
export const ZApplicationStats = z.object({
  byDistrict: z.array(zStatRow),
  byUnitType: z.array(zStatRow),
  total: zStatRow,
});

/** 开班方案上报 / 计划变化情况上报 / 结业上报: the approved parents a filing can follow, and what is filed under each. */
export const ZApplicationCandidates = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      number: z.string().nullable(),
      projectName: z.string(),
      heldFrom: z.string().nullable(),
      heldTo: z.string().nullable(),
      hostUnit: z.string(),
      children: z.array(ZApplicationListItem.omit({ actions: true })),
      canFile: z.boolean(),
      /** Why not now (已上报 / 结业日期之后方可上报 …). */
      refusal: z.string().nullable(),
      /** 结业上报: due date and 逾期. */
      dueAt: z.string().nullable(),
      overdue: z.boolean(),
    }),
  ),
});
export const ZApplicationCandidatesQuery = z.object({ type: zType });
