import { createRequire } from 'node:module';
import type { TCalendarDayKind } from '@cpe/shared';

/**
 * The State Council's holiday arrangements (国务院办公厅关于部分节假日安排的通知) from 2004 on, as published in the
 * maintained package chinese-days (MIT, github.com/vsme/chinese-days; a new release follows each year's notice):
 * every day of each holiday period (weekend days too, so the console shows the whole period as 休) and the weekend
 * days worked instead (班). Staff correct or add a year in 系统管理 → 工作日历 before the package has it.
 */
interface ChineseDays {
  /** 'YYYY-MM-DD' → "English name,中文名,n" */
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}
const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDays;

const chineseName = (entry: string) => entry.split(',')[1] ?? entry;

export type OfficialDay = { day: string; kind: TCalendarDayKind; name: string };

function byYear(): Map<number, OfficialDay[]> {
  const out = new Map<number, OfficialDay[]>();
  const add = (day: string, d: OfficialDay) => {
    const year = Number(day.slice(0, 4));
    out.set(year, [...(out.get(year) ?? []), d]);
  };
  for (const [day, entry] of Object.entries(data.holidays))
    add(day, { day, kind: 'holiday', name: chineseName(entry) });
  for (const [day, entry] of Object.entries(data.workdays))
    add(day, { day, kind: 'workday', name: `${chineseName(entry)}调休上班` });
  for (const days of out.values()) days.sort((a, b) => a.day.localeCompare(b.day));
  return new Map([...out].sort(([a], [b]) => a - b));
}

/** The official arrangements this build knows, by year: seeded once per year (a year with any day is left alone). */
export const OFFICIAL_ARRANGEMENTS: ReadonlyMap<number, readonly OfficialDay[]> = byYear();
