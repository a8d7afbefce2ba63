import type { EmailSender } from '../../adapters/email/email.js';
import { SMS_NOTICE_TEMPLATES, type SmsNoticeTemplate, type SmsSender } from '../../adapters/sms/sms.js';
import type { Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Pii } from '../../lib/pii.js';
import type { Jobs } from '../jobs/jobs.service.js';
import type { MessagesRepo } from './messages.repo.js';
import { type MessageEvent, renderMessage } from './templates.js';

/** A result a person waits for: the message (消息中心) and, where the event has one, its SMS. */
export interface NotifyEvent {
  /** The portal account that receives it (a learner or a unit's administrator; staff have no portal messages). */
  accountId: string;
  event: MessageEvent;
  params: Record<string, string>;
  /** The portal path where the result is seen. */
  link: string | null;
}

/**
 * Notices to people (SMS, e-mail) leave through jobs enqueued in the caller's transaction: they go out exactly when
 * the change they announce is committed, and a gateway failure is retried instead of failing the change.
 * Phones, addresses, parameters (names, a temporary password) and texts are encrypted in the job payload: the jobs
 * table is not a place for personal data or secrets; only the template name stays readable for operations.
 *
 * `event` is the one way a module announces a result (消息中心 + the same event's SMS), with texts from templates.ts.
 */
export function createNotifyService(deps: {
  jobs: Jobs;
  pii: Pii;
  sms: SmsSender;
  email: EmailSender;
  clock: Clock;
  messages: MessagesRepo;
  /** The account's bound phone, encrypted (null: none, no SMS). */
  phoneEncOf: (ex: Executor, accountId: string) => Promise<string | null>;
}) {
  const { jobs, pii, clock } = deps;

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
    /**
     * Writes the message in the caller's transaction (it exists exactly when the change commits) and enqueues the
     * event's SMS, if it has one and the account has a phone.
     */
    async event(ex: Executor, e: NotifyEvent) {
      const { title, body, sms } = renderMessage(e.event, e.params);
      await deps.messages.insert(ex, {
        accountId: e.accountId,
        event: e.event,
        title,
        body,
        link: e.link,
        params: e.params,
        createdAt: clock.now(),
      });
      if (!sms) return;
      const phoneEnc = await deps.phoneEncOf(ex, e.accountId);
      if (!phoneEnc) return;
      // Only the parameters the registered template names: a real gateway refuses unknown ones.
      const used = [...SMS_NOTICE_TEMPLATES[sms].matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
      const params = Object.fromEntries(used.map((k) => [k, e.params[k] ?? '']));
      await jobs.enqueue(ex, 'notify.sms', { phoneEnc, template: sms, paramsEnc: pii.encrypt(JSON.stringify(params)) });
    },
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
