import type { FastifyReply } from 'fastify';

/** An Excel download with a Chinese file name; never cached (exports carry personal data). */
export function sendXlsx(reply: FastifyReply, filename: string, data: Buffer) {
  reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .header('cache-control', 'private, no-store');
  return data;
}
