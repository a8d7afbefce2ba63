import type { EmailSender } from '../../adapters/email/email.js';
import type { SmsNoticeTemplate, SmsSender } from '../../adapters/sms/sms.js';
import type { Executor } from '../../db/client.js';
import type { Pii } from '../../lib/pii.js';
import type { Jobs } from '../jobs/jobs.service.js';

/**
 * Notices to people (SMS, e-mail) leave through jobs enqueued in the caller's transaction: they go out exactly when
 * the change they announce is committed, and a gateway failure is retried instead of failing the change.
 * Phones, addresses, parameters (names, a temporary password) and texts are encrypted in the job payload: the jobs
 * table is not a place for personal data or secrets; only the template name stays readable for operations.
 */
export function createNotifyService(deps: { jobs: Jobs; pii: Pii; sms: SmsSender; email: EmailSender }) {
  const { jobs, pii } = deps;

  jobs.register('notify.sms', async (p) => {
    const phone = pii.decrypt(p.phoneEnc as string);
    await deps.sms.notify(phone, {
      template: p.template as SmsNoticeTemplate,
      params: JSON.parse(pii.decrypt(p.paramsEnc as string)) as Record<string, string>,
    });
  });
  jobs.register('notify.email', async (p) => {
    await deps.email.send({
      to: pii.decrypt(p.toEnc as string),
      subject: pii.decrypt(p.subjectEnc as string),
      text: pii.decrypt(p.textEnc as string),
    });
  });

  return {
    async sms(ex: Executor, phone: string, template: SmsNoticeTemplate, params: Record<string, string>) {
      await jobs.enqueue(ex, 'notify.sms', {
        phoneEnc: pii.encrypt(phone),
        template,
        paramsEnc: pii.encrypt(JSON.stringify(params)),
      });
    },
    /** Phones already encrypted with the same key (e.g. stored rows): no decrypt/encrypt round trip per person. */
    async smsMany(
      ex: Executor,
      items: Array<{ phoneEnc: string; template: SmsNoticeTemplate; params: Record<string, string> }>,
    ) {
      await jobs.enqueueMany(
        ex,
        'notify.sms',
        items.map((i) => ({
          phoneEnc: i.phoneEnc,
          template: i.template,
          paramsEnc: pii.encrypt(JSON.stringify(i.params)),
        })),
      );
    },
    async email(ex: Executor, to: string, subject: string, text: string) {
      await jobs.enqueue(ex, 'notify.email', {
        toEnc: pii.encrypt(to),
        subjectEnc: pii.encrypt(subject),
        textEnc: pii.encrypt(text),
      });
    },
  };
}
export type NotifyService = ReturnType<typeof createNotifyService>;
