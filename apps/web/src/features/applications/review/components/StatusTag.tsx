import {
  APPLICATION_STAGE_LABELS,
  APPLICATION_STATUS_LABELS,
  type TApplicationStage,
  type TApplicationStatus,
} from '@cpe/shared/applications/index';
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

/** Where an application stands: its status, with 待审核 named by the level reviewing it (待区县人社局审核 …). */
export function StageTag({ stage, label }: { stage: TApplicationStage | 'draft'; label?: string }) {
  const status: TApplicationStatus = stage.startsWith('pending-') ? 'pending' : (stage as TApplicationStatus);
  return <Tag color={COLORS[status] ?? 'default'}>{label || APPLICATION_STAGE_LABELS[stage]}</Tag>;
}
