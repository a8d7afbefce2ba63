import { HOTLINE_PHONE_RE, TICKET_STATUSES } from '@cpe/shared';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors.js';
import { type TicketAction, ticketPrefix, transition } from './ticket-rules.js';

describe('ticket transitions (every action from every status)', () => {
  const expected: Record<TicketAction, Record<string, string | null>> = {
    'learner-message': { open: 'open', answered: 'open', closed: null },
    'staff-reply': { open: 'answered', answered: 'answered', closed: null },
    close: { open: 'closed', answered: 'closed', closed: null },
  };
  for (const [action, table] of Object.entries(expected) as Array<[TicketAction, Record<string, string | null>]>) {
    for (const from of TICKET_STATUSES) {
      it(`${action} from ${from}`, () => {
        const to = table[from];
        if (to) expect(transition(action, from)).toBe(to);
        else expect(() => transition(action, from)).toThrow(AppError);
      });
    }
  }
  it('refuses an unknown status', () => expect(() => transition('close', 'archived')).toThrow(AppError));
});

describe('工单号 prefix', () => {
  it('uses the China date: 16:00 UTC is already the next day', () => {
    expect(ticketPrefix(new Date('2026-03-09T15:59:59Z'))).toBe('KF260309');
    expect(ticketPrefix(new Date('2026-03-09T16:00:00Z'))).toBe('KF260310');
    expect(ticketPrefix(new Date('2026-12-31T16:00:00Z'))).toBe('KF270101');
  });
});

describe('hotline phone pattern', () => {
  it.each([
    '400-023-9229',
    '4006187500',
    '800-810-8888',
    '023-63211234',
    '023-6321123',
    '0851-12345678-801',
    '13800138000',
    '12333',
  ])('accepts %s', (p) => expect(HOTLINE_PHONE_RE.test(p)).toBe(true));
  it.each(['400-123', '1234', '23-63211234', '400-023-92290', 'tel:4000239229', '138001380001', '400 023 9229'])(
    'refuses %s',
    (p) => expect(HOTLINE_PHONE_RE.test(p)).toBe(false),
  );
});
