import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { sha256 } from '../../lib/pii.js';
import { scopedToken, scopeMismatch, type TokenScope } from '../../lib/scoped-token.js';
import type { Outbox } from '../outbox/outbox.repo.js';
import type { CaptchaRepo } from './captcha.repo.js';
import { randomCaptchaText, renderSliderPuzzle, renderTextCaptcha } from './captcha-images.js';

export const CAPTCHA_TTL_MS = 5 * 60_000;
export const SLIDER_TOKEN_TTL_MS = 2 * 60_000;
export const SLIDER_TOLERANCE_PX = 5;
export const SLIDER_MAX_FAILURES = 5;

const dataUrl = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;

type Listener = TokenScope['listener'];

/**
 * Captcha ids and slider tokens carry the listener that made them and what they are for (scoped-token.ts): a
 * slider solved on the portal does not open the staff console, and a slider id is no image captcha.
 */
const scopes = {
  image: (listener: Listener): TokenScope => ({ listener, purpose: 'image' }),
  slider: (listener: Listener): TokenScope => ({ listener, purpose: 'slider' }),
  login: (listener: Listener): TokenScope => ({ listener, purpose: 'login' }),
};

export function createCaptchaService(deps: { db: Db; repo: CaptchaRepo; clock: Clock; outbox: Outbox }) {
  const { db, repo, clock, outbox } = deps;
  return {
    async createImage(listener: Listener) {
      const text = randomCaptchaText(4);
      const id = scopedToken(scopes.image(listener), 16);
      const image = await renderTextCaptcha(text);
      await repo.insert(db, {
        id,
        kind: 'image',
        answer: text.toLowerCase(),
        expiresAt: new Date(clock.now().getTime() + CAPTCHA_TTL_MS),
      });
      await outbox.record({ kind: 'image-captcha', to: id, code: text });
      return { id, image: dataUrl(image) };
    },

    /** Single use: any attempt, right or wrong, spends the captcha (the page then draws a new one). */
    async verifyImage(listener: Listener, id: string, code: string): Promise<void> {
      const mismatch = scopeMismatch(id, scopes.image(listener));
      if (mismatch) throw fieldError(mismatch, 'captchaCode');
      const now = clock.now();
      const row = await repo.take(db, id, 'image', now);
      if (!row || row.expiresAt.getTime() <= now.getTime()) throw fieldError('CAPTCHA_EXPIRED', 'captchaCode');
      if (row.answer !== code.trim().toLowerCase()) throw fieldError('CAPTCHA_INVALID', 'captchaCode');
    },

    async createSlider(listener: Listener) {
      const puzzle = await renderSliderPuzzle();
      const id = scopedToken(scopes.slider(listener), 16);
      await repo.insert(db, {
        id,
        kind: 'slider',
        answer: String(puzzle.x),
        expiresAt: new Date(clock.now().getTime() + CAPTCHA_TTL_MS),
      });
      await outbox.record({ kind: 'slider-captcha', to: id, code: String(puzzle.x) });
      return {
        id,
        background: dataUrl(puzzle.background),
        piece: dataUrl(puzzle.piece),
        width: puzzle.width,
        height: puzzle.height,
        pieceSize: puzzle.pieceSize,
        pieceY: puzzle.y,
      };
    },

    /** Accepts within ±5 px; five misses spend the puzzle. Success yields a one-time token valid 2 minutes. */
    async verifySlider(listener: Listener, id: string, x: number) {
      const mismatch = scopeMismatch(id, scopes.slider(listener));
      if (mismatch) throw new AppError(mismatch);
      // The transaction commits a miss before the error is thrown: a rolled-back miss would allow endless tries.
      const outcome = await db.transaction(async (tx) => {
        const now = clock.now();
        const row = await repo.findForUpdate(tx, id, 'slider');
        if (!row || row.usedAt || row.expiresAt.getTime() <= now.getTime()) return { error: 'SLIDER_EXPIRED' as const };
        if (Math.abs(Number(row.answer) - x) > SLIDER_TOLERANCE_PX) {
          const failures = row.failures + 1;
          const spent = failures >= SLIDER_MAX_FAILURES;
          await repo.recordFailure(tx, id, failures, spent ? now : null);
          return { error: spent ? ('SLIDER_TOO_MANY_FAILURES' as const) : ('SLIDER_MISMATCH' as const) };
        }
        await repo.markUsed(tx, id, now);
        const token = scopedToken(scopes.login(listener), 24);
        await repo.insertSliderToken(tx, sha256(token), new Date(now.getTime() + SLIDER_TOKEN_TTL_MS));
        return { error: null, token, expiresInSeconds: SLIDER_TOKEN_TTL_MS / 1000 };
      });
      if (outcome.error) throw new AppError(outcome.error);
      return { token: outcome.token, expiresInSeconds: outcome.expiresInSeconds };
    },

    async consumeSliderToken(listener: Listener, token: string): Promise<void> {
      const mismatch = scopeMismatch(token, scopes.login(listener));
      if (mismatch) throw fieldError(mismatch, 'sliderToken');
      const row = await repo.takeSliderToken(db, sha256(token), clock.now());
      if (!row) throw fieldError('SLIDER_EXPIRED', 'sliderToken');
    },

    async purgeExpired() {
      await repo.purgeExpired(db, new Date(clock.now().getTime() - 60 * 60_000));
    },
  };
}
export type CaptchaService = ReturnType<typeof createCaptchaService>;
