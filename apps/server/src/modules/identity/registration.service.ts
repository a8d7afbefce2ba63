import { type IdType, idDocumentKey, maskIdNumber, maskPhone } from '@cpe/shared';
import type { RealnameVerifier } from '../../adapters/realname/realname.js';
import { RealnameUnavailableError } from '../../adapters/realname/realname.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { hashPassword } from '../../lib/password.js';
import { uniqueViolation } from '../../lib/pg-errors.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { sanitizeImage } from '../files/images.js';
import type { RealnameReviewService } from '../realname-review/realname-review.service.js';
import type { SmsService } from '../sms/sms.service.js';
import type { SsoRegistration, SsoService } from '../sso/sso.service.js';
import type { FlowTokens } from './flow-token.js';
import type { FlowRow, IdentityRepo } from './identity.repo.js';

const REGISTRATION_TTL_MS = 30 * 60_000;

interface RegistrationData {
  username: string;
  passwordHash: string;
  realName: string;
  idType: IdType;
  /** ISO 3166-1 alpha-3, for a 护照 only. */
  nationality: string | null;
  idNumberEnc: string;
  idNumberHash: string;
  phoneEnc: string;
  phoneHash: string;
  /** Registering from a 第三方登录 (政务服务网, 微信): the link the new account gets. */
  sso?: SsoRegistration;
}

export interface RegistrationBasic {
  username: string;
  password: string;
  realName: string;
  idType: IdType;
  idNumber: string;
  nationality?: string | null;
  phone: string;
  smsCode: string;
}

/**
 * 新用户注册: 1 基本信息 → 2 实名认证 → 3 注册成功. Step 1 checks everything and proves the phone;
 * the account exists only after the 实名认证 of step 2 passes, created in one transaction. A document the
 * 实名认证 service cannot verify (every 护照) goes to staff instead: step 2 takes a photo of it and creates the
 * account unverified together with its pending 人工实名审核 (`completeManual`).
 */
export function createRegistrationService(deps: {
  db: Db;
  repo: IdentityRepo;
  clock: Clock;
  pii: Pii;
  sms: SmsService;
  realname: RealnameVerifier;
  flows: FlowTokens;
  audit: AuditRepo;
  reviews: Pick<RealnameReviewService, 'file'>;
  sso?: Pick<SsoService, 'forRegistration' | 'linkRegistered'>;
}) {
  const { db, repo, clock, pii, sms, realname, flows, audit } = deps;
  const verification = (idType: IdType) => (realname.supports(idType) ? ('online' as const) : ('manual' as const));

  const view = (token: string, flow: FlowRow) => {
    const d = flow.data as unknown as RegistrationData;
    return {
      token,
      username: d.username,
      realName: d.realName,
      idType: d.idType,
      idNumberMasked: maskIdNumber(pii.decrypt(d.idNumberEnc)),
      phoneMasked: maskPhone(pii.decrypt(d.phoneEnc)),
      expiresAt: flow.expiresAt.toISOString(),
      verification: verification(d.idType),
    };
  };

  /** Creates the account of a finished flow (in the caller's transaction); the flow is spent. */
  async function createAccount(tx: Db, flow: FlowRow, verified: boolean, source: string, meta: RequestMeta) {
    const data = flow.data as unknown as RegistrationData;
    const now = clock.now();
    const account = await repo.insertAccount(tx, {
      username: data.username,
      passwordHash: data.passwordHash,
      realName: data.realName,
      idType: data.idType,
      nationality: data.nationality,
      idNumberHash: data.idNumberHash,
      idNumberEnc: data.idNumberEnc,
      phoneHash: data.phoneHash,
      phoneEnc: data.phoneEnc,
      realNameVerifiedAt: verified ? now : null,
      realNameSource: source,
      createdAt: now,
      updatedAt: now,
      passwordChangedAt: now,
    });
    await repo.updateFlow(tx, flow.id, { step: 'done', completedAt: now, data: {} });
    await audit.record(tx, {
      actorType: 'account',
      actorId: account.id,
      action: 'account.register',
      targetType: 'account',
      targetId: account.id,
      ip: meta.ip,
      userAgent: meta.userAgent,
      summary: { username: account.username, realNameSource: source },
    });
    if (data.sso) await deps.sso?.linkRegistered(tx, account.id, data.sso, meta);
    return { account, data };
  }

  function takenError(err: unknown): unknown {
    const constraint = uniqueViolation(err);
    if (constraint === 'accounts_username_lower_uq') return fieldError('USERNAME_TAKEN', 'username');
    if (constraint === 'accounts_id_number_uq') return fieldError('ID_NUMBER_TAKEN', 'idNumber');
    if (constraint === 'accounts_phone_active_uq') return fieldError('PHONE_TAKEN', 'phone');
    return err;
  }

  /** The document's lookup hash, refused when an account already holds the document. */
  async function freeDocumentHash(ex: Db, idType: IdType, idNumber: string, nationality: string | null) {
    const hash = pii.lookupHash(idDocumentKey(idType, idNumber, nationality));
    if (await repo.accountByIdDocument(ex, idType, hash)) throw fieldError('ID_NUMBER_TAKEN', 'idNumber');
    return hash;
  }

  return {
    /**
     * `ssoToken`: the browser's pending 第三方登录 (its cookie). The provider's verified name and number, when it gives
     * them, replace what was typed; the account is linked to the provider when it is created.
     */
    async start(typed: RegistrationBasic, ssoToken?: string) {
      const pending = ssoToken === undefined ? undefined : await deps.sso?.forRegistration(ssoToken);
      const input = pending?.identity ? { ...typed, ...pending.identity, nationality: null } : typed;
      if (await repo.accountByUsername(db, input.username)) throw fieldError('USERNAME_TAKEN', 'username');
      const nationality = input.idType === 'passport' ? (input.nationality ?? null) : null;
      const idNumberHash = await freeDocumentHash(db, input.idType, input.idNumber, nationality);
      await sms.verify({ phone: input.phone, purpose: 'register', code: input.smsCode });
      const phoneHash = pii.lookupHash(input.phone);
      // Checked after the code: only the phone's owner learns that it is bound to another account.
      if (await repo.activeAccountByPhoneHash(db, phoneHash)) throw fieldError('PHONE_TAKEN', 'phone');
      const data: RegistrationData = {
        username: input.username,
        passwordHash: await hashPassword(input.password),
        realName: input.realName,
        idType: input.idType,
        nationality,
        idNumberEnc: pii.encrypt(input.idNumber),
        idNumberHash,
        phoneEnc: pii.encrypt(input.phone),
        phoneHash,
        ...(pending ? { sso: pending.sso } : {}),
      };
      const { token, hash } = flows.newToken('registration');
      const flow = await repo.insertFlow(db, {
        kind: 'registration',
        tokenHash: hash,
        step: 'realname',
        data: data as unknown as Record<string, unknown>,
        expiresAt: new Date(clock.now().getTime() + REGISTRATION_TTL_MS),
      });
      return view(token, flow);
    },

    /** After a failed 实名认证 the person corrects name or ID number; the proven phone is kept. */
    async updateIdentity(
      token: string,
      input: { realName: string; idType: IdType; idNumber: string; nationality?: string | null },
    ) {
      return db.transaction(async (tx) => {
        const flow = await flows.take(tx, 'registration', token, ['realname'], 'REGISTRATION_EXPIRED');
        if ((flow.data as unknown as RegistrationData).sso?.verified) throw new AppError('SSO_IDENTITY_LOCKED');
        const nationality = input.idType === 'passport' ? (input.nationality ?? null) : null;
        const idNumberHash = await freeDocumentHash(tx as Db, input.idType, input.idNumber, nationality);
        const data: RegistrationData = {
          ...(flow.data as unknown as RegistrationData),
          realName: input.realName,
          idType: input.idType,
          nationality,
          idNumberEnc: pii.encrypt(input.idNumber),
          idNumberHash,
        };
        await repo.updateFlow(tx, flow.id, { data });
        return view(token, { ...flow, data });
      });
    },

    async get(token: string) {
      const flow = await flows.take(db, 'registration', token, ['realname'], 'REGISTRATION_EXPIRED');
      return view(token, flow);
    },

    async complete(token: string, meta: RequestMeta) {
      const pending = await flows.take(db, 'registration', token, ['realname'], 'REGISTRATION_EXPIRED');
      const d = pending.data as unknown as RegistrationData;
      if (verification(d.idType) === 'manual') throw new AppError('REALNAME_MANUAL_REQUIRED');
      let result: Awaited<ReturnType<RealnameVerifier['verify']>>;
      try {
        result = await realname.verify({
          realName: d.realName,
          idType: d.idType,
          idNumber: pii.decrypt(d.idNumberEnc),
        });
      } catch (err) {
        if (err instanceof RealnameUnavailableError) throw new AppError('REALNAME_UNAVAILABLE');
        throw err;
      }
      if (!result.ok)
        throw new AppError('REALNAME_FAILED', {
          fields: { realName: '姓名与证件号码不一致', idNumber: '姓名与证件号码不一致' },
        });
      try {
        return await db.transaction(async (tx) => {
          const flow = await flows.take(tx, 'registration', token, ['realname'], 'REGISTRATION_EXPIRED');
          const { account } = await createAccount(tx as Db, flow, true, realname.name, meta);
          return { username: account.username };
        });
      } catch (err) {
        throw takenError(err);
      }
    },

    /**
     * Step 2 for a document only staff can verify: the photo of its photo page. The account is created unverified
     * (it signs in, but buys and studies only after approval) with its pending 人工实名审核, in one transaction.
     */
    async completeManual(token: string, photoUpload: Buffer | undefined, meta: RequestMeta) {
      const pending = await flows.take(db, 'registration', token, ['realname'], 'REGISTRATION_EXPIRED');
      if (verification((pending.data as unknown as RegistrationData).idType) === 'online')
        throw new AppError('REALNAME_ONLINE_AVAILABLE');
      if (!photoUpload) throw fieldError('VALIDATION_FAILED', 'photo', '请上传证件照片');
      const photo = await sanitizeImage(photoUpload, 'photo');
      try {
        return await db.transaction(async (tx) => {
          const flow = await flows.take(tx, 'registration', token, ['realname'], 'REGISTRATION_EXPIRED');
          const { account, data } = await createAccount(tx as Db, flow, false, 'manual', meta);
          await deps.reviews.file(
            tx,
            {
              accountId: account.id,
              document: {
                realName: data.realName,
                idType: data.idType,
                nationality: data.nationality,
                idNumberEnc: data.idNumberEnc,
                idNumberHash: data.idNumberHash,
              },
              photo,
            },
            meta,
          );
          return { username: account.username, realNameStatus: 'pending' as const };
        });
      } catch (err) {
        throw takenError(err);
      }
    },
  };
}
export type RegistrationService = ReturnType<typeof createRegistrationService>;
