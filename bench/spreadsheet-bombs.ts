/**
 * Issue 20 §1, spreadsheet bombs: a 学员注册名单 upload that inflates to 450 MB and one with 3,000,000 empty rows,
 * each handed to the roster service (file-type check, the limit-checking streaming reader, the refusal) while
 * /healthz of the same process is asked over real HTTP one request after another. Prints the refusal time, the
 * peak growth of resident memory (sampled every 5 ms), the slowest /healthz and the longest event-loop stall
 * (perf_hooks' monitorEventLoopDelay); beside them a full 10,000-row list read the same way, which is what the
 * limits must let through. Targets (the issue's): refused within seconds, /healthz < 200 ms, memory < 200 MB.
 * Alone: node --import tsx bench/spreadsheet-bombs.ts
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { ROSTER_MAX_ROWS } from '@cpe/shared';
import { buildPublicApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config.js';
import { createContext } from '../apps/server/src/context.js';
import { openDatabase } from '../apps/server/src/db/client.js';
import { parseRosterXlsx } from '../apps/server/src/modules/roster/roster-excel.js';
import { emptyRowsXlsx, inflatedSize, inflatingXlsx } from '../apps/server/test/xlsx-bombs.js';
import { rosterFile } from './roster.js';

const MB = 1024 * 1024;
const meta = { ip: '127.0.0.1', userAgent: 'bench' };

interface Watched {
  ms: number;
  growthMb: number;
  healthzMs: number;
  probes: number;
  stallMs: number;
  outcome: string;
}

async function watched(base: string, work: () => Promise<string>): Promise<Watched> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let done = false;
  const probes: number[] = [];
  const probing = (async () => {
    while (!done) {
      const t = performance.now();
      await (await fetch(`${base}/healthz`)).arrayBuffer();
      probes.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const t = performance.now();
  const outcome = await work().finally(() => {
    done = true;
  });
  const ms = performance.now() - t;
  await probing;
  loop.disable();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return {
    ms,
    growthMb: (peak - before) / MB,
    healthzMs: Math.max(...probes),
    probes: probes.length,
    stallMs: loop.max / 1e6,
    outcome,
  };
}

export async function benchSpreadsheetBombs() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-bench-bombs-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: '' });
  const database = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
  try {
    await database.migrate();
    const ctx = createContext({ config, database });
    const app = await buildPublicApp(ctx, { logLevel: 'silent' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    await (await fetch(`${base}/healthz`)).arrayBuffer();
    const actor = { type: 'staff' as const, id: '00000000-0000-0000-0000-000000000001' };
    const refused = async (data: Buffer) => {
      try {
        await ctx.roster.upload(actor, { data, name: 'bomb.xlsx' }, meta);
        return 'ACCEPTED (should have been refused)';
      } catch (err) {
        const e = err as { fields?: { file?: string }; message: string };
        return e.fields?.file ?? e.message;
      }
    };
    const legit = await rosterFile(ROSTER_MAX_ROWS);
    const inflating = inflatingXlsx(450);
    const emptyRows = emptyRowsXlsx(3_000_000);
    const files: Array<[string, Buffer, () => Promise<string>]> = [
      ['inflates to 450 MB', inflating, () => refused(inflating)],
      ['3,000,000 empty rows', emptyRows, () => refused(emptyRows)],
      [
        `${ROSTER_MAX_ROWS.toLocaleString('en')}-row list (read only)`,
        legit,
        async () => `read ${(await parseRosterXlsx(legit, ROSTER_MAX_ROWS)).rows.length} rows`,
      ],
    ];
    console.log(
      '\n学员注册名单 upload of hostile files (roster service, streaming reader; /healthz over HTTP meanwhile)\n',
    );
    console.log('| file | size | inflates to | outcome | time | peak RSS growth | slowest /healthz | longest stall |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    let met = true;
    for (const [label, file, work] of files) {
      // Once to warm the code paths, then measured.
      await work();
      const w = await watched(base, work);
      const bomb = !label.includes('list');
      met &&= (!bomb || w.ms < 10_000) && w.healthzMs < 200 && w.growthMb < 200;
      console.log(
        `| ${label} | ${(file.length / 1024).toFixed(0)} KB | ${(inflatedSize(file) / MB).toFixed(0)} MB | ${w.outcome} | ${Math.round(w.ms)} ms | ${w.growthMb.toFixed(0)} MB | ${w.healthzMs.toFixed(0)} ms (${w.probes} probes) | ${w.stallMs.toFixed(0)} ms |`,
      );
    }
    console.log(`\ntargets (refused < 10 s, /healthz < 200 ms, RSS growth < 200 MB): ${met ? 'met' : 'NOT met'}`);
    await app.close();
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSpreadsheetBombs();
