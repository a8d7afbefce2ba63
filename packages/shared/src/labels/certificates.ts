/**
 * 合格证书 codes, labels and the seed's notes as every screen shows them. No zod here: 我的证书 and the console lists
 * import this module and load no validation code (schemas/certificates re-exports it).
 */

export const CERT_STATUSES = ['valid', 'revoked'] as const;
export type TCertStatus = (typeof CERT_STATUSES)[number];
export const CERT_STATUS_LABELS: Record<TCertStatus, string> = { valid: '有效', revoked: '已撤销' };

/** The kinds of certificate 证书查验 knows. */
export const CERT_KINDS = ['public', 'seminar', 'credit-proof'] as const;
export type TCertKind = (typeof CERT_KINDS)[number];
export const CERT_KIND_LABELS: Record<TCertKind, string> = {
  public: '公需科目合格证书',
  seminar: '高研班结业证书',
  'credit-proof': '学时证明',
};

/** The seed's 打印证书 notes, shown verbatim. */
export const CERT_PRINT_NOTE = '按照提示完善个人信息后即可打印合格证书。合格证已采用电子印章，无需加盖鲜章';
export const CERT_ORG_NOTE = '组织机构选择贵单位，若查找不到贵单位，请选择您档案所在区县';

/** What 打印证书 still needs before the PDF can be made. */
export const CERT_MISSING_FIELDS = ['organisation', 'realName', 'idNumber'] as const;
export type TCertMissingField = (typeof CERT_MISSING_FIELDS)[number];
export const CERT_MISSING_LABELS: Record<TCertMissingField, string> = {
  organisation: '组织机构',
  realName: '姓名',
  idNumber: '证件号码',
};

/**
 * The holder's name as the public page shows it: first and last character kept, the middle starred
 * (张*三, 欧**锋); two characters keep the first (张*).
 */
export function maskHolderName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
