import type { ApplicationTypeDef, SectionDef } from './engine.js';
import { numberOf } from './engine.js';

/**
 * 继续教育基地 / 工程师基地: designations a unit applies for, reviewed by its 主管部门, its 区县人社局 and then
 * 市人社局, whose approval designates the base for a period (BASE_VALID_YEARS).
 */
export const BASE_VALID_YEARS = 3;
/** Days before the end of a designation when the unit is reminded. */
export const BASE_EXPIRY_REMINDER_DAYS = 60;

const str = (v: unknown) => (typeof v === 'string' ? v : '');

function baseSections(kind: '继续教育基地' | '工程师基地'): SectionDef[] {
  return [
    {
      id: 'basic',
      title: '基本情况',
      fields: [
        { name: 'unitName', label: '单位名称', kind: 'text', required: true, max: 100, prefill: 'unitName' },
        {
          name: 'nature',
          label: '单位性质',
          kind: 'select',
          required: true,
          options: ['机关', '事业单位', '企业', '社会组织', '高等院校', '科研院所', '其他'],
        },
        { name: 'field', label: '专业领域', kind: 'text', required: true, max: 100 },
        { name: 'fullTimeStaff', label: '专职管理人员', kind: 'int', required: true, min: 0, max: 10_000, unit: '人' },
        { name: 'partTimeStaff', label: '兼职管理人员', kind: 'int', required: true, min: 0, max: 10_000, unit: '人' },
        { name: 'facilities', label: '场地与设施', kind: 'textarea', required: true, min: 10, max: 2000 },
        { name: 'contactName', label: '联系人', kind: 'text', required: true, max: 30 },
        { name: 'contactPhone', label: '联系电话', kind: 'phone', required: true },
      ],
    },
    {
      id: 'teachers',
      title: '师资情况',
      fields: [
        {
          name: 'teachers',
          label: '师资',
          kind: 'table',
          required: true,
          min: 1,
          max: 100,
          columns: [
            { name: 'name', label: '姓名', kind: 'text', max: 30, required: true, width: 100 },
            { name: 'title', label: '职称/职务', kind: 'text', max: 50, required: true, width: 140 },
            { name: 'field', label: '专业领域', kind: 'text', max: 50, required: true, width: 140 },
            { name: 'employer', label: '工作单位', kind: 'text', max: 100, required: true },
            {
              name: 'type',
              label: '专兼职',
              kind: 'select',
              options: ['专职', '兼职'],
              max: 2,
              required: true,
              width: 90,
            },
          ],
        },
      ],
    },
    {
      id: 'history',
      title: '近三年培训情况',
      fields: [
        {
          name: 'trainings',
          label: '近三年培训',
          kind: 'table',
          required: true,
          min: 1,
          max: 100,
          columns: [
            { name: 'year', label: '年度', kind: 'int', max: 2100, required: true, width: 90 },
            { name: 'project', label: '培训项目', kind: 'text', max: 200, required: true },
            { name: 'persons', label: '人次', kind: 'int', max: 1_000_000, required: true, width: 100 },
            { name: 'hours', label: '学时', kind: 'int', max: 10_000, required: true, width: 100 },
          ],
        },
      ],
    },
    {
      id: 'rules',
      title: '管理制度',
      fields: [
        {
          name: 'files',
          label: '管理制度',
          kind: 'files',
          required: true,
          min: 1,
          max: 10,
          help: '培训管理、师资管理、档案管理等制度文件（PDF、JPG、PNG、DOCX）',
        },
      ],
    },
    {
      id: 'reason',
      title: '申报理由',
      fields: [
        {
          name: 'reason',
          label: '申报理由',
          kind: 'textarea',
          required: true,
          min: 20,
          max: 3000,
          help: `申报${kind}的理由与建设计划`,
        },
      ],
    },
  ];
}

function baseType(key: string, typeCode: string, kind: '继续教育基地' | '工程师基地'): ApplicationTypeDef {
  return {
    key,
    typeCode,
    label: kind,
    menuLabel: `${kind}申报`,
    filers: ['unit'],
    reviewChain: ['department', 'district', 'city'],
    batched: false,
    documentTitle: (year) => `${year}年度重庆市专业技术人员${kind}申报书`,
    number: (year, seq) => numberOf(year, typeCode, seq),
    sections: baseSections(kind),
    summary: (data) => ({
      projectName: str(data.basic?.unitName) ? `${str(data.basic?.unitName)}${kind}` : '',
      heldFrom: null,
      heldTo: null,
      hostUnit: str(data.basic?.field),
      estimatedFen: null,
      subsidyFen: null,
    }),
  };
}

export const EDUCATION_BASE = baseType('education-base', '21', '继续教育基地');
export const ENGINEER_BASE = baseType('engineer-base', '22', '工程师基地');
/** Which base a 基地申报 type designates. */
export const BASE_KINDS = { 'education-base': 'education', 'engineer-base': 'engineer' } as const;
export const BASE_KIND_LABELS = { education: '继续教育基地', engineer: '工程师基地' } as const;
