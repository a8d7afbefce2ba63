import { describe, expect, it } from 'vitest';
import {
  AUDIT_ACTION_GROUPS,
  AUDIT_ACTION_LABELS,
  AUDIT_ACTOR_TYPE_LABELS,
  AUDIT_TARGET_TYPE_LABELS,
  auditActionLabel,
  auditActorTypeLabel,
  auditTargetTypeLabel,
} from './audit.js';

/** A reviewer reads Chinese: a label has at least one CJK character and no raw code in it. */
const CHINESE = /\p{Script=Han}/u;
const CODE_LIKE = /[a-z]+[._][a-z]/;

describe('audit catalogue', () => {
  const catalogues = {
    actions: AUDIT_ACTION_LABELS,
    targetTypes: AUDIT_TARGET_TYPE_LABELS,
    actorTypes: AUDIT_ACTOR_TYPE_LABELS,
  };

  for (const [name, labels] of Object.entries(catalogues)) {
    it(`gives every one of the ${name} a Chinese label`, () => {
      const entries = Object.entries(labels as Record<string, string>);
      expect(entries.length).toBeGreaterThan(0);
      for (const [code, label] of entries) {
        expect(label.trim(), code).not.toBe('');
        expect(label, code).toMatch(CHINESE);
        expect(label, code).not.toMatch(CODE_LIKE);
      }
    });
  }

  it('labels the filter groups in Chinese, each prefix once', () => {
    const prefixes = AUDIT_ACTION_GROUPS.map((g) => g.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const g of AUDIT_ACTION_GROUPS) {
      expect(g.prefix.trim(), g.label).not.toBe('');
      expect(g.label, g.prefix).toMatch(CHINESE);
    }
  });

  it('reaches every action through some group prefix', () => {
    const unreachable = Object.keys(AUDIT_ACTION_LABELS).filter(
      (code) => !AUDIT_ACTION_GROUPS.some((g) => code.startsWith(g.prefix)),
    );
    expect(unreachable).toEqual([]);
  });

  it('has no group that selects nothing', () => {
    const codes = Object.keys(AUDIT_ACTION_LABELS);
    const empty = AUDIT_ACTION_GROUPS.filter((g) => !codes.some((c) => c.startsWith(g.prefix)));
    expect(empty).toEqual([]);
  });

  it('shows an unknown code from an old row as itself, never an inherited member', () => {
    expect(auditActionLabel('faq.create')).toBe('新增常见问题');
    expect(auditActionLabel('legacy.something')).toBe('legacy.something');
    expect(auditActionLabel('constructor')).toBe('constructor');
    expect(auditTargetTypeLabel('training_plan')).toBe('学习计划');
    expect(auditTargetTypeLabel('toString')).toBe('toString');
    expect(auditActorTypeLabel('staff')).toBe('工作人员');
    expect(auditActorTypeLabel('robot')).toBe('robot');
  });
});
