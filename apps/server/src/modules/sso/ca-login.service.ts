import crypto from 'node:crypto';
import {
  type ErrorCode,
  inferIdType,
  normalizeIdDocument,
  normalizeUscc,
  validateIdDocument,
  validateUscc,
} from '@cpe/shared';
import type { ProvenIdentity } from '../../adapters/sso/sso.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { sha256 } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { IdentityRepo } from '../identity/identity.repo.js';
import type { RateLimitService } from '../ratelimit/ratelimit.service.js';
import type { SsoRepo } from './sso.repo.js';
import { CA_CLAIMS, type SsoService, safeTarget } from './sso.service.js';

/** A challenge is signed within this: reading the USB key and typing its PIN takes a minute at most. */
const CHALLENGE_TTL_MS = 5 * 60_000;
const CHALLENGE_RE = /^CPE-CA-LOGIN [\x21-\x7e]{1,100} \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ [0-9a-f]{32}$/;

/**
 * CA 证书登录 (issue 18 §3). The server issues a one-time challenge (a `flows` row, kind `ca-challenge`, found by the
 * text's hash); the person's signing program signs it with the certificate's key in the USB key; `login` spends the
 * challenge first (a replayed signature finds it used), then verifies the certificate (issued by a CA the staff
 * trust, within its dates, not on the uploaded CRL) and the signature. The certificate's subject serialNumber is the
 * person's 证件号码 or the unit's 统一社会信用代码: from there it is 第三方登录's path (sso.service `afterProven`): a
 * linked certificate signs straight in, a 统一社会信用代码 as that unit's administrator, otherwise the person
 * confirms the link once with the account's password or an SMS code, or registers.
 */
export function createCaLoginService(deps: {
  db: Db;
  repo: Pick<SsoRepo, 'isRevoked'>;
  identity: Pick<IdentityRepo, 'insertFlow' | 'flowByTokenForUpdate' | 'updateFlow'>;
  clock: Clock;
  rateLimits: RateLimitService;
  sso: Pick<SsoService, 'afterProven' | 'refused' | 'enabledProvider'>;
}) {
  const { db, identity, clock, sso } = deps;

  /** The identity a verified certificate proves, as claims under CA_CLAIMS' names. */
  function provenOf(subject: { commonName: string | null; serialNumber: string | null; organization: string | null }) {
    const raw = subject.serialNumber?.trim() ?? '';
    if (!raw) return null;
    const claims: Record<string, unknown> = {};
    const uscc = normalizeUscc(raw);
    const idNumber = normalizeIdDocument(raw);
    const idType = inferIdType(idNumber);
    // A 统一社会信用代码 and a 身份证号码 are both 18 characters: a valid 证件号码 is read as one first (an all-digit code
    // valid both ways is one in millions); neither valid: the certificate proves no one.
    if (idType && validateIdDocument(idType, idNumber) === null) {
      claims[CA_CLAIMS.idNumber] = idNumber;
      if (subject.commonName) claims[CA_CLAIMS.name] = subject.commonName;
    } else if (validateUscc(uscc) === null) claims[CA_CLAIMS.uscc] = uscc;
    else return null;
    const proven: ProvenIdentity = {
      subject: claims[CA_CLAIMS.uscc] ? `uscc|${uscc}` : `id|${idNumber}`,
      claims,
      label: subject.organization && claims[CA_CLAIMS.uscc] ? subject.organization : subject.commonName,
    };
    return proven;
  }

  return {
    /**
     * 读取证书并签名: the text to sign. It names the host of `origin` (the public URL the login page is on), so the
     * holder sees which site asks and a signature made for this site is worthless on another.
     */
    async challenge(providerId: string, meta: RequestMeta, origin: string) {
      await deps.rateLimits.consume({ key: `ca:challenge:${meta.ip}`, max: 30, windowMs: 10 * 60_000 });
      const p = await sso.enabledProvider(providerId, 'ca');
      const now = clock.now();
      const host = new URL(origin).host;
      const challenge = `CPE-CA-LOGIN ${host} ${now.toISOString().slice(0, 19)}Z ${crypto.randomBytes(16).toString('hex')}`;
      const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
      await identity.insertFlow(db, {
        kind: 'ca-challenge',
        tokenHash: sha256(challenge),
        step: 'issued',
        data: { providerId: p.id },
        expiresAt,
      });
      return { challenge, expiresAt: expiresAt.toISOString() };
    },

    /** The signing program's answer: signs in, or says which page confirms the link or registers. */
    async login(
      providerId: string,
      input: { challenge: string; certificate: string; signature: string; redirect?: string },
      meta: RequestMeta,
    ) {
      await deps.rateLimits.consume({ key: `ca:login:${meta.ip}`, max: 30, windowMs: 10 * 60_000 });
      const now = clock.now();
      // Spent before anything else, whatever the outcome: one challenge, one attempt.
      const flow = CHALLENGE_RE.test(input.challenge)
        ? await db.transaction(async (tx) => {
            const f = await identity.flowByTokenForUpdate(tx, 'ca-challenge', sha256(input.challenge));
            if (!f || f.completedAt || f.expiresAt.getTime() <= now.getTime()) return undefined;
            await identity.updateFlow(tx, f.id, { step: 'done', completedAt: now });
            return f;
          })
        : undefined;
      if (!flow || (flow.data as { providerId?: string }).providerId !== providerId) {
        await sso.refused(
          providerId,
          flow ? 'challenge of another provider' : 'unknown, spent or expired challenge',
          meta,
        );
        throw new AppError('CA_CHALLENGE_INVALID');
      }
      const p = await sso.enabledProvider(providerId, 'ca');
      // The checks (pkijs, asn1js: ~60 ms to load) are loaded with the first CA login, not at start (issue 22).
      const { CaRefusedError, parseCertificates, verifyLogin } = await import('../../adapters/sso/ca.js');
      let verified: Awaited<ReturnType<typeof verifyLogin>>;
      try {
        verified = await verifyLogin({
          caCerts: parseCertificates(p.caCertificates ?? ''),
          certificate: input.certificate,
          signature: input.signature,
          data: input.challenge,
          now,
          crl: p.crlThisUpdate ? { nextUpdate: p.crlNextUpdate } : null,
          isRevoked: (serial) => deps.repo.isRevoked(db, p.id, serial),
        });
      } catch (err) {
        if (!(err instanceof CaRefusedError)) throw err;
        await sso.refused(p.id, `certificate refused: ${err.reason}`, meta);
        throw new AppError(`CA_${err.reason.toUpperCase().replaceAll('-', '_')}` as ErrorCode);
      }
      const proven = provenOf(verified.subject);
      if (!proven) {
        await sso.refused(p.id, 'certificate names no 证件号码 or 统一社会信用代码', meta);
        throw new AppError('CA_NO_IDENTITY');
      }
      return sso.afterProven(p, proven, safeTarget(input.redirect), meta);
    },
  };
}
export type CaLoginService = ReturnType<typeof createCaLoginService>;
