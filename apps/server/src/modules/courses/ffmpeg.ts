import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundled static ffmpeg (@ffmpeg-installer/ffmpeg), or null when the platform has no build of it. */
export function ffmpegPath(): string | null {
  try {
    const p = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    return fs.existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function run(bin: string, args: string[], timeoutMs: number): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (err, _stdout, stderr) => {
      if (err && (err as { killed?: boolean }).killed) return reject(new Error(`ffmpeg timed out: ${args.join(' ')}`));
      if (err && typeof (err as { code?: unknown }).code !== 'number') return reject(err);
      resolve({ code: err ? Number((err as { code?: number }).code) : 0, stderr: String(stderr) });
    });
  });
}

/** Seconds from ffmpeg's "Duration: 00:01:02.50," line (rounded up: a chapter is never shorter than its video). */
export function parseDuration(ffmpegOutput: string): number | null {
  const m = /Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(ffmpegOutput);
  if (!m) return null;
  const seconds = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  return seconds > 0 ? Math.ceil(seconds - 0.05) : null;
}

/**
 * The duration of a media file in whole seconds, or null when ffmpeg is missing or cannot read it.
 * `ffmpeg -i` without an output exits 1 by design; the header it printed is all we need.
 */
export async function probeDuration(file: string, bin: string | null = ffmpegPath()): Promise<number | null> {
  if (!bin) return null;
  try {
    const { stderr } = await run(bin, ['-hide_banner', '-nostdin', '-i', file], 30_000);
    return parseDuration(stderr);
  } catch {
    return null;
  }
}

const FONT = fileURLToPath(new URL('../../../assets/fonts/NotoSansSC-Regular.ttf', import.meta.url));

/** drawtext's own escaping: the text is one filter argument, so ':' '\'' '\\' and '%' must not reach the parser. */
const drawtextEscape = (s: string) => s.replace(/[\\':%]/g, (c) => `\\${c}`);

/**
 * A short real demo video (640×360 H.264/AAC MP4: test pattern, a 440 Hz tone, a caption and a running clock),
 * cached per duration under `cacheDir` so a seed renders each length once.
 */
export async function demoClip(
  cacheDir: string,
  seconds: number,
  caption: string,
  bin: string | null = ffmpegPath(),
): Promise<string | null> {
  if (!bin) return null;
  const out = path.join(cacheDir, `demo-${seconds}s.mp4`);
  if (fs.existsSync(out)) return out;
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp.mp4`;
  const text = fs.existsSync(FONT)
    ? `,drawtext=fontfile='${FONT}':text='${drawtextEscape(caption)}':fontcolor=white:fontsize=28:box=1:boxcolor=black@0.55:boxborderw=10:x=(w-text_w)/2:y=h-70` +
      `,drawtext=fontfile='${FONT}':text='%{pts\\:hms}':fontcolor=white:fontsize=22:box=1:boxcolor=black@0.55:boxborderw=6:x=20:y=20`
    : '';
  const args = [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=640x360:rate=25:duration=${seconds}`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:sample_rate=44100:duration=${seconds}`,
    '-vf',
    `format=yuv420p${text}`,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '32',
    '-c:a',
    'aac',
    '-b:a',
    '48k',
    // moov first: the browser can start playing before the whole file arrived.
    '-movflags',
    '+faststart',
    '-shortest',
    tmp,
  ];
  try {
    const { code, stderr } = await run(bin, args, 120_000);
    if (code !== 0) throw new Error(stderr.split('\n').slice(-4).join('\n'));
    fs.renameSync(tmp, out);
    return out;
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
