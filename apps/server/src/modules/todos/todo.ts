import { AppError } from '../../lib/errors.js';
import type { StaffRow } from '../identity/identity.repo.js';

/** The staff member whose 待办事项 are counted: loaded once per request, with roles and bureau. */
export type TodoStaff = Pick<StaffRow, 'id' | 'roles' | 'orgNodeId'>;

export interface TodoCount {
  count: number;
  /** Of `count`, those past their deadline (超期). */
  overdue?: number;
}

/**
 * One queue of the console's 待办事项, contributed by the module that owns the queue (next to its own code) and
 * registered in context.ts. `count` answers with what the queue's own list page shows this person as waiting —
 * through that module's list method, so scoping is never written twice — or null when the queue is not theirs
 * (wrong role or scope); the line is then left out.
 */
export interface TodoSource {
  /** Stable and unique among the sources. */
  key: string;
  label: string;
  /** The console route of the list page, with the filter that page reads from its address. */
  href: string;
  count(staff: TodoStaff): Promise<TodoCount | null>;
}

/**
 * Runs a list call the way its route would: the module's own refusal (a 403 of its "who may see this" check)
 * means the queue is not this person's, not that something failed.
 */
export async function unlessForbidden<T>(work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppError && err.status === 403) return null;
    throw err;
  }
}

/** Whether the staff member has one of the roles the queue's routes require. */
export const hasAnyRole = (staff: TodoStaff, roles: readonly string[]) => roles.some((r) => staff.roles.includes(r));
