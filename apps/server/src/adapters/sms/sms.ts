/** SMS port. The message is a template with parameters, as real Chinese SMS gateways require. */
export interface SmsMessage {
  purpose: string;
  code: string;
}

export class SmsSendError extends Error {}

export interface SmsSender {
  readonly name: string;
  send(phone: string, message: SmsMessage): Promise<void>;
}
