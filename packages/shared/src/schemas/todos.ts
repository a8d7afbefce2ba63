import { z } from 'zod';

/**
 * 待办事项 of the console's 首页: one line per queue that waits for the signed-in staff member (their role and
 * their bureau's scope), with a link to that queue's list page already filtered.
 */
export const ZTodoItem = z.object({
  key: z.string(),
  /** The queue and what waits in it, as the console names them (单位注册审核 · 待审核). */
  label: z.string(),
  count: z.number().int(),
  /** Of `count`, those past their deadline (超期); only for queues that have one. */
  overdue: z.number().int().optional(),
  /** The console route of the list, with its filter (/unit-reviews?status=pending). */
  href: z.string(),
});
export type TTodoItem = z.infer<typeof ZTodoItem>;

export const ZTodoList = z.object({
  items: z.array(ZTodoItem),
  /** Queues of this person that could not be counted just now (their labels): not zero, unknown. */
  unavailable: z.array(z.string()),
  generatedAt: z.string(),
});
export type TTodoList = z.infer<typeof ZTodoList>;
