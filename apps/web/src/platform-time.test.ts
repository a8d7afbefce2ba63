import fs from 'node:fs';
import path from 'node:path';
import { zoneOffsetMs } from '@cpe/shared/platform-zone';
import dayjs from 'dayjs';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDateTime } from './shared/format';
import {
  fromPlatformPicker,
  platformDay,
  platformToday,
  platformYear,
  readPlatformTimeZone,
  toPlatformPicker,
} from './shared/platform-time';

/**
 * "Today", "this year" and clock times in both web apps are the platform's (China), not the browser's: the 数据看板
 * showed zeros for the last hours of the China day in a browser set to UTC. Every source file is read for the ways a
 * page reads the browser's clock or time zone; only shared/platform-time.ts and shared/format.ts may.
 */
const ROOT = 'apps/web/src';
const ALLOWED = new Set(['shared/platform-time.ts', 'shared/format.ts', 'platform-time.test.ts']);
// `.format()` without a pattern writes the browser's offset: a picked time sent that way is the browser's, not China's.
const BROWSER_CLOCK =
  /\bdayjs\(\s*\)|\.get(FullYear|Month|Date|Day|Hours|Minutes)\(\)|toLocale(Date|Time)String\(|\.toLocaleString\(\s*\)|\.format\(\s*\)/;

describe('web pages count days in the platform’s time zone', () => {
  const files = fs
    .readdirSync(ROOT, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !ALLOWED.has(f.split(path.sep).join('/')));
  it('reads the sources', () => {
    expect(files.length).toBeGreaterThan(100);
  });
  it.each(files)('%s reads no browser clock', (file) => {
    const hits = fs
      .readFileSync(path.join(ROOT, file), 'utf8')
      .split('\n')
      .map((text, i) => ({ line: i + 1, text: text.trim() }))
      .filter((l) => BROWSER_CLOCK.test(l.text));
    expect(hits).toEqual([]);
  });

  it.each(files.filter((f) => fs.readFileSync(path.join(ROOT, f), 'utf8').match(/\bshowTime\b/)))(
    '%s: its date-time picker goes through the platform-time helpers',
    (file) => {
      expect(fs.readFileSync(path.join(ROOT, file), 'utf8')).toMatch(
        /import \{[^}]*\b(fromPlatformPicker|toPlatformPicker|isPickedAfterNow)\b[^}]*\} from '[./]+\/shared\/platform-time'/,
      );
    },
  );

  it('a picked time is China’s: 17:00 picked is 09:00 UTC, and a stored instant shows as China’s clock', () => {
    expect(new Date(fromPlatformPicker(dayjs('2027-06-30 17:00', 'YYYY-MM-DD HH:mm'))).toISOString()).toBe(
      '2027-06-30T09:00:00.000Z',
    );
    expect(toPlatformPicker('2027-06-30T09:00:00Z').format('YYYY-MM-DD HH:mm')).toBe('2027-06-30 17:00');
    expect(toPlatformPicker('2026-12-31T16:00:00Z').format('YYYY-MM-DD HH:mm')).toBe('2027-01-01 00:00');
  });

  it('gives China’s date whatever the browser’s zone (here: whatever the test machine’s)', () => {
    const china = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(platformDay()).toBe(china);
    expect(platformToday().format('YYYY-MM-DD')).toBe(china);
    expect(platformYear()).toBe(Number(china.slice(0, 4)));
  });
});

describe('the zone the server configured (the cpe-time-zone meta of index.html)', () => {
  const page = (zone: string | null) => ({
    querySelector: () => (zone === null ? null : ({ getAttribute: () => zone } as unknown as Element)),
  });
  afterEach(() => readPlatformTimeZone(page(null)));

  it('follows it: days, shown times and picked times in New York, daylight saving included', () => {
    expect(readPlatformTimeZone(page('America/New_York'))).toBe('America/New_York');
    expect(formatDateTime('2026-12-07T03:00:00Z')).toBe('2026-12-06 22:00:00');
    expect(formatDateTime('2026-07-07T03:00:00Z')).toBe('2026-07-06 23:00:00');
    expect(fromPlatformPicker(dayjs('2026-12-07 17:00', 'YYYY-MM-DD HH:mm'))).toBe('2026-12-07T17:00:00-05:00');
    expect(fromPlatformPicker(dayjs('2026-07-07 17:00', 'YYYY-MM-DD HH:mm'))).toBe('2026-07-07T17:00:00-04:00');
    // 02:30 on the day the clocks spring forward does not exist: it is taken as 03:30 EDT.
    expect(fromPlatformPicker(dayjs('2026-03-08 02:30', 'YYYY-MM-DD HH:mm'))).toBe('2026-03-08T03:30:00-04:00');
    expect(toPlatformPicker('2026-12-07T22:00:00Z').format('YYYY-MM-DD HH:mm')).toBe('2026-12-07 17:00');
    const newYork = new Date(Date.now() + zoneOffsetMs(Date.now(), 'America/New_York')).toISOString().slice(0, 10);
    expect(platformDay()).toBe(newYork);
  });

  it('keeps China’s without the meta or with a name that is no zone', () => {
    for (const meta of [null, '', 'Mars/Olympus', '"><script>']) {
      expect(readPlatformTimeZone(page(meta)), String(meta)).toBe('Asia/Shanghai');
      expect(fromPlatformPicker(dayjs('2027-06-30 17:00', 'YYYY-MM-DD HH:mm'))).toBe('2027-06-30T17:00:00+08:00');
    }
  });
});
