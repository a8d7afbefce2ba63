import { z } from 'zod';
import { displayValue, type FieldDef, fieldSchema } from './fields.js';

/**
 * 草稿 → 待审核 (at each step of the type's review chain) → (已退回 → 待审核 at the step that returned it …)
 * → 审核通过 / 审核不通过, plus 已撤回.
 */
export const APPLICATION_STATUSES = ['draft', 'pending', 'returned', 'approved', 'rejected', 'withdrawn'] as const;
export type TApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export const APPLICATION_STATUS_LABELS: Record<TApplicationStatus, string> = {
  draft: '草稿',
  pending: '待审核',
  returned: '已退回',
  approved: '审核通过',
  rejected: '审核不通过',
  withdrawn: '已撤回',
};

export const APPLICATION_ACTIONS = ['edit', 'submit', 'withdraw', 'delete', 'return', 'approve', 'reject'] as const;
export type TApplicationAction = (typeof APPLICATION_ACTIONS)[number];
export const APPLICATION_ACTION_LABELS: Record<TApplicationAction, string> = {
  edit: '修改',
  submit: '提交申报书',
  withdraw: '撤回',
  delete: '删除',
  return: '退回修改',
  approve: '审核通过',
  reject: '审核不通过',
};

/**
 * Every allowed transition, and who may take it. Anything not in this table is refused
 * (APPLICATION_STATE). `edit` and `delete` keep or end the record without a new state.
 * 撤回 is allowed only while the reviewer has not opened the application in this round (checked by the service).
 * `approve` ends in 审核通过 at the last step of the chain; before that it stays 待审核 at the next step
 * (`nextStep`).
 */
export const APPLICATION_TRANSITIONS: Record<
  TApplicationAction,
  { by: 'filer' | 'reviewer'; from: readonly TApplicationStatus[]; to: TApplicationStatus | null }
> = {
  edit: { by: 'filer', from: ['draft', 'returned', 'withdrawn'], to: null },
  submit: { by: 'filer', from: ['draft', 'returned', 'withdrawn'], to: 'pending' },
  withdraw: { by: 'filer', from: ['pending'], to: 'withdrawn' },
  delete: { by: 'filer', from: ['draft'], to: null },
  return: { by: 'reviewer', from: ['pending'], to: 'returned' },
  approve: { by: 'reviewer', from: ['pending'], to: 'approved' },
  reject: { by: 'reviewer', from: ['pending'], to: 'rejected' },
};

export function canTransition(action: TApplicationAction, from: TApplicationStatus): boolean {
  return (APPLICATION_TRANSITIONS[action].from as readonly string[]).includes(from);
}

/** Who files: the administrator of an approved unit (单位中心) or a 区县人社局 (staff console). */
export type FilerKind = 'unit' | 'district';

/** The levels a review chain is made of: a unit's 主管部门, the 区县人社局 of its district, 市人社局. */
export const REVIEW_LEVELS = ['department', 'district', 'city'] as const;
export type ReviewLevel = (typeof REVIEW_LEVELS)[number];
export const REVIEW_LEVEL_LABELS: Record<ReviewLevel, string> = {
  department: '主管部门',
  district: '区县人社局',
  city: '市人社局',
};

/** One step of a resolved chain: the level and the organisation node that acts (null: every 市人社局 reviewer). */
export interface ChainStep {
  level: ReviewLevel;
  nodeId: string | null;
  name: string;
}

/**
 * Where a list places an application: its status, with 待审核 split by the level reviewing it (the tabs
 * 待主管部门审核 / 待区县人社局审核 / 待市人社局审核 / 已退回 / 审核通过 / 审核不通过).
 */
export const APPLICATION_STAGES = [
  'pending-department',
  'pending-district',
  'pending-city',
  'returned',
  'approved',
  'rejected',
  'withdrawn',
] as const;
export type TApplicationStage = (typeof APPLICATION_STAGES)[number];
export const APPLICATION_STAGE_LABELS: Record<TApplicationStage | 'draft', string> = {
  draft: '草稿',
  'pending-department': '待主管部门审核',
  'pending-district': '待区县人社局审核',
  'pending-city': '待市人社局审核',
  returned: '已退回',
  approved: '审核通过',
  rejected: '审核不通过',
  withdrawn: '已撤回',
};
export function stageOf(status: TApplicationStatus, chain: readonly Pick<ChainStep, 'level'>[], step: number) {
  if (status !== 'pending') return status;
  return `pending-${chain[step]?.level ?? 'city'}` as TApplicationStage;
}

/** After 通过 at `step`: the next step of the chain, or null when that was the last (审核通过). */
export function nextStep(chain: readonly unknown[], step: number): number | null {
  return step + 1 < Math.max(chain.length, 1) ? step + 1 : null;
}

export interface SectionDef {
  id: string;
  title: string;
  fields: FieldDef[];
  /** Rules across fields of the section (e.g. 需资助费用 ≤ 预计费用): field name → message. */
  check?: (values: Record<string, unknown>) => Record<string, string>;
}

export interface ApplicationTypeDef {
  /** URL and API key. */
  key: string;
  /** Two digits in the 编号. */
  typeCode: string;
  /** 您当前申报的是：… */
  label: string;
  /** 单位中心 menu item and list title. */
  menuLabel: string;
  filers: readonly FilerKind[];
  /**
   * The levels that review, in order. A level that does not apply to the filer is skipped when the chain is
   * resolved (a unit registered directly under its 区县人社局 has no 主管部门 step; a 区县人社局 does not review
   * its own filing).
   */
  reviewChain: readonly ReviewLevel[];
  /** Filed in yearly batches with a 申报截止时间 opened by 市人社局 (市级高级研修项目); otherwise any time. */
  batched: boolean;
  /**
   * The approved application of another type this one follows (开班方案 follows a 市级高级研修项目申报).
   * `once`: at most one live filing per parent (a rejected or withdrawn one may be filed again);
   * otherwise several, one open at a time (计划变化).
   */
  parent?: { type: string; once: boolean };
  /** Fields of the parent that this type may never change; a body carrying one is refused with the message. */
  forbiddenFields?: Readonly<Record<string, string>>;
  /** Rules against the approved data this type follows: `sectionId.field` → message. */
  checkRelated?: (data: ApplicationData, related: RelatedData) => FieldErrors;
  /** The draft's first values taken from the parent (e.g. 项目名称, 承办单位 of the approved project). */
  prefillFromParent?: (related: RelatedData) => ApplicationData;
  sections: readonly SectionDef[];
  /** The list columns, read out of the data. */
  summary: (data: ApplicationData) => ApplicationSummary;
  /** 编号: yy + type code + a 12-digit sequence, e.g. 2201000000101953. */
  number: (year: number, sequence: number) => string;
  /** Printed title of the 申报书. */
  documentTitle: (year: number) => string;
}

/** The approved chain above an application: its parent and the 市级高级研修项目 at the root. */
export interface RelatedData {
  parent?: ApplicationData;
  project?: ApplicationData;
}

export interface ApplicationSummary {
  projectName: string;
  heldFrom: string | null;
  heldTo: string | null;
  hostUnit: string;
  estimatedFen: number | null;
  subsidyFen: number | null;
}

/** sectionId → field name → value. */
export type ApplicationData = Record<string, Record<string, unknown>>;

export function numberOf(year: number, typeCode: string, sequence: number): string {
  return `${String(year % 100).padStart(2, '0')}${typeCode}${String(sequence).padStart(12, '0')}`;
}

function objectSchema(section: SectionDef, full: boolean) {
  return z.object(Object.fromEntries(section.fields.map((f) => [f.name, fieldSchema(f, full)]))).strip();
}

const cache = new WeakMap<SectionDef, { draft: z.ZodType; full: z.ZodType }>();
export function sectionSchemas(section: SectionDef) {
  let s = cache.get(section);
  if (!s) {
    s = { draft: objectSchema(section, false), full: objectSchema(section, true) };
    cache.set(section, s);
  }
  return s;
}

export type FieldErrors = Record<string, string>;

/** Draft check of one section: shapes and typed values; the keys are `sectionId.field`. */
export function checkSectionDraft(
  section: SectionDef,
  values: unknown,
): { ok: true; values: Record<string, unknown> } | { ok: false; errors: FieldErrors } {
  const r = sectionSchemas(section).draft.safeParse(values ?? {});
  if (!r.success) return { ok: false, errors: issuesToFields(section.id, r.error.issues) };
  const v = r.data as Record<string, unknown>;
  const cross = section.check?.(v) ?? {};
  const errors = Object.fromEntries(Object.entries(cross).map(([k, m]) => [`${section.id}.${k}`, m]));
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, values: v };
}

/** Everything a submission needs: per section, what is missing or wrong (empty when complete). */
export function checkComplete(def: ApplicationTypeDef, data: ApplicationData): FieldErrors {
  const errors: FieldErrors = {};
  for (const section of def.sections) {
    const values = data[section.id] ?? {};
    const r = sectionSchemas(section).full.safeParse(values);
    if (!r.success) Object.assign(errors, issuesToFields(section.id, r.error.issues));
    else
      for (const [k, m] of Object.entries(section.check?.(r.data as Record<string, unknown>) ?? {}))
        errors[`${section.id}.${k}`] ??= m;
  }
  return errors;
}

function issuesToFields(sectionId: string, issues: z.core.$ZodIssue[]): FieldErrors {
  const out: FieldErrors = {};
  for (const i of issues) {
    const key = [sectionId, ...i.path.slice(0, 1).map(String)].join('.');
    out[key] ??= i.message;
  }
  return out;
}

export interface FieldChange {
  sectionId: string;
  sectionTitle: string;
  field: string;
  label: string;
  before: string;
  after: string;
}

/** What changed between two versions of the data, as the reviewer reads it. */
export function diffData(def: ApplicationTypeDef, before: ApplicationData, after: ApplicationData): FieldChange[] {
  const out: FieldChange[] = [];
  for (const s of def.sections)
    for (const f of s.fields) {
      const b = displayValue(f, before[s.id]?.[f.name]);
      const a = displayValue(f, after[s.id]?.[f.name]);
      if (a !== b)
        out.push({ sectionId: s.id, sectionTitle: s.title, field: f.name, label: f.label, before: b, after: a });
    }
  return out;
}
