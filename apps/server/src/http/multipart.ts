import type { FastifyRequest } from 'fastify';
import { AppError, fieldError } from '../lib/errors.js';
import { normaliseText } from './text-normalisation.js';

/**
 * Reads a whole multipart form into memory (uploads here are small and bounded). Oversized files are
 * refused with the field named, rather than truncated. Field names, text values and file names go through the
 * same normaliseText as every JSON body and query (the preValidation hook never sees a streamed multipart body).
 */
export async function readMultipart(
  req: FastifyRequest,
  opts: { maxFileBytes: number; maxFiles: number },
): Promise<{ fields: Record<string, string>; files: Record<string, Buffer>; names: Record<string, string> }> {
  const fields: Record<string, string> = {};
  const files: Record<string, Buffer> = {};
  const names: Record<string, string> = {};
  try {
    for await (const part of req.parts({
      limits: { fileSize: opts.maxFileBytes, files: opts.maxFiles, fields: 30, fieldSize: 10_000 },
    })) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (part.file.truncated)
          throw fieldError(
            'PAYLOAD_TOO_LARGE',
            part.fieldname,
            `文件大小不能超过${Math.round(opts.maxFileBytes / 1048576)}M`,
          );
        files[normaliseText(part.fieldname)] = data;
        names[normaliseText(part.fieldname)] = normaliseText(part.filename);
      } else {
        fields[normaliseText(part.fieldname)] = normaliseText(String(part.value));
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const e = err as { code?: string; part?: { fieldname?: string } };
    if (e.code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('PAYLOAD_TOO_LARGE', {
        message: `文件大小不能超过${Math.round(opts.maxFileBytes / 1048576)}M`,
      });
    }
    if (e.code === 'FST_FILES_LIMIT')
      throw new AppError('VALIDATION_FAILED', { message: `最多上传${opts.maxFiles}个文件` });
    throw new AppError('VALIDATION_FAILED', { message: '上传的表单格式错误' });
  }
  return { fields, files, names };
}
