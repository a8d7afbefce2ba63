/**
 * 学时档案 at the city's scale (issue 19 §5): 1,000,000 people with 10 entries each (10,000,000 credit_entries), every
 * one a member of a unit (40,000 units of realistic sizes — one of 5,000 members, a long tail of small ones — across
 * the 38 districts), 5 % of them moved last year. Measures, through the code the API runs:
 *   - one person's record (credits.service recordOf): p95 < 50 ms;
 *   - 单位中心 → 学时统计 of the 5,000-member unit (credits.repo unitStats, one page with its summary): < 300 ms;
 *   - the city's 达标率 by 区县 (学时统计, credit-admin.service): < 3 s;
 * and, for reading, the other 学时统计 and 学时查询 queries. On PGlite and, with BENCH_DATABASE_URL, on a scratch
 * database of that server (cpe_bench_credits, dropped afterwards). BENCH_CREDIT_PEOPLE, BENCH_CREDIT_ENTRIES scale it.
 *
 *   node --import tsx bench/credits-scale.ts
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/credits-scale.ts
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { platformDayStart, platformYear } from '@cpe/shared/platform-zone';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../apps/server/src/config.js';
import { createContext } from '../apps/server/src/context.js';
import type { Db } from '../apps/server/src/db/client.js';
import { openDatabase } from '../apps/server/src/db/client.js';
import { createCreditAdminRepo } from '../apps/server/src/modules/credits/credit-admin.repo.js';
import { yearRange } from '../apps/server/src/modules/credits/credit-admin.service.js';
import { createCreditsRepo } from '../apps/server/src/modules/credits/credits.repo.js';

const PEOPLE = Number(process.env.BENCH_CREDIT_PEOPLE ?? 1_000_000);
const ENTRIES = Number(process.env.BENCH_CREDIT_ENTRIES ?? 10);
/** Units besides the big one; sizes follow a square law, so a few hold thousands and most a dozen or two. */
const UNITS = Math.max(10, Math.round(PEOPLE / 25));
const BIG_UNIT = Math.min(5_000, Math.floor(PEOPLE / 4));
/** People per INSERT … SELECT: bounded statements, whatever the scale. */
const CHUNK = 100_000;

const uuidOf = (text: string) => {
  const h = crypto.createHash('md5').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
/** The ids the seed gives (md5(...)::uuid in SQL), so the measurements can name a person or the big unit. */
const accountIdOf = (i: number) => uuidOf(`acct${i}`);
const BIG_UNIT_ID = uuidOf('unit1');

function pct(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

const ms = (t: number) => (t >= 100 ? `${Math.round(t).toLocaleString('en')} ms` : `${t.toFixed(1)} ms`);

/**
 * A bulk load into a table without its indexes and unique/primary constraints, which are built again afterwards from
 * their own definitions (pg_indexes, pg_constraint): one sort per index instead of millions of random inserts into
 * them. Nothing references these tables by foreign key.
 */
async function withoutIndexes(db: Db, table: string, load: () => Promise<void>) {
  const constraints = (
    await db.execute(
      sql`select conname, pg_get_constraintdef(oid) as def from pg_constraint
          where conrelid = ${table}::regclass and contype in ('p', 'u')`,
    )
  ).rows as Array<{ conname: string; def: string }>;
  const owned = new Set(constraints.map((c) => c.conname));
  const indexes = (
    (
      await db.execute(
        sql`select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename = ${table}`,
      )
    ).rows as Array<{ indexname: string; indexdef: string }>
  ).filter((i) => !owned.has(i.indexname));
  for (const c of constraints) await db.execute(sql.raw(`alter table "${table}" drop constraint "${c.conname}"`));
  for (const i of indexes) await db.execute(sql.raw(`drop index "${i.indexname}"`));
  await load();
  for (const c of constraints)
    await db.execute(sql.raw(`alter table "${table}" add constraint "${c.conname}" ${c.def}`));
  for (const i of indexes) await db.execute(sql.raw(i.indexdef));
}

async function seed(ctx: ReturnType<typeof createContext>, year: number) {
  const db = ctx.db;
  const idEnc = ctx.pii.encrypt('500103199003074518');
  const phoneEnc = ctx.pii.encrypt('13800138000');
  const t0 = performance.now();
  await withoutIndexes(db, 'accounts', async () => {
    for (let lo = 1; lo <= PEOPLE; lo += CHUNK) {
      const hi = Math.min(PEOPLE, lo + CHUNK - 1);
      await db.execute(sql`
        insert into accounts (id, username, password_hash, real_name, id_type, id_number_hash, id_number_enc,
          phone_hash, phone_enc, created_at)
        select md5('acct' || i)::uuid, 'cb' || i, 'x',
          (array['王','李','张','刘','陈','杨','赵','黄'])[1 + i % 8] || (array['伟','芳','娜','敏','静','强','磊','洋'])[1 + (i / 8) % 8]
            || (array['华','明','丽','军','杰','涛'])[1 + (i / 64) % 6],
          'idCard', md5('cid' || i), ${idEnc}, md5('cph' || i), ${phoneEnc}, now() - (i % 1500) * interval '1 day'
        from generate_series(${lo}::int, ${hi}::int) as s(i)`);
    }
  });
  const t1 = performance.now();
  // Units: 1 is the big one (渝中区); the others spread over the districts and the six 单位类型.
  await db.execute(sql`
    with d as (
      select array_agg(id order by sort, area_code) as ids, array_agg(area_code order by sort, area_code) as codes,
        count(*)::int as n
      from org_nodes where kind = 'district'
    )
    insert into units (id, category, name, uscc, reg_area, insured_area, located_area, address, unit_type, is_grassroots,
      reviewer_node_id, licence_file_id, authorization_file_id, approved_at)
    select md5('unit' || u)::uuid, 'unit', '重庆学时测试单位' || u || '有限公司', upper(substr(md5('cu' || u), 1, 18)),
      c.code, c.code, c.code, '地址', (array['机关','事业单位','企业','社会团体','民办非企业单位','其他'])[1 + u % 6],
      false, c.node, gen_random_uuid(), gen_random_uuid(), now()
    from generate_series(1, ${UNITS + 1}) as s(u) cross join d
    cross join lateral (
      select case when u = 1 then '500103' else d.codes[1 + u % d.n] end as code,
        case when u = 1 then (select id from org_nodes where area_code = '500103') else d.ids[1 + u % d.n] end as node
    ) c`);
  // Members: the first BIG_UNIT people at unit 1, the rest at 2…UNITS+1 by a square law of a hash (a few large
  // units, a long tail); every 20th moved last year (a left row at another unit, the current one since mid-year).
  const unitOf = sql`case when i <= ${BIG_UNIT} then 1
    else 2 + floor(${UNITS} * power(((i::bigint * 2654435761) % 4294967296) / 4294967296.0, 2))::int end`;
  const moved = sql`(i % 20 = 0)`;
  // Bulk loads go around the triggers of migration 0034 (they would run once per row); credit_year_totals is then
  // filled in one statement as the migration does, and each year's unit figures on first use (measured below).
  await db.execute(sql`alter table unit_members disable trigger user`);
  await db.execute(sql`alter table credit_entries disable trigger user`);
  await withoutIndexes(db, 'unit_members', async () => {
    for (let lo = 1; lo <= PEOPLE; lo += CHUNK) {
      const hi = Math.min(PEOPLE, lo + CHUNK - 1);
      await db.execute(sql`
        insert into unit_members (account_id, unit_id, status, source, requested_at, decided_at, joined_at)
        select md5('acct' || i)::uuid, md5('unit' || (${unitOf}))::uuid, 'confirmed', 'self', j, j, j
        from generate_series(${lo}::int, ${hi}::int) as s(i)
        cross join lateral (select case when ${moved} then ${platformDayStart(`${year - 1}-07-01`).toISOString()}::timestamptz
          else '2018-01-01'::timestamptz + (i % 2000) * interval '1 day' end as j) t`);
      await db.execute(sql`
        insert into unit_members (account_id, unit_id, status, source, requested_at, decided_at, joined_at, left_at)
        select md5('acct' || i)::uuid, md5('unit' || (2 + ((${unitOf}) + 7) % ${UNITS}))::uuid, 'left', 'self',
          '2016-01-01', '2016-01-01', '2016-01-01', ${platformDayStart(`${year - 1}-07-01`).toISOString()}::timestamptz
        from generate_series(${lo}::int, ${hi}::int) as s(i) where ${moved}`);
    }
  });
  const t2 = performance.now();
  // Entries: per person ENTRIES of them over the last five years (公需 10–40, 专业 30–80 a year), ~8 % not (yet)
  // 已认定; about a third of the people 达标 in a year.
  await withoutIndexes(db, 'credit_entries', async () => {
    for (let lo = 1; lo <= PEOPLE; lo += CHUNK) {
      const hi = Math.min(PEOPLE, lo + CHUNK - 1);
      await db.execute(sql`
        insert into credit_entries (id_hash, year, category, form, title, hours, source, source_id, status)
        select md5('cid' || i), ${year} - (k % 5),
          case when k % 10 < 5 then 'public' else 'professional' end,
          case when k % 10 < 5 then '网络学习' else '面授培训' end,
          '年度继续教育培训' || k,
          case when k % 10 < 5 then 10 + h % 31 else 30 + h % 51 end,
          'import', gen_random_uuid(),
          case h % 25 when 0 then 'pending-bureau' when 1 then 'rejected' else 'confirmed' end
        from generate_series(${lo}::int, ${hi}::int) as s(i)
        cross join generate_series(0, ${ENTRIES - 1}) as e(k)
        cross join lateral (select ((i::bigint * 7919 + k * 104729) % 1000)::int as h) x`);
    }
  });
  const t3 = performance.now();
  await withoutIndexes(db, 'credit_year_totals', async () => {
    await db.execute(sql`
      insert into credit_year_totals (id_hash, year, public_hours, professional_hours)
      select id_hash, year, coalesce(sum(hours) filter (where category <> 'professional'), 0),
        coalesce(sum(hours) filter (where category = 'professional'), 0)
      from credit_entries where status = 'confirmed' group by 1, 2`);
  });
  await db.execute(sql`alter table unit_members enable trigger user`);
  await db.execute(sql`alter table credit_entries enable trigger user`);
  await db.execute(sql`analyze`);
  const t4 = performance.now();
  const [counts] = (
    await db.execute(sql`select (select count(*) from accounts)::int as a, (select count(*) from units)::int as u,
      (select count(*) from unit_members)::int as m, (select count(*) from credit_entries)::int as e,
      (select count(*) from unit_members where unit_id = ${BIG_UNIT_ID})::int as big`)
  ).rows as Array<{ a: number; u: number; m: number; e: number; big: number }>;
  if (!counts) throw new Error('no counts');
  return { accountsMs: t1 - t0, unitsMs: t2 - t1, entriesMs: t3 - t2, totalsMs: t4 - t3, counts };
}

interface Measure {
  name: string;
  /** The issue's bound on the figure compared; null = for reading. */
  target: number | null;
  runs: number;
  warmup: number;
  /** The i-th run (so one person's record reads a different person each time). */
  run: (i: number) => Promise<unknown>;
  /** Which figure the target is about. */
  stat: 'p95' | 'p50';
}

interface Result {
  name: string;
  target: number | null;
  stat: 'p95' | 'p50';
  p50: number;
  p95: number;
}

async function measure(m: Measure): Promise<Result> {
  const times: number[] = [];
  for (let i = 0; i < m.warmup + m.runs; i++) {
    const t = performance.now();
    await m.run(i);
    if (i >= m.warmup) times.push(performance.now() - t);
  }
  return { name: m.name, target: m.target, stat: m.stat, p50: pct(times, 50), p95: pct(times, 95) };
}

async function run(label: string, databaseUrl?: string): Promise<Result[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-bench-credits-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl ?? '' });
  const database = await openDatabase({ databaseUrl, dataDir: databaseUrl ? undefined : path.join(dataDir, 'pglite') });
  try {
    await database.migrate();
    const ctx = createContext({ config, database });
    await ctx.org.seed();
    const year = platformYear(new Date());
    const s = await seed(ctx, year);
    console.log(
      `\n${label}: seeded ${s.counts.a.toLocaleString('en')} people in ${(s.accountsMs / 1000).toFixed(0)} s; ` +
        `${s.counts.u.toLocaleString('en')} units and ${s.counts.m.toLocaleString('en')} 工作单位 links (the big unit: ` +
        `${s.counts.big.toLocaleString('en')}) in ${(s.unitsMs / 1000).toFixed(0)} s; ` +
        `${s.counts.e.toLocaleString('en')} credit entries (indexes built) in ${(s.entriesMs / 1000).toFixed(0)} s; ` +
        `credit_year_totals filled (as migration 0034 does) and analyzed in ${(s.totalsMs / 1000).toFixed(0)} s`,
    );
    // A year's unit figures, computed in one pass the first time the year is asked for (then kept by triggers).
    const adminRepo = createCreditAdminRepo();
    const t = performance.now();
    await ctx.db.transaction((tx) => adminRepo.ensureYear(tx, yearRange(year)));
    const firstUse = performance.now() - t;
    console.log(`  first use of ${year} (every unit's figures in one pass, once a year): ${ms(firstUse)}`);
    const credits = createCreditsRepo();
    const yearStart = platformDayStart(`${year}-01-01`);
    const yearEnd = platformDayStart(`${year + 1}-01-01`);
    // People to read: spread over the whole range, a different one each run (no cache helps).
    const someone = (i: number) => accountIdOf(1 + ((i * 7_919 + 13) % PEOPLE));
    const yuzhong = { areaCode: '500103', name: '渝中区人力资源和社会保障局' };
    // 学时统计 by 单位类型, the drill-down and 学时查询 go through the service as a 培训中心 operator asks them.
    await ctx.staff.ensure({
      username: 'benchop',
      password: 'Bench@2026x',
      displayName: '基准测试',
      roles: ['training-operator'],
    });
    const [op] = (await ctx.db.execute(sql`select id::text as id from staff_accounts where username = 'benchop'`))
      .rows as Array<{ id: string }>;
    const staffId = op?.id as string;
    const measures: Measure[] = [
      {
        name: "one person's record (recordOf)",
        target: 50,
        stat: 'p95',
        runs: 60,
        warmup: 5,
        run: (i) => ctx.credits.recordOf(someone(i)),
      },
      {
        name: `学时统计 of the ${BIG_UNIT.toLocaleString('en')}-member unit (credits.repo unitStats, page 1 + summary)`,
        target: 300,
        stat: 'p95',
        runs: 20,
        warmup: 2,
        run: () =>
          credits.unitStats(ctx.db, {
            unitId: BIG_UNIT_ID,
            year,
            yearStart,
            yearEnd,
            filter: 'all',
            page: { page: 1, pageSize: 20 },
          }),
      },
      {
        name: 'the city’s 达标率 by 区县 (学时统计)',
        target: 3_000,
        stat: 'p95',
        runs: 20,
        warmup: 1,
        run: () => ctx.creditAdmin.yearByDistrict(year, null),
      },
      {
        name: 'the city’s 达标率 by 单位类型',
        target: null,
        stat: 'p50',
        runs: 3,
        warmup: 0,
        run: () => ctx.creditAdmin.stats(staffId, { year, by: 'unit-type' }),
      },
      {
        name: '渝中区 by 区县 (a 区县人社局)',
        target: null,
        stat: 'p50',
        runs: 5,
        warmup: 1,
        run: () => ctx.creditAdmin.yearByDistrict(year, yuzhong),
      },
      {
        name: 'units of 渝中区 by 达标率 (drill-down, page 1)',
        target: null,
        stat: 'p50',
        runs: 5,
        warmup: 1,
        run: () =>
          ctx.creditAdmin.unitStats(staffId, { year, district: '500103', sort: 'rate:asc', page: 1, pageSize: 20 }),
      },
      {
        name: 'a 学时更正 (entry, event, audit; the triggers update the person’s year and units)',
        target: null,
        stat: 'p50',
        runs: 10,
        warmup: 1,
        run: (i) =>
          ctx.creditAdmin.correct(
            staffId,
            someone(1_000 + i),
            { year, category: 'professional', form: '其他', hours: 10, title: '基准测试更正', reason: '基准测试' },
            { ip: '127.0.0.1', userAgent: 'bench' },
          ),
      },
      {
        name: '学时查询 by a full name, 王伟华 (page 1 + count)',
        target: null,
        stat: 'p50',
        runs: 5,
        warmup: 1,
        run: () => ctx.creditAdmin.people(staffId, { keyword: '王伟华', page: 1, pageSize: 20 }),
      },
      {
        name: '学时查询 by 姓名 contains 王伟 (1 in 64 of these names; page 1 + count)',
        target: null,
        stat: 'p50',
        runs: 5,
        warmup: 1,
        run: () => ctx.creditAdmin.people(staffId, { keyword: '王伟', page: 1, pageSize: 20 }),
      },
    ];
    const results: Result[] = [];
    for (const m of measures) {
      const r = await measure(m);
      results.push(r);
      console.log(`  ${r.name}: p50 ${ms(r.p50)}, p95 ${ms(r.p95)}`);
    }
    return results;
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A scratch database of its own on the given server, dropped afterwards (the bench writes ten million rows). */
async function withScratchDatabase<T>(serverUrl: string, fn: (url: string) => Promise<T>): Promise<T> {
  const pg = (await import('pg')).default;
  const name = 'cpe_bench_credits';
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

export async function benchCreditsScale() {
  console.log(
    `\n学时档案 at scale: ${PEOPLE.toLocaleString('en')} people × ${ENTRIES} entries, ` +
      `${(UNITS + 1).toLocaleString('en')} units, ${os.cpus().length} cores`,
  );
  const columns: Array<[string, Result[]]> = [['PGlite', await run('PGlite')]];
  const server = process.env.BENCH_DATABASE_URL;
  if (server) columns.push(['PostgreSQL', await withScratchDatabase(server, (url) => run('PostgreSQL', url))]);

  // Side by side: each figure, and its ratio to the target (≤ 1.00 meets it).
  const head = columns.map(([l]) => `${l} p50 | ${l} p95 | ${l} ÷ target`).join(' | ');
  console.log(`\n| measure | target | ${head} |`);
  console.log(`| --- | --- | ${columns.map(() => '--- | --- | ---').join(' | ')} |`);
  const first = columns[0]?.[1] ?? [];
  let met = true;
  first.forEach((r, i) => {
    const cells = columns.map(([, rs]) => {
      const x = rs[i] as Result;
      const figure = x.stat === 'p95' ? x.p95 : x.p50;
      const ratio = x.target ? figure / x.target : null;
      if (ratio !== null && ratio > 1) met = false;
      const shown = ratio === null ? '—' : `**${ratio >= 0.1 ? ratio.toFixed(2) : ratio.toPrecision(2)}**`;
      return `${ms(x.p50)} | ${ms(x.p95)} | ${shown}`;
    });
    const target = r.target === null ? '—' : `${r.stat} < ${ms(r.target)}`;
    console.log(`| ${r.name} | ${target} | ${cells.join(' | ')} |`);
  });
  console.log(`\ntargets: ${met ? 'all met' : 'NOT all met'}`);
  return met;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCreditsScale();
