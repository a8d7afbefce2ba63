import { chinaDay } from '@cpe/shared/calendar';
import dayjs, { type Dayjs } from 'dayjs';
import { formatDateTime } from './format';

/**
 * "Today" and "this year" are the platform's (China, UTC+8 all year), never the browser's: a reviewer whose computer
 * is set to UTC, or a learner abroad, sees the same 今天 and 本年度 as the server counts in (issue 21 §1: the 数据看板
 * showed zeros for the last hours of the China day in a UTC browser). Times are shown with formatDateTime (format.ts).
 * A unit test keeps `dayjs()` and `new Date().getFullYear()` out of every other file of the web apps.
 */
export const platformDay = (): string => chinaDay(new Date());

/** Today's China date as a dayjs date (midnight, for date pickers and day arithmetic). */
export const platformToday = (): Dayjs => dayjs(platformDay(), 'YYYY-MM-DD');

export const platformYear = (): number => Number(platformDay().slice(0, 4));

/**
 * Date-time pickers show and take the platform's wall-clock time (China), not the browser's: a picker's value is a
 * dayjs whose fields (year … minute) are China's, whatever zone the computer is set to. `toPlatformPicker` makes one
 * from a stored instant; `fromPlatformPicker` turns a picked value back into the instant, written with the platform's
 * offset (UTC+8 all year, no daylight saving), so 17:00 picked in a UTC browser is 17:00 in Chongqing.
 */
export const toPlatformPicker = (iso: string | Date): Dayjs =>
  dayjs(formatDateTime(typeof iso === 'string' ? iso : iso.toISOString()), 'YYYY-MM-DD HH:mm:ss');

export const fromPlatformPicker = (value: Dayjs): string => `${value.format('YYYY-MM-DDTHH:mm:ss')}+08:00`;

/** Whether a picked platform time is later than now. */
export const isPickedAfterNow = (value: Dayjs): boolean => new Date(fromPlatformPicker(value)).getTime() > Date.now();
