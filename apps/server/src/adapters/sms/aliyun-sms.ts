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

const ALGORITHM = 'ACS3-HMAC-SHA256';

/**
 * RFC 3986 encoding as the V3 canonical query needs it: what Alibaba Cloud's gateway computes on its side
 * (Java's URLEncoder with `+` → %20, `*` → %2A, %7E → ~), so `!'()*` are encoded and `~` is not.
 */
function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256Hex = (data: string) => crypto.createHash('sha256').update(data, 'utf8').digest('hex');

/** The query string as signed and as sent: parameters sorted by name, names and values encoded. */
export function canonicalQuery(query: Record<string, string>): string {
  return Object.keys(query)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(query[k] as string)}`)
    .join('&');
}

export interface AcsRequest {
  method: string;
  /** Host (and port, when not the default) the request goes to: it is a signed header. */
  host: string;
  path?: string;
  query: Record<string, string>;
  /** x-acs-action, x-acs-version, x-acs-date, x-acs-signature-nonce (and content-type with a body). */
  headers: Record<string, string>;
  body?: string;
}

/**
 * Alibaba Cloud's V3 request signature (ACS3-HMAC-SHA256), which replaces the retired RPC HMAC-SHA1 one:
 * CanonicalRequest = method, URI, canonical query, canonical headers (host, content-type, x-acs-*: lower-case,
 * sorted, `name:value`), signed header names, hex SHA-256 of the body; StringToSign = algorithm and the hex SHA-256
 * of the canonical request; Signature = hex HMAC-SHA256 under the AccessKey secret. Returns every header to send.
 */
export function signAcs3(
  req: AcsRequest,
  accessKeyId: string,
  accessKeySecret: string,
): { headers: Record<string, string>; canonicalRequest: string; stringToSign: string } {
  const payloadHash = sha256Hex(req.body ?? '');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  headers.host = req.host;
  headers['x-acs-content-sha256'] = payloadHash;
  const signed = Object.keys(headers)
    .filter((k) => k === 'host' || k === 'content-type' || k.startsWith('x-acs-'))
    .sort();
  const canonicalRequest = [
    req.method.toUpperCase(),
    req.path ?? '/',
    canonicalQuery(req.query),
    ...signed.map((k) => `${k}:${(headers[k] as string).trim()}`),
    '',
    signed.join(';'),
    payloadHash,
  ].join('\n');
  const stringToSign = `${ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
  const signature = crypto.createHmac('sha256', accessKeySecret).update(stringToSign, 'utf8').digest('hex');
  headers.authorization = `${ALGORITHM} Credential=${accessKeyId},SignedHeaders=${signed.join(';')},Signature=${signature}`;
  return { headers, canonicalRequest, stringToSign };
}

/** Alibaba Cloud SMS (dysmsapi 2017-05-25 SendSms), signed with V3. Template variable: ${code}. */
export function createAliyunSms(config: AliyunSmsConfig, fetchImpl: typeof fetch = fetch): SmsSender {
  async function call(phone: string, templateCode: string, templateParam: Record<string, string>) {
    const url = new URL(config.endpoint);
    // RPC-style API: the parameters travel in the query string, the body is empty (as the official SDK sends it).
    const query: Record<string, string> = {
      PhoneNumbers: phone,
      SignName: config.signName,
      TemplateCode: templateCode,
      TemplateParam: JSON.stringify(templateParam),
    };
    const { headers } = signAcs3(
      {
        method: 'POST',
        host: url.host,
        path: url.pathname || '/',
        query,
        headers: {
          'x-acs-action': 'SendSms',
          'x-acs-version': '2017-05-25',
          'x-acs-date': new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
          'x-acs-signature-nonce': crypto.randomUUID(),
        },
      },
      config.accessKeyId,
      config.accessKeySecret,
    );
    // fetch sets Host itself, from the same URL.
    const sent = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'host'));
    let res: Response;
    try {
      res = await fetchImpl(`${url.origin}${url.pathname || '/'}?${canonicalQuery(query)}`, {
        method: 'POST',
        headers: sent,
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
