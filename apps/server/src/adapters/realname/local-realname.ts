import { validateIdNumber } from '@cpe/shared';
import { type RealnameResult, RealnameUnavailableError, type RealnameVerifier } from './realname.js';

/**
 * Local 二要素 check: a checksum-valid number that is not on the deny list passes. The deny list holds
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
    async verify({ realName, idNumber }): Promise<RealnameResult> {
      if (opts.failMode === 'unavailable') throw new RealnameUnavailableError('local realname: configured outage');
      if (opts.failMode === 'mismatch') return { ok: false, reason: 'mismatch' };
      const id = idNumber.toUpperCase();
      if (validateIdNumber(id) !== null) return { ok: false, reason: 'mismatch' };
      if (deny.has(id) || deny.has(`${realName}:${id}`.toUpperCase())) return { ok: false, reason: 'mismatch' };
      return { ok: true };
    },
  };
}
