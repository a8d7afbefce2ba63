import { DESK_ROLES } from '../staff/staff.service.js';
import { hasAnyRole, type TodoSource } from '../todos/todo.js';
import type { RealnameReviewService } from './realname-review.service.js';

/** 实名审核 · 待审核: the tab /realname-reviews opens on, counted by the same list. */
export function realnameReviewTodo(deps: { realnameReview: RealnameReviewService }): TodoSource {
  return {
    key: 'realname-reviews',
    label: '实名审核 · 待审核',
    href: '/realname-reviews?status=pending',
    async count(staff) {
      if (!hasAnyRole(staff, DESK_ROLES.identityChecks)) return null;
      const list = await deps.realnameReview.list({ status: 'pending', page: 1, pageSize: 1 });
      return { count: list.total };
    },
  };
}
