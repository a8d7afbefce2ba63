import { describe, expect, it } from 'vitest';
import { afterFailure, CLEARED, lockMinutesLeft } from './lockout.js';

describe('login lockout', () => {
  it('locks for 15 minutes at the fifth failure inside 15 minutes', () => {
    let state = { ...CLEARED };
    const t0 = new Date('2026-01-01T00:00:00Z');
    for (let i = 1; i <= 4; i++) {
      const next = afterFailure(state, new Date(t0.getTime() + i * 60_000));
      expect(next.locked).toBe(false);
      state = next;
    }
    const fifth = afterFailure(state, new Date(t0.getTime() + 5 * 60_000));
    expect(fifth.locked).toBe(true);
    expect(lockMinutesLeft(fifth, new Date(t0.getTime() + 5 * 60_000))).toBe(15);
    expect(lockMinutesLeft(fifth, new Date(t0.getTime() + 20 * 60_000))).toBe(0);
  });

  it('starts counting again after the window', () => {
    let state = { ...CLEARED };
    const t0 = new Date('2026-01-01T00:00:00Z');
    for (let i = 0; i < 4; i++) state = afterFailure(state, t0);
    const later = afterFailure(state, new Date(t0.getTime() + 16 * 60_000));
    expect(later.locked).toBe(false);
    expect(later.failedLoginCount).toBe(1);
  });
});
