import { ADVANCED_SEMINAR } from './advanced-seminar.js';
import type { ApplicationData, ApplicationTypeDef, FieldErrors, RelatedData, SectionDef } from './engine.js';
import { numberOf } from './engine.js';
import type { ColumnDef, FieldDef } from './fields.js';

/**
 * The 高研班 after approval (Chongqing's rules for 高级研修班): the 承办单位 files a 开班方案 before the class,
 * reports every change of time, place, experts or schedule (计划变化; 研修内容 and 培训对象 never change), and
 * within 15 working days after the class reports 结业 with its 学员名单. Reviewed by 市人社局.
 */

/** 学时 of a half day of class (上午 or 下午) in the 日程安排. */
export const HOURS_PER_HALF_DAY = 4;
export const HALF_DAYS = ['上午', '下午'] as const;
/** 结业上报 is due this many working days after 结业日期. */
export const COMPLETION_DUE_WORKING_DAYS = 15;

const str = (v: unknown) => (typeof v === 'string' ? v : '');

const SCHEDULE_COLUMNS: ColumnDef[] = [
  { name: 'date', label: '日期', kind: 'date', max: 10, required: true, width: 140 },
  { name: 'half', label: '时段', kind: 'select', options: HALF_DAYS, max: 2, required: true, width: 90 },
  { name: 'topic', label: '授课内容', kind: 'text', max: 200, required: true },
  { name: 'lecturer', label: '授课专家', kind: 'text', max: 30, required: true, width: 100 },
  { name: 'lecturerTitle', label: '职称', kind: 'text', max: 50, required: true, width: 120 },
  { name: 'lecturerUnit', label: '工作单位', kind: 'text', max: 100, required: true, width: 160 },
];

const scheduleField: FieldDef = {
  name: 'schedule',
  label: '日程安排',
  kind: 'table',
  required: true,
  min: 1,
  max: 60,
  help: `按半天填写：日期、上午/下午、授课内容、授课专家及其职称和工作单位；每半天计${HOURS_PER_HALF_DAY}学时`,
  columns: SCHEDULE_COLUMNS,
};

type ScheduleRow = { date?: string; half?: string; topic?: string; lecturer?: string };
const rowsOf = (data: ApplicationData | undefined): ScheduleRow[] => {
  const rows = data?.schedule?.schedule;
  return Array.isArray(rows) ? (rows as ScheduleRow[]) : [];
};

/** 学时 of a class: every distinct half day of its 日程安排 counts HOURS_PER_HALF_DAY. */
export function classHours(data: ApplicationData | undefined, perHalfDay = HOURS_PER_HALF_DAY): number {
  const halves = new Set(
    rowsOf(data)
      .filter((r) => r?.date && r.half)
      .map((r) => `${r.date}|${r.half}`),
  );
  return halves.size * perHalfDay;
}

/** The class's length in days, 开班日期 to 结业日期 inclusive (attendance in the 学员名单 may not exceed it). */
export function classDays(data: ApplicationData | undefined): number {
  const from = str(data?.basic?.startDate);
  const to = str(data?.basic?.endDate);
  if (!from || !to || to < from) return 0;
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The dates and schedule rows must agree: rows inside the class, no half day twice. */
function scheduleRules(start: string, end: string, rows: ScheduleRow[], sectionId: string): FieldErrors {
  const errors: FieldErrors = {};
  const seen = new Set<string>();
  for (const [i, r] of rows.entries()) {
    if (!r?.date) continue;
    if (start && end && (r.date < start || r.date > end)) {
      errors[`${sectionId}.schedule`] ??= `日程安排第${i + 1}行的日期不在开班日期至结业日期之间`;
    }
    const key = `${r.date}|${r.half}`;
    if (r.half && seen.has(key)) errors[`${sectionId}.schedule`] ??= `日程安排第${i + 1}行与前面的行是同一个半天`;
    seen.add(key);
  }
  return errors;
}

const datesInOrder: SectionDef['check'] = (v): Record<string, string> =>
  typeof v.startDate === 'string' && typeof v.endDate === 'string' && v.endDate < v.startDate
    ? { endDate: '结业日期不能早于开班日期' }
    : {};

/**
 * A class's dates against the approved project (held in its year) and its schedule (rows inside the dates, no
 * half day twice); `datesAt` / `scheduleAt` are the sections holding them.
 */
function classDateRules(
  start: string,
  end: string,
  rows: ScheduleRow[],
  related: RelatedData,
  datesAt: string,
  scheduleAt: string,
): FieldErrors {
  const errors: FieldErrors = {};
  const year = projectYear(related);
  if (year && start && start.slice(0, 4) !== year)
    errors[`${datesAt}.startDate`] = `开班日期应在批准的举办年度（${year}年）内`;
  if (year && end && end.slice(0, 4) !== year)
    errors[`${datesAt}.endDate`] = `结业日期应在批准的举办年度（${year}年）内`;
  return { ...errors, ...scheduleRules(start, end, rows, scheduleAt) };
}

/** The approved project's year: the class must be held in it. */
function projectYear(related: RelatedData): string {
  const period = related.project?.basic?.period as { from?: string } | undefined;
  return str(period?.from).slice(0, 4);
}

export const CLASS_PLAN: ApplicationTypeDef = {
  key: 'class-plan',
  typeCode: '11',
  label: '开班方案',
  menuLabel: '开班方案上报',
  filers: ['unit', 'district'],
  reviewChain: ['city'],
  batched: false,
  parent: { type: ADVANCED_SEMINAR.key, once: true },
  documentTitle: (year) => `${year}年度重庆市专业技术人才知识更新工程高级研修项目开班方案`,
  number: (year, seq) => numberOf(year, '11', seq),
  prefillFromParent: ({ parent }) => ({
    basic: {
      projectName: str(parent?.basic?.projectName),
      hostName: str(parent?.host?.hostName),
      venue: str(parent?.basic?.venue),
    },
  }),
  sections: [
    {
      id: 'basic',
      title: '开班信息',
      fields: [
        { name: 'projectName', label: '项目名称', kind: 'text', required: true, max: 100, help: '与批准的申报书一致' },
        { name: 'hostName', label: '承办单位', kind: 'text', required: true, max: 100 },
        { name: 'startDate', label: '开班日期', kind: 'date', required: true },
        { name: 'endDate', label: '结业日期', kind: 'date', required: true },
        { name: 'venue', label: '举办地点', kind: 'text', required: true, max: 200 },
        { name: 'quota', label: '学员名额', kind: 'int', required: true, min: 1, max: 10_000, unit: '人' },
        { name: 'enrolment', label: '报名方式', kind: 'textarea', required: true, max: 1000 },
        { name: 'contactName', label: '联系人', kind: 'text', required: true, max: 30 },
        { name: 'contactPhone', label: '联系电话', kind: 'phone', required: true },
      ],
      check: datesInOrder,
    },
    {
      id: 'schedule',
      title: '日程安排',
      fields: [scheduleField],
    },
    {
      id: 'notice',
      title: '开班通知',
      fields: [
        {
          name: 'files',
          label: '开班通知',
          kind: 'files',
          required: true,
          min: 1,
          max: 5,
          help: '上传盖章的开班通知（PDF、JPG、PNG、DOCX，单个不超过10M）',
        },
      ],
    },
  ],
  checkRelated: (data, related) => {
    const b = data.basic ?? {};
    return classDateRules(str(b.startDate), str(b.endDate), rowsOf(data), related, 'basic', 'schedule');
  },
  summary: (data) => ({
    projectName: str(data.basic?.projectName),
    heldFrom: str(data.basic?.startDate) || null,
    heldTo: str(data.basic?.endDate) || null,
    hostUnit: str(data.basic?.hostName),
    estimatedFen: null,
    subsidyFen: null,
  }),
};

/** What a 计划变化 may change, and the fields of the 开班方案 each choice covers. */
export const PLAN_CHANGE_ITEMS = ['举办时间', '举办地点', '授课专家', '日程安排'] as const;

export const PLAN_CHANGE: ApplicationTypeDef = {
  key: 'plan-change',
  typeCode: '12',
  label: '计划变化情况',
  menuLabel: '计划变化情况上报',
  filers: ['unit', 'district'],
  reviewChain: ['city'],
  batched: false,
  parent: { type: CLASS_PLAN.key, once: false },
  forbiddenFields: {
    content: '研修内容经批准后不能变更，只能变更举办时间、举办地点、授课专家和日程安排',
    audience: '培训对象经批准后不能变更，只能变更举办时间、举办地点、授课专家和日程安排',
  },
  documentTitle: (year) => `${year}年度重庆市专业技术人才知识更新工程高级研修项目计划变化情况报告`,
  number: (year, seq) => numberOf(year, '12', seq),
  prefillFromParent: ({ parent }) => ({
    change: { projectName: str(parent?.basic?.projectName) },
    plan: {
      startDate: str(parent?.basic?.startDate),
      endDate: str(parent?.basic?.endDate),
      venue: str(parent?.basic?.venue),
      schedule: rowsOf(parent),
    },
  }),
  sections: [
    {
      id: 'change',
      title: '变化情况',
      fields: [
        { name: 'projectName', label: '项目名称', kind: 'text', required: true, max: 100 },
        { name: 'items', label: '变化事项', kind: 'checks', required: true, options: PLAN_CHANGE_ITEMS },
        { name: 'reason', label: '变化原因', kind: 'textarea', required: true, min: 5, max: 1000 },
      ],
    },
    {
      id: 'plan',
      title: '变化后安排',
      fields: [
        { name: 'startDate', label: '开班日期', kind: 'date', required: true },
        { name: 'endDate', label: '结业日期', kind: 'date', required: true },
        { name: 'venue', label: '举办地点', kind: 'text', required: true, max: 200 },
        scheduleField,
      ],
      check: datesInOrder,
    },
    {
      id: 'attachments',
      title: '附件',
      fields: [{ name: 'files', label: '附件', kind: 'files', required: false, max: 10 }],
    },
  ],
  checkRelated: (data, related) => {
    const p = data.plan ?? {};
    const start = str(p.startDate);
    const end = str(p.endDate);
    const errors = classDateRules(start, end, rowsOf({ schedule: p }), related, 'plan', 'plan');
    // Each change must be one that was ticked, and each ticked item must change something.
    const before = related.parent ?? {};
    const changed: Record<(typeof PLAN_CHANGE_ITEMS)[number], boolean> = {
      举办时间: start !== str(before.basic?.startDate) || end !== str(before.basic?.endDate),
      举办地点: str(p.venue) !== str(before.basic?.venue),
      授课专家: lecturers(rowsOf({ schedule: p })) !== lecturers(rowsOf(before)),
      日程安排: JSON.stringify(rowsOf({ schedule: p })) !== JSON.stringify(rowsOf(before)),
    };
    const ticked = new Set(Array.isArray(data.change?.items) ? (data.change.items as string[]) : []);
    for (const item of PLAN_CHANGE_ITEMS) {
      if (ticked.has(item) && !changed[item])
        errors['change.items'] ??= `勾选了“${item}”，但变化后安排中的${item}与原方案相同`;
      if (!ticked.has(item) && changed[item] && !(item === '授课专家' && ticked.has('日程安排')))
        errors['change.items'] ??= `变化后安排修改了${item}，请在变化事项中勾选“${item}”`;
    }
    return errors;
  },
  summary: (data) => ({
    projectName: str(data.change?.projectName),
    heldFrom: str(data.plan?.startDate) || null,
    heldTo: str(data.plan?.endDate) || null,
    hostUnit: '',
    estimatedFen: null,
    subsidyFen: null,
  }),
};

function lecturers(rows: ScheduleRow[]): string {
  return [...new Set(rows.map((r) => r?.lecturer ?? ''))].sort().join('|');
}

/** The values of an approved 计划变化 that replace the 开班方案's. */
export function applyPlanChange(classPlan: ApplicationData, change: ApplicationData): ApplicationData {
  const p = change.plan ?? {};
  return {
    ...classPlan,
    basic: { ...(classPlan.basic ?? {}), startDate: p.startDate, endDate: p.endDate, venue: p.venue },
    schedule: { ...(classPlan.schedule ?? {}), schedule: p.schedule },
  };
}

const photo = (name: string, label: string): FieldDef => ({
  name,
  label,
  kind: 'files',
  required: true,
  min: 1,
  max: 10,
  accept: 'images',
  help: 'JPG或PNG，至少1张',
});

export const COMPLETION: ApplicationTypeDef = {
  key: 'completion',
  typeCode: '13',
  label: '结业情况',
  menuLabel: '结业上报',
  filers: ['unit', 'district'],
  reviewChain: ['city'],
  batched: false,
  parent: { type: CLASS_PLAN.key, once: true },
  documentTitle: (year) => `${year}年度重庆市专业技术人才知识更新工程高级研修项目结业报告`,
  number: (year, seq) => numberOf(year, '13', seq),
  prefillFromParent: ({ parent }) => ({ report: { projectName: str(parent?.basic?.projectName) } }),
  sections: [
    {
      id: 'report',
      title: '总结报告',
      fields: [
        { name: 'projectName', label: '项目名称', kind: 'text', required: true, max: 100 },
        { name: 'summary', label: '总结报告', kind: 'textarea', required: true, min: 20, max: 5000 },
        { name: 'files', label: '总结报告附件', kind: 'files', required: true, min: 1, max: 3 },
      ],
    },
    {
      id: 'trainees',
      title: '学员名单',
      fields: [
        {
          name: 'list',
          label: '学员名单',
          kind: 'trainees',
          required: true,
          help: '下载模板填写后上传，或从Excel复制粘贴；每行：姓名、身份证号码、工作单位、职称/职务、手机号码、出勤天数、研修成果',
        },
      ],
    },
    {
      id: 'budget',
      title: '经费决算表',
      fields: [
        {
          name: 'items',
          label: '经费决算',
          kind: 'table',
          required: true,
          min: 1,
          max: 30,
          columns: [
            { name: 'item', label: '支出项目', kind: 'text', max: 100, required: true },
            { name: 'amountFen', label: '金额（万元）', kind: 'wan', max: 10_000, required: true, width: 140 },
            { name: 'note', label: '说明', kind: 'text', max: 200, required: false },
          ],
        },
        {
          name: 'subsidyUsedFen',
          label: '使用资助资金',
          kind: 'wan',
          required: true,
          unit: '万元',
          max: 10_000,
          help: '不超过批准的需资助费用',
        },
      ],
      check: (v): Record<string, string> => {
        const total = Array.isArray(v.items)
          ? (v.items as { amountFen?: unknown }[]).reduce(
              (t, r) => t + (typeof r?.amountFen === 'number' ? r.amountFen : 0),
              0,
            )
          : 0;
        return typeof v.subsidyUsedFen === 'number' &&
          v.subsidyUsedFen > total &&
          Array.isArray(v.items) &&
          v.items.length
          ? { subsidyUsedFen: '使用资助资金不能大于经费决算合计' }
          : {};
      },
    },
    {
      id: 'photos',
      title: '照片',
      fields: [
        photo('opening', '开班照片'),
        photo('lecture', '授课照片'),
        photo('visit', '考察照片'),
        photo('exchange', '交流照片'),
      ],
    },
    {
      id: 'papers',
      title: '优秀论文',
      fields: [{ name: 'files', label: '优秀论文', kind: 'files', required: false, max: 10 }],
    },
    {
      id: 'evaluation',
      title: '质量评估表',
      fields: [{ name: 'files', label: '质量评估表', kind: 'files', required: true, min: 1, max: 5 }],
    },
  ],
  checkRelated: (data, related): FieldErrors => {
    const used = data.budget?.subsidyUsedFen;
    const approved = related.project?.basic?.subsidyFen;
    return typeof used === 'number' && typeof approved === 'number' && used > approved
      ? { 'budget.subsidyUsedFen': '使用资助资金不能大于批准的需资助费用' }
      : {};
  },
  summary: (data) => ({
    projectName: str(data.report?.projectName),
    heldFrom: null,
    heldTo: null,
    hostUnit: '',
    estimatedFen: null,
    subsidyFen: typeof data.budget?.subsidyUsedFen === 'number' ? data.budget.subsidyUsedFen : null,
  }),
};
