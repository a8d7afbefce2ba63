import type { Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { randomToken, sha256 } from '../../lib/pii.js';
import type { FlowRow, IdentityRepo } from './identity.repo.js';

/**
 * Multi-step flows hand the browser a token per step. `take` finds the flow only when it is at the
 * expected step, unexpired and unfinished, so calling a later step's API directly fails.
 */
export function createFlowTokens(deps: { repo: IdentityRepo; clock: Clock }) {
  const { repo, clock } = deps;
  return {
    async take(
      ex: Executor,
      kind: string,
      token: string,
      steps: readonly string[],
      invalid: 'RESET_STEP_INVALID' | 'REGISTRATION_EXPIRED',
    ): Promise<FlowRow> {
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
      const token = randomToken(24);
      await repo.updateFlow(ex, flow.id, { step, tokenHash: sha256(token), ...(data ? { data } : {}) });
      return token;
    },
    newToken() {
      const token = randomToken(24);
      return { token, hash: sha256(token) };
    },
  };
}
export type FlowTokens = ReturnType<typeof createFlowTokens>;
