import { platformYear } from '../../../shared/platform-time';
import type { Batch } from './api-review';

/** 举办时间: one day, or the first and last day. */
export function heldText(from: string | null, to: string | null): string {
  if (!from) return '';
  return !to || to === from ? from : `${from} 至 ${to}`;
}

/** 所在区县 in a narrow column: the county (and its city elsewhere), without 重庆市. */
export function shortArea(label: string): string {
  return label.startsWith('重庆市 ') ? label.slice(4) : label;
}

/** The years there are batches for, this year (and `back` years before it) and the one chosen, newest first. */
export function yearOptions(batches: Batch[] | undefined, selected?: number, back = 0) {
  const thisYear = platformYear();
  const years = new Set<number>([thisYear]);
  for (let i = 1; i <= back; i++) years.add(thisYear - i);
  for (const b of batches ?? []) years.add(b.year);
  if (selected) years.add(selected);
  return [...years].sort((a, b) => b - a).map((y) => ({ value: y, label: `${y}年` }));
}
