import type { EmailSender } from '../../adapters/email/email.js';
import type { SmsNoticeTemplate, SmsSender } from '../../adapters/sms/sms.js';
import type { Executor } from '../../db/client.js';
import type { Pii } from '../../lib/pii.js';
import type { Jobs } from '../jobs/jobs.service.js';

/**
 * Notices to people (SMS, e-mail) leave through jobs enqueued in the caller's transaction: they go out exactly when
 * the change they announce is committed, and a gateway failure is retried instead of failing the change.
 * Phones and addresses are encrypted in the job payload (the jobs table is not a place for personal data).
 */
export function createNotifyService(deps: { jobs: Jobs; pii: Pii; sms: SmsSender; email: EmailSender }) {
  const { jobs, pii } = deps;

  jobs.register('notify.sms', async (p) => {
    const phone = pii.decrypt(p.phoneEnc as string);
    await deps.sms.notify(phone, {
      template: p.template as SmsNoticeTemplate,
      params: p.params as Record<string, string>,
    });
  });
  jobs.register('notify.email', async (p) => {
    await deps.email.send({
      to: pii.decrypt(p.toEnc as string),
      subject: p.subject as string,
      text: p.text as string,
    });
  });

  return {
    async sms(ex: Executor, phone: string, template: SmsNoticeTemplate, params: Record<string, string>) {
      await jobs.enqueue(ex, 'notify.sms', { phoneEnc: pii.encrypt(phone), template, params });
    },
    /** Phones already encrypted with the same key (e.g. stored rows): no decrypt/encrypt round trip per person. */
    async smsMany(
      ex: Executor,
      items: Array<{ phoneEnc: string; template: SmsNoticeTemplate; params: Record<string, string> }>,
    ) {
      await jobs.enqueueMany(ex, 'notify.sms', items);
    },
    async email(ex: Executor, to: string, subject: string, text: string) {
      await jobs.enqueue(ex, 'notify.email', { toEnc: pii.encrypt(to), subject, text });
    },
  };
}
export type NotifyService = ReturnType<typeof createNotifyService>;
