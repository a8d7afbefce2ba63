import { z } from 'zod';

/** 消息中心 (站内信): what a signed-in person sees of the messages the notification service wrote for them. */

const zPage = z.coerce.number('页码须为正整数').int('页码须为正整数').min(1, '页码须为正整数').default(1);
const zPageSize = z.coerce
  .number('每页条数须为正整数')
  .int('每页条数须为正整数')
  .min(1, '每页条数须为正整数')
  .max(100, '每页最多100条')
  .default(10);

export const ZMessageQuery = z.object({
  page: zPage,
  pageSize: zPageSize,
  /** `true`: only unread ones (the 未读 tab). */
  unread: z
    .enum(['true', 'false'], '未读筛选无效')
    .transform((v) => v === 'true')
    .optional(),
});
export type TMessageQuery = z.input<typeof ZMessageQuery>;

export const ZMessage = z.object({
  id: z.string(),
  event: z.string(),
  title: z.string(),
  body: z.string(),
  /** A portal path where the result is seen (null: nothing to open). */
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type TMessage = z.infer<typeof ZMessage>;

export const ZMessageList = z.object({
  items: z.array(ZMessage),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Unread in all (the tab's and the header's count, from the same answer). */
  unread: z.number().int(),
});
export type TMessageList = z.infer<typeof ZMessageList>;

export const ZMessageUnread = z.object({ count: z.number().int() });
export type TMessageUnread = z.infer<typeof ZMessageUnread>;

export const ZMessageId = z.object({ id: z.uuid('消息编号无效') });
export const ZMessageReadAll = z.object({ updated: z.number().int() });
