import { type RealnameResult, RealnameUnavailableError, type RealnameVerifier } from './realname.js';

/**
 * A market 二要素 service of the common shape (Alibaba Cloud API market): POST form `idcard`, `name`
 * with `Authorization: APPCODE …`; answers `{ code: 0, result: { res: '1' | '2' } }` (1 一致, 2 不一致).
 */
export function createHttpRealname(
  opts: { url: string; appCode: string },
  fetchImpl: typeof fetch = fetch,
): RealnameVerifier {
  return {
    name: 'http',
    async verify({ realName, idNumber }): Promise<RealnameResult> {
      let res: Response;
      try {
        res = await fetchImpl(opts.url, {
          method: 'POST',
          headers: { authorization: `APPCODE ${opts.appCode}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ idcard: idNumber, name: realName }).toString(),
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
