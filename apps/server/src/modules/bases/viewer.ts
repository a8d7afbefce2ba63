import type { AppContext } from '../../context.js';
import { AppError } from '../../lib/errors.js';
import type { BaseViewer } from './bases.service.js';

/**
 * Who may read 基地名单: reviewers of 市人社局 and the system administrator see every district and may 撤销;
 * a reviewer of a 区县人社局 sees the bases located in its district, read-only.
 */
export async function baseViewer(ctx: AppContext, staffId: string): Promise<BaseViewer> {
  const staff = await ctx.staff.load(staffId);
  const node = staff.orgNodeId ? await ctx.org.byId(staff.orgNodeId) : undefined;
  const sysadmin = staff.roles.includes('sysadmin');
  const reviewer = staff.roles.includes('reviewer');
  if (sysadmin || (reviewer && (!node || node.kind === 'city')))
    return { staffId: staff.id, scope: null, canRevoke: true };
  if (reviewer && node?.kind === 'district' && node.areaCode)
    return { staffId: staff.id, scope: { areaCode: node.areaCode, name: node.name }, canRevoke: false };
  throw new AppError('BASE_FORBIDDEN');
}
