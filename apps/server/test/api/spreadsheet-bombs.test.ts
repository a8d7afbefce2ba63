import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { unitAdmin } from '../applications-factories.js';
import { multipartFile } from '../factories.js';
import { type Client, createTestEnv, type TestEnv } from '../harness.js';
import { staffWith } from '../purchase-factories.js';
import { emptyRowsXlsx, inflatedSize, inflatingXlsx, xlsxOfSheet } from '../xlsx-bombs.js';

/**
 * Issue 20 §1: a small spreadsheet never takes the platform down. The 学员注册名单 upload of both listeners, over
 * real HTTP (so a blocked event loop shows), with files that inflate to hundreds of MB or hold millions of empty
 * rows: refused within seconds with the limit named, /healthz answering meanwhile, memory bounded, nothing written.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MB = 1024 * 1024;
// The issue's bounds, no tighter: this runs on a shared machine beside other test files.
const REFUSED_WITHIN_MS = 10_000;
const HEALTHZ_WITHIN_MS = 200;
const RSS_GROWTH_BELOW = 200 * MB;

async function listening(app: FastifyInstance): Promise<string> {
  if (!app.server.listening) await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** The upload as the browser sends it: the client's cookies and CSRF token, over a real socket. */
async function upload(c: Client, base: string, path: string, data: Buffer) {
  const m = multipartFile({}, { data, filename: '学员注册名单.xlsx', type: XLSX });
  const headers = {
    ...m.headers,
    'user-agent': 'vitest',
    'x-csrf-token': await c.ensureCsrf(),
    cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
  };
  const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: m.payload });
  return { status: res.status, body: (await res.json()) as { code: string; fields?: { file?: string } } };
}

/**
 * Sends `data` and, until the answer, asks /healthz one request after another and samples resident memory;
 * returns the answer, how long it took, the slowest /healthz and the peak growth of memory.
 */
async function underWatch(c: Client, base: string, path: string, data: Buffer) {
  // Warm: the connection, the routes, the reader's code.
  await fetch(`${base}/healthz`);
  await upload(c, base, path, xlsxOfSheet('<worksheet><sheetData/></worksheet>'));
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  let done = false;
  const probes: number[] = [];
  const probing = (async () => {
    while (!done) {
      const t = performance.now();
      const res = await fetch(`${base}/healthz`);
      await res.arrayBuffer();
      probes.push(performance.now() - t);
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const t = performance.now();
  const res = await upload(c, base, path, data).finally(() => {
    done = true;
  });
  const ms = performance.now() - t;
  await probing;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { res, ms, slowestHealthz: Math.max(...probes), probes: probes.length, growth: peak - before };
}

describe('spreadsheet bombs on the 学员注册名单 upload', () => {
  const inflating = inflatingXlsx(450);
  const emptyRows = emptyRowsXlsx(3_000_000);

  it('the hostile files are small and inflate to hundreds of MB', () => {
    expect(inflating.length).toBeLessThan(2 * MB);
    expect(inflatedSize(inflating)).toBeGreaterThan(450 * MB);
    expect(emptyRows.length).toBeLessThan(2 * MB);
    expect(inflatedSize(emptyRows)).toBeGreaterThan(100 * MB);
  });

  const listeners = [
    {
      name: '单位中心 (public listener)',
      app: () => env.publicApp,
      path: '/api/rosters',
      client: async () => (await unitAdmin(env)).c,
    },
    {
      name: 'console (staff listener)',
      app: () => env.staffApp,
      path: '/api/admin/rosters',
      client: () => staffWith(env, ['training-operator']),
    },
  ];

  for (const l of listeners) {
    it(`${l.name}: refused within seconds with the limit named, /healthz answering, memory bounded, nothing written`, async () => {
      const c = await l.client();
      const base = await listening(l.app());
      const listed = async () => (await c.get(l.path)).json().total as number;
      const total = await listed();

      const a = await underWatch(c, base, l.path, inflating);
      expect(a.res.status).toBe(400);
      expect(a.res.body).toMatchObject({
        code: 'UPLOAD_INVALID',
        fields: { file: '文件解压后超过64M，请使用学员注册名单模板，只保留名单' },
      });
      expect(a.ms).toBeLessThan(REFUSED_WITHIN_MS);
      expect(a.probes).toBeGreaterThan(0);
      expect(a.slowestHealthz).toBeLessThan(HEALTHZ_WITHIN_MS);
      expect(a.growth).toBeLessThan(RSS_GROWTH_BELOW);

      const b = await underWatch(c, base, l.path, emptyRows);
      expect(b.res.status).toBe(400);
      expect(b.res.body.code).toBe('UPLOAD_INVALID');
      expect(b.res.body.fields?.file).toMatch(
        /^表格中的单元格过多（第\d+行），含空行和空单元格最多100万个，请删除多余的行，或使用学员注册名单模板$/,
      );
      expect(b.ms).toBeLessThan(REFUSED_WITHIN_MS);
      expect(b.probes).toBeGreaterThan(0);
      expect(b.slowestHealthz).toBeLessThan(HEALTHZ_WITHIN_MS);
      expect(b.growth).toBeLessThan(RSS_GROWTH_BELOW);

      expect(await listed()).toBe(total);
    });
  }

  it('names the other limits too: columns beyond the template, a cell too long, more rows than the template', async () => {
    const c = await staffWith(env, ['training-operator']);
    const base = await listening(env.staffApp);
    const send = (sheetData: string) =>
      upload(c, base, '/api/admin/rosters', xlsxOfSheet(`<worksheet><sheetData>${sheetData}</sheetData></worksheet>`));
    const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

    const wide = await send(`<row r="1">${cell('AZ1', 'x')}</row>`);
    expect(wide.body.fields?.file).toBe('表格的列数超出学员注册名单模板（第1行），最多30列，请使用学员注册名单模板');
    const long = await send(`<row r="3">${cell('B3', '长'.repeat(200_000))}</row>`);
    expect(long.body.fields?.file).toBe('单元格内容过长（第3行），每个单元格最多500个字');
    const rows = Array.from({ length: 10_021 }, (_, i) => `<row r="${i + 1}">${cell(`A${i + 1}`, String(i))}</row>`);
    const many = await send(rows.join(''));
    expect(many).toMatchObject({ status: 400, body: { code: 'ROSTER_TOO_MANY' } });
  });
});
