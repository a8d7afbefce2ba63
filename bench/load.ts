/**
 * One autocannon load, run either in this process (the load generator shares the server's event loop, as the
 * earlier figures were measured) or in a child process (it gets the other core, as autocannon's CLI or wrk
 * would). CONNECTIONS keep-alive connections carry the requests of all `targets` in turn; for POSTs each
 * target's playback position creeps forward like a playing video.
 */
import { fork } from 'node:child_process';
import autocannon from 'autocannon';
import WebSocket from 'ws';

export interface LoadTarget {
  path: string;
  headers: Record<string, string>;
}

export interface LoadSpec {
  url: string;
  targets: LoadTarget[];
  seconds: number;
  connections: number;
  /** WS: each connection is one target's WebSocket, sending the next beat as soon as the last one is answered. */
  method: 'POST' | 'GET' | 'WS';
}

export interface Measured {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** A playing video's heartbeat at `position` (creeping forward by 0.01 s a beat, so every beat is new ground). */
const beatBody = (position: number) =>
  JSON.stringify({ position: Math.round(position * 100) / 100, playing: true, rate: 1 });

export async function runLoad(spec: LoadSpec): Promise<Measured> {
  if (spec.method === 'WS') return runLiveLoad(spec);
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
            body: beatBody(positions[i] ?? 0),
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

/**
 * Heartbeats over the study live channel: `connections` sockets (one per target, as one player holds one), each
 * a closed loop — a beat, its reply, the next beat — for `seconds`. Counts replies per second like autocannon
 * counts responses; an `{ok:false}` reply is an error.
 */
async function runLiveLoad(spec: LoadSpec): Promise<Measured> {
  const wsUrl = spec.url.replace(/^http/, 'ws');
  const targets = spec.targets.slice(0, spec.connections);
  const latencies: number[] = [];
  let errors = 0;
  const sockets = await Promise.all(
    targets.map(
      (t) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`${wsUrl}${t.path}`, { headers: t.headers });
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
          ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade answered ${res.statusCode}`)));
        }),
    ),
  );
  const deadline = performance.now() + spec.seconds * 1000;
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          let position = 0;
          let sentAt = 0;
          const send = () => {
            if (performance.now() >= deadline) return resolve();
            position += 0.01;
            sentAt = performance.now();
            ws.send(beatBody(position));
          };
          ws.on('message', (data) => {
            latencies.push(performance.now() - sentAt);
            if (!(JSON.parse(String(data)) as { ok: boolean }).ok) errors++;
            send();
          });
          ws.once('close', () => resolve());
          send();
        }),
    ),
  );
  for (const ws of sockets) ws.close(1000);
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  // The last reply of each socket may land just after the deadline: a rounding error of one beat per socket.
  return { rps: latencies.length / spec.seconds, p50: at(0.5), p99: at(0.99), errors, non2xx: 0 };
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
