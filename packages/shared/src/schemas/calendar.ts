import { z } from 'zod';
import { CALENDAR_DAY_KINDS, isCalendarDay } from '../calendar.js';

/**
 * 工作日历 (系统管理 → 工作日历): the days that differ from the weekly rule, 休 (法定节假日) on a weekday or
 * 班 (调休上班) on a weekend, kept by 系统管理员 and 市人社局审核人员; every deadline counts working days by them.
 */

export const CALENDAR_MIN_YEAR = 2000;
export const CALENDAR_MAX_YEAR = 2100;

export const ZCalendarDate = z
  .string('请填写日期')
  .trim()
  .refine(isCalendarDay, '日期无效，应为 YYYY-MM-DD 格式的真实日期')
  .refine((d) => {
    const y = Number(d.slice(0, 4));
    return y >= CALENDAR_MIN_YEAR && y <= CALENDAR_MAX_YEAR;
  }, `日期应在${CALENDAR_MIN_YEAR}—${CALENDAR_MAX_YEAR}年之间`);

export const ZCalendarDayKind = z.enum(CALENDAR_DAY_KINDS, '类型应为休（holiday）或班（workday）');

export const ZCalendarDayParams = z.object({ day: ZCalendarDate });

export const ZCalendarDayInput = z.object({
  kind: ZCalendarDayKind,
  /** e.g. 春节, 国庆节调休 */
  name: z.string('请填写名称').trim().min(1, '请填写名称').max(20, '名称最多20个字'),
});
export type TCalendarDayInput = z.infer<typeof ZCalendarDayInput>;

export const ZCalendarYearQuery = z.object({
  year: z.coerce
    .number('请选择年份')
    .int('年份无效')
    .min(CALENDAR_MIN_YEAR, `年份应在${CALENDAR_MIN_YEAR}—${CALENDAR_MAX_YEAR}之间`)
    .max(CALENDAR_MAX_YEAR, `年份应在${CALENDAR_MIN_YEAR}—${CALENDAR_MAX_YEAR}之间`),
});

export const ZCalendarDay = z.object({
  day: z.string(),
  /** 0 = 星期日 … 6 = 星期六 */
  weekday: z.number().int(),
  kind: ZCalendarDayKind,
  name: z.string(),
  updatedAt: z.string(),
});
export type TCalendarDay = z.infer<typeof ZCalendarDay>;

export const ZCalendarDayList = z.object({
  year: z.number().int(),
  items: z.array(ZCalendarDay),
  /** Whether the signed-in staff member may add, change and delete days. */
  editable: z.boolean(),
});
export type TCalendarDayList = z.infer<typeof ZCalendarDayList>;
