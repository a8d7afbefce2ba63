import { DESK_ROLES } from '../staff/staff.service.js';
import { hasAnyRole, type TodoSource } from '../todos/todo.js';
import type { RosterService } from './roster.service.js';

/**
 * 学员注册名单 · 导入异常: imports of the last days with rows that failed the checks, and imports that stopped
 * part-way — counted by the list /rosters shows the training centre (every import), with its attention filter. The
 * days are the list's: never more than IMPORT_ERROR_FILE_DAYS, so the item never points at rows already deleted.
 */
export function rosterTodo(deps: { roster: RosterService }): TodoSource {
  return {
    key: 'rosters',
    label: `学员注册名单 · 导入异常（近${deps.roster.attentionDays}天）`,
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
