import type { SmsNoticeTemplate } from '../../adapters/sms/sms.js';

/**
 * Every 消息中心 event in one place: the message's title and body (Chinese, `{param}` filled from the event's
 * parameters) and the SMS template that goes out for the same event, where one is sent. A module names the event and
 * gives the parameters and the link; it never writes the text itself.
 */
export interface MessageTemplate {
  title: string;
  body: string;
  /** The SMS for the same event (sent to the account's bound phone), if the event has one. */
  sms?: SmsNoticeTemplate;
}

export const MESSAGE_TEMPLATES = {
  // 单位注册 / 单位信息修改 / 变更管理员 (kind: UNIT_APPLICATION_KIND_LABELS), to the applying administrator.
  'unit-application-approved': {
    title: '{kind}审核已通过',
    body: '您提交的{kind}申请（{unitName}）已审核通过。',
  },
  'unit-application-rejected': {
    title: '{kind}审核未通过',
    body: '您提交的{kind}申请（{unitName}）未通过审核，原因：{reason}。请根据审核意见修改后重新提交。',
  },
  // 申报书 filed by a unit's administrator in 单位中心.
  'application-returned': {
    title: '{typeLabel}已退回修改',
    body: '您的{typeLabel}（{projectName}）已被{reviewerName}退回修改，请于{deadline}前按修改意见修改后重新提交。',
  },
  'application-approved': {
    title: '{typeLabel}审核已通过',
    body: '您的{typeLabel}（{projectName}）已审核通过。',
  },
  'application-rejected': {
    title: '{typeLabel}审核未通过',
    body: '您的{typeLabel}（{projectName}）未予通过，原因：{reason}。',
  },
  'makeup-approved': {
    title: '补学申请已通过',
    body: '您的{year}年度公需科目补学申请已审核通过，可以在“我的学习”中开始学习。',
  },
  'makeup-rejected': {
    title: '补学申请未通过',
    body: '您的{year}年度公需科目补学申请未通过审核，原因：{reason}。',
  },
  'invoice-issued': {
    title: '电子发票已开具',
    body: '您的订单（{orderNo}）的电子发票已开具，发票号码{invoiceNo}，抬头“{invoiceTitle}”，可在“我的发票”中下载。',
  },
  'certificate-issued': {
    title: '合格证书已生成',
    body: '您已完成“{planName}”的学习，合格证书（编号{certNo}）已生成，可在“我的证书”中查看和下载。',
  },
  'roster-import-done': {
    title: '学员注册名单导入完成',
    body: '学员注册名单“{fileName}”已导入完成：新建账号{created}人，已注册{existing}人，未通过校验{invalid}人。',
  },
  'ticket-replied': {
    title: '您的咨询已有回复',
    body: '您的咨询“{subject}”（{ticketNo}）已有客服回复，点击查看。',
    sms: 'ticket-replied',
  },
  // 工作单位 (unit_members): the unit administrator's decision, to the person.
  'work-unit-confirmed': {
    title: '工作单位已确认',
    body: '{unitName}已确认您为本单位人员，您的学时档案可由单位查看和审核。',
  },
  'work-unit-declined': {
    title: '工作单位申请未通过',
    body: '{unitName}未确认您的加入申请，原因：{reason}。',
  },
  'work-unit-removed': {
    title: '您已被移出工作单位',
    body: '{unitName}已将您移出本单位人员，原因：{reason}。如有疑问请联系单位。',
  },
  // 学时登记 (credit_entries, source claim): each decision, to the person who filed it.
  'credit-claim-unit-confirmed': {
    title: '学时登记已经单位确认',
    body: '您登记的“{title}”（{hours}学时）已经{unitName}确认，等待{bureauName}认定。',
  },
  'credit-claim-recognised': {
    title: '学时登记已认定',
    body: '您登记的“{title}”（{hours}学时）已认定，已计入{year}年度学时档案。',
  },
  'credit-claim-returned': {
    title: '学时登记未予认定',
    body: '您登记的“{title}”被{by}退回（不予认定），原因：{reason}。可修改后重新提交。',
  },
  // 单位中心 → 学时统计: the unit's reminder to members below the year's target.
  'credit-reminder': {
    title: '{year}年度继续教育学时提醒',
    body: '{unitName}提醒：您{year}年度已认定学时{hours}学时（其中专业科目{professionalHours}学时），尚未达到每年90学时（专业科目不少于60学时）的要求，请及时参加学习并登记学时。',
    sms: 'credit-reminder',
  },
} as const satisfies Record<string, MessageTemplate>;

export type MessageEvent = keyof typeof MESSAGE_TEMPLATES;

const fill = (text: string, params: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '');

/** The title and body an event's message shows with its parameters. */
export function renderMessage(event: MessageEvent, params: Record<string, string>) {
  const t: MessageTemplate = MESSAGE_TEMPLATES[event];
  return { title: fill(t.title, params).slice(0, 200), body: fill(t.body, params).slice(0, 2000), sms: t.sms };
}

/** 单位中心 menu key of each application type (the portal's `unit-center/<key>/<id>` page). */
export const APPLICATION_MENU_KEYS: Record<string, string> = {
  'plan-change': 'plan-changes',
  'education-base': 'education-base-apply',
  'class-plan': 'class-plans',
  completion: 'completions',
  'engineer-base': 'engineer-base-apply',
  'advanced-seminar': 'advanced-seminars',
};
