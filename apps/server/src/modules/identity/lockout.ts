import type { LoginFailureState } from './identity.repo.js';

export const LOCK_AFTER_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;

/** Minutes left on a lock, rounded up, or 0 when not locked. */
export function lockMinutesLeft(state: LoginFailureState, now: Date): number {
  if (!state.lockedUntil || state.lockedUntil.getTime() <= now.getTime()) return 0;
  return Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 60_000);
}

/** 5 wrong passwords within 15 minutes lock the account for 15 minutes. */
export function afterFailure(state: LoginFailureState, now: Date): LoginFailureState & { locked: boolean } {
  const inWindow =
    state.failedLoginWindowStart !== null && now.getTime() - state.failedLoginWindowStart.getTime() < FAILURE_WINDOW_MS;
  const count = inWindow ? state.failedLoginCount + 1 : 1;
  if (count >= LOCK_AFTER_FAILURES) {
    return {
      failedLoginCount: 0,
      failedLoginWindowStart: null,
      lockedUntil: new Date(now.getTime() + LOCK_MS),
      locked: true,
    };
  }
  return {
    failedLoginCount: count,
    failedLoginWindowStart: inWindow ? state.failedLoginWindowStart : now,
    lockedUntil: null,
    locked: false,
  };
}

export const CLEARED: LoginFailureState = { failedLoginCount: 0, failedLoginWindowStart: null, lockedUntil: null };

export function lockedMessage(minutes: number): string {
  return `密码错误次数过多，账号已锁定，请${minutes}分钟后再试或通过“忘记密码”重置`;
}
