import { ADVANCED_SEMINAR } from './advanced-seminar.js';
import type { ApplicationTypeDef } from './engine.js';

export * from './advanced-seminar.js';
export * from './engine.js';
export * from './fields.js';

/** Every application type; adding one is adding its definition here (plus its tests). */
export const APPLICATION_TYPES: readonly ApplicationTypeDef[] = [ADVANCED_SEMINAR];

export function applicationType(key: string): ApplicationTypeDef | undefined {
  return APPLICATION_TYPES.find((t) => t.key === key);
}
export const APPLICATION_TYPE_KEYS = APPLICATION_TYPES.map((t) => t.key) as [string, ...string[]];
