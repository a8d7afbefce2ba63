/**
 * The portal on a phone (issue 22 §4): Lighthouse's mobile preset (its default config: a Moto G Power's screen,
 * simulated slow 4G and a 4× slower CPU) against the built app as `npm start` serves it — the compiled server on a
 * fresh PGlite data folder with the demo data — on the portal's first pages, BENCH_LIGHTHOUSE_RUNS runs each
 * (default 3), medians reported. /study and /certificates are opened as the demo learner zhangsan (signed in over
 * the API, the session's cookies put in the browser's jar before those runs).
 * Prints the table and writes it into bench/README.md between the lighthouse markers, with the machine's load.
 * Alone: node --import tsx bench/lighthouse.ts [/path …] (only those pages; CHROMIUM_PATH, default
 * /usr/bin/chromium; BENCH_LIGHTHOUSE_REPORTS=<folder> keeps every run's full report as JSON).
 * BENCH_LIGHTHOUSE_BEFORE=<web dist folder> (a build of an earlier commit: its portal/ with .br/.gz beside the
 * files, as scripts/build.mjs writes it) serves that build from a second server and measures both builds run by
 * run, alternately: on a shared machine whose load changes by the minute, only figures taken together compare.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lighthouse from 'lighthouse';
import WebSocket from 'ws';
import { type RunningServer, startServer } from '../apps/server/test/process/server-process.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const README = path.join(ROOT, 'bench/README.md');
const RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const START = '<!-- lighthouse:start -->';
const END = '<!-- lighthouse:end -->';
const TARGET = { performance: 90, accessibility: 95, lcpMs: 2500, tbtMs: 200 };

interface Page {
  label: string;
  path: string;
  signedIn?: boolean;
}

interface Run {
  performance: number;
  accessibility: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  kb: number;
  failedA11y: string[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Debian's Chromium with the flags this machine needs, its DevTools port read from what it prints. */
async function launchChromium(): Promise<{
  port: number;
  child: ChildProcess;
  browser: (method: string, params?: object) => Promise<unknown>;
  close: () => Promise<void>;
}> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-lh-chromium-'));
  const child = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const wsUrl = await new Promise<string>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start:\n${err}`)), 30_000);
    child.stderr?.on('data', (d) => {
      err += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', () => reject(new Error(`Chromium exited:\n${err}`)));
  });
  // The browser's own DevTools session: cookies are set in its jar (a Cookie header given to Lighthouse is replaced
  // by the jar's as soon as the page has a cookie of its own, such as the CSRF cookie).
  const socket = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let lastId = 0;
  const pending = new Map<number, (msg: { result?: unknown; error?: { message: string } }) => void>();
  socket.on('message', (data) => {
    const msg = JSON.parse(String(data));
    pending.get(msg.id)?.(msg);
    pending.delete(msg.id);
  });
  const browser = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++lastId;
      pending.set(id, (msg) =>
        msg.error ? reject(new Error(`${method}: ${msg.error.message}`)) : resolve(msg.result),
      );
      socket.send(JSON.stringify({ id, method, params }));
    });
  return {
    port: Number(new URL(wsUrl).port),
    child,
    browser,
    async close() {
      socket.close();
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** 个人用户 login over the API as the login page does it: CSRF cookie, slider answered from the demo outbox. */
async function learnerCookies(
  base: string,
  identifier: string,
  password: string,
): Promise<Array<{ name: string; value: string }>> {
  const jar = new Map<string, string>();
  const absorb = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      if (i > 0) jar.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: {
        cookie: cookie(),
        'x-csrf-token': decodeURIComponent(jar.get('cpe_csrf') ?? ''),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    absorb(res);
    if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  await call('GET', '/api/csrf');
  const { id } = await call<{ id: string }>('POST', '/api/captchas/slider');
  const outbox = await call<{ items: Array<{ code: string }> }>(
    'GET',
    `/api/dev/outbox?kind=slider-captcha&to=${encodeURIComponent(id)}`,
  );
  const x = Number(outbox.items[0]?.code);
  const { token } = await call<{ token: string }>('POST', `/api/captchas/slider/${id}/verify`, { x });
  await call('POST', '/api/sessions', { loginType: 'person', identifier, password, sliderToken: token });
  if (!jar.has('cpe_sid')) throw new Error('no session cookie after login');
  return [...jar].map(([name, value]) => ({ name, value }));
}

const REPORTS = process.env.BENCH_LIGHTHOUSE_REPORTS;

async function audit(port: number, url: string): Promise<Run> {
  const result = await lighthouse(url, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility'],
  });
  const lhr = result?.lhr;
  if (!lhr) throw new Error(`no Lighthouse result for ${url}`);
  if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.message}`);
  if (REPORTS) {
    // Every run's full report (open it with Lighthouse's viewer, or read the JSON): where the time went.
    fs.mkdirSync(REPORTS, { recursive: true });
    const name = `${new URL(url).pathname.replace(/\W+/g, '_') || '_'}-${Date.now()}.json`;
    fs.writeFileSync(path.join(REPORTS, name), JSON.stringify(lhr));
  }
  const n = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  // A page that lands elsewhere (a login redirect) would measure the wrong page.
  if (new URL(lhr.finalDisplayedUrl).pathname !== new URL(url).pathname) {
    throw new Error(`${url} ended at ${lhr.finalDisplayedUrl}`);
  }
  const a11y = lhr.categories.accessibility;
  return {
    performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
    accessibility: Math.round((a11y?.score ?? 0) * 100),
    fcpMs: n('first-contentful-paint'),
    lcpMs: n('largest-contentful-paint'),
    tbtMs: n('total-blocking-time'),
    cls: n('cumulative-layout-shift'),
    kb: n('total-byte-weight') / 1024,
    failedA11y: (a11y?.auditRefs ?? [])
      .filter((r) => r.weight > 0 && lhr.audits[r.id]?.score === 0)
      .map((r) => `${r.id}: ${lhr.audits[r.id]?.title}`),
  };
}

/** Medians of one page's runs as table cells (✗ where a target is missed). */
function cells(runs: Run[]): string[] {
  const m = (k: keyof Omit<Run, 'failedA11y'>) => median(runs.map((r) => r[k]));
  const perf = runs.map((r) => r.performance).sort((a, b) => a - b);
  const mark = (ok: boolean, s: string) => (ok ? s : `${s} ✗`);
  return [
    `${mark(m('performance') >= TARGET.performance, String(m('performance')))} (${perf[0]}–${perf.at(-1)})`,
    mark(m('accessibility') >= TARGET.accessibility, String(m('accessibility'))),
    `${(m('fcpMs') / 1000).toFixed(1)} s`,
    mark(m('lcpMs') <= TARGET.lcpMs, `${(m('lcpMs') / 1000).toFixed(1)} s`),
    mark(m('tbtMs') <= TARGET.tbtMs, `${m('tbtMs').toFixed(0)} ms`),
    m('cls').toFixed(3),
    `${m('kb').toFixed(0)} KB`,
  ];
}

/** One row per page; with a before build, each cell reads `before → now`. */
function table(rows: Array<{ page: Page; runs: Run[]; before?: Run[] }>): string {
  const out = [
    '| page | performance | accessibility | FCP | LCP | TBT | CLS | transferred |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const { page, runs, before } of rows) {
    const now = cells(runs);
    const then = before ? cells(before) : undefined;
    out.push(`| ${page.label} | ${now.map((c, i) => (then ? `${then[i]} → ${c}` : c)).join(' | ')} |`);
  }
  return out.join('\n');
}

function writeReadme(text: string) {
  const readme = fs.readFileSync(README, 'utf8');
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`bench/README.md has no ${START} … ${END} section`);
  fs.writeFileSync(README, `${readme.slice(0, from + START.length)}\n${text}\n${readme.slice(to)}`);
}

const BEFORE = process.env.BENCH_LIGHTHOUSE_BEFORE;

/** A server on a fresh data folder (the demo data), the plan to open and the demo learner's cookies. */
async function site(env: Record<string, string>, signIn: boolean) {
  const server = await startServer(env, { compiled: true });
  const base = server.publicUrl;
  const plans = (await (await fetch(`${base}/api/plans`)).json()) as { items: Array<{ id: string }> };
  const planId = plans.items[0]?.id;
  if (!planId) throw new Error('no 公需科目 plan in the demo data');
  const cookies = signIn ? await learnerCookies(base, 'zhangsan', 'Demo@2026') : [];
  return { server, base, planId, cookies };
}

export async function benchLighthouse(only: string[] = []) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  // The build npm start serves (skipped when nothing changed).
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');

  if (BEFORE && !fs.existsSync(path.join(BEFORE, 'portal/index.html'))) throw new Error(`no portal build in ${BEFORE}`);
  const dataDirs: string[] = [];
  const servers: RunningServer[] = [];
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    const pages: Page[] = [
      { label: '首页 `/`', path: '/' },
      { label: '登录 `/login`', path: '/login' },
      { label: '注册 `/register`', path: '/register' },
      { label: '公需科目 `/gxkm`', path: '/gxkm' },
      { label: '计划 `/gxkm/plans/:id`', path: '/gxkm/plans/:id' },
      { label: '课程培训 `/study` (signed in)', path: '/study', signedIn: true },
      { label: '我的证书 `/certificates` (signed in)', path: '/certificates', signedIn: true },
    ].filter((p) => only.length === 0 || only.some((o) => p.path === o || p.path.startsWith(`${o}/`)));
    const signIn = pages.some((p) => p.signedIn);
    const start = async (env: Record<string, string>) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-bench-lh-'));
      dataDirs.push(dataDir);
      const s = await site({ DATA_DIR: dataDir, ...env }, signIn);
      servers.push(s.server);
      return s;
    };
    // The build of this checkout, and the one to compare with (if any), side by side.
    const builds = [
      { name: 'now', ...(await start({})) },
      ...(BEFORE ? [{ name: 'before', ...(await start({ WEB_DIST_DIR: path.resolve(BEFORE) })) }] : []),
    ];

    chromium = await launchChromium();
    const loadBefore = load();
    const started = new Date();
    const rows: Array<{ page: Page; runs: Run[]; before?: Run[] }> = [];
    // Once per page before measuring: the server's first answer of each kind (file reads, query plans) is not
    // what a phone meets on a running platform.
    for (const b of builds) for (const page of pages) await fetch(`${b.base}${page.path.replace(':id', b.planId)}`);
    for (const page of pages) {
      const runs = new Map<string, Run[]>(builds.map((b) => [b.name, []]));
      for (let i = 0; i < RUNS; i++) {
        for (const b of builds) {
          const url = `${b.base}${page.path.replace(':id', b.planId)}`;
          const browser = chromium;
          const once = async () => {
            // Signed in (the learner's cookies in the jar) or not (none), whatever the run before left.
            await browser.browser('Storage.clearCookies');
            if (page.signedIn) {
              await browser.browser('Storage.setCookies', { cookies: b.cookies.map((c) => ({ ...c, url: b.base })) });
            }
            return audit(browser.port, url);
          };
          const r = await once().catch(async (err: Error) => {
            // Seen once on the loaded machine: an interstitial for a page the server answers. Say what the server
            // answers and what it logged, and try that run again.
            const res = await fetch(url).catch((e: Error) => e.message);
            console.warn(`${err.message}
  GET ${url} → ${typeof res === 'string' ? res : res.status}`);
            console.warn(b.server.output().slice(-2000));
            return once();
          });
          runs.get(b.name)?.push(r);
          console.log(
            `${page.path}${builds.length > 1 ? ` (${b.name})` : ''} run ${i + 1}: performance ${r.performance}, ` +
              `accessibility ${r.accessibility}, FCP ${r.fcpMs.toFixed(0)} ms, LCP ${r.lcpMs.toFixed(0)} ms, ` +
              `TBT ${r.tbtMs.toFixed(0)} ms, CLS ${r.cls.toFixed(3)}, ${r.kb.toFixed(0)} KB`,
          );
        }
      }
      const now = runs.get('now') ?? [];
      const failed = [...new Set(now.flatMap((r) => r.failedA11y))];
      if (failed.length) console.log(`  accessibility audits failed on ${page.path}:\n    ${failed.join('\n    ')}`);
      rows.push({ page, runs: now, before: runs.get('before') });
    }
    const loadAfter = load();
    const text = [
      `Measured ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC on this machine (${os.cpus().length} cores, ` +
        `shared), Lighthouse 12.2.3 mobile preset (simulated throttling), Chromium ${chromiumVersion()}; ` +
        `median of ${RUNS} runs (performance: median and range)` +
        (BEFORE ? ', the earlier build and this one measured alternately, run by run (`before → now`)' : '') +
        `; load average (1, 5, 15 min) ${loadBefore} before, ${loadAfter} after. ✗ marks a figure that misses its ` +
        `target (performance ≥ ${TARGET.performance}, accessibility ≥ ${TARGET.accessibility}, ` +
        `LCP ≤ ${TARGET.lcpMs / 1000} s, TBT ≤ ${TARGET.tbtMs} ms).`,
      '',
      table(rows),
    ].join('\n');
    console.log(`\n== Lighthouse, mobile preset\n${text}`);
    if (only.length === 0) writeReadme(text);
    else console.log('(some pages only: bench/README.md left as it is)');
  } finally {
    await chromium?.close();
    for (const server of servers) await server.stop('SIGINT');
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function chromiumVersion(): string {
  const r = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
  return /[\d.]+/.exec(r.stdout)?.[0] ?? '?';
}

if (import.meta.url === `file://${process.argv[1]}`) await benchLighthouse(process.argv.slice(2));
