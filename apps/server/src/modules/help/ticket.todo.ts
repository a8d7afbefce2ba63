import { DESK_ROLES } from '../staff/staff.service.js';
import { hasAnyRole, type TodoSource } from '../todos/todo.js';
import type { HelpService } from './help.service.js';

/** 在线客服 · 待回复: the tab /tickets opens on, counted by the same admin list. */
export function ticketTodo(deps: { help: HelpService }): TodoSource {
  return {
    key: 'tickets',
    label: '在线客服 · 待回复',
    href: '/tickets?status=open',
    async count(staff) {
      if (!hasAnyRole(staff, DESK_ROLES.training)) return null;
      const list = await deps.help.adminList({ status: 'open', sort: 'lastMessageAt:desc', page: 1, pageSize: 1 });
      return { count: list.total };
    },
  };
}
