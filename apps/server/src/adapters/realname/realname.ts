import type { IdType } from '@cpe/shared';

/** 实名认证 (二要素: name + document number) port. */
export type RealnameResult = { ok: true } | { ok: false; reason: 'mismatch' };

export class RealnameUnavailableError extends Error {}

export interface RealnameVerifier {
  readonly name: string;
  /**
   * Whether the service can verify this 证件类型. One it cannot (a passport always; with a market API that checks
   * 身份证 only, the 居住证 and 永居证 too) is verified by staff instead: registration files a 人工实名审核.
   */
  supports(idType: IdType): boolean;
  verify(input: { realName: string; idType: IdType; idNumber: string }): Promise<RealnameResult>;
}
