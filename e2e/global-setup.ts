import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startServer } from '../apps/server/test/process/server-process.js';

/**
 * One platform for all browser specs: what `npm start` runs after `npm run build` (the compiled server and the built
 * web apps), a fresh PGlite data dir, demo mode on.
 */
export default async function setup(project: TestProject) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-e2e-'));
  const server = await startServer(
    {
      DATA_DIR: dataDir,
      // Short demo chapters (8, 11 and 5 s) and a 防挂机 question every 10 s of credited play, so a browser test can
      // study a whole 30-学时 plan in about two minutes of real time (credit never runs faster than the clock).
      DEMO_CHAPTER_SECONDS: '8',
      STUDY_CHECK_MIN_SECONDS: '10',
      STUDY_CHECK_MAX_SECONDS: '10',
      STUDY_HEARTBEAT_SECONDS: '5',
    },
    { compiled: true },
  );
  project.provide('publicUrl', server.publicUrl);
  project.provide('staffUrl', server.staffUrl);
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
