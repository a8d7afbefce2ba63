import { timestamp } from 'drizzle-orm/pg-core';

/** Every time column: timestamptz, read as a JS Date (UTC in storage, shown in the platform's time zone). */
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
