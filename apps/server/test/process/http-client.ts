import http from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: answers are read by the tests that know their shape
  json: any;
}

/**
 * A browser over real HTTP, for servers started as processes: a cookie jar, the double-submit CSRF header (the
 * `cpe_csrf` cookie's value, renewed at login and logout as the web apps read it), and its own address — requests
 * leave from `ip` (any 127.x.y.z is this machine), so the proxy's X-Forwarded-For and each instance's `req.ip` name
 * this browser, and per-address limits of one test do not touch another's. One connection per request, as a
 * load balancer without sticky sessions sees them: each may reach another instance.
 */
export class Browser {
  constructor(
    readonly base: string,
    readonly ip = '127.0.0.1',
    readonly cookies = new Map<string, string>(),
  ) {}

  /** The same browser (same cookies, same address) sending to another address: one instance directly. */
  at(base: string): Browser {
    return new Browser(base, this.ip, this.cookies);
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    opts: { headers?: Record<string, string>; raw?: string } = {},
  ): Promise<HttpAnswer> {
    if (method !== 'GET' && !this.cookies.has('cpe_csrf')) await this.request('GET', '/api/csrf');
    const payload = opts.raw ?? (body === undefined ? undefined : JSON.stringify(body));
    const headers: Record<string, string> = {
      'user-agent': 'vitest-process',
      ...(payload !== undefined && opts.raw === undefined ? { 'content-type': 'application/json' } : {}),
      ...(method !== 'GET' ? { 'x-csrf-token': decodeURIComponent(this.cookies.get('cpe_csrf') ?? '') } : {}),
      ...(this.cookies.size ? { cookie: this.cookieHeader() } : {}),
      ...opts.headers,
    };
    const url = new URL(path, this.base);
    const answer = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>(
      (resolve, reject) => {
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            path: `${url.pathname}${url.search}`,
            method,
            headers,
            localAddress: this.ip,
            agent: false,
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d) => {
              text += d;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      },
    );
    this.absorb(answer.headers['set-cookie'] ?? []);
    let json: unknown;
    try {
      json = answer.text ? JSON.parse(answer.text) : null;
    } catch {
      json = undefined;
    }
    return { ...answer, json };
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, body: unknown = {}) => this.request('POST', path, body);
  del = (path: string) => this.request('DELETE', path);

  /** The call must answer 200: its JSON, else the server's answer in the error. */
  async ok(method: string, path: string, body?: unknown) {
    const res = await this.request(method, path, body);
    if (res.status !== 200) throw new Error(`${method} ${this.base}${path} → ${res.status} ${res.text}`);
    return res.json;
  }

  private absorb(setCookies: string[]) {
    for (const line of setCookies) {
      const [pair = '', ...attrs] = line.split(';');
      const i = pair.indexOf('=');
      if (i <= 0) continue;
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const gone = attrs.some((a) => {
        const [k = '', v = ''] = a.trim().split('=');
        return (
          (k.toLowerCase() === 'max-age' && Number(v) <= 0) ||
          (k.toLowerCase() === 'expires' && new Date(v).getTime() < Date.now())
        );
      });
      if (gone || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}
