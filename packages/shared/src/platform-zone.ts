/**
 * The platform's time zone: the zone in which "today", "this year", day ranges, document dates and the times on
 * screens and in exports are counted (storage stays UTC). Configuration, default Asia/Shanghai (China keeps UTC+8 all
 * year); a zone with daylight saving works too, as these functions ask Intl for the offset at each instant.
 *
 * One value per process, set once at start: the server from PLATFORM_TIME_ZONE (config.ts), the web apps from the
 * `cpe-time-zone` meta the server writes into index.html. It is module state rather than a parameter because every
 * layer (documents, exports, SQL, adapters' stamps, the browser's formatting) needs the same one and none may differ.
 */

export const DEFAULT_PLATFORM_TIME_ZONE = 'Asia/Shanghai';

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function fieldsFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
      era: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The IANA name as Intl spells it (asia/shanghai → Asia/Shanghai), or null when it is not a time zone. */
export function canonicalTimeZone(zone: string): string | null {
  if (typeof zone !== 'string' || zone.trim() === '') return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone.trim() }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

let current = DEFAULT_PLATFORM_TIME_ZONE;

/** Sets the platform's zone (at start); refuses a name that is not a time zone. */
export function setPlatformTimeZone(zone: string): void {
  const canonical = canonicalTimeZone(zone);
  if (!canonical) throw new RangeError(`not a time zone: ${zone}`);
  current = canonical;
}

export const platformTimeZone = (): string => current;

// Since 1970 every zone's offset is a multiple of 15 minutes and changes at a local time on a quarter hour, so the
// offset is constant within each UTC quarter hour: cached per quarter, an export of 10,000 rows asks Intl a few
// times instead of 20,000 (formatToParts costs microseconds per call).
const QUARTER_MS = 900_000;
const offsetCache = new Map<string, number>();

/** How far the zone's wall clock is ahead of UTC at the instant, in ms (+8 h in China; −4 or −5 h in New York). */
export function zoneOffsetMs(instant: number, zone = current): number {
  if (zone === 'UTC') return 0;
  if (instant < 0) return askOffset(instant, zone);
  const key = `${zone}@${Math.floor(instant / QUARTER_MS)}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    offset = askOffset(instant, zone);
    if (offsetCache.size >= 50_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

function askOffset(instant: number, zone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  const p: Record<string, string> = {};
  for (const { type, value } of fieldsFormatter(zone).formatToParts(whole)) p[type] = value;
  let year = Number(p.year);
  if (p.era === 'BC' || p.era === 'B') year = 1 - year;
  const wall = Date.UTC(year, Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - whole;
}

/**
 * The instant's wall-clock time in the zone, as a Date whose UTC fields read it: `.toISOString().slice(0, 10)` is the
 * zone's date, `.getUTCHours()` its hour. Only for reading fields, never as an instant.
 */
export const wallClockOf = (instant: Date | number, zone = current): Date => {
  const t = typeof instant === 'number' ? instant : instant.getTime();
  return new Date(t + zoneOffsetMs(t, zone));
};

/** The zone's date (YYYY-MM-DD) of an instant: "today" is platformDay(new Date()). */
export const platformDay = (instant: Date | number, zone = current): string =>
  wallClockOf(instant, zone).toISOString().slice(0, 10);

export const platformYear = (instant: Date | number, zone = current): number =>
  wallClockOf(instant, zone).getUTCFullYear();

/** YYYY-MM-DD HH:mm:ss on the zone's wall clock. */
export const platformDateTime = (instant: Date | number, zone = current): string =>
  wallClockOf(instant, zone).toISOString().slice(0, 19).replace('T', ' ');

/**
 * The instant a wall-clock time in the zone denotes ('YYYY-MM-DDTHH:mm[:ss[.SSS]]'). A time the clocks skip (spring
 * forward) is read with the offset before the change, so it lands just after the gap; a time that occurs twice
 * (fall back) is its first occurrence.
 */
export function zonedInstant(wall: string, zone = current): Date {
  const asUtc = Date.parse(`${wall}Z`);
  if (Number.isNaN(asUtc)) throw new RangeError(`not a wall-clock time: ${wall}`);
  const before = zoneOffsetMs(asUtc - DAY_MS, zone);
  const after = zoneOffsetMs(asUtc + DAY_MS, zone);
  // The earlier offset first: the first occurrence of a repeated time, and the pre-change reading of a skipped one.
  for (const offset of before === after ? [before] : [before, after]) {
    const t = asUtc - offset;
    if (zoneOffsetMs(t, zone) === offset) return new Date(t);
  }
  return new Date(asUtc - before);
}

/** The first instant of a day in the zone; `plusDays` moves the day, so a day range is [from, to + 1). */
export function platformDayStart(day: string, plusDays = 0, zone = current): Date {
  const base = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(base)) throw new RangeError(`not a date: ${day}`);
  const shifted = new Date(base + plusDays * DAY_MS).toISOString().slice(0, 10);
  return zonedInstant(`${shifted}T00:00:00`, zone);
}

/** The last millisecond of a day in the zone (a deadline "until the end of 2026-12-31"). */
export const platformDayEnd = (day: string, zone = current): Date =>
  new Date(platformDayStart(day, 1, zone).getTime() - 1);

/** The zone's offset at the instant as ±HH:MM (RFC 3339), e.g. +08:00. */
export function offsetText(instant: Date | number, zone = current): string {
  const minutes = Math.round(zoneOffsetMs(typeof instant === 'number' ? instant : instant.getTime(), zone) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** YYYYMMDDHHmmss on the zone's wall clock (the head of 订单号). */
export const platformStamp = (instant: Date | number, zone = current): string =>
  wallClockOf(instant, zone).toISOString().replace(/[-:T]/g, '').slice(0, 14);

/** 2026年5月3日: the date printed on certificates and letters, in the zone. */
export function platformDateChinese(instant: Date | number, zone = current): string {
  const w = wallClockOf(instant, zone);
  return `${w.getUTCFullYear()}年${w.getUTCMonth() + 1}月${w.getUTCDate()}日`;
}
