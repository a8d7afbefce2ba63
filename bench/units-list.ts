/**
 * The 单位注册审核 list at realistic volume: seeds 1,000,000 accounts and 100,000 units (with their
 * registrations) and reports p50/p95 of the filtered list queries a reviewer runs, through the same
 * service the API uses. Target: p95 < 50 ms on PGlite and on PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../apps/server/src/config.js';
import { createContext } from '../apps/server/src/context.js';
import { openDatabase } from '../apps/server/src/db/client.js';
import type { ReviewerScope } from '../apps/server/src/modules/units/unit-review.service.js';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1_000_000);
const UNITS = Number(process.env.BENCH_UNITS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);

function pct(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

async function seed(ctx: ReturnType<typeof createContext>) {
  const t0 = performance.now();
  await ctx.db.execute(sql`
    insert into accounts (username, password_hash, real_name, id_number_hash, id_number_enc, phone_hash, phone_enc)
    select 'bench' || i, 'x',
      (array['王','李','张','刘','陈','杨','赵','黄'])[1 + i % 8] || (array['伟','芳','娜','敏','静','强','磊','洋'])[1 + (i / 8) % 8] || (array['华','明','丽','军','杰','涛'])[1 + (i / 64) % 6],
      md5('id' || i), 'x', md5('p' || i), 'x'
    from generate_series(1, ${ACCOUNTS}) as s(i)`);
  const t1 = performance.now();
  await ctx.db.execute(sql`
    with d as (select array_agg(id order by sort) as ids, array_agg(area_code order by sort) as codes from org_nodes where kind = 'district')
    insert into unit_applications (kind, status, applicant_account_id, applicant_name, applicant_phone_hash, category, unit_name, uscc,
      located_area, unit_type, reviewer_node_id, data, round, submitted_at)
    select 'register',
      (array['pending','rejected','approved','approved','approved'])[1 + i % 5],
      a.id, a.real_name, a.phone_hash,
      case when i % 50 = 0 then 'department' else 'unit' end,
      '重庆' || (array['渝中','江北','南岸','沙坪坝','九龙坡','北碚','渝北','巴南','万州','涪陵'])[1 + i % 10]
        || (array['科技','建设','医疗','教育','商贸','物流','咨询','环保'])[1 + (i / 10) % 8] || (array['有限公司','研究院','中心','事务所'])[1 + (i / 80) % 4] || i,
      upper(substr(md5('u' || i), 1, 18)),
      d.codes[1 + i % 38], (array['机关','事业单位','企业','社会团体','民办非企业单位','其他'])[1 + i % 6],
      d.ids[1 + i % 38], '{}'::jsonb, 1,
      now() - (i % 730) * interval '1 day' - (i % 1440) * interval '1 minute'
    from generate_series(1, ${UNITS}) as s(i)
    join accounts a on a.username = 'bench' || (i * 7 % ${ACCOUNTS} + 1)
    cross join d`);
  await ctx.db.execute(sql`
    insert into units (category, name, uscc, reg_area, insured_area, located_area, address, unit_type, is_grassroots, reviewer_node_id,
      licence_file_id, authorization_file_id, approved_at)
    select category, unit_name, uscc, located_area, located_area, located_area, '地址', unit_type, false, reviewer_node_id,
      gen_random_uuid(), gen_random_uuid(), submitted_at
    from unit_applications where status = 'approved' and uscc not in (select uscc from units)
    on conflict do nothing`);
  await ctx.db.execute(sql`analyze`);
  const t2 = performance.now();
  const counts = await ctx.db.execute(
    sql`select (select count(*) from accounts)::int as a, (select count(*) from unit_applications)::int as r, (select count(*) from units)::int as u`,
  );
  return { accountsMs: t1 - t0, unitsMs: t2 - t1, counts: counts.rows[0] as { a: number; r: number; u: number } };
}

async function run(label: string, databaseUrl?: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-bench-units-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl ?? '' });
  const database = await openDatabase({ databaseUrl, dataDir: databaseUrl ? undefined : path.join(dataDir, 'pglite') });
  await database.migrate();
  const ctx = createContext({ config, database });
  await ctx.org.seed();
  const s = await seed(ctx);
  console.log(
    `\n${label}: seeded ${s.counts.a.toLocaleString('en')} accounts in ${(s.accountsMs / 1000).toFixed(1)} s, ` +
      `${s.counts.r.toLocaleString('en')} registrations and ${s.counts.u.toLocaleString('en')} units in ${(s.unitsMs / 1000).toFixed(1)} s`,
  );
  const nodes = await ctx.org.all();
  const yuzhong = nodes.find((n) => n.areaCode === '500103')?.id as string;
  const district: ReviewerScope = {
    nodeId: yuzhong,
    actorType: 'staff',
    actorId: yuzhong,
    actorName: 'b',
    reviewerName: 'b',
  };
  const city: ReviewerScope = { ...district, nodeId: null };
  const base = { sort: '-submittedAt' as const, page: 1, pageSize: 20 };
  const phoneOwner = (await ctx.db.execute(sql`select applicant_phone_hash from unit_applications limit 1`)).rows[0];
  void phoneOwner;
  const cases: Array<[string, ReviewerScope, Record<string, unknown>]> = [
    ['district, 待主管部门审核 tab', district, { status: 'pending' }],
    ['district, all, page 20', district, { page: 20 }],
    ['city, all', city, {}],
    ['city, 单位名称 contains 科技', city, { unitName: '科技' }],
    ['city, 单位名称 contains a rare word', city, { unitName: '渝中医疗研究院' }],
    ['city, 申请人 contains 王伟', city, { applicantName: '王伟' }],
    ['city, 统一社会信用代码 prefix', city, { uscc: 'A1B' }],
    ['city, 所在地 渝中区', city, { area: '500103' }],
    ['city, 单位类型 + 审核通过', city, { unitType: '企业', status: 'approved' }],
    ['city, 申请日期 one month', city, { submittedFrom: '2026-01-01', submittedTo: '2026-01-31' }],
    ['city, sort by 单位名称, page 50', city, { sort: 'unitName', page: 50 }],
    ['district, 手机号 exact', district, { phone: '13800000000' }],
  ];
  console.log('| query | p50 | p95 |');
  console.log('| --- | --- | --- |');
  const all: number[] = [];
  for (const [name, scope, q] of cases) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await ctx.unitReview.list(scope, { ...base, ...q } as never);
      times.push(performance.now() - t);
    }
    all.push(...times.slice(3));
    console.log(`| ${name} | ${pct(times.slice(3), 50).toFixed(1)} ms | ${pct(times.slice(3), 95).toFixed(1)} ms |`);
  }
  console.log(
    `| **all queries** | **${pct(all, 50).toFixed(1)} ms** | **${pct(all, 95).toFixed(1)} ms** (target < 50 ms) |`,
  );
  await database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return pct(all, 95);
}

/** A throw-away database on the given server, dropped afterwards (the benchmark writes a million rows). */
export async function withScratchDatabase<T>(serverUrl: string, fn: (url: string) => Promise<T>): Promise<T> {
  const pg = (await import('pg')).default;
  const name = `cpe_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  try {
    return await fn(u.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

export async function benchUnitsList() {
  const results = [await run('PGlite')];
  const server = process.env.BENCH_DATABASE_URL;
  if (server) results.push(await withScratchDatabase(server, (url) => run('PostgreSQL', url)));
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchUnitsList();
