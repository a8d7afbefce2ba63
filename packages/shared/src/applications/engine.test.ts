import { describe, expect, it } from 'vitest';
import { ADVANCED_SEMINAR } from './advanced-seminar.js';
import { checkComplete, checkSectionDraft, diffData, numberOf } from './engine.js';
import { bankAccountError, displayValue, fenToWanText, luhnOk, wanToFen } from './fields.js';

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
