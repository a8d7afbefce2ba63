import { UNIT_APPLICATION_KIND_LABELS, UNIT_APPLICATION_STATUS_LABELS } from '@cpe/shared/schemas/units';
import { Tag } from 'antd';
import type { UnitApplication, UnitApplicationStatus } from '../types';

const STATUS_COLORS: Record<UnitApplicationStatus, string> = {
  draft: 'default',
  pending: 'processing',
  rejected: 'error',
  approved: 'success',
};

export function StatusTag({ status, label }: { status: UnitApplicationStatus; label?: string }) {
  return <Tag color={STATUS_COLORS[status]}>{label ?? UNIT_APPLICATION_STATUS_LABELS[status]}</Tag>;
}

/** 单位信息修改 / 变更管理员 stand out in a list of registrations; a registration needs no tag. */
export function KindTag({ kind }: { kind: UnitApplication['kind'] }) {
  if (kind === 'register') return null;
  return <Tag color={kind === 'change-admin' ? 'purple' : 'cyan'}>{UNIT_APPLICATION_KIND_LABELS[kind]}</Tag>;
}

export function ManualCheckTag() {
  return (
    <Tag color="warning" title="代码校验未通过，申请人工核验">
      人工核验
    </Tag>
  );
}
