/**
 * 居民身份证号码 (GB 11643-1999): 6-digit address code, 8-digit birth date,
 * 3-digit sequence (odd = male), check character (ISO 7064 MOD 11-2).
 * We do not check the county code against a yearly table (see shared/notes/validators.md):
 * the address code records where the number was issued, and such tables reject real people.
 */

/** Province-level codes (first two digits) of GB/T 2260. 71 台湾, 81/82 香港/澳门 are other 证件类型 and not valid here. */
export const PROVINCE_CODES: ReadonlySet<string> = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65'.split(' '),
);

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type IdNumberError = 'required' | 'length' | 'format' | 'province' | 'birthDate' | 'checkDigit';

export const ID_NUMBER_MESSAGES: Record<IdNumberError, string> = {
  required: '请输入您的身份证号码',
  length: '身份证号码应为18位',
  format: '身份证号码前17位应为数字，最后一位为数字或X',
  province: '身份证号码的地区码无效',
  birthDate: '身份证号码中的出生日期无效',
  checkDigit: '身份证号码校验位错误，请核对后重新输入',
};

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
  if (idNumberCheckChar(value) !== value[17]) return 'checkDigit';
  return null;
}

/** 1 = male, 2 = female, from the sequence number's parity (GB 11643 §5.3). */
export function idNumberSex(value: string): 'male' | 'female' {
  return Number(value[16]) % 2 === 1 ? 'male' : 'female';
}
