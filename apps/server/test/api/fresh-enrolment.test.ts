import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestEnv } from '../harness.js';
import { enrolled } from '../study-factories.js';

const env = await createTestEnv();

describe('a fresh enrolment shows nothing studied on every progress answer', () => {
  it('课程培训: plan, course list, course page and chapters all say 0', async () => {
    const chapters = [{ durationSeconds: 600 }, { durationSeconds: 900 }, { durationSeconds: 300 }];
    const { c, plan, courses } = await enrolled(env, [
      { hours: 2, chapters },
      { hours: 1, chapters: chapters.slice(0, 2) },
    ]);
    const plans = (await c.get('/api/study/plans')).json().items as Array<Record<string, unknown>>;
    expect(plans.find((p) => p.planId === plan.id)).toMatchObject({
      percent: 0,
      creditedHours: 0,
      completedCourses: 0,
    });

    const list = (await c.get(`/api/study/plans/${plan.id}/courses`)).json();
    expect(list.items).toHaveLength(2);
    for (const course of list.items) {
      expect(course).toMatchObject({ creditedSeconds: 0, percent: 0, completedChapters: 0, complete: false });
      expect(course.durationSeconds).toBeGreaterThan(0);
    }
    for (const made of courses) {
      const detail = (await c.get(`/api/study/plans/${plan.id}/courses/${made.id}`)).json();
      expect(detail.course).toMatchObject({ creditedSeconds: 0, percent: 0 });
      for (const ch of detail.chapters) expect(ch).toMatchObject({ creditedSeconds: 0, percent: 0, complete: false });
    }
  });
});

/**
 * SQL's least() and greatest() skip NULL arguments, so over an outer join they turn "no row" into the other
 * argument (a chapter never studied counted as fully credited). Every use in the server's SQL must coalesce its
 * arguments; this reads the source so a new query cannot forget.
 */
describe('least() / greatest() never see a NULL', () => {
  const root = path.resolve(import.meta.dirname, '../../src');
  const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  /** Each call with its top-level arguments, found by matching parentheses (comments skipped). */
  const uses = files.flatMap((f) => {
    const text = fs
      .readFileSync(path.join(root, f), 'utf8')
      .split('\n')
      .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
      .join('\n');
    return [...text.matchAll(/\b(least|greatest)\(/gi)].map((m) => {
      const args: string[] = [];
      let depth = 0;
      let current = '';
      for (let k = (m.index ?? 0) + m[0].length; k < text.length; k++) {
        const ch = text[k] as string;
        if (ch === '(' || ch === '{') depth++;
        if (ch === ')' || ch === '}') depth--;
        if (depth < 0) break;
        if (ch === ',' && depth === 0) {
          args.push(current.trim());
          current = '';
        } else current += ch;
      }
      args.push(current.trim());
      return { file: f, call: `${m[1]}(${args.join(', ')})`, args };
    });
  });
  it('finds the uses it checks', () => {
    expect(uses.length).toBeGreaterThan(0);
  });
  it.each(uses.map((u) => [u.file, u.call, u.args] as const))('%s: %s', (_file, _call, args) => {
    for (const arg of args) expect(arg).toMatch(/^coalesce\(|^\d|^'/);
  });
});
