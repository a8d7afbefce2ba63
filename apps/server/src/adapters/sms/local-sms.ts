import type { Outbox } from '../../modules/outbox/outbox.repo.js';
import { renderSmsNotice, type SmsMessage, type SmsNotice, SmsSendError, type SmsSender } from './sms.js';

/**
 * Local SMS gateway: delivers into the demo outbox instead of a phone. Like a real gateway it can
 * refuse: numbers listed in SMS_LOCAL_FAIL_PHONES fail, so the error path can be exercised.
 */
export function createLocalSms(deps: { outbox: Outbox; failPhones: Set<string> }): SmsSender {
  return {
    name: 'local',
    async send(phone: string, message: SmsMessage) {
      if (deps.failPhones.has(phone)) throw new SmsSendError('local gateway: delivery refused for this number');
      await deps.outbox.record({ kind: 'sms', to: phone, purpose: message.purpose, code: message.code });
    },
    async notify(phone: string, notice: SmsNotice) {
      if (deps.failPhones.has(phone)) throw new SmsSendError('local gateway: delivery refused for this number');
      await deps.outbox.record({ kind: 'sms', to: phone, purpose: notice.template, code: renderSmsNotice(notice) });
    },
  };
}
