import { INVOICE_STATUS_LABELS, ORDER_STATUS_LABELS } from '@cpe/shared/labels/purchase';
import { Button, Result, Steps, Tag } from 'antd';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { toApiError } from '../../../shared/api/client';
import { formatFen, INVOICE_STATUS_COLORS, ORDER_STATUS_COLORS } from '../format';
import type { Invoice, Order } from '../types';

export function Money({ fen, strong }: { fen: number; strong?: boolean }) {
  return <span className={strong ? 'cpe-buy-money is-strong' : 'cpe-buy-money'}>{formatFen(fen)}</span>;
}

export function OrderStatusTag({ status }: { status: Order['status'] }) {
  return (
    <Tag color={ORDER_STATUS_COLORS[status]} className="cpe-buy-tag">
      {ORDER_STATUS_LABELS[status]}
    </Tag>
  );
}

export function InvoiceStatusTag({ status }: { status: Invoice['status'] }) {
  return (
    <Tag color={INVOICE_STATUS_COLORS[status]} className="cpe-buy-tag">
      {INVOICE_STATUS_LABELS[status]}
    </Tag>
  );
}

/** A page's data did not load: the server's message and 重试. */
export function LoadError({ error, onRetry, extra }: { error: unknown; onRetry: () => void; extra?: ReactNode }) {
  const e = toApiError(error);
  const missing = e.code === 'NOT_FOUND' || e.status === 404 || e.code === 'ORDER_FORBIDDEN';
  return (
    <Result
      status={missing ? '404' : 'error'}
      title={missing ? e.message || '内容不存在' : '加载失败'}
      subTitle={missing ? undefined : e.message}
      extra={
        <>
          {!missing && <Button onClick={onRetry}>重试</Button>}
          {extra}
        </>
      }
    />
  );
}

/** 进入学习: the plan's course list under 课程培训 (or 课程培训 itself when no plan is named). */
export function StudyButton({ planId, size, block }: { planId?: string; size?: 'large' | 'middle'; block?: boolean }) {
  const navigate = useNavigate();
  return (
    <Button
      type="primary"
      size={size}
      block={block}
      onClick={() => navigate(planId ? `/study/plans/${planId}` : '/study')}
    >
      进入学习
    </Button>
  );
}

const STEPS = ['选择项目', '提交订单', '支付订单', '购买成功'];

/** Where the person is in 项目购买 → 提交订单 → 支付 → 完成. */
export function PurchaseSteps({ current, status }: { current: number; status?: 'error' | 'finish' }) {
  return (
    <Steps
      className="cpe-buy-steps"
      size="small"
      titlePlacement="vertical"
      responsive={false}
      current={current}
      status={status}
      items={STEPS.map((title) => ({ title }))}
    />
  );
}
