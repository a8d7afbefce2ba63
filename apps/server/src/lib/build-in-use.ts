import fs from 'node:fs';
import path from 'node:path';

/** A folder scripts/build.mjs made: `dist.<hash>` or a forced rebuild's `dist.<hash>.<pid>`. */
const BUILD_FOLDER = /^dist\.[0-9a-f]{12}(\.\d+)?$/;

/**
 * Marks the builds this process runs from (the compiled server's folder and the web build it serves) with
 * `.in-use/<pid>`, so that scripts/build.mjs never prunes a folder a live instance still loads modules or serves
 * pages from (lazily imported modules and every asset are read long after the start). Removed on exit; a marker of a
 * process that died is ignored by the build. Running from the TypeScript sources (tsx): nothing to mark.
 */
export function markBuildsInUse(folders: string[]): void {
  const marked: string[] = [];
  for (const folder of new Set(folders.map((f) => fs.realpathSync(f)))) {
    if (!BUILD_FOLDER.test(path.basename(folder))) continue;
    const marker = path.join(folder, '.in-use', String(process.pid));
    try {
      fs.mkdirSync(path.dirname(marker), { recursive: true });
      fs.writeFileSync(marker, new Date().toISOString());
      marked.push(marker);
    } catch {
      // A read-only deployment (an image) is never pruned beside a running instance: nothing to protect.
    }
  }
  process.on('exit', () => {
    for (const m of marked) fs.rmSync(m, { force: true });
  });
}
