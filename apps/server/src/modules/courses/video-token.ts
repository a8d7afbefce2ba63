import crypto from 'node:crypto';
import type { Clock } from '../../lib/clock.js';

/** What a signed video URL grants: one file, to one learner, through one enrolment, until `exp` (ms). */
export interface VideoClaim {
  fileId: string;
  accountId: string;
  enrollmentId: string;
  exp: number;
}

/**
 * Short-lived signed video URLs (`/media/videos/<token>`). The token is HMAC-signed so the media route needs no
 * database read to refuse a forged or expired one; the route still checks that the enrolment exists and that the
 * signed-in learner is the one the token names (a copied URL is useless to anyone else).
 */
export function createVideoTokens(opts: { secret: string; clock: Clock; ttlMs?: number }) {
  const key = crypto.createHmac('sha256', opts.secret).update('cpe/video-url/v1').digest();
  const ttlMs = opts.ttlMs ?? 15 * 60_000;
  const mac = (body: string) => crypto.createHmac('sha256', key).update(body).digest('base64url');

  return {
    ttlMs,
    sign(claim: Omit<VideoClaim, 'exp'>): { token: string; url: string; expiresAt: Date } {
      const exp = opts.clock.now().getTime() + ttlMs;
      const body = Buffer.from(JSON.stringify({ ...claim, exp })).toString('base64url');
      const token = `${body}.${mac(body)}`;
      return { token, url: `/media/videos/${token}`, expiresAt: new Date(exp) };
    },
    /** The claim, or null when the token is malformed, forged or expired. */
    verify(token: string): VideoClaim | null {
      const [body, sig, extra] = token.split('.');
      if (!body || !sig || extra !== undefined) return null;
      const expected = Buffer.from(mac(body));
      const given = Buffer.from(sig);
      if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return null;
      try {
        const claim = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as VideoClaim;
        if (typeof claim.exp !== 'number' || claim.exp <= opts.clock.now().getTime()) return null;
        return claim;
      } catch {
        return null;
      }
    },
  };
}
export type VideoTokens = ReturnType<typeof createVideoTokens>;
