import crypto from 'node:crypto';
import fs from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Storage } from '../../adapters/storage/storage.js';
import type { Db, Executor } from '../../db/client.js';
import { files } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';

/** Stored files: bytes through the storage adapter, a row with type, size and hash. Access is checked by the owning module. */
export function createFilesService(deps: { db: Db; storage: Storage }) {
  const { db, storage } = deps;
  return {
    /** Writes the bytes first, then the row in the caller's transaction: a failed transaction leaves only an orphan file. */
    async save(
      ex: Executor,
      input: { data: Buffer; mime: string; purpose: string; ownerAccountId?: string; originalName?: string },
    ) {
      const id = crypto.randomUUID();
      const storageKey = `${input.purpose}/${id.slice(0, 2)}/${id}`;
      await storage.put(storageKey, input.data, input.mime);
      await ex.insert(files).values({
        id,
        storageKey,
        mime: input.mime,
        size: input.data.length,
        sha256: crypto.createHash('sha256').update(input.data).digest('hex'),
        purpose: input.purpose,
        ownerAccountId: input.ownerAccountId ?? null,
        originalName: input.originalName?.slice(0, 200) ?? null,
      });
      return id;
    },
    /**
     * Like save, for a large file already on local disk (a course video spooled from an upload): streamed to
     * storage, never read into memory.
     */
    async saveFromPath(ex: Executor, input: { path: string; mime: string; purpose: string; originalName?: string }) {
      const id = crypto.randomUUID();
      const storageKey = `${input.purpose}/${id.slice(0, 2)}/${id}`;
      const hash = crypto.createHash('sha256');
      for await (const chunk of fs.createReadStream(input.path)) hash.update(chunk as Buffer);
      const { size } = await storage.putStream(storageKey, fs.createReadStream(input.path), input.mime);
      await ex.insert(files).values({
        id,
        storageKey,
        mime: input.mime,
        size,
        sha256: hash.digest('hex'),
        purpose: input.purpose,
        ownerAccountId: null,
        originalName: input.originalName?.slice(0, 200) ?? null,
      });
      return id;
    },
    /**
     * Deletes a file for good: the row in the caller's transaction, then the bytes. A failed delete of the bytes
     * throws, rolling the caller back with the file still referenced for the next attempt; a commit failing after
     * it leaves a row whose bytes are gone, which the next attempt deletes (deleting a missing key is no error).
     */
    async remove(ex: Executor, id: string) {
      const [row] = await ex.delete(files).where(eq(files.id, id)).returning({ storageKey: files.storageKey });
      if (row) await storage.delete(row.storageKey);
    },
    async meta(id: string) {
      return (await db.select().from(files).where(eq(files.id, id)))[0];
    },
    async read(id: string) {
      const row = (await db.select().from(files).where(eq(files.id, id)))[0];
      if (!row) throw new AppError('NOT_FOUND');
      return { data: await storage.get(row.storageKey), mime: row.mime };
    },
  };
}
export type FilesService = ReturnType<typeof createFilesService>;
