import type { Page } from 'playwright-core';

/** Today and yesterday in the platform's time zone (the one the server writes into the page). */
export const platformDays = (page: Page) =>
  page.evaluate(() => {
    const zone = document.querySelector('meta[name="cpe-time-zone"]')?.getAttribute('content') || 'Asia/Shanghai';
    const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(d);
    const now = new Date();
    return { today: day(now), yesterday: day(new Date(now.getTime() - 86_400_000)) };
  });

/** Types a date into an antd DatePicker (desktop: its input takes typing) and closes the panel. */
export async function pickDate(page: Page, label: string, day: string) {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(day);
  await input.press('Enter');
}
