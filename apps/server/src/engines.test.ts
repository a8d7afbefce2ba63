import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));

/** The lowest release of each major line our `engines` admits: what an operator may legitimately run us on. */
const lowest = (range: string) => range.split('||').map((part) => semver.minVersion(part.trim())?.version as string);

/**
 * `engines` says the truth (issue 22): every package npm installs here accepts the oldest Node of each line we
 * claim, so `npm ci` prints no EBADENGINE warning on Node 20, 22 or 24. Checked over the whole lock, so a new or
 * updated dependency that drops a runtime fails here rather than in an operator's install log. Packages for other
 * platforms (optional, absent from node_modules) are never installed here and are left out.
 */
describe('engines', () => {
  const claimed = manifest.engines.node as string;

  it('the project claims Node 20, 22 and 24 and runs on the Node it is tested with', () => {
    expect(lowest(claimed).map((v) => semver.major(v))).toEqual([20, 22, 24]);
    expect(semver.satisfies(process.version, claimed)).toBe(true);
  });

  it.each(lowest(claimed))('every installed package accepts Node %s', (version) => {
    const refusing = Object.entries(lock.packages as Record<string, { version?: string; engines?: unknown }>)
      .filter(([where]) => where !== '' && fs.existsSync(path.join(ROOT, where)))
      .filter(([, p]) => {
        const range = (p.engines as { node?: unknown } | undefined)?.node;
        return typeof range === 'string' && !semver.satisfies(version, range);
      })
      .map(([where, p]) => `${where}@${p.version} wants ${(p.engines as { node: string }).node}`);
    expect(refusing).toEqual([]);
  });
});
