import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * Browser tests need Chromium. Under CI its absence is a failure; on a newcomer's machine the tests are
 * reported as not run, with the reason and the fix.
 */
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!fs.existsSync(chromium)) {
  const why = `Chromium not found at ${chromium} (install it with "apt-get install -y chromium" or set CHROMIUM_PATH)`;
  if (process.env.CI === 'true') {
    console.error(`browser tests FAILED to run: ${why}`);
    process.exit(1);
  }
  console.warn(`browser tests NOT RUN: ${why}`);
  process.exit(0);
}
const res = spawnSync('npx', ['vitest', 'run', '--config', 'e2e/vitest.config.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, CHROMIUM_PATH: chromium },
});
process.exit(res.status ?? 1);
