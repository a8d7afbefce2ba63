import { describe, expect, it } from 'vitest';
import {
  addWorkingDaysAtIn,
  addWorkingDaysIn,
  isCalendarDay,
  isWorkingDayIn,
  type TCalendarDayKind,
  weekdayOf,
  workingDaysBetweenIn,
} from './calendar.js';
import { platformDay, setPlatformTimeZone } from './platform-zone.js';

const none = new Map<string, TCalendarDayKind>();
// 2026 as the State Council arranged it, the parts used here: 国庆节 10-01…10-07 with 调休 on Sun 09-20 and
// Sat 10-10; 元旦 2027 in a made-up arrangement (Fri 01-01 off, Sat 01-02 worked) to cross the year end.
const special = new Map<string, TCalendarDayKind>([
  ['2026-09-20', 'workday'],
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => [`2026-10-${d}`, 'holiday'] as [string, TCalendarDayKind]),
  ['2026-10-10', 'workday'],
  ['2027-01-01', 'holiday'],
  ['2027-01-02', 'workday'],
]);

describe('dates', () => {
  it('accepts only real YYYY-MM-DD dates', () => {
    expect(isCalendarDay('2026-02-28')).toBe(true);
    expect(isCalendarDay('2028-02-29')).toBe(true);
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-01', '20260101', '2026-01-01T00:00', ''])
      expect(isCalendarDay(bad), bad).toBe(false);
  });

  it('knows weekdays and the China date of an instant', () => {
    expect(weekdayOf('2026-12-06')).toBe(0);
    expect(weekdayOf('2026-12-11')).toBe(5);
    // 23:30 UTC is already the next morning in China.
    expect(platformDay(new Date('2026-12-10T23:30:00Z'))).toBe('2026-12-11');
    expect(platformDay(new Date('2026-12-10T15:59:59Z'))).toBe('2026-12-10');
  });
});

describe('working days', () => {
  it('without special days: Monday to Friday work, the weekend rests', () => {
    expect(isWorkingDayIn(none, '2026-12-11')).toBe(true);
    expect(isWorkingDayIn(none, '2026-12-12')).toBe(false);
    expect(isWorkingDayIn(none, '2026-12-13')).toBe(false);
  });

  it('skips weekends: Friday + 3 → Wednesday, Saturday + 3 → Wednesday, Monday + 5 → next Monday', () => {
    expect(addWorkingDaysIn(none, '2026-12-11', 3)).toBe('2026-12-16');
    expect(addWorkingDaysIn(none, '2026-12-12', 3)).toBe('2026-12-16');
    expect(addWorkingDaysIn(none, '2026-12-07', 5)).toBe('2026-12-14');
    expect(addWorkingDaysIn(none, '2026-12-11', 1)).toBe('2026-12-14');
  });

  it('n = 0 is the day itself, even a rest day', () => {
    expect(addWorkingDaysIn(special, '2026-12-09', 0)).toBe('2026-12-09');
    expect(addWorkingDaysIn(special, '2026-10-03', 0)).toBe('2026-10-03');
    expect(workingDaysBetweenIn(special, '2026-10-03', '2026-10-03')).toBe(0);
  });

  it('skips a holiday on a weekday and counts a 调休 weekend day', () => {
    expect(isWorkingDayIn(special, '2026-10-05')).toBe(false);
    expect(isWorkingDayIn(special, '2026-10-10')).toBe(true);
    expect(isWorkingDayIn(special, '2026-09-20')).toBe(true);
    // Wed 09-30 + 1: the whole 国庆 week is off, Thu 10-08 is next.
    expect(addWorkingDaysIn(special, '2026-09-30', 1)).toBe('2026-10-08');
    // Thu 10-08, Fri 10-09, Sat 10-10 (调休), then Mon 10-12.
    expect(addWorkingDaysIn(special, '2026-09-30', 3)).toBe('2026-10-10');
    expect(addWorkingDaysIn(special, '2026-09-30', 4)).toBe('2026-10-12');
    // Without the calendar the same count lands inside the holiday.
    expect(addWorkingDaysIn(none, '2026-09-30', 3)).toBe('2026-10-05');
    // Sat 09-19 + 1 is the 调休 Sunday 09-20.
    expect(addWorkingDaysIn(special, '2026-09-19', 1)).toBe('2026-09-20');
  });

  it('crosses a year end', () => {
    // Thu 2026-12-31 + 1: Fri 01-01 is 元旦, Sat 01-02 is worked.
    expect(addWorkingDaysIn(special, '2026-12-31', 1)).toBe('2027-01-02');
    expect(addWorkingDaysIn(special, '2026-12-31', 2)).toBe('2027-01-04');
    expect(addWorkingDaysIn(none, '2026-12-31', 1)).toBe('2027-01-01');
    expect(workingDaysBetweenIn(special, '2026-12-30', '2027-01-04')).toBe(3);
  });

  it('counts back for negative n, and between() inverts add()', () => {
    expect(addWorkingDaysIn(special, '2026-10-08', -1)).toBe('2026-09-30');
    expect(addWorkingDaysIn(none, '2026-12-14', -1)).toBe('2026-12-11');
    for (const from of ['2026-09-18', '2026-09-30', '2026-10-03', '2026-12-31']) {
      for (const n of [-7, -1, 1, 2, 5, 12]) {
        const to = addWorkingDaysIn(special, from, n);
        expect(workingDaysBetweenIn(special, from, to), `${from} ${n}`).toBe(n);
      }
    }
    expect(workingDaysBetweenIn(special, '2026-10-12', '2026-09-30')).toBe(-4);
  });

  it('rejects a fractional count and a malformed date', () => {
    expect(() => addWorkingDaysIn(none, '2026-12-11', 1.5)).toThrow(RangeError);
    expect(() => addWorkingDaysIn(none, '2026-02-30', 1)).toThrow(RangeError);
  });

  it('keeps the China time of day for instant deadlines', () => {
    // Wed 2026-09-30 10:00 China (02:00 UTC) + 3 working days → Sat 2026-10-10 10:00 China.
    expect(addWorkingDaysAtIn(special, new Date('2026-09-30T02:00:00Z'), 3).toISOString()).toBe(
      '2026-10-10T02:00:00.000Z',
    );
    // Thu 23:30 China is still Thursday there (15:30 UTC): + 1 → Fri 23:30 China.
    expect(addWorkingDaysAtIn(none, new Date('2026-12-10T15:30:00Z'), 1).toISOString()).toBe(
      '2026-12-11T15:30:00.000Z',
    );
    // Fri 00:30 China is Thursday 16:30 UTC: it counts from Friday → Mon 00:30 China.
    expect(addWorkingDaysAtIn(none, new Date('2026-12-10T16:30:00Z'), 1).toISOString()).toBe(
      '2026-12-13T16:30:00.000Z',
    );
  });

  it('in a zone with daylight saving, keeps the wall-clock time across the change', () => {
    setPlatformTimeZone('America/New_York');
    try {
      // Fri 2026-10-30 09:00 EDT (13:00 UTC) + 1 working day → Mon 11-02 09:00 EST (14:00 UTC): clocks went back.
      expect(addWorkingDaysAtIn(none, new Date('2026-10-30T13:00:00Z'), 1).toISOString()).toBe(
        '2026-11-02T14:00:00.000Z',
      );
    } finally {
      setPlatformTimeZone('Asia/Shanghai');
    }
  });
});
