import { weekdayOf } from '@cpe/shared';
import { describe, expect, it } from 'vitest';
import { HOLIDAYS_2026 } from './holidays-2026.js';

const weekend = (day: string) => weekdayOf(day) === 0 || weekdayOf(day) === 6;

describe('2026 holiday arrangement (国务院办公厅通知)', () => {
  it('has each period in full, each day once', () => {
    const holidays = HOLIDAYS_2026.filter((d) => d.kind === 'holiday');
    const count: Record<string, number> = {};
    for (const d of holidays) count[d.name] = (count[d.name] ?? 0) + 1;
    expect(count).toEqual({
      元旦: 3,
      春节: 9,
      清明节: 3,
      劳动节: 5,
      端午节: 3,
      中秋节: 3,
      国庆节: 7,
    });
    expect(new Set(HOLIDAYS_2026.map((d) => d.day)).size).toBe(HOLIDAYS_2026.length);
    expect(HOLIDAYS_2026.every((d) => d.day.startsWith('2026-'))).toBe(true);
  });

  it('works only weekend days, and gives exactly the 13 statutory days (weekdays off minus weekends worked)', () => {
    const workdays = HOLIDAYS_2026.filter((d) => d.kind === 'workday');
    expect(workdays.map((d) => d.day)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    expect(workdays.every((d) => weekend(d.day))).toBe(true);
    const weekdaysOff = HOLIDAYS_2026.filter((d) => d.kind === 'holiday' && !weekend(d.day)).length;
    expect(weekdaysOff - workdays.length).toBe(13);
  });
});
