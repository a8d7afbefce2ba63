import { describe, expect, it } from 'vitest';
import { loggableError, loggableMessage, scrubText } from './loggable-error.js';

const ID = '500103199001011232';
const PHONE = '13800138000';

describe('loggableError', () => {
  it("drops a drizzle error's values and the driver's detail, keeps the SQL, code and constraint", () => {
    const driver = Object.assign(new Error('new row for relation "t" violates check constraint "t_id_check"'), {
      code: '23514',
      constraint: 't_id_check',
      detail: `Failing row contains (${PHONE}, ${ID}).`,
      params: [PHONE, ID],
    });
    const query = 'insert into "t" ("phone", "id_number") values ($1, $2)';
    const err = Object.assign(new Error(`Failed query: ${query}\nparams: ${PHONE},${ID}`), {
      query,
      params: [PHONE, ID],
      cause: driver,
    });
    const out = loggableError(err) as Record<string, unknown>;
    const text = JSON.stringify(out);
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain(ID);
    expect(out.message).toBe(`Failed query: ${query}\nparams: [REDACTED]`);
    expect(out.query).toBe(query);
    expect(out.cause).toMatchObject({ code: '23514', constraint: 't_id_check' });
    expect(loggableMessage(err)).toBe(`Failed query: ${query}\nparams: [REDACTED]`);
  });

  it('masks values quoted in a message as lists mask them, and leaves ids, times and amounts alone', () => {
    expect(scrubText(`invalid input syntax for type bigint: "${ID}"`)).toBe(
      'invalid input syntax for type bigint: "5****************2"',
    );
    expect(scrubText(`电话 ${PHONE}。`)).toBe('电话 138****8000。');
    // The other documents of a person: 居住证 and 2023 永居证 (18 characters), an older 永居证 (3 letters, 12 digits).
    expect(scrubText('key (810000199001011232)=(830000198503120021) 931840198001011234')).toBe(
      `key (81${'*'.repeat(15)}2)=(83${'*'.repeat(15)}1) 9${'*'.repeat(16)}4`,
    );
    expect(scrubText('value "usa123456789012" and CAN123456789012.')).toBe(
      `value "USA${'*'.repeat(11)}2" and CAN${'*'.repeat(11)}2.`,
    );
    const plain = 'order 1796594279295 a1380013800012 3f2a-13800138000b 12000 ab123456789012 abcd123456789012';
    expect(scrubText(plain)).toBe(plain);
  });

  it('passes on what is not an error and survives cycles', () => {
    expect(loggableError(42)).toBe(42);
    const err = new Error('loop') as Error & { self?: unknown };
    err.self = err;
    expect(() => JSON.stringify(loggableError(err))).not.toThrow();
  });
});
