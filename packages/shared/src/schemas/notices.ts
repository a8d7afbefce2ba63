import { z } from 'zod';

/**
 * 通知公告: staff write a notice (title, body in the platform's small Markdown subset with images from our own
 * file storage, attachments), choose who sees it, pin it, and publish it now or at a set time; 撤回 takes it off
 * the portal at once or at a set 撤回时间.
 */

export const NOTICE_AUDIENCES = ['all', 'learners', 'unit-admins', 'district'] as const;
export type TNoticeAudience = (typeof NOTICE_AUDIENCES)[number];
export const NOTICE_AUDIENCE_LABELS: Record<TNoticeAudience, string> = {
  all: '所有人',
  learners: '学员',
  'unit-admins': '单位管理员',
  district: '指定区县',
};

/** What the console shows: the stored state and the clock together (a published notice may not be live yet). */
export const NOTICE_STATUSES = ['draft', 'scheduled', 'published', 'withdrawn'] as const;
export type TNoticeStatus = (typeof NOTICE_STATUSES)[number];
export const NOTICE_STATUS_LABELS: Record<TNoticeStatus, string> = {
  draft: '草稿',
  scheduled: '定时发布',
  published: '已发布',
  withdrawn: '已撤回',
};

export const NOTICE_TITLE_MAX = 100;
export const NOTICE_BODY_MAX = 20_000;
export const NOTICE_ATTACHMENTS_MAX = 10;
export const NOTICE_IMAGE_MAX_BYTES = 5 * 1024 * 1024;
export const NOTICE_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

const zInstant = (label: string) => z.iso.datetime({ offset: true, error: `${label}格式不正确` });

export const ZNoticeInput = z
  .object({
    title: z.string('请填写标题').trim().min(1, '请填写标题').max(NOTICE_TITLE_MAX, `标题最多${NOTICE_TITLE_MAX}个字`),
    body: z.string('请填写正文').trim().min(1, '请填写正文').max(NOTICE_BODY_MAX, `正文最多${NOTICE_BODY_MAX}个字`),
    audience: z.enum(NOTICE_AUDIENCES, '请选择发布范围'),
    /** The 区县's GB/T 2260 code when the audience is a district. */
    districtCode: z
      .string()
      .regex(/^\d{6}$/, '请选择所属区县')
      .nullish()
      .transform((v) => v ?? null),
    pinned: z.boolean('请选择是否置顶').default(false),
    publishAt: zInstant('发布时间'),
    withdrawAt: zInstant('撤回时间')
      .nullish()
      .transform((v) => v ?? null),
    attachmentIds: z
      .array(z.uuid('附件无效'), '附件无效')
      .max(NOTICE_ATTACHMENTS_MAX, `附件最多${NOTICE_ATTACHMENTS_MAX}个`)
      .default([]),
  })
  .superRefine((v, ctx) => {
    if (v.audience === 'district' && !v.districtCode)
      ctx.addIssue({ code: 'custom', path: ['districtCode'], message: '请选择所属区县' });
    if (v.withdrawAt && Date.parse(v.withdrawAt) <= Date.parse(v.publishAt))
      ctx.addIssue({ code: 'custom', path: ['withdrawAt'], message: '撤回时间须晚于发布时间' });
  });
export type TNoticeInput = z.input<typeof ZNoticeInput>;

export const ZNoticeFile = z.object({
  id: z.string(),
  name: z.string(),
  mime: z.string(),
  size: z.number().int(),
});
export type TNoticeFile = z.infer<typeof ZNoticeFile>;

/** A notice as the portal shows it: the body already rendered to HTML from the allow-listed subset. */
export const ZNoticePublic = z.object({
  id: z.string(),
  title: z.string(),
  pinned: z.boolean(),
  publishAt: z.string(),
  html: z.string(),
  attachments: z.array(ZNoticeFile),
});
export type TNoticePublic = z.infer<typeof ZNoticePublic>;

export const ZNoticeSummary = z.object({
  id: z.string(),
  title: z.string(),
  pinned: z.boolean(),
  publishAt: z.string(),
});
export type TNoticeSummary = z.infer<typeof ZNoticeSummary>;

const zPage = z.coerce.number('页码须为正整数').int('页码须为正整数').min(1, '页码须为正整数').default(1);
const zPageSize = z.coerce
  .number('每页条数须为正整数')
  .int('每页条数须为正整数')
  .min(1, '每页条数须为正整数')
  .max(50, '每页最多50条')
  .default(10);

export const ZNoticePublicQuery = z.object({ page: zPage, pageSize: zPageSize });
export const ZNoticePublicList = z.object({
  items: z.array(ZNoticeSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type TNoticePublicList = z.infer<typeof ZNoticePublicList>;

/** A notice in the console: the source to edit, the rendered preview and who may see it. */
export const ZNoticeAdmin = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  html: z.string(),
  audience: z.enum(NOTICE_AUDIENCES),
  districtCode: z.string().nullable(),
  districtName: z.string().nullable(),
  pinned: z.boolean(),
  publishAt: z.string(),
  withdrawAt: z.string().nullable(),
  status: z.enum(NOTICE_STATUSES),
  attachments: z.array(ZNoticeFile),
  createdByName: z.string().nullable(),
  updatedByName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TNoticeAdmin = z.infer<typeof ZNoticeAdmin>;

export const ZNoticeAdminQuery = z.object({
  page: zPage,
  pageSize: zPageSize,
  q: z.string().trim().max(50, '搜索内容最多50个字').optional(),
  status: z.enum(NOTICE_STATUSES, '状态无效').optional(),
  order: z.enum(['asc', 'desc'], '排序方式无效').default('desc'),
});
export type TNoticeAdminQuery = z.input<typeof ZNoticeAdminQuery>;

export const ZNoticeAdminList = z.object({
  items: z.array(ZNoticeAdmin),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** What this member of staff may publish to: null for everyone, or the one district's code and name. */
  scope: z.object({ districtCode: z.string(), districtName: z.string() }).nullable(),
});
export type TNoticeAdminList = z.infer<typeof ZNoticeAdminList>;

export const ZNoticeUploadQuery = z.object({ kind: z.enum(['image', 'attachment'], '上传类型无效') });
