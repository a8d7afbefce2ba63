import crypto from 'node:crypto';
import type { TSmsPurpose } from '@cpe/shared';
import { platformDay } from '@cpe/shared/platform-zone';
import { SmsSendError, type SmsSender } from '../../adapters/sms/sms.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import type { Pii } from '../../lib/pii.js';
import type { RateLimitService } from '../ratelimit/ratelimit.service.js';
import type { SmsRepo } from './sms.repo.js';

export const SMS_TTL_MS = 5 * 60_000;
export const SMS_RESEND_MS = 60_000;
export const SMS_MAX_ATTEMPTS = 5;
const DAY_MS = 24 * 3_600_000;

export function createSmsService(deps: {
  db: Db;
  repo: SmsRepo;
  clock: Clock;
  pii: Pii;
  sender: SmsSender;
  rateLimits: RateLimitService;
  limits: { dailyPerPhone: number; hourlyPerIp: number };
}) {
  const { db, repo, clock, pii, sender, rateLimits, limits } = deps;
  const codeHash = (phoneHash: string, code: string) => pii.lookupHash(`sms:${phoneHash}:${code}`);

  return {
    /**
     * Sends a 6-digit code. The answer is the same whether or not the phone is registered;
     * the caller has already checked the image captcha.
     */
    async send(input: { phone: string; purpose: TSmsPurpose; ip: string }) {
      const now = clock.now();
      const phoneHash = pii.lookupHash(input.phone);
      const last = await repo.latest(db, phoneHash, input.purpose);
      if (last && now.getTime() - last.createdAt.getTime() < SMS_RESEND_MS) {
        const wait = Math.ceil((SMS_RESEND_MS - (now.getTime() - last.createdAt.getTime())) / 1000);
        throw new AppError('SMS_RESEND_TOO_SOON', {
          message: `短信发送过于频繁，请${wait}秒后再试`,
          headers: { 'retry-after': String(wait) },
        });
      }
      await rateLimits.consume({ key: `sms:ip:${input.ip}`, max: limits.hourlyPerIp, windowMs: 3_600_000 });
      await rateLimits.consume(
        { key: `sms:phone:${phoneHash}:${platformDay(now)}`, max: limits.dailyPerPhone, windowMs: DAY_MS },
        'SMS_DAILY_LIMIT',
      );
      const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
      const id = crypto.randomUUID();
      await db.transaction(async (tx) => {
        await repo.supersede(tx, phoneHash, input.purpose, now);
        await repo.insert(tx, {
          id,
          phoneHash,
          purpose: input.purpose,
          codeHash: codeHash(phoneHash, code),
          expiresAt: new Date(now.getTime() + SMS_TTL_MS),
          ip: input.ip,
          createdAt: now,
        });
      });
      // Sent after commit (the gateway is outside our transaction); a refused send removes the code again.
      try {
        await sender.send(input.phone, { purpose: input.purpose, code });
      } catch (err) {
        await repo.remove(db, id);
        if (err instanceof SmsSendError) throw new AppError('SMS_SEND_FAILED');
        throw err;
      }
      return { resendAfterSeconds: SMS_RESEND_MS / 1000, expiresInSeconds: SMS_TTL_MS / 1000 };
    },

    /**
     * Checks and spends a code; five wrong tries kill it. Runs on its own, before the caller's
     * transaction: PGlite has one connection, and a wrong try must count even if the caller fails later.
     */
    async verify(input: { phone: string; purpose: TSmsPurpose; code: string }): Promise<void> {
      const now = clock.now();
      const phoneHash = pii.lookupHash(input.phone);
      const row = await repo.latest(db, phoneHash, input.purpose);
      if (!row || row.usedAt || row.expiresAt.getTime() <= now.getTime() || row.attempts >= SMS_MAX_ATTEMPTS) {
        throw fieldError('SMS_CODE_EXPIRED', 'smsCode');
      }
      if (row.codeHash !== codeHash(phoneHash, input.code)) {
        const attempts = row.attempts + 1;
        await repo.setAttempts(db, row.id, attempts, attempts >= SMS_MAX_ATTEMPTS ? now : null);
        throw fieldError(
          attempts >= SMS_MAX_ATTEMPTS ? 'SMS_CODE_EXPIRED' : 'SMS_CODE_INVALID',
          'smsCode',
          attempts >= SMS_MAX_ATTEMPTS ? '短信验证码错误次数过多，请重新获取' : undefined,
        );
      }
      await repo.setAttempts(db, row.id, row.attempts, now);
    },

    async purgeExpired() {
      await repo.purgeExpired(db, new Date(clock.now().getTime() - DAY_MS));
    },
  };
}
export type SmsService = ReturnType<typeof createSmsService>;
