import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { linkInstances } from './http/instance-events.js';
import { markBuildsInUse } from './lib/build-in-use.js';
import { loggableError } from './lib/loggable-error.js';

/**
 * When each step of the start ended, in ms since the process began (performance.now() counts from there, so module
 * loading is included). Logged once the listeners are up: the start-up figure of issue 22 and bench/startup.ts read it.
 */
const phases: Record<string, number> = {};
const phase = (name: string) => {
  phases[name] = Math.round(performance.now());
};
phase('modules');

/** Starts both listeners on one database; Ctrl-C closes them and then the database (PGlite must be closed cleanly). */
async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }

  // The application's modules (services, routes: ~0.5 s to load) are imported while the database opens (PGlite:
  // reading and compiling its WebAssembly, then PostgreSQL's own start, ~0.7 s), not one after the other.
  const [database, { createContext }, { buildPublicApp, buildStaffApp }, { DEMO_ACCOUNTS, seedDemoData }] =
    await Promise.all([
      openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite'),
        poolSize: config.databasePoolSize,
        pgliteSharedBuffers: config.pgliteSharedBuffers,
      }).then((db) => {
        phase('database');
        return db;
      }),
      import('./context.js'),
      import('./app.js'),
      import('./seed.js'),
    ]);
  phase('application modules');

  // Instances on one PostgreSQL tell each other what they changed; PGlite is one process, nobody to tell.
  // Its troubles are logged by the app's logger once it exists (the link starts before the apps are built).
  let linkTrouble = (err: unknown, what: string) => console.warn(what, err);
  const events = config.databaseUrl
    ? await linkInstances(config.databaseUrl, { onError: (err, what) => linkTrouble(err, what) })
    : undefined;
  const ctx = createContext({
    config,
    database,
    sessionEvents: events?.sessionEvents,
    studyEvents: events?.studyEvents,
  });
  events?.attach(ctx);

  // Instances starting together on one PostgreSQL take turns: migrations, then the organisation tree and calendar
  // (reference data, present in every mode), then demo accounts in demo mode — each created once.
  const seeded = await database.exclusive(async () => {
    await database.migrate();
    phase('migrations');
    await ctx.org.seed();
    await ctx.calendar.ensureSeeded();
    phase('reference data');
    return config.demoMode ? await seedDemoData(ctx, { build: compiledBuild() }) : { created: [] };
  });
  phase('demo data');
  // The compiled server's folder and the web build it serves stay while this process runs (scripts/build.mjs).
  markBuildsInUse([import.meta.dirname, ...(fs.existsSync(config.webDistDir) ? [config.webDistDir] : [])]);
  const publicApp = await buildPublicApp(ctx, { serveWeb: true });
  linkTrouble = (err, what) => publicApp.log.warn({ err }, what);
  const staffApp = await buildStaffApp(ctx, { serveWeb: true });
  await publicApp.listen({ host: config.host, port: config.port });
  await staffApp.listen({ host: config.staffHost, port: config.staffPort });
  phase('listening');
  const memoryMb = () => {
    const mb = (n: number) => Math.round(n / 1048576);
    const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
    // PGlite's database lives in a WebAssembly memory: counted in external and arrayBuffers, not in the heap.
    return { rss: mb(rss), heapUsed: mb(heapUsed), external: mb(external), arrayBuffers: mb(arrayBuffers) };
  };
  publicApp.log.info({ phases, memoryMb: memoryMb() }, `started in ${phases.listening} ms`);
  // Once the start's garbage is collected: the idle figure operators size instances by (bench/startup.ts reads it).
  setTimeout(() => publicApp.log.info({ memoryMb: memoryMb() }, 'memory 10 s after start'), 10_000).unref();

  // Expired captchas, codes, flows and sessions are purged in the background; a failure only logs.
  const housekeeping = setInterval(() => {
    Promise.all([ctx.captcha.purgeExpired(), ctx.sms.purgeExpired(), ctx.sessions.purgeExpired()]).catch((err) =>
      publicApp.log.warn({ err }, 'housekeeping failed'),
    );
  }, 10 * 60_000);
  housekeeping.unref();
  // Background jobs: invoices, refunds, order expiry, the demo gateway's notifications.
  ctx.jobs.start();

  const addr = (app: typeof publicApp) => {
    const a = app.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  };
  const publicUrl = config.publicUrl.replace(`:${config.port}`, `:${addr(publicApp)}`);
  const staffUrl = config.staffUrl.replace(`:${config.staffPort}`, `:${addr(staffApp)}`);
  const lines = [
    '',
    `  ${config.branding.name}`,
    `  数据库 database : ${database.kind === 'pglite' ? `PGlite (${path.join(config.dataDir, 'pglite')})` : 'PostgreSQL (DATABASE_URL)'}`,
    `  门户 public portal  : ${publicUrl}/`,
    `  内网 staff console  : ${staffUrl}/`,
    `  接口文档 API docs   : ${publicUrl}/api/docs  ·  ${staffUrl}/api/docs`,
  ];
  if (config.demoMode) {
    lines.push(
      `  演示模式 demo mode  : 验证码发件箱 ${publicUrl}/api/dev/outbox`,
      `  演示账号 demo accounts${seeded.created.length ? ` (created: ${seeded.created.join(', ')})` : ''}:`,
      // Login names only: a banner ends up in terminals, CI output and pasted bug reports, and a phone or ID
      // number there is personal data even when it is the demo's (the README lists the other ways to sign in).
      `    个人用户 learner      : ${DEMO_ACCOUNTS.learner.username} / ${DEMO_ACCOUNTS.learner.password}`,
      `    单位管理员 unit admin : ${DEMO_ACCOUNTS.unitAdmin.username} / ${DEMO_ACCOUNTS.unitAdmin.password}  (重庆渝中示例科技有限公司)`,
      `    主管部门 department   : ${DEMO_ACCOUNTS.departmentAdmin.username} / ${DEMO_ACCOUNTS.departmentAdmin.password}  (重庆市卫生健康委员会, 单位注册审核 on the portal)`,
      `    内网管理员 staff admin: ${DEMO_ACCOUNTS.staffAdmin.username} / ${DEMO_ACCOUNTS.staffAdmin.password}`,
      ...DEMO_ACCOUNTS.staffReviewers.map(
        (r) => `    内网审核员 reviewer   : ${r.username} / ${r.password}  (${r.displayName})`,
      ),
      `    培训中心 training     : ${DEMO_ACCOUNTS.trainingOperator.username} / ${DEMO_ACCOUNTS.trainingOperator.password}  (学习计划管理)`,
    );
  }
  // Before the banner: whoever reads it may press Ctrl-C (or send SIGINT) at once, and a signal arriving before
  // a handler exists would kill the process without closing the database.
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    publicApp.log.info(`${signal}: shutting down`);
    clearInterval(housekeeping);
    await ctx.jobs.stop();
    await Promise.allSettled([publicApp.close(), staffApp.close()]);
    // Buffered study heartbeats are written before the database closes (no more can arrive now).
    await ctx.study.stop();
    await events?.close();
    await database.close();
    console.log('已安全退出 (database closed cleanly)');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  console.log(`${lines.join('\n')}\n`);
}

/** The compiled build running (its dist.<hash> folder, scripts/build.mjs), or undefined from source (npm run dev). */
function compiledBuild(): string | undefined {
  const name = path.basename(fs.realpathSync(import.meta.dirname));
  return /^dist\.[0-9a-f]+$/.test(name) ? name : undefined;
}

main().catch((err) => {
  console.error(loggableError(err));
  process.exit(1);
});
