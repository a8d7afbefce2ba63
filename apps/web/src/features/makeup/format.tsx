import { MAKEUP_STATUS_LABELS } from '@cpe/shared/schemas/makeup';
import { Tag } from 'antd';
import { formatDateTime } from '../../shared/format';
import type { MakeupStatus } from './types';

export const STATUS_COLORS: Record<MakeupStatus, string> = {
  pending: 'processing',
  approved: 'success',
  rejected: 'error',
};

/** "YYYY-MM-DD HH:mm" in the platform's time zone. */
export const minutes = (iso: string | null | undefined) => formatDateTime(iso).slice(0, 16);

export function StatusTag({ status }: { status: MakeupStatus }) {
  return (
    <Tag color={STATUS_COLORS[status]} className="cpe-mk-tag">
      {MAKEUP_STATUS_LABELS[status]}
    </Tag>
  );
}

/** 待审核（预计 … 前完成） / 已通过 / 未通过（原因：…）. */
export function StatusText({ status, dueAt, reason }: { status: MakeupStatus; dueAt: string; reason: string | null }) {
  return (
    <span className="cpe-mk-status">
      <StatusTag status={status} />
      {status === 'pending' && <span className="cpe-muted">（预计 {minutes(dueAt)} 前完成）</span>}
      {status === 'rejected' && <span className="cpe-mk-reason">（原因：{reason || '未说明'}）</span>}
    </span>
  );
}
