/**
 * 团体购买 and payment notifications at volume, through the same services and routes the API uses:
 * - validation of 10,000 pasted ID numbers against 10,000 registered accounts (target < 2 s), beside the
 *   floor of that work (normalising and checking the lines in JavaScript alone);
 * - verified notifications processed per second (signature check, payment and order locked, enrolment,
 *   one transaction each) beside a bare Fastify route answering the same requests through inject.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { idNumberCheckChar, normalizeIdNumber, validateIdNumber } from '@cpe/shared';
import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { buildPublicApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config.js';
import { createContext } from '../apps/server/src/context.js';
import { openDatabase } from '../apps/server/src/db/client.js';
import { withScratchDatabase } from './units-list.js';

const LINES = Number(process.env.BENCH_GROUP_LINES ?? 10_000);
const NOTIFICATIONS = Number(process.env.BENCH_NOTIFICATIONS ?? 2_000);
const CONCURRENCY = 20;
const meta = { ip: '127.0.0.1', userAgent: 'bench' };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function idNumbers(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const birth = new Date(Date.UTC(1960, 0, 1) + (i % 12_000) * 86_400_000)
      .toISOString()
      .slice(0, 10)
      .replace(/-/g, '');
    const first17 = `500103${birth}${String(i % 1000).padStart(3, '0')}`;
    out.push(first17 + idNumberCheckChar(first17));
  }
  return [...new Set(out)];
}

async function run(label: string, databaseUrl?: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-bench-buy-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl ?? '',
    GATEWAY_DUPLICATE_NOTIFY: '0',
  });
  const database = await openDatabase({ databaseUrl, dataDir: databaseUrl ? undefined : path.join(dataDir, 'pglite') });
  await database.migrate();
  const ctx = createContext({ config, database });
  const app = await buildPublicApp(ctx, { logLevel: 'silent' });

  // 10,000 registered people with real ID numbers (their lookup hashes as registration stores them).
  const ids = idNumbers(LINES);
  const hashes = ids.map((id) => ctx.pii.lookupHash(id));
  await ctx.db.execute(sql`
    insert into accounts (username, password_hash, real_name, id_number_hash, id_number_enc)
    select 'buy' || i, 'x', '学员' || i, h, 'x'
    from unnest(${sql.param(hashes)}::text[]) with ordinality as t(h, i)`);
  const buyer = (await ctx.db.execute(sql`select id from accounts where username = 'buy1'`)).rows[0] as { id: string };
  const now = Date.now();
  const course = await ctx.courses.create(
    buyer.id,
    { title: '基准测试课程', teacher: '基准', hours: 30, coverFileId: null, description: '' },
    meta,
  );
  const plan = await ctx.purchase.plans.create(
    buyer.id,
    {
      name: '基准测试公需科目培训',
      year: new Date().getFullYear(),
      priceFen: 12_000,
      requiredHours: 30,
      saleFrom: new Date(now - 86_400_000).toISOString(),
      saleTo: new Date(now + 86_400_000 * 30).toISOString(),
      description: '',
      coverFileId: null,
      courseIds: [course.id],
      published: true,
    },
    meta,
  );
  const text = ids.join('\n');

  const floor: number[] = [];
  const check: number[] = [];
  for (let r = 0; r < 5; r++) {
    let t = performance.now();
    for (const line of text.split('\n')) validateIdNumber(normalizeIdNumber(line.trim()));
    floor.push(performance.now() - t);
    t = performance.now();
    const res = await ctx.purchase.orders.groupCheck(buyer.id, { planId: plan.id, idNumbers: text });
    check.push(performance.now() - t);
    if (res.valid !== ids.length) throw new Error(`expected ${ids.length} valid, got ${res.valid}`);
  }

  // Orders with one payment attempt each, then their signed SUCCESS notifications through the real route.
  const accounts = (await ctx.db.execute(sql`select id from accounts order by username limit ${NOTIFICATIONS}`))
    .rows as Array<{ id: string }>;
  const bodies: string[] = [];
  for (const [i, a] of accounts.entries()) {
    const order = await ctx.purchase.orders.orderIndividual(
      a.id,
      { planId: plan.id, invoice: { mode: 'later' } },
      meta,
    );
    const outTradeNo = `B${order.orderNo}${String(i).padStart(5, '0')}`;
    await ctx.db.execute(sql`
      insert into payments (order_id, out_trade_no, channel, provider, amount_fen, status)
      values (${order.id}, ${outTradeNo}, 'alipay', 'local', ${order.amountFen}, 'created')`);
    const fields = ctx.purchase.gateway.signed({
      notify_id: `n${i}`,
      notify_time: new Date().toISOString(),
      channel: 'alipay',
      out_trade_no: outTradeNo,
      trade_no: `T${i}`,
      total_fen: String(order.amountFen),
      trade_status: 'SUCCESS',
      paid_at: new Date().toISOString(),
    });
    bodies.push(new URLSearchParams(fields).toString());
  }
  const bare = Fastify();
  bare.addContentTypeParser('*', { parseAs: 'buffer' }, (_r, b, done) => done(null, b));
  bare.post('/notify', async () => 'success');
  async function fire(inject: (body: string) => Promise<{ body: string }>) {
    let next = 0;
    let ok = 0;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++] as string;
          if ((await inject(body)).body === 'success') ok++;
        }
      }),
    );
    return { perSecond: (bodies.length / (performance.now() - t)) * 1000, ok };
  }
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  const base = await fire((payload) => bare.inject({ method: 'POST', url: '/notify', payload, headers }));
  const ours = await fire((payload) =>
    app.inject({ method: 'POST', url: '/api/payments/notify/alipay', payload, headers }),
  );
  const paid = (await ctx.db.execute(sql`select count(*)::int as n from orders where status = 'paid'`)).rows[0] as {
    n: number;
  };
  if (ours.ok !== bodies.length || paid.n !== bodies.length)
    throw new Error(`notifications not all applied: ${ours.ok}, ${paid.n}`);

  console.log(`\n${label}:`);
  console.log('| measure | value |');
  console.log('| --- | --- |');
  console.log(
    `| 团体购买 check of ${ids.length.toLocaleString('en')} lines, median of 5 | ${median(check).toFixed(0)} ms (target < 2000: ${median(check) < 2000 ? 'met' : 'NOT met'}) |`,
  );
  console.log(
    `| floor: normalise + GB 11643 check in JS only | ${median(floor).toFixed(1)} ms (ratio ${(median(check) / median(floor)).toFixed(0)}×) |`,
  );
  console.log(
    `| payment notifications applied (${bodies.length}, ${CONCURRENCY} at a time) | ${ours.perSecond.toFixed(0)} /s |`,
  );
  console.log(
    `| bare Fastify route, same requests | ${base.perSecond.toFixed(0)} /s (ratio ${(ours.perSecond / base.perSecond).toFixed(3)}) |`,
  );
  await app.close();
  await bare.close();
  await database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

export async function benchPurchase() {
  await run('PGlite');
  const server = process.env.BENCH_DATABASE_URL;
  if (server) await withScratchDatabase(server, (url) => run('PostgreSQL', url));
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPurchase();
