import { platformDay } from '@cpe/shared/platform-zone';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/seed.js';
import { createTestEnv } from '../harness.js';

/**
 * A restart of the same build skips the demo seed's checks once a complete seed is marked (issue 22: half a second
 * of every start); a new build, a new year or another PUBLIC_URL checks everything again.
 */
const env = await createTestEnv();
const faqCount = async () =>
  Number((await env.ctx.db.execute(sql`select count(*)::int as n from faqs`)).rows[0]?.n ?? 0);

describe('the demo seed on a restart', () => {
  it('runs once per build, year and address; a deletion since is not undone by a restart of the same build', async () => {
    const first = await seedDemoData(env.ctx, { build: 'dist.aaaa1111' });
    expect(first.created).toEqual(expect.arrayContaining(['account:zhangsan', expect.stringMatching(/^faqs:\d+$/)]));
    expect(await faqCount()).toBeGreaterThan(0);
    // 张三's 学时登记 waits for 王五 (issue 19 §6): filed once, pending at the unit.
    expect(first.created).toContain('credit-claim:1');
    const claims = await env.ctx.db.execute(
      sql`select status, hours from credit_entries where source = 'claim' and title = '西部建筑科技创新学术年会'`,
    );
    // Two days of 学术会议 ending yesterday; on 1 and 2 January only one day of this year is behind us.
    const oneDay = platformDay(env.clock.now()).slice(5) <= '01-02';
    expect(claims.rows).toEqual([{ status: 'pending-unit', hours: oneDay ? 8 : 16 }]);

    // An operator deletes the demo 常见问题; restarting the same build leaves them deleted.
    await env.ctx.db.execute(sql`delete from faqs`);
    expect((await seedDemoData(env.ctx, { build: 'dist.aaaa1111' })).created).toEqual([]);
    expect(await faqCount()).toBe(0);

    // A new build checks everything again (its code may seed something new).
    expect((await seedDemoData(env.ctx, { build: 'dist.bbbb2222' })).created).toEqual([
      expect.stringMatching(/^faqs:\d+$/),
    ]);
    expect((await seedDemoData(env.ctx, { build: 'dist.bbbb2222' })).created).toEqual([]);

    // A new year: this year's 高研 batch and 公需科目 plan are made, whatever the build.
    env.clock.advance(366 * 24 * 3600_000);
    const year = Number(
      new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(env.clock.now()),
    );
    expect((await seedDemoData(env.ctx, { build: 'dist.bbbb2222' })).created).toEqual(
      expect.arrayContaining([`plan:${year}`, expect.stringMatching(new RegExp(`^batch:.*:${year}$`))]),
    );

    // Without a build (npm run dev, tests) nothing is skipped.
    await env.ctx.db.execute(sql`delete from faqs`);
    expect((await seedDemoData(env.ctx)).created).toEqual([expect.stringMatching(/^faqs:\d+$/)]);
  });
});
