import type { TCreditStandard, TCreditStandardInput } from '@cpe/shared/schemas/credits';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { uniqueViolation } from '../../lib/pg-errors.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { CreditClaimsRepo } from './credit-claims.repo.js';
import { standardView } from './credit-views.js';

/**
 * 学时折算标准, kept by staff. A change applies to claims filed from then on: a claim keeps the maximum it was filed
 * under (credit_entries.standard_hours), so editing a rule never changes what was already decided.
 */
export function createCreditStandardsService(deps: { db: Db; repo: CreditClaimsRepo; clock: Clock; audit: AuditRepo }) {
  const { db, repo, clock, audit } = deps;

  async function save(
    staff: { id: string; name: string },
    id: string | null,
    input: TCreditStandardInput,
    meta: RequestMeta,
  ): Promise<TCreditStandard> {
    try {
      const row = await db.transaction(async (tx) => {
        const values = { ...input, updatedBy: staff.name, updatedAt: clock.now() };
        const before = id ? await repo.standards.byId(tx, id) : undefined;
        if (id && !before) throw new AppError('NOT_FOUND', { message: '学时折算标准不存在' });
        const saved = id ? await repo.standards.update(tx, id, values) : await repo.standards.insert(tx, values);
        if (!saved) throw new AppError('NOT_FOUND', { message: '学时折算标准不存在' });
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staff.id,
          action: id ? 'credit-standard.update' : 'credit-standard.create',
          targetType: 'credit_standard',
          targetId: saved.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: before
            ? {
                before: {
                  hours: before.hours,
                  yearlyCap: before.yearlyCap,
                  basis: before.basis,
                  active: before.active,
                },
                after: { hours: saved.hours, yearlyCap: saved.yearlyCap, basis: saved.basis, active: saved.active },
              }
            : { form: saved.form, level: saved.level, hours: saved.hours },
        });
        return saved;
      });
      return standardView(row);
    } catch (err) {
      if (uniqueViolation(err) === 'credit_standards_form_level_uq') throw new AppError('CREDIT_STANDARD_EXISTS');
      throw err;
    }
  }

  return {
    async list(): Promise<{ items: TCreditStandard[] }> {
      return { items: (await repo.standards.list(db, false)).map((s) => standardView(s)) };
    },
    create: (staff: { id: string; name: string }, input: TCreditStandardInput, meta: RequestMeta) =>
      save(staff, null, input, meta),
    update: (staff: { id: string; name: string }, id: string, input: TCreditStandardInput, meta: RequestMeta) =>
      save(staff, id, input, meta),
  };
}
export type CreditStandardsService = ReturnType<typeof createCreditStandardsService>;
