import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startServer } from '../apps/server/test/process/server-process.js';

/** One platform for all browser specs: built web apps, fresh PGlite data dir, demo mode on. */
export default async function setup(project: TestProject) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-e2e-'));
  const server = await startServer({ DATA_DIR: dataDir });
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
