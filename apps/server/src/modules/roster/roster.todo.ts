import { DESK_ROLES } from '../staff/staff.service.js';
import { hasAnyRole, type TodoSource } from '../todos/todo.js';
import { ROSTER_ATTENTION_DAYS, type RosterService } from './roster.service.js';

/**
 * 学员注册名单 · 导入异常: imports of the last days with rows that failed the checks, and imports that stopped
 * part-way — counted by the list /rosters shows the training centre (every import), with its attention filter.
 */
export function rosterTodo(deps: { roster: RosterService }): TodoSource {
  return {
    key: 'rosters',
    label: `学员注册名单 · 导入异常（近${ROSTER_ATTENTION_DAYS}天）`,
    href: '/rosters',
    async count(staff) {
      if (!hasAnyRole(staff, DESK_ROLES.training)) return null;
      const list = await deps.roster.list(
        { type: 'staff', id: staff.id },
        { page: 1, pageSize: 1 },
        { attention: true },
      );
      return { count: list.total };
    },
  };
}
