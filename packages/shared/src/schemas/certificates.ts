/** 合格证书: numbers, statuses, the 打印证书 organisation choice, the public 证书查验 answer, 证书管理. */
import { z } from 'zod';
import { CERT_KINDS, CERT_MISSING_FIELDS, CERT_STATUSES } from '../labels/certificates.js';

// Codes, labels and notes live in a module without zod (我的证书 shows them without loading validation code).
export * from '../labels/certificates.js';

/** 证书编号: GX + the plan's year + 8 digits, e.g. GX202600012345. */
export const CERT_NO_PATTERN = /^GX\d{4}\d{8}$/;
/** 证书查验 also answers for 高研班结业证书 (GYB + year + 6 digits, numbered by 市人社局) and 学时证明 (XS + 12 digits). */
export const VERIFIABLE_CERT_NO_PATTERN = /^(GX\d{12}|GYB\d{10}|XS\d{12})$/;
/** 学时证明: XS + year of issue + 8 random digits. */
export const CREDIT_PROOF_NO_PATTERN = /^XS\d{12}$/;
export const CREDIT_PROOF_PREFIX = 'XS';
export const zCertNo = z
  .string('请输入证书编号')
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(
    z
      .string()
      .regex(
        VERIFIABLE_CERT_NO_PATTERN,
        '证书编号格式不正确，应为GX加12位数字，高研班结业证书的GYB加10位数字，或学时证明的XS加12位数字',
      ),
  );

export const ZCertificate = z.object({
  id: z.string(),
  certNo: z.string(),
  planId: z.string(),
  planName: z.string(),
  year: z.number().int(),
  hours: z.number().int(),
  holderName: z.string(),
  idNumberMasked: z.string(),
  issuedAt: z.string(),
  /** 组织机构 as printed; null until chosen at 打印证书. */
  orgName: z.string().nullable(),
  orgKind: z.enum(['unit', 'district']).nullable(),
  status: z.enum(CERT_STATUSES),
  revokedAt: z.string().nullable(),
  /** True while 打印证书 still needs 组织机构 or profile data. */
  needsProfile: z.boolean(),
  missing: z.array(z.enum(CERT_MISSING_FIELDS)),
});
export type TCertificate = z.infer<typeof ZCertificate>;
export const ZCertificateList = z.object({ items: z.array(ZCertificate) });
export type TCertificateList = z.infer<typeof ZCertificateList>;

export const ZCertificateOrganisation = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('unit'), unitId: z.uuid('请选择您的单位') }),
    z.object({ kind: z.literal('district'), orgNodeId: z.uuid('请选择您档案所在区县') }),
  ],
  { error: '请选择组织机构：贵单位或档案所在区县' },
);
export type TCertificateOrganisation = z.infer<typeof ZCertificateOrganisation>;

export const ZCertUnitSearchQuery = z.object({
  q: z.string('请输入单位名称').trim().min(2, '单位名称至少输入2个字').max(50, '单位名称最多50个字'),
});
export const ZCertUnitSearchResult = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type TCertUnitSearchResult = z.infer<typeof ZCertUnitSearchResult>;

export const ZCertVerifyParams = z.object({ certNo: zCertNo });
export const ZCertVerification = z.object({
  kind: z.enum(CERT_KINDS),
  kindLabel: z.string(),
  certNo: z.string(),
  holderNameMasked: z.string(),
  planName: z.string(),
  year: z.number().int(),
  hours: z.number().int(),
  issuedAt: z.string(),
  orgName: z.string().nullable(),
  status: z.enum(CERT_STATUSES),
  revokedAt: z.string().nullable(),
  /** 高研班结业证书: 开班日期 and 结业日期. */
  heldFrom: z.string().optional(),
  heldTo: z.string().optional(),
  /** 学时证明: the first year of its range (year is the last), the split and whether every year was 达标. */
  yearFrom: z.number().int().optional(),
  publicHours: z.number().int().optional(),
  professionalHours: z.number().int().optional(),
  met: z.boolean().optional(),
});
export type TCertVerification = z.infer<typeof ZCertVerification>;

export const ZAdminCertificateQuery = z.object({
  /** 证书编号 (exact or prefix). */
  certNo: z.string().trim().toUpperCase().max(14, '证书编号最多14个字符').optional(),
  /** 姓名 (contains). */
  name: z.string().trim().max(30, '姓名最多30个字符').optional(),
  /** 学习计划名称 (contains). */
  plan: z.string().trim().max(60, '学习计划名称最多60个字符').optional(),
  year: z.coerce.number('年度应为数字').int('年度应为整数').min(2000, '年度无效').max(2100, '年度无效').optional(),
  status: z.enum(CERT_STATUSES).optional(),
  page: z.coerce.number().int().min(1, '页码须为正整数').default(1),
  pageSize: z.coerce.number().int().min(1).max(100, '每页最多100条').default(20),
});
export type TAdminCertificateQuery = z.infer<typeof ZAdminCertificateQuery>;

export const ZAdminCertificate = z.object({
  id: z.string(),
  certNo: z.string(),
  holderName: z.string(),
  idNumberMasked: z.string(),
  planName: z.string(),
  year: z.number().int(),
  hours: z.number().int(),
  issuedAt: z.string(),
  orgName: z.string().nullable(),
  status: z.enum(CERT_STATUSES),
  revokedAt: z.string().nullable(),
  revokeReason: z.string().nullable(),
  pdfReady: z.boolean(),
});
export type TAdminCertificate = z.infer<typeof ZAdminCertificate>;
export const ZAdminCertificateList = z.object({
  items: z.array(ZAdminCertificate),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type TAdminCertificateList = z.infer<typeof ZAdminCertificateList>;

export const ZCertificateRevoke = z.object({
  reason: z.string('请填写撤销原因').trim().min(2, '撤销原因至少2个字').max(200, '撤销原因最多200个字'),
});
export type TCertificateRevoke = z.infer<typeof ZCertificateRevoke>;
