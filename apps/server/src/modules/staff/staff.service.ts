import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { hashPassword } from '../../lib/password.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { IdentityRepo, StaffRow } from '../identity/identity.repo.js';

/** Staff roles; the organisation-tree roles (district reviewer, city reviewer, operator) come with later issues. */
export const STAFF_ROLES = ['sysadmin', 'recovery-handler'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export function createStaffService(deps: { db: Db; repo: IdentityRepo; clock: Clock; audit: AuditRepo }) {
  const { db, repo, audit } = deps;
  const toMe = (s: StaffRow) => ({ id: s.id, username: s.username, displayName: s.displayName, roles: s.roles });
  return {
    toMe,
    async load(id: string): Promise<StaffRow> {
      const s = await repo.staffById(db, id);
      if (!s || s.status !== 'active') throw new AppError('UNAUTHENTICATED');
      return s;
    },
    /** Creates a staff account unless the username exists; returns whether it was created (seeding is idempotent). */
    async ensure(input: {
      username: string;
      password: string;
      displayName: string;
      roles: StaffRole[];
    }): Promise<boolean> {
      if (await repo.staffByUsername(db, input.username)) return false;
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (tx) => {
        const row = await repo.insertStaff(tx, { ...input, passwordHash });
        if (!row) return false;
        await audit.record(tx, {
          actorType: 'system',
          action: 'staff.create',
          targetType: 'staff_account',
          targetId: row.id,
          summary: { username: row.username, roles: row.roles },
        });
        return true;
      });
    },
  };
}
export type StaffService = ReturnType<typeof createStaffService>;
