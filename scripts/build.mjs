#!/usr/bin/env node
/**
 * `npm run build` (and the first half of `npm start`): compiles what production runs.
 *
 * - packages/shared and apps/server: TypeScript → JavaScript with source maps (esbuild, one file per module, the
 *   folder layout kept, so paths relative to a module — fonts, migrations, the web build — stay right). The server
 *   then runs on plain `node --conditions=cpe-dist` (see packages/shared/package.json's exports): no TypeScript
 *   loader at run time.
 * - apps/web: the portal and the console (Vite), then .br/.gz beside every text asset.
 *
 * Nothing changed since the last build (the same hash over every input file): nothing is built, so a second
 * `npm start` goes straight to the server. A build is written to a new folder `<target>.<hash>` and `<target>` — a
 * symbolic link — is switched to it only when it is complete (a rename: atomic), so an instance that is running
 * beside the build never serves from a half-written folder. The two newest builds of each target are kept: pages
 * loaded before a switch still find their chunks.
 *
 * Plain JavaScript on purpose: `npm start` must not need a TypeScript loader before the build exists.
 * Usage: node scripts/build.mjs [--force]
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const KEEP = 2;
const force = process.argv.includes('--force');

/** Everything a build reads: a change to any of these makes a new build. */
const INPUTS = [
  'package-lock.json',
  'scripts/build.mjs',
  'packages/shared/package.json',
  'packages/shared/src',
  'apps/server/package.json',
  'apps/server/src',
  'apps/web/package.json',
  'apps/web/vite.config.ts',
  'apps/web/scripts',
  'apps/web/public',
  'apps/web/src',
];

function* files(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile()) yield full;
  }
}

function inputHash() {
  const hash = crypto.createHash('sha256');
  for (const input of INPUTS) {
    const abs = path.join(ROOT, input);
    if (!fs.existsSync(abs)) continue;
    const list = fs.statSync(abs).isDirectory() ? [...files(abs)].sort() : [abs];
    for (const file of list) {
      hash.update(path.relative(ROOT, file));
      hash.update('\0');
      hash.update(fs.readFileSync(file));
      hash.update('\0');
    }
  }
  return hash.digest('hex').slice(0, 12);
}

/** A build target: `<dir>` is a link to `<dir>.<hash>`. */
const target = (dir) => ({
  link: path.join(ROOT, dir),
  folder: (hash) => path.join(ROOT, `${dir}.${hash}`),
  current() {
    try {
      return fs.readlinkSync(this.link);
    } catch {
      return null;
    }
  },
});
const TARGETS = {
  shared: target('packages/shared/dist'),
  server: target('apps/server/dist'),
  web: target('apps/web/dist'),
};

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`构建失败：${cmd} ${args.join(' ')}`);
    process.exit(r.status ?? 1);
  }
}

/** TypeScript → JavaScript, one module per file; other files (SQL migrations and their journal) are copied. */
async function compile(srcDir, outDir) {
  const { build } = await import('esbuild');
  const all = [...files(path.join(ROOT, srcDir))];
  const entryPoints = all.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'));
  await build({
    entryPoints,
    outdir: outDir,
    outbase: path.join(ROOT, srcDir),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Maps point at the .ts files (node --enable-source-maps): stack traces name the lines a developer edits.
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  for (const f of all.filter((f) => !f.endsWith('.ts'))) {
    const to = path.join(outDir, path.relative(path.join(ROOT, srcDir), f));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(f, to);
  }
}

/** Points the link at the finished folder: a new link renamed over the old one (an existing folder goes first). */
function switchTo(t, folder) {
  const relative = path.basename(folder);
  const stat = fs.lstatSync(t.link, { throwIfNoEntry: false });
  // A checkout from before this script has a real dist/ folder: replaced once.
  if (stat && !stat.isSymbolicLink()) fs.rmSync(t.link, { recursive: true, force: true });
  const tmp = `${t.link}.link-${process.pid}`;
  fs.rmSync(tmp, { force: true });
  fs.symlinkSync(relative, tmp);
  fs.renameSync(tmp, t.link);
}

/** Whether a running server still uses the folder (apps/server/src/lib/build-in-use.ts marks it). */
function inUse(folder) {
  let pids = [];
  try {
    pids = fs.readdirSync(path.join(folder, '.in-use'));
  } catch {
    return false;
  }
  return pids.some((pid) => {
    try {
      process.kill(Number(pid), 0);
      return true;
    } catch (err) {
      return err.code === 'EPERM';
    }
  });
}

/**
 * Keeps the current build, the one before it and any a running instance still uses; older ones and unfinished ones
 * of dead builds go.
 */
function prune(t, current) {
  const dir = path.dirname(t.link);
  const base = path.basename(t.link);
  const builds = fs
    .readdirSync(dir)
    .filter((n) => n.startsWith(`${base}.`) && /^[0-9a-f]{12}(\.tmp-\d+|\.\d+)?$/.test(n.slice(base.length + 1)))
    .map((n) => ({ n, at: fs.statSync(path.join(dir, n)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  let kept = 0;
  for (const b of builds) {
    const finished = !b.n.includes('.tmp-');
    if (b.n === path.basename(current) || (finished && ++kept < KEEP)) continue;
    if (finished && inUse(path.join(dir, b.n))) continue;
    fs.rmSync(path.join(dir, b.n), { recursive: true, force: true });
  }
}

/**
 * One build at a time in a checkout (two `npm start`s side by side): the second waits for the first, then finds
 * its work done. A lock left by a build that died (its process is gone) is taken over.
 */
async function lock() {
  const file = path.join(ROOT, 'node_modules/.cpe-build.lock');
  for (let waited = 0; ; waited += 200) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      const release = () => fs.rmSync(file, { force: true });
      process.on('exit', release);
      return;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    const holder = Number(fs.readFileSync(file, 'utf8')) || 0;
    let alive = false;
    try {
      process.kill(holder, 0);
      alive = holder > 0;
    } catch {}
    if (!alive) fs.rmSync(file, { force: true });
    else {
      if (waited === 0) console.log(`另一个构建正在进行（进程 ${holder}），等待其完成…`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

await lock();
const hash = inputHash();
const done = Object.values(TARGETS).every((t) => {
  const current = t.current();
  return (
    !!current && (current === path.basename(t.folder(hash)) || current.startsWith(`${path.basename(t.folder(hash))}.`))
  );
});
if (done && !force) {
  console.log(`构建已是最新（${hash}），跳过构建`);
  process.exit(0);
}
const started = Date.now();
console.log(`构建 ${hash} …`);

/**
 * Builds into `<folder>.tmp-<pid>`, renames it when whole, then switches the link. A forced build of unchanged
 * inputs gets its own folder (`<folder>.<pid>`): the live one is never deleted or renamed under a running instance.
 */
async function buildInto(t, make) {
  let final = t.folder(hash);
  if (fs.existsSync(final) && force) final = `${final}.${process.pid}`;
  if (!fs.existsSync(final)) {
    const tmp = `${t.folder(hash)}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    await make(tmp);
    fs.renameSync(tmp, final);
  }
  // The folder's time orders the builds for pruning.
  const now = new Date();
  fs.utimesSync(final, now, now);
  switchTo(t, final);
  prune(t, final);
}

await buildInto(TARGETS.shared, (out) => compile('packages/shared/src', out));
await buildInto(TARGETS.server, (out) => compile('apps/server/src', out));
await buildInto(TARGETS.web, (out) => {
  const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
  for (const mode of ['portal', 'console'])
    run(process.execPath, [vite, 'build', '--mode', mode, '--outDir', path.join(out, mode), '--emptyOutDir'], {
      cwd: path.join(ROOT, 'apps/web'),
    });
  run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'apps/web/scripts/compress.ts'), out]);
});
console.log(`构建完成（${hash}），用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
