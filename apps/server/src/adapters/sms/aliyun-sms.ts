import crypto from 'node:crypto';
import { type SmsMessage, type SmsNotice, SmsSendError, type SmsSender } from './sms.js';

export interface AliyunSmsConfig {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templateCode: string;
  /** Template codes of the notices, registered with Alibaba Cloud: { 'roster-account-created': 'SMS_…', … }. */
  noticeTemplates?: Record<string, string>;
  endpoint: string;
}

/** RFC 3986 encoding as Alibaba Cloud's RPC signature (v1, HMAC-SHA1) requires. */
function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Builds the signed query of a SendSms call; exported so a test can check the signature against the documented example. */
export function signAliyunRpc(params: Record<string, string>, secret: string, method = 'POST'): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k] as string)}`)
    .join('&');
  const toSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
  return crypto.createHmac('sha1', `${secret}&`).update(toSign).digest('base64');
}

/** Alibaba Cloud SMS (dysmsapi SendSms). Template variable: ${code}. */
export function createAliyunSms(config: AliyunSmsConfig, fetchImpl: typeof fetch = fetch): SmsSender {
  async function call(phone: string, templateCode: string, templateParam: Record<string, string>) {
    const params: Record<string, string> = {
      AccessKeyId: config.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      PhoneNumbers: phone,
      RegionId: 'cn-hangzhou',
      SignName: config.signName,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: crypto.randomUUID(),
      SignatureVersion: '1.0',
      TemplateCode: templateCode,
      TemplateParam: JSON.stringify(templateParam),
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
    };
    params.Signature = signAliyunRpc(params, config.accessKeySecret);
    let res: Response;
    try {
      res = await fetchImpl(config.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(8000),
      });
    } catch (err) {
      throw new SmsSendError(`aliyun sms unreachable: ${(err as Error).message}`);
    }
    const body = (await res.json().catch(() => ({}))) as { Code?: string; Message?: string };
    if (!res.ok || body.Code !== 'OK')
      throw new SmsSendError(`aliyun sms refused: ${body.Code ?? res.status} ${body.Message ?? ''}`);
  }

  return {
    name: 'aliyun',
    send: (phone: string, message: SmsMessage) => call(phone, config.templateCode, { code: message.code }),
    async notify(phone: string, notice: SmsNotice) {
      const code = config.noticeTemplates?.[notice.template];
      if (!code) throw new SmsSendError(`aliyun sms: no template code configured for ${notice.template}`);
      await call(phone, code, notice.params);
    },
  };
}
