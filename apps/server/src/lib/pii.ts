import crypto from 'node:crypto';

/**
 * Personal data at rest (PIPL): AES-256-GCM for values we must read back (to mask, to send an SMS),
 * keyed HMAC-SHA256 for values we only look up or keep unique. Keys derive from DATA_ENCRYPTION_KEY.
 */
export interface Pii {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  lookupHash(value: string): string;
}

export function createPii(secret: string): Pii {
  const encKey = crypto.createHash('sha256').update(`enc:${secret}`).digest();
  const macKey = crypto.createHash('sha256').update(`mac:${secret}`).digest();
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },
    decrypt(stored) {
      const raw = Buffer.from(stored.slice(3), 'base64url');
      const decipher = crypto.createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    lookupHash(value) {
      return crypto.createHmac('sha256', macKey).update(value).digest('base64url');
    },
  };
}

export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}
