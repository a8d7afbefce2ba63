import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import { ADVANCED_SEMINAR } from '@cpe/shared';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp } from '../../src/app.js';
import { normaliseDeep, normaliseText } from '../../src/http/text-normalisation.js';
import { AppError } from '../../src/lib/errors.js';
import { databaseRefusal } from '../../src/lib/pg-errors.js';
import { completeSeminar, openBatch, unitAdmin } from '../applications-factories.js';
import { buildPerson, imageCaptcha, login, multipartFile, register, sliderToken } from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { learner, onSalePlan } from '../purchase-factories.js';
import { nodeByName, PDF, png } from '../units-factories.js';

/**
 * Text a person can type or paste never gives a 5xx. PostgreSQL refuses U+0000 and lone UTF-16 surrogates in
 * text and jsonb; the listeners strip the first and turn the second into U+FFFD before any schema sees the
 * request (http/text-normalisation.ts, multipart fields in http/multipart.ts). The routes are read from both
 * OpenAPI documents, so a route added later is fuzzed here without anyone listing it.
 */
const NUL = '\u0000';
const LONE = '\ud800';
const EVIL = `测试${NUL}文本${LONE}内容`;
const ZERO_ID = '00000000-0000-4000-8000-000000000000';

/**
 * What the database refused, from the log (SQLSTATE only is logged). 22021 is a NUL in text, 22P05 a NUL in
 * jsonb: either means a string reached the database unnormalised. (22P02 also answers a malformed id that a
 * route passes on unchecked: a clean 400 DATA_UNSTORABLE, not a text fault.)
 */
const TEXT_REFUSALS = ['22021', '22P05'];
const logLines: string[] = [];
const logStream = new Writable({
  write(chunk, _enc, done) {
    logLines.push(String(chunk));
    done();
  },
});
function refusalsSince(index: number): string[] {
  return logLines.slice(index).flatMap((line) => {
    const entry = JSON.parse(line) as { dbRefusal?: { sqlState: string } };
    return entry.dbRefusal ? [entry.dbRefusal.sqlState] : [];
  });
}

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({}, undefined, { level: 'warn', stream: logStream });
  await openBatch(env);
});

/** A URL component carrying the two characters: %00, and the CESU-8 bytes a lone surrogate would be. */
function urlEvil(s: string): string {
  return [...s].map((ch) => (ch === NUL ? '%00' : ch === LONE ? '%ED%A0%80' : encodeURIComponent(ch))).join('');
}

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  format?: string;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  minLength?: number;
  maxLength?: number;
}
interface Operation {
  parameters?: Array<{ in: string; name: string; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

type Path = Array<string | number>;

/** Reads one schema of the document: references followed, unions reduced to their first non-null branch. */
function resolve(doc: Doc, s: Schema | undefined): Schema {
  let x = s ?? {};
  for (let i = 0; i < 10; i++) {
    if (x.$ref) x = doc.components?.schemas?.[x.$ref.split('/').pop() as string] ?? {};
    else if (x.anyOf || x.oneOf) {
      const options = (x.anyOf ?? x.oneOf) as Schema[];
      x = options.find((o) => resolve(doc, o).type !== 'null') ?? options[0] ?? {};
    } else if (x.allOf) {
      const parts = x.allOf.map((p) => resolve(doc, p));
      x = { type: 'object', properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})) };
    } else break;
  }
  return x;
}

function typeOf(s: Schema): string | undefined {
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null');
  if (s.type) return s.type;
  if (s.properties) return 'object';
  return undefined;
}

/**
 * A value of the schema that has a fair chance of passing validation, so the strange text reaches services and
 * the database: enums take their first value, uuids a well-formed id, numbers their minimum. `evil` puts EVIL
 * in every string instead, and an extra object key made of the two characters.
 */
function sample(doc: Doc, raw: Schema | undefined, evil: boolean, depth = 0): unknown {
  const s = resolve(doc, raw);
  if (depth > 8) return null;
  if (!evil && 'const' in s) return s.const;
  if (!evil && s.enum?.length) return s.enum[0];
  switch (typeOf(s)) {
    case 'string': {
      if (evil) return EVIL;
      if (s.format === 'uuid') return ZERO_ID;
      if (s.format === 'date') return '2026-05-11';
      if (s.format === 'date-time') return '2026-05-11T08:00:00.000Z';
      if (s.format === 'email') return 'a@example.com';
      if (s.format === 'uri' || s.format === 'url') return 'https://example.com/';
      const text = '测试文本内容'.padEnd(s.minLength ?? 0, '文');
      return s.maxLength ? text.slice(0, s.maxLength) : text;
    }
    case 'integer':
    case 'number':
      return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sample(doc, s.items, evil, depth + 1));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) out[k] = sample(doc, v, evil, depth + 1);
      if (evil) out[`键${NUL}${LONE}`] = EVIL;
      return out;
    }
    default:
      return evil ? EVIL : null;
  }
}

/** Where the strings of a schema sit in a sampled value (first array item), for one-field-at-a-time variants. */
function stringPaths(doc: Doc, raw: Schema | undefined, at: Path = [], depth = 0): Path[] {
  const s = resolve(doc, raw);
  if (depth > 8) return [];
  switch (typeOf(s)) {
    case 'string':
      return [at];
    case 'array':
      return stringPaths(doc, s.items, [...at, 0], depth + 1);
    case 'object':
      return Object.entries(s.properties ?? {}).flatMap(([k, v]) => stringPaths(doc, v, [...at, k], depth + 1));
    default:
      return [];
  }
}

function setAt(value: unknown, at: Path, to: unknown): unknown {
  if (at.length === 0) return to;
  const [head, ...rest] = at as [string | number, ...Path];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head] = setAt(copy[head], rest, to);
  return copy;
}

interface Probe {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  multipart?: ReturnType<typeof multipartFile>;
  label: string;
}

/** Every request this file sends to one operation: all strings strange at once, then one field at a time. */
function probesOf(doc: Doc, path: string, method: string, op: Operation, screenshot: Buffer): Probe[] {
  const m = method.toUpperCase() as Probe['method'];
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const jsonBody = op.requestBody?.content?.['application/json']?.schema;
  const plainPath = Object.fromEntries(
    pathParams.map((p) => [p.name, encodeURIComponent(String(sample(doc, p.schema, false) ?? ZERO_ID))]),
  );
  const url = (pathValues: Record<string, string>, query: Record<string, string>) =>
    path.replace(/\{([^}]+)\}/g, (_, name: string) => pathValues[name] ?? plainPath[name] ?? ZERO_ID) +
    (Object.keys(query).length
      ? `?${Object.entries(query)
          .map(([k, v]) => `${urlEvil(k)}=${v}`)
          .join('&')}`
      : '');
  const plainQuery = Object.fromEntries(
    queryParams.map((p) => [p.name, encodeURIComponent(String(sample(doc, p.schema, false) ?? ''))]),
  );
  const plainBody = jsonBody ? sample(doc, jsonBody, false) : undefined;
  const out: Probe[] = [];

  // All at once: every path param, query parameter (plus an undeclared q) and body string strange.
  const allQuery = { ...Object.fromEntries(queryParams.map((p) => [p.name, urlEvil(EVIL)])), q: urlEvil(EVIL) };
  const allPath = Object.fromEntries(pathParams.map((p) => [p.name, urlEvil(EVIL)]));
  out.push({
    method: m,
    url: url(allPath, allQuery),
    body: jsonBody ? sample(doc, jsonBody, true) : undefined,
    label: 'all strings',
  });
  // The body's strings one at a time, the rest plausible, so a single strange field reaches the service.
  if (jsonBody)
    for (const at of stringPaths(doc, jsonBody).slice(0, 40))
      out.push({
        method: m,
        url: url({}, plainQuery),
        body: setAt(plainBody, at, EVIL),
        label: `body ${at.join('.')}`,
      });
  for (const p of queryParams)
    out.push({
      method: m,
      url: url({}, { ...plainQuery, [p.name]: urlEvil(EVIL) }),
      body: plainBody,
      label: `query ${p.name}`,
    });
  for (const p of pathParams)
    for (const v of [urlEvil(EVIL), '%00', encodeURIComponent('\ufffd')])
      out.push({ method: m, url: url({ [p.name]: v }, plainQuery), body: plainBody, label: `path ${p.name}=${v}` });
  // Writes without a JSON body are the multipart uploads: their text fields and file name carry the characters.
  if (!jsonBody && m !== 'GET' && m !== 'DELETE') {
    const fields = Object.fromEntries(
      ['purpose', 'realName', 'idNumber', 'newPhone', 'note', 'name', 'title'].map((k) => [k, EVIL]),
    );
    out.push({
      method: m,
      url: url({}, plainQuery),
      multipart: multipartFile(
        { ...fields, [`键${NUL}`]: EVIL },
        { data: screenshot, filename: `截图${NUL}${LONE}.png`, type: 'image/png' },
      ),
      label: 'multipart',
    });
  }
  return out;
}

async function documentOf(app: TestEnv['publicApp']): Promise<Doc> {
  const res = await app.inject({ url: '/api/docs/json' });
  expect(res.statusCode).toBe(200);
  return res.json() as Doc;
}

/** A staff member with every role, of 市人社局 (console searches, reviews, settings). */
async function staffSysadmin(): Promise<Client> {
  const username = `ss${crypto.randomBytes(4).toString('hex')}`;
  await env.ctx.staff.ensure({
    username,
    password: 'Admin@2026x',
    displayName: '系统管理员',
    roles: ['sysadmin', 'reviewer', 'recovery-handler', 'training-operator', 'pii-viewer'],
    orgNodeId: await nodeByName(env, '重庆市人力资源和社会保障局'),
  });
  const s = new Client(env.staffApp, 'cpe_staff_csrf');
  const res = await s.post('/api/sessions', {
    username,
    password: 'Admin@2026x',
    sliderToken: await sliderToken(s, new Client(env.publicApp)),
  });
  expect(res.statusCode, res.body).toBe(200);
  return s;
}

/** Routes that end or change the caller's session run with a throwaway one, so the rest stay signed in. */
const SESSION_ENDING = [/^\/api\/sessions/, /\/password$/];

describe('every route of both OpenAPI documents, every text field with U+0000 and U+D800', () => {
  for (const realm of ['public', 'staff'] as const) {
    it(`${realm}: no 5xx, and no text the database cannot store reaches it`, { timeout: 600_000 }, async () => {
      const app = realm === 'public' ? env.publicApp : env.staffApp;
      const doc = await documentOf(app);
      // A unit administrator is a person too: learner routes and 单位中心 routes both answer them.
      const main = realm === 'public' ? (await unitAdmin(env)).c : await staffSysadmin();
      const throwaway = async () => (realm === 'public' ? (await learner(env)).c : await staffSysadmin());
      const screenshot = await png();
      const wrong: string[] = [];
      let sent = 0;
      const logFrom = logLines.length;
      let withText = 0;
      const operations = Object.entries(doc.paths)
        .flatMap(([path, methods]) =>
          Object.entries(methods)
            .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
            .map(([m, op]) => ({ path, method: m, op })),
        )
        .filter((o) => !o.path.startsWith('/api/docs') && !o.path.endsWith('/live'));
      expect(operations.length).toBeGreaterThan(20);
      for (const o of operations) {
        const probes = probesOf(doc, o.path, o.method, o.op, screenshot);
        if (o.op.parameters?.length || o.op.requestBody) withText++;
        const c = SESSION_ENDING.some((p) => p.test(o.path)) ? await throwaway() : main;
        for (const p of probes) {
          const res = p.multipart
            ? await c.request(p.method, p.url, undefined, p.multipart)
            : await c.request(p.method, p.url, p.body);
          sent++;
          if (res.statusCode >= 500)
            wrong.push(`${p.method} ${o.path} [${p.label}] → ${res.statusCode} ${res.body.slice(0, 200)}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(refusalsSince(logFrom).filter((s) => TEXT_REFUSALS.includes(s))).toEqual([]);
      expect(withText).toBeGreaterThan(10);
      expect(sent).toBeGreaterThan(operations.length);
      // The fuzzing ran signed in to the end: the routes behind a session were reached, not refused with 401.
      expect((await main.get('/api/me')).statusCode).toBe(200);
    });
  }
});

describe('the two characters where the probe found them', () => {
  it('login with a NUL in the identifier is a refusal, not a 500', async () => {
    const c = new Client(env.publicApp);
    const p = await register(c);
    for (const identifier of [`zz${NUL}${p.username}`, `${NUL}`, `${p.phone}${LONE}`, `${p.idNumber}${NUL}x`]) {
      const res = await login(c, identifier, p.password);
      expect([400, 401], res.body).toContain(res.statusCode);
    }
    // Stripping the NUL leaves the real user name: the person is signed in, as if the character were not there.
    const res = await login(
      new Client(env.publicApp),
      `${p.username.slice(0, 3)}${NUL}${p.username.slice(3)}`,
      p.password,
    );
    expect(res.statusCode, res.body).toBe(200);
  });

  it('password reset and the help search answer without a 500', async () => {
    const c = new Client(env.publicApp);
    for (const identifier of [`abc${NUL}${LONE}`, `${NUL}`, `1380013${LONE}8000`]) {
      const reset = await c.post('/api/password-resets', { identifier, ...(await imageCaptcha(c)) });
      expect([400, 404], reset.body).toContain(reset.statusCode);
    }
    // (A value with an undecodable sequence, like %ED%A0%80, is kept by the query parser as the raw text.)
    for (const q of ['%00', '%ED%A0%80', `${encodeURIComponent('发票')}%00${encodeURIComponent('开具')}`]) {
      const res = await c.get(`/api/help?q=${q}`);
      expect(res.statusCode, res.body).toBe(200);
    }
  });

  it('an application section with a NUL saves with the NUL removed; a lone surrogate is stored as U+FFFD', async () => {
    const u = await unitAdmin(env);
    const created = await u.c.post('/api/applications', { type: ADVANCED_SEMINAR.key });
    expect(created.statusCode, created.body).toBe(200);
    const id = created.json().id as string;
    const seminar = completeSeminar();
    const purpose = `提升全市${NUL}智能制造领域高层次专业技术人才的创新能力${LONE}和实践水平。`;
    const saved = await u.c.request('PUT', `/api/applications/${id}/sections/purpose`, { purpose });
    expect(saved.statusCode, saved.body).toBe(200);
    // Deep: an object inside an array inside the section.
    const content = seminar.content as { schedule: Array<Record<string, string>> };
    const schedule = content.schedule.map((row, i) => (i === 1 ? { ...row, topic: `工业${NUL}互联网${LONE}` } : row));
    const deep = await u.c.request('PUT', `/api/applications/${id}/sections/content`, { ...content, schedule });
    expect(deep.statusCode, deep.body).toBe(200);

    const data = (await u.c.get(`/api/applications/${id}`)).json().data;
    expect(data.purpose.purpose).toBe('提升全市智能制造领域高层次专业技术人才的创新能力\ufffd和实践水平。');
    expect(data.content.schedule[1].topic).toBe('工业互联网\ufffd');
    expect(data.content.schedule[0].topic).toBe(content.schedule[0]?.topic);
  });

  it('a ticket and a 团体购买 check with both characters are accepted, the text stored clean', async () => {
    const { c } = await learner(env);
    const ticket = await c.post('/api/tickets', {
      topic: 'other',
      subject: `发票${NUL}问题${LONE}`,
      body: `请问${NUL}发票什么时候${LONE}开具？`,
    });
    expect(ticket.statusCode, ticket.body).toBe(200);
    const detail = (await c.get(`/api/tickets/${ticket.json().id}`)).json();
    expect(detail.subject).toBe('发票问题\ufffd');
    expect(detail.messages[0].body).toBe('请问发票什么时候\ufffd开具？');

    const plan = await onSalePlan(env);
    const others = [buildPerson(), buildPerson()];
    const check = await c.post('/api/group-checks', {
      planId: plan.id,
      idNumbers: `${others[0]?.idNumber}${NUL}\n${NUL}${LONE}\n${others[1]?.idNumber.slice(0, 9)}${LONE}${others[1]?.idNumber.slice(9)}`,
    });
    expect(check.statusCode, check.body).toBeLessThan(500);
  });

  it('multipart text fields and file names are normalised as JSON is', async () => {
    const { c } = await learner(env);
    const shot = await c.request(
      'POST',
      '/api/tickets/files',
      undefined,
      multipartFile({ note: EVIL }, { data: await png(), filename: `截图${NUL}一${LONE}.png`, type: 'image/png' }),
    );
    expect(shot.statusCode, shot.body).toBe(200);
    expect(shot.json().name).toBe('截图一\ufffd.png');
    const licence = await c.request(
      'POST',
      '/api/files',
      undefined,
      multipartFile({ purpose: `lic${NUL}ence` }, { data: PDF, filename: `执照${NUL}.pdf`, type: 'application/pdf' }),
    );
    expect(licence.statusCode, licence.body).toBe(200);
    expect(licence.json().name).toBe('执照.pdf');
  });
});

describe('the normaliser', () => {
  it('strips NUL, replaces lone surrogates, keeps pairs, walks arrays, objects and keys', () => {
    expect(normaliseText(`a${NUL}b`)).toBe('ab');
    expect(normaliseText('\ud800x\udc00')).toBe('\ufffdx\ufffd');
    expect(normaliseText('😀 \ud83d\ude00')).toBe('😀 \ud83d\ude00');
    expect(normaliseText('\udc00\ud800')).toBe('\ufffd\ufffd');
    const clean = { a: ['x', { b: 1 }], c: null };
    expect(normaliseDeep(clean)).toBe(clean);
    expect(normaliseDeep({ [`k${NUL}`]: [{ v: `${LONE}` }], n: 2 })).toEqual({ k: [{ v: '\ufffd' }], n: 2 });
    // A key that becomes __proto__ once cleaned is refused, never assigned.
    expect(() => normaliseDeep(JSON.parse('{"__pro\\u0000to__": {"x": 1}}'))).toThrow(AppError);
    const buf = Buffer.from([0, 1]);
    expect(normaliseDeep(buf)).toBe(buf);
  });
});

describe('errors from the database and from download routes', () => {
  /**
   * A listener built as production builds it (the staff one: building the public one re-points the demo payment
   * gateway at it), with test routes added before it starts.
   */
  async function appWithRoutes() {
    const app = await buildStaffApp(env.ctx, { logLevel: 'silent' });
    app.get('/test/pdf-then-throw', async (_req, reply) => {
      reply
        .type('application/pdf')
        .header('content-disposition', 'attachment; filename="x.pdf"')
        .header('content-length', '999');
      throw new AppError('NOT_FOUND');
    });
    app.get('/test/pdf-then-object', async (_req, reply) => {
      reply.type('application/pdf');
      return { not: 'a pdf' };
    });
    app.get('/test/xlsx-then-crash', async (_req, reply) => {
      reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      throw new Error('boom');
    });
    app.get('/test/db-nul', async () => {
      await env.ctx.db.execute(sql`select ${`a${NUL}b`}::text as v`);
      return { ok: true };
    });
    app.get('/test/db-uuid', async () => {
      await env.ctx.db.execute(sql`select ${'not-a-uuid'}::uuid as v`);
      return { ok: true };
    });
    app.get('/test/db-unique', async () => {
      await env.ctx.db.execute(sql`create table if not exists strings_test_unique (v text primary key)`);
      await env.ctx.db.execute(sql`insert into strings_test_unique values ('x') on conflict do nothing`);
      await env.ctx.db.execute(sql`insert into strings_test_unique values ('x')`);
      return { ok: true };
    });
    app.get('/test/db-syntax', async () => {
      await env.ctx.db.execute(sql`selec 1`);
      return { ok: true };
    });
    return app;
  }

  it('a download route that set a PDF or xlsx type and then failed answers the JSON error shape', async () => {
    const app = await appWithRoutes();
    try {
      const cases = [
        ['/test/pdf-then-throw', 404, 'NOT_FOUND'],
        ['/test/pdf-then-object', 500, 'INTERNAL_ERROR'],
        ['/test/xlsx-then-crash', 500, 'INTERNAL_ERROR'],
      ] as const;
      for (const [url, status, code] of cases) {
        const res = await app.inject({ url });
        expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(res.headers['content-disposition']).toBeUndefined();
        expect(res.json()).toEqual({ code, message: expect.any(String) });
        expect(res.body).not.toContain('FST_');
      }
    } finally {
      await app.close();
    }
  });

  it('a query the database refuses is a clean error with a stable code', async () => {
    const app = await appWithRoutes();
    try {
      const nul = await app.inject({ url: '/test/db-nul' });
      expect(nul.statusCode, nul.body).toBe(400);
      expect(nul.json().code).toBe('DATA_UNSTORABLE');
      const uuid = await app.inject({ url: '/test/db-uuid' });
      expect(uuid.statusCode, uuid.body).toBe(400);
      expect(uuid.json().code).toBe('DATA_UNSTORABLE');
      expect(uuid.body).not.toContain('not-a-uuid');
      const unique = await app.inject({ url: '/test/db-unique' });
      expect(unique.statusCode, unique.body).toBe(409);
      expect(unique.json().code).toBe('DATA_CONFLICT');
      // A fault of ours stays a 500, in the same shape.
      const syntax = await app.inject({ url: '/test/db-syntax' });
      expect(syntax.statusCode).toBe(500);
      expect(syntax.json()).toEqual({ code: 'INTERNAL_ERROR', message: expect.any(String) });
    } finally {
      await app.close();
    }
  });

  it('only a database server error is read as a refusal', () => {
    expect(databaseRefusal({ code: 'EPIPE' })).toBeNull();
    expect(databaseRefusal({ code: '40001', severity: 'ERROR' })?.code).toBe('DATABASE_BUSY');
    expect(databaseRefusal(new Error('x', { cause: { code: '22021', severity: 'ERROR' } }))?.code).toBe(
      'DATA_UNSTORABLE',
    );
    expect(databaseRefusal({ code: '42601', severity: 'ERROR' })).toBeNull();
  });
});
