import { z } from 'zod';
import { normalizePhone, PHONE_RE } from '../validators/account.js';
import { type IdType, idNumberLabel, untypedIdDocument } from '../validators/id-document.js';

/**
 * 结业上报's 学员名单 (Chongqing's 高级研修班 rules: the 承办单位 reports every participant with attendance and
 * result; each 合格 one receives a 高研班结业证书 and the class's 学时 as 专业科目). One checker for the Excel
 * upload and the paste box, shared by the server (which decides) and the web (which may pre-check).
 */

/** A 学员名单 holds at most this many people (one class; larger ones report in several classes). */
export const TRAINEES_MAX_LINES = 2000;
export const TRAINEES_TOO_MANY_MESSAGE = `学员名单最多${TRAINEES_MAX_LINES}人，请核对后重新提交`;
export const TRAINEE_RESULTS = ['合格', '不合格'] as const;
export type TTraineeResult = (typeof TRAINEE_RESULTS)[number];

/** The columns of the template, the paste box and the error file, in this order. */
export const TRAINEE_COLUMNS = [
  { key: 'name', label: '姓名' },
  { key: 'idNumber', label: '身份证号码' },
  { key: 'employer', label: '工作单位' },
  { key: 'title', label: '职称/职务' },
  { key: 'phone', label: '手机号码' },
  { key: 'attendanceDays', label: '出勤天数' },
  { key: 'result', label: '研修成果' },
] as const;
export type TraineeColumn = (typeof TRAINEE_COLUMNS)[number]['key'];

const MAX = { name: 30, employer: 100, title: 50 } as const;

/** One line as typed or read from Excel: every cell as text, `line` the row the sender sees (paste line or Excel row). */
export type TraineeInputLine = { line: number } & Record<TraineeColumn, string>;

/** A line that passed: normalised values ready to store. */
export interface TraineeLine {
  line: number;
  name: string;
  idNumber: string;
  /** The 证件类型 the number was recognised as (身份证, 居住证, 永居证): the account key is computed with it. */
  idType: IdType;
  employer: string;
  title: string;
  phone: string;
  attendanceDays: number;
  result: TTraineeResult;
}

export type TraineeLineCheck =
  | { ok: true; value: TraineeLine }
  | { ok: false; line: number; name: string; reason: string };

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Checks every line of a 学员名单: 姓名 (required, ≤ 30), 身份证号码 (or the number of a 港澳/台湾居民居住证 or 外国人永久
 * 居留身份证, recognised by its shape and checked by its rules; once per list — a repeat names the first line), 工作单位 (required), 职称/职务 (optional), 手机号码 (optional, a mainland mobile), 出勤天数 (an
 * integer from 0 to the class's days), 研修成果 (合格 / 不合格). Every reason of a line is given, joined by ；.
 * Linear in the number of lines: one Map for the duplicates.
 */
export function checkTraineeLines(
  lines: readonly TraineeInputLine[],
  opts: { classDays: number; today?: Date },
): TraineeLineCheck[] {
  const today = opts.today ?? new Date();
  const days = Math.max(0, Math.floor(opts.classDays));
  const seen = new Map<string, number>();
  return lines.map((raw) => {
    const reasons: string[] = [];
    const name = collapse(raw.name ?? '');
    if (!name) reasons.push('请填写姓名');
    else if (Array.from(name).length > MAX.name) reasons.push(`姓名最多${MAX.name}个字`);

    const id = untypedIdDocument(raw.idNumber ?? '', today);
    const idNumber = id.number;
    if (id.error) reasons.push(id.error === 'required' ? '请填写身份证号码' : (id.message as string));
    else {
      const first = seen.get(idNumber);
      if (first !== undefined) reasons.push(`${idNumberLabel(id.type)}与第${first}行重复`);
      else seen.set(idNumber, raw.line);
    }

    const employer = collapse(raw.employer ?? '');
    if (!employer) reasons.push('请填写工作单位');
    else if (Array.from(employer).length > MAX.employer) reasons.push(`工作单位最多${MAX.employer}个字`);

    const title = collapse(raw.title ?? '');
    if (Array.from(title).length > MAX.title) reasons.push(`职称/职务最多${MAX.title}个字`);

    const phone = normalizePhone(raw.phone ?? '');
    if (phone && !PHONE_RE.test(phone)) reasons.push('手机号码格式不正确');

    const daysText = (raw.attendanceDays ?? '').trim();
    let attendanceDays = 0;
    if (!daysText) reasons.push('请填写出勤天数');
    else if (!/^\d{1,4}$/.test(daysText)) reasons.push(`出勤天数应为0到${days}的整数`);
    else {
      attendanceDays = Number(daysText);
      if (attendanceDays > days) reasons.push(`出勤天数不能超过开班天数${days}天`);
    }

    const result = (raw.result ?? '').trim();
    if (!result) reasons.push('请填写研修成果（合格或不合格）');
    else if (!(TRAINEE_RESULTS as readonly string[]).includes(result)) reasons.push('研修成果应填写合格或不合格');

    if (reasons.length) return { ok: false, line: raw.line, name, reason: reasons.join('；') };
    return {
      ok: true,
      value: {
        line: raw.line,
        name,
        idNumber,
        idType: id.type,
        employer,
        title,
        phone,
        attendanceDays,
        result: result as TTraineeResult,
      },
    };
  });
}

const PHONE_LIKE = /^(\+86|0086)?1\d{10}$/;
const isHeader = (cells: string[]) =>
  cells.some((c) => c === '姓名') && cells.some((c) => c.startsWith('身份证') || c.startsWith('证件号码'));

/**
 * Lines pasted from Excel (tab-separated; also comma- or space-separated), one person a line, in the template's
 * column order; a leading 序号 and a header line are skipped, blank lines ignored (line numbers stay those of the
 * paste). Separated by spaces, a line with 6 or 5 values lacks 职称/职务 and/or 手机号码, told apart by the phone's
 * shape; with tabs or commas empty cells keep their place.
 */
export function parseTraineeText(text: string): TraineeInputLine[] {
  const out: TraineeInputLine[] = [];
  const rows = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as string;
    if (!row.trim()) continue;
    let cells: string[];
    const spaced = !row.includes('\t') && !/[,，]/.test(row);
    if (!spaced) cells = row.split(row.includes('\t') ? '\t' : /[,，]/).map((c) => c.trim());
    else cells = row.trim().split(/\s+/);
    if (isHeader(cells)) continue;
    if (cells.length > 1 && /^\d{1,5}$/.test(cells[0] as string) && !/^\d{15,}/.test(cells[0] as string))
      cells = cells.slice(1);
    if (spaced && cells.length === 6) {
      // 姓名 身份证 单位 [职称] [手机] 天数 成果: one of the optional two is missing.
      cells = PHONE_LIKE.test(cells[3] as string)
        ? [cells[0], cells[1], cells[2], '', ...cells.slice(3)].map(String)
        : [...cells.slice(0, 4), '', ...cells.slice(4)].map(String);
    } else if (spaced && cells.length === 5) {
      cells = [...cells.slice(0, 3), '', '', ...cells.slice(3)].map(String);
    }
    out.push(linefromCells(i + 1, cells));
  }
  return out;
}

/** Cells in the template's column order → a line. */
export function linefromCells(line: number, cells: readonly (string | undefined)[]): TraineeInputLine {
  const at = (i: number) => (cells[i] ?? '').trim();
  return {
    line,
    name: at(0),
    idNumber: at(1),
    employer: at(2),
    title: at(3),
    phone: at(4),
    attendanceDays: at(5),
    result: at(6),
  };
}

// ---- API ----

/** PUT /api/applications/:id/trainees (JSON): the paste box's text. */
export const ZTraineesText = z.object({
  text: z
    .string('请粘贴学员名单')
    .max(1_000_000, '粘贴的内容过长，请分批核对或使用Excel模板上传')
    .refine((s) => s.trim().length > 0, '请粘贴学员名单'),
});
export type TTraineesText = z.infer<typeof ZTraineesText>;

export const ZTraineeLineError = z.object({ line: z.number().int(), name: z.string(), reason: z.string() });
export type TTraineeLineError = z.infer<typeof ZTraineeLineError>;
/** The body of a 400 TRAINEES_INVALID: every bad line with its reasons. */
export const ZTraineesInvalid = z.object({
  code: z.literal('TRAINEES_INVALID'),
  message: z.string(),
  lines: z.array(ZTraineeLineError),
});

export const ZTrainee = z.object({
  id: z.string(),
  line: z.number().int(),
  name: z.string(),
  idNumberMasked: z.string(),
  employer: z.string(),
  title: z.string(),
  phoneMasked: z.string(),
  attendanceDays: z.number().int(),
  result: z.enum(TRAINEE_RESULTS),
});
export type TTrainee = z.infer<typeof ZTrainee>;

export const ZTraineeListQuery = z.object({
  page: z.coerce.number('页码应为数字').int().min(1, '页码须为正整数').default(1),
  pageSize: z.coerce.number('每页条数应为数字').int().min(1).max(100, '每页最多100条').default(20),
  keyword: z.string().trim().max(30, '姓名最多30个字').optional(),
});
export type TTraineeListQuery = z.infer<typeof ZTraineeListQuery>;

export const ZTraineeList = z.object({
  items: z.array(ZTrainee),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** The whole list (not the search): as stored in the application's 学员名单 field. */
  summary: z.object({ total: z.number().int(), passed: z.number().int() }),
  /** 开班天数 of the class plan (出勤天数 may not exceed it); null where not looked up. */
  classDays: z.number().int().nullable(),
});
export type TTraineeList = z.infer<typeof ZTraineeList>;

export const ZTraineesSaved = z.object({ total: z.number().int(), passed: z.number().int() });
export type TTraineesSaved = z.infer<typeof ZTraineesSaved>;

// ---- 高研班结业证书 and 学时 (learner) ----

/** 高研班结业证书编号: GYB + the year of 结业 + a 6-digit sequence of 市人社局, e.g. GYB2026000123. */
export const SEMINAR_CERT_NO_PATTERN = /^GYB\d{4}\d{6}$/;
export const SEMINAR_CERT_PREFIX = 'GYB';

export const ZSeminarCertificate = z.object({
  id: z.string(),
  certNo: z.string(),
  holderName: z.string(),
  idNumberMasked: z.string(),
  projectName: z.string(),
  hostUnit: z.string(),
  heldFrom: z.string(),
  heldTo: z.string(),
  year: z.number().int(),
  hours: z.number().int(),
  issuedAt: z.string(),
  status: z.enum(['valid', 'revoked']),
});
export type TSeminarCertificate = z.infer<typeof ZSeminarCertificate>;
export const ZSeminarCertificateList = z.object({ items: z.array(ZSeminarCertificate) });
export type TSeminarCertificateList = z.infer<typeof ZSeminarCertificateList>;

// The 学时档案 schemas (ZCreditEntry, ZCreditList, CREDIT_YEARLY_TARGET, …) live in ./credits.ts.
