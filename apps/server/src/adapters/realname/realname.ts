/** 实名认证 (二要素: name + ID number) port. */
export type RealnameResult = { ok: true } | { ok: false; reason: 'mismatch' };

export class RealnameUnavailableError extends Error {}

export interface RealnameVerifier {
  readonly name: string;
  verify(input: { realName: string; idNumber: string }): Promise<RealnameResult>;
}
