import { describe, expect, it } from 'vitest';
import { ADVANCED_SEMINAR } from './advanced-seminar.js';
import { checkComplete, checkSectionDraft, diffData, nextStep, numberOf, stageOf } from './engine.js';
import { bankAccountError, displayValue, fenToWanText, luhnOk, wanToFen } from './fields.js';
import { APPLICATION_TYPES } from './index.js';
import { applyPlanChange, CLASS_PLAN, COMPLETION, classDays, classHours, PLAN_CHANGE } from './seminar-class.js';

const section = (id: string) =>
  ADVANCED_SEMINAR.sections.find((s) => s.id === id) as (typeof ADVANCED_SEMINAR.sections)[number];

describe('money in 万元 ↔ fen', () => {
  it('converts two decimals exactly, including values that are inexact in binary', () => {
    expect(wanToFen(10)).toBe(10_000_000);
    expect(wanToFen(0.29)).toBe(290_000);
    expect(wanToFen(1234.57)).toBe(1_234_570_000);
    expect(fenToWanText(290_000)).toBe('0.29');
    expect(fenToWanText(12_500_000)).toBe('12.50');
    expect(fenToWanText(0)).toBe('0.00');
  });
});

describe('bank account 账号', () => {
  it('accepts corporate numbers, checks UnionPay card numbers with Luhn', () => {
    expect(bankAccountError('3100021509024567890')).toBeNull();
    expect(bankAccountError('6222 0212 3456 7890 128')).toBeNull();
    expect(luhnOk('6222021234567890128')).toBe(true);
    expect(bankAccountError('6222021234567890127')).toBe('checkDigit');
    expect(bankAccountError('12345678')).toBe('length');
    expect(bankAccountError('31000215O9')).toBe('chars');
  });
});

describe('sections', () => {
  it('a draft keeps partial input; typed values must be valid', () => {
    expect(checkSectionDraft(section('basic'), { projectName: '研修班' })).toEqual({
      ok: true,
      values: { projectName: '研修班' },
    });
    const r = checkSectionDraft(section('basic'), { estimatedFen: 100, subsidyFen: -1 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors['basic.estimatedFen']).toBe('预计费用最多保留两位小数（万元）');
      expect(r.errors['basic.subsidyFen']).toBe('需资助费用不能为负数');
    }
    // Unknown keys are dropped rather than stored.
    const extra = checkSectionDraft(section('purpose'), { purpose: '目的', injected: 'x' });
    expect(extra.ok && extra.values).toEqual({ purpose: '目的' });
  });

  it('completeness lists every required field with a Chinese message', () => {
    const missing = checkComplete(ADVANCED_SEMINAR, {});
    expect(missing['basic.projectName']).toBe('请输入项目名称');
    expect(missing['basic.period']).toBe('请选择举办时间');
    expect(missing['experts.experts']).toBe('请填写授课专家');
    expect(missing['attachments.files']).toBeUndefined();
    const withEmptyRow = checkComplete(ADVANCED_SEMINAR, { experts: { experts: [{ name: '李明' }] } });
    expect(withEmptyRow['experts.experts']).toBe('请填写工作单位');
  });

  it('diff names what changed, in the reviewer’s words', () => {
    const before = { basic: { projectName: 'A', estimatedFen: 10_000_000 } };
    const after = { basic: { projectName: 'A', estimatedFen: 12_000_000 } };
    expect(diffData(ADVANCED_SEMINAR, before, after)).toEqual([
      {
        sectionId: 'basic',
        sectionTitle: '基本信息',
        field: 'estimatedFen',
        label: '预计费用',
        before: '10.00 万元',
        after: '12.00 万元',
      },
    ]);
  });

  it('numbers: yy + type code + 12-digit sequence, like the seed’s 2201000000101953', () => {
    expect(numberOf(2022, '01', 101953)).toBe('2201000000101953');
    expect(ADVANCED_SEMINAR.number(2026, 1)).toBe('2601000000000001');
  });

  it('display of a date range and a table', () => {
    const basic = section('basic');
    const period = basic.fields.find((f) => f.name === 'period');
    if (period) expect(displayValue(period, { from: '2026-05-11', to: '2026-05-15' })).toBe('2026-05-11 至 2026-05-15');
  });
});

describe('review chains', () => {
  const chain = [{ level: 'department' }, { level: 'district' }, { level: 'city' }] as const;
  it('places a pending application on the tab of the level reviewing it', () => {
    expect(stageOf('pending', chain, 0)).toBe('pending-department');
    expect(stageOf('pending', chain, 2)).toBe('pending-city');
    expect(stageOf('returned', chain, 1)).toBe('returned');
    // Filed before chains existed: 市人社局 alone.
    expect(stageOf('pending', [], 0)).toBe('pending-city');
  });
  it('通过 moves to the next step and ends at the last', () => {
    expect(nextStep(chain, 0)).toBe(1);
    expect(nextStep(chain, 2)).toBeNull();
    expect(nextStep([], 0)).toBeNull();
  });
  it('every type reviews in an order that ends with 市人社局, and its parent type exists', () => {
    for (const t of APPLICATION_TYPES) {
      expect(t.reviewChain.at(-1)).toBe('city');
      if (t.parent) expect(APPLICATION_TYPES.map((x) => x.key)).toContain(t.parent.type);
      expect(new Set(APPLICATION_TYPES.map((x) => x.typeCode)).size).toBe(APPLICATION_TYPES.length);
    }
  });
});

describe('开班方案 and 计划变化', () => {
  const row = (date: string, half: string) => ({
    date,
    half,
    topic: 't',
    lecturer: 'l',
    lecturerTitle: 'x',
    lecturerUnit: 'u',
  });
  const plan = {
    basic: { startDate: '2026-05-11', endDate: '2026-05-13', venue: '甲地' },
    schedule: { schedule: [row('2026-05-11', '上午'), row('2026-05-11', '下午'), row('2026-05-12', '上午')] },
  };
  it('学时 from the schedule (4 per half day) and the class length', () => {
    expect(classHours(plan)).toBe(12);
    expect(classHours({ schedule: { schedule: [row('2026-05-11', '上午'), row('2026-05-11', '上午')] } })).toBe(4);
    expect(classDays(plan)).toBe(3);
    expect(classDays({ basic: { startDate: '2026-05-13', endDate: '2026-05-11' } })).toBe(0);
  });
  it('the class is held in the approved year; schedule rows inside the dates, no half day twice', () => {
    const project = { basic: { period: { from: '2026-05-11', to: '2026-05-15' } } };
    const bad = {
      basic: { startDate: '2027-01-02', endDate: '2027-01-03' },
      schedule: { schedule: [row('2027-01-05', '上午')] },
    };
    const errors = CLASS_PLAN.checkRelated?.(bad, { parent: project, project }) ?? {};
    expect(errors['basic.startDate']).toBe('开班日期应在批准的举办年度（2026年）内');
    expect(errors['schedule.schedule']).toContain('不在开班日期至结业日期之间');
    const twice = { basic: plan.basic, schedule: { schedule: [row('2026-05-11', '上午'), row('2026-05-11', '上午')] } };
    expect(CLASS_PLAN.checkRelated?.(twice, { parent: project, project })['schedule.schedule']).toContain('同一个半天');
  });
  it('a 计划变化 names a ticked item that did not change and a change that was not ticked; applying it rewrites the plan', () => {
    const moved = { ...plan.basic, venue: '乙地', schedule: plan.schedule.schedule };
    const ticked = PLAN_CHANGE.checkRelated?.({ change: { items: ['举办时间'] }, plan: moved }, { parent: plan }) ?? {};
    expect(ticked['change.items']).toContain('举办时间');
    const ok = PLAN_CHANGE.checkRelated?.({ change: { items: ['举办地点'] }, plan: moved }, { parent: plan }) ?? {};
    expect(ok).toEqual({});
    const after = applyPlanChange(plan, { plan: moved });
    expect(after.basic?.venue).toBe('乙地');
    expect(diffData(CLASS_PLAN, plan, after).map((c) => c.label)).toEqual(['举办地点']);
  });
  it('select, checks and table cells of the new kinds are checked by their options and amounts', () => {
    const change = PLAN_CHANGE.sections.find((s) => s.id === 'change') as (typeof PLAN_CHANGE.sections)[number];
    const r = checkSectionDraft(change, { items: ['研修内容'] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors['change.items']).toBe('请选择有效的变化事项');
    const schedule = CLASS_PLAN.sections.find((s) => s.id === 'schedule') as (typeof CLASS_PLAN.sections)[number];
    const half = checkSectionDraft(schedule, { schedule: [{ date: '2026-05-11', half: '晚上' }] });
    expect(half.ok).toBe(false);
    const budget = COMPLETION.sections.find((s) => s.id === 'budget') as (typeof COMPLETION.sections)[number];
    const cents = checkSectionDraft(budget, { items: [{ item: '授课费', amountFen: 1_234_567 }] });
    expect(cents.ok).toBe(false);
    expect(
      checkSectionDraft(budget, { items: [{ item: '授课费', amountFen: 1_230_000 }], subsidyUsedFen: 2_000_000 }),
    ).toMatchObject({
      ok: false,
      errors: { 'budget.subsidyUsedFen': '使用资助资金不能大于经费决算合计' },
    });
  });
});
