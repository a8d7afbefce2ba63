/**
 * 居民身份证号码 (GB 11643-1999): 6-digit address code, 8-digit birth date,
 * 3-digit sequence (odd = male), check character (ISO 7064 MOD 11-2).
 * The address code records where the number was issued, so a code retired since stays valid; we never
 * compare it with the birth year to refuse (see shared/notes/validators.md). Two levels of region check:
 * - everywhere (web and server, no data): a known province and a county code of the standard's shape
 *   (`regionShapeOk`): 111111… is refused because 北京's middle pair was only ever 01 市辖区 or 02 县;
 * - on the server, once `setCountyCodesEver` has been given the set of county-level codes ever published
 *   (`@cpe/shared/areas/county-codes-ever`, Node only, kept out of the web bundle): the six digits must be in
 *   it. The set's oldest revision is 2002-12, so a number that may have been issued before then (holder born
 *   before `COUNTY_CODES_EVER_FROM_BIRTH`) and whose code is not in it gets the shape check only.
 */

/** Province-level codes (first two digits) of GB/T 2260. 71 台湾, 81/82 香港/澳门 are other 证件类型 and not valid here. */
export const PROVINCE_CODES: ReadonlySet<string> = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65'.split(' '),
);

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type IdNumberError = 'required' | 'length' | 'format' | 'province' | 'region' | 'birthDate' | 'checkDigit';

export const ID_NUMBER_MESSAGES: Record<IdNumberError, string> = {
  required: '请输入您的身份证号码',
  length: '身份证号码应为18位',
  format: '身份证号码前17位应为数字，最后一位为数字或X',
  province: '身份证号码的地区码无效',
  region: '身份证号码的地区码不存在',
  birthDate: '身份证号码中的出生日期无效',
  checkDigit: '身份证号码校验位错误，请核对后重新输入',
};

/**
 * Middle pair (digits 3–4) ever used under the municipalities: 01 市辖区, 02 县, and 重庆's 03 市
 * (县级市 永川/江津/合川/南川, 1997–2006). Elsewhere GB/T 2260 uses 01–70 (地级市, 地区, 自治州, 盟) and 90
 * (省直辖县级行政区划).
 */
const MUNICIPALITY_PREFECTURES: Readonly<Record<string, readonly string[]>> = {
  '11': ['01', '02'],
  '12': ['01', '02'],
  '31': ['01', '02'],
  '50': ['01', '02', '03'],
};

/** The data-free region check: known province, a prefecture pair the standard uses, a county part other than 00. */
export function regionShapeOk(region: string): boolean {
  if (!/^\d{6}$/.test(region) || !PROVINCE_CODES.has(region.slice(0, 2))) return false;
  const prefecture = region.slice(2, 4);
  if (region.slice(4, 6) === '00') return false;
  const municipality = MUNICIPALITY_PREFECTURES[region.slice(0, 2)];
  if (municipality) return municipality.includes(prefecture);
  const p = Number(prefecture);
  return (p >= 1 && p <= 70) || p === 90;
}

/**
 * Holders born from this day on got their number after the set's oldest revision (2002-12) took effect, with
 * two years' grace for public-security systems that kept issuing a replaced code for a while.
 */
export const COUNTY_CODES_EVER_FROM_BIRTH = '20050101';

let countyCodesEver: ReadonlySet<string> | null = null;

/**
 * Gives the validator the set of county-level codes ever published in GB/T 2260 (the server does this at
 * start-up from `@cpe/shared/areas/county-codes-ever`); `null` goes back to the data-free check.
 */
export function setCountyCodesEver(codes: ReadonlySet<string> | null): void {
  countyCodesEver = codes;
}

/** Upper-cases a trailing x and trims spaces: what a person types is normalised before checking. */
export function normalizeIdNumber(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] as number);
  return CHECK_CHARS[sum % 11] as string;
}

export function validateIdNumber(raw: string, today: Date = new Date()): IdNumberError | null {
  const value = normalizeIdNumber(raw);
  if (value.length === 0) return 'required';
  if (value.length !== 18) return 'length';
  if (!/^\d{17}[\dX]$/.test(value)) return 'format';
  if (!PROVINCE_CODES.has(value.slice(0, 2))) return 'province';
  const region = value.slice(0, 6);
  if (!regionShapeOk(region)) return 'region';
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (
    y < 1800 ||
    birth.getUTCFullYear() !== y ||
    birth.getUTCMonth() !== m - 1 ||
    birth.getUTCDate() !== d ||
    birth.getTime() > today.getTime()
  ) {
    return 'birthDate';
  }
  if (countyCodesEver && !countyCodesEver.has(region) && value.slice(6, 14) >= COUNTY_CODES_EVER_FROM_BIRTH) {
    return 'region';
  }
  if (idNumberCheckChar(value) !== value[17]) return 'checkDigit';
  return null;
}

/** 1 = male, 2 = female, from the sequence number's parity (GB 11643 §5.3). */
export function idNumberSex(value: string): 'male' | 'female' {
  return Number(value[16]) % 2 === 1 ? 'male' : 'female';
}
