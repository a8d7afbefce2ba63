import type { TTicketStatus } from '@cpe/shared';
import { platformDay } from '@cpe/shared/platform-zone';
import { AppError } from '../../lib/errors.js';

export type TicketAction = 'learner-message' | 'staff-reply' | 'close';

/**
 * 在线客服 ticket states: open (待回复) → answered (已回复) by a staff reply; a learner's message makes it open again;
 * either side closes it; a closed ticket takes nothing more.
 */
export const TICKET_TRANSITIONS: Record<TicketAction, Partial<Record<TTicketStatus, TTicketStatus>>> = {
  'learner-message': { open: 'open', answered: 'open' },
  'staff-reply': { open: 'answered', answered: 'answered' },
  close: { open: 'closed', answered: 'closed' },
};

export function transition(action: TicketAction, from: string): TTicketStatus {
  const to = TICKET_TRANSITIONS[action][from as TTicketStatus];
  if (!to) throw new AppError('TICKET_CLOSED');
  return to;
}

/** 工单号 prefix: KF + the platform's date as yyMMdd. */
export function ticketPrefix(now: Date): string {
  const d = platformDay(now);
  return `KF${d.slice(2, 4)}${d.slice(5, 7)}${d.slice(8, 10)}`;
}
