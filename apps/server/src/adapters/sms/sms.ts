/** SMS port. The message is a template with parameters, as real Chinese SMS gateways require. */
export interface SmsMessage {
  purpose: string;
  code: string;
}

/**
 * Notices (no code): each template is registered with the gateway beforehand; only its parameters travel.
 * The texts here are what the local gateway shows and what the registered templates must say.
 */
export const SMS_NOTICE_TEMPLATES = {
  'roster-account-created':
    '{name}您好，{unit}已为您开通继续教育平台账号：用户名为您的身份证号，初始密码为edu@加身份证号后六位，首次登录须修改密码。',
  'password-reset-by-staff': '{name}您好，您的继续教育平台登录密码已由管理员重置为{password}，请尽快登录并修改密码。',
  'account-unlocked': '{name}您好，您的继续教育平台账号已解除锁定，可以重新登录。',
  'ticket-replied': '您的咨询（{ticketNo}）已有回复，请登录继续教育平台“我的咨询”查看。',
  'realname-approved': '{name}您好，您的人工实名审核已通过，现在可以登录继续教育平台购买公需科目并开始学习。',
  'realname-rejected': '{name}您好，您的人工实名审核未通过，请登录继续教育平台“个人中心”查看原因并重新提交。',
  'base-expiring':
    '{unit}：贵单位的{kind}（编号{number}）有效期至{validTo}，即将到期，请及时登录继续教育平台单位中心重新申报。',
  'credit-reminder':
    '{unitName}提醒：您{year}年度已认定继续教育学时{hours}学时，尚未达到90学时（专业科目不少于60学时）的要求，请登录继续教育平台查看学时档案。',
} as const;
export type SmsNoticeTemplate = keyof typeof SMS_NOTICE_TEMPLATES;

export interface SmsNotice {
  template: SmsNoticeTemplate;
  params: Record<string, string>;
}

/** The text a template produces with its parameters (local gateway, logs, tests). */
export function renderSmsNotice(notice: SmsNotice): string {
  return SMS_NOTICE_TEMPLATES[notice.template].replace(/\{(\w+)\}/g, (_, k: string) => notice.params[k] ?? '');
}

export class SmsSendError extends Error {}

export interface SmsSender {
  readonly name: string;
  send(phone: string, message: SmsMessage): Promise<void>;
  notify(phone: string, notice: SmsNotice): Promise<void>;
}
