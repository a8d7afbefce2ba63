import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, startServer } from '../apps/server/test/process/server-process.js';

/**
 * One platform for all browser specs: what `npm start` runs after `npm run build` (the compiled server and the built
 * web apps), a fresh PGlite data dir, demo mode on.
 */
export default async function setup(project: TestProject) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-e2e-'));
  // The portal at both loopback names (return-host.spec opens it at each and pays): 127.0.0.1 first, the canonical
  // address the other specs use (the OpenID issuer, the demo cashier, the certificate QR).
  const port = await freePort();
  const staffPort = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const staffUrl = `http://127.0.0.1:${staffPort}`;
  const server = await startServer(
    {
      PORT: String(port),
      STAFF_PORT: String(staffPort),
      PUBLIC_URL: `${publicUrl},http://localhost:${port}`,
      STAFF_URL: staffUrl,
      DATA_DIR: dataDir,
      // Short demo chapters (8, 11 and 5 s) and a 防挂机 question every 10 s of credited play, so a browser test can
      // study a whole 30-学时 plan in about two minutes of real time (credit never runs faster than the clock).
      DEMO_CHAPTER_SECONDS: '8',
      STUDY_CHECK_MIN_SECONDS: '10',
      STUDY_CHECK_MAX_SECONDS: '10',
      STUDY_HEARTBEAT_SECONDS: '5',
      // Every spec registers people from 127.0.0.1 on this one platform: the default 30 SMS and 30 registrations per
      // IP and hour are limits for the public (tested in the API tests), not for a suite that grows; CI hit each of
      // them once specs were added.
      SMS_HOURLY_LIMIT_PER_IP: '1000',
      REGISTRATIONS_HOURLY_LIMIT_PER_IP: '1000',
    },
    { compiled: true },
  );
  project.provide('publicUrl', publicUrl);
  project.provide('staffUrl', staffUrl);
  return async () => {
    await server.stop('SIGINT');
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    publicUrl: string;
    staffUrl: string;
  }
}
