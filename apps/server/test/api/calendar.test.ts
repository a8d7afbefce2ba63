import { beforeAll, describe, expect, it } from 'vitest';
import { OFFICIAL_ARRANGEMENTS } from '../../src/modules/calendar/official-holidays.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { staffWith } from '../purchase-factories.js';
import { staffReviewer } from '../units-factories.js';

let env: TestEnv;

beforeAll(async () => {
  env = await createTestEnv();
});

const CITY = '重庆市人力资源和社会保障局';
const YUZHONG = '渝中区人力资源和社会保障局';
const put = (c: Client, day: string, body: unknown) => c.request('PUT', `/api/calendar-days/${day}`, body);
const audits = async (action: string) =>
  (await env.ctx.audit.latest(env.ctx.db, 200)).filter((a) => a.action === action);

describe('工作日历 (staff)', () => {
  it('answers 401 without a staff login, on every route', async () => {
    const anon = new Client(env.staffApp, 'cpe_staff_csrf');
    expect((await anon.get('/api/calendar-days?year=2026')).statusCode).toBe(401);
    expect((await put(anon, '2031-03-03', { kind: 'holiday', name: '测试' })).statusCode).toBe(401);
    expect((await anon.del('/api/calendar-days/2031-03-03')).statusCode).toBe(401);
    // The portal has no such route at all.
    expect((await new Client(env.publicApp).get('/api/calendar-days?year=2026')).statusCode).toBe(404);
  });

  it('lets any staff member read, but only 系统管理员 and 市人社局审核人员 edit (403 for the others)', async () => {
    const operator = await staffWith(env, ['training-operator']);
    const list = await operator.get('/api/calendar-days?year=2031');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json()).toEqual({ year: 2031, items: [], editable: false });
    const denied = await put(operator, '2031-03-03', { kind: 'holiday', name: '测试' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().message).toBe('仅系统管理员和市人社局审核人员可以维护工作日历');
    expect((await operator.del('/api/calendar-days/2031-03-03')).statusCode).toBe(403);

    const district = await staffReviewer(env, YUZHONG);
    expect((await district.get('/api/calendar-days?year=2031')).json().editable).toBe(false);
    expect((await put(district, '2031-03-03', { kind: 'holiday', name: '测试' })).statusCode).toBe(403);

    const city = await staffReviewer(env, CITY);
    expect((await city.get('/api/calendar-days?year=2031')).json().editable).toBe(true);
    const ok = await put(city, '2031-03-03', { kind: 'holiday', name: '测试' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await city.del('/api/calendar-days/2031-03-03')).statusCode).toBe(200);
  });

  it('answers 400 naming the field: bad day, bad kind, missing name, bad year, 班 on a weekday', async () => {
    const admin = await staffWith(env, ['sysadmin']);
    const badDay = await put(admin, '2031-02-30', { kind: 'holiday', name: '测试' });
    expect(badDay.statusCode).toBe(400);
    expect(badDay.json().fields.day).toMatch(/日期无效/);
    expect((await put(admin, '31-3-3', { kind: 'holiday', name: '测试' })).json().fields.day).toMatch(/日期无效/);
    expect((await admin.del('/api/calendar-days/tomorrow')).json().fields.day).toMatch(/日期无效/);

    const badKind = await put(admin, '2031-03-03', { kind: 'rest', name: '测试' });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().fields.kind).toBe('类型应为休（holiday）或班（workday）');

    const noName = await put(admin, '2031-03-03', { kind: 'holiday', name: '  ' });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().fields.name).toBe('请填写名称');

    const badYear = await admin.get('/api/calendar-days?year=abc');
    expect(badYear.statusCode).toBe(400);
    expect(badYear.json().fields.year).toBeDefined();
    expect((await admin.get('/api/calendar-days')).json().fields.year).toBeDefined();

    // Mon 2031-03-03 already is a working day.
    const weekdayWork = await put(admin, '2031-03-03', { kind: 'workday', name: '调休' });
    expect(weekdayWork.statusCode).toBe(400);
    expect(weekdayWork.json().fields.kind).toMatch(/只有周六、周日可以设为调休上班/);

    expect((await admin.del('/api/calendar-days/2031-03-04')).statusCode).toBe(404);
  });

  it('a holiday set by the administrator is skipped at once, listed, audited; deleting it restores the day', async () => {
    const admin = await staffWith(env, ['sysadmin']);
    // Fri 2031-03-07 + 1 working day is Mon 03-10 until that Monday becomes a holiday.
    expect(await env.ctx.calendar.addWorkingDays('2031-03-07', 1)).toBe('2031-03-10');

    const res = await put(admin, '2031-03-10', { kind: 'holiday', name: ' 测试假日 ' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ day: '2031-03-10', weekday: 1, kind: 'holiday', name: '测试假日' });
    expect(await env.ctx.calendar.isWorkingDay('2031-03-10')).toBe(false);
    expect(await env.ctx.calendar.addWorkingDays('2031-03-07', 1)).toBe('2031-03-11');
    expect(await env.ctx.calendar.workingDaysBetween('2031-03-07', '2031-03-11')).toBe(1);

    // Sat 2031-03-15 worked instead.
    expect((await put(admin, '2031-03-15', { kind: 'workday', name: '测试调休' })).statusCode).toBe(200);
    expect(await env.ctx.calendar.addWorkingDays('2031-03-14', 1)).toBe('2031-03-15');

    const list = (await admin.get('/api/calendar-days?year=2031')).json();
    expect(list.editable).toBe(true);
    expect(list.items.map((d: { day: string; kind: string }) => [d.day, d.kind])).toEqual([
      ['2031-03-10', 'holiday'],
      ['2031-03-15', 'workday'],
    ]);

    // Changing the name keeps one row and records what it was.
    expect((await put(admin, '2031-03-10', { kind: 'holiday', name: '改名假日' })).json().name).toBe('改名假日');
    const set = (await audits('calendar.day.set')).filter((a) => a.targetId === '2031-03-10');
    expect(set).toHaveLength(2);
    expect(set[0]).toMatchObject({ actorType: 'staff', targetType: 'calendar_day' });
    expect(set[0]?.summary).toEqual({
      day: '2031-03-10',
      kind: 'holiday',
      name: '改名假日',
      before: { kind: 'holiday', name: '测试假日' },
    });

    const del = await admin.del('/api/calendar-days/2031-03-10');
    expect(del.statusCode, del.body).toBe(200);
    expect(await env.ctx.calendar.addWorkingDays('2031-03-07', 1)).toBe('2031-03-10');
    const deleted = (await audits('calendar.day.delete')).filter((a) => a.targetId === '2031-03-10');
    expect(deleted[0]?.summary).toEqual({ day: '2031-03-10', kind: 'holiday', name: '改名假日' });
    expect((await admin.get('/api/calendar-days?year=2031')).json().items).toHaveLength(1);
  });

  it('seeds the official arrangements once (each year the package knows); a day staff delete stays deleted', async () => {
    const known = [...OFFICIAL_ARRANGEMENTS.values()].reduce((n, days) => n + days.length, 0);
    expect(await env.ctx.calendar.ensureSeeded()).toBe(known);
    expect(await env.ctx.calendar.ensureSeeded()).toBe(0);
    const admin = await staffWith(env, ['sysadmin']);
    const items = (await admin.get('/api/calendar-days?year=2026')).json().items as Array<{
      day: string;
      kind: string;
      name: string;
    }>;
    expect(items.find((d) => d.day === '2026-02-17')).toMatchObject({ kind: 'holiday', name: '春节' });
    expect(items.find((d) => d.day === '2026-10-10')).toMatchObject({ kind: 'workday', name: '国庆节调休上班' });
    // Wed 09-30 + 1: 国庆 week off, Thu 10-08 next.
    expect(await env.ctx.calendar.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(await audits('calendar.seed')).toHaveLength(OFFICIAL_ARRANGEMENTS.size);

    expect((await admin.del('/api/calendar-days/2026-06-19')).statusCode).toBe(200);
    expect(await env.ctx.calendar.ensureSeeded()).toBe(0);
    expect(await env.ctx.calendar.isWorkingDay('2026-06-19')).toBe(true);
  });
});
