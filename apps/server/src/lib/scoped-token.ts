import { randomToken } from './pii.js';

/** Where a one-time token may be spent: the listener that made it and the one use it was made for. */
export interface TokenScope {
  listener: 'public' | 'staff';
  purpose: string;
}

/**
 * `<listener>.<purpose>.<random>`. The scope is written into the token itself, and the token (or its hash) is
 * what the database looks up, so editing the prefix only yields a token nobody issued: binding needs no column.
 * The readable prefix lets a token spent in the wrong place be refused with an error that says why.
 */
export function scopedToken(scope: TokenScope, bytes: number): string {
  return `${scope.listener}.${scope.purpose}.${randomToken(bytes)}`;
}

/**
 * The error for a token made for another listener or another purpose; null when the prefix matches or the token
 * has no readable scope at all (then the lookup fails and the caller answers as for an expired token).
 */
export function scopeMismatch(
  token: string,
  expected: TokenScope,
): 'TOKEN_WRONG_LISTENER' | 'TOKEN_WRONG_PURPOSE' | null {
  const [listener, purpose, rest] = token.split('.', 3);
  if (!rest || (listener !== 'public' && listener !== 'staff')) return null;
  if (listener !== expected.listener) return 'TOKEN_WRONG_LISTENER';
  if (purpose !== expected.purpose) return 'TOKEN_WRONG_PURPOSE';
  return null;
}
