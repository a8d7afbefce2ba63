import type { ApplicationTypeDef } from './engine.js';
import { numberOf } from './engine.js';

const text = (name: string, label: string, max = 100, required = true) =>
  ({ name, label, kind: 'text', required, max }) as const;
const area = (name: string, label: string, max = 2000, required = true) =>
  ({ name, label, kind: 'textarea', required, max }) as const;

/**
 * 市级高级研修项目 (seed 000 §2.3.1, §3.1). The seed shows the labels of 基本信息 and the nine section
 * titles; the fields of the other sections follow what such a 申报书 normally asks (a 研修 plan, its
 * experts, its trainees, who files, who hosts, where the subsidy is paid) and are listed here.
 */
export const ADVANCED_SEMINAR: ApplicationTypeDef = {
  key: 'advanced-seminar',
  typeCode: '01',
  label: '市级高级研修项目',
  menuLabel: '市级高级研修项目申报',
  filers: ['unit', 'district'],
  reviewChain: ['city'],
  batched: true,
  documentTitle: (year) => `${year}年度重庆市专业技术人才知识更新工程高级研修项目申报书`,
  number: (year, seq) => numberOf(year, '01', seq),
  sections: [
    {
      id: 'basic',
      title: '基本信息',
      fields: [
        { ...text('projectName', '项目名称'), min: 2 },
        { name: 'period', label: '举办时间', kind: 'dateRange', required: true },
        text('venue', '举办地点', 200),
        { name: 'estimatedFen', label: '预计费用', kind: 'wan', required: true, unit: '万元', max: 10_000 },
        { name: 'subsidyFen', label: '需资助费用', kind: 'wan', required: true, unit: '万元', max: 10_000 },
      ],
      check: (v): Record<string, string> =>
        typeof v.subsidyFen === 'number' && typeof v.estimatedFen === 'number' && v.subsidyFen > v.estimatedFen
          ? { subsidyFen: '需资助费用不能大于预计费用' }
          : {},
    },
    {
      id: 'purpose',
      title: '研修目的和作用',
      fields: [{ ...area('purpose', '研修目的和作用'), min: 10 }],
    },
    {
      id: 'content',
      title: '研修内容和方式',
      fields: [
        area('content', '研修内容'),
        area('method', '研修方式', 1000),
        {
          name: 'schedule',
          label: '日程安排',
          kind: 'table',
          required: true,
          min: 1,
          max: 60,
          help: '按天填写：日期、时段、内容、授课专家',
          columns: [
            { name: 'date', label: '日期', kind: 'date', max: 10, required: true, width: 140 },
            { name: 'time', label: '时段', kind: 'text', max: 20, required: false, width: 80 },
            { name: 'topic', label: '内容', kind: 'text', max: 200, required: true },
            { name: 'lecturer', label: '授课专家', kind: 'text', max: 50, required: false, width: 100 },
          ],
        },
      ],
    },
    {
      id: 'experts',
      title: '授课专家情况',
      fields: [
        {
          name: 'experts',
          label: '授课专家',
          kind: 'table',
          required: true,
          min: 1,
          max: 30,
          columns: [
            { name: 'name', label: '姓名', kind: 'text', max: 30, required: true, width: 100 },
            { name: 'employer', label: '工作单位', kind: 'text', max: 100, required: true },
            { name: 'title', label: '职称/职务', kind: 'text', max: 50, required: true, width: 140 },
            { name: 'field', label: '专业领域', kind: 'text', max: 50, required: true, width: 140 },
            { name: 'topic', label: '授课内容', kind: 'text', max: 200, required: true },
          ],
        },
      ],
    },
    {
      id: 'trainees',
      title: '培训对象和人数',
      fields: [
        area('audience', '培训对象', 1000),
        { name: 'count', label: '培训人数', kind: 'int', required: true, min: 1, max: 10_000, unit: '人' },
        {
          name: 'seniorCount',
          label: '其中高级职称人数',
          kind: 'int',
          required: true,
          min: 0,
          max: 10_000,
          unit: '人',
        },
      ],
      check: (v): Record<string, string> =>
        typeof v.count === 'number' && typeof v.seniorCount === 'number' && v.seniorCount > v.count
          ? { seniorCount: '其中高级职称人数不能大于培训人数' }
          : {},
    },
    {
      id: 'applicant',
      title: '申报单位',
      fields: [
        { ...text('unitName', '单位名称'), prefill: 'unitName' },
        { ...text('uscc', '统一社会信用代码', 18, false), prefill: 'unitUscc' },
        { ...text('address', '通讯地址', 200), prefill: 'unitAddress' },
        text('contactName', '联系人', 30),
        { name: 'contactPhone', label: '联系电话', kind: 'phone', required: true },
        text('email', '电子邮箱', 100, false),
      ],
      check: (v): Record<string, string> =>
        typeof v.email === 'string' && v.email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email)
          ? { email: '电子邮箱格式不正确' }
          : {},
    },
    {
      id: 'host',
      title: '承办单位',
      fields: [
        text('hostName', '承办单位名称'),
        text('hostAddress', '承办单位地址', 200, false),
        text('hostContact', '联系人', 30),
        { name: 'hostPhone', label: '联系电话', kind: 'phone', required: true },
      ],
    },
    {
      id: 'account',
      title: '收款账户',
      fields: [
        text('accountName', '户名'),
        text('bankName', '开户银行'),
        { name: 'accountNumber', label: '账号', kind: 'bankAccount', required: true },
      ],
    },
    {
      id: 'attachments',
      title: '其他附件',
      fields: [
        {
          name: 'files',
          label: '其他附件',
          kind: 'files',
          required: false,
          max: 10,
          help: '支持PDF、JPG、PNG、DOCX（按文件内容识别），单个不超过10M，最多10个',
        },
      ],
    },
  ],
  summary: (data) => {
    const basic = data.basic ?? {};
    const period = basic.period as { from?: string; to?: string } | undefined;
    return {
      projectName: typeof basic.projectName === 'string' ? basic.projectName : '',
      heldFrom: period?.from || null,
      heldTo: period?.to || null,
      hostUnit: typeof data.host?.hostName === 'string' ? data.host.hostName : '',
      estimatedFen: typeof basic.estimatedFen === 'number' ? basic.estimatedFen : null,
      subsidyFen: typeof basic.subsidyFen === 'number' ? basic.subsidyFen : null,
    };
  },
};
