import { randomInt } from 'node:crypto';
import { loadSharp } from '../../lib/lazy.js';

// Look-alikes removed (0/o, 1/l/i, 9/g, z/2) so users are not punished for the
// font's ambiguity; lower case only, so answers can be compared case-insensitively.
export const CAPTCHA_ALPHABET = 'abcdefhjkmnpqrstuvwxy2345678';

const TEXT_WIDTH = 120;
const TEXT_HEIGHT = 40;
const MAX_TEXT_LENGTH = 8;
// The server may only have a couple of fonts installed; list common ones and
// end with a generic family so fontconfig always resolves something.
const FONT_FAMILY = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

const SLIDER_WIDTH = 320;
const SLIDER_HEIGHT = 160;
const PIECE_SIZE = 50;
// Keeps the gap clear of the piece's starting slot on the left and off the edges.
const GAP_MARGIN = 10;
const Y_MARGIN = 5;

export interface SliderPuzzle {
  /** PNG, width x height, with the darkened and outlined gap. */
  background: Buffer;
  /** PNG with alpha, pieceSize x pieceSize; transparent outside the jigsaw shape. */
  piece: Buffer;
  /** Left edge of the gap's pieceSize box: the answer. Keep it server-side. */
  x: number;
  /** Top edge of the gap's box; the client draws the piece at this y. */
  y: number;
  width: number;
  height: number;
  pieceSize: number;
}

type Rgb = readonly [number, number, number];

// Cosmetic randomness also comes from crypto so nothing about a challenge
// is predictable from Math.random state.
function randFloat(min: number, max: number): number {
  return min + (randomInt(0, 1 << 24) / (1 << 24)) * (max - min);
}

function hsl(h: number, s: number, l: number): Rgb {
  const hue = (((h % 360) + 360) % 360) / 360;
  if (s === 0) return [l * 255, l * 255, l * 255];
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const channel = (t0: number): number => {
    let t = t0;
    if (t < 0) t += 1;
    if (t > 1) t -= 1;
    if (t < 1 / 6) return p + (q - p) * 6 * t;
    if (t < 1 / 2) return q;
    if (t < 2 / 3) return p + (q - p) * (2 / 3 - t) * 6;
    return p;
  };
  return [channel(hue + 1 / 3) * 255, channel(hue) * 255, channel(hue - 1 / 3) * 255];
}

function hex(c: Rgb): string {
  return `#${c
    .map((v) =>
      Math.round(Math.min(255, Math.max(0, v)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export function randomCaptchaText(length = 4): string {
  if (!Number.isInteger(length) || length < 1 || length > MAX_TEXT_LENGTH) {
    throw new RangeError(`captcha length must be an integer in 1..${MAX_TEXT_LENGTH}`);
  }
  let out = '';
  for (let i = 0; i < length; i++) {
    out += CAPTCHA_ALPHABET.charAt(randomInt(CAPTCHA_ALPHABET.length));
  }
  return out;
}

function noiseCurve(yMin: number, yMax: number, color: string, width: number, opacity: number): string {
  const x0 = randFloat(-5, 10);
  const x3 = randFloat(TEXT_WIDTH - 10, TEXT_WIDTH + 5);
  const y = (): string => randFloat(yMin, yMax).toFixed(1);
  const d =
    `M${x0.toFixed(1)} ${y()} C${randFloat(25, 50).toFixed(1)} ${y()} ` +
    `${randFloat(70, 95).toFixed(1)} ${y()} ${x3.toFixed(1)} ${y()}`;
  return `<path d="${d}" fill="none" stroke="${color}" stroke-width="${width.toFixed(2)}" stroke-linecap="round" opacity="${opacity}"/>`;
}

const MAX_FONT_SIZE = 28;
const TEXT_LAYOUT_WIDTH = TEXT_WIDTH - 14;
// Glyphs sit slightly closer than their ink width so neighbours touch after
// rotation, which hinders segmentation without hurting legibility.
const GLYPH_SQUEEZE = 0.95;
const DEFAULT_GLYPH_EM = 0.68;
// Rough ink widths (em) of DejaVu Sans Bold; fallback fonts are close enough.
const GLYPH_EM: Readonly<Record<string, number>> = { m: 1, w: 0.9, f: 0.5, j: 0.45, r: 0.5, t: 0.5 };

function glyphWidthEm(ch: string): number {
  return GLYPH_EM[ch] ?? DEFAULT_GLYPH_EM;
}

function buildTextSvg(chars: readonly string[]): string {
  const hue = randFloat(0, 360);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${TEXT_WIDTH}" height="${TEXT_HEIGHT}" viewBox="0 0 ${TEXT_WIDTH} ${TEXT_HEIGHT}">`,
    '<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">',
    `<stop offset="0" stop-color="${hex(hsl(hue, 0.45, 0.95))}"/>`,
    `<stop offset="1" stop-color="${hex(hsl(hue + 50, 0.45, 0.88))}"/>`,
    '</linearGradient></defs>',
    `<rect width="${TEXT_WIDTH}" height="${TEXT_HEIGHT}" fill="url(#bg)"/>`,
  );

  for (let i = 0; i < 30; i++) {
    const c = hsl(randFloat(0, 360), 0.5, randFloat(0.45, 0.75));
    parts.push(
      `<circle cx="${randFloat(0, TEXT_WIDTH).toFixed(1)}" cy="${randFloat(0, TEXT_HEIGHT).toFixed(1)}" r="${randFloat(0.5, 1.4).toFixed(2)}" fill="${hex(c)}" opacity="0.7"/>`,
    );
  }
  for (let i = 0; i < 2; i++) {
    parts.push(noiseCurve(2, TEXT_HEIGHT - 2, hex(hsl(randFloat(0, 360), 0.45, 0.7)), randFloat(1, 1.8), 0.8));
  }

  // Lay glyphs out by approximate ink width so wide letters (m, w) do not
  // collide while narrow ones (t, r) do not float apart; the font shrinks only
  // when the string would not otherwise fit.
  const widths = chars.map(glyphWidthEm);
  const totalEm = widths.reduce((a, b) => a + b, 0) * GLYPH_SQUEEZE;
  const size = Math.min(MAX_FONT_SIZE, TEXT_LAYOUT_WIDTH / totalEm);
  const natural = totalEm * size;
  const gap = chars.length > 1 ? Math.min(4, (TEXT_LAYOUT_WIDTH - natural) / (chars.length - 1)) : 0;
  let cursor = (TEXT_WIDTH - natural - gap * (chars.length - 1)) / 2;
  chars.forEach((ch, i) => {
    const advance = (widths[i] ?? DEFAULT_GLYPH_EM) * GLYPH_SQUEEZE * size;
    const cx = cursor + advance / 2 + randFloat(-1.5, 1.5);
    cursor += advance + gap;
    const glyphSize = size * randFloat(0.92, 1.06);
    const cy = TEXT_HEIGHT / 2 + randFloat(-2, 2);
    const rot = randFloat(-22, 22);
    const skew = randFloat(-10, 10);
    const color = hsl(randFloat(0, 360), randFloat(0.55, 0.8), randFloat(0.22, 0.36));
    // Baseline at +0.3em puts cy between the x-height middle and the full
    // ascender/descender middle, so rotation pivots near the visual centre and
    // neither tall (b, d, k) nor descending (p, y, j) glyphs leave the canvas.
    parts.push(
      `<text x="0" y="${(glyphSize * 0.3).toFixed(1)}" transform="translate(${cx.toFixed(1)} ${cy.toFixed(1)}) rotate(${rot.toFixed(1)}) skewX(${skew.toFixed(1)})" ` +
        `font-family="${FONT_FAMILY}" font-size="${glyphSize.toFixed(1)}" font-weight="bold" text-anchor="middle" fill="${hex(color)}">${escapeXml(ch)}</text>`,
    );
  });

  // A curve over the glyphs links them together, which defeats naive
  // connected-component segmentation. It is kept thinner and lighter than the
  // glyph strokes so it cannot be read as part of a glyph (c+bar -> e, 7+bar -> 2).
  parts.push(noiseCurve(12, TEXT_HEIGHT - 12, hex(hsl(randFloat(0, 360), 0.55, 0.5)), randFloat(1, 1.3), 0.85));
  parts.push('</svg>');
  return parts.join('');
}

/** PNG, 120x40. The text never leaves the server as vector data. */
export async function renderTextCaptcha(text: string): Promise<Buffer> {
  const chars = [...text];
  if (chars.length < 1 || chars.length > MAX_TEXT_LENGTH) {
    throw new RangeError(`captcha text must have 1..${MAX_TEXT_LENGTH} characters`);
  }
  const sharp = await loadSharp();
  const { data, info } = await sharp(Buffer.from(buildTextSvg(chars)))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const warped = waveWarp(data, info.width, info.height, info.channels);
  return sharp(warped, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .png({ compressionLevel: 6 })
    .toBuffer();
}

// Bends the whole rendered image along random low-frequency waves so glyph
// strokes are not pixel-identical to font outlines that OCR models learn.
// Done in JS rather than with an SVG feTurbulence filter because librsvg's
// filter path tripled the render time.
function waveWarp(src: Buffer, w: number, h: number, ch: number): Buffer {
  const out = Buffer.allocUnsafe(src.length);
  const ampY = randFloat(1.5, 2.5);
  const freqY = (2 * Math.PI) / randFloat(55, 90);
  const phaseY = randFloat(0, 2 * Math.PI);
  const ampX = randFloat(0.6, 1.1);
  const freqX = (2 * Math.PI) / randFloat(32, 48);
  const phaseX = randFloat(0, 2 * Math.PI);
  const shiftY = new Float32Array(w);
  for (let x = 0; x < w; x++) shiftY[x] = ampY * Math.sin(freqY * x + phaseY);
  for (let y = 0; y < h; y++) {
    const shiftX = ampX * Math.sin(freqX * y + phaseX);
    for (let x = 0; x < w; x++) {
      const sx = Math.min(w - 1.001, Math.max(0, x + shiftX));
      const sy = Math.min(h - 1.001, Math.max(0, y + (shiftY[x] ?? 0)));
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const i00 = (y0 * w + x0) * ch;
      const i10 = i00 + ch;
      const i01 = i00 + w * ch;
      const i11 = i01 + ch;
      const o = (y * w + x) * ch;
      for (let c = 0; c < ch; c++) {
        const top = (src[i00 + c] ?? 0) * (1 - fx) + (src[i10 + c] ?? 0) * fx;
        const bottom = (src[i01 + c] ?? 0) * (1 - fx) + (src[i11 + c] ?? 0) * fx;
        out[o + c] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Slider puzzle

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

function smoothMin(a: number, b: number, k: number): number {
  const h = clamp01(0.5 + (0.5 * (b - a)) / k);
  return b + (a - b) * h - k * h * (1 - h);
}

// Signed distance (px, negative inside) to the jigsaw outline inside the
// piece's box. Using an SDF gives anti-aliased edges and an outline band for
// free, and the same field is used for piece and gap so they match exactly.
function jigsawDistance(px: number, py: number): number {
  // Body: rounded square leaving room for the knobs on top and right.
  const bx = 22;
  const by = 28;
  const half = 18;
  const corner = 3;
  const qx = Math.abs(px - bx) - half + corner;
  const qy = Math.abs(py - by) - half + corner;
  let d = Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - corner;

  const topKnob = Math.hypot(px - 22, py - 6.5) - 6;
  const rightKnob = Math.hypot(px - 43.5, py - 28) - 6;
  // Smooth union forms the knob's neck instead of a sharp circle-on-square joint.
  d = smoothMin(d, topKnob, 3);
  d = smoothMin(d, rightKnob, 3);

  const hole = Math.hypot(px - 6.5, py - 28) - 5.5;
  return Math.max(d, -hole);
}

// The shape never changes, so the field is computed once per process.
const PIECE_SDF: Float32Array = (() => {
  const f = new Float32Array(PIECE_SIZE * PIECE_SIZE);
  for (let j = 0; j < PIECE_SIZE; j++) {
    for (let i = 0; i < PIECE_SIZE; i++) {
      f[j * PIECE_SIZE + i] = jigsawDistance(i + 0.5, j + 0.5);
    }
  }
  return f;
})();

// Outline sits just inside the edge so it survives in the piece's opaque area.
function outlineWeight(d: number): number {
  return clamp01(1 - Math.abs(d + 1) / 1.1);
}

interface Circle {
  cx: number;
  cy: number;
  r: number;
  color: Rgb;
  alpha: number;
  softness: number;
}

function blendCircle(img: Float32Array, w: number, h: number, c: Circle): void {
  const reach = c.r + c.softness;
  const x0 = Math.max(0, Math.floor(c.cx - reach));
  const x1 = Math.min(w - 1, Math.ceil(c.cx + reach));
  const y0 = Math.max(0, Math.floor(c.cy - reach));
  const y1 = Math.min(h - 1, Math.ceil(c.cy + reach));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dist = Math.hypot(x + 0.5 - c.cx, y + 0.5 - c.cy);
      const a = c.alpha * clamp01((reach - dist) / c.softness);
      if (a <= 0) continue;
      const o = (y * w + x) * 3;
      img[o] = (img[o] ?? 0) * (1 - a) + c.color[0] * a;
      img[o + 1] = (img[o + 1] ?? 0) * (1 - a) + c.color[1] * a;
      img[o + 2] = (img[o + 2] ?? 0) * (1 - a) + c.color[2] * a;
    }
  }
}

// A stylised landscape: it gives the eye distinct ridges and colour bands to
// line the piece up with, and every parameter is random so no two
// backgrounds (and no precomputed gap templates) repeat.
function paintScene(w: number, h: number): Float32Array {
  const img = new Float32Array(w * h * 3);
  const hue = randFloat(0, 360);
  const skyTop = hsl(hue, 0.55, 0.62);
  const skyBottom = hsl(hue + 35, 0.6, 0.86);
  const landHue = hue + randFloat(-70, 70);
  for (let y = 0; y < h; y++) {
    const t = y / (h - 1);
    const r = skyTop[0] + (skyBottom[0] - skyTop[0]) * t;
    const g = skyTop[1] + (skyBottom[1] - skyTop[1]) * t;
    const b = skyTop[2] + (skyBottom[2] - skyTop[2]) * t;
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      img[o] = r;
      img[o + 1] = g;
      img[o + 2] = b;
    }
  }

  blendCircle(img, w, h, {
    cx: randFloat(30, w - 30),
    cy: randFloat(18, 55),
    r: randFloat(12, 20),
    color: hsl(hue + 40, 0.9, 0.93),
    alpha: 0.95,
    softness: 3,
  });
  const bubbles = randomInt(6, 11);
  for (let i = 0; i < bubbles; i++) {
    blendCircle(img, w, h, {
      cx: randFloat(0, w),
      cy: randFloat(0, h * 0.7),
      r: randFloat(6, 26),
      color: hsl(hue + randFloat(-60, 60), 0.5, randFloat(0.8, 0.97)),
      alpha: randFloat(0.2, 0.45),
      softness: randFloat(4, 12),
    });
  }

  const layers = 4;
  for (let l = 0; l < layers; l++) {
    const depth = l / (layers - 1);
    const base = h * (0.38 + 0.15 * l) + randFloat(-6, 6);
    const amps = [randFloat(8, 20) * (1 - depth * 0.4), randFloat(3, 9), randFloat(1, 3)];
    const freqs = [randFloat(0.008, 0.02), randFloat(0.03, 0.06), randFloat(0.09, 0.16)];
    const phases = [randFloat(0, 6.3), randFloat(0, 6.3), randFloat(0, 6.3)];
    // Analogous hues fading into the sky colour with distance (aerial
    // perspective) read as a calm landscape; complementary palettes looked garish.
    // Each layer still steps ~10% in lightness so ridges stay easy to line up.
    const ground = hsl(landHue + l * 12, 0.35 + depth * 0.25, 0.5 - depth * 0.32);
    const top = mix(skyBottom, ground, 0.5 + 0.5 * depth);
    const bottom = mix(
      skyBottom,
      hsl(landHue + l * 12 + 10, 0.35 + depth * 0.25, 0.42 - depth * 0.3),
      0.55 + 0.45 * depth,
    );
    for (let x = 0; x < w; x++) {
      let ridge = base;
      for (let k = 0; k < 3; k++) {
        ridge += (amps[k] ?? 0) * Math.sin((freqs[k] ?? 0) * x + (phases[k] ?? 0));
      }
      const y0 = Math.max(0, Math.floor(ridge));
      for (let y = y0; y < h; y++) {
        // Partial coverage on the ridge row anti-aliases the silhouette.
        const a = clamp01(y + 1 - ridge);
        const t = clamp01((y - ridge) / (h - ridge + 1));
        const o = (y * w + x) * 3;
        for (let c = 0; c < 3; c++) {
          const col = (top[c] ?? 0) + ((bottom[c] ?? 0) - (top[c] ?? 0)) * t;
          img[o + c] = (img[o + c] ?? 0) * (1 - a) + col * a;
        }
      }
    }
  }
  return img;
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

// No film grain: it looked nicer but made the PNG ~5x larger (90 KB vs 17 KB),
// and the smooth palette shows no visible banding at this size.
function toBytes(img: Float32Array): Buffer {
  // The clamped conversion rounds and saturates instead of wrapping around.
  const out = new Uint8ClampedArray(img);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

export async function renderSliderPuzzle(): Promise<SliderPuzzle> {
  const width = SLIDER_WIDTH;
  const height = SLIDER_HEIGHT;
  const size = PIECE_SIZE;
  const x = randomInt(size + GAP_MARGIN, width - size - GAP_MARGIN + 1);
  const y = randomInt(Y_MARGIN, height - size - Y_MARGIN + 1);

  const bg = toBytes(paintScene(width, height));
  const piece = Buffer.alloc(size * size * 4);

  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const d = PIECE_SDF[j * size + i] ?? 1;
      const coverage = clamp01(0.5 - d);
      if (coverage <= 0) continue;
      const line = outlineWeight(d);
      const bo = ((y + j) * width + (x + i)) * 3;
      const po = (j * size + i) * 4;
      // Slight top-left highlight / bottom-right shade fakes a bevel so the
      // piece reads as a physical tile rather than a flat sticker.
      const bevel = 1 + 0.08 * clamp01(1 + d / 6) * ((25 - i + 25 - j) / 50);
      for (let c = 0; c < 3; c++) {
        const src = bg[bo + c] ?? 0;
        const lit = Math.min(255, src * bevel);
        piece[po + c] = lit * (1 - line * 0.95) + 255 * line * 0.95;
        // The gap is darkened rather than blanked so the scene still shows
        // through, and shares the outline so piece and hole visibly match.
        const dark = src * (1 - 0.55 * coverage);
        bg[bo + c] = dark * (1 - line * 0.7) + 255 * line * 0.7;
      }
      piece[po + 3] = Math.round(coverage * 255);
    }
  }

  const sharp = await loadSharp();
  const [background, pieceImage] = await Promise.all([
    sharp(bg, { raw: { width, height, channels: 3 } })
      .png({ compressionLevel: 6 })
      .toBuffer(),
    sharp(piece, { raw: { width: size, height: size, channels: 4 } })
      .png({ compressionLevel: 6 })
      .toBuffer(),
  ]);
  return { background, piece: pieceImage, x, y, width, height, pieceSize: size };
}
