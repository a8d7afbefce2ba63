import countries from 'i18n-iso-countries';
import { type IdNumberError, idNumberCheckChar, PROVINCE_CODES, validateIdNumber } from './id-number.js';

/**
 * The 证件类型 a person can be identified by. Every place that takes a person's document number (registration,
 * login, 学员注册名单, 团体购买, 学员名单, 补学, certificates) goes through this file, so a new type is added here once.
 *
 * - 身份证 (GB 11643): see id-number.ts.
 * - 港澳居民居住证 / 台湾居民居住证 (2018): 18 characters, address code 810000 香港 / 820000 澳门 / 830000 台湾,
 *   then birth date, sequence and the GB 11643 check character, exactly as a 身份证.
 * - 外国人永久居留身份证: the card issued since 2023-12-01 has 18 characters — `9`, the two-digit province code of
 *   the issuing place, the three-digit numeric nationality code (ISO 3166-1), birth date, sequence, GB 11643 check
 *   character. Earlier cards (2004 and 2017 designs, valid for ten years) carry 15 characters: the alpha-3
 *   nationality code and 12 digits; they are checked by shape and nationality only, having no check character.
 * - 护照 (foreigners without a permanent-residence card): no national verification service exists for them, so
 *   the number is checked by shape and the 实名 is reviewed by staff. Passport numbers are unique per issuing
 *   country only, so the nationality is part of the document's key (`idDocumentKey`).
 *
 * The 18-character types never overlap (a 身份证 starts with a province code 11–65), so a number typed without its
 * type (login, Excel rosters, pasted lists) is recognised by `inferIdType`.
 */
export const ID_TYPES = ['idCard', 'hkMacaoResidence', 'taiwanResidence', 'foreignPermanent', 'passport'] as const;
export type IdType = (typeof ID_TYPES)[number];

export const ID_TYPE_LABELS: Record<IdType, string> = {
  idCard: '身份证',
  hkMacaoResidence: '港澳居民居住证',
  taiwanResidence: '台湾居民居住证',
  foreignPermanent: '外国人永久居留身份证',
  passport: '护照',
};

/** Types whose holder is verified by the 实名认证 service; a passport is verified by staff instead. */
export const ONLINE_VERIFIED_ID_TYPES: ReadonlySet<IdType> = new Set([
  'idCard',
  'hkMacaoResidence',
  'taiwanResidence',
  'foreignPermanent',
]);

/** Types that can be recognised from the number alone (login, rosters, pasted lists). */
export const INFERABLE_ID_TYPES: readonly IdType[] = [
  'idCard',
  'hkMacaoResidence',
  'taiwanResidence',
  'foreignPermanent',
];

export type IdDocumentError = IdNumberError | 'typeMismatch' | 'nationality';

const RESIDENCE_PREFIX: Partial<Record<IdType, readonly string[]>> = {
  hkMacaoResidence: ['810000', '820000'],
  taiwanResidence: ['830000'],
};

/** Upper-case, no spaces: what a person types is normalised the same way for every type. */
export function normalizeIdDocument(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

/** The type a number belongs to when none was chosen; null when it has none of the inferable shapes. */
export function inferIdType(raw: string): IdType | null {
  const v = normalizeIdDocument(raw);
  if (/^[A-Z]{3}\d{12}$/.test(v)) return 'foreignPermanent';
  if (!/^\d{17}[\dX]$/.test(v)) return null;
  if (v.startsWith('81') || v.startsWith('82')) return 'hkMacaoResidence';
  if (v.startsWith('83')) return 'taiwanResidence';
  if (v.startsWith('9')) return 'foreignPermanent';
  return 'idCard';
}

/** ISO 3166-1 alpha-3 codes a foreigner can hold: not China, nor 香港/澳门/台湾 (their people use 居住证). */
const NOT_FOREIGN = new Set(['CHN', 'HKG', 'MAC', 'TWN']);
const foreignAlpha3 = new Set(Object.keys(countries.getAlpha3Codes()).filter((c) => !NOT_FOREIGN.has(c)));
const foreignNumeric = new Set(
  [...foreignAlpha3].map((a3) => countries.alpha3ToNumeric(a3)).filter((n): n is string => typeof n === 'string'),
);

export function isForeignNationality(alpha3: string): boolean {
  return foreignAlpha3.has(alpha3);
}

/** 国籍 choices for a 护照 holder: alpha-3 code and the Chinese name, sorted by the name's pinyin. */
export function foreignNationalities(): { code: string; name: string }[] {
  const names = new Intl.DisplayNames(['zh-Hans'], { type: 'region' });
  return [...foreignAlpha3]
    .map((code) => {
      const a2 = countries.alpha3ToAlpha2(code);
      return { code, name: (a2 && names.of(a2)) || code };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-Hans-CN'));
}

function birthDateOk(yyyymmdd: string, today: Date): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const birth = new Date(Date.UTC(y, m - 1, d));
  return (
    y >= 1900 &&
    birth.getUTCFullYear() === y &&
    birth.getUTCMonth() === m - 1 &&
    birth.getUTCDate() === d &&
    birth.getTime() <= today.getTime()
  );
}

/** The GB 11643 layout shared by the 居住证 and the 2023 永居证: 6-char head, birth date, sequence, check char. */
function checkEighteen(
  v: string,
  headOk: (head: string) => IdDocumentError | null,
  today: Date,
): IdDocumentError | null {
  if (v.length !== 18) return 'length';
  if (!/^\d{17}[\dX]$/.test(v)) return 'format';
  const head = headOk(v.slice(0, 6));
  if (head) return head;
  if (!birthDateOk(v.slice(6, 14), today)) return 'birthDate';
  if (idNumberCheckChar(v) !== v[17]) return 'checkDigit';
  return null;
}

/**
 * Checks a number against its declared type. A number of another inferable type gets `typeMismatch` (the message
 * names the type it looks like), so nobody is told that the region code of their 居住证 is wrong.
 */
export function validateIdDocument(type: IdType, raw: string, today: Date = new Date()): IdDocumentError | null {
  const v = normalizeIdDocument(raw);
  if (v.length === 0) return 'required';
  const looksLike = inferIdType(v);
  if (looksLike && looksLike !== type) return 'typeMismatch';
  switch (type) {
    case 'idCard':
      return validateIdNumber(v, today);
    case 'hkMacaoResidence':
    case 'taiwanResidence': {
      const prefixes = RESIDENCE_PREFIX[type] ?? [];
      return checkEighteen(v, (head) => (prefixes.includes(head) ? null : 'region'), today);
    }
    case 'foreignPermanent':
      if (v.length === 15) {
        if (!/^[A-Z]{3}\d{12}$/.test(v)) return 'format';
        return foreignAlpha3.has(v.slice(0, 3)) ? null : 'nationality';
      }
      return checkEighteen(
        v,
        (head) => {
          if (head[0] !== '9' || !PROVINCE_CODES.has(head.slice(1, 3))) return 'region';
          return foreignNumeric.has(head.slice(3, 6)) ? null : 'nationality';
        },
        today,
      );
    case 'passport':
      if (v.length < 5 || v.length > 17) return 'length';
      return /^[A-Z0-9]+$/.test(v) ? null : 'format';
  }
}

/** Every rule's message names the document, so a list of errors (Excel rosters, pasted lists) reads on its own. */
export function idDocumentMessage(type: IdType, error: IdDocumentError, raw = ''): string {
  const label = type === 'idCard' ? '身份证' : ID_TYPE_LABELS[type];
  if (error === 'typeMismatch') {
    const other = inferIdType(raw);
    return other
      ? `该号码是${ID_TYPE_LABELS[other]}号码，请将证件类型选为“${ID_TYPE_LABELS[other]}”`
      : `${label}号码与证件类型不符`;
  }
  switch (error) {
    case 'required':
      return `请输入${label}号码`;
    case 'length':
      return {
        idCard: '身份证号码应为18位',
        hkMacaoResidence: '港澳居民居住证号码应为18位',
        taiwanResidence: '台湾居民居住证号码应为18位',
        foreignPermanent: '外国人永久居留身份证号码应为18位（2023年版）或15位（旧版）',
        passport: '护照号码应为5-17位字母或数字',
      }[type];
    case 'format':
      if (type === 'passport') return '护照号码只能包含字母和数字';
      if (type === 'foreignPermanent' && normalizeIdDocument(raw).length === 15)
        return '旧版外国人永久居留身份证号码应为3位国籍字母代码加12位数字';
      return `${label}号码前17位应为数字，最后一位为数字或X`;
    case 'province':
    case 'region':
      return {
        idCard: error === 'province' ? '身份证号码的地区码无效' : '身份证号码的地区码不存在',
        hkMacaoResidence: '港澳居民居住证号码应以810000（香港）或820000（澳门）开头',
        taiwanResidence: '台湾居民居住证号码应以830000开头',
        foreignPermanent: '外国人永久居留身份证号码应以9开头，第2-3位为受理地省级代码',
        passport: '护照号码无效',
      }[type];
    case 'nationality':
      return '外国人永久居留身份证号码中的国籍代码无效';
    case 'birthDate':
      return `${label}号码中的出生日期无效`;
    case 'checkDigit':
      return `${label}号码校验位错误，请核对后重新输入`;
  }
}

/**
 * What the lookup hash and the uniqueness of an account are computed over: the number, and for a passport its
 * nationality too (two countries can issue the same passport number).
 */
export function idDocumentKey(type: IdType, number: string, nationality?: string | null): string {
  const v = normalizeIdDocument(number);
  return type === 'passport' ? `${nationality ?? ''}:${v}` : v;
}

/** Sex from the sequence number where the document encodes it (odd = male), else null. */
export function idDocumentSex(type: IdType, number: string): 'male' | 'female' | null {
  const v = normalizeIdDocument(number);
  if (type === 'passport' || v.length !== 18) return null;
  return Number(v[16]) % 2 === 1 ? 'male' : 'female';
}

/** Birth date (YYYY-MM-DD) where the document encodes it, else null. */
export function idDocumentBirthDate(type: IdType, number: string): string | null {
  const v = normalizeIdDocument(number);
  if (type === 'passport' || v.length !== 18) return null;
  return `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
}

/** '身份证号码', '港澳居民居住证号码', '护照号码'…: how a list, a letter or a certificate names the holder's number. */
export function idNumberLabel(type: IdType): string {
  return `${ID_TYPE_LABELS[type]}号码`;
}

/**
 * A number typed, pasted or uploaded without its type (Excel rosters, 团体购买, 学员名单, searches): normalised, its
 * type inferred from its shape — 身份证 when it has none, so the message speaks of the document most people hold —
 * and checked by that type's rules. `message` is null when the number is valid.
 */
export function untypedIdDocument(
  raw: string,
  today: Date = new Date(),
): { type: IdType; number: string; error: IdDocumentError | null; message: string | null } {
  const number = normalizeIdDocument(raw);
  const type = inferIdType(number) ?? 'idCard';
  const error = validateIdDocument(type, number, today);
  return { type, number, error, message: error ? idDocumentMessage(type, error, number) : null };
}
