import zlib from 'node:zlib';
import { unescapeCellText } from './xlsx-writer.js';

/**
 * Reads the first worksheet of an .xlsx with every limit checked while reading, so a hostile file (a zip bomb,
 * a million rows, a megabyte in one cell) is refused after a bounded amount of work and memory: the archive's
 * directory is read from the (size-limited) upload, each entry is inflated as a stream counting its bytes, and
 * the XML is scanned chunk by chunk, counting rows, columns and characters as they appear. ExcelJS's own
 * streaming reader caches all shared strings and spools sheets to temporary files without a bound, and its
 * `xlsx.load` inflates the whole archive into memory first.
 *
 * The one reader for every uploaded archive-based file (学员注册名单, 结业上报's 学员名单, any later import).
 * It never blocks the event loop for long: inflating runs on libuv's threads, and after scanning each 64 KB chunk
 * (a millisecond or two) it yields with setImmediate. Measured (bench/spreadsheet-bombs.ts, bench/README.md): the
 * longest event-loop stall while a bomb is refused is a few ms and /healthz keeps answering, so a worker thread
 * (a copy of the upload, a second heap, start-up per file) would buy nothing.
 */
export interface XlsxLimits {
  /** Rows with at least one non-empty cell. */
  maxRows: number;
  /** The last column that may hold a value (1 = A). */
  maxColumns: number;
  /** Characters of one cell (or shared string). */
  maxCellChars: number;
  /** Bytes inflated from the archive, all entries read together. */
  maxInflatedBytes: number;
  /**
   * Cell and row elements of the sheet, empty ones included (styled empty cells cost as much to scan as full
   * ones); by default ten times what maxRows × maxColumns can hold.
   */
  maxElements?: number;
}

export interface XlsxRow {
  /** The row number Excel shows. */
  row: number;
  /** Cells 1..maxColumns as text (index 0 = column A), trimmed; '' when empty. */
  cells: string[];
}

export type XlsxLimit = 'rows' | 'columns' | 'cell' | 'cells' | 'inflated';
export class XlsxLimitError extends Error {
  constructor(
    readonly limit: XlsxLimit,
    /** Where it was found (the Excel row), when known. */
    readonly row?: number,
  ) {
    super(`xlsx limit exceeded: ${limit}`);
  }
}
/** Not a readable .xlsx (no archive, encrypted, no worksheet, broken XML). */
export class XlsxFormatError extends Error {}

interface Entry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  localOffset: number;
}

/** The central directory: names and where each entry's data is (ZIP64 and encrypted archives are refused). */
function directory(buf: Buffer): Map<string, Entry> {
  const min = Math.max(0, buf.length - 65_557);
  let eocd = -1;
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new XlsxFormatError('no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || p === 0xffffffff || count > 10_000) throw new XlsxFormatError('unsupported archive');
  const out = new Map<string, Entry>();
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new XlsxFormatError('bad directory');
    const nameLen = buf.readUInt16LE(p + 28);
    const entry: Entry = {
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      localOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
    };
    out.set(entry.name.replace(/^\//, ''), entry);
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return out;
}

const CHUNK = 64 * 1024;

/** Inflates one entry as a stream of chunks, charging every byte to the shared budget. */
async function* inflate(buf: Buffer, e: Entry, budget: { left: number }): AsyncGenerator<Buffer> {
  if (e.flags & 1) throw new XlsxFormatError('encrypted entry');
  const h = e.localOffset;
  if (h + 30 > buf.length || buf.readUInt32LE(h) !== 0x04034b50) throw new XlsxFormatError('bad local header');
  const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
  const data = buf.subarray(start, Math.min(buf.length, start + e.compressedSize));
  const charge = (n: number) => {
    budget.left -= n;
    if (budget.left < 0) throw new XlsxLimitError('inflated');
  };
  if (e.method === 0) {
    // Stored (not deflated): handed over in slices as inflating does, so each scan between yields stays small.
    for (let i = 0; i < data.length; i += CHUNK) {
      const slice = data.subarray(i, i + CHUNK);
      charge(slice.length);
      yield slice;
    }
    return;
  }
  if (e.method !== 8) throw new XlsxFormatError('unsupported compression');
  const z = zlib.createInflateRaw({ chunkSize: CHUNK });
  z.end(data);
  try {
    for await (const chunk of z as AsyncIterable<Buffer>) {
      charge(chunk.length);
      yield chunk;
    }
  } catch (err) {
    if (err instanceof XlsxLimitError) throw err;
    throw new XlsxFormatError(`inflate failed: ${(err as Error).message}`);
  } finally {
    z.destroy();
  }
}

const ENTITY = /&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);|_x([0-9A-Fa-f]{4})_/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decodeText(s: string): string {
  if (!s.includes('&') && !s.includes('_x')) return s;
  return s.replace(ENTITY, (_m, ent: string | undefined, esc: string | undefined) => {
    if (esc) return String.fromCharCode(Number.parseInt(esc, 16));
    const e = ent as string;
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
    return NAMED[e] ?? '';
  });
}

const attrPatterns = new Map<string, RegExp>();
function attr(attrs: string, name: string): string | undefined {
  if (!attrs) return undefined;
  let re = attrPatterns.get(name);
  if (!re) {
    re = new RegExp(`(?:^|\\s)${name}="([^"]*)"`);
    attrPatterns.set(name, re);
  }
  return re.exec(attrs)?.[1];
}

interface XmlHandlers {
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
  /** Raw (still entity-encoded) text, possibly in several pieces. */
  text(raw: string): void;
}

/**
 * A streaming scanner for the machine-written XML of a workbook: tags and text, comments and processing
 * instructions skipped, CDATA passed as text. An incomplete tag waits for the next chunk, up to a bound.
 */
function xmlScanner(h: XmlHandlers, maxPending: number) {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  const run = (s: string) => {
    let i = 0;
    for (;;) {
      const lt = s.indexOf('<', i);
      if (lt < 0) {
        if (i < s.length) h.text(s.slice(i));
        i = s.length;
        break;
      }
      if (lt > i) h.text(s.slice(i, lt));
      i = lt;
      if (s.startsWith('<!--', lt) || s.startsWith('<?', lt)) {
        const end = s.indexOf(s[lt + 1] === '!' ? '-->' : '?>', lt);
        if (end < 0) break;
        i = end + (s[lt + 1] === '!' ? 3 : 2);
        continue;
      }
      if (s.startsWith('<![CDATA[', lt)) {
        const end = s.indexOf(']]>', lt);
        if (end < 0) break;
        h.text(s.slice(lt + 9, end).replace(/&/g, '&amp;'));
        i = end + 3;
        continue;
      }
      const gt = s.indexOf('>', lt);
      if (gt < 0) break;
      const body = s.slice(lt + 1, gt);
      i = gt + 1;
      if (body.startsWith('!')) continue;
      if (body.startsWith('/')) {
        h.close(localName(body.slice(1).trim()));
        continue;
      }
      const selfClosing = body.charCodeAt(body.length - 1) === 47;
      const inner = selfClosing ? body.slice(0, -1) : body;
      let sp = 0;
      while (sp < inner.length && inner.charCodeAt(sp) > 32) sp++;
      const name = localName(inner.slice(0, sp));
      h.open(name, inner.slice(sp), selfClosing);
      if (selfClosing) h.close(name);
    }
    rest = s.slice(i);
    if (rest.length > maxPending) throw new XlsxLimitError('cell');
  };
  return {
    feed(chunk: Buffer) {
      run(rest + decoder.decode(chunk, { stream: true }));
    },
    end() {
      run(rest + decoder.decode());
    },
  };
}

const localName = (n: string) => {
  const c = n.indexOf(':');
  return c < 0 ? n : n.slice(c + 1);
};

async function scan(chunks: AsyncGenerator<Buffer>, h: XmlHandlers, maxPending: number) {
  const s = xmlScanner(h, maxPending);
  for await (const chunk of chunks) {
    s.feed(chunk);
    // A turn of the event loop after every chunk: other requests are answered while a large sheet is read.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  s.end();
}

/** A text collector that refuses more than `max` characters (raw text is at most ~10× the decoded). */
function collector(max: number) {
  let parts: string[] = [];
  let size = 0;
  return {
    add(raw: string) {
      size += raw.length;
      if (size > max * 10 + 100) throw new XlsxLimitError('cell');
      parts.push(raw);
    },
    take(): string {
      const text = decodeText(parts.join(''));
      parts = [];
      size = 0;
      if (text.length > max) throw new XlsxLimitError('cell');
      return text;
    },
  };
}

async function sharedStrings(buf: Buffer, e: Entry | undefined, limits: XlsxLimits, budget: { left: number }) {
  const out: string[] = [];
  if (!e) return out;
  // Enough for every cell the sheet may hold, and a few more.
  const maxCount = (limits.maxRows + 20) * limits.maxColumns + 1000;
  const text = collector(limits.maxCellChars);
  let inSi = false;
  let inT = false;
  let phonetic = 0;
  await scan(
    inflate(buf, e, budget),
    {
      open(name) {
        if (name === 'si') inSi = true;
        else if (name === 'rPh') phonetic++;
        else if (name === 't' && inSi && phonetic === 0) inT = true;
      },
      close(name) {
        if (name === 't') inT = false;
        else if (name === 'rPh') phonetic--;
        else if (name === 'si') {
          inSi = false;
          out.push(text.take());
          if (out.length > maxCount) throw new XlsxLimitError('cells');
        }
      },
      text(raw) {
        if (inT) text.add(raw);
      },
    },
    limits.maxCellChars * 10 + 4096,
  );
  return out;
}

function columnIndex(ref: string | undefined): number | undefined {
  if (!ref) return undefined;
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n || undefined;
}

function numberText(v: string): string {
  if (!/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v)) return v;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n.toFixed(0) : String(n);
}

/** The path of the workbook's first sheet, from workbook.xml and its relationships. */
async function firstSheetPath(buf: Buffer, dir: Map<string, Entry>, budget: { left: number }): Promise<string> {
  const wb = dir.get('xl/workbook.xml');
  const rels = dir.get('xl/_rels/workbook.xml.rels');
  let rid: string | undefined;
  const targets = new Map<string, string>();
  if (wb)
    await scan(
      inflate(buf, wb, budget),
      {
        open(name, attrs) {
          if (name === 'sheet' && rid === undefined) rid = attr(attrs, 'r:id') ?? attr(attrs, 'id');
        },
        close() {},
        text() {},
      },
      1 << 20,
    );
  if (rels)
    await scan(
      inflate(buf, rels, budget),
      {
        open(name, attrs) {
          const id = attr(attrs, 'Id');
          const target = attr(attrs, 'Target');
          if (name === 'Relationship' && id && target) targets.set(id, target);
        },
        close() {},
        text() {},
      },
      1 << 20,
    );
  const target = rid ? targets.get(rid) : undefined;
  if (target) return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  if (dir.has('xl/worksheets/sheet1.xml')) return 'xl/worksheets/sheet1.xml';
  throw new XlsxFormatError('no worksheet');
}

/** The rows of the first worksheet that hold anything, in order; throws XlsxLimitError at the first limit passed. */
export async function readXlsxRows(data: Buffer, limits: XlsxLimits): Promise<XlsxRow[]> {
  const dir = directory(data);
  const budget = { left: limits.maxInflatedBytes };
  const sheet = dir.get(await firstSheetPath(data, dir, budget));
  if (!sheet) throw new XlsxFormatError('no worksheet');
  const strings = await sharedStrings(data, dir.get('xl/sharedStrings.xml'), limits, budget);

  const rows: XlsxRow[] = [];
  const value = collector(limits.maxCellChars);
  const maxElements = elementLimit(limits);
  let elements = 0;
  let rowNo = 0;
  // Made on a row's first value: millions of empty rows allocate nothing.
  let cells: string[] | undefined;
  let col = 0;
  let type = '';
  let inValue = false;
  let inInline = false;
  let raw = '';
  const sheetScan = scan(
    inflate(data, sheet, budget),
    {
      open(name, attrs) {
        if ((name === 'c' || name === 'row') && ++elements > maxElements) throw new XlsxLimitError('cells', rowNo);
        if (name === 'row') {
          rowNo = Number(attr(attrs, 'r')) || rowNo + 1;
          cells = undefined;
          col = 0;
        } else if (name === 'c') {
          col = columnIndex(attr(attrs, 'r')) ?? col + 1;
          type = attr(attrs, 't') ?? 'n';
          raw = '';
        } else if (name === 'v') inValue = true;
        else if (name === 'is') inInline = true;
      },
      close(name) {
        if (name === 'v') {
          inValue = false;
          raw = value.take();
        } else if (name === 'is') {
          inInline = false;
          raw = value.take();
        } else if (name === 'c') {
          let text: string;
          if (type === 's') {
            text = strings[Number(raw)] ?? '';
          } else if (type === 'b') text = raw === '1' ? 'TRUE' : raw === '0' ? 'FALSE' : '';
          else if (type === 'e') text = '';
          else if (type === 'n') text = numberText(raw);
          else text = raw;
          // Trimmed, and without the `'` our writer puts before formula-looking text (a file of ours uploaded again).
          text = unescapeCellText(text.trim()).trim();
          if (!text) return;
          if (col > limits.maxColumns) throw new XlsxLimitError('columns', rowNo);
          cells ??= new Array<string>(limits.maxColumns).fill('');
          cells[col - 1] = text;
        } else if (name === 'row') {
          if (!cells) return;
          if (rows.length >= limits.maxRows) throw new XlsxLimitError('rows', rowNo);
          rows.push({ row: rowNo, cells });
          cells = undefined;
        }
      },
      text(t) {
        if (inValue || inInline) value.add(t);
      },
    },
    limits.maxCellChars * 10 + 4096,
  );
  try {
    await sheetScan;
  } catch (err) {
    // A cell too long is found inside its row: say which.
    if (err instanceof XlsxLimitError && err.row === undefined && err.limit !== 'inflated' && rowNo)
      throw new XlsxLimitError(err.limit, rowNo);
    throw err;
  }
  return rows;
}

/** The cap on cell and row elements (empty ones included) that `limits` allow. */
export const elementLimit = (limits: XlsxLimits) =>
  limits.maxElements ?? (limits.maxRows + 1) * (limits.maxColumns + 1) * 10;

/** An upload read through this reader: its size as sent, its limits, and the template its messages point to. */
export interface XlsxUpload extends XlsxLimits {
  /** Bytes of the file as uploaded (checked before reading). */
  maxBytes: number;
  /** The template's name in messages, e.g. 学员注册名单模板. */
  template: string;
}

const megabytes = (bytes: number) => `${Math.round(bytes / 1048576)}M`;
const count = (n: number) => (n % 10_000 === 0 ? `${n / 10_000}万` : n.toLocaleString('en-US'));

/**
 * The Chinese message for a limit passed, naming the limit and where it was passed: the same wording for every
 * upload read through this reader. (A list's own maximum of people is the caller's message: it has its own code.)
 */
export function xlsxLimitMessage(err: XlsxLimitError, upload: XlsxUpload): string {
  const at = err.row ? `（第${err.row}行）` : '';
  const t = upload.template;
  switch (err.limit) {
    case 'rows':
      return `表格的行数超出${t}${at}，最多${upload.maxRows}行，请使用${t}`;
    case 'columns':
      return `表格的列数超出${t}${at}，最多${upload.maxColumns}列，请使用${t}`;
    case 'cell':
      return `单元格内容过长${at}，每个单元格最多${upload.maxCellChars}个字`;
    case 'cells':
      return `表格中的单元格过多${at}，含空行和空单元格最多${count(elementLimit(upload))}个，请删除多余的行，或使用${t}`;
    case 'inflated':
      return `文件解压后超过${megabytes(upload.maxInflatedBytes)}，请使用${t}，只保留名单`;
  }
}
