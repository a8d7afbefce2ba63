import type { TTodoList } from '@cpe/shared';
import type { Clock } from '../../lib/clock.js';
import type { TodoSource, TodoStaff } from './todo.js';

/** A source slower than this is left out of the answer (and reported as unavailable) rather than holding it. */
const SOURCE_TIMEOUT_MS = 5_000;

/**
 * 待办事项: every registered queue counted for one staff member, in parallel. A queue that fails (or hangs) is
 * reported to `onError` and named in `unavailable`; the others still answer, so the 首页 never breaks on one.
 */
export function createTodoService(deps: { clock: Clock; timeoutMs?: number }) {
  const sources: TodoSource[] = [];
  const timeoutMs = deps.timeoutMs ?? SOURCE_TIMEOUT_MS;

  async function guarded(source: TodoSource, staff: TodoStaff) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`todo source ${source.key} timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([source.count(staff), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    /** Adds queues; a module's queue is registered once (context.ts), a duplicate key is a wiring mistake. */
    register(...more: TodoSource[]) {
      for (const s of more) {
        if (sources.some((x) => x.key === s.key)) throw new Error(`todo source ${s.key} registered twice`);
        sources.push(s);
      }
    },

    async forStaff(staff: TodoStaff, onError: (key: string, err: unknown) => void): Promise<TTodoList> {
      const results = await Promise.all(
        sources.map(async (source) => {
          try {
            return { source, counted: await guarded(source, staff) };
          } catch (err) {
            onError(source.key, err);
            return { source, failed: true as const };
          }
        }),
      );
      const items: TTodoList['items'] = [];
      const unavailable: string[] = [];
      for (const r of results) {
        if ('failed' in r) unavailable.push(r.source.label);
        else if (r.counted)
          items.push({
            key: r.source.key,
            label: r.source.label,
            count: r.counted.count,
            ...(r.counted.overdue !== undefined ? { overdue: r.counted.overdue } : {}),
            href: r.source.href,
          });
      }
      return { items, unavailable, generatedAt: deps.clock.now().toISOString() };
    },
  };
}
export type TodoService = ReturnType<typeof createTodoService>;
