import { chinaDay } from '@cpe/shared/calendar';
import dayjs, { type Dayjs } from 'dayjs';

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
