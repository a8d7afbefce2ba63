import { describe, expect, it } from 'vitest';
import { normalizeUscc, usccCheckChar, validateUscc } from './uscc.js';

describe('统一社会信用代码 (GB 32100)', () => {
  it('accepts valid codes', () => {
    expect(validateUscc('91350100M000100Y43')).toBeNull();
    expect(validateUscc('91110000802100433B')).toBeNull();
    expect(validateUscc(' 91350100m000100y43 ')).toBeNull();
    expect(normalizeUscc('91350100m000100y43')).toBe('91350100M000100Y43');
  });
  it('rejects a wrong check character', () => {
    expect(validateUscc('91350100M000100Y44')).toBe('checkChar');
  });
  it('rejects the early Fujian pilot code that fails the check (reviewer override exists for it)', () => {
    expect(validateUscc('91350211M00013FA1N')).toBe('checkChar');
  });
  it('rejects letters outside the charset, with the check character otherwise right', () => {
    const first17 = '91350100M000100Y4';
    expect(validateUscc(`${first17.replace('M', 'I')}${usccCheckChar(first17)}`)).toBe('format');
  });
  it('rejects wrong lengths and empties', () => {
    expect(validateUscc('91350100M000100Y4')).toBe('length');
    expect(validateUscc('')).toBe('required');
  });
});
