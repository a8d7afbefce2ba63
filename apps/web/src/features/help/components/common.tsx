import { TICKET_STATUS_LABELS, type TTicketStatus } from '@cpe/shared/schemas/help';
import { Tag } from 'antd';

const STATUS_COLORS: Record<TTicketStatus, string> = { open: 'orange', answered: 'blue', closed: 'default' };

export function TicketStatusTag({ status }: { status: TTicketStatus }) {
  return (
    <Tag color={STATUS_COLORS[status]} data-status={status}>
      {TICKET_STATUS_LABELS[status]}
    </Tag>
  );
}
