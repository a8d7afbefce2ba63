import { idNumberCheckChar } from '@cpe/shared';
import type { AppContext } from './context.js';
import { hashPassword } from './lib/password.js';

/** Demo accounts printed at start. Passwords follow the platform's own rules. */
export const DEMO_ACCOUNTS = {
  staffAdmin: { username: 'admin', password: 'Admin@2026', displayName: '系统管理员' },
  learner: {
    username: 'zhangsan',
    password: 'Demo@2026',
    realName: '张三',
    idNumber: `50010319900101123${idNumberCheckChar('50010319900101123')}`,
    phone: '13800138000',
  },
} as const;

/** Idempotent: a second start finds everything present and adds nothing. */
export async function seedDemoData(ctx: AppContext): Promise<{ created: string[] }> {
  const created: string[] = [];
  const a = DEMO_ACCOUNTS.staffAdmin;
  if (await ctx.staff.ensure({ ...a, roles: ['sysadmin', 'recovery-handler'] })) created.push(`staff:${a.username}`);

  const l = DEMO_ACCOUNTS.learner;
  const repo = (await import('./modules/identity/identity.repo.js')).createIdentityRepo();
  if (!(await repo.accountByUsername(ctx.db, l.username))) {
    const now = ctx.clock.now();
    await ctx.db.transaction(async (tx) => {
      const account = await repo.insertAccount(tx, {
        username: l.username,
        passwordHash: await hashPassword(l.password),
        realName: l.realName,
        idType: 'idCard',
        idNumberHash: ctx.pii.lookupHash(l.idNumber),
        idNumberEnc: ctx.pii.encrypt(l.idNumber),
        phoneHash: ctx.pii.lookupHash(l.phone),
        phoneEnc: ctx.pii.encrypt(l.phone),
        realNameVerifiedAt: now,
        realNameSource: 'seed',
      });
      await ctx.audit.record(tx, {
        actorType: 'system',
        action: 'account.seed',
        targetType: 'account',
        targetId: account.id,
        summary: { username: l.username },
      });
    });
    created.push(`account:${l.username}`);
  }
  return { created };
}
