import type { IdType } from '@cpe/shared';
import { type RealnameResult, RealnameUnavailableError, type RealnameVerifier } from './realname.js';

/**
 * A market 二要素 service of the common shape (Alibaba Cloud API market): POST form `idcard`, `name`
 * with `Authorization: APPCODE …`; answers `{ code: 0, result: { res: '1' | '2' } }` (1 一致, 2 不一致).
 * Services that also check 居住证 / 永居证 take the document type as a form field; `types` maps each 证件类型 the
 * contracted service verifies to the value it expects (REALNAME_HTTP_TYPES); a type not in it is not sent and
 * goes to staff review.
 */
export function createHttpRealname(
  opts: { url: string; appCode: string; types?: Partial<Record<IdType, string>> },
  fetchImpl: typeof fetch = fetch,
): RealnameVerifier {
  const types: Partial<Record<IdType, string>> = opts.types ?? { idCard: '' };
  return {
    name: 'http',
    supports: (idType) => types[idType] !== undefined,
    async verify({ realName, idType, idNumber }): Promise<RealnameResult> {
      const typeValue = types[idType];
      if (typeValue === undefined) throw new Error(`http realname is not contracted for ${idType}`);
      const form = new URLSearchParams({ idcard: idNumber, name: realName });
      if (typeValue !== '') form.set('type', typeValue);
      let res: Response;
      try {
        res = await fetchImpl(opts.url, {
          method: 'POST',
          headers: { authorization: `APPCODE ${opts.appCode}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
          signal: AbortSignal.timeout(8000),
        });
      } catch (err) {
        throw new RealnameUnavailableError(`realname provider unreachable: ${(err as Error).message}`);
      }
      const body = (await res.json().catch(() => null)) as { code?: number; result?: { res?: string } } | null;
      if (!res.ok || !body || body.code !== 0)
        throw new RealnameUnavailableError(`realname provider error ${res.status}`);
      if (body.result?.res === '1') return { ok: true };
      if (body.result?.res === '2') return { ok: false, reason: 'mismatch' };
      throw new RealnameUnavailableError('realname provider: no result');
    },
  };
}
