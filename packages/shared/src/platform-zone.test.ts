import { afterEach, describe, expect, it } from 'vitest';
import {
  canonicalTimeZone,
  DEFAULT_PLATFORM_TIME_ZONE,
  offsetText,
  platformDateTime,
  platformDay,
  platformDayEnd,
  platformDayStart,
  platformTimeZone,
  platformYear,
  setPlatformTimeZone,
  zonedInstant,
  zoneOffsetMs,
} from './platform-zone.js';

const H = 3_600_000;
afterEach(() => setPlatformTimeZone(DEFAULT_PLATFORM_TIME_ZONE));

describe('the platform time zone', () => {
  it('is Asia/Shanghai unless configured, and refuses names that are not zones', () => {
    expect(platformTimeZone()).toBe('Asia/Shanghai');
    expect(canonicalTimeZone('asia/shanghai')).toBe('Asia/Shanghai');
    for (const bad of ['', ' ', 'China', 'UTC+8', 'Asia/Chongqing/x', 'Mars/Olympus'])
      expect(canonicalTimeZone(bad), bad).toBeNull();
    expect(() => setPlatformTimeZone('Mars/Olympus')).toThrow(RangeError);
    expect(platformTimeZone()).toBe('Asia/Shanghai');
  });

  it('in China: UTC+8 every day of the year', () => {
    for (const iso of ['2026-01-15T12:00:00Z', '2026-07-15T12:00:00Z'])
      expect(zoneOffsetMs(Date.parse(iso))).toBe(8 * H);
    expect(platformDay(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(platformYear(new Date('2026-12-31T15:59:59Z'))).toBe(2026);
    expect(platformDateTime(new Date('2026-12-07T04:39:13.999Z'))).toBe('2026-12-07 12:39:13');
    expect(platformDayStart('2026-12-07').toISOString()).toBe('2026-12-06T16:00:00.000Z');
    expect(platformDayStart('2026-12-31', 1).toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(platformDayEnd('2026-12-31').toISOString()).toBe('2026-12-31T15:59:59.999Z');
    expect(offsetText(Date.now())).toBe('+08:00');
  });

  it('in a zone with daylight saving: days of 23 and 25 hours, skipped and repeated times', () => {
    setPlatformTimeZone('America/New_York');
    // 2026-03-08: clocks spring forward at 02:00 → the day has 23 hours.
    const march = platformDayStart('2026-03-08');
    expect(march.toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(platformDayStart('2026-03-08', 1).getTime() - march.getTime()).toBe(23 * H);
    // 2026-11-01: clocks fall back at 02:00 → 25 hours.
    expect(platformDayStart('2026-11-02').getTime() - platformDayStart('2026-11-01').getTime()).toBe(25 * H);
    // 02:30 does not exist on 03-08: read with the winter offset, it lands at 03:30 EDT.
    expect(zonedInstant('2026-03-08T02:30:00').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    // 01:30 happens twice on 11-01: the first (EDT).
    expect(zonedInstant('2026-11-01T01:30:00').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(offsetText(new Date('2026-07-01T00:00:00Z'))).toBe('-04:00');
    expect(offsetText(new Date('2026-12-01T00:00:00Z'))).toBe('-05:00');
    expect(platformDay(new Date('2026-12-07T03:00:00Z'))).toBe('2026-12-06');
  });

  it('round-trips every hour of a year in zones east, west and with half hours', () => {
    for (const zone of ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe']) {
      for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += H) {
        const wall = platformDateTime(t, zone).replace(' ', 'T');
        // Repeated wall times (fall back) map to their first instant: one hour (or 30 min) earlier at most.
        const back = zonedInstant(wall, zone).getTime();
        expect(t - back === 0 || (t - back > 0 && t - back <= H), `${zone} ${new Date(t).toISOString()}`).toBe(true);
      }
    }
  });
});
