// The GB/T 2260 data (about 60 KB) is imported only by the unit pages, which the routers load lazily.
import { AREAS } from '@cpe/shared/areas/index';

export { areaLabel } from '@cpe/shared/areas/index';

export interface AreaOption {
  value: string;
  label: string;
  children?: AreaOption[];
}

let cached: AreaOption[] | null = null;

/** 省份/直辖市 → 城市 → 区县, built once from the shared area list. Values are the 6-digit codes of each level. */
export function areaOptions(): AreaOption[] {
  if (cached) return cached;
  const counties = new Map<string, AreaOption[]>();
  for (const [code, name] of Object.entries(AREAS.county_list)) {
    const key = code.slice(0, 4);
    const list = counties.get(key) ?? [];
    list.push({ value: code, label: name });
    counties.set(key, list);
  }
  const cities = new Map<string, AreaOption[]>();
  for (const [code, name] of Object.entries(AREAS.city_list)) {
    const key = code.slice(0, 2);
    const list = cities.get(key) ?? [];
    list.push({ value: code, label: name, children: counties.get(code.slice(0, 4)) ?? [] });
    cities.set(key, list);
  }
  cached = Object.entries(AREAS.province_list).map(([code, name]) => ({
    value: code,
    label: name,
    children: cities.get(code.slice(0, 2)) ?? [],
  }));
  return cached;
}

/** The cascader path of a 6-digit county code: [province, city, county]. */
export function countyPath(code: string | undefined): string[] | undefined {
  if (!code || !/^\d{6}$/.test(code)) return undefined;
  return [`${code.slice(0, 2)}0000`, `${code.slice(0, 4)}00`, code];
}

/** A filter's area as a code prefix (2, 4 or 6 digits) ⇄ the cascader path to that level. */
export function prefixOfPath(path: ReadonlyArray<string | number> | undefined): string | undefined {
  if (!path || path.length === 0) return undefined;
  const last = String(path[path.length - 1]);
  if (path.length === 1) return last.slice(0, 2);
  if (path.length === 2) return last.slice(0, 4);
  return last;
}

export function pathOfPrefix(prefix: string | undefined): string[] | undefined {
  if (!prefix || !/^\d{2}(\d{2}(\d{2})?)?$/.test(prefix)) return undefined;
  const path = [`${prefix.slice(0, 2)}0000`];
  if (prefix.length >= 4) path.push(`${prefix.slice(0, 4)}00`);
  if (prefix.length === 6) path.push(prefix);
  return path;
}
