import type { FastifyReply } from 'fastify';

/** An Excel download with a Chinese file name; never cached (exports carry personal data). */
export function sendXlsx(reply: FastifyReply, filename: string, data: Buffer) {
  reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .header('cache-control', 'private, no-store');
  return data;
}

/** A PDF download (attachment) with a Chinese file name; never cached. */
export function sendPdf(reply: FastifyReply, filename: string, data: Buffer) {
  reply
    .type('application/pdf')
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .header('cache-control', 'private, no-store');
  return data;
}

/** An uploaded file shown to someone allowed to see it: its own type, never cached, never sniffed. */
export function sendStoredFile(reply: FastifyReply, f: { data: Buffer; mime: string; name?: string | null }) {
  reply.type(f.mime).header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff');
  if (f.name) reply.header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.name)}`);
  return f.data;
}
