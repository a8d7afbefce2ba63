import { APPLICATION_TYPES, type TApplicationStage } from '@cpe/shared';
import { type TodoSource, unlessForbidden } from '../todos/todo.js';
import type { ApplicationsService, Reviewer } from './applications.service.js';

/** The console's review list of each application type (apps/web ConsoleApp's REVIEW_PAGES) and its menu name. */
const CONSOLE_REVIEW_PAGES: Record<string, { path: string; name: string }> = {
  'advanced-seminar': { path: '/application-reviews', name: '项目审核管理' },
  'class-plan': { path: '/class-plan-reviews', name: '开班方案审核' },
  'plan-change': { path: '/plan-change-reviews', name: '计划变化审核' },
  completion: { path: '/completion-reviews', name: '结业审核' },
  'education-base': { path: '/education-base-reviews', name: '继续教育基地认定' },
  'engineer-base': { path: '/engineer-base-reviews', name: '工程师基地认定' },
};

/** The steps of a chain reviewed in the console (a 主管部门 reviews in its 单位中心). */
const CONSOLE_LEVELS = ['district', 'city'] as const;

/**
 * 申报书 · 待审核, one source per application type and console step: what waits at this reviewer's own step (the
 * list page's 待区县人社局审核 / 待市人社局审核 tab), counted by the review list the page calls, with the reviewer the
 * review routes resolve — a 区县人社局 sees what passes through its bureau, 市人社局 everything at its step.
 */
export function applicationReviewTodos(deps: {
  applications: ApplicationsService;
  reviewerOf: (staffId: string) => Promise<Reviewer>;
}): TodoSource[] {
  return APPLICATION_TYPES.flatMap((def) => {
    const page = CONSOLE_REVIEW_PAGES[def.key];
    if (!page) return [];
    return CONSOLE_LEVELS.filter((level) => def.reviewChain.includes(level)).map((level): TodoSource => {
      const stage: TApplicationStage = `pending-${level}`;
      return {
        key: `${page.path.slice(1)}:${level}`,
        label: `${page.name} · 待审核`,
        href: `${page.path}?stage=${stage}`,
        count: (staff) =>
          unlessForbidden(async () => {
            const reviewer = await deps.reviewerOf(staff.id);
            if (reviewer.level !== level) return null;
            const list = await deps.applications.reviewList(reviewer, {
              type: def.key,
              stage,
              sort: '-submittedAt',
              page: 1,
              pageSize: 1,
            });
            return { count: list.total };
          }),
      };
    });
  });
}
