import type { AppContext } from '../../context.js';
import { AppError } from '../../lib/errors.js';
import type { Filer, ProjectReviewer, Reviewer } from './applications.service.js';

/** 单位中心: the administrator of an approved unit files in the unit's name. */
export async function unitFiler(ctx: AppContext, accountId: string): Promise<Filer> {
  const unit = await ctx.units.unitOfAdmin(accountId);
  if (!unit)
    throw new AppError('APPLICATION_FILER_FORBIDDEN', {
      message: '仅审核通过的单位管理员可以申报，请先注册单位管理员',
    });
  const person = await ctx.profile.load(accountId);
  const reviewerNode = await ctx.org.byId(unit.reviewerNodeId);
  // The 区县人社局 of the unit's 所在地 (a unit registered under a 主管部门 still belongs to a district).
  const districtNode = reviewerNode?.kind === 'district' ? reviewerNode : await ctx.org.byAreaCode(unit.locatedArea);
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
    chainNodes: {
      department: reviewerNode?.kind === 'department' ? { id: reviewerNode.id, name: reviewerNode.name } : undefined,
      district: districtNode?.kind === 'district' ? { id: districtNode.id, name: districtNode.name } : undefined,
    },
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
    // A bureau does not review its own filing: its chain has no 主管部门 or 区县人社局 step.
    chainNodes: {},
  };
}

/** 申报批次 and 项目统计: reviewers of 市人社局 (and the system administrator, who has no bureau). */
export async function projectReviewer(ctx: AppContext, staffId: string): Promise<ProjectReviewer> {
  const r = await consoleReviewer(ctx, staffId);
  if (r.level !== 'city')
    throw new AppError('APPLICATION_REVIEWER_FORBIDDEN', { message: '仅市人社局审核人员可以操作' });
  return r;
}

/**
 * 项目审核 in the console: a 市人社局 reviewer (every application at its 市人社局 step) or a 区县人社局 reviewer
 * (the applications whose chain passes through the bureau).
 */
export async function consoleReviewer(ctx: AppContext, staffId: string): Promise<Reviewer> {
  const staff = await ctx.staff.load(staffId);
  const node = staff.orgNodeId ? await ctx.org.byId(staff.orgNodeId) : undefined;
  if (!(staff.roles.includes('reviewer') || staff.roles.includes('sysadmin')))
    throw new AppError('APPLICATION_REVIEWER_FORBIDDEN', { message: '您没有审核申报书的权限' });
  if (node?.kind === 'district')
    return {
      level: 'district',
      nodeId: node.id,
      actorType: 'staff',
      actorId: staff.id,
      actorName: staff.displayName,
      departmentName: node.name,
    };
  if (node && node.kind !== 'city')
    throw new AppError('APPLICATION_REVIEWER_FORBIDDEN', { message: '您没有审核申报书的权限' });
  return {
    level: 'city',
    nodeId: null,
    actorType: 'staff',
    actorId: staff.id,
    actorName: staff.displayName,
    departmentName: node?.name ?? ctx.config.org.cityBureauName,
  };
}

/** 单位中心 of a 主管部门: its administrator reviews what its units file (继续教育基地审核, 工程师基地审核). */
export async function departmentReviewer(ctx: AppContext, accountId: string): Promise<Reviewer> {
  const unit = await ctx.units.unitOfAdmin(accountId);
  const node = unit ? await ctx.org.byUnit(unit.id) : undefined;
  if (!unit || node?.kind !== 'department')
    throw new AppError('APPLICATION_REVIEWER_FORBIDDEN', { message: '仅主管部门的单位管理员可以审核' });
  const person = await ctx.profile.load(accountId);
  return {
    level: 'department',
    nodeId: node.id,
    actorType: 'account',
    actorId: accountId,
    actorName: person.realName,
    departmentName: unit.name,
  };
}
