import crypto from 'node:crypto';
import {
  CREDIT_IMPORT_COLUMNS,
  CREDIT_IMPORT_MAX_BYTES,
  CREDIT_IMPORT_MAX_HOURS,
  CREDIT_IMPORT_MAX_ROWS,
  errorFileExpiredMessage,
  type IdType,
  idDocumentKey,
  REAL_NAME_RE,
  type TCreditImport,
  type TCreditImportList,
  type TCreditImportQuery,
  untypedIdDocument,
} from '@cpe/shared';
import { platformDay, platformDayStart, platformYear } from '@cpe/shared/platform-zone';
import { CREDIT_CATEGORY_LABELS, CREDIT_ENTRY_STATUS_LABELS, CREDIT_FORMS } from '@cpe/shared/schemas/credits';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { loadFileType } from '../../lib/lazy.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import {
  readXlsxRows,
  XlsxFormatError,
  XlsxLimitError,
  type XlsxUpload,
  xlsxLimitMessage,
} from '../../lib/xlsx-reader.js';
import { buildWorkbook, escapeCellText, typed, XLSX_FORMATS } from '../../lib/xlsx-writer.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { FilesService } from '../files/files.service.js';
import type { CreditImportRepo, CreditImportRow, ImportLine } from './credit-import.repo.js';

/** Who imports: the 培训中心 on the console, or the administrator of a unit on the portal (单位中心). */
export type CreditImportActor = { type: 'staff'; id: string } | { type: 'account'; id: string };

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TEMPLATE = '学时批量导入模板';
/** Rows of the template that carry the 类别 / 学习形式 drop-down lists. */
const TEMPLATE_ROWS = 1_000;
/** Where the error files are kept (files.purpose). */
const ERROR_FILE_PURPOSE = 'credit-import-errors';
/** Error files deleted per transaction by the retention job: a few storage calls, then the locks are let go. */
const PURGE_BATCH = 20;

/**
 * What reading an upload may cost, checked while reading (lib/xlsx-reader.ts, the roster's defences): the lines,
 * the header and a few stray rows; a few columns beside the template's seven (the error file adds 错误原因);
 * 500 characters a cell. 10,000 lines of seven short columns inflate to about 3 MB, so 64 MB leaves room for what
 * other spreadsheet programs add, and a million row and cell elements refuses the millions of empty rows of a
 * hostile file.
 */
export const CREDIT_IMPORT_UPLOAD = {
  maxBytes: CREDIT_IMPORT_MAX_BYTES,
  maxRows: CREDIT_IMPORT_MAX_ROWS + 20,
  maxColumns: 30,
  maxCellChars: 500,
  maxInflatedBytes: 64 * 1024 * 1024,
  maxElements: 1_000_000,
  template: TEMPLATE,
} as const satisfies XlsxUpload;

type Column = (typeof CREDIT_IMPORT_COLUMNS)[number];
/** One line as read: the cells under each template column (trimmed text), and its Excel row number. */
interface ReadLine {
  line: number;
  cells: Record<Column, string>;
}

const CATEGORY_BY_LABEL: Record<string, 'public' | 'professional'> = {
  [CREDIT_CATEGORY_LABELS.public]: 'public',
  [CREDIT_CATEGORY_LABELS.professional]: 'professional',
};

/**
 * A C0 control (tab and line breaks aside), half of a surrogate pair, or U+FFFD (what a broken encoding left):
 * never typed by a person.
 */
function isUnstorable(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0x20) return c !== 0x09 && c !== 0x0a && c !== 0x0d;
  if (c === 0xfffd) return true;
  if (c >= 0xd800 && c <= 0xdbff) {
    const next = s.charCodeAt(i + 1);
    return !(next >= 0xdc00 && next <= 0xdfff);
  }
  return c >= 0xdc00 && c <= 0xdfff && !(i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff);
}
const hasUnstorable = (s: string) => {
  for (let i = 0; i < s.length; i++) if (isUnstorable(s, i)) return true;
  return false;
};
/** The text as it can be written into a sheet's XML: each unstorable unit shown as �. */
function writable(s: string): string {
  if (!hasUnstorable(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) out += isUnstorable(s, i) ? '\ufffd' : s[i];
  return out;
}
const SLASHED_DAY = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;
/** The largest serial Excel shows as a date (9999-12-31). */
const EXCEL_MAX_SERIAL = 2_958_465;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const EARLIEST_DAY = '2000-01-01';

/** A calendar day from what the cell held: YYYY-MM-DD (or with / . 年月日), or an Excel date serial. */
function readDay(raw: string): { day: string } | { error: string } {
  if (!raw) return { error: '请填写结束日期' };
  let y: number;
  let m: number;
  let d: number;
  if (/^\d+(\.\d+)?$/.test(raw)) {
    const serial = Math.floor(Number(raw));
    if (serial < 1 || serial > EXCEL_MAX_SERIAL) return { error: '结束日期不是有效日期' };
    const day = new Date(EXCEL_EPOCH + serial * 86_400_000);
    [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
  } else {
    const match = SLASHED_DAY.exec(raw);
    if (!match) return { error: '结束日期格式应为YYYY-MM-DD（如2026-03-15）' };
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return { error: '结束日期不是有效日期' };
  return { day: date.toISOString().slice(0, 10) };
}

/** The entry's stable source_id: a UUID made from sha256 of what the line says, so a line imported again adds nothing. */
export function importSourceId(
  idHash: string,
  title: string,
  category: string,
  form: string,
  hours: number,
  endedOn: string,
) {
  const h = crypto
    .createHash('sha256')
    .update(JSON.stringify(['credit-import', idHash, title, category, form, hours, endedOn]))
    .digest('hex');
  // Shaped as an RFC 9562 version 8 (custom) UUID: the version nibble 8, the variant bits 10.
  const variant = ((Number.parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * 学时批量导入 (issue 19 §2): the 培训中心 (console) imports finished training into 学时档案 as 已认定; the
 * administrator of a 继续教育基地 in its 有效期 imports its own classes as 待认定, addressed to the 区县人社局 of the
 * base's 所在地 (市人社局 when the tree has none). Each line is checked on its own: good lines are imported in bulk,
 * bad ones come back in an error file with their reasons. A line is keyed by what it says (importSourceId), so the
 * same file uploaded twice adds nothing.
 */
export function createCreditImportService(deps: {
  db: Db;
  repo: CreditImportRepo;
  clock: Clock;
  pii: Pii;
  audit: AuditRepo;
  files: FilesService;
  /** 显示名 of a staff member. */
  staffName: (staffId: string) => Promise<string>;
  /** 姓名 of a portal account. */
  accountName: (accountId: string) => Promise<string>;
  /** The approved unit the account administers, if any. */
  unitOfAdmin: (accountId: string) => Promise<{ id: string; name: string; locatedArea: string } | undefined>;
  /** IMPORT_ERROR_FILE_DAYS: an error file is deleted this many days after its import. */
  errorFileDays: number;
}) {
  const { db, repo, clock, pii, audit, files, errorFileDays } = deps;

  /** 单位中心: the unit and, when it is a base in its 有效期 today, the base. 403 for anyone administering no unit. */
  async function unitSide(accountId: string) {
    const unit = await deps.unitOfAdmin(accountId);
    if (!unit) throw new AppError('CREDIT_IMPORT_FORBIDDEN');
    const base = await repo.validEducationBase(db, unit.id, platformDay(clock.now()));
    return { unit, base };
  }

  /** Who acts, as the import and the entries' history record it. */
  async function resolve(actor: CreditImportActor) {
    if (actor.type === 'staff') {
      const name = await deps.staffName(actor.id);
      return { unit: null, actorName: name, eventName: name };
    }
    const { unit, base } = await unitSide(actor.id);
    if (!base) throw new AppError('CREDIT_IMPORT_FORBIDDEN');
    // The person reads the base's name in the entry's history: it is the base that vouches for its class.
    return { unit, actorName: (await deps.accountName(actor.id)) || unit.name, eventName: unit.name };
  }

  const prefixOf = (actor: CreditImportActor) =>
    actor.type === 'staff' ? '/api/admin/credit-imports' : '/api/unit-center/credit-imports';

  function view(imp: CreditImportRow, unitName: string | null, viewer: CreditImportActor): TCreditImport {
    const entryStatus = imp.unitId ? 'pending-bureau' : 'confirmed';
    return {
      id: imp.id,
      filename: imp.filename,
      rows: imp.rows,
      imported: imp.imported,
      duplicates: imp.duplicates,
      errors: imp.errors,
      errorFileUrl: imp.errorFileId ? `${prefixOf(viewer)}/${imp.id}/errors.xlsx` : null,
      // Every import with refused lines got a file, so refused lines without one mean the file was deleted.
      errorFileExpired: imp.errors > 0 && !imp.errorFileId,
      entryStatus,
      entryStatusLabel: CREDIT_ENTRY_STATUS_LABELS[entryStatus],
      actorName: imp.actorName,
      unitName: imp.unitId ? (unitName ?? '') : null,
      createdAt: imp.createdAt.toISOString(),
    };
  }

  /** The forms a line may name: the built-in ones and those of the active 学时折算标准. */
  async function allowedForms() {
    return [...new Set([...CREDIT_FORMS, ...(await repo.activeForms(db))])];
  }

  async function read(data: Buffer): Promise<ReadLine[]> {
    const { fileTypeFromBuffer } = await loadFileType();
    if ((await fileTypeFromBuffer(data))?.mime !== XLSX)
      throw fieldError('UPLOAD_INVALID', 'file', '请上传Excel文件（.xlsx，按文件内容识别），可先下载学时批量导入模板');
    let sheet: Awaited<ReturnType<typeof readXlsxRows>>;
    try {
      sheet = await readXlsxRows(data, CREDIT_IMPORT_UPLOAD);
    } catch (err) {
      if (err instanceof XlsxLimitError && err.limit === 'rows') throw new AppError('CREDIT_IMPORT_TOO_MANY');
      if (err instanceof XlsxLimitError)
        throw fieldError('UPLOAD_INVALID', 'file', xlsxLimitMessage(err, CREDIT_IMPORT_UPLOAD));
      if (err instanceof XlsxFormatError)
        throw fieldError('UPLOAD_INVALID', 'file', '文件已损坏或不是有效的Excel文件，请使用学时批量导入模板');
      throw err;
    }
    const headAt = sheet.findIndex((r) => r.cells.some((t) => t.startsWith('姓名')) && r.cells.some(isIdLabel));
    if (headAt < 0) throw fieldError('UPLOAD_INVALID', 'file', '未找到“姓名”“身份证号码”表头，请使用学时批量导入模板');
    const head = sheet[headAt]?.cells ?? [];
    const at = {} as Record<Column, number>;
    for (const column of CREDIT_IMPORT_COLUMNS) {
      const c = head.findIndex((t) => (column === '身份证号码' ? isIdLabel(t) : t.startsWith(column)));
      if (c < 0) throw fieldError('UPLOAD_INVALID', 'file', `未找到“${column}”列，请使用学时批量导入模板`);
      at[column] = c;
    }
    const lines: ReadLine[] = [];
    for (const { row, cells } of sheet.slice(headAt + 1)) {
      const picked = {} as Record<Column, string>;
      let any = false;
      for (const column of CREDIT_IMPORT_COLUMNS) {
        const text = cells[at[column]] ?? '';
        picked[column] = text;
        if (text) any = true;
      }
      // Only other columns filled (a 错误原因 left in a corrected error file): not a line.
      if (!any) continue;
      if (lines.length === CREDIT_IMPORT_MAX_ROWS) throw new AppError('CREDIT_IMPORT_TOO_MANY');
      lines.push({ line: row, cells: picked });
    }
    if (lines.length === 0) throw new AppError('CREDIT_IMPORT_EMPTY');
    return lines;
  }

  /**
   * Every rule of a line; the reasons are what the sender reads in the error file. Pure: the lookups it needs
   * (forms, today) come in, the holder's registered name is compared afterwards in one query for the file.
   */
  function check(lines: ReadLine[], forms: string[], today: string) {
    const formSet = new Set(forms);
    const formList = forms.join('、');
    // A birth date may be today at the latest (the validator's "not in the future").
    const endOfToday = new Date(`${today}T23:59:59Z`);
    const seen = new Map<string, number>();
    return lines.map(({ line, cells }) => {
      const reasons: string[] = [];
      const clean = (column: Column) => {
        const v = cells[column];
        if (hasUnstorable(v)) {
          reasons.push(`${column}含有不允许的字符`);
          return null;
        }
        return v;
      };
      const name = clean('姓名');
      if (name === '') reasons.push('请填写姓名');
      else if (name !== null && !REAL_NAME_RE.test(name))
        reasons.push('姓名只能包含汉字、字母或间隔号，中间不能有空格和符号');

      const rawId = clean('身份证号码');
      let id: { type: IdType; number: string } | null = null;
      if (rawId !== null) {
        const doc = untypedIdDocument(rawId, endOfToday);
        if (doc.error) reasons.push(doc.error === 'required' ? '请填写身份证号码' : (doc.message as string));
        else id = { type: doc.type, number: doc.number };
      }

      const title = clean('项目名称');
      if (title === '') reasons.push('请填写项目名称');
      else if (title !== null) {
        if (Array.from(title).length < 2) reasons.push('项目名称至少2个字');
        else if (Array.from(title).length > 100) reasons.push('项目名称不能超过100个字');
        // Text a spreadsheet would run as a formula (=HYPERLINK, =cmd|…): nobody names a project so.
        if (escapeCellText(title) !== title) reasons.push('项目名称不能以“=”“+”“-”“@”开头');
      }

      const categoryText = clean('类别');
      const category = categoryText ? CATEGORY_BY_LABEL[categoryText] : undefined;
      if (categoryText === '') reasons.push('请填写类别');
      else if (categoryText !== null && !category) reasons.push('类别应填写“公需科目”或“专业科目”');

      const form = clean('学习形式');
      if (form === '') reasons.push('请填写学习形式');
      else if (form !== null && !formSet.has(form)) reasons.push(`学习形式应为以下之一：${formList}`);

      const hoursText = clean('学时');
      let hours: number | null = null;
      if (hoursText === '') reasons.push('请填写学时');
      else if (hoursText !== null) {
        const n = /^[+-]?\d+(\.\d+)?$/.test(hoursText) ? Number(hoursText) : Number.NaN;
        if (Number.isNaN(n)) reasons.push('学时应为数字');
        else if (!Number.isInteger(n)) reasons.push('学时应为整数');
        else if (n < 1) reasons.push('学时至少为1');
        else if (n > CREDIT_IMPORT_MAX_HOURS) reasons.push(`学时不能超过${CREDIT_IMPORT_MAX_HOURS}`);
        else hours = n;
      }

      const dayText = clean('结束日期');
      let endedOn: string | null = null;
      if (dayText !== null) {
        const read = readDay(dayText);
        if ('error' in read) reasons.push(read.error);
        else if (read.day < EARLIEST_DAY) reasons.push('结束日期不能早于2000年');
        else if (read.day > today) reasons.push('结束日期不能晚于今天');
        else endedOn = read.day;
      }

      if (reasons.length > 0 || !id || !category || hours === null || !endedOn || !title || !form || !name)
        return { line, cells, reasons, endedOn, ok: null };
      const idHash = pii.lookupHash(idDocumentKey(id.type, id.number));
      const sourceId = importSourceId(idHash, title, category, form, hours, endedOn);
      const first = seen.get(sourceId);
      if (first !== undefined) return { line, cells, reasons: [`与第${first}行重复`], endedOn, ok: null };
      seen.set(sourceId, line);
      const ok = { idHash, idType: id.type, name, title, category, form, hours, endedOn, sourceId };
      return { line, cells, reasons, endedOn, ok };
    });
  }

  /** 错误文件: the refused lines as sent, in the template's columns plus 错误原因, to correct and upload again. */
  function errorsXlsx(
    bad: Array<{ line: number; cells: Record<Column, string>; reasons: string[]; endedOn: string | null }>,
  ) {
    return buildWorkbook((book) => {
      const sheet = templateSheet(book, true);
      bad.forEach((b, i) => {
        // What cannot be written into the sheet's XML (a NUL, half a surrogate pair) shows as �.
        const c = Object.fromEntries(Object.entries(b.cells).map(([k, v]) => [k, writable(v)])) as Record<
          Column,
          string
        >;
        const hours = /^\d+$/.test(c.学时) ? typed(Number(c.学时), 'number') : typed(c.学时, 'text');
        sheet.setRow(i + 2, [
          c.姓名,
          typed(c.身份证号码, 'text'),
          c.项目名称,
          c.类别,
          c.学习形式,
          hours,
          b.endedOn ? typed(b.endedOn, 'date') : typed(c.结束日期, 'text'),
          `第${b.line}行：${b.reasons.join('；')}`,
        ]);
      });
    });
  }

  return {
    /** 下载模板: the seven columns with drop-down lists for 类别 and 学习形式, and a sheet of instructions. */
    async templateXlsx(): Promise<Buffer> {
      const forms = await allowedForms();
      return buildWorkbook((book) => {
        const sheet = templateSheet(book, false);
        const list = `"${forms.join(',')}"`;
        for (let r = 2; r <= TEMPLATE_ROWS + 1; r++) {
          sheet.ws.getCell(r, 4).dataValidation = {
            type: 'list',
            allowBlank: true,
            formulae: [`"${Object.keys(CATEGORY_BY_LABEL).join(',')}"`],
            showErrorMessage: true,
            errorTitle: '类别',
            error: '请填写公需科目或专业科目',
          };
          // Excel keeps a list's text to 255 characters; beyond that the notes name the forms.
          if (list.length <= 255)
            sheet.ws.getCell(r, 5).dataValidation = {
              type: 'list',
              allowBlank: true,
              formulae: [list],
              showErrorMessage: true,
              errorTitle: '学习形式',
              error: '请从列表中选择学习形式',
            };
        }
        const notes = book.addSheet('填写说明');
        notes.ws.getColumn(1).width = 110;
        const lines = [
          '学时批量导入填写说明',
          `1. 在“学时导入”工作表中每行填写一条学时记录（一名人员参加的一个项目），请勿修改表头；一次最多${CREDIT_IMPORT_MAX_ROWS}行，文件不超过5M。`,
          '2. 姓名、身份证号码须与本人一致；身份证号码为18位，末位X须大写（港澳台居民居住证、外国人永久居留身份证号码同样填写在此列）。',
          '3. 类别：填写“公需科目”或“专业科目”。',
          `4. 学习形式：填写以下之一：${forms.join('、')}。`,
          `5. 学时：1至${CREDIT_IMPORT_MAX_HOURS}之间的整数。`,
          '6. 结束日期：格式为YYYY-MM-DD（如2026-03-15），也可以是Excel日期；学时计入结束日期所在年度，结束日期不能晚于今天。',
          '7. 人员、项目名称、类别、学习形式、学时、结束日期都相同的记录只导入一次，同一文件重复上传不会重复计入。',
          '8. 培训中心导入的学时为“已认定”；继续教育基地导入本基地培训班的学时为“待认定”，经基地所在区县人社局认定后计入学时档案。',
          '9. 未通过校验的行不会导入，请下载错误文件，按“错误原因”修改后重新上传（错误原因列可保留）。',
          '',
          '示例：张三 | 500103198001010011 | 智能制造产线数字化改造专题培训 | 专业科目 | 面授培训 | 24 | 2026-03-15',
        ];
        lines.forEach((text, i) => {
          const cell = notes.set([i + 1, 1], text);
          cell.alignment = { wrapText: true, vertical: 'top' };
          if (i === 0) cell.font = { bold: true, size: 14 };
        });
      });
    },

    async upload(
      actor: CreditImportActor,
      file: { data: Buffer; name: string },
      meta: RequestMeta,
    ): Promise<TCreditImport> {
      if (file.data.length > CREDIT_IMPORT_MAX_BYTES)
        throw fieldError('PAYLOAD_TOO_LARGE', 'file', '文件大小不能超过5M');
      const who = await resolve(actor);
      const lines = await read(file.data);
      const now = clock.now();
      const today = platformDay(now);
      const checked = check(lines, await allowedForms(), today);

      // The person's registered account, when there is one: the name must be theirs, and the 认定 queue shows them.
      const passed = checked.filter((c) => c.ok !== null);
      const holders = new Map(
        (
          await repo.holders(
            db,
            passed.map((c) => ({ idType: c.ok?.idType as IdType, hash: c.ok?.idHash as string })),
          )
        ).map((h) => [h.hash, h]),
      );
      // The platform year of a day, once per distinct day (a file holds a few hundred at most; Intl is not free).
      const years = new Map<string, number>();
      const yearOf = (day: string) => {
        let y = years.get(day);
        if (y === undefined) {
          y = platformYear(platformDayStart(day));
          years.set(day, y);
        }
        return y;
      };
      const good: ImportLine[] = [];
      const bad: Array<(typeof checked)[number]> = [];
      for (const c of checked) {
        const ok = c.ok;
        const holder = ok ? holders.get(ok.idHash) : undefined;
        if (ok && holder && holder.realName !== ok.name) c.reasons.push('姓名与平台上该证件号码的注册姓名不一致');
        if (!ok || c.reasons.length > 0) {
          bad.push(c);
          continue;
        }
        good.push({
          idHash: ok.idHash,
          year: yearOf(ok.endedOn),
          category: ok.category,
          form: ok.form,
          title: ok.title,
          hours: ok.hours,
          sourceId: ok.sourceId,
          endedOn: ok.endedOn,
          accountId: holder?.id ?? null,
        });
      }

      const recognizer = who.unit ? await repo.districtNode(db, who.unit.locatedArea) : undefined;
      const errorFile = bad.length > 0 ? await errorsXlsx(bad) : null;
      const filename = (file.name || '学时批量导入.xlsx').slice(0, 200);
      const imp = await db.transaction(async (tx) => {
        const imported = await repo.addEntries(tx, good, {
          status: who.unit ? 'pending-bureau' : 'confirmed',
          unitId: who.unit?.id ?? null,
          recognizerNodeId: recognizer?.id ?? null,
          host: who.unit?.name ?? null,
          actedBy: who.unit ? null : who.actorName,
          actedAt: who.unit ? null : now,
          actorType: actor.type,
          actorId: actor.id,
          actorName: who.eventName,
          now,
        });
        const errorFileId = errorFile
          ? await files.save(tx, {
              data: errorFile,
              mime: XLSX,
              purpose: ERROR_FILE_PURPOSE,
              ownerAccountId: actor.type === 'account' ? actor.id : undefined,
              originalName: errorFileName(filename),
            })
          : null;
        const row = await repo.insertImport(tx, {
          actorType: actor.type,
          actorId: actor.id,
          actorName: who.actorName,
          unitId: who.unit?.id ?? null,
          filename,
          rows: checked.length,
          imported,
          duplicates: good.length - imported,
          errors: bad.length,
          errorFileId,
          createdAt: now,
        });
        await audit.record(tx, {
          actorType: actor.type,
          actorId: actor.id,
          action: 'credit.import',
          targetType: 'credit_import',
          targetId: row.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: {
            filename,
            rows: row.rows,
            imported,
            duplicates: row.duplicates,
            errors: row.errors,
            status: who.unit ? 'pending-bureau' : 'confirmed',
            ...(who.unit ? { unitId: who.unit.id, recognizerNodeId: recognizer?.id ?? null } : {}),
          },
        });
        return row;
      });
      return view(imp, who.unit?.name ?? null, actor);
    },

    /** Past imports, newest first: every import on the console, the unit's own in 单位中心. */
    async list(actor: CreditImportActor, q: TCreditImportQuery): Promise<TCreditImportList> {
      let unitId: string | undefined;
      let canImport = true;
      if (actor.type === 'account') {
        const side = await unitSide(actor.id);
        unitId = side.unit.id;
        canImport = Boolean(side.base);
      }
      const { items, total } = await repo.page(db, unitId, {
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      return {
        items: items.map((i) => view(i.imp, i.unitName, actor)),
        total,
        page: q.page,
        pageSize: q.pageSize,
        canImport,
        notAllowedReason: canImport ? null : new AppError('CREDIT_IMPORT_FORBIDDEN').message,
        errorFileDays,
      };
    },

    /** 下载错误文件 of one import (in 单位中心 only the unit's own). */
    async errorFile(actor: CreditImportActor, id: string): Promise<{ filename: string; data: Buffer }> {
      const found = await repo.byId(db, id);
      if (found && actor.type === 'account') {
        const { unit } = await unitSide(actor.id);
        if (found.imp.unitId !== unit.id) throw new AppError('NOT_FOUND', { message: '导入记录不存在' });
      }
      if (!found) throw new AppError('NOT_FOUND', { message: '导入记录不存在' });
      if (!found.imp.errorFileId && found.imp.errors > 0)
        throw new AppError('IMPORT_ERROR_FILE_EXPIRED', { message: errorFileExpiredMessage(errorFileDays) });
      if (!found.imp.errorFileId) throw new AppError('NOT_FOUND', { message: '该次导入没有未通过校验的行' });
      const { data } = await files.read(found.imp.errorFileId);
      return { filename: errorFileName(found.imp.filename), data };
    },

    /**
     * The retention job's part: deletes the error files of imports older than IMPORT_ERROR_FILE_DAYS (bytes and
     * row) and clears the imports' reference in the same transaction. Imports another instance is purging are
     * skipped, not waited for; a second run finds nothing left. Returns how many files it deleted.
     */
    async purgeExpiredErrorFiles(): Promise<number> {
      const before = new Date(clock.now().getTime() - errorFileDays * 86_400_000);
      let purged = 0;
      for (;;) {
        const n = await db.transaction(async (tx) => {
          const due = await repo.lockExpiredErrorFiles(tx, before, PURGE_BATCH);
          for (const imp of due) {
            await repo.clearErrorFile(tx, imp.id);
            await files.remove(tx, imp.errorFileId);
          }
          return due.length;
        });
        purged += n;
        if (n < PURGE_BATCH) return purged;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    },
  };
}
export type CreditImportService = ReturnType<typeof createCreditImportService>;

/** The 身份证号码 column: the template's label, or 证件号码 in a sheet made for other documents. */
const isIdLabel = (text: string) => text.startsWith('身份证号码') || text.startsWith('证件号码');

const errorFileName = (uploaded: string) => `${uploaded.replace(/\.xlsx$/i, '')}-错误行.xlsx`;

const thin = { style: 'thin' as const };
const WIDTHS = [12, 24, 40, 12, 14, 8, 14];

/** The template's sheet: its header row and column formats (the error file adds 错误原因). */
function templateSheet(book: Parameters<Parameters<typeof buildWorkbook>[0]>[0], withReason: boolean) {
  const sheet = book.addSheet('学时导入');
  const { ws } = sheet;
  const headers = withReason ? [...CREDIT_IMPORT_COLUMNS, '错误原因'] : [...CREDIT_IMPORT_COLUMNS];
  headers.forEach((_, i) => {
    ws.getColumn(i + 1).width = WIDTHS[i] ?? 60;
  });
  // Text format: an 18-digit ID typed into a number cell becomes 5.00103E+17 and loses its last digits.
  ws.getColumn(2).numFmt = XLSX_FORMATS.text as string;
  ws.getColumn(7).numFmt = XLSX_FORMATS.date as string;
  const head = sheet.setRow(1, headers);
  head.font = { bold: true };
  head.height = 22;
  head.eachCell((cell) => {
    cell.border = { top: thin, left: thin, bottom: thin, right: thin };
    cell.alignment = { horizontal: 'center', vertical: 'middle' };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6F0FA' } };
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return sheet;
}
