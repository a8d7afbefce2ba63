import {
  TICKET_REPLY_MAX_CHARS,
  TICKET_STATUS_LABELS,
  type TTicketStatus,
  ZTicketReply,
} from '@cpe/shared/schemas/help';
import { Form, Input, Tag } from 'antd';
import { zodRule } from '../../../shared/form/rules';

const STATUS_COLORS: Record<TTicketStatus, string> = { open: 'orange', answered: 'blue', closed: 'default' };

export function TicketStatusTag({ status }: { status: TTicketStatus }) {
  return (
    <Tag color={STATUS_COLORS[status]} data-status={status}>
      {TICKET_STATUS_LABELS[status]}
    </Tag>
  );
}

const REPLY_RULES = [zodRule(ZTicketReply.shape.body)];

/** The reply box of a ticket, the learner's (继续咨询) and the staff's (回复) alike: the server's rules. */
export function ReplyBodyItem({ label, placeholder, rows }: { label: string; placeholder: string; rows: number }) {
  return (
    <Form.Item label={label} name="body" rules={REPLY_RULES}>
      <Input.TextArea
        maxLength={TICKET_REPLY_MAX_CHARS}
        showCount
        autoSize={{ minRows: rows, maxRows: rows * 2 + 2 }}
        placeholder={placeholder}
      />
    </Form.Item>
  );
}
