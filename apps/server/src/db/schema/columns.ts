import { timestamp } from 'drizzle-orm/pg-core';

/** Every time column: timestamptz, read as a JS Date (UTC in storage, shown in Asia/Shanghai). */
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
