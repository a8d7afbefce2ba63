import { ONLINE_VERIFIED_ID_TYPES, validateIdDocument } from '@cpe/shared';
import { type RealnameResult, RealnameUnavailableError, type RealnameVerifier } from './realname.js';

/**
 * Local 二要素 check, for every 证件类型 a national service verifies (身份证, 居住证, 永居证; not passports): a valid number that is not on the deny list passes. The deny list holds
 * ID numbers or `姓名:身份证号` pairs (REALNAME_DENY_LIST); REALNAME_FAIL_MODE forces a mismatch or an
 * outage so those paths can be seen and tested.
 */
export function createLocalRealname(opts: {
  denyList: string[];
  failMode: 'none' | 'mismatch' | 'unavailable';
}): RealnameVerifier {
  const deny = new Set(opts.denyList);
  return {
    name: 'local',
    supports: (idType) => ONLINE_VERIFIED_ID_TYPES.has(idType),
    async verify({ realName, idType, idNumber }): Promise<RealnameResult> {
      if (!ONLINE_VERIFIED_ID_TYPES.has(idType)) throw new Error(`local realname cannot verify ${idType}`);
      if (opts.failMode === 'unavailable') throw new RealnameUnavailableError('local realname: configured outage');
      if (opts.failMode === 'mismatch') return { ok: false, reason: 'mismatch' };
      const id = idNumber.toUpperCase();
      if (validateIdDocument(idType, id) !== null) return { ok: false, reason: 'mismatch' };
      if (deny.has(id) || deny.has(`${realName}:${id}`.toUpperCase())) return { ok: false, reason: 'mismatch' };
      return { ok: true };
    },
  };
}
