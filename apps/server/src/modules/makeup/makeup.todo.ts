import { DESK_ROLES } from '../staff/staff.service.js';
import { hasAnyRole, type TodoSource } from '../todos/todo.js';
import type { MakeupService } from './makeup.service.js';

/**
 * 补学审核 · 待审核, with those past their 3-working-day due time as 超期: the list /makeup-requests opens on
 * (待审核) and its 超期 filter, counted by the same admin list.
 */
export function makeupTodo(deps: { makeup: MakeupService }): TodoSource {
  return {
    key: 'makeup-requests',
    label: '补学审核 · 待审核',
    href: '/makeup-requests',
    async count(staff) {
      if (!hasAnyRole(staff, DESK_ROLES.training)) return null;
      const [pending, overdue] = await Promise.all([
        deps.makeup.adminList({ status: 'pending', page: 1, pageSize: 1 }),
        deps.makeup.adminList({ status: 'pending', overdue: true, page: 1, pageSize: 1 }),
      ]);
      return { count: pending.total, overdue: overdue.total };
    },
  };
}
