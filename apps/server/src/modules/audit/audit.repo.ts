import type { TAuditAction, TAuditActorType, TAuditTargetType } from '@cpe/shared/audit';
import { desc } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { auditLogs } from '../../db/schema/index.js';

/**
 * One entry. Action, target and actor are keys of the shared catalogue (@cpe/shared/audit), which 审计日志 labels:
 * a new code without its Chinese label there does not compile.
 */
export interface AuditEntry {
  actorType: TAuditActorType;
  actorId?: string | null;
  action: TAuditAction;
  targetType?: TAuditTargetType;
  targetId?: string;
  ip?: string | null;
  userAgent?: string | null;
  /** What changed; never passwords, codes or unmasked personal data. */
  summary?: Record<string, unknown>;
}

export function createAuditRepo() {
  return {
    /** Call with the transaction of the change it records, so both commit or neither does. */
    async record(ex: Executor, entry: AuditEntry): Promise<void> {
      await ex.insert(auditLogs).values({
        actorType: entry.actorType,
        actorId: entry.actorId ?? null,
        action: entry.action,
        targetType: entry.targetType ?? null,
        targetId: entry.targetId ?? null,
        ip: entry.ip ?? null,
        userAgent: entry.userAgent?.slice(0, 500) ?? null,
        summary: entry.summary ?? {},
      });
    },
    async latest(ex: Executor, limit = 50) {
      return ex.select().from(auditLogs).orderBy(desc(auditLogs.id)).limit(limit);
    },
  };
}
export type AuditRepo = ReturnType<typeof createAuditRepo>;
