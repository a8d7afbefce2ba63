import { createRequire } from 'node:module';
import { areaList } from '@vant/area-data';

/**
 * Every county-level code (6 digits, not ending in 00) published in GB/T 2260 from 2002-12 on: the 19 revisions
 * of the 国家统计局 tables from 2002-12 to 2016-07 in the package `gb2260` (cn/GB2260, MIT), and the current codes
 * of `@vant/area-data` (MIT) that the address pickers use. About 4,250 codes.
 *
 * Node only (it reads the package's JSON files, ~1.8 MB), so the web bundle never carries it: the server builds
 * the Set once at start-up and hands it to the ID-number validator (`setCountyCodesEver`); the web keeps the
 * data-free shape check. Do not import this file from `apps/web`.
 */
function build(): ReadonlySet<string> {
  const load = createRequire(import.meta.url);
  const codes = new Set<string>();
  const add = (code: string) => {
    if (/^\d{4}(?!00)\d{2}$/.test(code)) codes.add(code);
  };
  const revisions = load('gb2260/lib/revisions.json') as string[];
  for (const revision of revisions) {
    for (const code of Object.keys(load(`gb2260/lib/${revision}.json`) as Record<string, string>)) add(code);
  }
  for (const code of Object.keys(areaList.county_list)) add(code);
  return codes;
}

let cached: ReadonlySet<string> | null = null;

export function countyCodesEver(): ReadonlySet<string> {
  cached ??= build();
  return cached;
}
