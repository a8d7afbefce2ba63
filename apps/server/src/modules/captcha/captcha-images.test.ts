import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  CAPTCHA_ALPHABET,
  randomCaptchaText,
  renderSliderPuzzle,
  renderTextCaptcha,
  type SliderPuzzle,
} from './captcha-images.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function isPng(buf: Buffer): boolean {
  return buf.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE);
}

async function decodeRgba(buf: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(buf).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function luma(data: Buffer, offset: number): number {
  return 0.299 * (data[offset] ?? 0) + 0.587 * (data[offset + 1] ?? 0) + 0.114 * (data[offset + 2] ?? 0);
}

describe('randomCaptchaText', () => {
  it('defaults to 4 characters from the alphabet', () => {
    for (let i = 0; i < 200; i++) {
      const text = randomCaptchaText();
      expect(text).toHaveLength(4);
      for (const ch of text) expect(CAPTCHA_ALPHABET).toContain(ch);
    }
  });

  it('honours the requested length', () => {
    expect(randomCaptchaText(5)).toHaveLength(5);
    expect(randomCaptchaText(1)).toHaveLength(1);
  });

  it('rejects nonsensical lengths', () => {
    expect(() => randomCaptchaText(0)).toThrow(RangeError);
    expect(() => randomCaptchaText(2.5)).toThrow(RangeError);
    expect(() => randomCaptchaText(100)).toThrow(RangeError);
  });

  it('excludes look-alike characters', () => {
    for (const ch of '0o1lig9') expect(CAPTCHA_ALPHABET).not.toContain(ch);
  });
});

describe('renderTextCaptcha', () => {
  it('returns a 120x40 PNG raster', async () => {
    const png = await renderTextCaptcha('k7vd');
    expect(isPng(png)).toBe(true);
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBe(120);
    expect(meta.height).toBe(40);
  });

  it('does not leak the answer as text in the payload', async () => {
    const png = await renderTextCaptcha('xkcd');
    expect(png.includes('xkcd')).toBe(false);
    expect(png.includes('<svg')).toBe(false);
  });

  it('actually draws glyphs (dark pixels on a light background)', async () => {
    const { data, width, height } = await decodeRgba(await renderTextCaptcha('mwhk'));
    let dark = 0;
    for (let p = 0; p < width * height; p++) if (luma(data, p * 4) < 110) dark++;
    // Noise alone stays light; glyph strokes should cover a noticeable share.
    expect(dark / (width * height)).toBeGreaterThan(0.05);
  });

  it('produces different images for the same text', async () => {
    const [a, b] = await Promise.all([renderTextCaptcha('abcd'), renderTextCaptcha('abcd')]);
    expect(a.equals(b)).toBe(false);
  });

  it('rejects empty and oversized text', async () => {
    await expect(renderTextCaptcha('')).rejects.toThrow(RangeError);
    await expect(renderTextCaptcha('abcdefghijk')).rejects.toThrow(RangeError);
  });

  it('escapes markup characters instead of breaking the SVG', async () => {
    const png = await renderTextCaptcha('<&">');
    expect(isPng(png)).toBe(true);
  });
});

describe('renderSliderPuzzle', () => {
  it('returns PNGs with the advertised dimensions', async () => {
    const puzzle = await renderSliderPuzzle();
    expect(puzzle.width).toBe(320);
    expect(puzzle.height).toBe(160);
    expect(puzzle.pieceSize).toBe(50);
    expect(isPng(puzzle.background)).toBe(true);
    expect(isPng(puzzle.piece)).toBe(true);

    const bgMeta = await sharp(puzzle.background).metadata();
    expect([bgMeta.format, bgMeta.width, bgMeta.height]).toEqual(['png', 320, 160]);
    const pieceMeta = await sharp(puzzle.piece).metadata();
    expect([pieceMeta.format, pieceMeta.width, pieceMeta.height]).toEqual(['png', 50, 50]);
    expect(pieceMeta.hasAlpha).toBe(true);
  });

  it('gives the piece a jigsaw mask: transparent outside, opaque inside', async () => {
    const { data, width, height } = await decodeRgba((await renderSliderPuzzle()).piece);
    let transparent = 0;
    let opaque = 0;
    for (let p = 0; p < width * height; p++) {
      const a = data[p * 4 + 3];
      if (a === 0) transparent++;
      else if (a === 255) opaque++;
    }
    expect(transparent).toBeGreaterThan(100);
    expect(opaque).toBeGreaterThan(width * height * 0.4);
    // Corners lie outside the knobbed shape.
    expect(data[3]).toBe(0);
    expect(data[(width * height - 1) * 4 + 3]).toBe(0);
  });

  it('places the gap within bounds and at varying positions', async () => {
    const puzzles: SliderPuzzle[] = [];
    for (let i = 0; i < 30; i++) puzzles.push(await renderSliderPuzzle());
    for (const p of puzzles) {
      expect(Number.isInteger(p.x)).toBe(true);
      expect(Number.isInteger(p.y)).toBe(true);
      expect(p.x).toBeGreaterThanOrEqual(p.pieceSize + 10);
      expect(p.x).toBeLessThanOrEqual(p.width - p.pieceSize - 10);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(p.height - p.pieceSize);
    }
    expect(new Set(puzzles.map((p) => p.x)).size).toBeGreaterThan(5);
    expect(new Set(puzzles.map((p) => p.y)).size).toBeGreaterThan(5);
  });

  it('generates a different background each time', async () => {
    const [a, b] = await Promise.all([renderSliderPuzzle(), renderSliderPuzzle()]);
    expect(a.background.equals(b.background)).toBe(false);
  });

  it('darkens the gap relative to the cut-out pixels', async () => {
    for (let run = 0; run < 5; run++) {
      const puzzle = await renderSliderPuzzle();
      const bg = await decodeRgba(puzzle.background);
      const piece = await decodeRgba(puzzle.piece);
      let gapSum = 0;
      let pieceSum = 0;
      let n = 0;
      for (let j = 0; j < piece.height; j++) {
        for (let i = 0; i < piece.width; i++) {
          const po = (j * piece.width + i) * 4;
          if (piece.data[po + 3] !== 255) continue;
          pieceSum += luma(piece.data, po);
          gapSum += luma(bg.data, ((puzzle.y + j) * bg.width + (puzzle.x + i)) * 4);
          n++;
        }
      }
      expect(n).toBeGreaterThan(0);
      // A ~50% overlay should leave the gap well below the original brightness.
      expect(gapSum / n).toBeLessThan((pieceSum / n) * 0.8);
    }
  });
});
