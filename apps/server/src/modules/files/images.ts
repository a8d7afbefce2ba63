import { fieldError } from '../../lib/errors.js';
import { loadSharp } from '../../lib/lazy.js';

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/**
 * Accepts a JPG or PNG decided by its bytes (not its name), re-encodes it so EXIF and other metadata
 * (GPS, device) are dropped, and applies the EXIF orientation first so photos stay upright.
 */
export async function sanitizeImage(data: Buffer, field: string): Promise<{ data: Buffer; mime: string }> {
  if (data.length === 0) throw fieldError('UPLOAD_INVALID', field, '上传的文件为空');
  if (data.length > MAX_IMAGE_BYTES) throw fieldError('PAYLOAD_TOO_LARGE', field, '图片大小不能超过5M');
  const sharp = await loadSharp();
  let format: string | undefined;
  try {
    format = (await sharp(data).metadata()).format;
  } catch {
    format = undefined;
  }
  if (format !== 'jpeg' && format !== 'png') {
    throw fieldError('UPLOAD_INVALID', field, '仅支持JPG、PNG格式的图片');
  }
  try {
    const img = sharp(data, { limitInputPixels: 40_000_000 }).rotate();
    const out = format === 'png' ? await img.png().toBuffer() : await img.jpeg({ quality: 88 }).toBuffer();
    return { data: out, mime: format === 'png' ? 'image/png' : 'image/jpeg' };
  } catch {
    throw fieldError('UPLOAD_INVALID', field, '图片已损坏，无法读取');
  }
}
