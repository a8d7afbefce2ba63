import { z } from 'zod';

/**
 * 咨询方式 (seed §六): hotlines by topic, 常见问题 and 在线客服 tickets.
 * A ticket is open (待回复) until staff answer (已回复); a learner's further message reopens it; either side closes it.
 */

// ---------------- 咨询热线 ----------------

/** 400/800 numbers, landlines with area code (optional extension), mobiles and 123xx service lines (12333, 12345). */
export const HOTLINE_PHONE_RE = /^(?:[48]00-?\d{3}-?\d{4}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?|1[3-9]\d{9}|123\d{2})$/;

export const ZHotline = z.object({
  topic: z.string('请填写咨询类别').trim().min(2, '咨询类别至少2个字').max(40, '咨询类别最多40个字'),
  phone: z
    .string('请填写电话号码')
    .trim()
    .regex(HOTLINE_PHONE_RE, '电话号码格式不正确（如 400-023-9229、023-12345678）'),
  /** e.g. 按1选择登录注册问题 */
  hint: z.string().trim().max(60, '按键提示最多60个字').default(''),
  /** 服务时间 */
  hours: z.string().trim().max(60, '服务时间最多60个字').default(''),
});
export type THotline = z.infer<typeof ZHotline>;

export const ZHelpContact = z.object({
  hotlines: z.array(ZHotline, '请填写咨询热线').min(1, '至少保留一条咨询热线').max(10, '咨询热线最多10条'),
  /** The 在线客服 line (seed: 在首页侧边栏选择在线客服，可进行技术操作咨询。). */
  onlineService: z.string('请填写在线客服说明').trim().min(2, '请填写在线客服说明').max(200, '在线客服说明最多200个字'),
});
export type THelpContact = z.infer<typeof ZHelpContact>;

/** The seed's 咨询方式, used until operators save their own. */
export const DEFAULT_HELP_CONTACT: THelpContact = {
  hotlines: [
    { topic: '账号注册、登录、证书问题咨询', phone: '400-023-9229', hint: '按1选择登录注册问题', hours: '' },
    { topic: '学习技术咨询热线', phone: '400-618-7500', hint: '按2选择售后服务', hours: '' },
  ],
  onlineService: '在首页侧边栏选择在线客服，可进行技术操作咨询。',
};

// ---------------- 常见问题 ----------------

export const ZFaqInput = z.object({
  topic: z.string('请填写问题分类').trim().min(2, '问题分类至少2个字').max(30, '问题分类最多30个字'),
  question: z.string('请填写问题').trim().min(4, '问题至少4个字').max(200, '问题最多200个字'),
  answer: z.string('请填写解答').trim().min(2, '解答至少2个字').max(5000, '解答最多5000个字'),
  published: z.boolean().default(true),
});
export type TFaqInput = z.infer<typeof ZFaqInput>;

export const ZFaq = z.object({
  id: z.string(),
  topic: z.string(),
  question: z.string(),
  answer: z.string(),
  published: z.boolean(),
  position: z.number().int(),
  updatedAt: z.string(),
});
export type TFaq = z.infer<typeof ZFaq>;
export const ZFaqList = z.object({ items: z.array(ZFaq) });

export const ZFaqMove = z.object({ direction: z.enum(['up', 'down'], '移动方向应为上移或下移') });
export const ZFaqPublish = z.object({ published: z.boolean('请选择是否发布') });

export const ZHelpQuery = z.object({
  /** Words to find in questions and answers (taken literally). */
  q: z.string().trim().max(50, '搜索内容最多50个字').optional(),
});

export const ZHelpPage = z.object({
  contact: ZHelpContact,
  faqGroups: z.array(z.object({ topic: z.string(), items: z.array(ZFaq) })),
});
export type THelpPage = z.infer<typeof ZHelpPage>;

// ---------------- 在线客服 tickets ----------------

export const TICKET_TOPICS = ['account', 'purchase', 'study', 'certificate', 'other'] as const;
export type TTicketTopic = (typeof TICKET_TOPICS)[number];
export const TICKET_TOPIC_LABELS: Record<TTicketTopic, string> = {
  account: '账号注册登录',
  purchase: '购买与发票',
  study: '在线学习',
  certificate: '证书',
  other: '其他',
};

export const TICKET_STATUSES = ['open', 'answered', 'closed'] as const;
export type TTicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_STATUS_LABELS: Record<TTicketStatus, string> = {
  open: '待回复',
  answered: '已回复',
  closed: '已关闭',
};

export const TICKET_MAX_FILES = 3;
export const TICKET_SCREENSHOT_MAX_BYTES = 5 * 1024 * 1024;

const zBody = z.string('请填写问题描述').trim().min(5, '问题描述至少5个字').max(2000, '问题描述最多2000个字');
const zFileIds = z
  .array(z.uuid('截图无效，请重新上传'))
  .max(TICKET_MAX_FILES, `截图最多${TICKET_MAX_FILES}张`)
  .refine((ids) => new Set(ids).size === ids.length, '截图重复')
  .default([]);

export const ZTicketCreate = z.object({
  topic: z.enum(TICKET_TOPICS, '请选择咨询类别'),
  subject: z.string('请填写标题').trim().min(2, '标题至少2个字').max(60, '标题最多60个字'),
  body: zBody,
  fileIds: zFileIds,
});
export type TTicketCreate = z.input<typeof ZTicketCreate>;

export const TICKET_REPLY_MAX_CHARS = 2000;
export const ZTicketReply = z.object({
  body: z
    .string('请填写回复内容')
    .trim()
    .min(2, '回复内容至少2个字')
    .max(TICKET_REPLY_MAX_CHARS, `回复内容最多${TICKET_REPLY_MAX_CHARS}个字`),
  fileIds: zFileIds,
});
export type TTicketReply = z.input<typeof ZTicketReply>;

/** Staff answer with text only (screenshots come from learners). */
export const ZAdminTicketReply = ZTicketReply.pick({ body: true });
export type TAdminTicketReply = z.infer<typeof ZAdminTicketReply>;

export const ZTicketFile = z.object({
  id: z.string(),
  name: z.string().nullable(),
  mime: z.string(),
  size: z.number(),
});

export const ZTicketMessage = z.object({
  id: z.string(),
  authorType: z.enum(['learner', 'staff']),
  /** Staff appear as 在线客服 on the portal and by name in the console. */
  authorName: z.string(),
  body: z.string(),
  files: z.array(ZTicketFile),
  createdAt: z.string(),
});
export type TTicketMessage = z.infer<typeof ZTicketMessage>;

export const ZTicket = z.object({
  id: z.string(),
  ticketNo: z.string(),
  topic: z.enum(TICKET_TOPICS),
  subject: z.string(),
  status: z.enum(TICKET_STATUSES),
  createdAt: z.string(),
  lastMessageAt: z.string(),
  /** Staff replies the learner has not opened yet. */
  unread: z.number().int(),
});
export type TTicket = z.infer<typeof ZTicket>;

export const ZTicketDetail = ZTicket.extend({ messages: z.array(ZTicketMessage) });
export type TTicketDetail = z.infer<typeof ZTicketDetail>;

const zPage = z.coerce.number('页码须为正整数').int('页码须为正整数').min(1, '页码须为正整数').default(1);
const zPageSize = z.coerce.number().int().min(1).max(100, '每页最多100条').default(10);

export const ZTicketQuery = z.object({ page: zPage, pageSize: zPageSize });
export const ZTicketList = z.object({
  items: z.array(ZTicket),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type TTicketList = z.infer<typeof ZTicketList>;
export const ZTicketUnread = z.object({ count: z.number().int() });

// ---------------- console (在线客服) ----------------

export const ZAdminTicketQuery = z.object({
  status: z.enum(TICKET_STATUSES, '状态无效').optional(),
  topic: z.enum(TICKET_TOPICS, '咨询类别无效').optional(),
  /** 工单号, 标题, 姓名 or 用户账号 (contains, literal). */
  keyword: z.string().trim().max(50, '关键字最多50个字').optional(),
  sort: z.enum(['lastMessageAt:desc', 'lastMessageAt:asc'], '排序方式无效').default('lastMessageAt:desc'),
  page: zPage,
  pageSize: zPageSize.default(20),
});
export type TAdminTicketQuery = z.input<typeof ZAdminTicketQuery>;

export const ZAdminTicket = ZTicket.omit({ unread: true }).extend({
  learnerName: z.string(),
  username: z.string(),
  phoneMasked: z.string().nullable(),
  assigneeName: z.string().nullable(),
  /** The last message came from the learner: waiting for us. */
  awaitingStaff: z.boolean(),
});
export type TAdminTicket = z.infer<typeof ZAdminTicket>;
export const ZAdminTicketDetail = ZAdminTicket.extend({ messages: z.array(ZTicketMessage) });
export type TAdminTicketDetail = z.infer<typeof ZAdminTicketDetail>;

export const ZAdminTicketList = z.object({
  items: z.array(ZAdminTicket),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Per status under the other filters (the tabs' badges). */
  counts: z.object({
    all: z.number().int(),
    open: z.number().int(),
    answered: z.number().int(),
    closed: z.number().int(),
  }),
});
export type TAdminTicketList = z.infer<typeof ZAdminTicketList>;
