import { DESK_ROLES } from '../staff/staff.service.js';
import { hasAnyRole, type TodoSource } from '../todos/todo.js';
import type { RecoveryService } from './recovery.service.js';

/** 人工找回审核 · 待处理: the 待处理 tab of /recoveries, counted by the same list. */
export function recoveryTodo(deps: { recovery: RecoveryService }): TodoSource {
  return {
    key: 'recoveries',
    label: '人工找回审核 · 待处理',
    href: '/recoveries?status=pending',
    async count(staff) {
      if (!hasAnyRole(staff, DESK_ROLES.identityChecks)) return null;
      const list = await deps.recovery.list({ status: 'pending', page: 1, pageSize: 1 });
      return { count: list.total };
    },
  };
}
