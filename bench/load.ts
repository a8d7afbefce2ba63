/**
 * One autocannon load, run either in this process (the load generator shares the server's event loop, as the
 * earlier figures were measured) or in a child process (it gets the other core, as autocannon's CLI or wrk
 * would). CONNECTIONS keep-alive connections carry the requests of all `targets` in turn; for POSTs each
 * target's playback position creeps forward like a playing video.
 */
import { fork } from 'node:child_process';
import autocannon from 'autocannon';

export interface LoadTarget {
  path: string;
  headers: Record<string, string>;
}

export interface LoadSpec {
  url: string;
  targets: LoadTarget[];
  seconds: number;
  connections: number;
  method: 'POST' | 'GET';
}

export interface Measured {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export async function runLoad(spec: LoadSpec): Promise<Measured> {
  let next = 0;
  const positions = spec.targets.map(() => 0);
  const r = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    requests: [
      {
        method: spec.method,
        setupRequest: (req) => {
          const i = next++ % spec.targets.length;
          const t = spec.targets[i] as LoadTarget;
          if (spec.method === 'GET') return { ...req, method: 'GET', path: t.path, headers: t.headers };
          positions[i] = (positions[i] ?? 0) + 0.01;
          return {
            ...req,
            path: t.path,
            headers: { ...t.headers, 'content-type': 'application/json' },
            body: JSON.stringify({ position: Math.round((positions[i] ?? 0) * 100) / 100, playing: true, rate: 1 }),
          };
        },
      },
    ],
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

const CHILD = 'BENCH_LOAD_CHILD';

/** The same load from a child process (autocannon in a worker thread would hand back raw histograms). */
export function loadInChildProcess(spec: LoadSpec): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL(import.meta.url), {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, [CHILD]: '1' },
      stdio: 'inherit',
    });
    child.once('message', (m) => resolve(m as Measured));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load process exited with ${code}`));
    });
    child.send(spec);
  });
}

if (process.env[CHILD] && process.send) {
  process.once('message', async (spec) => {
    const result = await runLoad(spec as LoadSpec);
    process.send?.(result, () => process.exit(0));
  });
}
