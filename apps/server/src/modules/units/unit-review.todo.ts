import { type TodoSource, unlessForbidden } from '../todos/todo.js';
import type { ReviewerScope, UnitReviewService } from './unit-review.service.js';

/**
 * 单位注册审核 · 待审核: the 待审核 tab of /unit-reviews for this reviewer — the same list call and the same scope
 * (a 区县人社局 its district's registrations, 市人社局 and the system administrator all of them).
 */
export function unitReviewTodo(deps: {
  unitReview: UnitReviewService;
  scopeOf: (staffId: string) => Promise<ReviewerScope>;
}): TodoSource {
  return {
    key: 'unit-reviews',
    label: '单位注册审核 · 待审核',
    href: '/unit-reviews?status=pending',
    count: (staff) =>
      unlessForbidden(async () => {
        const scope = await deps.scopeOf(staff.id);
        const list = await deps.unitReview.list(scope, {
          status: 'pending',
          sort: '-submittedAt',
          page: 1,
          pageSize: 1,
        });
        return { count: list.total };
      }),
  };
}
