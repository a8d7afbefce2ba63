import { z } from 'zod';

/**
 * The building blocks of an application form. A section lists its fields; the server validates with the
 * zod schemas built from them (draft: shapes only; submit: every rule), the web renders the form and the
 * preview from them, and the PDF lays them out. A new application type is a new list of fields.
 */
export type FieldKind =
  | 'text'
  | 'textarea'
  /** Money typed in 万元 with two decimals, stored as integer fen (0.01 万元 = 10,000 fen). */
  | 'wan'
  | 'int'
  /** { from, to } as YYYY-MM-DD (China dates). */
  | 'dateRange'
  | 'date'
  /** Mobile or landline, e.g. 13800000000 or 023-12345678. */
  | 'phone'
  /** A bank account number: digits only, spaces ignored. */
  | 'bankAccount'
  /** Rows of text columns (授课专家情况, 日程安排). */
  | 'table'
  /** Uploaded files checked by content: [{ fileId, name }]. */
  | 'files'
  /** One of `options`. */
  | 'select'
  /** Several of `options` (checkboxes), as an array. */
  | 'checks'
  /**
   * 结业上报's 学员名单: the rows live in their own table (personal data, thousands of lines); the section holds
   * only what the list came to: { total, passed }.
   */
  | 'trainees';

export interface ColumnDef {
  name: string;
  label: string;
  /** `wan`: an amount in 万元 stored as fen; `int`: a whole number up to `max`; `select`: one of `options`. */
  kind: 'text' | 'textarea' | 'date' | 'select' | 'int' | 'wan';
  /** Text: maximum characters; int / wan: maximum value (wan in 万元). */
  max: number;
  required: boolean;
  width?: number;
  options?: readonly string[];
}

export interface FieldDef {
  name: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  /** Text: maximum characters; int / wan: maximum value (wan in 万元); table / files: maximum rows. */
  max?: number;
  /** Text: minimum characters; int: minimum value; table / files: minimum rows when required. */
  min?: number;
  /** Shown after the input, e.g. 万元, 人. */
  unit?: string;
  placeholder?: string;
  help?: string;
  columns?: ColumnDef[];
  /** select / checks: the choices. */
  options?: readonly string[];
  /** files: `images` takes JPG and PNG only (照片), checked by content on upload and by type on save. */
  accept?: 'images';
  /** Filled from the unit's data when the draft is created (the applicant may still edit it). */
  prefill?: 'unitName' | 'unitAddress' | 'unitUscc' | 'unitType';
}

export const FEN_PER_WAN = 1_000_000;
const FEN_PER_CENTI_WAN = 10_000;

/** 万元 (as typed, up to two decimals) → fen; exact for two decimals. */
export function wanToFen(wan: number): number {
  return Math.round(wan * 100) * FEN_PER_CENTI_WAN;
}
/** fen → 万元 text with two decimals, e.g. 105000000 → "105.00". */
export function fenToWanText(fen: number): string {
  const centi = Math.round(fen / FEN_PER_CENTI_WAN);
  return `${Math.trunc(centi / 100)}.${String(Math.abs(centi % 100)).padStart(2, '0')}`;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export function isRealDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const LANDLINE_OR_MOBILE_RE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/;

/** Luhn check, used for UnionPay card numbers (62…, 16–19 digits); corporate accounts carry no public check digit. */
export function luhnOk(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export type BankAccountError = 'chars' | 'length' | 'checkDigit';
export function bankAccountError(raw: string): BankAccountError | null {
  const s = raw.replace(/\s+/g, '');
  if (!/^\d+$/.test(s)) return 'chars';
  if (s.length < 9 || s.length > 30) return 'length';
  if (s.startsWith('62') && s.length >= 16 && s.length <= 19 && !luhnOk(s)) return 'checkDigit';
  return null;
}
const BANK_ACCOUNT_MESSAGES: Record<BankAccountError, string> = {
  chars: '只能包含数字',
  length: '应为9-30位数字',
  checkDigit: '校验位不正确，请核对',
};

export function verbOf(f: Pick<FieldDef, 'kind'>): string {
  if (f.kind === 'files') return '请上传';
  if (f.kind === 'dateRange' || f.kind === 'date') return '请选择';
  if (f.kind === 'table') return '请填写';
  return '请输入';
}
export const requiredMessage = (f: Pick<FieldDef, 'kind' | 'label'>) => `${verbOf(f)}${f.label}`;

export const ZAttachment = z.object({
  fileId: z.uuid('附件编号无效'),
  name: z.string().max(200, '文件名过长'),
  mime: z.string().max(100),
  size: z.number().int().min(0),
});
export type TAttachment = z.infer<typeof ZAttachment>;

export const ZDateRange = z.object({ from: z.string(), to: z.string() });

export const IMAGE_MIMES: readonly string[] = ['image/jpeg', 'image/png'];

/** One cell of a table row: blank is allowed here; required cells are checked by the caller. */
function columnSchema(c: ColumnDef): z.ZodType {
  switch (c.kind) {
    case 'date':
      return z.string().refine((v) => v === '' || isRealDate(v), `${c.label}日期格式无效`);
    case 'select':
      return z.string().refine((v) => v === '' || (c.options ?? []).includes(v), `请选择有效的${c.label}`);
    case 'int':
      return z.union([
        z.literal(''),
        z
          .number({ error: `${c.label}应为整数` })
          .int(`${c.label}应为整数`)
          .min(0, `${c.label}不能为负数`)
          .max(c.max, `${c.label}不能超过${c.max}`),
      ]);
    case 'wan':
      return z.union([
        z.literal(''),
        z
          .number({ error: `${c.label}应为金额` })
          .int(`${c.label}金额格式无效`)
          .min(0, `${c.label}不能为负数`)
          .max(wanToFen(c.max), `${c.label}不能超过${c.max}万元`)
          .refine((v) => v % FEN_PER_CENTI_WAN === 0, `${c.label}最多保留两位小数（万元）`),
      ]);
    default:
      return z.string().trim().max(c.max, `${c.label}不能超过${c.max}个字`);
  }
}

function isBlank(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object' && 'from' in (v as object))
    return !(v as { from?: string }).from || !(v as { to?: string }).to;
  if (typeof v === 'object' && 'total' in (v as object)) return !(v as { total?: number }).total;
  return false;
}

/**
 * The schema of one field. A draft (`full = false`) accepts any missing value and checks only what was
 * typed; a submission (`full = true`) also requires what is required.
 */
export function fieldSchema(f: FieldDef, full: boolean): z.ZodType {
  const L = f.label;
  let s: z.ZodType;
  switch (f.kind) {
    case 'text':
    case 'textarea': {
      const max = f.max ?? (f.kind === 'text' ? 100 : 2000);
      let t = z
        .string({ error: `${L}应为文字` })
        .trim()
        .max(max, `${L}不能超过${max}个字`);
      if (full && f.min) t = t.min(f.min, `${L}至少${f.min}个字`);
      s = t;
      break;
    }
    case 'wan': {
      const maxWan = f.max ?? 100_000;
      s = z
        .number({ error: `${L}应为金额` })
        .int(`${L}金额格式无效`)
        .min(0, `${L}不能为负数`)
        .max(wanToFen(maxWan), `${L}不能超过${maxWan}万元`)
        .refine((v) => v % FEN_PER_CENTI_WAN === 0, `${L}最多保留两位小数（万元）`);
      break;
    }
    case 'int':
      s = z
        .number({ error: `${L}应为整数` })
        .int(`${L}应为整数`)
        .min(f.min ?? 0, `${L}不能小于${f.min ?? 0}`)
        .max(f.max ?? 1_000_000, `${L}不能超过${f.max ?? 1_000_000}`);
      break;
    case 'date':
      s = z.string({ error: `请选择${L}` }).refine(isRealDate, `${L}日期格式无效`);
      break;
    case 'dateRange':
      s = z
        .object({ from: z.string(), to: z.string() }, { error: `请选择${L}` })
        .refine((v) => isRealDate(v.from) && isRealDate(v.to), `${L}日期格式无效`)
        .refine((v) => v.from <= v.to, `${L}的结束日期不能早于开始日期`);
      break;
    case 'phone':
      s = z
        .string({ error: `${L}应为文字` })
        .trim()
        .refine((v) => v === '' || LANDLINE_OR_MOBILE_RE.test(v), `${L}格式不正确（手机号或区号-座机号）`);
      break;
    case 'bankAccount':
      s = z
        .string({ error: `${L}应为数字` })
        .transform((v) => v.replace(/\s+/g, ''))
        .superRefine((v, ctx) => {
          const e = v === '' ? null : bankAccountError(v);
          if (e) ctx.addIssue({ code: 'custom', message: `${L}${BANK_ACCOUNT_MESSAGES[e]}` });
        });
      break;
    case 'table': {
      const cols = f.columns ?? [];
      const row = z.object(
        Object.fromEntries(
          cols.map((c) => {
            let cs = columnSchema(c);
            if (!full) return [c.name, cs.optional()];
            if (c.required)
              cs = cs.refine((v) => v !== null && v !== undefined && String(v).trim() !== '', `请填写${c.label}`);
            // A missing cell reads as blank, so a submission reports 请填写… rather than a type error.
            return [c.name, z.preprocess((v) => v ?? '', cs)];
          }),
        ),
      );
      const maxRows = f.max ?? 50;
      s = z.array(row).max(maxRows, `${L}最多${maxRows}行`);
      break;
    }
    case 'files': {
      const maxFiles = f.max ?? 10;
      let a = z.array(ZAttachment).max(maxFiles, `${L}最多${maxFiles}个`);
      if (f.accept === 'images')
        a = a.refine((list) => list.every((x) => IMAGE_MIMES.includes(x.mime)), `${L}只能上传JPG或PNG图片`);
      s = a;
      break;
    }
    case 'select': {
      const options = f.options ?? [];
      s = z.string({ error: `请选择${L}` }).refine((v) => v === '' || options.includes(v), `请选择有效的${L}`);
      break;
    }
    case 'checks': {
      const options = f.options ?? [];
      s = z
        .array(z.string(), { error: `请选择${L}` })
        .refine((v) => v.every((x) => options.includes(x)), `请选择有效的${L}`)
        .refine((v) => new Set(v).size === v.length, `${L}不能重复选择`);
      break;
    }
    case 'trainees':
      s = z.object({ total: z.number().int().min(0), passed: z.number().int().min(0) }, { error: `请上传${L}` });
      break;
  }
  if (!full || !f.required) return s.optional().nullable();
  // Required: a blank value reports "请输入…" rather than a type error.
  return z.any().superRefine((v, ctx) => {
    if (isBlank(v)) {
      ctx.addIssue({ code: 'custom', message: requiredMessage(f) });
      return;
    }
    const r = s.safeParse(v);
    if (!r.success) for (const i of r.error.issues) ctx.addIssue({ ...i, code: 'custom', message: i.message });
    if (f.kind === 'table' && f.min && Array.isArray(v) && v.length < f.min)
      ctx.addIssue({ code: 'custom', message: `${L}至少填写${f.min}行` });
  });
}

/** Human text of a stored value, for the preview, the diff, the PDF and the Excel export. */
export function displayValue(f: FieldDef, v: unknown): string {
  if (isBlank(v)) return '';
  switch (f.kind) {
    case 'wan':
      return `${fenToWanText(v as number)} 万元`;
    case 'int':
      return `${v}${f.unit ?? ''}`;
    case 'dateRange': {
      const r = v as { from?: unknown; to?: unknown };
      if (typeof r !== 'object' || typeof r.from !== 'string' || typeof r.to !== 'string') return String(v);
      return r.from === r.to ? r.from : `${r.from} 至 ${r.to}`;
    }
    // Stored data is validated, but display must never throw on an old or hand-edited row.
    case 'table':
      if (!Array.isArray(v)) return String(v);
      return (v as Array<Record<string, unknown> | null>)
        .map(
          (row, i) =>
            `${i + 1}. ${(f.columns ?? []).map((c) => `${c.label}：${cellText(c, row?.[c.name])}`).join('；')}`,
        )
        .join('\n');
    case 'checks':
      return Array.isArray(v) ? v.join('、') : String(v);
    case 'trainees': {
      const t = v as { total?: number; passed?: number };
      return typeof t === 'object' ? `共${t.total ?? 0}人，合格${t.passed ?? 0}人` : String(v);
    }
    case 'files':
      if (!Array.isArray(v)) return String(v);
      return (v as Array<Partial<TAttachment> | null>).map((a) => a?.name ?? '').join('、');
    default:
      return String(v);
  }
}

/** A table cell as text: amounts in 万元. */
export function cellText(c: ColumnDef, v: unknown): string {
  if (v === undefined || v === null || v === '') return '';
  if (c.kind === 'wan' && typeof v === 'number') return fenToWanText(v);
  return String(v);
}

export { isBlank };
