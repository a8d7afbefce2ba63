import { ORDER_STATUS_LABELS } from '@cpe/shared/schemas/purchase';
import { Button, Result, Steps, Tag, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { toApiError } from '../../../shared/api/client';
import { formatFen, INVOICE_STATUS_COLORS, INVOICE_STATUS_LABELS, ORDER_STATUS_COLORS } from '../format';
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

/** 进入学习: the study pages come in a later release. */
export function StudyButton({ size, block }: { size?: 'large' | 'middle'; block?: boolean }) {
  return (
    <Tooltip title="课程学习即将开放">
      {/* A wrapper so the tooltip still shows on a disabled button (which gets no pointer events); the
          reason is in the text too for those who cannot hover. */}
      <span className={block ? 'cpe-buy-study is-block' : 'cpe-buy-study'}>
        <Button type="primary" size={size} disabled block={block}>
          进入学习
        </Button>
        <span className="cpe-buy-visually-hidden">（课程学习即将开放）</span>
      </span>
    </Tooltip>
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
