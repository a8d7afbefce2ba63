import zlib from 'node:zlib';

/**
 * Hostile .xlsx files built by hand, for the tests and the bench. A part may be given as `head`, then `unit`
 * repeated `times`, then `tail`: the unit is deflated once with a full flush (which resets the window, so each
 * copy of its compressed bytes stands alone) and the copies are concatenated, so a part that inflates to
 * hundreds of MB is built in milliseconds without ever being held in memory.
 */
export type Part = Buffer | string | { head: string; unit: string; times: number; tail: string };

function packed(part: Part): { data: Buffer; size: number; crc: number } {
  if (typeof part === 'string' || Buffer.isBuffer(part)) {
    const raw = Buffer.from(part);
    return { data: zlib.deflateRawSync(raw, { level: 9 }), size: raw.length, crc: zlib.crc32(raw) };
  }
  const head = Buffer.from(part.head);
  const unit = Buffer.from(part.unit);
  const tail = Buffer.from(part.tail);
  const open = (b: Buffer) => zlib.deflateRawSync(b, { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  const unitPacked = open(unit);
  let crc = zlib.crc32(head);
  for (let i = 0; i < part.times; i++) crc = zlib.crc32(unit, crc);
  crc = zlib.crc32(tail, crc);
  return {
    data: Buffer.concat([
      open(head),
      ...Array.from({ length: part.times }, () => unitPacked),
      zlib.deflateRawSync(tail),
    ]),
    size: head.length + unit.length * part.times + tail.length,
    crc,
  };
}

/** A ZIP archive of the given parts, every one deflated. */
export function zipOf(parts: Array<[string, Part]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, part] of parts) {
    const { data, size, crc } = packed(part);
    const n = Buffer.from(name);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(8, 8);
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(data.length, 18);
    h.writeUInt32LE(size, 22);
    h.writeUInt16LE(n.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(size, 24);
    c.writeUInt16LE(n.length, 28);
    c.writeUInt32LE(offset, 42);
    locals.push(h, n, data);
    centrals.push(c, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006';

/** A workbook of one sheet whose XML is `sheet`, packaged as Excel does (so file-type knows it as .xlsx). */
export function xlsxOfSheet(sheet: Part): Buffer {
  return zipOf([
    [
      '[Content_Types].xml',
      `<?xml version="1.0"?><Types xmlns="${PKG}/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    ],
    [
      '_rels/.rels',
      `<?xml version="1.0"?><Relationships xmlns="${PKG}/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ],
    [
      'xl/workbook.xml',
      `<?xml version="1.0"?><workbook ${NS} xmlns:r="${REL}"><sheets><sheet name="学员注册名单" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `<?xml version="1.0"?><Relationships xmlns="${PKG}/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ],
    ['xl/worksheets/sheet1.xml', sheet],
  ]);
}

const MB = 1024 * 1024;

/** A file of well under 1 MB whose sheet inflates to `mb` MB (text the sheet's extension list carries). */
export function inflatingXlsx(mb = 450): Buffer {
  return xlsxOfSheet({
    head: `<?xml version="1.0"?><worksheet ${NS}><sheetData/><extLst><ext uri="x">`,
    unit: 'A'.repeat(MB),
    times: mb,
    tail: '</ext></extLst></worksheet>',
  });
}

/** A file whose sheet holds `rows` empty styled rows (each as Excel writes one with a height or a style). */
export function emptyRowsXlsx(rows = 3_000_000): Buffer {
  const row = '<row spans="1:6" s="1" customFormat="1"/>';
  const perUnit = 25_000;
  return xlsxOfSheet({
    head: `<?xml version="1.0"?><worksheet ${NS}><sheetData>`,
    unit: row.repeat(perUnit),
    times: Math.ceil(rows / perUnit),
    tail: '</sheetData></worksheet>',
  });
}

/** The bytes the archive's entries inflate to, from its central directory. */
export function inflatedSize(zip: Buffer): number {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let p = zip.readUInt32LE(eocd + 16);
  let total = 0;
  for (let n = zip.readUInt16LE(eocd + 10); n > 0; n--) {
    total += zip.readUInt32LE(p + 24);
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return total;
}
