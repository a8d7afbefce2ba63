import type { Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { sha256 } from '../../lib/pii.js';
import { scopedToken, scopeMismatch, type TokenScope } from '../../lib/scoped-token.js';
import type { FlowRow, IdentityRepo } from './identity.repo.js';

/** Registration and reset belong to 统一认证中心 on the public listener; the flow's kind is the token's purpose. */
const scopeOf = (kind: string): TokenScope => ({ listener: 'public', purpose: kind });

/**
 * Multi-step flows hand the browser a token per step. `take` finds the flow only when it is at the
 * expected step, unexpired and unfinished, so calling a later step's API directly fails. Tokens say which
 * flow they belong to (scoped-token.ts): a registration token sent to a reset step is refused as such.
 */
export function createFlowTokens(deps: { repo: IdentityRepo; clock: Clock }) {
  const { repo, clock } = deps;
  const issue = (kind: string) => {
    const token = scopedToken(scopeOf(kind), 24);
    return { token, hash: sha256(token) };
  };
  return {
    async take(
      ex: Executor,
      kind: string,
      token: string,
      steps: readonly string[],
      invalid: 'RESET_STEP_INVALID' | 'REGISTRATION_EXPIRED',
    ): Promise<FlowRow> {
      const mismatch = scopeMismatch(token, scopeOf(kind));
      if (mismatch) throw new AppError(mismatch);
      const flow = await repo.flowByTokenForUpdate(ex, kind, sha256(token));
      if (
        !flow ||
        flow.completedAt ||
        flow.expiresAt.getTime() <= clock.now().getTime() ||
        !steps.includes(flow.step)
      ) {
        throw new AppError(invalid);
      }
      return flow;
    },
    /** Moves the flow on and replaces its token: the old token is spent. */
    async advance(ex: Executor, flow: FlowRow, step: string, data?: Record<string, unknown>): Promise<string> {
      const { token, hash } = issue(flow.kind);
      await repo.updateFlow(ex, flow.id, { step, tokenHash: hash, ...(data ? { data } : {}) });
      return token;
    },
    newToken(kind: 'registration' | 'reset') {
      return issue(kind);
    },
  };
}
export type FlowTokens = ReturnType<typeof createFlowTokens>;
