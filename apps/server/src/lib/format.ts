/**
 * Times as a person in China reads them in messages and documents (storage stays UTC). Excel exports write real
 * date cells in China time instead, through lib/xlsx-writer.ts.
 */
const CHINA_DATE_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  dateStyle: 'short',
  timeStyle: 'medium',
  hour12: false,
});

export const chinaDateTime = (d: Date | null | undefined): string => (d ? CHINA_DATE_TIME.format(d) : '');

/** The start of a China day (YYYY-MM-DD, UTC+8) as an instant; `plusDays` moves it, so a day range is [from, to+1). */
export function chinaDayStart(day: string, plusDays = 0): Date {
  const d = new Date(`${day}T00:00:00+08:00`);
  d.setUTCDate(d.getUTCDate() + plusDays);
  return d;
}

/** The China date (YYYY-MM-DD, UTC+8) of an instant. */
export function chinaDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
