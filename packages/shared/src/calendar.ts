/**
 * 工作日历: working-day arithmetic on China dates ('YYYY-MM-DD'), pure so the server and the console compute the
 * same. Every Saturday and Sunday is a rest day unless listed as 'workday' (调休上班); every Monday to Friday is a
 * working day unless listed as 'holiday' (法定节假日及调休放假). The list is kept by staff (calendar_days).
 */

import { wallClockOf, zonedInstant } from './platform-zone.js';

export const CALENDAR_DAY_KINDS = ['holiday', 'workday'] as const;
export type TCalendarDayKind = (typeof CALENDAR_DAY_KINDS)[number];
/** 休 / 班, as the official notices and desk calendars mark them. */
export const CALENDAR_DAY_KIND_LABELS: Record<TCalendarDayKind, string> = { holiday: '休', workday: '班' };
export const WEEKDAY_LABELS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'] as const;

/** The days that differ from the weekly rule, by date. */
export type TSpecialDays = ReadonlyMap<string, TCalendarDayKind>;

const DAY_MS = 86_400_000;
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether the text is a real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDay(day: string): boolean {
  const m = DAY_RE.exec(day);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === day;
}

function toUtcMs(day: string): number {
  if (!isCalendarDay(day)) throw new RangeError(`not a date: ${day}`);
  return Date.parse(`${day}T00:00:00Z`);
}
const fromUtcMs = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The date `n` calendar days after `day` (before, for negative n). */
export const shiftDay = (day: string, n: number): string => fromUtcMs(toUtcMs(day) + n * DAY_MS);

/** 0 = Sunday … 6 = Saturday. */
export const weekdayOf = (day: string): number => new Date(toUtcMs(day)).getUTCDay();

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);

export function isWorkingDayIn(special: TSpecialDays, day: string): boolean {
  const listed = special.get(day);
  if (listed) return listed === 'workday';
  const w = weekdayOf(day);
  return w !== 0 && w !== 6;
}

/**
 * The date that is `n` working days after `day` ("办结时限为3个工作日": from a Friday, the Wednesday after;
 * from a Saturday also that Wednesday). `day` itself never counts; n = 0 gives `day` unchanged, whatever it is.
 * Negative n counts back (n working days before).
 */
export function addWorkingDaysIn(special: TSpecialDays, day: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`working days must be a whole number: ${n}`);
  const step = n < 0 ? -1 : 1;
  let t = toUtcMs(day);
  for (let left = Math.abs(n); left > 0; ) {
    t += step * DAY_MS;
    if (isWorkingDayIn(special, fromUtcMs(t))) left--;
  }
  return fromUtcMs(t);
}

/**
 * Working days in (from, to]: how many working days `to` lies after `from`, so that
 * workingDaysBetweenIn(s, d, addWorkingDaysIn(s, d, n)) === n. Negative when `to` is earlier (then the working days in [to, from) count).
 */
export function workingDaysBetweenIn(special: TSpecialDays, from: string, to: string): number {
  const span = daysBetween(from, to);
  const step = span < 0 ? -1 : 1;
  let count = 0;
  for (let i = 1; i <= Math.abs(span); i++) {
    if (isWorkingDayIn(special, shiftDay(from, step * i))) count++;
  }
  return step * count;
}

/**
 * The same wall-clock time, `n` working days after the instant's date in the platform's zone (deadlines such as
 * 补学审核). Counted on the wall clock, so a daylight-saving change in between does not move the hour.
 */
export function addWorkingDaysAtIn(special: TSpecialDays, instant: Date, n: number): Date {
  const wall = wallClockOf(instant).toISOString().slice(0, 23);
  const day = addWorkingDaysIn(special, wall.slice(0, 10), n);
  return zonedInstant(`${day}${wall.slice(10)}`);
}
