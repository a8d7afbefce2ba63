import { daysBetween, shiftDay, type TCalendarDayKind } from '@cpe/shared';

/**
 * 国务院办公厅关于2026年部分节假日安排的通知: every day of each holiday period (weekend days too, so the console
 * shows the whole period as 休) and the weekend days worked instead (班). Staff correct it in 系统管理 → 工作日历.
 */
const periods: Array<{ name: string; from: string; to: string; workdays: string[] }> = [
  { name: '元旦', from: '2026-01-01', to: '2026-01-03', workdays: ['2026-01-04'] },
  { name: '春节', from: '2026-02-15', to: '2026-02-23', workdays: ['2026-02-14', '2026-02-28'] },
  { name: '清明节', from: '2026-04-04', to: '2026-04-06', workdays: [] },
  { name: '劳动节', from: '2026-05-01', to: '2026-05-05', workdays: ['2026-05-09'] },
  { name: '端午节', from: '2026-06-19', to: '2026-06-21', workdays: [] },
  { name: '中秋节', from: '2026-09-25', to: '2026-09-27', workdays: [] },
  { name: '国庆节', from: '2026-10-01', to: '2026-10-07', workdays: ['2026-09-20', '2026-10-10'] },
];

const daysOf = (from: string, to: string) =>
  Array.from({ length: daysBetween(from, to) + 1 }, (_, i) => shiftDay(from, i));

export const HOLIDAYS_2026: ReadonlyArray<{ day: string; kind: TCalendarDayKind; name: string }> = periods.flatMap(
  (p) => [
    ...daysOf(p.from, p.to).map((day) => ({ day, kind: 'holiday' as const, name: p.name })),
    ...p.workdays.map((day) => ({ day, kind: 'workday' as const, name: `${p.name}调休上班` })),
  ],
);

/** The official arrangements this build knows, by year: seeded once per year (a year with any day is left alone). */
export const OFFICIAL_ARRANGEMENTS: ReadonlyMap<number, typeof HOLIDAYS_2026> = new Map([[2026, HOLIDAYS_2026]]);
