import { APPLICATION_STATUS_LABELS } from '@cpe/shared/applications/index';
import { Tag } from 'antd';
import type { ApplicationStage, ApplicationStatus } from '../types';

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

/** Where a filing stands, 待审核 split by the level reviewing it (待主管部门审核 / 待区县人社局审核 / 待市人社局审核). */
export function ApplicationStageTag({ stage, label }: { stage: ApplicationStage; label: string }) {
  const color = stage.startsWith('pending-') ? 'processing' : COLORS[stage as ApplicationStatus];
  return <Tag color={color ?? 'default'}>{label}</Tag>;
}
