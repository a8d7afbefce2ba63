import { Tag } from 'antd';
import type { Plan } from '../types';

type PlanStatus = 'on-sale' | 'not-started' | 'ended' | 'unpublished';

const LABELS: Record<PlanStatus, { text: string; color: string }> = {
  'on-sale': { text: '销售中', color: 'success' },
  'not-started': { text: '未开售', color: 'processing' },
  ended: { text: '已停售', color: 'default' },
  unpublished: { text: '未发布', color: 'warning' },
};

/**
 * Where a plan stands for buyers. The server's `onSale` decides 销售中 (its clock is the one orders use);
 * a published plan not on sale is 未开售 before its sale period and 已停售 after it.
 */
function planStatus(plan: Plan, now = Date.now()): PlanStatus {
  if (!plan.published) return 'unpublished';
  if (plan.onSale) return 'on-sale';
  return now < new Date(plan.saleFrom).getTime() ? 'not-started' : 'ended';
}

export function PlanStatusTag({ plan }: { plan: Plan }) {
  const { text, color } = LABELS[planStatus(plan)];
  return <Tag color={color}>{text}</Tag>;
}
