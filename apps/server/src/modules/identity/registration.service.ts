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
import type { SmsService } from '../sms/sms.service.js';
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
 * the account exists only after the 实名认证 of step 2 passes, created in one transaction.
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
}) {
  const { db, repo, clock, pii, sms, realname, flows, audit } = deps;

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
    };
  };

  /** The document's lookup hash, refused when an account already holds the document. */
  async function freeDocumentHash(ex: Db, idType: IdType, idNumber: string, nationality: string | null) {
    const hash = pii.lookupHash(idDocumentKey(idType, idNumber, nationality));
    if (await repo.accountByIdDocument(ex, idType, hash)) throw fieldError('ID_NUMBER_TAKEN', 'idNumber');
    return hash;
  }

  return {
    async start(input: RegistrationBasic) {
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
      let result: Awaited<ReturnType<RealnameVerifier['verify']>>;
      try {
        result = await realname.verify({ realName: d.realName, idType: d.idType, idNumber: pii.decrypt(d.idNumberEnc) });
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
          const data = flow.data as unknown as RegistrationData;
          const now = clock.now();
          const account = await repo.insertAccount(tx, {
            username: data.username,
            passwordHash: data.passwordHash,
            realName: data.realName,
            idType: data.idType,
            idNumberHash: data.idNumberHash,
            idNumberEnc: data.idNumberEnc,
            phoneHash: data.phoneHash,
            phoneEnc: data.phoneEnc,
            realNameVerifiedAt: now,
            realNameSource: realname.name,
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
            summary: { username: account.username, realNameSource: realname.name },
          });
          return { username: account.username };
        });
      } catch (err) {
        const constraint = uniqueViolation(err);
        if (constraint === 'accounts_username_lower_uq') throw fieldError('USERNAME_TAKEN', 'username');
        if (constraint === 'accounts_id_number_uq') throw fieldError('ID_NUMBER_TAKEN', 'idNumber');
        if (constraint === 'accounts_phone_active_uq') throw fieldError('PHONE_TAKEN', 'phone');
        throw err;
      }
    },
  };
}
export type RegistrationService = ReturnType<typeof createRegistrationService>;
