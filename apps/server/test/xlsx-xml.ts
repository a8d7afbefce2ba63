import zlib from 'node:zlib';

/**
 * The parts of an .xlsx as stored, read straight from the ZIP archive (central directory, then each entry inflated
 * with node:zlib): a reader independent of exceljs, for asserting what the file itself says, e.g. that a sheet holds
 * no formula (`<f>`) whatever exceljs makes of it.
 */
export function xlsxParts(file: Buffer): Map<string, string> {
  const eocd = file.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip archive');
  const entries = file.readUInt16LE(eocd + 10);
  let at = file.readUInt32LE(eocd + 16);
  const parts = new Map<string, string>();
  for (let i = 0; i < entries; i++) {
    if (file.readUInt32LE(at) !== 0x02014b50) throw new Error('broken central directory');
    const method = file.readUInt16LE(at + 10);
    const compressed = file.readUInt32LE(at + 20);
    const nameLength = file.readUInt16LE(at + 28);
    const extraLength = file.readUInt16LE(at + 30);
    const commentLength = file.readUInt16LE(at + 32);
    const local = file.readUInt32LE(at + 42);
    const name = file.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = local + 30 + file.readUInt16LE(local + 26) + file.readUInt16LE(local + 28);
    const data = file.subarray(dataAt, dataAt + compressed);
    parts.set(name, (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8'));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return parts;
}

/** The XML of every worksheet, in the archive's order. */
export function sheetXmls(file: Buffer): string[] {
  return [...xlsxParts(file)].filter(([name]) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name)).map(([, xml]) => xml);
}

/** Whether any worksheet of the file holds a formula. */
export function hasFormula(file: Buffer): boolean {
  return sheetXmls(file).some((xml) => /<f[\s>/]/.test(xml));
}

/**
 * What a date cell of an instant holds, as exceljs reads it back: China's wall clock (UTC+8) in the Date's UTC
 * fields, to the second (Excel has no time zones: the cell shows what a person in China reads on the screens).
 */
export function chinaCellTime(instant: string | Date): string {
  const t = new Date(instant).getTime() + 8 * 3_600_000;
  return new Date(Math.floor(t / 1000) * 1000).toISOString();
}
