import { ADVANCED_SEMINAR } from './advanced-seminar.js';
import { EDUCATION_BASE, ENGINEER_BASE } from './bases.js';
import type { ApplicationTypeDef } from './engine.js';
import { CLASS_PLAN, COMPLETION, PLAN_CHANGE } from './seminar-class.js';

export * from './advanced-seminar.js';
export * from './bases.js';
export * from './engine.js';
export * from './fields.js';
export * from './seminar-class.js';

/** Every application type; adding one is adding its definition here (plus its tests). */
export const APPLICATION_TYPES: readonly ApplicationTypeDef[] = [
  ADVANCED_SEMINAR,
  CLASS_PLAN,
  PLAN_CHANGE,
  COMPLETION,
  EDUCATION_BASE,
  ENGINEER_BASE,
];

export function applicationType(key: string): ApplicationTypeDef | undefined {
  return APPLICATION_TYPES.find((t) => t.key === key);
}
export const APPLICATION_TYPE_KEYS = APPLICATION_TYPES.map((t) => t.key) as [string, ...string[]];
