import { inflateSync } from 'node:zlib';
// @ts-expect-error fontkit 2 ships no type declarations; only create() and glyph paths are used here.
import * as fontkit from 'fontkit';
import { PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** The text of a PDF, page by page, as a reader's copy-paste would give it (pure JS: no poppler needed). */
export async function pdfPages(data: Buffer | Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(data), useSystemFonts: false, isEvalSupported: false }).promise;
  try {
    const pages: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const content = await (await doc.getPage(i)).getTextContent();
      pages.push(content.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : '') : '')).join(''));
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

export async function pdfText(data: Buffer | Uint8Array): Promise<string> {
  return (await pdfPages(data)).join('\n');
}

/**
 * The outlines inside the embedded font subsets. Text extraction reads the ToUnicode map, which survives a
 * subset that lost its glyph outlines (the blank-text failure of pdf-lib's own fontkit); outlines do not.
 */
export async function embeddedGlyphOutlines(pdf: Buffer): Promise<number> {
  const doc = await PDFDocument.load(pdf);
  let outlines = 0;
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict) || obj.get(PDFName.of('Type')) !== PDFName.of('FontDescriptor')) continue;
    const file = doc.context.lookup(obj.get(PDFName.of('FontFile2')) ?? obj.get(PDFName.of('FontFile3')));
    if (!(file instanceof PDFRawStream)) continue;
    const bytes = file.dict.get(PDFName.of('Filter')) ? inflateSync(file.contents) : Buffer.from(file.contents);
    const font = fontkit.create(bytes) as {
      numGlyphs: number;
      getGlyph(id: number): { path: { commands: unknown[] } };
    };
    for (let id = 0; id < font.numGlyphs; id++) if (font.getGlyph(id).path.commands.length > 0) outlines++;
  }
  return outlines;
}
