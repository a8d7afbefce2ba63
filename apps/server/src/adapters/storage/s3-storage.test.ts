import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline, Readable, Transform } from 'node:stream';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage, type S3StorageOptions } from './s3-storage.js';
import { createLocalStorage, lazyStorage, type Storage, storageFromConfig } from './storage.js';

const MB = 1024 * 1024;
const BUCKET = 'cjpt-test';

/** s3rver on a free port: real HTTP, real SigV4 checks (its one account is S3RVER/S3RVER). */
async function startS3rver() {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await server.run();
  // What the driver asked for, to see multipart uploads begin, complete or abort.
  const requests: string[] = [];
  server.httpServer.prependListener('request', (req) => requests.push(`${req.method} ${req.url}`));
  const options: S3StorageOptions = {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    bucket: BUCKET,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  };
  return {
    options,
    requests,
    async close() {
      await server.close();
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}

const readAll = async (stream: Readable) => Buffer.concat((await stream.toArray()) as Buffer[]);

/** Compared by length and content: a failing toEqual on megabytes would print (and allocate) them all. */
function expectSameBytes(actual: Buffer, expected: Buffer) {
  expect(actual.length).toBe(expected.length);
  expect(actual.equals(expected)).toBe(true);
}

function chunked(data: Buffer, size = 64 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
    })(),
  );
}

/** A source that fails after `bytes`, as a disk read or an upload from a browser can. */
function failingAfter(bytes: number, message: string): Readable {
  return Readable.from(
    (async function* () {
      yield* chunked(crypto.randomBytes(bytes));
      throw new Error(message);
    })(),
  );
}

/** The caller's size limit: destroys the stream it hands to storage once more than `max` bytes went through. */
function sizeLimited(source: Readable, max: number): Readable {
  let seen = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > max) cb(new Error('视频超过大小上限'));
      else cb(null, chunk);
    },
  });
  pipeline(source, limiter, () => {});
  return limiter;
}

/** A source destroyed without an error (the client went away): storage must not take it for the end. */
function abandonedAfter(bytes: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= bytes) {
        this.destroy();
        return;
      }
      sent += 64 * 1024;
      this.push(crypto.randomBytes(64 * 1024));
    },
  });
}

interface Harness {
  storage: Storage;
  close(): Promise<void>;
}

const drivers: Array<{ name: string; start: () => Promise<Harness> }> = [
  {
    name: 'local',
    async start() {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'storage-local-'));
      return { storage: createLocalStorage(dir), close: () => fs.rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 's3',
    async start() {
      const s3 = await startS3rver();
      // Through the same selection the platform makes from STORAGE_DRIVER=s3 (the SDK loaded on first use).
      const storage = storageFromConfig({
        driver: 's3',
        dir: '',
        s3: { ...s3.options, forcePathStyle: s3.options.forcePathStyle ?? true, prefix: s3.options.prefix ?? '' },
      });
      expect(storage.name).toBe('s3');
      return { storage, close: s3.close };
    },
  },
];

// One suite, two drivers: switching STORAGE_DRIVER must not change what callers observe.
describe.each(drivers)('storage port: $name driver', ({ start }) => {
  let h: Harness;
  const key = (name: string) => `videos/${crypto.randomUUID().slice(0, 2)}/${crypto.randomUUID()}-${name}`;

  beforeAll(async () => {
    h = await start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('put then get returns the same bytes; stat gives the size', async () => {
    const k = key('small');
    const data = Buffer.from('证书 PDF bytes');
    await h.storage.put(k, data, 'application/pdf');
    expect(await h.storage.get(k)).toEqual(data);
    expect(await h.storage.stat(k)).toEqual({ size: data.length });
  });

  it('put replaces an existing object', async () => {
    const k = key('replace');
    await h.storage.put(k, Buffer.from('first'), 'text/plain');
    await h.storage.put(k, Buffer.from('second, longer'), 'text/plain');
    expect((await h.storage.get(k)).toString()).toBe('second, longer');
  });

  it('stat of a missing key is null; get of a missing key rejects', async () => {
    expect(await h.storage.stat(key('missing'))).toBeNull();
    await expect(h.storage.get(key('missing'))).rejects.toThrow();
  });

  it('delete removes the object; deleting a missing key is not an error', async () => {
    const k = key('delete');
    await h.storage.put(k, Buffer.from('x'), 'text/plain');
    await h.storage.delete(k);
    expect(await h.storage.stat(k)).toBeNull();
    await expect(h.storage.delete(k)).resolves.toBeUndefined();
    await expect(h.storage.delete(key('never-there'))).resolves.toBeUndefined();
  });

  it('putStream of an 11 MB video stores every byte and serves byte ranges', async () => {
    const k = key('video');
    const source = crypto.randomBytes(11 * MB + 12345);
    expect(await h.storage.putStream(k, chunked(source), 'video/mp4')).toEqual({ size: source.length });
    expect(await h.storage.stat(k)).toEqual({ size: source.length });

    const read = async (range?: { start: number; end: number }) => readAll(await h.storage.createReadStream(k, range));
    expectSameBytes(await read({ start: 0, end: 0 }), source.subarray(0, 1));
    // Across the first 5 MB part boundary.
    const mid = { start: 5 * MB - 1000, end: 5 * MB + 999 };
    expectSameBytes(await read(mid), source.subarray(mid.start, mid.end + 1));
    const last = source.length - 1;
    expectSameBytes(await read({ start: last, end: last }), source.subarray(last));
    expectSameBytes(await read({ start: 1, end: 2 }), source.subarray(1, 3));
    expectSameBytes(await read(), source);
  });

  it('putStream of an empty stream stores an empty object', async () => {
    const k = key('empty');
    expect(await h.storage.putStream(k, Readable.from([]), 'video/mp4')).toEqual({ size: 0 });
    expect(await h.storage.stat(k)).toEqual({ size: 0 });
  });

  it('a source failing after 7 MB rejects with its own error and leaves no object', async () => {
    const k = key('failing');
    await expect(h.storage.putStream(k, failingAfter(7 * MB, '源文件读取失败'), 'video/mp4')).rejects.toThrow(
      '源文件读取失败',
    );
    expect(await h.storage.stat(k)).toBeNull();
  });

  it('a source failing before the first part rejects and leaves no object', async () => {
    const k = key('failing-small');
    await expect(h.storage.putStream(k, failingAfter(100_000, '源文件读取失败'), 'video/mp4')).rejects.toThrow(
      '源文件读取失败',
    );
    expect(await h.storage.stat(k)).toBeNull();
  });

  it("the caller's size limit stopping the stream mid-upload leaves no object", async () => {
    const k = key('too-big');
    const limited = sizeLimited(chunked(crypto.randomBytes(9 * MB)), 6 * MB);
    await expect(h.storage.putStream(k, limited, 'video/mp4')).rejects.toThrow('视频超过大小上限');
    expect(await h.storage.stat(k)).toBeNull();
  });

  it('a source destroyed without an error is not taken for a complete upload', async () => {
    const k = key('abandoned');
    await expect(h.storage.putStream(k, abandonedAfter(6 * MB), 'video/mp4')).rejects.toThrow();
    expect(await h.storage.stat(k)).toBeNull();
  });

  it('a failed putStream leaves an existing object under the key untouched', async () => {
    const k = key('keep');
    await h.storage.put(k, Buffer.from('the old video'), 'video/mp4');
    await expect(h.storage.putStream(k, failingAfter(6 * MB, '源文件读取失败'), 'video/mp4')).rejects.toThrow();
    expect((await h.storage.get(k)).toString()).toBe('the old video');
  });

  it('createReadStream of a missing key rejects before streaming', async () => {
    await expect(h.storage.createReadStream(key('missing'))).rejects.toThrow();
    await expect(h.storage.createReadStream(key('missing'), { start: 0, end: 9 })).rejects.toThrow();
  });

  it('refuses a key that climbs out with ..', async () => {
    await expect(h.storage.put('../outside', Buffer.from('x'), 'text/plain')).rejects.toThrow();
  });
});

describe('S3 driver specifics (against s3rver)', () => {
  let s3: Awaited<ReturnType<typeof startS3rver>>;
  let storage: Storage;

  beforeAll(async () => {
    s3 = await startS3rver();
    storage = createS3Storage(s3.options);
  });
  afterAll(async () => {
    await s3?.close();
  });

  const requestsFor = (k: string) => s3.requests.filter((r) => r.split('?')[0]?.endsWith(`/${BUCKET}/${k}`));

  it('a big stream goes up as a multipart upload of several parts, completed once', async () => {
    const k = 'videos/multipart.mp4';
    await storage.putStream(k, chunked(crypto.randomBytes(11 * MB)), 'video/mp4');
    const reqs = requestsFor(k);
    expect(reqs.filter((r) => r.startsWith('POST') && /[?&]uploads(=|&|$)/.test(r))).toHaveLength(1);
    expect(reqs.filter((r) => r.startsWith('PUT') && r.includes('partNumber=')).length).toBe(3);
    expect(reqs.filter((r) => r.startsWith('POST') && r.includes('uploadId='))).toHaveLength(1);
  });

  it('a source failing mid-upload aborts the multipart upload instead of completing it', async () => {
    const k = 'videos/aborted.mp4';
    await expect(storage.putStream(k, failingAfter(7 * MB, '源文件读取失败'), 'video/mp4')).rejects.toThrow(
      '源文件读取失败',
    );
    const reqs = requestsFor(k);
    expect(reqs.some((r) => r.startsWith('PUT') && r.includes('partNumber='))).toBe(true);
    expect(reqs.filter((r) => r.startsWith('DELETE') && r.includes('uploadId='))).toHaveLength(1);
    expect(reqs.some((r) => r.startsWith('POST') && r.includes('uploadId='))).toBe(false);
  });

  // s3rver checks that the access key exists but does not compute SigV4 signatures (its authentication
  // middleware: "Signature version 4 calculation is unimplemented"), so a wrong secret cannot be shown here;
  // an unknown access key is refused by the same 403 path a wrong secret takes on OSS, COS or MinIO.
  it('refused credentials surface as errors, never as success or as a missing object', async () => {
    const wrong = createS3Storage({ ...s3.options, accessKeyId: 'NOT-OUR-KEY' });
    const k = 'certificates/wrong-key.pdf';
    await expect(wrong.put(k, Buffer.from('x'), 'application/pdf')).rejects.toMatchObject({
      name: 'InvalidAccessKeyId',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(wrong.putStream(k, chunked(crypto.randomBytes(6 * MB)), 'application/pdf')).rejects.toThrow();
    expect(await storage.stat(k)).toBeNull();
    await storage.put(k, Buffer.from('real'), 'application/pdf');
    await expect(wrong.stat(k)).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await expect(wrong.stat('certificates/absent.pdf')).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await expect(wrong.get(k)).rejects.toThrow();
    await expect(wrong.createReadStream(k)).rejects.toThrow();
    await expect(wrong.delete(k)).rejects.toThrow();
    expect((await storage.get(k)).toString()).toBe('real');
  });

  it('keeps its objects under the configured prefix', async () => {
    const prefixed = createS3Storage({ ...s3.options, prefix: '/cjpt/' });
    await prefixed.put('files/a.txt', Buffer.from('prefixed'), 'text/plain');
    expect((await storage.get('cjpt/files/a.txt')).toString()).toBe('prefixed');
    expect(await storage.stat('files/a.txt')).toBeNull();
    expect(await prefixed.stat('files/a.txt')).toEqual({ size: 8 });
  });

  it('refuses empty keys and keys with .. segments', async () => {
    await expect(storage.put('', Buffer.from('x'), 'text/plain')).rejects.toThrow('invalid storage key');
    await expect(storage.stat('videos/../secret')).rejects.toThrow('invalid storage key');
    await expect(storage.createReadStream('..')).rejects.toThrow('invalid storage key');
  });
});

describe('a driver loaded on first use (lazyStorage)', () => {
  it('loads once, and a failed load fails that call and is tried again on the next', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'storage-lazy-'));
    let loads = 0;
    const storage = lazyStorage('lazy', async () => {
      loads++;
      if (loads === 1) throw new Error('module failed to load');
      return createLocalStorage(dir);
    });
    expect(loads).toBe(0);
    await expect(storage.put('a/b.txt', Buffer.from('x'), 'text/plain')).rejects.toThrow('module failed to load');
    await storage.put('a/b.txt', Buffer.from('hello'), 'text/plain');
    expect((await storage.get('a/b.txt')).toString()).toBe('hello');
    expect(await storage.stat('a/b.txt')).toEqual({ size: 5 });
    expect(loads).toBe(2);
    await fs.rm(dir, { recursive: true, force: true });
  });
});
