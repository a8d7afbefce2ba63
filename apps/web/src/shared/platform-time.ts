import {
  DEFAULT_PLATFORM_TIME_ZONE,
  platformDay as dayOf,
  offsetText,
  platformDateTime,
  platformTimeZone,
  setPlatformTimeZone,
  zonedInstant,
} from '@cpe/shared/platform-zone';
import dayjs, { type Dayjs } from 'dayjs';
import { formatDateTime } from './format';

/**
 * "Today", "this year" and clock times are the platform's (PLATFORM_TIME_ZONE, China's by default), never the
 * browser's: a reviewer whose computer is set to UTC, or a learner abroad, sees the same 今天 and 本年度 as the server
 * counts in (issue 21 §1: the 数据看板 showed zeros for the last hours of the China day in a UTC browser). Times are
 * shown with formatDateTime (format.ts). A unit test keeps `dayjs()` and `new Date().getFullYear()` out of every
 * other file of the web apps.
 *
 * The zone comes from the `cpe-time-zone` meta the server writes into index.html (http/web-index.ts), read by each
 * app's main.tsx before its first render: no request is needed. A page without it keeps the default.
 */
export function readPlatformTimeZone(doc: Pick<Document, 'querySelector'> | undefined = globalThis.document): string {
  const configured = doc?.querySelector('meta[name="cpe-time-zone"]')?.getAttribute('content');
  try {
    setPlatformTimeZone(configured || DEFAULT_PLATFORM_TIME_ZONE);
  } catch {
    setPlatformTimeZone(DEFAULT_PLATFORM_TIME_ZONE);
  }
  return platformTimeZone();
}

export const platformDay = (): string => dayOf(new Date());

/** Today's platform date as a dayjs date (midnight, for date pickers and day arithmetic). */
export const platformToday = (): Dayjs => dayjs(platformDay(), 'YYYY-MM-DD');

export const platformYear = (): number => Number(platformDay().slice(0, 4));

/**
 * Date-time pickers show and take the platform's wall-clock time, not the browser's: a picker's value is a dayjs whose
 * fields (year … minute) are the platform zone's, whatever zone the computer is set to. `toPlatformPicker` makes one
 * from a stored instant; `fromPlatformPicker` turns a picked value back into the instant, written with the zone's
 * offset at that time (daylight saving included), so 17:00 picked in a UTC browser is 17:00 in Chongqing.
 */
export const toPlatformPicker = (iso: string | Date): Dayjs =>
  dayjs(formatDateTime(typeof iso === 'string' ? iso : iso.toISOString()), 'YYYY-MM-DD HH:mm:ss');

export const fromPlatformPicker = (value: Dayjs): string => {
  // A time the clocks skip (spring forward) is moved past the gap; the offset is the one in force then.
  const instant = zonedInstant(value.format('YYYY-MM-DDTHH:mm:ss'));
  return `${platformDateTime(instant).replace(' ', 'T')}${offsetText(instant)}`;
};

/** Whether a picked platform time is later than now. */
export const isPickedAfterNow = (value: Dayjs): boolean => new Date(fromPlatformPicker(value)).getTime() > Date.now();
