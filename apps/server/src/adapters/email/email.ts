import { loadNodemailer, once } from '../../lib/lazy.js';
import type { Outbox } from '../../modules/outbox/outbox.repo.js';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

export class EmailSendError extends Error {}

/** E-mail port: one message at a time; callers go through the notify jobs so a failure is retried. */
export interface EmailSender {
  readonly name: string;
  send(message: EmailMessage): Promise<void>;
}

/**
 * Local mail: delivered into the demo outbox (subject and text; attachments named). Addresses ending in
 * `.invalid` are refused, as RFC 2606 reserves them, so the failure path can be exercised.
 */
export function createLocalEmail(deps: { outbox: Outbox }): EmailSender {
  return {
    name: 'local',
    async send(m) {
      if (m.to.toLowerCase().endsWith('.invalid')) throw new EmailSendError(`local mail: no such domain (${m.to})`);
      const names = (m.attachments ?? []).map((a) => a.filename).join('、');
      await deps.outbox.record({
        kind: 'email',
        to: m.to,
        purpose: m.subject,
        code: names ? `${m.text}\n附件：${names}` : m.text,
      });
    },
  };
}

/** SMTP (any provider: 腾讯企业邮, 阿里邮箱, a relay) via nodemailer; SMTP_URL carries host, port, TLS and login. */
export function createSmtpEmail(opts: { url: string; from: string }): EmailSender {
  // nodemailer (~70 ms to load) is loaded and the transport made with the first message, not at start (issue 22).
  const transport = once(async () => (await loadNodemailer()).createTransport(opts.url));
  return {
    name: 'smtp',
    async send(m) {
      const smtp = await transport();
      try {
        await smtp.sendMail({
          from: opts.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          attachments: m.attachments,
        });
      } catch (err) {
        throw new EmailSendError(`smtp: ${(err as Error).message}`);
      }
    },
  };
}
