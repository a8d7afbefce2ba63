import { z } from 'zod';
import { isCountyCode } from '../areas/index.js';
import { normalizeUscc, USCC_MESSAGES, validateUscc } from '../validators/uscc.js';

export const UNIT_CATEGORIES = ['unit', 'department'] as const;
export type TUnitCategory = (typeof UNIT_CATEGORIES)[number];
export const UNIT_CATEGORY_LABELS: Record<TUnitCategory, string> = { unit: '单位', department: '主管部门' };

/** 单位类型 as the seed lists them: the initial content of the managed list (table unit_types). */
export const UNIT_TYPES = ['机关', '事业单位', '企业', '社会团体', '民办非企业单位', '其他'] as const;
const zUnitType = z.string({ error: '请选择单位类型' }).trim().min(1, '请选择单位类型').max(30, '单位类型无效');

export const UNIT_APPLICATION_KINDS = ['register', 'change-info', 'change-admin'] as const;
export type TUnitApplicationKind = (typeof UNIT_APPLICATION_KINDS)[number];
export const UNIT_APPLICATION_KIND_LABELS: Record<TUnitApplicationKind, string> = {
  register: '单位注册',
  'change-info': '单位信息修改',
  'change-admin': '变更管理员',
};

export const UNIT_APPLICATION_STATUSES = ['draft', 'pending', 'rejected', 'approved'] as const;
export type TUnitApplicationStatus = (typeof UNIT_APPLICATION_STATUSES)[number];
export const UNIT_APPLICATION_STATUS_LABELS: Record<TUnitApplicationStatus, string> = {
  draft: '草稿',
  pending: '待主管部门审核',
  rejected: '审核未通过',
  approved: '审核通过',
};
/**
 * The status as a reviewer's list and its export show it: the staff console says 待审核 (§3.2), the review being
 * theirs; the portal (a 主管部门, the applicant) keeps 待主管部门审核.
 */
export function unitApplicationStatusLabel(status: TUnitApplicationStatus, where: 'console' | 'portal'): string {
  return where === 'console' && status === 'pending' ? '待审核' : UNIT_APPLICATION_STATUS_LABELS[status];
}

const zArea = (label: string) =>
  z.string({ error: `请选择${label}` }).refine(isCountyCode, `请选择${label}（省份/直辖市、城市、区县）`);

/** The fields of 单位管理员注册 (and of 单位信息修改, which edits the same data). */
export const ZUnitData = z
  .object({
    category: z.enum(UNIT_CATEGORIES, { error: '请选择注册类别' }),
    unitName: z
      .string({ error: '请输入单位名称' })
      .trim()
      .min(2, '单位名称至少2个字')
      .max(100, '单位名称不能超过100个字'),
    uscc: z.string({ error: '请输入社会统一信用代码' }).transform(normalizeUscc),
    usccManualCheck: z.boolean().default(false),
    licenceFileId: z.uuid('请上传组织机构代码证或营业执照'),
    regArea: zArea('注册地'),
    insuredArea: zArea('参保地'),
    locatedArea: zArea('所在地'),
    address: z.string({ error: '请输入详细地址' }).trim().min(2, '请输入详细地址').max(200, '详细地址不能超过200个字'),
    unitType: zUnitType,
    isGrassroots: z.boolean({ error: '请选择是否为乡镇基层单位' }),
    reviewerNodeId: z.uuid('请选择申报地区(部门)'),
    authorizationFileId: z.uuid('请上传单位授权书'),
  })
  .superRefine((v, ctx) => {
    if (typeof v.uscc !== 'string') return;
    const error = validateUscc(v.uscc);
    // A failing check character is accepted only for manual verification; a wrong format never is.
    if (error && !(error === 'checkChar' && v.usccManualCheck)) {
      ctx.addIssue({ code: 'custom', path: ['uscc'], message: USCC_MESSAGES[error] });
    }
  });
export type TUnitData = z.output<typeof ZUnitData>;

/** A draft keeps whatever was typed; only the shapes are checked. */
export const ZUnitDraft = z.object({
  category: z.enum(UNIT_CATEGORIES).optional(),
  unitName: z.string().max(100, '单位名称不能超过100个字').optional(),
  uscc: z.string().max(18, '统一社会信用代码应为18位').optional(),
  usccManualCheck: z.boolean().optional(),
  licenceFileId: z.uuid().optional(),
  regArea: z.string().max(6).optional(),
  insuredArea: z.string().max(6).optional(),
  locatedArea: z.string().max(6).optional(),
  address: z.string().max(200, '详细地址不能超过200个字').optional(),
  unitType: z.string().max(30).optional(),
  isGrassroots: z.boolean().optional(),
  reviewerNodeId: z.uuid().optional(),
  authorizationFileId: z.uuid().optional(),
});
export type TUnitDraft = z.output<typeof ZUnitDraft>;

export const ZUnitType = z.object({
  id: z.number().int(),
  name: z.string(),
  sort: z.number().int(),
  active: z.boolean(),
});
export const ZUnitTypeList = z.object({ items: z.array(ZUnitType) });
export const ZUnitTypeRequest = z.object({
  name: z
    .string({ error: '请输入单位类型名称' })
    .trim()
    .min(2, '单位类型名称至少2个字')
    .max(30, '单位类型名称不能超过30个字'),
  sort: z.number({ error: '请输入排序' }).int('排序须为整数').min(0).max(9999),
  active: z.boolean({ error: '请选择是否启用' }),
});

export const ZReviewerNode = z.object({
  id: z.string(),
  kind: z.enum(['city', 'district', 'department']),
  name: z.string(),
});
export const ZReviewerNodeList = z.object({ items: z.array(ZReviewerNode) });

export const ZUploadedFile = z.object({
  id: z.string(),
  mime: z.string(),
  size: z.number().int(),
  name: z.string().nullable(),
});

export const ZUnitLookupQuery = z.object({
  name: z.string().trim().max(100).optional(),
  uscc: z.string().trim().max(18).optional(),
});
export const ZUnitLookupResponse = z.object({
  taken: z.boolean(),
  unit: z
    .object({
      id: z.string(),
      name: z.string(),
      uscc: z.string(),
      category: z.enum(UNIT_CATEGORIES),
      adminMasked: z.string().nullable(),
    })
    .nullable(),
  pending: z.boolean(),
});

export const ZUnitApplicationEvent = z.object({
  action: z.enum(['submit', 'resubmit', 'approve', 'reject']),
  round: z.number().int(),
  actorName: z.string(),
  reviewerName: z.string().nullable(),
  reason: z.string().nullable(),
  at: z.string(),
});

export const ZUnitApplication = z.object({
  id: z.string(),
  kind: z.enum(UNIT_APPLICATION_KINDS),
  status: z.enum(UNIT_APPLICATION_STATUSES),
  unitId: z.string().nullable(),
  applicantName: z.string(),
  applicantPhoneMasked: z.string().nullable(),
  data: ZUnitDraft,
  reviewerName: z.string(),
  locatedAreaLabel: z.string(),
  round: z.number().int(),
  reason: z.string().nullable(),
  submittedAt: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  events: z.array(ZUnitApplicationEvent),
});
export type TUnitApplication = z.infer<typeof ZUnitApplication>;

export const ZMyUnitRegistration = z.object({ application: ZUnitApplication.nullable() });

export const ZChangeAdminRequest = z.object({
  unitId: z.uuid('请选择单位'),
  authorizationFileId: z.uuid('请上传单位授权书'),
});

export const ZReviewListQuery = z.object({
  status: z.enum(['pending', 'rejected', 'approved']).optional(),
  applicantName: z.string().trim().max(30).optional(),
  phone: z.string().trim().max(20).optional(),
  submittedFrom: z.iso.date('申请日期格式应为YYYY-MM-DD').optional(),
  submittedTo: z.iso.date('申请日期格式应为YYYY-MM-DD').optional(),
  unitName: z.string().trim().max(100).optional(),
  uscc: z.string().trim().max(18).optional(),
  area: z
    .string()
    .regex(/^\d{2}(\d{2}(\d{2})?)?$/, '所在地代码应为2、4或6位数字')
    .optional(),
  unitType: z.string().max(30).optional(),
  sort: z.enum(['submittedAt', '-submittedAt', 'unitName', '-unitName']).default('-submittedAt'),
  page: z.coerce.number().int().min(1, '页码须为正整数').default(1),
  pageSize: z.coerce.number().int().min(1).max(100, '每页最多100条').default(20),
});
export type TReviewListQuery = z.infer<typeof ZReviewListQuery>;

export const ZReviewListItem = z.object({
  id: z.string(),
  kind: z.enum(UNIT_APPLICATION_KINDS),
  applicantName: z.string(),
  applicantPhoneMasked: z.string().nullable(),
  category: z.enum(UNIT_CATEGORIES),
  unitName: z.string(),
  uscc: z.string(),
  usccManualCheck: z.boolean(),
  locatedAreaLabel: z.string(),
  regAreaLabel: z.string(),
  insuredAreaLabel: z.string(),
  unitType: z.string(),
  submittedAt: z.string().nullable(),
  status: z.enum(UNIT_APPLICATION_STATUSES),
});
export const ZReviewList = z.object({
  items: z.array(ZReviewListItem),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  counts: z.object({
    all: z.number().int(),
    pending: z.number().int(),
    rejected: z.number().int(),
    approved: z.number().int(),
  }),
  /** A search counts at most 10,000 matches: the tabs then read "10000+". */
  countsCapped: z.boolean(),
});

export const ZReviewDecision = z
  .object({
    decision: z.enum(['approve', 'reject'], { error: '请选择审核结果' }),
    reason: z.string().trim().max(500, '审核意见不能超过500字').optional().default(''),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'reject' && !v.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: '审核不通过时请填写原因' });
    }
  });
