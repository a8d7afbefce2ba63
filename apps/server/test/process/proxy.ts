import http from 'node:http';
import net from 'node:net';

/** Headers that describe one connection, not the request: never passed on (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
]);
/** Set by the proxy from what it saw, as deploy/nginx/cpe-proxy.inc does: whatever the client sent is replaced. */
const FORWARDED = new Set(['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto']);

export interface RoundRobinProxy {
  url: string;
  /** Where requests go, in turn; set once the instances have started (they need the proxy's URL first). */
  targets: string[];
  /** Requests (upgrades included) passed to each target so far, by its index in `targets`. */
  served: number[];
  close(): Promise<void>;
}

/**
 * A load balancer without sticky sessions, as nginx's upstream with two servers is: each new request, and each
 * WebSocket upgrade, goes to the next instance in turn. Host is kept, and X-Forwarded-For / -Host / -Proto are set
 * from the connection as deploy/nginx does (the instances run with TRUST_PROXY=true, as behind nginx).
 */
export async function startProxy(): Promise<RoundRobinProxy> {
  let next = 0;
  const proxy: RoundRobinProxy = { url: '', targets: [], served: [], close: async () => {} };
  const pick = () => {
    const i = next++ % proxy.targets.length;
    proxy.served[i] = (proxy.served[i] ?? 0) + 1;
    return new URL(proxy.targets[i] as string);
  };
  const forwarded = (req: http.IncomingMessage) => ({
    'x-forwarded-for': req.socket.remoteAddress ?? '',
    'x-forwarded-host': req.headers.host ?? '',
    'x-forwarded-proto': 'http',
  });

  const server = http.createServer((req, res) => {
    const target = pick();
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined && !HOP_BY_HOP.has(k) && !FORWARDED.has(k)) headers[k] = v;
    }
    Object.assign(headers, forwarded(req));
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent: false },
      (answer) => {
        const out: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
        res.writeHead(answer.statusCode ?? 502, out);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end('bad gateway');
      else res.destroy();
    });
    req.pipe(upstream);
  });

  // A WebSocket handshake is passed on byte for byte (with the forwarded headers), then both ways piped.
  server.on('upgrade', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = pick();
    const upstream = net.connect(Number(target.port), target.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i] as string;
        if (!FORWARDED.has(name.toLowerCase())) lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
      }
      for (const [k, v] of Object.entries(forwarded(req))) lines.push(`${k}: ${v}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });

  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return proxy;
}
