import { addWorkingDaysIn, type TCalendarDayKind, weekdayOf } from '@cpe/shared';
import { describe, expect, it } from 'vitest';
import { OFFICIAL_ARRANGEMENTS } from './official-holidays.js';

const weekend = (day: string) => weekdayOf(day) === 0 || weekdayOf(day) === 6;
const mapOf = (year: number) =>
  new Map((OFFICIAL_ARRANGEMENTS.get(year) ?? []).map((d) => [d.day, d.kind as TCalendarDayKind]));

describe('official holiday arrangements', () => {
  it('2026: each period in full, the 调休 Saturdays and Sundays worked', () => {
    const days = OFFICIAL_ARRANGEMENTS.get(2026) ?? [];
    const count: Record<string, number> = {};
    for (const d of days.filter((x) => x.kind === 'holiday')) count[d.name] = (count[d.name] ?? 0) + 1;
    expect(count).toMatchObject({ 元旦: 3, 春节: 9, 劳动节: 5, 国庆节: 7 });
    expect(days.filter((d) => d.kind === 'workday').map((d) => d.day)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });

  it('2025: 春节 and 国庆 with their 调休 days', () => {
    const m = mapOf(2025);
    for (const day of ['2025-01-28', '2025-02-04', '2025-10-01', '2025-10-08']) expect(m.get(day)).toBe('holiday');
    for (const day of ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'])
      expect(m.get(day)).toBe('workday');
  });

  it('every year: a day once, only weekend days worked', () => {
    expect(OFFICIAL_ARRANGEMENTS.size).toBeGreaterThanOrEqual(20);
    for (const [year, days] of OFFICIAL_ARRANGEMENTS) {
      expect(new Set(days.map((d) => d.day)).size).toBe(days.length);
      expect(days.every((d) => d.day.startsWith(`${year}-`))).toBe(true);
      expect(days.filter((d) => d.kind === 'workday').every((d) => weekend(d.day))).toBe(true);
    }
  });

  it('3 working days across 国庆 2025 and 春节 2026, a 调休 Saturday counting', () => {
    // Submitted on Tuesday 30 September 2025: 10/1–10/8 are off, Saturday 10/11 is worked.
    expect(addWorkingDaysIn(mapOf(2025), '2025-09-30', 3)).toBe('2025-10-11');
    // Friday 13 February 2026: Saturday 2/14 is worked, 2/15–2/23 are off.
    expect(addWorkingDaysIn(mapOf(2026), '2026-02-13', 3)).toBe('2026-02-25');
  });
});
