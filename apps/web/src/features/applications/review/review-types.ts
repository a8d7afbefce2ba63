import {
  APPLICATION_STAGE_LABELS,
  type ApplicationTypeDef,
  applicationType,
  type TApplicationStage,
} from '@cpe/shared/applications/index';

export interface ReviewPageProps {
  /** The application type reviewed (advanced-seminar, class-plan, education-base …). */
  type: string;
  /** Where the list lives; a record opens at `${basePath}/<id>`. */
  basePath: string;
  /** The staff console (breadcrumb, dense) or a 主管部门's 单位中心 on the portal. */
  variant?: 'console' | 'portal';
}

/** How a review list reads for one application type: its title, its menu group and the columns it shows. */
export interface ReviewTypeView {
  def: ApplicationTypeDef;
  /** 项目审核管理 / 开班方案审核 / 继续教育基地认定 … (the console's menu item). */
  title: string;
  /** The 单位中心 menu item of a 主管部门 (继续教育基地审核 …). */
  portalTitle: string;
  /** The console's menu group it sits under (breadcrumb). */
  group: string;
  /** Column heading of `projectName`. */
  nameTitle: string;
  /** Column heading of `hostUnit` (承办单位, 专业领域), or null when the type has none. */
  hostTitle: string | null;
  /** 举办时间 from heldFrom / heldTo. */
  held: boolean;
  /** 预计费用 / 需资助费用 (the 申报 carries them). */
  money: boolean;
  /** 结业上报: a due date and 逾期. */
  due: boolean;
  /** Bases are filed by units, so 单位类型 is telling; a 项目 shows 年度. */
  unitType: boolean;
  year: boolean;
  /** Excel file name of 导出. */
  exportName: string;
}

const VIEWS: Record<string, Omit<ReviewTypeView, 'def'>> = {
  'advanced-seminar': {
    title: '项目审核管理',
    portalTitle: '市级高级研修项目审核',
    group: '市级高级研修项目',
    nameTitle: '项目名称',
    hostTitle: '承办单位',
    held: true,
    money: true,
    due: false,
    unitType: false,
    year: true,
    exportName: '项目审核.xlsx',
  },
  'class-plan': {
    title: '开班方案审核',
    portalTitle: '开班方案审核',
    group: '市级高级研修项目',
    nameTitle: '项目名称',
    hostTitle: '承办单位',
    held: true,
    money: false,
    due: false,
    unitType: false,
    year: true,
    exportName: '开班方案审核.xlsx',
  },
  'plan-change': {
    title: '计划变化审核',
    portalTitle: '计划变化审核',
    group: '市级高级研修项目',
    nameTitle: '项目名称',
    hostTitle: null,
    held: true,
    money: false,
    due: false,
    unitType: false,
    year: true,
    exportName: '计划变化审核.xlsx',
  },
  completion: {
    title: '结业审核',
    portalTitle: '结业审核',
    group: '市级高级研修项目',
    nameTitle: '项目名称',
    hostTitle: null,
    held: false,
    money: false,
    due: true,
    unitType: false,
    year: true,
    exportName: '结业审核.xlsx',
  },
  'education-base': {
    title: '继续教育基地认定',
    portalTitle: '继续教育基地审核',
    group: '基地管理',
    nameTitle: '基地名称',
    hostTitle: '专业领域',
    held: false,
    money: false,
    due: false,
    unitType: true,
    year: false,
    exportName: '继续教育基地认定.xlsx',
  },
  'engineer-base': {
    title: '工程师基地认定',
    portalTitle: '工程师基地审核',
    group: '基地管理',
    nameTitle: '基地名称',
    hostTitle: '专业领域',
    held: false,
    money: false,
    due: false,
    unitType: true,
    year: false,
    exportName: '工程师基地认定.xlsx',
  },
};

/** The view of a type; an unknown type gets a plain one named after its definition (or undefined without one). */
export function reviewTypeView(type: string): ReviewTypeView | undefined {
  const def = applicationType(type);
  if (!def) return undefined;
  const v = VIEWS[type] ?? {
    title: `${def.label}审核`,
    portalTitle: `${def.label}审核`,
    group: '继续教育管理',
    nameTitle: '名称',
    hostTitle: null,
    held: false,
    money: false,
    due: false,
    unitType: true,
    year: true,
    exportName: `${def.label}审核.xlsx`,
  };
  return { def, ...v };
}

/** The tabs a type's chain can produce: 待<level>审核 for each level of its chain, then the ends. */
export function stagesOf(def: ApplicationTypeDef): TApplicationStage[] {
  return [
    ...def.reviewChain.map((l) => `pending-${l}` as TApplicationStage),
    'returned',
    'approved',
    'rejected',
    'withdrawn',
  ];
}

export function stageLabel(stage: TApplicationStage | 'draft'): string {
  return APPLICATION_STAGE_LABELS[stage];
}
