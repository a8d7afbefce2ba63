import { APPLICATION_STATUS_LABELS } from '@cpe/shared/applications/index';
import { Tag } from 'antd';
import type { ApplicationStatus } from '../types';

const COLORS: Record<ApplicationStatus, string> = {
  draft: 'default',
  pending: 'processing',
  returned: 'warning',
  approved: 'success',
  rejected: 'error',
  withdrawn: 'default',
};

export function ApplicationStatusTag({ status }: { status: ApplicationStatus }) {
  return <Tag color={COLORS[status]}>{APPLICATION_STATUS_LABELS[status]}</Tag>;
}
