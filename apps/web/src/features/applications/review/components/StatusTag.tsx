import { APPLICATION_STATUS_LABELS, type TApplicationStatus } from '@cpe/shared/applications/index';
import { Tag } from 'antd';

const COLORS: Record<TApplicationStatus, string> = {
  draft: 'default',
  pending: 'processing',
  returned: 'warning',
  approved: 'success',
  rejected: 'error',
  withdrawn: 'default',
};

export function StatusTag({ status }: { status: TApplicationStatus }) {
  return <Tag color={COLORS[status]}>{APPLICATION_STATUS_LABELS[status]}</Tag>;
}
