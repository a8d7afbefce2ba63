import { areaList } from '@vant/area-data';

/**
 * GB/T 2260 area codes (province → city → county) from @vant/area-data. Addresses are stored as the
 * 6-digit county code; the province and city are its prefixes (2 and 4 digits).
 */
export const AREAS = areaList;

export function isCountyCode(code: string): boolean {
  return /^\d{6}$/.test(code) && code in areaList.county_list;
}

/** 重庆市 渝中区 — province, city (omitted where it only repeats a municipality) and county. */
export function areaLabel(code: string | null | undefined): string {
  if (!code) return '';
  const province = areaList.province_list[`${code.slice(0, 2)}0000`] ?? '';
  const city = areaList.city_list[`${code.slice(0, 4)}00`] ?? '';
  const county = areaList.county_list[code] ?? '';
  const cityPart = city === province || city === '县' || city === '省直辖县级行政区划' ? '' : city;
  return [province, cityPart, county].filter(Boolean).join(' ');
}

/** The county codes of one prefix (2 digits: a province, 4: a city), e.g. Chongqing's 38 for '50'. */
export function countiesUnder(prefix: string): Array<{ code: string; name: string }> {
  return Object.entries(areaList.county_list)
    .filter(([code]) => code.startsWith(prefix))
    .map(([code, name]) => ({ code, name }));
}
