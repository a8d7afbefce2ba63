import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoClip, ffmpegPath, parseDuration, probeDuration } from './ffmpeg.js';
import { parseRange } from './media.routes.js';

describe('ffmpeg duration probe', () => {
  it('reads whole seconds from the Duration line, rounding real fractions up', () => {
    expect(parseDuration('  Duration: 01:02:03.00, start: 0')).toBe(3723);
    expect(parseDuration('  Duration: 00:00:20.50, start: 0')).toBe(21);
    // Container overhead (a few ms of audio priming) must not add a second.
    expect(parseDuration('  Duration: 00:00:20.02, start: 0.000000, bitrate: 106 kb/s')).toBe(20);
    expect(parseDuration('  Duration: N/A, bitrate: N/A')).toBeNull();
    expect(parseDuration('Invalid data found when processing input')).toBeNull();
  });

  it('probes a real generated clip, and answers null for a file that is not media or when ffmpeg is missing', async () => {
    expect(ffmpegPath()).not.toBeNull();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-ffmpeg-'));
    const clip = (await demoClip(dir, 4, '单元测试: 100% 通过')) as string;
    expect(await probeDuration(clip)).toBe(4);
    // Cached: the same file comes back without rendering again.
    const mtime = fs.statSync(clip).mtimeMs;
    expect(await demoClip(dir, 4, 'x')).toBe(clip);
    expect(fs.statSync(clip).mtimeMs).toBe(mtime);
    const junk = path.join(dir, 'junk.mp4');
    fs.writeFileSync(junk, 'not a video');
    expect(await probeDuration(junk)).toBeNull();
    expect(await probeDuration(clip, null)).toBeNull();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('Range header', () => {
  it('parses single ranges, suffixes and open ends; refuses what cannot be satisfied', () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=90-500', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=50-10', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
    // Multi-range and other units are ignored: the whole file is sent.
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
  });
});
