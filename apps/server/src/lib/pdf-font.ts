import { readFile } from 'node:fs/promises';
// @ts-expect-error fontkit 2 ships no types, and a `declare module` in a module file cannot add them (TS2665);
// the one function used is typed through pdf-lib's fontkit typings below.
import { create as parseFont } from 'fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

/**
 * The Chinese font every generated PDF uses (Noto Sans SC), embedded as a subset through fontkit 2, with the
 * text helpers layout needs: what the font can draw and how wide it is.
 */

// pdf-lib does not export its fontkit typings, so they are taken from the method that receives fontkit.
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
export type FontkitFont = ReturnType<Fontkit['create']>;
type FontkitSubset = ReturnType<FontkitFont['createSubset']>;
type SubsetStream = ReturnType<FontkitSubset['encodeStream']>;

const FONT_URL = new URL('../../assets/fonts/NotoSansSC-Regular.ttf', import.meta.url);

interface LoadedFont {
  bytes: Uint8Array;
  font: FontkitFont;
  fontkit: Fontkit;
}

let fontPromise: Promise<LoadedFont> | undefined;

/**
 * Reads and parses the 10 MB font once per process; a failed load is retried by the next render. The fontkit
 * handed to pdf-lib only ever sees these bytes, so its `create` returns the font already parsed from them.
 */
function loadFont(): Promise<LoadedFont> {
  fontPromise ??= readFile(FONT_URL)
    .then((bytes) => {
      const font = parseFont(bytes) as FontkitFont;
      const forPdfLib = adaptForPdfLib(font);
      return { bytes, font, fontkit: { create: () => forPdfLib } };
    })
    .catch((err: unknown) => {
      fontPromise = undefined;
      throw err;
    });
  return fontPromise;
}

/**
 * pdf-lib 1.17 was written against fontkit 1, whose subsets stream their bytes (`encodeStream()`); fontkit 2
 * returns them from `encode()`. (@pdf-lib/fontkit, the fork pdf-lib expects, drops most CJK glyphs when
 * subsetting.) The wrapper inherits everything else from the parsed font, so pdf-lib reuses its tables.
 */
function adaptForPdfLib(font: FontkitFont): FontkitFont {
  return Object.create(font, {
    createSubset: {
      value: (): FontkitSubset => {
        const subset = font.createSubset() as FontkitSubset & { encode(): Uint8Array };
        return Object.assign(subset, { encodeStream: () => streamOf(() => subset.encode()) });
      },
    },
  });
}

/** Emits after pdf-lib has attached its handlers, which it does in one synchronous chain. */
function streamOf(encode: () => Uint8Array): SubsetStream {
  const handlers = new Map<string, (data?: unknown) => unknown>();
  const stream = {
    on(event: string, handler: (data?: unknown) => unknown) {
      handlers.set(event, handler);
      return stream;
    },
  };
  queueMicrotask(() => {
    try {
      handlers.get('data')?.(encode());
      handlers.get('end')?.();
    } catch (err) {
      handlers.get('error')?.(err);
    }
  });
  return stream as SubsetStream;
}

/**
 * Embeds the font in `doc` as a subset. PDF names a subset font TAG+Name with a six-capital tag; pdf-lib would
 * append a random suffix instead, which also makes two renders of the same input differ.
 */
export async function embedCjkFont(
  doc: PDFDocument,
  subsetTag: string,
): Promise<{ pdfFont: PDFFont; font: FontkitFont }> {
  const { bytes, font, fontkit } = await loadFont();
  doc.registerFontkit(fontkit);
  const pdfFont = await doc.embedFont(bytes, { subset: true, customName: `${subsetTag}+${font.postscriptName}` });
  return { pdfFont, font };
}

/** Replaces what the font cannot draw (emoji, control characters) so layout and embedding never fail. */
export function safeText(font: FontkitFont, text: string): string {
  let out = '';
  for (const ch of text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ')) {
    out += ch === '\n' || font.hasGlyphForCodePoint(ch.codePointAt(0)!) ? ch : '?';
  }
  return out;
}

/** Advance widths in font units, per font and code point: layout measures the same characters over and over. */
const advanceCache = new WeakMap<FontkitFont, Map<number, number>>();

/** The width of `text` set at `size` points. */
export function textWidth(font: FontkitFont, text: string, size: number): number {
  let widths = advanceCache.get(font);
  if (!widths) {
    widths = new Map();
    advanceCache.set(font, widths);
  }
  let units = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    let w = widths.get(cp);
    if (w === undefined) {
      w = font.glyphForCodePoint(cp).advanceWidth;
      widths.set(cp, w);
    }
    units += w;
  }
  return (units * size) / font.unitsPerEm;
}
