import { foreignNationalities } from '@cpe/shared/validators/id-document';

let options: Array<{ value: string; label: string }> | undefined;
let names: Map<string, string> | undefined;

/** 国籍 choices of a 护照 holder (Chinese names, sorted by pinyin), built once on first use. */
export function nationalityOptions(): Array<{ value: string; label: string }> {
  options ??= foreignNationalities().map((n) => ({ value: n.code, label: n.name }));
  return options;
}

/** The Chinese name of an ISO 3166-1 alpha-3 code (USA → 美国); the code itself when unknown. */
export function nationalityName(code: string | null | undefined): string {
  if (!code) return '';
  names ??= new Map(nationalityOptions().map((o) => [o.value, o.label]));
  return names.get(code) ?? code;
}
