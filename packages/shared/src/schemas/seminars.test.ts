import { describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '../validators/id-number.js';
import { checkTraineeLines, linefromCells, parseTraineeText, type TraineeInputLine } from './seminars.js';

const id = (first17: string) => first17 + idNumberCheckChar(first17);
const A = id('50010319900101123');
const B = id('50011219851231002');
const today = new Date('2026-06-01T00:00:00Z');

const line = (n: number, over: Partial<TraineeInputLine> = {}): TraineeInputLine => ({
  line: n,
  name: '张三',
  idNumber: A,
  employer: '重庆市第一人民医院',
  title: '主任医师',
  phone: '13800138000',
  attendanceDays: '5',
  result: '合格',
  ...over,
});

const reasonOf = (l: TraineeInputLine, classDays = 5) => {
  const [r] = checkTraineeLines([l], { classDays, today });
  return r?.ok ? null : r?.reason;
};

describe('checkTraineeLines (学员名单)', () => {
  it('accepts a complete line and normalises it', () => {
    const [r] = checkTraineeLines([line(3, { idNumber: ` ${A.toLowerCase()} `, phone: '+86 138-0013-8000' })], {
      classDays: 5,
      today,
    });
    expect(r).toEqual({
      ok: true,
      value: {
        line: 3,
        name: '张三',
        idNumber: A,
        idType: 'idCard',
        employer: '重庆市第一人民医院',
        title: '主任医师',
        phone: '13800138000',
        attendanceDays: 5,
        result: '合格',
      },
    });
  });

  it('gives each rule its Chinese reason', () => {
    expect(reasonOf(line(1, { name: '' }))).toBe('请填写姓名');
    expect(reasonOf(line(1, { name: '张'.repeat(31) }))).toBe('姓名最多30个字');
    expect(reasonOf(line(1, { idNumber: '' }))).toBe('请填写身份证号码');
    expect(reasonOf(line(1, { idNumber: `${A.slice(0, 17)}${A[17] === '0' ? '1' : '0'}` }))).toBe(
      '身份证号码校验位错误，请核对后重新输入',
    );
    expect(reasonOf(line(1, { idNumber: '5001031990' }))).toBe('身份证号码应为18位');
    expect(reasonOf(line(1, { employer: ' ' }))).toBe('请填写工作单位');
    expect(reasonOf(line(1, { phone: '12345' }))).toBe('手机号码格式不正确');
    expect(reasonOf(line(1, { phone: '' }))).toBeNull();
    expect(reasonOf(line(1, { title: '' }))).toBeNull();
    expect(reasonOf(line(1, { attendanceDays: '6' }))).toBe('出勤天数不能超过开班天数5天');
    expect(reasonOf(line(1, { attendanceDays: '0' }))).toBeNull();
    expect(reasonOf(line(1, { attendanceDays: '2.5' }))).toBe('出勤天数应为0到5的整数');
    expect(reasonOf(line(1, { attendanceDays: '-1' }))).toBe('出勤天数应为0到5的整数');
    expect(reasonOf(line(1, { attendanceDays: '' }))).toBe('请填写出勤天数');
    expect(reasonOf(line(1, { result: '良好' }))).toBe('研修成果应填写合格或不合格');
    expect(reasonOf(line(1, { result: '不合格' }))).toBeNull();
  });

  it('takes the other documents recognisable by their shape (居住证, 永居证), each checked by its own rules', () => {
    const hk = id('81000019900101123');
    const tw = id('83000019850312002');
    const pr = id('93184019800101123');
    const [a, b, c, d] = checkTraineeLines(
      [line(1, { idNumber: hk }), line(2, { idNumber: tw }), line(3, { idNumber: pr }), line(4, { idNumber: hk })],
      { classDays: 5, today },
    );
    expect(a).toMatchObject({ ok: true, value: { idNumber: hk, idType: 'hkMacaoResidence' } });
    expect(b).toMatchObject({ ok: true, value: { idNumber: tw, idType: 'taiwanResidence' } });
    expect(c).toMatchObject({ ok: true, value: { idNumber: pr, idType: 'foreignPermanent' } });
    expect(d).toMatchObject({ ok: false, reason: '港澳居民居住证号码与第1行重复' });
    expect(reasonOf(line(1, { idNumber: `${hk.slice(0, 17)}${hk[17] === '0' ? '1' : '0'}` }))).toBe(
      '港澳居民居住证号码校验位错误，请核对后重新输入',
    );
    expect(reasonOf(line(1, { idNumber: 'usa123456789012' }))).toBeNull();
  });

  it('lists every reason of a line and names the first line of a duplicate', () => {
    const results = checkTraineeLines(
      [line(2), line(3, { idNumber: B }), line(7, { name: '李四', attendanceDays: '9', result: '' })],
      { classDays: 5, today },
    );
    expect(results[2]).toEqual({
      ok: false,
      line: 7,
      name: '李四',
      reason: '身份证号码与第2行重复；出勤天数不能超过开班天数5天；请填写研修成果（合格或不合格）',
    });
    expect(results.slice(0, 2).every((r) => r.ok)).toBe(true);
  });

  it('checks 2,000 lines quickly', () => {
    const lines = Array.from({ length: 2000 }, (_, i) =>
      // Distinct numbers with a real county code (渝中区): the sequence and the birth day vary, not the region.
      line(i + 1, {
        idNumber: id(
          `500103199001${String(1 + Math.floor(i / 1000)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`,
        ),
      }),
    );
    const t = performance.now();
    const results = checkTraineeLines(lines, { classDays: 5, today });
    expect(performance.now() - t).toBeLessThan(500);
    expect(results.filter((r) => !r.ok)).toHaveLength(0);
  });
});

describe('parseTraineeText (粘贴)', () => {
  it('reads tab-separated rows copied from Excel, skipping the header, 序号 and blank lines', () => {
    const text = [
      '序号\t姓名\t身份证号码\t工作单位\t职称/职务\t手机号码\t出勤天数\t研修成果',
      `1\t张三\t${A}\t重庆大学\t教授\t13800138000\t5\t合格`,
      '',
      `2\t李四\t${B}\t重庆大学\t\t\t4\t不合格`,
    ].join('\r\n');
    expect(parseTraineeText(text)).toEqual([
      linefromCells(2, ['张三', A, '重庆大学', '教授', '13800138000', '5', '合格']),
      linefromCells(4, ['李四', B, '重庆大学', '', '', '4', '不合格']),
    ]);
  });

  it('reads comma- and space-separated rows, placing missing optional values', () => {
    expect(parseTraineeText(`张三，${A}，重庆大学，教授，13800138000，5，合格`)[0]?.title).toBe('教授');
    const [noTitle] = parseTraineeText(`张三 ${A} 重庆大学 13800138000 5 合格`);
    expect(noTitle).toMatchObject({ title: '', phone: '13800138000', attendanceDays: '5' });
    const [noPhone] = parseTraineeText(`张三 ${A} 重庆大学 教授 5 合格`);
    expect(noPhone).toMatchObject({ title: '教授', phone: '', attendanceDays: '5' });
    const [neither] = parseTraineeText(`张三 ${A} 重庆大学 5 合格`);
    expect(neither).toMatchObject({ title: '', phone: '', attendanceDays: '5', result: '合格' });
  });
});
