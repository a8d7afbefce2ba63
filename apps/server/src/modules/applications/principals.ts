import type { AppContext } from '../../context.js';
import { AppError } from '../../lib/errors.js';
import type { Filer, ProjectReviewer } from './applications.service.js';

/** 单位中心: the administrator of an approved unit files in the unit's name. */
export async function unitFiler(ctx: AppContext, accountId: string): Promise<Filer> {
  const unit = await ctx.units.unitOfAdmin(accountId);
  if (!unit)
    throw new AppError('APPLICATION_FILER_FORBIDDEN', {
      message: '仅审核通过的单位管理员可以申报，请先注册单位管理员',
    });
  const person = await ctx.profile.load(accountId);
  return {
    kind: 'unit',
    unitId: unit.id,
    orgNodeId: null,
    name: unit.name,
    area: unit.locatedArea,
    unitType: unit.unitType,
    actorType: 'account',
    actorId: accountId,
    actorName: person.realName,
    prefill: { unitName: unit.name, unitUscc: unit.uscc, unitAddress: unit.address, unitType: unit.unitType },
  };
}

/** Staff console: a member of a 区县人社局 files in the bureau's name. */
export async function districtFiler(ctx: AppContext, staffId: string): Promise<Filer> {
  const staff = await ctx.staff.load(staffId);
  const node = staff.orgNodeId ? await ctx.org.byId(staff.orgNodeId) : undefined;
  if (node?.kind !== 'district' || !node.areaCode)
    throw new AppError('APPLICATION_FILER_FORBIDDEN', { message: '仅区县人社局工作人员可以在内网申报' });
  return {
    kind: 'district',
    unitId: null,
    orgNodeId: node.id,
    name: node.name,
    area: node.areaCode,
    unitType: '区县人社局',
    actorType: 'staff',
    actorId: staff.id,
    actorName: staff.displayName,
    prefill: { unitName: node.name, unitUscc: '', unitAddress: '', unitType: '区县人社局' },
  };
}

/** 项目审核管理: reviewers of 市人社局 (and the system administrator, who has no bureau). */
export async function projectReviewer(ctx: AppContext, staffId: string): Promise<ProjectReviewer> {
  const staff = await ctx.staff.load(staffId);
  const node = staff.orgNodeId ? await ctx.org.byId(staff.orgNodeId) : undefined;
  const city = !node || node.kind === 'city';
  if (!city || !(staff.roles.includes('reviewer') || staff.roles.includes('sysadmin')))
    throw new AppError('APPLICATION_REVIEWER_FORBIDDEN');
  return {
    actorId: staff.id,
    actorName: staff.displayName,
    departmentName: node?.name ?? ctx.config.org.cityBureauName,
  };
}
