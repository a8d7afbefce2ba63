import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Storage } from './storage.js';

export interface S3StorageOptions {
  /** Unset for AWS itself; OSS, COS and MinIO give their own (e.g. https://oss-cn-chengdu.aliyuncs.com). */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** bucket in the path, not the host name: MinIO in the 内网 has no wildcard DNS for bucket sub-domains. */
  forcePathStyle?: boolean;
  /** Keeps this platform's objects apart when the bucket is shared, e.g. `cjpt/`. */
  prefix?: string;
}

/**
 * The storage port on any S3-compatible object store (阿里云 OSS, 腾讯云 COS, MinIO), with the local driver's
 * semantics: missing objects are null/errors the same way, and a failed stream leaves no object behind.
 */
export function createS3Storage(opts: S3StorageOptions): Storage {
  const client = new S3Client({
    endpoint: opts.endpoint || undefined,
    region: opts.region,
    forcePathStyle: opts.forcePathStyle ?? false,
    credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
    // The SDK's default adds CRC32 checksums (aws-chunked bodies with trailers) that OSS, COS and older MinIO
    // reject or store verbatim; only operations that require a checksum get one.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = opts.bucket;
  const prefix = (opts.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const objectKey = (key: string) => {
    // Keys are ours (uuid paths), but a `..` would mean something different here than on the local disk.
    if (!key || key.split('/').includes('..')) throw new Error(`invalid storage key: ${key}`);
    return prefix ? `${prefix}/${key}` : key;
  };

  return {
    name: 's3',
    async put(key, data, contentType) {
      await client.send(new PutObjectCommand({ Bucket, Key: objectKey(key), Body: data, ContentType: contentType }));
    },
    async get(key) {
      const res = await client.send(new GetObjectCommand({ Bucket, Key: objectKey(key) }));
      if (!res.Body) throw new Error(`storage object without body: ${key}`);
      return Buffer.from(await res.Body.transformToByteArray());
    },
    async delete(key) {
      // S3 answers 204 for a missing key too, as the local driver's rm({ force: true }) does.
      await client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) }));
    },
    async putStream(key, data, contentType) {
      const Key = objectKey(key);
      let size = 0;
      const counted = Readable.from(
        (async function* () {
          for await (const chunk of data) {
            const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
            size += buf.length;
            yield buf;
          }
        })(),
        { objectMode: false },
      );
      // Parts of an object never completed stay invisible to readers; the multipart upload is aborted here
      // rather than by lib-storage so that the caller sees the source's error (e.g. its size limit), not a
      // failed abort's.
      const upload = new Upload({
        client,
        params: { Bucket, Key, Body: counted, ContentType: contentType },
        leavePartsOnError: true,
      });
      try {
        await upload.done();
        return { size };
      } catch (err) {
        data.destroy();
        if (upload.uploadId) {
          await client
            .send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId: upload.uploadId }))
            .catch((abortErr: unknown) => {
              if (err instanceof Error && err.cause === undefined) err.cause = abortErr;
            });
        }
        throw err;
      }
    },
    async stat(key) {
      try {
        const res = await client.send(new HeadObjectCommand({ Bucket, Key: objectKey(key) }));
        return { size: res.ContentLength ?? 0 };
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },
    async createReadStream(key, range) {
      // The request is made before returning, so a missing object rejects here rather than as a stream error
      // after the response headers went out.
      const res = await client.send(
        new GetObjectCommand({
          Bucket,
          Key: objectKey(key),
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      const body = res.Body;
      if (!(body instanceof Readable)) throw new Error(`storage object without a readable body: ${key}`);
      if (!range) return body;
      // A server that ignored the Range header would send the whole file where the player expects a slice;
      // some (s3rver, which the tests run against) answer `bytes=0-0` with everything from byte 0 on.
      const served = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.ContentRange ?? '');
      const [, first, last, total] = served ?? [];
      // Like a file read, a range running past the end stops at the last byte.
      const complete = Number(last) >= range.end || Number(last) === Number(total) - 1;
      if (!served || Number(first) !== range.start || !complete) {
        body.destroy();
        throw new Error(
          `storage answered ${res.ContentRange ?? 'no Content-Range'} for bytes=${range.start}-${range.end}`,
        );
      }
      return Number(last) <= range.end ? body : firstBytes(body, range.end - range.start + 1);
    },
  };
}

function isNotFound(err: unknown): boolean {
  return (
    err instanceof S3ServiceException &&
    (err.name === 'NotFound' || err.name === 'NoSuchKey' || err.$metadata.httpStatusCode === 404)
  );
}

/** The first `length` bytes of `body`; the rest is not read (ending the iteration destroys the response). */
function firstBytes(body: Readable, length: number): Readable {
  return Readable.from(
    (async function* () {
      let left = length;
      for await (const chunk of body) {
        const part = (chunk as Buffer).subarray(0, left);
        left -= part.length;
        yield part;
        if (left === 0) return;
      }
    })(),
    { objectMode: false },
  );
}
