import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  child: ChildProcess;
  publicUrl: string;
  staffUrl: string;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | string | null>;
}

/** The compiled server as `npm run serve` starts it (scripts/build.mjs made it): plain node, no TypeScript loader. */
export const COMPILED_SERVER = [
  '--enable-source-maps',
  '--conditions=cpe-dist',
  path.join(ROOT, 'apps/server/dist/server.js'),
];
/** The TypeScript source through tsx, as `npm run dev` runs it: for tests that run before any build. */
export const SOURCE_SERVER = ['--import', 'tsx', path.join(ROOT, 'apps/server/src/server.ts')];

/**
 * Starts the server as `npm start` would (the compiled one after a build, else the source) and waits for the
 * printed URLs.
 */
export async function startServer(
  env: Record<string, string>,
  opts: { compiled?: boolean } = {},
): Promise<RunningServer> {
  const port = await freePort();
  const staffPort = await freePort();
  const child = spawn(process.execPath, opts.compiled ? COMPILED_SERVER : SOURCE_SERVER, {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      STAFF_PORT: String(staffPort),
      // The host the tests' browser uses: cookies are per host, and payment return URLs are built from this.
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      STAFF_URL: `http://127.0.0.1:${staffPort}`,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  // The exit code, or the signal that ended the process (a crash or an unhandled signal) so a failure says which.
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const check = () => {
      if (out.includes('staff console')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`server exited during start:\n${out}`));
    });
  });
  return {
    child,
    publicUrl: `http://127.0.0.1:${port}`,
    staffUrl: `http://127.0.0.1:${staffPort}`,
    output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGINT') {
      child.kill(signal);
      return exited;
    },
  };
}
